"""Pure drawing: `draw_*` builds a figure and returns its artists, `update_*` only changes them.

Nothing here talks to Jupyter. Figures are plain `matplotlib.figure.Figure` objects (no
pyplot state), so they can be drawn, updated and tested without a browser; the widgets
in `cnnlib.widgets` turn them into pictures.
"""

import io
from dataclasses import dataclass

import numpy as np
import PIL.Image
import torch
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from cnnlib.checks import check_bool, check_instance, check_int, check_labels, check_number, check_permutation
from cnnlib.conv import Stamp, check_conv_args, conv_matrix, pad
from cnnlib.shapes import LayerTable, conv_output_size
from cnnlib.words import translate_figure

__all__ = [  # the public API: every callable here checks its arguments (tests/test_bad_arguments.py)
    "label", "freeze", "render_png", "StampingArtists", "draw_stamping", "signed", "sum_text",
    "update_stamping", "MultiChannelArtists", "draw_multichannel", "update_multichannel",
    "draw_param_bars", "draw_feature_maps", "draw_flattening", "draw_panels", "draw_pipeline", "draw_history",
    "draw_confusion", "draw_examples", "draw_layer_costs", "draw_accuracy_lines", "KernelLearningArtists",
    "draw_kernel_learning", "update_kernel_learning", "draw_conv_matrix",
]

# Cell states, one colour each: the background of every grid of numbers.
PLAIN, PADDING, WINDOW, FILLED, CURRENT = range(5)
STATE_COLORS = ListedColormap(["#ffffff", "#d9d9d9", "#ffe0b3", "#d6e6f5", "#ffb347"])
HIGHLIGHT = "#e8590c"  # outline of the window and of the cell being filled
WINDOW_FILL = (1.0, 0.6, 0.2, 0.3)  # translucent orange over the input under the kernel
DPI = 72  # pictures are drawn for the screen: small files, quick to redraw
PAGE_WIDTH = 9.5  # inches: 684 pixels at DPI, the width of the book's text column


def fit_cells(count, margin, largest):
    """Inches per cell, at most `largest`, so that `count` cells plus `margin` inches fit PAGE_WIDTH."""
    return min(largest, (PAGE_WIDTH - margin) / count)


def label(value):
    """A cell's text: blank for NaN, an integer without decimals, else one decimal."""
    if isinstance(value, float) and np.isnan(value):
        return ""  # a cell not computed yet
    value = check_number("value", value)
    if float(value).is_integer():
        return f"{int(value)}"
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text  # a tiny negative number is not shown as "-0.0"


@dataclass
class Grid:
    """A grid of numbers: coloured cells (one image) and one text per cell."""

    image: object   # AxesImage of cell states (H, W)
    texts: list     # texts[row][col]


def draw_grid(ax, values, states=None, title="", fontsize=10, moving=False):
    """Draw `values` (H, W) as labelled cells coloured by `states` (H, W); NaN cells stay empty.

    `moving=True` marks the cells as animated: a render redraws them when they change, not the rest.
    """
    values = np.asarray(values, dtype=float)
    states = np.full(values.shape, PLAIN) if states is None else np.asarray(states)
    image = ax.imshow(states, cmap=STATE_COLORS, vmin=0, vmax=len(STATE_COLORS.colors) - 1, animated=moving)
    texts = [[ax.text(c, r, label(values[r, c]), ha="center", va="center", fontsize=fontsize, animated=moving)
              for c in range(values.shape[1])] for r in range(values.shape[0])]
    h, w = values.shape
    lines = [[(c - 0.5, -0.5), (c - 0.5, h - 0.5)] for c in range(w + 1)]
    lines += [[(-0.5, r - 0.5), (w - 0.5, r - 0.5)] for r in range(h + 1)]
    ax.add_collection(LineCollection(lines, colors="#888888", linewidths=0.6, clip_on=False, animated=moving))
    ax.set_axis_off()  # no ticks: the cell lines are one artist, cheap to redraw
    ax.set_title(title, fontsize=fontsize + 1)
    return Grid(image, texts)


def update_grid(grid, values, states):
    """Show new `values` and `states` in an existing grid of the same size."""
    if not np.array_equal(grid.image.get_array(), states):
        grid.image.set_data(np.asarray(states))
    for r, row in enumerate(grid.texts):
        for c, text in enumerate(row):
            text.set_text(label(float(values[r][c])))


@dataclass
class Canvas:
    """A figure whose still parts are drawn once; each render redraws only the artists that change.

    Moving artists are the ones marked animated, grouped by the axes they sit in. When the
    groups that changed since the last render (matplotlib marks changed artists stale) are
    the same as last time, only they are redrawn. Otherwise the unchanged moving artists are
    first drawn once into the background, so a grid that changes now and then (a kernel
    slice, another kernel's output) costs nothing on the frames in between.
    """

    fig: Figure
    agg: FigureCanvasAgg
    still: object       # pixels of the still parts alone
    moving: list        # artists marked animated, in drawing order
    groups: list = None  # the moving artists grouped by axes (figure-level ones alone)
    background: object = None  # pixels of the still parts and of the moving artists not in `fast`
    fast: frozenset = frozenset()  # moving artists redrawn on every frame


def freeze(fig):
    """Lay the figure out and draw its still parts once; later renders keep that layout."""
    check_instance("fig", fig, Figure, "a matplotlib Figure, such as a draw_* function returns")
    agg = FigureCanvasAgg(fig)
    agg.draw()  # skips animated artists
    fig.set_layout_engine("none")
    moving = sorted((a for a in fig.findobj() if a.get_animated()), key=lambda a: a.get_zorder())
    by_axes = {}
    for artist in moving:
        by_axes.setdefault(artist.axes if artist.axes is not None else artist, []).append(artist)
    canvas = Canvas(fig, agg, agg.copy_from_bbox(fig.bbox), moving, list(by_axes.values()))
    _restage(canvas, moving)
    return canvas


def _restage(canvas, fast):
    """Draw the moving artists outside `fast` into the background, once."""
    canvas.fast = frozenset(fast)
    canvas.agg.restore_region(canvas.still)
    renderer = canvas.agg.get_renderer()
    for artist in canvas.moving:
        if artist not in canvas.fast:
            artist.draw(renderer)
    canvas.background = canvas.agg.copy_from_bbox(canvas.fig.bbox)


def _redraw(canvas):
    """Bring the canvas up to date, redrawing only the moving artists; returns it as a PIL RGB image."""
    changed = {a for group in canvas.groups if any(a.stale for a in group) for a in group}
    if changed != canvas.fast:
        _restage(canvas, changed)
    canvas.agg.restore_region(canvas.background)
    renderer = canvas.agg.get_renderer()
    for artist in canvas.moving:
        if artist in canvas.fast:
            artist.draw(renderer)
    for artist in canvas.moving:
        artist.stale = False  # all drawn; an empty text or a hidden patch does not clear this itself
    image = PIL.Image.frombuffer("RGBA", canvas.agg.get_width_height(), canvas.agg.buffer_rgba())
    return image.convert("RGB")


def render_png(canvas, palette=False):
    """PNG bytes of the figure as it is now; `palette` trades colour depth for a smaller file."""
    check_instance("canvas", canvas, Canvas, "a Canvas from freeze(fig)")
    check_bool("palette", palette)
    image = _redraw(canvas)
    if palette:
        image = image.quantize(colors=16)
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=6 if palette else 1)
    return buffer.getvalue()


# --- stamping a kernel over one channel ------------------------------------------------------

@dataclass
class StampingArtists:
    """Everything `update_stamping` changes in a stamping figure."""

    canvas: Canvas
    input: Grid       # the padded input, (H+2P, W+2P)
    kernel: Grid      # (K, K)
    products: Grid    # (K, K)
    output: Grid      # (O_h, O_w)
    window: Rectangle  # outline of the kernel on the input
    cell: Rectangle    # outline of the output cell being filled
    equation: object   # Text: the products added up


def padded_states(h, w, padding):
    """Cell states of a padded input: PADDING on the border, PLAIN inside. Shape (H+2P, W+2P)."""
    states = np.full((h + 2 * padding, w + 2 * padding), PADDING)
    states[padding:padding + h, padding:padding + w] = PLAIN
    return states


def draw_stamping(x, w, stride=1, padding=0, language="en"):
    """A figure for stamping kernel w (1, 1, N, N) over x (1, H, W): input, kernel, products, output."""
    check_conv_args(x, w, None, stride, padding)
    if x.shape[0] != 1 or w.shape[0] != 1:
        raise ValueError(f"draw_stamping shows one kernel (1, 1, N, N) over one channel (1, H, W), got x shaped "
                         f"{tuple(x.shape)} and w shaped {tuple(w.shape)}; draw_multichannel shows several "
                         "channels and kernels")
    xp = pad(x, padding)[0].numpy()  # (H+2P, W+2P)
    kernel = w[0, 0].numpy()          # (K, K)
    n = kernel.shape[0]
    out_h = conv_output_size(x.shape[1], n, stride, padding)
    out_w = conv_output_size(x.shape[2], kernel.shape[1], stride, padding)
    xp_states = padded_states(x.shape[1], x.shape[2], padding)
    widths = [xp.shape[1], n, n, out_w]
    cell = fit_cells(sum(widths), margin=1.6, largest=0.42)  # wide inputs get smaller cells
    fig = Figure(figsize=(cell * sum(widths) + 1.6, cell * xp.shape[0] + 1.1), dpi=DPI, layout="constrained")
    axes = fig.subplots(1, 4, width_ratios=widths)
    fig.get_layout_engine().set(w_pad=0.08)
    title = f"input {x.shape[1]}x{x.shape[2]}, padding {padding}, stride {stride}"
    parts = dict(
        input=draw_grid(axes[0], xp, xp_states, title),
        kernel=draw_grid(axes[1], kernel, title=f"kernel {n}x{n}"),
        products=draw_grid(axes[2], np.full((n, n), np.nan), title="input x kernel", moving=True),
        output=draw_grid(axes[3], np.full((out_h, out_w), np.nan), title=f"output {out_h}x{out_w}", moving=True),
        window=axes[0].add_patch(Rectangle((-0.5, -0.5), n, n, fc=WINDOW_FILL, lw=2.5, ec=HIGHLIGHT,
                                           animated=True)),
        cell=axes[3].add_patch(Rectangle((-0.5, -0.5), 1, 1, fill=False, lw=2.5, ec=HIGHLIGHT, animated=True)),
        equation=fig.text(0.5, 0.01, "", ha="center", va="bottom", fontsize=10, animated=True),
    )
    translate_figure(fig, language)
    return StampingArtists(canvas=freeze(fig), **parts)


def signed(value):
    """A number for a sum: negative ones in brackets, so '3 + (-1)' reads clearly."""
    text = label(check_number("value", value))
    return f"({text})" if text.startswith("-") else text


def sum_text(products, bias=0.0):
    """'a + b + ...' for a stamp's products (and bias), as the figure writes it."""
    try:
        values = np.asarray(products, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ValueError(f"products must be numbers, got {products!r:.60}") from None
    if values.size == 0 or not np.isfinite(values).all():
        raise ValueError(f"products must be at least one finite number, got {products!r:.60}")
    terms = " + ".join(signed(v) for v in values)
    if check_number("bias", bias):
        terms += f" + bias {signed(bias)}"
    return terms


def update_stamping(art, stamp, output):
    """Show one stamp: its window, products and sum, and the output so far, (1, O_h, O_w), NaN: not yet."""
    _check_update(art, StampingArtists, "draw_stamping", stamp, output)
    n_h, n_w = stamp.window.shape[1:]
    update_grid(art.products, stamp.products[0].numpy(), np.full((n_h, n_w), WINDOW))
    out_states = np.where(np.isnan(output[0]), PLAIN, FILLED)
    out_states[stamp.row, stamp.col] = CURRENT
    update_grid(art.output, output[0], out_states)
    art.window.set_xy((stamp.left - 0.5, stamp.top - 0.5))
    art.cell.set_xy((stamp.col - 0.5, stamp.row - 0.5))
    art.equation.set_text(f"output[{stamp.row}, {stamp.col}] = {sum_text(stamp.products[0], stamp.bias)}"
                          f" = {label(stamp.total)}")


def _check_update(art, kind, maker, stamp, output):
    """Raise a ValueError unless art came from `maker` and stamp and output fit it."""
    check_instance("art", art, kind, f"what {maker} returned")
    check_instance("stamp", stamp, Stamp, "one Stamp from cnnlib.conv.stamps")
    grids = art.outputs if isinstance(art, MultiChannelArtists) else [art.output]
    shape = (len(grids), *grids[0].image.get_array().shape)  # (C_out, O_h, O_w)
    if np.shape(output) != shape:
        raise ValueError(f"output must be the output so far, shaped {shape}, got {np.shape(output)}")


def stamp_outputs(all_stamps, out_shape):
    """For each step, the output as computed so far: (C_out, O_h, O_w) with NaN where no stamp has been."""
    output = np.full(out_shape, np.nan)
    for stamp in all_stamps:
        output[stamp.kernel, stamp.row, stamp.col] = stamp.total
        yield output.copy()


# --- stamping kernels of depth C over a C-channel input ------------------------------------

@dataclass
class MultiChannelArtists:
    """Everything `update_multichannel` changes in a multi-channel figure."""

    canvas: Canvas
    kernels: list      # per channel: Grid of kernel k's slice for that channel
    products: list     # per channel: Grid of that channel's products
    sums: list         # per channel: Text with that channel's sum
    windows: list      # per channel: Rectangle on the input
    outputs: list      # per kernel: Grid of that output channel
    cell: list         # per kernel: Rectangle around the cell being filled
    equation: object   # Text: channel sums + bias = output value
    kernel_values: np.ndarray  # (C_out, C_in, K, K), shown slice by slice


def draw_multichannel(x, w, b=None, stride=1, padding=0, language="en"):
    """A figure for kernels w (C_out, C_in, K, K) over x (C, H, W): one row per channel, one output per kernel."""
    check_conv_args(x, w, b, stride, padding)
    c_count, h, wid = x.shape
    k_count, _, n, _ = w.shape
    xp = pad(x, padding).numpy()  # (C, H+2P, W+2P)
    out_h = conv_output_size(h, n, stride, padding)
    out_w = conv_output_size(wid, n, stride, padding)
    states = padded_states(h, wid, padding)
    rows = max(c_count, k_count)
    cell = fit_cells(xp.shape[2] + 2 * n + out_w, margin=3.2, largest=0.36)
    fig = Figure(figsize=(cell * (xp.shape[2] + 2 * n + out_w) + 3.2, 0.4 * rows * xp.shape[1] + 1.0),
                 dpi=DPI, layout="constrained")
    fig.get_layout_engine().set(rect=(0, 0.05, 1, 0.95))  # room for the equation below
    left, right = fig.subfigures(1, 2, width_ratios=[xp.shape[2] + 2 * n + 3, out_w + 1])
    axes = left.subplots(c_count, 3, width_ratios=[xp.shape[2], n, n], squeeze=False)
    out_axes = right.subplots(k_count, 1, squeeze=False)[:, 0]
    names = ["red", "green", "blue"] if c_count == 3 else [f"channel {c}" for c in range(c_count)]
    blank = np.full((n, n), np.nan)
    art = dict(kernels=[], products=[], sums=[], windows=[], outputs=[], cell=[])
    for c in range(c_count):
        draw_grid(axes[c, 0], xp[c], states, f"input: {names[c]}", fontsize=9)
        art["kernels"].append(draw_grid(axes[c, 1], blank, title=f"kernel, {names[c]}", fontsize=9, moving=True))
        art["products"].append(draw_grid(axes[c, 2], blank, np.full((n, n), WINDOW), "products", 9, moving=True))
        art["sums"].append(axes[c, 2].text((n - 1) / 2, n - 0.35, "", ha="center", va="top", fontsize=10,
                                           animated=True, clip_on=False))  # below the products
        art["windows"].append(axes[c, 0].add_patch(Rectangle((-0.5, -0.5), n, n, fc=WINDOW_FILL, lw=2, ec=HIGHLIGHT,
                                                          animated=True)))
    for k in range(k_count):
        art["outputs"].append(draw_grid(out_axes[k], np.full((out_h, out_w), np.nan),
                                     title=f"output {k} (kernel {k})", fontsize=9, moving=True))
        art["cell"].append(out_axes[k].add_patch(Rectangle((-0.5, -0.5), 1, 1, fill=False, lw=2, ec=HIGHLIGHT,
                                                        animated=True, visible=False)))
    equation = fig.text(0.5, 0.005, "", ha="center", va="bottom", fontsize=10, animated=True)
    translate_figure(fig, language)
    return MultiChannelArtists(canvas=freeze(fig), equation=equation, kernel_values=w.numpy(), **art)


def update_multichannel(art, stamp, output):
    """Show one stamp of one kernel over every channel, and the outputs so far (C_out, O_h, O_w)."""
    _check_update(art, MultiChannelArtists, "draw_multichannel", stamp, output)
    n_h, n_w = stamp.window.shape[1:]
    for c in range(len(art.kernels)):
        update_grid(art.kernels[c], art.kernel_values[stamp.kernel, c], np.full((n_h, n_w), PLAIN))
        update_grid(art.products[c], stamp.products[c].numpy(), np.full((n_h, n_w), WINDOW))
        art.sums[c].set_text(f"sum {label(float(stamp.channel_sums[c]))}")
        art.windows[c].set_xy((stamp.left - 0.5, stamp.top - 0.5))
    for k, grid in enumerate(art.outputs):
        states = np.where(np.isnan(output[k]), PLAIN, FILLED)
        if k == stamp.kernel:
            states[stamp.row, stamp.col] = CURRENT
        update_grid(grid, output[k], states)
        art.cell[k].set_visible(k == stamp.kernel)
    art.cell[stamp.kernel].set_xy((stamp.col - 0.5, stamp.row - 0.5))
    sums = " + ".join(signed(float(v)) for v in stamp.channel_sums)
    art.equation.set_text(f"kernel {stamp.kernel}, output[{stamp.row}, {stamp.col}] = channel sums {sums}"
                          f" + bias {signed(stamp.bias)} = {label(stamp.total)}")


# --- a kernel learned by gradient descent -----------------------------------------------------

@dataclass
class KernelLearningArtists:
    """Everything `update_kernel_learning` changes: the kernel's numbers, the marker on the loss curve."""

    canvas: Canvas
    kernel: Grid       # (K, K): the kernel at the shown step
    marker: object     # Line2D: one point on the loss curve
    title: object      # Text above the kernel


def draw_kernel_learning(target, losses, language="en"):
    """The kernel being learned (numbers), the kernel it should become, and the loss at every step."""
    target = _picture("target", target)  # (K, K)
    try:
        losses = np.asarray(losses, dtype=float)  # (steps + 1,)
    except (TypeError, ValueError):
        losses = np.array([])
    if losses.ndim != 1 or len(losses) < 2 or not np.isfinite(losses).all() or (losses <= 0).any():
        raise ValueError("losses must hold at least two positive, finite losses, one per step")
    k = target.shape[0]
    fig = Figure(figsize=(PAGE_WIDTH * 0.8, 2.6), dpi=DPI, layout="constrained")
    ax_kernel, ax_target, ax_loss = fig.subplots(1, 3, width_ratios=[k, k, 2.2 * k])
    kernel = draw_grid(ax_kernel, np.full((k, k), np.nan), title="", moving=True)
    title = ax_kernel.set_title("kernel, step 0", fontsize=11, animated=True)
    draw_grid(ax_target, target, title="target kernel")
    steps = np.arange(len(losses))
    ax_loss.plot(steps, losses, color="#868e96", lw=1.5)
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel("step")
    ax_loss.set_title("loss (mean squared error, log scale)", fontsize=11)
    ax_loss.grid(alpha=0.3)
    (marker,) = ax_loss.plot([0], [losses[0]], "o", color=HIGHLIGHT, ms=8, animated=True)
    translate_figure(fig, language)
    return KernelLearningArtists(canvas=freeze(fig), kernel=kernel, marker=marker, title=title)


def update_kernel_learning(art, step, kernel, loss):
    """Show the kernel (K, K) and the loss after `step` steps."""
    check_instance("art", art, KernelLearningArtists, "what draw_kernel_learning returned")
    kernel = _picture("kernel", kernel)
    for row, texts in zip(kernel, art.kernel.texts):  # two decimals: the last steps are small
        for value, text in zip(row, texts):
            text.set_text(f"{value:.2f}".replace("-0.00", "0.00"))
    art.marker.set_data([check_int("step", step, 0)], [check_number("loss", loss)])
    art.title.set_text(f"kernel, step {step}")


# --- what one unit sees ---------------------------------------------------------------------------

# --- parameters per layer ---------------------------------------------------------------------

def draw_param_bars(table):
    """A bar per layer with parameters: how many each holds, from a cnnlib.shapes.LayerTable."""
    check_instance("table", table, LayerTable, "a LayerTable from cnnlib.shapes.layer_table")
    rows = [r for r in table.rows if r.params.total > 0]
    fig = Figure(figsize=(6.4, 0.45 * len(rows) + 0.9), dpi=DPI, layout="constrained")
    ax = fig.subplots()
    totals = [r.params.total for r in rows]
    bars = ax.barh([r.name for r in rows], totals, color="#4dabf7")
    ax.invert_yaxis()
    for bar, total in zip(bars, totals):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {total:,} ({total / table.total_params:.1%})",
                va="center", fontsize=8)
    ax.set_xlim(0, max(totals) * 1.45)
    ax.set_xlabel("parameters")
    ax.xaxis.set_major_formatter("{x:,.0f}")  # a format string: the figure can be copied (pickled)
    ax.set_title(f"{table.total_params:,} parameters in all", fontsize=10)
    return fig


# --- feature maps -----------------------------------------------------------------------------

def draw_feature_maps(image, maps, title=""):
    """The grey input image and each named feature map beside it, each map with its colour bar (which grey is 0)."""
    image = _picture("image", image)
    if not isinstance(maps, dict) or not maps:
        raise ValueError(f"maps must be {{name: feature map (H, W)}}, got {maps!r:.60}")
    maps = {name: _picture(f"maps[{name!r}]", fmap) for name, fmap in maps.items()}
    side = fit_cells(len(maps) + 1, margin=0, largest=2.0)  # inches per picture
    fig = Figure(figsize=(side * (len(maps) + 1), side + 0.9), dpi=DPI, layout="constrained")
    axes = fig.subplots(1, len(maps) + 1)
    axes[0].imshow(np.asarray(image), cmap="gray")
    axes[0].set_title(title or "input", fontsize=9)
    for ax, (name, fmap) in zip(axes[1:], maps.items()):
        shown = ax.imshow(np.asarray(fmap), cmap="gray")
        ax.set_title(name, fontsize=9)
        bar = fig.colorbar(shown, ax=ax, orientation="horizontal", fraction=0.08, pad=0.03)
        bar.ax.tick_params(labelsize=7)
    for ax in axes:
        ax.set_axis_off()
    return fig


# --- images as numbers, kernels and maps -------------------------------------------------------

def draw_flattening(image, permutation):
    """An image (H, W), the same pixels as one long row (what a perceptron sees), and a shuffle of them."""
    image = _picture("image", image)
    h, w = image.shape
    order = check_permutation("permutation", permutation, h * w).numpy()
    flat = image.reshape(1, -1)  # (1, H*W)
    fig = Figure(figsize=(PAGE_WIDTH, 3.0), dpi=DPI, layout="constrained")
    grid = fig.add_gridspec(2, 3, height_ratios=[4, 1])
    ax_image, ax_shuffled = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 2])
    ax_row = fig.add_subplot(grid[1, :])
    ax_image.imshow(image, cmap="gray")
    ax_image.set_title(f"an image: {h} x {w} pixels", fontsize=10)
    ax_shuffled.imshow(flat[0, order].reshape(h, w), cmap="gray")
    ax_shuffled.set_title("the same pixels, shuffled", fontsize=10)
    ax_row.imshow(flat, cmap="gray", aspect="auto")
    ax_row.set_title(f"flattened: one row of {h * w} numbers, the perceptron's input", fontsize=10)
    note = fig.add_subplot(grid[0, 1])
    note.text(0.5, 0.5, "a perceptron with a weight per pixel\nlearns the same from both:\n"
              "to it, pixel order means nothing", ha="center", va="center", fontsize=10)
    for ax in (ax_image, ax_shuffled, ax_row, note):
        ax.set_axis_off()
    return fig


def draw_panels(images, title="", columns=8, signed=False, size=0.9, limit=None):
    """Small pictures (M, H, W) in rows of `columns` on one colour scale, with its colour bar.

    `signed` (kernels, differences): red for positive, blue for negative, white for 0, on a
    scale from -limit to +limit (default: the largest |value| of the pictures), so that
    several figures drawn with the same `limit` compare by colour. Otherwise (feature maps)
    grey, from the smallest value of the pictures to the largest.
    """
    images = _pictures("images", images)
    columns, size = check_int("columns", columns, 1), check_number("size", size, above=0)
    if limit is not None and not signed:
        raise ValueError("limit sets the scale of signed pictures: pass signed=True with it")
    if signed:
        limit = check_number("limit", limit, above=0) if limit is not None else (np.abs(images).max() or 1.0)
        scale = {"cmap": "RdBu_r", "vmin": -limit, "vmax": limit}
    else:
        low, high = images.min(), images.max()
        scale = {"cmap": "gray", "vmin": low, "vmax": high if high > low else low + 1}
    rows = -(-len(images) // columns)
    fig = Figure(figsize=(columns * size + 0.8, rows * size + 0.4), dpi=DPI, layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i < len(images):
            shown = ax.imshow(images[i], **scale)
        ax.set_axis_off()
    bar = fig.colorbar(shown, ax=axes, fraction=0.04, pad=0.02)
    bar.ax.tick_params(labelsize=7)
    fig.suptitle(title, fontsize=10)
    return fig


def _picture(name, image):
    """One grey picture (H, W) as a float array, or a ValueError naming `name`."""
    pictures = _pictures(name, [image] if np.ndim(image) == 2 else image)
    if len(pictures) != 1:
        raise ValueError(f"{name} must be one grey picture shaped (H, W), got shape {np.shape(image)}")
    return pictures[0]


def _pictures(name, images):
    """Pictures (N, H, W) as a float array, or a ValueError naming `name`."""
    try:
        array = np.asarray(images, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be pictures shaped (N, H, W), got {type(images).__name__}") from None
    if array.ndim != 3 or 0 in array.shape:
        raise ValueError(f"{name} must be pictures shaped (N, H, W), got shape {array.shape}")
    return array


def draw_pipeline(table):
    """The layers of a cnnlib.shapes.LayerTable as a row of boxes: feature extraction, then classification."""
    check_instance("table", table, LayerTable, "a LayerTable from cnnlib.shapes.layer_table")
    rows = [r for r in table.rows if r.kind in ("Conv2d", "MaxPool2d", "Flatten", "Linear")]
    pitch, box = 1.25, 1.15  # from one box to the next, and a box's width
    boxes = [("input", tuple(table.input_shape), "#e9ecef")] + [
        (r.name, r.output_shape, "#d0ebff" if r.kind in ("Conv2d", "MaxPool2d") else "#ffe8cc") for r in rows]
    fig = Figure(figsize=(fit_cells(len(boxes), margin=0, largest=1.05) * len(boxes), 2.2), dpi=DPI,
                 layout="constrained")
    ax = fig.subplots()
    for i, (name, shape, color) in enumerate(boxes):
        ax.add_patch(Rectangle((i * pitch, 0), box, 1, fc=color, ec="#495057"))
        ax.text(i * pitch + box / 2, 0.62, name, ha="center", va="center", fontsize=8)
        ax.text(i * pitch + box / 2, 0.35, "x".join(map(str, shape)), ha="center", va="center", fontsize=9,
                weight="bold")
    split = 1 + max(i for i, r in enumerate(rows) if r.kind in ("Conv2d", "MaxPool2d"))  # last box of features
    spans = [(0.0, split * pitch + box, "feature extraction (convolution + pooling)", "#1c7ed6"),
             ((split + 1) * pitch, (len(boxes) - 1) * pitch + box, "classification (fully connected)", "#e8590c")]
    for left, right, text, color in spans:
        ax.annotate("", (left, 1.25), (right, 1.25), arrowprops=dict(arrowstyle="<->", color=color))
        ax.text((left + right) / 2, 1.38, text, ha="center", fontsize=9, color=color)
    ax.set_xlim(-0.1, (len(boxes) - 1) * pitch + box + 0.1)
    ax.set_ylim(-0.1, 1.6)
    ax.set_axis_off()
    return fig


# --- training results -----------------------------------------------------------------------------

def draw_history(history):
    """Learning curves from cnnlib.train.fit's history: loss and accuracy, train and test, per epoch."""
    keys = {"epoch", "train_loss", "test_loss", "train_acc", "test_acc"}
    if not history or not all(isinstance(row, dict) and keys <= set(row) for row in history):
        raise ValueError(f"history must be fit's list of epochs, each a dict with {sorted(keys)}, "
                         f"got {history!r:.60}")
    epochs = [row["epoch"] for row in history]
    fig = Figure(figsize=(9.0, 3.2), dpi=DPI, layout="constrained")
    ax_loss, ax_acc = fig.subplots(1, 2)
    for ax, key, title in ((ax_loss, "loss", "cross-entropy loss"), (ax_acc, "acc", "accuracy")):
        ax.plot(epochs, [row[f"train_{key}"] for row in history], "o-", label="train (during the epoch)")
        ax.plot(epochs, [row[f"test_{key}"] for row in history], "s-", label="test (after the epoch)")
        ax.set_xlabel("epoch")
        ax.set_xticks(epochs)
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
    ax_acc.legend(fontsize=8)
    return fig


def draw_confusion(counts, classes):
    """A confusion matrix (classes, classes): rows are the true classes, columns the predicted ones."""
    counts = np.asarray(counts)
    if counts.shape != (len(classes), len(classes)) or not np.issubdtype(counts.dtype, np.integer):
        raise ValueError(f"counts must be whole counts shaped ({len(classes)}, {len(classes)}), one row and "
                         f"column per class, got {counts.dtype} shaped {counts.shape}")
    fig = Figure(figsize=(7.0, 6.0), dpi=DPI, layout="constrained")
    ax = fig.subplots()
    ax.imshow(counts, cmap="Blues")
    for (r, c), v in np.ndenumerate(counts):
        ax.text(c, r, str(v), ha="center", va="center", fontsize=8,
                color="white" if v > counts.max() / 2 else "black")
    ax.set_xticks(range(len(classes)), classes, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(classes)), classes, fontsize=8)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    return fig


def draw_examples(images, true, predicted, classes, columns=6):
    """Images (N, H, W) with their true and predicted labels; wrong predictions in red."""
    images, columns = _pictures("images", images), check_int("columns", columns, 1)
    if not len(true) == len(predicted) == len(images):
        raise ValueError(f"true and predicted need one label per image: {len(images)} images, "
                         f"{len(true)} true and {len(predicted)} predicted labels")
    for name, labels in (("true", true), ("predicted", predicted)):
        check_labels(f"{name} labels", labels, len(classes))
    rows = -(-len(images) // columns)
    fig = Figure(figsize=(columns * 1.5, rows * 1.75), dpi=DPI, layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if i < len(images):
            ax.imshow(np.asarray(images[i]), cmap="gray")
            wrong = true[i] != predicted[i]
            colour = "#c92a2a" if wrong else "black"  # two texts: each translates as one of ten (cnnlib.words)
            ax.set_title(f"true: {classes[true[i]]}", fontsize=7, color=colour)
            ax.text(0.5, -0.03, f"predicted: {classes[predicted[i]]}", transform=ax.transAxes, ha="center",
                    va="top", fontsize=7, color=colour)
    return fig


def draw_layer_costs(table, batch=1):
    """Per layer: forward FLOPs and activation memory (float32) for a batch, from a LayerTable."""
    check_instance("table", table, LayerTable, "a LayerTable from cnnlib.shapes.layer_table")
    batch = check_int("batch", batch, 1)
    rows = [r for r in table.rows if r.kind != "ReLU"]
    names = [r.name for r in rows]
    flops = [r.flops * batch for r in rows]
    memory = [4 * batch * int(np.prod(r.output_shape)) for r in rows]  # bytes of float32 outputs
    fig = Figure(figsize=(PAGE_WIDTH, 0.32 * len(rows) + 1.2), dpi=DPI, layout="constrained")
    ax_f, ax_m = fig.subplots(1, 2, sharey=True)
    ax_f.barh(names, [f / 1e6 for f in flops], color="#4dabf7")
    ax_f.set_xlabel(f"forward MFLOPs (batch of {batch})")
    ax_m.barh(names, [m / 1e6 for m in memory], color="#ffa94d")
    ax_m.set_xlabel(f"activation memory, MB (batch of {batch})")
    ax_f.invert_yaxis()
    for ax in (ax_f, ax_m):
        ax.grid(axis="x", alpha=0.3)
        ax.tick_params(labelsize=8)
    return fig


def draw_accuracy_lines(x, series, xlabel, title="", log_x=False):
    """Accuracy against a setting (e.g. a shift in pixels), one line per named series.

    `series` is {name: [accuracy per x value]}, or {name: [[accuracy per seed] per x value]}:
    then the line is the mean over the seeds and the shaded band the spread (mean ± one
    standard deviation).
    """
    x = [check_number("x values", v) for v in x]
    if not isinstance(series, dict) or not series:
        raise ValueError(f"series must be {{name: [one accuracy per x value]}}, got {series!r:.80}")
    lines = {}
    for name, values in series.items():
        try:
            values = np.asarray(values, dtype=float)  # (len(x),) or (len(x), seeds)
        except (TypeError, ValueError):
            values = None
        if values is None or values.ndim not in (1, 2) or len(values) != len(x) or not np.isfinite(values).all():
            raise ValueError(f"series[{name!r}] must hold one accuracy (or one per seed) for each of the "
                             f"{len(x)} x values, got {series[name]!r:.80}")
        lines[name] = values.reshape(len(x), -1)
    fig = Figure(figsize=(6.0, 3.2), dpi=DPI, layout="constrained")
    ax = fig.subplots()
    for name, values in lines.items():
        mean = values.mean(axis=1)
        (line,) = ax.plot(x, mean, "o-", label=name)
        if values.shape[1] > 1:
            spread = values.std(axis=1, ddof=1)
            ax.fill_between(x, mean - spread, mean + spread, color=line.get_color(), alpha=0.2, lw=0)
    if check_bool("log_x", log_x):
        ax.set_xscale("log")
    ax.set_xticks(list(x), [f"{v:,g}" for v in x])
    ax.set_xlabel(xlabel)
    ax.set_ylabel("test accuracy")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def draw_conv_matrix(kernel, in_size, stride=1, padding=0):
    """A K x K kernel beside the matrix of its convolution over an H x W input, each weight in its own colour.

    The matrix (O_h*O_w rows, H*W columns, from cnnlib.conv.conv_matrix) is white where it holds
    0; every other cell takes the colour of the kernel weight that sits there, so weight sharing
    shows as the same colours repeated down the diagonals.
    """
    kernel = _picture("kernel", kernel)
    k = kernel.shape[0]
    if kernel.shape != (k, k) or k * k > 20:
        raise ValueError(f"kernel must be square with at most 20 weights (K <= 4), one colour each, "
                         f"got shape {kernel.shape}")
    if isinstance(in_size, (str, bytes)) or not hasattr(in_size, "__len__") or len(in_size) != 2:
        raise ValueError(f"in_size must be the input's (H, W), got {in_size!r}")
    h, w = (check_int("in_size", side, 1) for side in in_size)
    stride, padding = check_int("stride", stride, 1), check_int("padding", padding, 0)
    if min(h, w) + 2 * padding < k:
        raise ValueError(f"in_size {(h, w)} with padding {padding} is smaller than the {k}x{k} kernel")
    which = np.arange(1, k * k + 1, dtype=float).reshape(1, 1, k, k)  # weight u*K+v is numbered u*K+v+1
    places = conv_matrix(torch.tensor(which), (1, h, w), stride, padding).numpy()  # (O_h*O_w, H*W)
    colors = ListedColormap(["#ffffff"] + [_weight_color(i) for i in range(k * k)])
    rows, cols = places.shape
    shown = max(8, k)  # the kernel is drawn larger than the matrix's cells, at least 8 cells wide
    cell = fit_cells(cols + shown + 2, 0.6, 0.3)
    fig = Figure(figsize=(cell * (cols + shown + 2) + 0.6, cell * max(rows, shown) + 0.9), dpi=DPI,
                 layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[shown, cols])
    left.imshow(which[0, 0], cmap=colors, vmin=0, vmax=k * k)
    for (u, v), value in np.ndenumerate(kernel):
        left.text(v, u, label(float(value)), ha="center", va="center", fontsize=10)
    left.set_title(f"kernel {k}×{k}", fontsize=9)
    right.imshow(places, cmap=colors, vmin=0, vmax=k * k, interpolation="nearest")
    right.set_xticks(np.arange(-0.5, cols, w), minor=True)   # a line between input rows
    right.grid(which="minor", axis="x", color="#bbbbbb", linewidth=0.5)
    right.set_title(f"matrix: {rows} outputs × {cols} inputs, zeros white", fontsize=9)
    right.set_xlabel("input cell (row by row)", fontsize=8)
    right.set_ylabel("output cell", fontsize=8)
    right.tick_params(labelsize=7)
    left.set_axis_off()
    return fig


def _weight_color(i):
    """The colour of kernel weight number i (0 .. 19): the ten of tab10, then tab20's."""
    return colormaps["tab20"](i) if i >= 10 else colormaps["tab10"](i)
