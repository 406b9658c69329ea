"""Widget wiring: live controls redraw, browser-side forms hold one frame per stamp."""

import ipywidgets as W
import numpy as np
import pytest
import torch

from cnnlib import conv, viz, widgets
from cnnlib.data import Data
from cnnlib.models import ConvolutionalNeuralNetworkClass, GlobalAveragePoolingCNN, ResidualCNN
from cnnlib.shapes import conv_output_size, receptive_fields


def test_the_stamping_explorer_carries_cnnlibs_inputs_and_kernels():
    ex = widgets.StampingExplorer(input="a vertical edge", kernel="sharpen", size=5, stride=2, padding=1)
    assert ex.x == widgets.example_input("a vertical edge", 5)[0].tolist()
    assert ex.w == widgets.example_kernel("sharpen")[0, 0].tolist()
    assert sorted(ex.kernels) == sorted(widgets.KERNEL_NAMES) and sorted(ex.inputs) == sorted(widgets.INPUT_KINDS)
    low, high = widgets.STAMPING_LIMITS["size"]
    for kind, grids in ex.inputs.items():  # one grid per size the explorer offers
        assert [len(g) for g in grids] == list(range(low, high + 1))
        assert grids[6] == widgets.example_input(kind, 7)[0].tolist()
    assert torch.equal(ex.output(), conv.conv2d(widgets.example_input("a vertical edge", 5),
                                                widgets.example_kernel("sharpen"), stride=2, padding=1))
    ex.x = [[1.0, 2.0], [3.0, 4.0]]  # what the browser sends back after edits
    ex.w, ex.stride, ex.padding = [[1.0]], 1, 0
    assert ex.output().tolist() == [[[1.0, 2.0], [3.0, 4.0]]]


@pytest.mark.parametrize("stride, padding", widgets.STAMP_PRESETS)
def test_static_frames_are_one_per_stamp(stride, padding):
    x, w = widgets.example_input(), widgets.example_kernel()
    frames = widgets.stamping_frames(x, w, stride, padding)
    assert len(frames) == conv_output_size(7, 3, stride, padding) ** 2
    assert len(set(frames)) == len(frames)  # every step draws something new


def test_animation_links_play_slider_and_frames_in_the_browser():
    anim = widgets.Animation([b"a", b"b", b"c"])
    assert anim.play.max == anim.slider.max == 2
    assert len(anim.stack.children) == 3
    pairs = {(l.source[0].model_id, l.source[1], l.target[0].model_id, l.target[1]) for l in anim.links}
    assert (anim.play.model_id, "value", anim.slider.model_id, "value") in pairs
    assert (anim.slider.model_id, "value", anim.stack.model_id, "selected_index") in pairs


def test_stamping_animation_has_every_preset_and_fits_the_page_budget():
    anim = widgets.stamping_animation().english  # the Korean one: tests/test_words.py
    assert anim.labels == [f"stride {s}, padding {p}" for s, p in widgets.STAMP_PRESETS]
    for (s, p), child in zip(widgets.STAMP_PRESETS, anim.stack.children):
        assert len(child.frames) == conv_output_size(7, 3, s, p) ** 2
    assert all(widgets.payload_bytes(a) * 4 / 3 < 1_000_000 for a in anim.stack.children)  # base64


def test_multichannel_animation_output_depth_and_frames():
    anim = widgets.multichannel_animation(counts=(1, 3)).english
    per_kernel = conv_output_size(5, 3) ** 2
    assert [len(a.frames) for a in anim.stack.children] == [1 * per_kernel, 3 * per_kernel]
    assert all(widgets.payload_bytes(a) * 4 / 3 < 1_000_000 for a in anim.stack.children)


def test_the_multichannel_explorer_slices_the_largest_case():
    ex = widgets.MultiChannelExplorer(c_in=2, c_out=3, stride=2, padding=1)
    x, w, b = widgets.example_multichannel(kernels=3)
    assert ex.x == x.tolist() and ex.w == w.tolist() and ex.b == b.tolist()
    assert torch.equal(ex.output(), conv.conv2d(x[:2], w[:3, :2], b, 2, 1))


def test_the_output_size_explorer_and_the_counter_compute_with_cnnlib():
    ex = widgets.OutputSizeExplorer(i=10, k=3, s=4, p=0)
    assert ex.output_size() == 2 and ex.limits == widgets.OUTPUT_SIZE_LIMITS
    assert widgets.OutputSizeExplorer(i=7, k=3, d=2).output_size() == 3  # taps 2 apart span 5 of the 7 cells
    counter = widgets.ParameterCounter(c_out=64, c_in=32, k=3)
    assert counter.count().total == 18_496


def test_every_explorer_ships_the_browser_module_and_its_style():
    for ex in (widgets.StampingExplorer(), widgets.MultiChannelExplorer(), widgets.OutputSizeExplorer(),
               widgets.ParameterCounter()):
        assert ex._esm == widgets.module_text() and ex._css == widgets.STYLE.read_text()
        assert ex._esm.startswith((widgets.MODULES_DIR / "korean.js").read_text())  # the particles t() uses, first
        assert "export default" in ex._esm and ex.kind in ex._esm  # the module draws this kind
        assert "runs in the browser" in repr(ex)  # a fixed text, so nbval can compare it


def test_feature_maps_widget_has_one_picture_per_image():
    w = widgets.feature_maps_widget({"noise": torch.rand(20, 20), "photo": widgets.sample_photo(64)}).english
    assert w.labels == ["noise", "photo"]
    assert all(isinstance(c, W.Image) and bytes(c.value).startswith(b"\x89PNG") for c in w.stack.children)


def test_bad_example_names_are_value_errors():
    with pytest.raises(ValueError, match="kind must be"):
        widgets.example_input("stripes")
    with pytest.raises(ValueError, match="kind must be"):
        widgets.example_kernel("emboss")


# Pictures refuse what they cannot draw truthfully; explorers refuse what they cannot show.

def test_the_one_channel_stamping_picture_refuses_more_channels_or_kernels():
    x3, w3 = torch.ones(3, 5, 5), torch.ones(1, 3, 3, 3)
    with pytest.raises(ValueError, match=r"one kernel \(1, 1, N, N\) over one channel.*draw_multichannel"):
        widgets.stamping_steps(x3, w3)  # would draw "nine ones add up to 27"
    with pytest.raises(ValueError, match="one kernel"):
        widgets.stamping_steps(torch.ones(1, 5, 5), torch.ones(2, 1, 3, 3))  # kernel 0 beside kernel 1's products
    with pytest.raises(ValueError, match="x has 3 channels but the kernels w have depth 1"):
        widgets.multichannel_steps(x3, torch.ones(2, 1, 3, 3))


def test_integer_images_are_refused_rather_than_cut_short():
    with pytest.raises(ValueError, match=r"x must hold floating-point numbers, got torch.int64; .*x.float\(\)"):
        conv.conv2d(torch.ones(1, 5, 5, dtype=torch.long), torch.ones(1, 1, 3, 3))
    with pytest.raises(ValueError, match="w must hold floating-point numbers, got torch.bool"):
        conv.conv2d(torch.ones(1, 5, 5), torch.ones(1, 1, 3, 3, dtype=torch.bool))


def test_steps_keep_no_output_copy_per_step_and_are_capped():
    steps = widgets.stamping_steps(widgets.example_input(), widgets.example_kernel())
    assert not hasattr(steps, "outputs")
    final = steps.output_at(len(steps) - 1)
    for i, stamp in enumerate(steps.stamps):  # the output so far: filled up to this stamp, NaN after
        now = steps.output_at(i)
        assert now[stamp.kernel, stamp.row, stamp.col] == stamp.total
        assert np.isnan(now).sum() == final.size - (i + 1)
    big = torch.zeros(1, 48, 48)
    with pytest.raises(ValueError, match="2,116 stamps, more than the 2,000"):
        widgets.stamping_steps(big, widgets.example_kernel())
    with pytest.raises(ValueError, match="784 stamps would carry 784 pictures, more than 400"):
        widgets.stamping_frames(torch.zeros(1, 28, 28), widgets.example_kernel(), padding=1)


@pytest.mark.parametrize("make, message", [
    (lambda: widgets.ParameterCounter(c_out=1000), r"c_out \(number of kernels\) must be between 1 and 512, got 1000"),
    (lambda: widgets.ParameterCounter(c_in=0), r"c_in \(input channels\) must be between 1 and 512, got 0"),
    (lambda: widgets.ParameterCounter(k=2.5), r"k \(kernel size\) must be an integer, got 2.5"),
    (lambda: widgets.OutputSizeExplorer(s=1.5), r"s \(stride\) must be an integer, got 1.5"),
    (lambda: widgets.OutputSizeExplorer(i=65), r"i \(input size\) must be between 1 and 64, got 65"),
    (lambda: widgets.OutputSizeExplorer(p=True), r"p \(padding per side\) must be an integer, got True"),
    (lambda: widgets.StampingExplorer(input="stripes"), r"input must be one of"),
    (lambda: widgets.StampingExplorer(kernel="emboss"), r"kernel must be one of"),
    (lambda: widgets.StampingExplorer(size=10), r"size must be between 1 and 9, got 10"),
    (lambda: widgets.MultiChannelExplorer(c_out=4), r"c_out must be between 1 and 3, got 4"),
])
def test_explorers_refuse_values_their_controls_cannot_show(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_the_explorers_cover_the_books_own_cases():
    cases = [(7, 3, 1, 0), (28, 5, 1, 2), (32, 3, 2, 1), (28, 3, 1, 1), (10, 7, 1, 3)]  # as the chapters discuss
    for i, k, s, p in cases:
        assert widgets.OutputSizeExplorer(i, k, s, p).output_size() == conv_output_size(i, k, s, p)
    counter = widgets.ParameterCounter(c_out=512, c_in=512, k=7)
    assert counter.count().total == 512 * 512 * 49 + 512


def test_the_receptive_field_explorer_carries_cnnlibs_fields():
    from cnnlib.models import ConvolutionalNeuralNetworkClass
    from cnnlib.shapes import receptive_fields
    ex = widgets.ReceptiveFieldExplorer(torch.rand(28, 28), ConvolutionalNeuralNetworkClass())
    fields = {f.name: f for f in receptive_fields(ConvolutionalNeuralNetworkClass())}
    assert [l["name"] for l in ex.layers] == [n for n in fields if n.startswith(("conv2d", "maxpool2d"))]
    for layer in ex.layers:
        assert (layer["size"], layer["jump"], layer["start"]) == (fields[layer["name"]].size,
                                                                  fields[layer["name"]].jump,
                                                                  fields[layer["name"]].start)
    ex.layer, ex.unit = ex.layers[0]["name"], [0, 3]
    assert ex.square() == (fields[ex.layer].square(0)[0], fields[ex.layer].square(3)[0], fields[ex.layer].size)
    with pytest.raises(ValueError, match="square grey image"):
        widgets.ReceptiveFieldExplorer(torch.rand(28, 20), ConvolutionalNeuralNetworkClass())


# --- the network explorer ---------------------------------------------------------------------

def trained_looking_gap_cnn():
    """A small modern CNN whose batch norms hold running statistics, as after training."""
    torch.manual_seed(0)
    model = GlobalAveragePoolingCNN(xdim=(1, 12, 12), cdims=(4, 8), depth=2, ydim=3)
    with torch.no_grad():
        model.train()(torch.randn(64, 1, 12, 12) * 2 + 1)
    return model.eval()


def small_data(n=60):
    gen = torch.Generator().manual_seed(1)
    x = torch.rand(n, 1, 12, 12, generator=gen)
    raw = (x * 255).round() / 255  # pixels that bytes can hold exactly
    mean, std = 0.3, 0.4
    y = torch.arange(n) % 3
    return Data("toy", ["a", "b", "c"], (raw - mean) / std, y, (raw - mean) / std, y, mean, std)


def test_the_network_rebuilt_from_the_explorers_layers_is_the_model():
    model = trained_looking_gap_cnn()
    specs, numbers = widgets.network_layers(model, (1, 12, 12))
    rebuilt = widgets.network_from_layers(specs, numbers)
    x = torch.randn(5, 1, 12, 12)
    with torch.no_grad():
        assert torch.equal(rebuilt(x), model(x))
    running = sum(b.numel() for name, b in model.named_buffers() if "running" in name)  # batch norm's statistics
    assert len(numbers) == sum(p.numel() for p in model.parameters()) + running
    assert [s["kind"] for s in specs][:3] == ["Conv2d", "BatchNorm2d", "ReLU"]


def test_the_explorer_sends_float16_numbers_cnnlibs_fields_and_the_test_images_as_bytes():
    model, data = trained_looking_gap_cnn(), small_data()
    explorer = widgets.NetworkExplorer(model, data, per_class=4)
    assert explorer._esm == widgets.module_text(network=True)  # the explorers' files, then network.js
    specs, numbers = widgets.network_layers(model, (1, 12, 12))
    assert torch.equal(widgets.decode_numbers(explorer.weights), numbers.half().float())
    fields = {f.name: f for f in receptive_fields(model)}
    for spec in explorer.layers:
        field = fields.get(spec["name"])
        assert spec["field"] == (dict(size=field.size, jump=field.jump, start=field.start) if field else None)
    assert explorer.labels == [0] * 4 + [1] * 4 + [2] * 4  # the first four of each class, class by class
    index = [0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11]
    assert torch.allclose(widgets.decode_images(explorer.images, explorer.xdim, explorer.mean, explorer.std),
                          data.test_x[index], atol=1e-6)
    x = data.test_x[:8]
    with torch.no_grad():
        gap = (explorer.model()(x) - model(x)).abs().max().item()
    assert 0 < gap < 0.05  # float16 rounding: small, and not nothing


def test_the_explorer_names_a_layer_it_cannot_compute_and_a_network_that_is_not_a_chain():
    with pytest.raises(ValueError, match="layer '1' \\(Tanh\\) is not one the network explorer computes"):
        widgets.network_layers(torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.Tanh()), (1, 8, 8))
    with pytest.raises(ValueError, match="computes a chain of layers"):
        widgets.network_layers(ResidualCNN(cdims=(4,), blocks=1), (1, 28, 28))
    with pytest.raises(ValueError, match="dilation"):
        widgets.network_layers(torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3, dilation=2)), (1, 8, 8))


def test_float16_check_counts_the_predictions_rounding_changes():
    model, data = trained_looking_gap_cnn(), small_data()
    head = model.net[-1]  # three class rows that differ by less than float16 can tell apart: near ties
    with torch.no_grad():
        head.weight.copy_(torch.randn(head.weight.shape[1]) + 1e-4 * torch.randn_like(head.weight))
        head.bias.zero_()
    changed, n, acc32, acc16 = widgets.float16_check(model, data)
    rounded = widgets.NetworkExplorer(model, data).model()
    with torch.no_grad():
        exact, coarse = model(data.test_x).argmax(1), rounded(data.test_x).argmax(1)
    assert n == 60 and changed == int((exact != coarse).sum()) > 0
    assert acc32 == pytest.approx((exact == data.test_y).float().mean().item())
    assert acc16 == pytest.approx((coarse == data.test_y).float().mean().item())


def test_the_explorer_refuses_a_network_whose_end_the_page_cannot_draw():
    with pytest.raises(ValueError, match="network explorer"):
        widgets.network_layers(ConvolutionalNeuralNetworkClass(dropout=0), (1, 28, 28))
    plain = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.Flatten(), torch.nn.Linear(2 * 6 * 6, 3))
    with pytest.raises(ValueError, match="must end as the network explorer draws it"):
        widgets.network_layers(plain, (1, 8, 8))
    with pytest.raises(ValueError, match="grey images"):
        widgets.NetworkExplorer(trained_looking_gap_cnn(), Data("rgb", ["a"], torch.zeros(2, 3, 12, 12),
                                torch.zeros(2).long(), torch.zeros(2, 3, 12, 12), torch.zeros(2).long(), 0.5, 0.2))


def test_pooling_written_with_pairs_and_layers_without_bias_or_affine_are_sent_as_numbers():
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3, padding=(1, 1), bias=False),
                                torch.nn.BatchNorm2d(2, affine=False), torch.nn.ReLU(),
                                torch.nn.MaxPool2d((2, 2), padding=(0, 0)), torch.nn.AdaptiveAvgPool2d((1, 1)),
                                torch.nn.Flatten(), torch.nn.Linear(2, 3)).eval()
    specs, numbers = widgets.network_layers(model, (1, 8, 8))
    assert specs[3]["k"] == 2 and specs[3]["stride"] == 2 and specs[0]["padding"] == 1
    x = torch.randn(4, 1, 8, 8)
    with torch.no_grad():
        assert torch.allclose(widgets.network_from_layers(specs, numbers)(x), model(x), atol=1e-6)
