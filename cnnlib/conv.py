"""Convolution and max pooling written as the stamp loop the book teaches.

These are slow on purpose: every output cell is one stamp of the kernel, computed in
plain sight. `stamps` yields the data of each stamp so that drawings show exactly what
was computed. PyTorch's `torch.nn.functional.conv2d` gives the same numbers, fast.
"""

from dataclasses import dataclass

import torch

from cnnlib.checks import check_images, check_int, check_number
from cnnlib.shapes import conv_output_size, pool_output_size

__all__ = [  # the public API: every callable here checks its arguments (tests/test_bad_arguments.py)
    "PAD_MODES", "pad", "Stamp", "stamps", "conv2d", "output_shape", "kernel_gradient", "learn_kernel", "max_pool2d",
    "largest_stable_lr", "classic_kernels", "feature_maps", "conv_matrix", "patches", "conv2d_as_product",
    "avg_pool2d",
]


PAD_MODES = ("zeros", "reflect", "replicate")  # the names nn.Conv2d's padding_mode uses


def pad(x, padding, value=0.0, mode="zeros"):
    """Surround each channel of x (C, H, W) with `padding` rows and columns on every side.

    mode "zeros" fills them with `value` (0 unless asked otherwise), "reflect" mirrors the
    image at its border (without repeating the border pixel) and "replicate" repeats the
    border pixel. Returns (C, H+2P, W+2P).
    """
    check_images("x", x, rank=3)
    padding = check_int("padding", padding, 0)
    if mode not in PAD_MODES:
        raise ValueError(f"mode must be one of {PAD_MODES}, got {mode!r}")
    c, h, w = x.shape
    if mode == "zeros":
        if value not in (float("inf"), -float("inf")):  # max pooling pads with -inf: it never wins a max
            value = check_number("value", value)
        out = x.new_full((c, h + 2 * padding, w + 2 * padding), value)  # (C, H+2P, W+2P)
        out[:, padding:padding + h, padding:padding + w] = x
        return out
    if mode == "reflect" and padding >= min(h, w):
        raise ValueError(f"reflect padding needs padding < the image's height and width, got padding {padding} "
                         f"for {h}x{w}")
    rows, cols = _source_index(h, padding, mode), _source_index(w, padding, mode)
    return x[:, rows][:, :, cols]


def _source_index(size, padding, mode):
    """For each padded position -P .. size+P-1, the input position it copies."""
    positions = torch.arange(-padding, size + padding)
    if mode == "replicate":
        return positions.clamp(0, size - 1)
    mirrored = positions.abs()  # reflect: -1 -> 1, -2 -> 2, ...
    return torch.where(mirrored > size - 1, 2 * (size - 1) - mirrored, mirrored)


@dataclass(frozen=True)
class Stamp:
    """One stamp of one kernel: where it sits, what it sees, what it computes."""

    kernel: int                  # which kernel, i.e. which output channel
    row: int                     # output cell it fills
    col: int
    top: int                     # window's top-left corner in the padded input
    left: int
    window: torch.Tensor         # (C, N, N) input values under the kernel
    products: torch.Tensor       # (C, N, N) window * kernel, cell by cell
    channel_sums: torch.Tensor   # (C,) sum of the products of each channel
    bias: float
    total: float                 # sum of all products + bias: the output cell's value


def check_conv_args(x, w, b=None, stride=1, padding=0):
    """Raise a ValueError naming the argument when a convolution's inputs do not fit together."""
    check_images("x", x, rank=3)
    if not isinstance(w, torch.Tensor) or w.dim() != 4:
        shape = tuple(w.shape) if isinstance(w, torch.Tensor) else type(w).__name__
        raise ValueError(f"w must be a tensor of kernels shaped (C_out, C_in, K, K), got {shape}")
    if not w.is_floating_point():
        raise ValueError(f"w must hold floating-point numbers, got {w.dtype}; convert it with w.float()")
    check_int("stride", stride, 1)
    check_int("padding", padding, 0)
    if x.shape[0] != w.shape[1]:
        raise ValueError(f"x has {x.shape[0]} channels but the kernels w have depth {w.shape[1]}; "
                         f"the channels of x must equal w.shape[1] = {w.shape[1]}")
    padded = (x.shape[1] + 2 * padding, x.shape[2] + 2 * padding)
    if w.shape[2] > padded[0] or w.shape[3] > padded[1]:
        raise ValueError(f"kernel size {tuple(w.shape[2:])} is larger than the padded input {padded}; "
                         f"each kernel side must be between 1 and the padded input's side")
    if b is not None and (not isinstance(b, torch.Tensor) or tuple(b.shape) != (w.shape[0],)):
        shape = tuple(b.shape) if isinstance(b, torch.Tensor) else type(b).__name__
        raise ValueError(f"b must be a tensor of {w.shape[0]} biases, one per kernel, got {shape}")


def output_shape(x, w, stride=1, padding=0):
    """(C_out, O_h, O_w): the shape of the convolution of x (C, H, W) with kernels w (C_out, C_in, K, K)."""
    check_conv_args(x, w, None, stride, padding)
    return (w.shape[0], conv_output_size(x.shape[1], w.shape[2], stride, padding),
            conv_output_size(x.shape[2], w.shape[3], stride, padding))


def stamps(x, w, b=None, stride=1, padding=0):
    """Every stamp of kernels w (C_out, C_in, K, K) over x (C, H, W), one at a time: kernel by kernel, row by row."""
    check_conv_args(x, w, b, stride, padding)  # now, not when the first stamp is asked for
    return _stamps(x, w, b, stride, padding)


def _windows(xp, kh, kw, stride, out_h, out_w):
    """Walk a padded input (C, H+2P, W+2P) row by row: (row, col, top, left, the window (C, kh, kw) there)."""
    for row in range(out_h):
        for col in range(out_w):
            top, left = row * stride, col * stride
            yield row, col, top, left, xp[:, top:top + kh, left:left + kw]


def _stamps(x, w, b, stride, padding):
    """The stamps, computed as they are asked for."""
    xp = pad(x, padding)  # (C, H+2P, W+2P)
    k_count, _, kh, kw = w.shape
    _, out_h, out_w = output_shape(x, w, stride, padding)
    for k in range(k_count):
        bias = float(b[k]) if b is not None else 0.0
        for row, col, top, left, window in _windows(xp, kh, kw, stride, out_h, out_w):  # window: (C_in, K, K)
            products = window * w[k]                        # (C_in, K, K)
            channel_sums = products.sum(dim=(1, 2))         # (C_in,)
            total = float(channel_sums.sum()) + bias
            yield Stamp(k, row, col, top, left, window, products, channel_sums, bias, total)


def conv2d(x, w, b=None, stride=1, padding=0):
    """Convolve x (C, H, W) with kernels w (C_out, C_in, K, K): one stamp per output cell. Returns (C_out, O_h, O_w)."""
    check_conv_args(x, w, b, stride, padding)
    out = x.new_zeros(output_shape(x, w, stride, padding))  # (C_out, O_h, O_w)
    for s in stamps(x, w, b, stride, padding):
        out[s.kernel, s.row, s.col] = s.total
    return out


def kernel_gradient(x, error, k, stride=1, padding=0):
    """The gradient of a loss with respect to the kernels (C_out, C_in, K, K), from the stamp loop.

    `error` (C_out, O_h, O_w) holds the loss's gradient with respect to each output cell.
    Every stamp used each kernel weight once, on the input value under it, so each weight's
    gradient is the sum over all stamps of (input value under it) x (that stamp's error):
    the perceptron's update, summed over the positions that share the weight.
    """
    check_images("x", x, rank=3)
    check_images("error", error, rank=3)
    k = check_int("k (kernel size)", k, 1)
    stride, padding = check_int("stride", stride, 1), check_int("padding", padding, 0)
    c_in, h, w = x.shape
    out_h, out_w = conv_output_size(h, k, stride, padding), conv_output_size(w, k, stride, padding)
    if error.shape[1:] != (out_h, out_w):
        raise ValueError(f"error must be shaped (C_out, {out_h}, {out_w}), the output of a {k}x{k} kernel "
                         f"with stride {stride} and padding {padding} over {h}x{w}, got {tuple(error.shape)}")
    xp = pad(x, padding)                                         # (C_in, H+2P, W+2P)
    grad = x.new_zeros(error.shape[0], c_in, k, k)               # (C_out, C_in, K, K)
    for row, col, _, _, window in _windows(xp, k, k, stride, out_h, out_w):  # window: (C_in, K, K)
        grad += error[:, row, col, None, None, None] * window    # each kernel: its error x the window
    return grad


def learn_kernel(x, target, k, steps, lr, seed=0):
    """Gradient descent on one K x K kernel (no bias) so that conv2d(x[i], kernel) matches target[i].

    x: images (M, 1, H, W); target: their wanted outputs (M, 1, O_h, O_w). The loss is the mean
    squared error over all output cells of all images; its gradient with respect to each
    output cell is 2 * (output - target) / cells, and `kernel_gradient` turns that into the
    kernel's gradient. Returns [(loss, kernel (1, 1, K, K))] for the start and every step.
    """
    check_images("x", x)
    check_images("target", target)
    k, steps = check_int("k (kernel size)", k, 1), check_int("steps", steps, 1, 10_000)
    lr = check_number("lr", lr, above=0)
    if len(x) != len(target) or x.shape[1] != 1:
        raise ValueError(f"x must be one-channel images (M, 1, H, W) and target one output per image, "
                         f"got x {tuple(x.shape)} and target {tuple(target.shape)}")
    kernel = torch.randn(1, 1, k, k, generator=torch.Generator().manual_seed(check_int("seed", seed, 0)))
    wanted = (len(x), *output_shape(x[0], kernel))  # (M, 1, O_h, O_w)
    if tuple(target.shape) != wanted:
        raise ValueError(f"target must be shaped {wanted}, the outputs of a {k}x{k} kernel, got {tuple(target.shape)}")
    history = []
    for step in range(steps + 1):
        outputs = torch.stack([conv2d(image, kernel) for image in x])  # (M, 1, O_h, O_w)
        difference = outputs - target
        history.append((float((difference ** 2).mean()), kernel.clone()))
        if step == steps:
            break
        error = 2 * difference / difference.numel()  # dLoss / dOutput, cell by cell
        gradient = sum(kernel_gradient(image, e, k) for image, e in zip(x, error))  # (1, 1, K, K)
        kernel = kernel - lr * gradient
    return history


def largest_stable_lr(x, k):
    """The learning rate above which learn_kernel's gradient descent on images x (M, 1, H, W) diverges."""
    # The loss is a bowl in the K*K weights: the mean over all stamps of (patch . w - target)^2.
    # Its curvature (Hessian) is 2/cells * P^T P, with every stamp's patch as a row of P, whatever
    # the targets. A step of lr shrinks the error along each curvature direction by (1 - lr * c),
    # so it grows instead once lr > 2 / c for the largest curvature c.
    check_images("x", x)
    k = check_int("k (kernel size)", k, 1)
    if x.shape[1] != 1:
        raise ValueError(f"x must be one-channel images (M, 1, H, W), got {tuple(x.shape)}")
    output_shape(x[0], torch.zeros(1, 1, k, k))  # a clear error when the kernel does not fit
    patches = torch.nn.functional.unfold(x.double(), k)     # (M, K*K, stamps per image)
    rows = patches.transpose(1, 2).reshape(-1, k * k)       # (cells, K*K): one row per stamp
    curvature = 2 * rows.T @ rows / len(rows)               # (K*K, K*K), the Hessian
    return 2 / torch.linalg.eigvalsh(curvature)[-1].item()


def check_in_shape(in_shape, w, stride, padding):
    """in_shape as the (C_in, H, W) of an input that the kernels w fit, or a ValueError naming in_shape."""
    if isinstance(in_shape, (str, bytes)) or not hasattr(in_shape, "__len__") or len(in_shape) != 3:
        raise ValueError(f"in_shape must be the input's (C_in, H, W), got {in_shape!r}")
    in_shape = tuple(check_int("in_shape", side, 1) for side in in_shape)
    stride, padding = check_int("stride", stride, 1), check_int("padding", padding, 0)
    try:
        check_conv_args(torch.zeros(in_shape), w, None, stride, padding)
    except ValueError as err:
        if "w must" in str(err):  # about the kernels alone
            raise
        raise ValueError(f"in_shape {in_shape} does not fit the kernels {tuple(w.shape)}: {err}") from None
    return in_shape


def conv_matrix(w, in_shape, stride=1, padding=0):
    """The matrix M that maps the flattened input (C_in*H*W) to the flattened output (C_out*O_h*O_w).

    One row per stamp, in the output's order: the stamp's kernel weights sit in the columns of the
    input cells under its window, every other entry is 0. Cells of the padding are zeros, so the
    weights that fall on them drop out. M @ x.flatten() equals conv2d(x, w).flatten().
    """
    c_in, h, wd = check_in_shape(in_shape, w, stride, padding)
    c_out, _, kh, kw = w.shape
    _, out_h, out_w = output_shape(torch.zeros(in_shape), w, stride, padding)
    # the column of each cell of the padded input, or -1 for a padding cell
    columns = pad(torch.arange(c_in * h * wd, dtype=torch.float64).reshape(c_in, h, wd), padding, value=-1)
    matrix = w.new_zeros(c_out * out_h * out_w, c_in * h * wd)   # (C_out*O_h*O_w, C_in*H*W)
    for row, col, _, _, window in _windows(columns, kh, kw, stride, out_h, out_w):  # window: (C_in, K, K)
        inside = window >= 0                                       # not a padding cell
        for k in range(c_out):
            matrix[(k * out_h + row) * out_w + col, window[inside].long()] = w[k][inside]
    return matrix


def patches(x, k, stride=1, padding=0):
    """im2col: the window of every stamp of a K x K kernel over x (C, H, W) as one row, (O_h*O_w, C*K*K)."""
    check_images("x", x, rank=3)
    k = check_int("k (kernel size)", k, 1)
    return _patch_rows(x, x.new_zeros(1, x.shape[0], k, k), stride, padding)


def _patch_rows(x, w, stride, padding):
    """The windows that kernels shaped like w would stamp over x, one flattened window per row."""
    _, out_h, out_w = output_shape(x, w, stride, padding)
    xp = pad(x, padding)  # (C, H+2P, W+2P)
    windows = _windows(xp, w.shape[2], w.shape[3], stride, out_h, out_w)
    return torch.stack([window.flatten() for _, _, _, _, window in windows])  # (O_h*O_w, C*K*K)


def conv2d_as_product(x, w, b=None, stride=1, padding=0):
    """Convolution as one matrix product, patches (O_h*O_w, C_in*K*K) @ kernels (C_in*K*K, C_out). Returns (C_out, O_h, O_w)."""
    check_conv_args(x, w, b, stride, padding)
    c_out, out_h, out_w = output_shape(x, w, stride, padding)
    out = _patch_rows(x, w, stride, padding) @ w.reshape(c_out, -1).T  # (O_h*O_w, C_out)
    if b is not None:
        out = out + b                                                  # each kernel's bias, down its column
    return out.T.reshape(c_out, out_h, out_w)                          # (C_out, O_h, O_w)


def max_pool2d(x, kernel_size=2, stride=None, padding=0):
    """Keep the largest value of each window of x (C, H, W). Padding counts as -inf, as in PyTorch."""
    check_images("x", x, rank=3)
    check_int("padding", padding, 0, check_int("kernel_size", kernel_size, 1) // 2)
    xp = pad(x, padding, value=float("-inf"))  # (C, H+2P, W+2P)
    return _pool(xp, kernel_size, stride, lambda window: window.amax(dim=(1, 2)))  # each channel's largest


def avg_pool2d(x, kernel_size=2, stride=None):
    """The mean of each window of x (C, H, W): every cell of the window counts 1/K^2."""
    check_images("x", x, rank=3)
    return _pool(x, kernel_size, stride, lambda window: window.mean(dim=(1, 2)))  # each channel's mean


def _pool(x, kernel_size, stride, reduce):
    """One value per window of the (already padded) x (C, H, W): reduce(window (C, K, K)) -> (C,)."""
    stride = kernel_size if stride is None else stride
    check_int("kernel_size", kernel_size, 1)
    check_int("stride", stride, 1)
    out_h = pool_output_size(x.shape[1], kernel_size, stride)
    out_w = pool_output_size(x.shape[2], kernel_size, stride)
    out = x.new_zeros((x.shape[0], out_h, out_w))  # (C, O_h, O_w)
    for row, col, _, _, window in _windows(x, kernel_size, kernel_size, stride, out_h, out_w):
        out[:, row, col] = reduce(window)
    return out


def classic_kernels():
    """Hand-made 3x3 kernels with names: vertical and horizontal edges, blur and sharpen."""
    return {
        "vertical edge": torch.tensor([[1.0, 0.0, -1.0], [1.0, 0.0, -1.0], [1.0, 0.0, -1.0]]),
        "horizontal edge": torch.tensor([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -1.0, -1.0]]),
        "blur": torch.full((3, 3), 1.0 / 9.0),
        "sharpen": torch.tensor([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]]),
    }


def feature_maps(image, kernels):
    """Apply each named 3x3 kernel to a grey image (H, W) with padding 1. Returns {name: map (H, W)}.

    Uses PyTorch's fast convolution, which gives the same numbers as `conv2d` above (tests check it).
    """
    if not isinstance(image, torch.Tensor) or image.dim() != 2 or min(image.shape) < 1:
        raise ValueError(f"image must be a grey image tensor shaped (H, W), got {getattr(image, 'shape', image)}")
    if not isinstance(kernels, dict) or not kernels:
        raise ValueError(f"kernels must be a dict of named kernels {{name: (K, K) tensor}}, got {kernels!r:.60}")
    for name, k in kernels.items():
        if not isinstance(k, torch.Tensor) or k.dim() != 2 or k.shape[0] != k.shape[1] or k.shape[0] % 2 == 0:
            raise ValueError(f"kernels[{name!r}] must be a square kernel of odd size (K, K), "
                             f"got {getattr(k, 'shape', k)!r:.60}")
    x = image.float()[None, None]  # (1, 1, H, W)
    return {name: torch.nn.functional.conv2d(x, k.float()[None, None], padding=k.shape[-1] // 2)[0, 0]
            for name, k in kernels.items()}
