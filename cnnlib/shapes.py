"""Output sizes, parameter counts and FLOPs by the book's formulas.

Conventions (the same as PyTorch):
- P is the padding on *each* side, so a padded side is I + 2P long.
- (I - K + 2P) / S is floored: a last stamp that would run past the edge is dropped.
"""

from dataclasses import dataclass, field
from math import prod

from torch import nn
import torch

from cnnlib.checks import check_bool, check_instance, check_int

__all__ = [  # the public API: every callable here checks its arguments (tests/test_bad_arguments.py)
    "conv_output_size", "pool_output_size", "uncovered", "coverage", "ParamCount", "conv_params",
    "linear_params", "conv_flops", "linear_flops", "LayerRow", "LayerTable", "layer_table",
    "ReceptiveField", "receptive_fields", "locally_connected_params",
]


def conv_output_size(i, k, s=1, p=0, d=1):
    """O = floor((I - K + 2P) / S) + 1 for input size I, kernel K, stride S, padding P per side.

    With dilation D the kernel's K taps sit D cells apart, so it spans D(K - 1) + 1 cells and
    O = floor((I + 2P - D(K - 1) - 1) / S) + 1, which is the formula above for D = 1.
    """
    i = check_int("i (input size)", i, 1)
    s = check_int("s (stride)", s, 1)
    p = check_int("p (padding per side)", p, 0)
    k = check_int("k (kernel size)", k, 1)
    d = check_int("d (dilation)", d, 1)
    span = d * (k - 1) + 1
    if span > i + 2 * p and d == 1:
        raise ValueError(f"K (kernel size) = {k} is larger than the padded input I + 2P = {i + 2 * p}; "
                         f"K must be between 1 and {i + 2 * p}")
    if span > i + 2 * p:
        raise ValueError(f"K (kernel size) = {k} with dilation D = {d} spans D(K - 1) + 1 = {span} cells, more "
                         f"than the padded input I + 2P = {i + 2 * p}: lower D or K, or raise P")
    return (i + 2 * p - span) // s + 1


def pool_output_size(i, k=2, s=None, p=0):
    """Pooling uses the same formula; the stride defaults to the window size, as in nn.MaxPool2d."""
    k = check_int("k (pool window)", k, 1)
    s = k if s is None else s
    p = check_int("p (pool padding per side)", p, 0, k // 2)  # PyTorch's rule for pooling
    return conv_output_size(i, k, s, p)


def uncovered(i, k, s=1, p=0, d=1):
    """Input rows (or columns), numbered 0 .. I-1, that no stamp ever covers.

    Flooring drops a last stamp that would run past the edge, a stride larger than the
    kernel leaves gaps between stamps, and so does a dilation: the taps sit D cells apart.
    """
    o = conv_output_size(i, k, s, p, d)
    covered = {t * s + tap * d for t in range(o) for tap in range(k)}  # indices of the padded input
    return [j for j in range(i) if j + p not in covered]


def coverage(i, k, s=1, p=0, d=1):
    """How many stamps cover each input row (or column), numbered 0 .. I-1, with a tap on it."""
    o = conv_output_size(i, k, s, p, d)
    taps = [t * s + tap * d for t in range(o) for tap in range(k)]  # indices of the padded input
    return [taps.count(j + p) for j in range(i)]


@dataclass(frozen=True)
class ParamCount:
    """Parameters of one layer: its weights, its biases, and their total."""

    weights: int
    biases: int

    @property
    def total(self):
        """weights + biases."""
        return self.weights + self.biases


def conv_params(c_out, c_in, k, bias=True):
    """A conv layer with C_out kernels of size K x K over C_in channels: weights = C_out*C_in*K^2, biases = C_out."""
    c_out = check_int("c_out (number of kernels)", c_out, 1)
    c_in = check_int("c_in (input channels)", c_in, 1)
    k = check_int("k (kernel size)", k, 1)
    return ParamCount(weights=c_out * c_in * k * k, biases=c_out if check_bool("bias", bias) else 0)


def linear_params(f_in, f_out, bias=True):
    """A fully connected layer from F_in input features to F_out outputs: weights = F_in*F_out, biases = F_out."""
    f_in = check_int("f_in (input features)", f_in, 1)
    f_out = check_int("f_out (output features)", f_out, 1)
    return ParamCount(weights=f_in * f_out, biases=f_out if check_bool("bias", bias) else 0)


def conv_flops(c_out, c_in, k, out_h, out_w):
    """Forward FLOPs of a conv layer: one multiply and one add per weight per output cell."""
    c_out, c_in, k = (check_int(name, v, 1) for name, v in (("c_out (number of kernels)", c_out),
                                                             ("c_in (input channels)", c_in), ("k (kernel size)", k)))
    out_h, out_w = check_int("out_h", out_h, 1), check_int("out_w", out_w, 1)
    return 2 * c_out * c_in * k * k * out_h * out_w


def linear_flops(f_in, f_out):
    """Forward FLOPs of a fully connected layer: one multiply and one add per weight."""
    return 2 * check_int("f_in (input features)", f_in, 1) * check_int("f_out (output features)", f_out, 1)


def _pair(v):
    """Return v as (rows, cols): PyTorch layers store sizes as ints or pairs."""
    return (v, v) if isinstance(v, int) else tuple(v)


@dataclass(frozen=True)
class LayerRow:
    """One line of a layer table."""

    name: str
    kind: str
    output_shape: tuple  # (C, H, W) or (features,), batch left out
    params: ParamCount
    flops: int
    formula: str


def _conv_row(name, layer, shape):
    """Output shape and parameters of an nn.Conv2d by the formulas."""
    c, h, w = shape
    if c != layer.in_channels:
        raise ValueError(f"layer {name} (Conv2d) expects {layer.in_channels} input channels, but the layers "
                         f"before it give {c}")
    (kh, kw), (sh, sw), (ph, pw) = _pair(layer.kernel_size), _pair(layer.stride), _pair(layer.padding)
    (dh, dw) = _pair(layer.dilation)
    if layer.groups != 1 or isinstance(layer.padding, str):
        raise ValueError(f"{name}: layer_table handles only groups=1 and padding given as a number")
    if kh != kw or dh != dw:
        raise ValueError(f"{name}: layer_table handles only square kernels and dilations, got {kh}x{kw}, "
                         f"dilation {dh}x{dw}")
    out = (layer.out_channels, conv_output_size(h, kh, sh, ph, dh), conv_output_size(w, kw, sw, pw, dw))
    params = conv_params(layer.out_channels, c, kh, bias=layer.bias is not None)
    flops = conv_flops(layer.out_channels, c, kh, out[1], out[2])  # K*K taps per stamp, dilated or not
    size = (f"O = ({h} - {kh} + 2*{ph}) // {sh} + 1" if dh == 1
            else f"O = ({h} + 2*{ph} - {dh}*({kh} - 1) - 1) // {sh} + 1")
    formula = f"{size} = {out[1]};  weights = {layer.out_channels}*{c}*{kh}^2, biases = {params.biases}"
    return out, params, flops, formula


def _pool_row(name, layer, shape):
    """Output shape of an nn.MaxPool2d by the formula; pooling has no parameters."""
    c, h, w = shape
    (kh, kw), (sh, sw), (ph, pw) = _pair(layer.kernel_size), _pair(layer.stride), _pair(layer.padding)
    out = (c, pool_output_size(h, kh, sh, ph), pool_output_size(w, kw, sw, pw))
    formula = f"O = ({h} - {kh} + 2*{ph}) // {sh} + 1 = {out[1]}"
    return out, ParamCount(0, 0), 0, formula


def _linear_row(name, layer, shape):
    """Output shape and parameters of an nn.Linear by the formulas."""
    if len(shape) != 1 or shape[0] != layer.in_features:
        raise ValueError(f"layer {name} (Linear) expects {layer.in_features} input features, but the layers "
                         f"before it give shape {shape} = {prod(shape)} features")
    params = linear_params(layer.in_features, layer.out_features, bias=layer.bias is not None)
    flops = linear_flops(layer.in_features, layer.out_features)
    formula = f"weights = {layer.in_features}*{layer.out_features}, biases = {params.biases}"
    return (layer.out_features,), params, flops, formula


def _flatten_row(name, layer, shape):
    """Flatten turns (C, H, W) into one vector of C*H*W features."""
    formula = " * ".join(str(d) for d in shape) + f" = {prod(shape)}"
    return (prod(shape),), ParamCount(0, 0), 0, formula


def _batchnorm_row(name, layer, shape):
    """BatchNorm2d keeps the shape and learns one scale and one shift per channel."""
    return tuple(shape), ParamCount(shape[0], shape[0]), 0, f"weights = {shape[0]}, biases = {shape[0]}"


def _global_pool_row(name, layer, shape):
    """Global average pooling: every channel averaged to one number, (C, H, W) -> (C, 1, 1)."""
    if _pair(layer.output_size) != (1, 1):
        raise ValueError(f"{name}: layer_table handles only AdaptiveAvgPool2d(1)")
    return (shape[0], 1, 1), ParamCount(0, 0), 0, f"average of each {shape[1]}x{shape[2]} map"


def _same_shape_row(name, layer, shape):
    """Activations and dropout keep the shape and have no parameters."""
    return tuple(shape), ParamCount(0, 0), 0, "same shape"


_RULES = {
    nn.Conv2d: _conv_row,
    nn.MaxPool2d: _pool_row,
    nn.Linear: _linear_row,
    nn.Flatten: _flatten_row,
    nn.BatchNorm2d: _batchnorm_row,
    nn.AdaptiveAvgPool2d: _global_pool_row,
    nn.ReLU: _same_shape_row,
    nn.Dropout: _same_shape_row,
    nn.Dropout2d: _same_shape_row,
}


@dataclass(repr=False)
class LayerTable:
    """Each layer's output shape and parameter count, checked against PyTorch."""

    input_shape: tuple
    rows: list = field(default_factory=list)

    @property
    def total_params(self):
        """The total parameters (weights and biases) of all layers."""
        return sum(r.params.total for r in self.rows)

    @property
    def total_flops(self):
        """Forward FLOPs for one input."""
        return sum(r.flops for r in self.rows)

    def __str__(self):
        head = f"{'layer':<16}{'output shape':<16}{'weights':>11}{'biases':>8}{'total':>12}"
        lines = [head, "-" * len(head), f"{'input':<16}{str(tuple(self.input_shape)):<16}"]
        for r in self.rows:
            p = r.params
            lines.append(f"{r.name:<16}{str(r.output_shape):<16}{p.weights:>11,}{p.biases:>8,}{p.total:>12,}")
        lines += ["-" * len(head), f"{'all layers':<16}{'':<16}{'':>11}{'':>8}{self.total_params:>12,}"]
        return "\n".join(lines)

    __repr__ = __str__  # the text a notebook shows where it cannot show HTML

    def _repr_html_(self):
        """The same table as HTML, numbers right-aligned, for notebooks and widgets."""
        def row(cells, tag="td"):
            """One table row; the last three cells are numbers."""
            aligns = ["left", "left", "right", "right", "right"]
            return "<tr>" + "".join(
                f"<{tag} style='padding: 0.1em 0.7em; text-align: {a}; white-space: nowrap'>{c}</{tag}>"
                for a, c in zip(aligns, cells)) + "</tr>"

        head = row(["layer", "output shape", "weights", "biases", "total"], tag="th")
        body = [row(["input", tuple(self.input_shape), "", "", ""])]
        body += [row([f"<code>{r.name}</code>", r.output_shape, f"{r.params.weights:,}", f"{r.params.biases:,}",
                      f"{r.params.total:,}"]) for r in self.rows]
        body.append(row(["<b>all layers</b>", "", "", "", f"<b>{self.total_params:,}</b>"]))
        return f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"


def _leaves(model):
    """(name, module) for every module without children, in registration order."""
    return [(n, m) for n, m in model.named_modules() if not list(m.children())]


def layer_table(model, input_shape):
    """Walk `model` layer by layer with the formulas, then check them against a real forward pass."""
    check_instance("model", model, nn.Module, "a torch.nn.Module")
    if isinstance(input_shape, (str, bytes)) or not hasattr(input_shape, "__len__") or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (C, H, W), got {input_shape!r}")
    shape = tuple(check_int(f"input_shape[{i}]", d, 1) for i, d in enumerate(input_shape))  # (C, H, W)
    table = LayerTable(input_shape=shape)
    for name, layer in _leaves(model):
        rule = _RULES.get(type(layer))
        if rule is None:
            raise ValueError(f"layer_table has no formula for {name} ({type(layer).__name__})")
        short = name.split(".")[-1]
        shape, params, flops, formula = rule(short, layer, shape)
        table.rows.append(LayerRow(short, type(layer).__name__, shape, params, flops, formula))
    _check_against_pytorch(model, table)
    return table


@dataclass
class ReceptiveField:
    """What the units after a layer see: each a size x size square of the input, `jump` pixels apart."""

    name: str
    size: int   # the side of the input square one unit depends on
    jump: int   # how many input pixels apart two neighbouring units' squares start
    start: int  # the input row (and column) where unit 0's square starts; negative: in the padding

    def square(self, i):
        """(first, last) input row of unit i's square along one side (may reach into the padding)."""
        first = self.start + check_int("i (unit index)", i, 0) * self.jump
        return first, first + self.size - 1


def receptive_fields(model):
    """Layer by layer up to the first Flatten or global pooling: the receptive field of one unit.

    r_out = r_in + D(K - 1) * j_in and j_out = j_in * S, starting from r = 1, j = 1 at the input:
    a K x K window over units that are j_in pixels apart reaches (K - 1) * j_in pixels further,
    and D times as far when its taps sit D units apart (dilation D; D = 1 without).
    Padding P moves unit 0's square P * j_in pixels up and left: start_out = start_in - P * j_in.
    """
    check_instance("model", model, nn.Module, "a torch.nn.Module")
    size, jump, start, rows = 1, 1, 0, []
    for name, layer in _leaves(model):
        if isinstance(layer, (nn.Flatten, nn.AdaptiveAvgPool2d, nn.Linear)):
            break  # from here on every unit depends on the whole input
        if isinstance(layer, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)):
            (k, _), stride, padding = _pair(layer.kernel_size), _pair(layer.stride)[0], _pair(layer.padding)[0]
            dilation = _pair(getattr(layer, "dilation", 1))
            if isinstance(layer, nn.MaxPool2d) and dilation != (1, 1):
                raise ValueError(f"{name}: receptive_fields handles dilation in convolutions only")
            size, start, jump = size + dilation[0] * (k - 1) * jump, start - padding * jump, jump * stride
        rows.append(ReceptiveField(name.split(".")[-1], size, jump, start))
    return rows


def locally_connected_params(c_out, c_in, k, out_h, out_w, bias=True):
    """A locally connected layer: a convolution whose every output position has its own kernels.

    weights = C_out*C_in*K^2 at each of the O_h*O_w positions, biases = C_out at each position.
    """
    per_position = conv_params(c_out, c_in, k, bias)
    out_h, out_w = check_int("out_h", out_h, 1), check_int("out_w", out_w, 1)
    return ParamCount(weights=per_position.weights * out_h * out_w, biases=per_position.biases * out_h * out_w)


def _check_against_pytorch(model, table):
    """Raise RuntimeError if a formula disagrees with a forward pass or with numel()."""
    leaves = _leaves(model)
    seen = {}

    def record(name):
        def hook(module, inputs, output):
            seen.setdefault(name, tuple(output.shape[1:]))  # returns None: the output stays as it is
        return hook

    hooks = [m.register_forward_hook(record(n)) for n, m in leaves]
    was_training = model.training
    model.eval()
    try:
        param = next(model.parameters(), None)
        device = param.device if param is not None else "cpu"
        with torch.no_grad():
            model(torch.zeros((1, *table.input_shape), device=device))
    finally:
        model.train(was_training)
        for h in hooks:
            h.remove()
    for (name, layer), row in zip(leaves, table.rows):
        real_shape = seen.get(name)
        if real_shape != row.output_shape:
            raise RuntimeError(f"{name}: formula gives shape {row.output_shape}, PyTorch gives {real_shape}")
        real_params = sum(p.numel() for p in layer.parameters())
        if real_params != row.params.total:
            raise RuntimeError(f"{name}: formula gives {row.params.total} parameters, PyTorch has {real_params}")
