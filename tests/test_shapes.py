"""The book's formulas agree with real PyTorch layers."""

import xml.etree.ElementTree as ET

import pytest
import torch
from torch import nn

from cnnlib import shapes
from cnnlib.models import ConvolutionalNeuralNetworkClass


def test_conv_output_size_matches_nn_conv2d_everywhere():
    checked = 0
    conv = nn.Conv2d(1, 1, 1, bias=False)
    with torch.no_grad():
        for i in range(1, 33):
            x = torch.zeros(1, 1, i, i)
            for k in range(1, 8):
                for s in range(1, 5):
                    for p in range(0, 4):
                        if k > i + 2 * p:
                            with pytest.raises(ValueError):
                                shapes.conv_output_size(i, k, s, p)
                            continue
                        conv.kernel_size, conv.stride, conv.padding = (k, k), (s, s), (p, p)
                        conv.weight = nn.Parameter(torch.zeros(1, 1, k, k))
                        assert conv(x).shape[-1] == shapes.conv_output_size(i, k, s, p), (i, k, s, p)
                        checked += 1
    assert checked > 3000


def test_pool_output_size_matches_nn_maxpool2d():
    for i in range(1, 33):
        for k in range(1, 5):
            for s in range(1, 4):
                for p in range(0, k // 2 + 1):
                    if k > i + 2 * p:
                        continue
                    out = nn.MaxPool2d(k, s, p)(torch.zeros(1, 1, i, i))
                    assert out.shape[-1] == shapes.pool_output_size(i, k, s, p)


def test_pool_stride_defaults_to_window():
    assert shapes.pool_output_size(28) == 14
    assert shapes.pool_output_size(7) == 3


def test_conv_params_match_numel_on_random_layers():
    gen = torch.Generator().manual_seed(0)
    for _ in range(100):
        k, c, n = (int(v) for v in torch.randint(1, 9, (3,), generator=gen))
        bias = bool(torch.randint(0, 2, (1,), generator=gen))
        layer = nn.Conv2d(c, k, n, bias=bias)
        counted = shapes.conv_params(k, c, n, bias=bias)
        assert counted.weights == layer.weight.numel() == k * c * n * n
        assert counted.biases == (layer.bias.numel() if bias else 0)
        assert counted.total == sum(p.numel() for p in layer.parameters())


def test_linear_params_match_numel():
    for i, o in [(1, 1), (3136, 1024), (1024, 128), (7, 3)]:
        assert shapes.linear_params(i, o).total == sum(p.numel() for p in nn.Linear(i, o).parameters())
        assert shapes.linear_params(i, o, bias=False).total == i * o


def test_uncovered_lists_the_rows_no_stamp_reaches():
    assert shapes.uncovered(7, 3, 2, 0) == []
    assert shapes.uncovered(8, 3, 2, 0) == [7]
    assert shapes.uncovered(6, 3, 3, 1) == [5]   # the padding cell after it is missed too, harmlessly
    assert shapes.uncovered(8, 3, 2, 1) == []    # only a padding cell is missed
    assert shapes.uncovered(5, 5, 1, 0) == []
    assert shapes.uncovered(10, 3, 4, 0) == [3, 7, 8, 9]  # gaps: the stride is larger than the kernel


def test_coverage_counts_the_stamps_over_each_input_cell():
    assert shapes.coverage(7, 3) == [1, 2, 3, 3, 3, 2, 1]
    assert shapes.coverage(7, 3, 1, 1) == [2, 3, 3, 3, 3, 3, 2]
    x = torch.zeros(1, 9, 9)
    for k, s, p in [(3, 1, 0), (3, 2, 1), (5, 2, 2), (2, 3, 0)]:
        counts = torch.zeros(9 + 2 * p, 9 + 2 * p)
        for st in stamps_of(x, k, s, p):
            counts[st.top:st.top + k, st.left:st.left + k] += 1
        inner = counts[p:p + 9, p:p + 9]
        side = torch.tensor(shapes.coverage(9, k, s, p), dtype=torch.float32)
        torch.testing.assert_close(inner, side[:, None] * side[None, :])


def stamps_of(x, k, s, p):
    from cnnlib.conv import stamps
    return stamps(x, torch.zeros(1, 1, k, k), stride=s, padding=p)


def test_uncovered_agrees_with_the_stamps_for_many_settings():
    from cnnlib.conv import stamps
    for i in range(1, 12):
        for k in range(1, 5):
            for s in range(1, 4):
                for p in range(0, 3):
                    if k > i + 2 * p:
                        continue
                    x = torch.zeros(1, 1, i)      # one row: we study the columns
                    w = torch.zeros(1, 1, 1, k)   # a 1 x k kernel
                    seen = set()
                    for st in stamps(x, w, stride=s, padding=p):
                        if st.row:                # every row of stamps has the same columns
                            continue
                        seen.update(range(st.left - p, st.left - p + k))
                    assert shapes.uncovered(i, k, s, p) == [j for j in range(i) if j not in seen]


def test_layer_table_of_the_note_model():
    table = shapes.layer_table(ConvolutionalNeuralNetworkClass(), (1, 28, 28))
    by_name = {r.name: r for r in table.rows}
    assert by_name["conv2d_00"].output_shape == (32, 28, 28)
    assert by_name["maxpool2d_06"].output_shape == (64, 7, 7)
    assert by_name["flatten_08"].output_shape == (3136,)
    assert by_name["linear_09"].params.total == 3_212_288
    assert table.total_params == 3_363_594
    assert "3,363,594" in str(table) and "3,363,594" in table._repr_html_()


def test_layer_table_html_has_a_row_per_layer_with_numbers_right_aligned():
    table = shapes.layer_table(ConvolutionalNeuralNetworkClass(), (1, 28, 28))
    root = ET.fromstring(table._repr_html_())
    rows = root.findall(".//tr")
    assert len(rows) == len(table.rows) + 3  # header, input, layers, total
    conv = next(r for r in rows if "conv2d_04" in ET.tostring(r, encoding="unicode"))
    cells = list(conv)
    assert [c.text for c in cells[2:]] == ["18,432", "64", "18,496"]
    assert all("text-align: right" in c.get("style") for c in cells[2:])
    assert all("text-align: left" in c.get("style") for c in cells[:2])


def test_layer_table_raises_when_a_formula_disagrees_with_pytorch(monkeypatch):
    one_too_many = shapes.conv_output_size
    monkeypatch.setattr(shapes, "conv_output_size", lambda *args: one_too_many(*args) + 1)  # a wrong formula
    with pytest.raises(RuntimeError, match=r"0: formula gives shape \(2, 7, 7\), PyTorch gives \(2, 6, 6\)"):
        shapes.layer_table(nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten()), (1, 8, 8))


def test_layer_table_refuses_a_step_it_has_no_formula_for_and_names_it():
    class Cropping(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 2, 3)

        def forward(self, x):
            return self.conv(x[..., 1:])  # crops a column: no formula in the book does that

    with pytest.raises(ValueError, match="no formula for the step 'getitem'"):
        shapes.layer_table(Cropping(), (1, 8, 8))


def test_layer_table_counts_the_parameters_of_layers_forward_never_calls_as_a_disagreement():
    class Unused(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv, self.spare = nn.Conv2d(1, 2, 3), nn.Linear(4, 4)

        def forward(self, x):
            return self.conv(x)

    with pytest.raises(RuntimeError, match="the table counts 20 parameters, the model has 40.*calls: spare"):
        shapes.layer_table(Unused(), (1, 8, 8))


def test_layer_table_names_the_layer_that_does_not_fit():
    wired = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 28 * 28, 10))
    with pytest.raises(ValueError, match=r"layer 3 \(Linear\) expects 3136 input features.* 784 features"):
        shapes.layer_table(wired, (1, 28, 28))


def test_layer_table_refuses_layers_it_has_no_formula_for():
    with pytest.raises(ValueError, match="no formula"):
        shapes.layer_table(nn.Sequential(nn.Conv2d(1, 1, 3), nn.GELU()), (1, 8, 8))


@pytest.mark.parametrize("call, message", [
    (lambda: shapes.conv_output_size(5, 8, 1, 1), "larger than the padded input"),
    (lambda: shapes.conv_output_size(5, 3, 0, 1), "stride"),
    (lambda: shapes.conv_output_size(5, 3, 1, -1), "padding"),
    (lambda: shapes.conv_output_size(0, 1), "input size"),
    (lambda: shapes.conv_params(0, 1, 3), r"c_out \(number of kernels\)"),
])
def test_formulas_reject_bad_sizes(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def support_of_one_unit(layers, input_size, stage):
    """Input pixels with a non-zero gradient from the centre unit after layers[:stage]: its real receptive field."""
    probe = []  # the same geometry, with positive weights and averages, so no path cancels or is cut
    for layer in layers[:stage]:
        if isinstance(layer, nn.Conv2d):
            copy = nn.Conv2d(1, 1, layer.kernel_size, layer.stride, layer.padding, layer.dilation, bias=False)
            nn.init.ones_(copy.weight)
            probe.append(copy)
        elif isinstance(layer, nn.MaxPool2d):
            probe.append(nn.AvgPool2d(layer.kernel_size, layer.stride, layer.padding))
    x = torch.zeros(1, 1, input_size, input_size, requires_grad=True)
    out = nn.Sequential(*probe)(x)
    centre = out.shape[2] // 2  # far from the border: the whole square lies inside the image
    out[0, 0, centre, centre].backward()
    rows, cols = (x.grad[0, 0] != 0).nonzero(as_tuple=True)
    return centre, (int(rows.min()), int(rows.max())), (int(cols.min()), int(cols.max()))


@pytest.mark.parametrize("ksize, cdims", [(3, [32, 64]), (5, [8, 8]), (3, [4, 4, 4]), (7, [4])])
def test_receptive_fields_match_the_input_pixels_one_unit_depends_on(ksize, cdims):
    model = ConvolutionalNeuralNetworkClass(xdim=[1, 64, 64], ksize=ksize, cdims=cdims, hdims=[8], ydim=2)
    fields = shapes.receptive_fields(model)
    geometry = [m for m in model.net if isinstance(m, (nn.Conv2d, nn.MaxPool2d))]
    named = [f for f in fields if f.name.startswith(("conv2d", "maxpool2d"))]
    assert len(named) == 2 * len(cdims)
    for stage, field in enumerate(named, start=1):
        centre, rows, cols = support_of_one_unit(geometry, 64, stage)
        assert rows == cols == field.square(centre)  # the formula's square, pixel for pixel


def test_the_notes_model_sees_3_then_4_then_8_then_10_pixels():
    fields = [(f.name, f.size, f.jump, f.start) for f in shapes.receptive_fields(ConvolutionalNeuralNetworkClass())
              if f.name.startswith(("conv2d", "maxpool2d"))]
    assert fields == [("conv2d_00", 3, 1, -1), ("maxpool2d_02", 4, 2, -1), ("conv2d_04", 8, 2, -3),
                      ("maxpool2d_06", 10, 4, -3)]


def test_two_stacked_3x3_convolutions_see_5x5_with_fewer_weights_than_one_5x5():
    two = nn.Sequential(nn.Conv2d(1, 1, 3), nn.Conv2d(1, 1, 3))
    assert shapes.receptive_fields(two)[-1].size == 5
    assert 2 * shapes.conv_params(1, 1, 3, bias=False).weights == 18 < shapes.conv_params(1, 1, 5, bias=False).weights


def test_a_locally_connected_layer_has_the_counted_parameters_and_equals_a_convolution_when_shared():
    from cnnlib.models import LocallyConnected2d
    layer = LocallyConnected2d(c_in=1, c_out=32, k=3, in_h=28, in_w=28, padding=1)
    counted = shapes.locally_connected_params(32, 1, 3, 28, 28)
    assert sum(p.numel() for p in layer.parameters()) == counted.total == 250_880
    conv = nn.Conv2d(1, 32, 3, padding=1)
    with torch.no_grad():  # the same kernels at every position: weight sharing makes it a convolution
        layer.weight.copy_(conv.weight.reshape(32, 9).expand(28 * 28, 32, 9))
        layer.bias.copy_(conv.bias[:, None, None].expand(32, 28, 28))
    x = torch.randn(2, 1, 28, 28)
    assert torch.allclose(layer(x), conv(x), atol=1e-5)


def test_a_1x1_convolution_is_a_fully_connected_layer_applied_at_every_pixel():
    conv = nn.Conv2d(16, 8, kernel_size=1)
    dense = nn.Linear(16, 8)
    with torch.no_grad():
        dense.weight.copy_(conv.weight[:, :, 0, 0])
        dense.bias.copy_(conv.bias)
    x = torch.randn(2, 16, 5, 5)
    per_pixel = dense(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)  # (N, H, W, C) through Linear, back
    assert torch.allclose(conv(x), per_pixel, atol=1e-5)
    assert shapes.conv_params(8, 16, 1).total == shapes.linear_params(16, 8).total == 136


def test_conv_output_size_with_dilation_matches_nn_conv2d_over_2000_random_cases():
    gen = torch.Generator().manual_seed(11)
    checked = refused = 0
    while checked < 2000:
        i, k, s, p, d = (int(torch.randint(low, high, (1,), generator=gen))
                         for low, high in [(1, 30), (1, 8), (1, 5), (0, 4), (1, 5)])
        if d * (k - 1) + 1 > i + 2 * p:
            with pytest.raises(ValueError, match="dilation D" if d > 1 else "is larger than"):
                shapes.conv_output_size(i, k, s, p, d)
            refused += 1
            continue
        conv = nn.Conv2d(1, 1, k, s, p, d, bias=False)
        with torch.no_grad():
            assert conv(torch.zeros(1, 1, i, i)).shape[-1] == shapes.conv_output_size(i, k, s, p, d), (i, k, s, p, d)
        checked += 1
    assert refused > 100


def test_uncovered_and_coverage_count_the_dilated_taps():
    assert shapes.coverage(7, 3, 1, 0, 2) == [1, 1, 2, 1, 2, 1, 1]  # 3 stamps, taps 2 apart: 0-2-4, 1-3-5, 2-4-6
    assert shapes.uncovered(7, 3, 2, 0, 2) == [1, 3, 5]            # stamps at 0 and 2 only ever touch even cells
    for i, k, s, p, d in [(9, 3, 1, 0, 2), (9, 3, 2, 1, 3), (12, 2, 3, 2, 4), (8, 3, 1, 2, 2)]:
        x = torch.zeros(1, 1, 1, i, requires_grad=True)
        conv = nn.Conv2d(1, 1, (1, k), (1, s), (0, p), (1, d), bias=False)
        nn.init.ones_(conv.weight)
        conv(x).sum().backward()  # each input cell's gradient counts the taps that touch it
        assert x.grad[0, 0, 0].long().tolist() == shapes.coverage(i, k, s, p, d)
        assert shapes.uncovered(i, k, s, p, d) == [j for j in range(i) if x.grad[0, 0, 0, j] == 0]


@pytest.mark.parametrize("layers", [
    [nn.Conv2d(1, 1, 3, dilation=2, padding=2), nn.MaxPool2d(2), nn.Conv2d(1, 1, 3, dilation=3)],
    [nn.Conv2d(1, 1, 3), nn.Conv2d(1, 1, 3, dilation=2), nn.Conv2d(1, 1, 3, dilation=4)],
    [nn.Conv2d(1, 1, 5, stride=2, dilation=2, padding=1), nn.Conv2d(1, 1, 2, dilation=3)],
])
def test_receptive_fields_with_dilation_bound_the_pixels_one_unit_depends_on(layers):
    fields = shapes.receptive_fields(nn.Sequential(*layers))
    for stage, field in enumerate(fields, start=1):
        centre, rows, cols = support_of_one_unit(layers, 64, stage)
        assert rows == cols == field.square(centre)  # the square from its first to its last pixel


def test_a_dilated_layer_has_its_size_in_the_layer_table():
    model = nn.Sequential(nn.Conv2d(1, 4, 3, dilation=2), nn.ReLU(), nn.Conv2d(4, 4, 3, dilation=3, padding=3))
    table = shapes.layer_table(model, (1, 28, 28))
    assert [row.output_shape for row in table.rows if row.kind == "Conv2d"] == [(4, 24, 24), (4, 24, 24)]
    assert "O = (28 + 2*0 - 2*(3 - 1) - 1) // 1 + 1 = 24" in table.rows[0].formula


# Networks that branch and join: torchvision's definitions, built without weights (nothing is downloaded).
def torchvision_network(name):
    """One of the networks the book's history section counts, with torchvision's architecture."""
    import torchvision.models as tvm
    if name == "googlenet":  # the auxiliary classifiers train only; init_weights=True keeps it quiet
        return tvm.googlenet(weights=None, aux_logits=False, init_weights=True)
    return getattr(tvm, name)(weights=None)


@pytest.mark.parametrize("name, params, field", [
    ("alexnet", 61_100_840, 195), ("vgg16", 138_357_544, 212), ("googlenet", 6_624_904, 379),
    ("resnet18", 11_689_512, 435)])
def test_the_layer_table_counts_torchvisions_networks_as_pytorch_does(name, params, field):
    model = torchvision_network(name)
    table = shapes.layer_table(model, (3, 224, 224))  # raises if a shape or a count disagrees with PyTorch
    assert table.total_params == sum(p.numel() for p in model.parameters()) == params
    assert table.rows[-1].output_shape == (1000,)
    assert shapes.receptive_fields(model)[-1].size == field
    assert sum(r.params.total for r in table.blocks().rows) == params


def test_where_paths_join_an_addition_keeps_the_shape_and_a_concatenation_adds_the_channels():
    table = shapes.layer_table(torchvision_network("resnet18"), (3, 224, 224))
    rows = {r.name: r for r in table.rows}
    add = rows["layer2.0.add"]
    assert add.inputs == ("layer2.0.bn2", "layer2.0.downsample.1") and add.params.total == 0
    assert add.output_shape == rows["layer2.0.bn2"].output_shape == (128, 28, 28)
    assert rows["layer1.0.relu (call 2)"].params.total == 0  # a layer called twice is counted once
    inception = {r.name: r for r in shapes.layer_table(torchvision_network("googlenet"), (3, 224, 224)).rows}
    cat = inception["inception3a.cat"]
    assert len(cat.inputs) == 4 and cat.output_shape == (64 + 128 + 32 + 32, 28, 28)
    assert cat.formula == "64 + 128 + 32 + 32 = 256 channels"


def probe_of(model):
    """The model's geometry with nothing that could cancel: 1-kernel convolutions of ones, pools averaging, no norm."""
    import copy
    probe = copy.deepcopy(model).eval()
    for name, layer in list(probe.named_modules()):
        parent, _, child = name.rpartition(".")
        owner = probe.get_submodule(parent) if parent else probe
        if isinstance(layer, nn.Conv2d):
            setattr(owner, child, nn.LazyConv2d(1, layer.kernel_size, layer.stride, layer.padding, layer.dilation,
                                                bias=False))
        elif isinstance(layer, nn.MaxPool2d):
            setattr(owner, child, nn.AvgPool2d(layer.kernel_size, layer.stride, layer.padding, layer.ceil_mode))
        elif isinstance(layer, nn.BatchNorm2d):
            setattr(owner, child, nn.Identity())
        elif isinstance(layer, nn.Linear):
            setattr(owner, child, nn.LazyLinear(1))
    return probe


def support_in(model, module, input_size, channels=3):
    """(centre, rows, cols): the input pixels the centre unit after `module` depends on, found by its gradient."""
    probe, seen = probe_of(model), []
    probe.get_submodule(module).register_forward_hook(lambda m, i, o: seen.append(o))
    x = torch.ones(1, channels, input_size, input_size, requires_grad=True)
    probe(x)  # the first pass gives the lazy convolutions their input channels
    for p in probe.parameters():
        nn.init.ones_(p)
    seen.clear()
    probe(x)
    centre = seen[0].shape[2] // 2
    seen[0][0, :, centre, centre].sum().backward()
    rows, cols = (x.grad[0].abs().sum(0) != 0).nonzero(as_tuple=True)
    return centre, (int(rows.min()), int(rows.max())), (int(cols.min()), int(cols.max()))


@pytest.mark.parametrize("name, module, input_size", [
    ("resnet18", "layer1", 160), ("resnet18", "layer2.0", 224), ("resnet18", "layer3", 384),
    ("resnet18", "layer4", 640), ("googlenet", "inception3a", 288), ("googlenet", "inception4e", 480),
    ("googlenet", "inception5b", 640)])
def test_the_receptive_field_where_paths_join_is_the_input_square_the_gradient_reaches(name, module, input_size):
    model = torchvision_network(name)
    field = [f for f in shapes.receptive_fields(model) if f.name.startswith(module + ".")][-1]
    centre, rows, cols = support_in(model, module, input_size)
    first, last = field.square(centre)
    assert 0 <= first and last < input_size  # the whole square inside the image: nothing cut off
    assert rows == cols == (first, last)


class TwoPaths(nn.Module):
    """A join of two paths that see different squares: a 5x5 then 3x3 path, and a strided 1x1 shortcut."""

    def __init__(self, join):
        super().__init__()
        self.join = join
        self.long = nn.Sequential(nn.Conv2d(1, 2, 5, stride=2, padding=2), nn.ReLU(), nn.Conv2d(2, 2, 3, padding=1))
        self.short = nn.Conv2d(1, 2, 1, stride=2)
        self.after = nn.Conv2d(4 if join == "cat" else 2, 1, 3)

    def forward(self, x):
        a, b = self.long(x), self.short(x)
        return self.after(torch.cat([a, b], 1) if self.join == "cat" else a + b)


@pytest.mark.parametrize("join", ["add", "cat"])
def test_a_join_of_uneven_paths_sees_the_square_that_holds_both(join):
    model = TwoPaths(join)
    fields = {f.name: f for f in shapes.receptive_fields(model)}
    assert fields[join].size == max(fields["long.2"].size, fields["short"].size) == 9
    for module, name in [("long", "long.2"), ("short", "short"), ("after", "after")]:
        centre, rows, cols = support_in(model, module, 41, channels=1)
        assert rows == cols == fields[name].square(centre)
    table = shapes.layer_table(model, (1, 41, 41))
    assert {r.name: r.output_shape for r in table.rows}[join] == ((4 if join == "cat" else 2), 21, 21)
