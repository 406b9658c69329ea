"""Output sizes, parameter counts and FLOPs by the book's formulas.

Conventions (the same as PyTorch):
- P is the padding on *each* side, so a padded side is I + 2P long.
- (I - K + 2P) / S is floored: a last stamp that would run past the edge is dropped.
"""

from dataclasses import dataclass, field
from math import prod

import operator

import torch
from torch import nn
from torch.fx.passes.shape_prop import ShapeProp

from cnnlib.checks import check_bool, check_instance, check_int

__all__ = [  # the public API: every callable here checks its arguments (tests/test_bad_arguments.py)
    "conv_output_size", "pool_output_size", "uncovered", "coverage", "ParamCount", "conv_params",
    "linear_params", "conv_flops", "linear_flops", "LayerRow", "LayerTable", "layer_table",
    "ReceptiveField", "receptive_fields", "locally_connected_params", "network_graph",
    "depth", "layer_modules",
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


def pool_output_size(i, k=2, s=None, p=0, ceil=False):
    """Pooling uses the same formula; the stride defaults to the window size, as in nn.MaxPool2d.

    With ceil=True (PyTorch's ceil_mode) the division rounds up instead of down: a last window
    that runs past the edge is kept, as long as it starts inside the input or its left padding.
    """
    k = check_int("k (pool window)", k, 1)
    s = k if s is None else s
    p = check_int("p (pool padding per side)", p, 0, k // 2)  # PyTorch's rule for pooling
    o = conv_output_size(i, k, s, p)
    if check_bool("ceil", ceil) and (i + 2 * p - k) % s:  # a part of a stride is left: one more window
        o += 1
        if (o - 1) * s >= i + p:  # it would start in the right padding: PyTorch drops it
            o -= 1
    return o


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
    """Output shape of an nn.MaxPool2d or nn.AvgPool2d by the formula; pooling has no parameters."""
    c, h, w = shape
    (kh, kw), (sh, sw), (ph, pw) = _pair(layer.kernel_size), _pair(layer.stride), _pair(layer.padding)
    if _pair(getattr(layer, "dilation", 1)) != (1, 1):
        raise ValueError(f"{name}: layer_table handles dilation in convolutions only")
    ceil = layer.ceil_mode
    out = (c, pool_output_size(h, kh, sh, ph, ceil), pool_output_size(w, kw, sw, pw, ceil))
    formula = (f"O = ({h} - {kh} + 2*{ph}) // {sh} + 1 = {out[1]}" if not ceil
               else f"O = ceil(({h} - {kh} + 2*{ph}) / {sh}) + 1 = {out[1]} (rounded up)")
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
    if shape[0] != layer.num_features:
        raise ValueError(f"layer {name} (BatchNorm2d) expects {layer.num_features} channels, but the layers "
                         f"before it give {shape[0]}")
    if not layer.affine:  # normalises only: no scale or shift to learn
        return tuple(shape), ParamCount(0, 0), 0, "nothing learned (affine=False)"
    return tuple(shape), ParamCount(shape[0], shape[0]), 0, f"weights = {shape[0]}, biases = {shape[0]}"


def _adaptive_pool_row(name, layer, shape):
    """Adaptive average pooling: every map averaged down to the asked size; (1, 1) is global average pooling."""
    out_h, out_w = (shape[1] if o is None else o for o in _pair(layer.output_size))
    if (out_h, out_w) == (1, 1):
        return (shape[0], 1, 1), ParamCount(0, 0), 0, f"average of each {shape[1]}x{shape[2]} map"
    return (shape[0], out_h, out_w), ParamCount(0, 0), 0, f"each {shape[1]}x{shape[2]} map averaged to {out_h}x{out_w}"


def _same_shape_row(name, layer, shape):
    """Activations and dropout keep the shape and have no parameters."""
    return tuple(shape), ParamCount(0, 0), 0, "same shape"


_RULES = {
    nn.Conv2d: _conv_row,
    nn.MaxPool2d: _pool_row,
    nn.AvgPool2d: _pool_row,
    nn.Linear: _linear_row,
    nn.Flatten: _flatten_row,
    nn.BatchNorm2d: _batchnorm_row,
    nn.AdaptiveAvgPool2d: _adaptive_pool_row,
    nn.ReLU: _same_shape_row,
    nn.Tanh: _same_shape_row,
    nn.Sigmoid: _same_shape_row,
    nn.Dropout: _same_shape_row,
    nn.Dropout2d: _same_shape_row,
    nn.Identity: _same_shape_row,
}

# The steps a forward method may write as functions rather than layers (torch.flatten(x, 1), x + y, ...).
_FUNCTIONS = {
    operator.add: "add", operator.iadd: "add", torch.add: "add", "add": "add", "add_": "add",
    torch.cat: "cat", torch.concat: "cat",
    torch.flatten: "flatten", "flatten": "flatten",
    nn.functional.relu: "relu", torch.relu: "relu", "relu": "relu", "relu_": "relu",
}


@dataclass(frozen=True)
class LayerRow:
    """One line of a layer table."""

    name: str
    kind: str
    output_shape: tuple  # (C, H, W) or (features,), batch left out
    params: ParamCount
    flops: int
    formula: str
    inputs: tuple = ()  # the names of the rows it takes its input from (two or more where paths join)


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

    def blocks(self, depth=1):
        """The table summed per block: neighbouring rows whose names share their first `depth` parts."""
        depth = check_int("depth", depth, 1)
        groups = []  # [block name, its rows]
        for r in self.rows:
            block = ".".join(r.name.split(" ")[0].split(".")[:depth])
            if groups and groups[-1][0] == block:
                groups[-1][1].append(r)
            else:
                groups.append([block, [r]])
        table = LayerTable(input_shape=self.input_shape)
        for block, rows in groups:
            if len(rows) == 1:
                table.rows.append(rows[0])
                continue
            params = ParamCount(sum(r.params.weights for r in rows), sum(r.params.biases for r in rows))
            table.rows.append(LayerRow(block, "block", rows[-1].output_shape, params, sum(r.flops for r in rows),
                                       f"{len(rows)} steps", rows[0].inputs))
        return table

    def __str__(self):
        width = max([16] + [len(r.name) + 2 for r in self.rows])
        head = f"{'layer':<{width}}{'output shape':<16}{'weights':>11}{'biases':>8}{'total':>12}"
        lines = [head, "-" * len(head), f"{'input':<{width}}{str(tuple(self.input_shape)):<16}"]
        for r in self.rows:
            p = r.params
            lines.append(f"{r.name:<{width}}{str(r.output_shape):<16}{p.weights:>11,}{p.biases:>8,}{p.total:>12,}")
        lines += ["-" * len(head), f"{'all layers':<{width}}{'':<16}{'':>11}{'':>8}{self.total_params:>12,}"]
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

        from cnnlib.quiz import bilingual  # the headers in English and Korean; the page's language shows one
        head = row([bilingual(t) for t in ("layer", "output shape", "weights", "biases", "total")], tag="th")
        body = [row([bilingual("input"), tuple(self.input_shape), "", "", ""])]
        body += [row([f"<code>{r.name}</code>", r.output_shape, f"{r.params.weights:,}", f"{r.params.biases:,}",
                      f"{r.params.total:,}"]) for r in self.rows]
        body.append(row([f"<b>{bilingual('all layers')}</b>", "", "", "", f"<b>{self.total_params:,}</b>"]))
        return f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"


class _LayerTracer(torch.fx.Tracer):
    """torch.fx's tracer, keeping every module without children as one layer (one node of the graph)."""

    def is_leaf_module(self, m, module_qualified_name):
        """A layer is a module with no modules inside it."""
        return not list(m.children())


def network_graph(model):
    """The network's forward method read by torch.fx as a graph: one node per layer call, addition, join, ...

    torch.fx runs `forward` once with placeholders instead of tensors and writes down every
    layer it calls and every function (x + y, torch.cat, torch.flatten) applied to the results,
    with the nodes each step takes its input from. The model is read in evaluation mode.
    """
    check_instance("model", model, nn.Module, "a torch.nn.Module")
    if not list(model.children()):
        model = nn.Sequential(model)  # one layer alone: a network of one layer, named "0"
    was_training = model.training
    model.eval()
    try:
        graph = _LayerTracer().trace(model)
    except Exception as error:  # the forward method does something torch.fx cannot follow
        raise ValueError(f"torch.fx could not read {type(model).__name__}.forward as a graph of layers "
                         f"({type(error).__name__}: {error}); layer_table and receptive_fields need a "
                         f"forward method without Python decisions on the input's values") from error
    finally:
        model.train(was_training)
    return torch.fx.GraphModule(model, graph)


def _kind(graph, node):
    """(kind, layer or None) of a node: the layer's class name, or the function's short name."""
    if node.op == "call_module":
        layer = graph.get_submodule(node.target)
        return type(layer).__name__, layer
    kind = _FUNCTIONS.get(node.target) if node.op in ("call_function", "call_method") else None
    if kind is None:
        what = getattr(node.target, "__name__", str(node.target))
        raise ValueError(f"layer_table and receptive_fields have no formula for the step {what!r} "
                         f"({node.op}) in the forward method")
    return kind, None


def _names(graph, steps):
    """A readable, unique name per step: the layer's path in the model, or where a function was called."""
    names, seen = [], {}
    for node in steps:
        if node.op == "call_module":
            name = node.target
        else:
            scope = list(node.meta.get("nn_module_stack", {}).values())
            name = (scope[-1][0] + "." if scope else "") + _kind(graph, node)[0]
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} (call {seen[name]})")
    common = [n.split(".")[:-1] for n in names]  # drop a path every name starts with, such as "net."
    prefix = []
    for parts in zip(*common) if common else []:
        if len(set(parts)) > 1:
            break
        prefix.append(parts[0])
    return [n[len(".".join(prefix)) + 1:] if prefix else n for n in names]


def _steps(graph):
    """The graph's nodes that compute something, in the order forward runs them."""
    return [n for n in graph.graph.nodes if n.op in ("call_module", "call_function", "call_method")]


def _named_steps(model):
    """The model's graph, and {node: its row's name} for each step, in the order forward runs them."""
    graph = network_graph(model)
    steps = _steps(graph)
    return graph, dict(zip(steps, _names(graph, steps)))


def layer_modules(model):
    """{row name in layer_table: the module it calls}, for the rows that call a module."""
    check_instance("model", model, nn.Module, "a torch.nn.Module")
    _, names = _named_steps(model)
    return {names[node]: model.get_submodule(node.target) for node in names if node.op == "call_module"}


def _function_row(kind, node, shapes, names):
    """Output shape of a function step: where paths join, what is added or stacked; nothing is learned."""
    if kind == "relu":
        return shapes[0], "same shape"
    if kind == "flatten":
        start = node.kwargs.get("start_dim", node.args[1] if len(node.args) > 1 else 0)
        if start != 1:
            raise ValueError(f"{node.name}: layer_table handles flatten(x, 1) only (one vector per image)")
        out, _, _, formula = _flatten_row(node.name, None, shapes[0])
        return out, formula
    if kind == "add":
        if len(set(shapes)) != 1:
            raise ValueError(f"{node.name}: the paths that join here give different shapes "
                             f"{' and '.join(map(str, shapes))}; an addition needs equal shapes")
        return shapes[0], " + ".join(names) + ": element by element, same shape"
    dim = node.kwargs.get("dim", node.args[1] if len(node.args) > 1 else 0)
    if dim != 1 or len({s[1:] for s in shapes}) != 1:
        raise ValueError(f"{node.name}: layer_table handles torch.cat along the channels (dim=1) of maps of one "
                         f"size, got dim={dim} and shapes {shapes}")
    channels = sum(s[0] for s in shapes)
    return (channels, *shapes[0][1:]), " + ".join(str(s[0]) for s in shapes) + f" = {channels} channels"


def layer_table(model, input_shape):
    """Every layer's output shape and parameters by the formulas, checked against a real forward pass.

    The network may branch and join (residual additions, concatenated branches): its forward
    method is read as a graph (network_graph). Where paths join nothing is learned: an addition
    needs equal shapes and keeps them, a concatenation adds up the channels. A layer called twice
    gets two rows, its parameters counted at the first.
    """
    check_instance("model", model, nn.Module, "a torch.nn.Module")
    if isinstance(input_shape, (str, bytes)) or not hasattr(input_shape, "__len__") or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (C, H, W), got {input_shape!r}")
    shape = tuple(check_int(f"input_shape[{i}]", d, 1) for i, d in enumerate(input_shape))  # (C, H, W)
    graph, names = _named_steps(model)
    table, shapes, counted = LayerTable(input_shape=shape), {}, set()
    for node in graph.graph.nodes:
        if node.op == "placeholder":
            shapes[node] = shape
        if node not in names:
            continue
        kind, layer = _kind(graph, node)
        inputs = [n for n in node.all_input_nodes if n in shapes]
        in_shapes = [shapes[n] for n in inputs]
        if layer is not None:
            rule = _RULES.get(type(layer))
            if rule is None:
                raise ValueError(f"layer_table has no formula for {names[node]} ({kind})")
            out, params, flops, formula = rule(names[node], layer, in_shapes[0])
            if node.target in counted:  # the same layer again: its parameters are already in the table
                params, formula = ParamCount(0, 0), formula + " (parameters counted at its first call)"
            counted.add(node.target)
        else:
            out, formula = _function_row(kind, node, in_shapes, [names.get(n, "input") for n in inputs])
            params, flops = ParamCount(0, 0), 0
        shapes[node] = out
        table.rows.append(LayerRow(names[node], kind, out, params, flops, formula,
                                   tuple(names.get(n, "input") for n in inputs)))
    _check_against_pytorch(model, graph, table)
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


_WHOLE_INPUT = (nn.Flatten, nn.AdaptiveAvgPool2d, nn.Linear)  # after these a unit depends on all the input


def _joined(name, fields):
    """The receptive field where paths join: the smallest square that holds every path's square."""
    if len({f.jump for f in fields}) != 1:
        raise ValueError(f"{name}: the joining paths step {sorted({f.jump for f in fields})} pixels per unit; "
                         f"receptive_fields needs one step")
    start = min(f.start for f in fields)
    end = max(f.start + f.size for f in fields)
    return ReceptiveField(name, end - start, fields[0].jump, start)


def receptive_fields(model):
    """Layer by layer, up to the steps that see the whole input: the receptive field of one unit.

    r_out = r_in + D(K - 1) * j_in and j_out = j_in * S, starting from r = 1, j = 1 at the input:
    a K x K window over units that are j_in pixels apart reaches (K - 1) * j_in pixels further,
    and D times as far when its taps sit D units apart (dilation D; D = 1 without).
    Padding P moves unit 0's square P * j_in pixels up and left: start_out = start_in - P * j_in.
    Where paths join (an addition, a concatenation) a unit sees what any of its paths sees: the
    smallest square holding the squares of all the paths, so the path with the largest square sets it.
    Flatten, global (adaptive) pooling and Linear layers end the list: after them every unit
    depends on the whole input, whatever its size.
    """
    graph, names = _named_steps(model)
    fields, rows = {}, []
    for node in graph.graph.nodes:
        if node.op == "placeholder":
            fields[node] = ReceptiveField("input", 1, 1, 0)
        if node not in names:
            continue
        inputs = [fields.get(n) for n in node.all_input_nodes]
        kind, layer = _kind(graph, node)
        if None in inputs or isinstance(layer, _WHOLE_INPUT) or kind == "flatten" or not inputs:
            continue  # this step, and every step after it on its path, sees the whole input
        name = names[node]
        f = _joined(name, inputs) if len(inputs) > 1 else inputs[0]
        if isinstance(layer, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)):
            (k, _), stride, padding = _pair(layer.kernel_size), _pair(layer.stride)[0], _pair(layer.padding)[0]
            dilation = _pair(getattr(layer, "dilation", 1))
            if not isinstance(layer, nn.Conv2d) and dilation != (1, 1):
                raise ValueError(f"{name}: receptive_fields handles dilation in convolutions only")
            f = ReceptiveField(name, f.size + dilation[0] * (k - 1) * f.jump, f.jump * stride,
                               f.start - padding * f.jump)
        elif layer is not None and type(layer) not in _RULES:
            raise ValueError(f"receptive_fields has no rule for {name} ({kind})")
        fields[node] = ReceptiveField(name, f.size, f.jump, f.start)
        rows.append(fields[node])
    return rows


def depth(model):
    """The weight layers (convolutions and Linear layers) on the longest path from input to output.

    This is the number in a network's name: VGG-16 has 16, ResNet-18 has 18 (its shortcuts'
    1x1 convolutions sit on shorter paths), GoogLeNet is "22 layers deep" through its branches.
    """
    graph = network_graph(model)
    longest = {}
    for node in graph.graph.nodes:
        before = max((longest[n] for n in node.all_input_nodes), default=0)
        weighted = node.op == "call_module" and isinstance(graph.get_submodule(node.target), (nn.Conv2d, nn.Linear))
        longest[node] = before + weighted
        if node.op == "output":
            return longest[node]


def locally_connected_params(c_out, c_in, k, out_h, out_w, bias=True):
    """A locally connected layer: a convolution whose every output position has its own kernels.

    weights = C_out*C_in*K^2 at each of the O_h*O_w positions, biases = C_out at each position.
    """
    per_position = conv_params(c_out, c_in, k, bias)
    out_h, out_w = check_int("out_h", out_h, 1), check_int("out_w", out_w, 1)
    return ParamCount(weights=per_position.weights * out_h * out_w, biases=per_position.biases * out_h * out_w)


def _check_against_pytorch(model, graph, table):
    """Raise RuntimeError if a formula disagrees with a forward pass or with numel()."""
    param = next(model.parameters(), None)
    x = torch.zeros((1, *table.input_shape), device=param.device if param is not None else "cpu")
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            ShapeProp(graph).propagate(x)  # runs the graph, writing each node's real output shape
    finally:
        model.train(was_training)
    real = {n: tuple(n.meta["tensor_meta"].shape[1:]) for n in _steps(graph)}
    for node, row in zip(_steps(graph), table.rows):
        if real[node] != row.output_shape:
            raise RuntimeError(f"{row.name}: formula gives shape {row.output_shape}, PyTorch gives {real[node]}")
        if node.op == "call_module" and row.params.total:
            real_params = sum(p.numel() for p in graph.get_submodule(node.target).parameters())
            if real_params != row.params.total:
                raise RuntimeError(f"{row.name}: formula gives {row.params.total} parameters, "
                                   f"PyTorch has {real_params}")
    real_total = sum(p.numel() for p in model.parameters())
    if real_total != table.total_params:
        unused = [n for n, m in model.named_modules() if not list(m.children()) and list(m.parameters())
                  and n not in {node.target for node in _steps(graph)}]
        raise RuntimeError(f"the table counts {table.total_params:,} parameters, the model has {real_total:,}; "
                           f"layers its forward method never calls: {', '.join(unused) or 'none'}")
