"""Widget wiring: live controls redraw, browser-side forms hold one frame per stamp."""

import ipywidgets as W
import numpy as np
import pytest
import torch

from cnnlib import conv, viz, widgets
from cnnlib.shapes import conv_output_size


def test_moving_the_step_slider_redraws_the_live_figure():
    ex = widgets.StampingExplorer()
    figure_objects = len(ex.artists.canvas.fig.findobj())
    x, w = widgets.example_input(), widgets.example_kernel()
    stamps = list(conv.stamps(x, w))
    for step in (3, 11, len(stamps) - 1):
        first_png = ex.image.value
        ex.step.value = step
        assert ex.image.value != first_png
        s = stamps[step]
        assert ex.artists.window.get_xy() == (s.left - 0.5, s.top - 0.5)
        assert ex.artists.output.texts[s.row][s.col].get_text() == viz.label(s.total)
    assert len(ex.artists.canvas.fig.findobj()) == figure_objects  # same figure, only data changed


def test_live_settings_change_the_output_size():
    ex = widgets.StampingExplorer()
    ex.stride.value, ex.padding.value = 2, 1
    size = conv_output_size(7, 3, 2, 1)
    assert ex.step.max == size * size - 1 and ex.play.max == ex.step.max
    assert ex.artists.output.image.get_array().shape == (size, size)
    ex.kernel_kind.value = "random integers"
    assert [[t.get_text() for t in row] for row in ex.artists.kernel.texts] == \
        [[viz.label(float(v)) for v in row] for row in widgets.example_kernel("random integers")[0, 0]]


@pytest.mark.parametrize("stride, padding", widgets.STAMP_PRESETS)
def test_static_frames_are_one_per_stamp_and_match_the_live_drawing(stride, padding):
    x, w = widgets.example_input(), widgets.example_kernel()
    frames = widgets.stamping_frames(x, w, stride, padding)
    assert len(frames) == conv_output_size(7, 3, stride, padding) ** 2
    ex = widgets.StampingExplorer(palette=True)
    ex.stride.value, ex.padding.value = stride, padding
    for step in range(len(frames)):
        ex.step.value = step
        assert ex.image.value == frames[step]


def test_animation_links_play_slider_and_frames_in_the_browser():
    anim = widgets.Animation([b"a", b"b", b"c"])
    assert anim.play.max == anim.slider.max == 2
    assert len(anim.stack.children) == 3
    pairs = {(l.source[0].model_id, l.source[1], l.target[0].model_id, l.target[1]) for l in anim.links}
    assert (anim.play.model_id, "value", anim.slider.model_id, "value") in pairs
    assert (anim.slider.model_id, "value", anim.stack.model_id, "selected_index") in pairs


def test_stamping_animation_has_every_preset_and_fits_the_page_budget():
    anim = widgets.stamping_animation()
    assert anim.labels == [f"stride {s}, padding {p}" for s, p in widgets.STAMP_PRESETS]
    for (s, p), child in zip(widgets.STAMP_PRESETS, anim.stack.children):
        assert len(child.frames) == conv_output_size(7, 3, s, p) ** 2
    assert all(widgets.payload_bytes(a) * 4 / 3 < 1_000_000 for a in anim.stack.children)  # base64


def test_multichannel_animation_output_depth_and_frames():
    anim = widgets.multichannel_animation(counts=(1, 3))
    per_kernel = conv_output_size(5, 3) ** 2
    assert [len(a.frames) for a in anim.stack.children] == [1 * per_kernel, 3 * per_kernel]
    assert all(widgets.payload_bytes(a) * 4 / 3 < 1_000_000 for a in anim.stack.children)


def test_multichannel_explorer_steps_through_every_kernel():
    ex = widgets.MultiChannelExplorer()
    ex.kernels.value = 3
    per_kernel = conv_output_size(5, 3) ** 2
    assert ex.step.max == 3 * per_kernel - 1
    ex.step.value = 2 * per_kernel + 4
    stamp = ex.stamps[ex.step.value]
    assert stamp.kernel == 2
    assert ex.artists.outputs[2].texts[stamp.row][stamp.col].get_text() == viz.label(stamp.total)


def test_output_size_explorer_follows_its_controls():
    ex = widgets.OutputSizeExplorer()
    assert "= <b>5</b>" in ex.text.value
    ex.i.value, ex.k.value, ex.s.value, ex.p.value = 10, 3, 4, 0
    assert "= <b>2</b>" in ex.text.value and "[3, 7, 8, 9]" in ex.text.value
    assert "kernel_size=3, stride=4, padding=0" in ex.text.value
    ex.i.value, ex.k.value, ex.p.value = 2, 7, 0
    assert "larger than the padded input" in ex.text.value and ex.image.layout.display == "none"


def test_parameter_counter_follows_its_controls():
    counter = widgets.ParameterCounter(c_out=64, c_in=32, k=3)
    assert "<b>18,432</b>" in counter.text.value and "<b>18,496</b>" in counter.text.value
    counter.k.value = 5
    assert "<b>51,264</b>" in counter.text.value


def test_feature_maps_widget_has_one_picture_per_image():
    w = widgets.feature_maps_widget({"noise": torch.rand(20, 20), "photo": widgets.sample_photo(64)})
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
    (lambda: widgets.OutputSizeExplorer(i=33), r"i \(input size\) must be between 1 and 32, got 33"),
    (lambda: widgets.OutputSizeExplorer(p=True), r"p \(padding per side\) must be an integer, got True"),
])
def test_explorers_refuse_values_their_controls_cannot_show(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_the_explorers_cover_the_books_own_cases():
    ex = widgets.OutputSizeExplorer(i=28, k=3, s=1, p=1)  # the note's first layer
    assert ex.i.value == 28 and "= <b>28</b>" in ex.text.value
    counter = widgets.ParameterCounter(c_out=64, c_in=32, k=3)  # the note's second layer
    assert "18,496" in counter.text.value
    assert all(s.style.description_width == "initial" for s in (counter.c_out, counter.c_in, counter.k))


def test_an_error_while_redrawing_shows_its_message_and_hides_the_stale_picture(monkeypatch):
    ex = widgets.StampingExplorer()
    assert ex.image.layout.display is None and ex.message.value == ""

    def broken(i):
        raise RuntimeError("the renderer failed")

    monkeypatch.setattr(ex.steps, "jpeg", broken)
    ex.step.value = 3
    assert "the renderer failed" in ex.message.value and ex.image.layout.display == "none"
    monkeypatch.undo()
    ex.stride.value = 2  # new settings draw again and clear the message
    assert ex.message.value == "" and ex.image.layout.display is None


def test_the_output_size_explorer_shows_the_error_and_no_picture_for_a_kernel_too_large():
    ex = widgets.OutputSizeExplorer(i=3, k=3, s=1, p=0)
    ex.k.value = 7  # larger than the padded input 3
    assert "k (kernel size) = 7 is larger than the padded input" in ex.text.value
    assert ex.image.layout.display == "none"
    ex.p.value = 2
    assert ex.image.layout.display is None
