"""Drawings hold the numbers that cnnlib.conv.stamps computed."""

import numpy as np
import pytest
import torch

from cnnlib import conv, viz
from cnnlib.models import ConvolutionalNeuralNetworkClass
from cnnlib.shapes import conv_output_size, layer_table


def texts(grid):
    return [[t.get_text() for t in row] for row in grid.texts]


def labels(values):
    return [[viz.label(float(v)) for v in row] for row in np.asarray(values, dtype=float)]


@pytest.mark.parametrize("stride, padding", [(1, 0), (2, 0), (1, 1), (2, 1), (3, 2)])
def test_stamping_artists_hold_every_stamps_numbers(stride, padding):
    gen = torch.Generator().manual_seed(stride * 10 + padding)
    x = torch.randint(0, 10, (1, 7, 7), generator=gen).float()
    w = torch.randint(-2, 3, (1, 1, 3, 3), generator=gen).float()
    art = viz.draw_stamping(x, w, stride, padding)
    assert texts(art.input) == labels(conv.pad(x, padding)[0])
    assert texts(art.kernel) == labels(w[0, 0])
    out_size = conv_output_size(7, 3, stride, padding)
    assert art.output.image.get_array().shape == (out_size, out_size)
    all_stamps = list(conv.stamps(x, w, stride=stride, padding=padding))
    for i, (stamp, output) in enumerate(zip(all_stamps, viz.stamp_outputs(all_stamps, (1, out_size, out_size)))):
        viz.update_stamping(art, stamp, output)
        assert art.window.get_xy() == (stamp.left - 0.5, stamp.top - 0.5)
        assert art.cell.get_xy() == (stamp.col - 0.5, stamp.row - 0.5)
        assert texts(art.products) == labels(stamp.products[0])
        shown = texts(art.output)
        filled = [(r, c) for r in range(out_size) for c in range(out_size) if shown[r][c] != ""]
        assert len(filled) == i + 1  # cells not yet computed stay empty
        assert shown[stamp.row][stamp.col] == viz.label(stamp.total)
        assert art.equation.get_text().endswith(f"= {viz.label(stamp.total)}")
        assert art.output.image.get_array()[stamp.row, stamp.col] == viz.CURRENT
    final = conv.conv2d(x, w, stride=stride, padding=padding)[0]
    assert texts(art.output) == labels(final)


def test_padding_cells_are_drawn_differently():
    art = viz.draw_stamping(torch.ones(1, 7, 7), torch.ones(1, 1, 3, 3), padding=2)
    states = art.input.image.get_array()
    assert states.shape == (11, 11)
    assert (states[:2] == viz.PADDING).all() and (states[2:9, 2:9] == viz.PLAIN).all()


def test_update_only_changes_existing_artists():
    x, w = torch.ones(1, 7, 7), torch.ones(1, 1, 3, 3)
    art = viz.draw_stamping(x, w)
    before = len(art.canvas.fig.findobj())
    stamps = list(conv.stamps(x, w))
    outputs = list(viz.stamp_outputs(stamps, (1, 5, 5)))
    for s, o in zip(stamps, outputs):
        viz.update_stamping(art, s, o)
        viz.render_png(art.canvas)
    assert len(art.canvas.fig.findobj()) == before


def test_render_matches_a_full_redraw():
    """Blitting only the moving artists gives the same picture as drawing everything again."""
    x, w = torch.arange(49.0).reshape(1, 7, 7), torch.ones(1, 1, 3, 3)
    art = viz.draw_stamping(x, w, 2, 1)
    stamps = list(conv.stamps(x, w, stride=2, padding=1))
    outputs = list(viz.stamp_outputs(stamps, (1, 4, 4)))
    viz.update_stamping(art, stamps[5], outputs[5])
    art.window.set_visible(False)  # its translucent fill lies over the still input texts when blitted
    viz.render_png(art.canvas)
    blitted = np.asarray(art.canvas.agg.buffer_rgba()).copy()
    for a in art.canvas.moving:
        a.set_animated(False)
    art.canvas.agg.draw()
    full = np.asarray(art.canvas.agg.buffer_rgba())
    assert np.abs(blitted.astype(int) - full.astype(int)).max() <= 2


@pytest.mark.parametrize("kernels, stride, padding", [(1, 1, 0), (2, 1, 1), (3, 2, 1)])
def test_multichannel_artists_hold_channel_sums_and_outputs(kernels, stride, padding):
    gen = torch.Generator().manual_seed(kernels)
    x = torch.randint(0, 5, (3, 5, 5), generator=gen).float()
    w = torch.randint(-1, 2, (kernels, 3, 3, 3), generator=gen).float()
    b = torch.arange(kernels).float()
    art = viz.draw_multichannel(x, w, b, stride, padding)
    assert len(art.outputs) == kernels  # the output depth equals K
    all_stamps = list(conv.stamps(x, w, b, stride, padding))
    o = conv_output_size(5, 3, stride, padding)
    for stamp, output in zip(all_stamps, viz.stamp_outputs(all_stamps, (kernels, o, o))):
        viz.update_multichannel(art, stamp, output)
        for c in range(3):
            assert texts(art.kernels[c]) == labels(w[stamp.kernel, c])
            assert texts(art.products[c]) == labels(stamp.products[c])
            assert art.sums[c].get_text() == f"sum {viz.label(float(stamp.channel_sums[c]))}"
        assert texts(art.outputs[stamp.kernel])[stamp.row][stamp.col] == viz.label(stamp.total)
        assert f"bias {viz.signed(stamp.bias)} = {viz.label(stamp.total)}" in art.equation.get_text()
    final = conv.conv2d(x, w, b, stride, padding)
    for k in range(kernels):
        assert texts(art.outputs[k]) == labels(final[k])


def test_param_bars_show_each_layer_with_parameters():
    table = layer_table(ConvolutionalNeuralNetworkClass(), (1, 28, 28))
    fig = viz.draw_param_bars(table)
    bars = fig.axes[0].patches
    assert [b.get_width() for b in bars] == [320, 18_496, 3_212_288, 131_200, 1_290]


def test_feature_maps_drawing_has_the_input_and_one_panel_per_map():
    image = torch.rand(12, 10)
    maps = conv.feature_maps(image, conv.classic_kernels())
    fig = viz.draw_feature_maps(image, maps)
    pictures = [ax for ax in fig.axes if not hasattr(ax, "_colorbar")]
    assert [ax.get_title() for ax in pictures] == ["input", *maps]
    assert len(fig.axes) - len(pictures) == len(maps)  # a colour bar per map: which grey is 0
    for name, kernel in conv.classic_kernels().items():
        expected = conv.conv2d(image[None], kernel[None, None], padding=1)[0]
        torch.testing.assert_close(maps[name], expected)


def test_training_drawings_show_the_numbers_they_are_given():
    history = [{"epoch": e, "train_loss": 1 / e, "train_acc": 0.5 + e / 10, "test_loss": 1.2 / e,
                "test_acc": 0.55 + e / 10, "seconds": 1.0} for e in (1, 2, 3)]
    fig = viz.draw_history(history)
    ax_loss, ax_acc = fig.axes
    assert list(ax_acc.lines[1].get_ydata()) == pytest.approx([0.65, 0.75, 0.85])
    counts = np.array([[5, 1], [2, 7]])
    conf = viz.draw_confusion(counts, ["a", "b"])
    assert [t.get_text() for t in conf.axes[0].texts] == ["5", "1", "2", "7"]
    ex = viz.draw_examples(np.zeros((3, 4, 4)), [0, 1, 1], [0, 0, 1], ["a", "b"], columns=3)
    assert [ax.get_title() for ax in ex.axes] == ["true: a", "true: b", "true: b"]
    assert [ax.texts[0].get_text() for ax in ex.axes] == ["predicted: a", "predicted: a", "predicted: b"]
    assert ex.axes[1].title.get_color() == ex.axes[1].texts[0].get_color() == "#c92a2a"


def test_layer_costs_use_the_table_flops_and_output_sizes():
    table = layer_table(ConvolutionalNeuralNetworkClass(), (1, 28, 28))
    fig = viz.draw_layer_costs(table, batch=2)
    flops_bars, memory_bars = fig.axes[0].patches, fig.axes[1].patches
    rows = [r for r in table.rows if r.kind != "ReLU"]
    assert [b.get_width() for b in flops_bars] == pytest.approx([2 * r.flops / 1e6 for r in rows])
    assert memory_bars[0].get_width() == pytest.approx(4 * 2 * 32 * 28 * 28 / 1e6)


def book_figures():
    """Every kind of figure the book shows, at the largest settings its pages and explorers use."""
    x = torch.randint(0, 10, (1, 7, 7)).float()
    w = torch.ones(1, 1, 3, 3)
    table = layer_table(ConvolutionalNeuralNetworkClass(), (1, 28, 28))
    image = torch.rand(28, 28)
    history = [{"epoch": e, "train_loss": 1.0, "train_acc": 0.5, "test_loss": 1.0, "test_acc": 0.5, "seconds": 1.0}
               for e in range(1, 6)]
    figures = {f"stamping stride {s} padding {p}": viz.draw_stamping(x, w, s, p).canvas.fig
               for s in (1, 2, 3) for p in (0, 1, 2)}
    figures |= {f"{k} kernels over 3 channels": viz.draw_multichannel(torch.rand(3, 5, 5), torch.rand(k, 3, 3, 3),
                                                                       torch.zeros(k)).canvas.fig
                for k in (1, 2, 3)}
    figures |= {f"3 channels, padding {p}": viz.draw_multichannel(torch.rand(3, 5, 5), torch.rand(3, 3, 3, 3),
                                                                   torch.zeros(3), 1, p).canvas.fig
                for p in (1, 2)}
    figures |= {
        "parameter bars": viz.draw_param_bars(table),
        "feature maps": viz.draw_feature_maps(image, conv.feature_maps(image, conv.classic_kernels())),
        "flattening": viz.draw_flattening(image, torch.randperm(28 * 28)),
        "panels": viz.draw_panels(torch.rand(32, 3, 3), "kernels", signed=True),
        "pipeline": viz.draw_pipeline(table),
        "history": viz.draw_history(history),
        "confusion": viz.draw_confusion(np.ones((10, 10), dtype=int), [f"class {i}" for i in range(10)]),
        "examples": viz.draw_examples(np.zeros((18, 28, 28)), [0] * 18, [1] * 18, ["a", "b"]),
        "layer costs": viz.draw_layer_costs(table),
        "accuracy lines": viz.draw_accuracy_lines(range(5), {"a": [0.5] * 5}, "shift"),
        "convolution matrix": viz.draw_conv_matrix(torch.ones(3, 3), (7, 7)),
        "convolution matrix, padded": viz.draw_conv_matrix(torch.ones(4, 4), (9, 9), padding=1),
    }
    return figures


def test_every_figure_fits_the_books_text_column():
    limit = viz.PAGE_WIDTH * viz.DPI
    for name, fig in book_figures().items():
        width = fig.get_size_inches()[0] * fig.dpi
        assert width <= limit + 0.5, f"{name} is {width:.0f} px wide, the page shows {limit:.0f}: it would be shrunk"


def test_kernel_learning_artists_show_the_step_kernel_and_loss():
    target = torch.tensor([[1.0, 0.0, -1.0]] * 3)
    art = viz.draw_kernel_learning(target, [10.0, 1.0, 0.1])
    viz.update_kernel_learning(art, 2, torch.tensor([[0.96, -0.04, -1.0]] * 3), 0.1)
    assert [t.get_text() for t in art.kernel.texts[0]] == ["0.96", "-0.04", "-1.00"]
    assert art.marker.get_data()[0][0] == 2 and art.marker.get_data()[1][0] == 0.1
    assert art.title.get_text() == "kernel, step 2"


def test_panels_share_one_colour_scale_with_its_bar():
    kernels = torch.tensor([[[1.0, -1.0]], [[0.5, 0.25]]])  # (2, 1, 2)
    fig = viz.draw_panels(kernels, "kernels", signed=True)
    images = [ax.images[0] for ax in fig.axes if ax.images]
    assert [im.get_clim() for im in images] == [(-1.0, 1.0), (-1.0, 1.0)]  # one scale, 0 in the middle
    assert sum(hasattr(ax, "_colorbar") for ax in fig.axes) == 1
    fixed = viz.draw_panels(kernels * 0.1, "a small change", signed=True, limit=1.0)
    assert all(ax.images[0].get_clim() == (-1.0, 1.0) for ax in fixed.axes if ax.images)
    grey = viz.draw_panels(torch.tensor([[[0.0, 2.0]], [[1.0, 3.0]]]), "maps")
    assert all(ax.images[0].get_clim() == (0.0, 3.0) for ax in grey.axes if ax.images)
    with pytest.raises(ValueError, match="signed=True"):
        viz.draw_panels(kernels, limit=1.0)
    with pytest.raises(ValueError, match="limit"):
        viz.draw_panels(kernels, signed=True, limit=0)


def test_the_convolution_matrix_picture_colours_each_weight_where_conv_matrix_puts_it():
    kernel = torch.tensor([[1.0, 2.0, 3.0], [-1.0, -2.0, -3.0], [4.0, -4.0, 5.0]])
    fig = viz.draw_conv_matrix(kernel, (7, 7))
    small, big = (ax.images[0].get_array() for ax in fig.axes if ax.images)
    assert small.shape == (3, 3) and big.shape == (25, 49)
    weights = conv.conv_matrix(kernel[None, None], (1, 7, 7))         # (25, 49)
    assert np.array_equal(big != 0, weights.numpy() != 0)              # white exactly where the matrix holds 0
    for u, v in [(0, 0), (1, 2), (2, 1)]:                              # one colour per weight, wherever it sits
        number = small[u, v]
        assert np.all(weights.numpy()[big == number] == kernel[u, v].item())
    assert "25 outputs × 49 inputs" in fig.axes[1].get_title()
