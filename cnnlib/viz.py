"""Pure drawing: `draw_*` builds a figure and returns its artists, `update_*` only changes them.

Nothing here talks to Jupyter. Figures are plain `matplotlib.figure.Figure` objects (no
pyplot state), so they can be drawn, updated and tested without a browser; the widgets
in `cnnlib.widgets` turn them into pictures.
"""

import io
from dataclasses import dataclass

import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from cnnlib.conv import pad
from cnnlib.shapes import conv_output_size, uncovered

# Cell states, one colour each: the background of every grid of numbers.
PLAIN, PADDING, WINDOW, FILLED, CURRENT = range(5)
STATE_COLORS = ListedColormap(["#ffffff", "#d9d9d9", "#ffe0b3", "#d6e6f5", "#ffb347"])
HIGHLIGHT = "#e8590c"  # outline of the window and of the cell being filled
WINDOW_FILL = (1.0, 0.6, 0.2, 0.3)  # translucent orange over the input under the kernel
DPI = 80  # pictures are drawn for the screen: small files, quick to redraw


def label(value):
    """A cell's text: blank for NaN, an integer without decimals, else one decimal."""
    if np.isnan(value):
        return ""
    if float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.1f}"


@dataclass
class Grid:
    """A grid of numbers: coloured cells (one image) and one text per cell."""

    image: object   # AxesImage of cell states (H, W)
    texts: list     # texts[row][col]


def draw_grid(ax, values, states=None, title="", fontsize=9, moving=False):
    """Draw `values` (H, W) as labelled cells coloured by `states` (H, W); NaN cells stay empty.

    `moving=True` marks the cells as animated: `render_png` redraws them on every frame.
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
    grid.image.set_data(np.asarray(states))
    for r, row in enumerate(grid.texts):
        for c, text in enumerate(row):
            text.set_text(label(float(values[r][c])))


@dataclass
class Canvas:
    """A figure whose still parts are drawn once; each render redraws only its moving artists."""

    fig: Figure
    agg: FigureCanvasAgg
    background: object  # the still parts, as pixels
    moving: list        # artists marked animated, redrawn on every render


def freeze(fig):
    """Lay the figure out and draw its still parts once; later renders keep that layout."""
    agg = FigureCanvasAgg(fig)
    agg.draw()  # skips animated artists
    fig.set_layout_engine("none")
    moving = sorted((a for a in fig.findobj() if a.get_animated()), key=lambda a: a.get_zorder())
    return Canvas(fig, agg, agg.copy_from_bbox(fig.bbox), moving)


def render_png(canvas, palette=False):
    """PNG bytes of the figure as it is now; `palette` trades colour depth for a smaller file."""
    canvas.agg.restore_region(canvas.background)
    renderer = canvas.agg.get_renderer()
    for artist in canvas.moving:
        artist.draw(renderer)
    image = PIL.Image.frombuffer("RGBA", canvas.agg.get_width_height(), canvas.agg.buffer_rgba())
    image = image.convert("RGB")
    if palette:
        image = image.quantize(colors=64)
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=6 if palette else 1)
    return buffer.getvalue()


# --- stamping a kernel over one channel ------------------------------------------------------

@dataclass
class StampingArtists:
    """Everything `update_stamping` changes in a stamping figure."""

    canvas: Canvas
    input: Grid       # the padded input, (H+2P, W+2P)
    kernel: Grid      # (N, N)
    products: Grid    # (N, N)
    output: Grid      # (O_h, O_w)
    window: Rectangle  # outline of the kernel on the input
    cell: Rectangle    # outline of the output cell being filled
    equation: object   # Text: the products added up


def padded_states(h, w, padding):
    """Cell states of a padded input: PADDING on the border, PLAIN inside. Shape (H+2P, W+2P)."""
    states = np.full((h + 2 * padding, w + 2 * padding), PADDING)
    states[padding:padding + h, padding:padding + w] = PLAIN
    return states


def draw_stamping(x, w, stride=1, padding=0):
    """A figure for stamping kernel w (1, 1, N, N) over x (1, H, W): input, kernel, products, output."""
    xp = pad(x, padding)[0].numpy()  # (H+2P, W+2P)
    kernel = w[0, 0].numpy()          # (N, N)
    n = kernel.shape[0]
    out_h = conv_output_size(x.shape[1], n, stride, padding)
    out_w = conv_output_size(x.shape[2], kernel.shape[1], stride, padding)
    xp_states = padded_states(x.shape[1], x.shape[2], padding)
    widths = [xp.shape[1], n, n, out_w]
    fig = Figure(figsize=(0.42 * sum(widths) + 1.6, 0.42 * xp.shape[0] + 1.1), dpi=DPI, layout="constrained")
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
        equation=fig.text(0.5, 0.01, "", ha="center", va="bottom", fontsize=9, animated=True),
    )
    return StampingArtists(canvas=freeze(fig), **parts)


def sum_text(products, bias=0.0):
    """'a + b + ... = s' for a stamp's products (and bias), as the figure writes it."""
    values = [label(v) for v in np.asarray(products, dtype=float).ravel()]
    terms = " + ".join(f"({v})" if v.startswith("-") else v for v in values)
    if bias:
        terms += f" + bias {label(bias)}"
    return terms


def update_stamping(art, stamp, output):
    """Show one stamp: its window, products and sum, and the output computed so far (NaN: not yet)."""
    n_h, n_w = stamp.window.shape[1:]
    update_grid(art.products, stamp.products[0].numpy(), np.full((n_h, n_w), WINDOW))
    out_states = np.where(np.isnan(output), PLAIN, FILLED)
    out_states[stamp.row, stamp.col] = CURRENT
    update_grid(art.output, output, out_states)
    art.window.set_xy((stamp.left - 0.5, stamp.top - 0.5))
    art.cell.set_xy((stamp.col - 0.5, stamp.row - 0.5))
    art.equation.set_text(f"output[{stamp.row}, {stamp.col}] = {sum_text(stamp.products[0], stamp.bias)}"
                          f" = {label(stamp.total)}")
