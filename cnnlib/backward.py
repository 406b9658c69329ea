"""The backward pass, layer by layer, written out as the book derives it.

Each layer receives e, the loss's gradient with respect to its output, and hands back the
gradient with respect to its input (and, if it has them, its weights' and biases'
gradients). Chained from the loss down to the image, that is backpropagation. Everything
here is plain loops and sums over one image; `loss.backward()` in PyTorch gives the same
numbers, and the tests check that it does.
"""

from dataclasses import dataclass

import torch
from torch import nn

from cnnlib.checks import check_images, check_instance, check_int
from cnnlib.conv import _windows, check_in_shape, conv2d, kernel_gradient, max_pool2d, output_shape, pad
from cnnlib.shapes import pool_output_size

__all__ = [  # the public API: every callable here checks its arguments (tests/test_bad_arguments.py)
    "cross_entropy_gradient", "linear_gradients", "relu_gradient", "max_pool_gradient", "avg_pool_gradient",
    "conv_input_gradient", "full_convolution", "Step", "backpropagate",
]


def _check_vector(name, v):
    """Raise a ValueError unless v is a 1-D floating-point tensor."""
    if not isinstance(v, torch.Tensor) or v.dim() != 1 or not v.is_floating_point():
        shape = tuple(v.shape) if isinstance(v, torch.Tensor) else type(v).__name__
        raise ValueError(f"{name} must be a 1-D tensor of floating-point numbers, got {shape}")


def cross_entropy_gradient(scores, label):
    """dL/dscores (classes,) of the cross-entropy of one image's scores: softmax(scores) minus one-hot(label)."""
    _check_vector("scores", scores)
    label = check_int("label", label, 0, len(scores) - 1)
    probabilities = torch.softmax(scores, dim=0)   # (classes,)
    gradient = probabilities.clone()
    gradient[label] -= 1                           # the true class: p - 1; every other class: p
    return gradient


def linear_gradients(x, weight, error):
    """A fully connected layer y = weight @ x + bias: (dL/dx (F_in,), dL/dweight (F_out, F_in), dL/dbias (F_out,))."""
    _check_vector("x", x)
    _check_vector("error", error)
    if not isinstance(weight, torch.Tensor) or weight.dim() != 2 or tuple(weight.shape) != (len(error), len(x)):
        shape = tuple(weight.shape) if isinstance(weight, torch.Tensor) else type(weight).__name__
        raise ValueError(f"weight must be shaped (F_out, F_in) = ({len(error)}, {len(x)}), one row per output "
                         f"and one column per input, got {shape}")
    return weight.T @ error, torch.outer(error, x), error.clone()  # the perceptron's rule: error x input


def relu_gradient(x, error):
    """dL/dx of ReLU: the error passes where the input x was positive and stops where it was not."""
    if not isinstance(x, torch.Tensor) or not x.is_floating_point():
        raise ValueError(f"x must be a tensor of floating-point numbers, got {getattr(x, 'dtype', type(x).__name__)}")
    if not isinstance(error, torch.Tensor) or error.shape != x.shape:
        shape = tuple(error.shape) if isinstance(error, torch.Tensor) else type(error).__name__
        raise ValueError(f"error must have the input's shape {tuple(x.shape)}, got {shape}")
    return error * (x > 0)


def max_pool_gradient(x, error, kernel_size=2, stride=None):
    """dL/dx (C, H, W) of max pooling: each window's error goes to the cell that held its maximum.

    On a tie the first maximum in reading order takes it, as in PyTorch. Windows that overlap
    (stride < kernel_size) add up what they send to a shared cell.
    """
    check_images("x", x, rank=3)
    kernel_size, stride, out_h, out_w = _check_pooled_error(tuple(x.shape), error, kernel_size, stride)
    grad = torch.zeros_like(x)                                    # (C, H, W)
    for row, col, top, left, window in _windows(x, kernel_size, kernel_size, stride, out_h, out_w):
        winner = window.flatten(1).argmax(dim=1)                  # (C,): the first maximum of each channel
        rows, cols = top + winner // kernel_size, left + winner % kernel_size
        grad[torch.arange(len(x)), rows, cols] += error[:, row, col]
    return grad


def _check_pooled_error(x_shape, error, kernel_size, stride):
    """(K, S, O_h, O_w) of a pooling over x_shape (C, H, W), or a ValueError unless error has the pooled shape."""
    stride = kernel_size if stride is None else stride
    kernel_size, stride = check_int("kernel_size", kernel_size, 1), check_int("stride", stride, 1)
    c, h, w = x_shape
    out_h, out_w = pool_output_size(h, kernel_size, stride), pool_output_size(w, kernel_size, stride)
    check_images("error", error, rank=3)
    if tuple(error.shape) != (c, out_h, out_w):
        raise ValueError(f"error must be shaped like the pooled output {(c, out_h, out_w)}, got {tuple(error.shape)}")
    return kernel_size, stride, out_h, out_w


def avg_pool_gradient(x_shape, error, kernel_size=2, stride=None):
    """dL/dx (C, H, W) of average pooling: each window's error, shared equally by its K x K cells."""
    if isinstance(x_shape, (str, bytes)) or not hasattr(x_shape, "__len__") or len(x_shape) != 3:
        raise ValueError(f"x_shape must be the input's (C, H, W), got {x_shape!r}")
    c, h, w = (check_int("x_shape", side, 1) for side in x_shape)
    kernel_size, stride, out_h, out_w = _check_pooled_error((c, h, w), error, kernel_size, stride)
    grad = error.new_zeros(c, h, w)                              # (C, H, W)
    for row, col, top, left, _ in _windows(grad, kernel_size, kernel_size, stride, out_h, out_w):
        share = error[:, row, col, None, None] / kernel_size**2  # (C, 1, 1): a K^2-th for every cell
        grad[:, top:top + kernel_size, left:left + kernel_size] += share
    return grad


def conv_input_gradient(error, w, in_shape, stride=1, padding=0):
    """dL/dx (C_in, H, W) of a convolution: each stamp hands its error, times its kernel, back onto its window."""
    check_images("error", error, rank=3)
    in_shape = check_in_shape(in_shape, w, stride, padding)
    c_out, out_h, out_w = output_shape(torch.zeros(in_shape), w, stride, padding)
    if tuple(error.shape) != (c_out, out_h, out_w):
        raise ValueError(f"error must be shaped like the convolution's output {(c_out, out_h, out_w)}, "
                         f"got {tuple(error.shape)}")
    c_in, h, wd = in_shape
    k_h, k_w = w.shape[2:]
    grad = pad(error.new_zeros(in_shape), padding)                # (C_in, H+2P, W+2P)
    for row, col, top, left, _ in _windows(grad, k_h, k_w, stride, out_h, out_w):
        # every kernel's error at this stamp, times that kernel, summed over the kernels: (C_in, K, K)
        grad[:, top:top + k_h, left:left + k_w] += (error[:, row, col, None, None, None] * w).sum(dim=0)
    return grad[:, padding:padding + h, padding:padding + wd]    # the padding's share is dropped


def full_convolution(error, w, padding=0):
    """For stride 1, dL/dx as a convolution: the error padded by K-1-P, stamped with the flipped kernels.

    The kernels are turned 180 degrees and their two channel axes swapped, (C_in, C_out, K, K):
    input channel c collects from every output channel the error times the weight that linked them.
    """
    check_images("error", error, rank=3)
    if not isinstance(w, torch.Tensor) or w.dim() != 4 or w.shape[0] != error.shape[0]:
        shape = tuple(w.shape) if isinstance(w, torch.Tensor) else type(w).__name__
        raise ValueError(f"w must be the layer's kernels (C_out, C_in, K, K) with C_out = {error.shape[0]}, "
                         f"one per channel of the error, got {shape}")
    k = w.shape[2]
    padding = check_int("padding", padding, 0, k - 1)  # the layer's padding; K-1-P must not be negative
    flipped = w.flip(2, 3).transpose(0, 1)              # (C_in, C_out, K, K), each kernel turned 180 degrees
    return conv2d(error, flipped, padding=k - 1 - padding)


@dataclass(frozen=True)
class Step:
    """One layer of the backward pass: what reached it and what it handed back."""

    name: str                 # the layer, as the network names it
    error: torch.Tensor       # dL/d(its output), what it received
    input_gradient: torch.Tensor  # dL/d(its input), what it hands to the layer below
    weight_gradient: torch.Tensor | None  # dL/d(its weights), None for a layer without
    bias_gradient: torch.Tensor | None


LAYERS = (nn.Conv2d, nn.ReLU, nn.MaxPool2d, nn.Flatten, nn.Linear)


def _check_layers(model):
    """The layers of an nn.Sequential the backward pass can walk, or a ValueError naming the one it cannot."""
    check_instance("model", model, nn.Sequential, "an nn.Sequential of Conv2d, ReLU, MaxPool2d, Flatten, Linear")
    for name, layer in model.named_children():
        if not isinstance(layer, LAYERS):
            raise ValueError(f"model's layer {name!r} is a {type(layer).__name__}; the book's backward pass "
                             f"knows {', '.join(kind.__name__ for kind in LAYERS)}")
        if isinstance(layer, nn.Conv2d) and (layer.groups != 1 or layer.dilation != (1, 1)
                                             or layer.padding_mode != "zeros" or isinstance(layer.padding, str)
                                             or layer.stride[0] != layer.stride[1]
                                             or layer.padding[0] != layer.padding[1]):
            raise ValueError(f"model's layer {name!r}: the book's convolution takes one stride, one zero "
                             f"padding, no groups and no dilation")
        if isinstance(layer, nn.MaxPool2d) and (layer.padding != 0 or layer.dilation != 1 or layer.ceil_mode):
            raise ValueError(f"model's layer {name!r}: the book's max pooling takes no padding, dilation or ceil_mode")
    return list(model.named_children())


def _forward(layer, x):
    """One layer's output for one image, by the book's own code."""
    if isinstance(layer, nn.Conv2d):
        return conv2d(x, layer.weight.detach(), layer.bias.detach() if layer.bias is not None else None,
                      layer.stride[0], layer.padding[0])
    if isinstance(layer, nn.ReLU):
        return x.clamp(min=0)
    if isinstance(layer, nn.MaxPool2d):
        return max_pool2d(x, _one(layer.kernel_size), _one(layer.stride))
    if isinstance(layer, nn.Flatten):
        return x.flatten()
    return layer.weight.detach() @ x + (layer.bias.detach() if layer.bias is not None else 0)


def _one(size):
    """A pooling size given as an int or a square pair, as an int."""
    return size if isinstance(size, int) else size[0]


def _backward(layer, x, error):
    """(dL/dx, dL/dweight, dL/dbias) of one layer, given its input x and the error of its output."""
    if isinstance(layer, nn.Conv2d):
        w = layer.weight.detach()
        stride, padding = layer.stride[0], layer.padding[0]
        weight_gradient = kernel_gradient(x, error, w.shape[2], stride, padding)
        bias_gradient = error.sum(dim=(1, 2)) if layer.bias is not None else None  # every stamp adds its bias once
        return conv_input_gradient(error, w, tuple(x.shape), stride, padding), weight_gradient, bias_gradient
    if isinstance(layer, nn.ReLU):
        return relu_gradient(x, error), None, None
    if isinstance(layer, nn.MaxPool2d):
        return max_pool_gradient(x, error, _one(layer.kernel_size), _one(layer.stride)), None, None
    if isinstance(layer, nn.Flatten):
        return error.reshape(x.shape), None, None  # the same numbers, put back on the grid
    dx, dw, db = linear_gradients(x, layer.weight.detach(), error)
    return dx, dw, db if layer.bias is not None else None


def backpropagate(model, image, label):
    """The cross-entropy's gradients for one image (C, H, W) of class `label`, layer by layer, by hand.

    `model` is an nn.Sequential of Conv2d, ReLU, MaxPool2d, Flatten and Linear layers ending in
    the class scores. Returns (loss, steps): the steps from the last layer down to the first.
    """
    layers = _check_layers(model)
    check_images("image", image, rank=3)
    inputs, x = [], image.detach().float()
    for _, layer in layers:                    # forward: keep what each layer received
        inputs.append(x)
        x = _forward(layer, x)
    if x.dim() != 1:
        raise ValueError(f"model must end in class scores (a Linear layer), but its output is shaped {tuple(x.shape)}")
    label = check_int("label", label, 0, len(x) - 1)
    loss = -torch.log_softmax(x, dim=0)[label].item()
    error, steps = cross_entropy_gradient(x, label), []
    for (name, layer), x in zip(reversed(layers), reversed(inputs)):  # backward: last layer first
        dx, dw, db = _backward(layer, x, error)
        steps.append(Step(name, error, dx, dw, db))
        error = dx
    return loss, steps
