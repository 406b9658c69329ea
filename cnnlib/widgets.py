"""Widget wiring: the drawings of `cnnlib.viz`, made to move and to answer controls.

Two kinds of widget live here:
- browser-side ones (`animation`, `choice` and what is built from them): Play, slider and
  choices are linked in the browser (`jslink`) to pictures rendered when the page was
  executed, so they play in the HTML book with no kernel, and in Jupyter too;
- live ones (`StampingExplorer`, `MultiChannelExplorer`, `OutputSizeExplorer`,
  `ParameterCounter`), whose controls run Python: they need a running kernel.
"""

import html

import IPython.display
import ipywidgets as W
import matplotlib.cbook
import numpy as np
import PIL.Image
import torch

from cnnlib import conv, viz
from cnnlib.checks import check_bool, check_instance, check_int, check_list
from cnnlib.shapes import LayerTable, conv_output_size, conv_params, layer_table, receptive_fields, uncovered

__all__ = [  # the public API: every callable here checks its arguments (tests/test_bad_arguments.py)
    "example_input", "example_kernel", "Animation", "Choice", "image", "picture", "payload_bytes",
    "stamping_steps", "multichannel_steps", "slider", "stamping_frames", "stamping_animation",
    "StampingExplorer", "multichannel_frames", "example_multichannel", "multichannel_animation",
    "MultiChannelExplorer", "OutputSizeExplorer", "output_size_examples", "ParameterCounter",
    "parameter_examples", "model_parameters", "sample_photo", "feature_maps_widget", "kernel_learning_animation",
    "receptive_field_examples",
]

STAMP_PRESETS = ((1, 0), (2, 0), (1, 1), (2, 1))  # (stride, padding) pairs rendered for the HTML book
FRAME_MS = 700  # time per frame when playing


# --- inputs and kernels -------------------------------------------------------------------------

def example_input(kind="random integers", size=7, channels=1, seed=0):
    """A small input (C, H, W) whose numbers are easy to multiply in one's head."""
    size, channels = check_int("size", size, 1, 64), check_int("channels", channels, 1, 8)
    seed = check_int("seed", seed, 0)
    if kind == "random integers":
        gen = torch.Generator().manual_seed(seed)
        return torch.randint(0, 10, (channels, size, size), generator=gen).float()
    if kind == "a vertical edge":
        x = torch.zeros(channels, size, size)
        x[:, :, size // 2:] = 9
        return x
    raise ValueError(f"kind must be 'random integers' or 'a vertical edge', got {kind!r}")


def example_kernel(kind="vertical edge", size=3, seed=1):
    """A kernel (1, 1, N, N): one of the classic ones, or random integers from -1 to 1."""
    size, seed = check_int("size", size, 1, 11), check_int("seed", seed, 0)
    if kind == "random integers":
        gen = torch.Generator().manual_seed(seed)
        return torch.randint(-1, 2, (1, 1, size, size), generator=gen).float()
    kernels = conv.classic_kernels()
    if kind not in kernels:
        raise ValueError(f"kind must be 'random integers' or one of {sorted(kernels)}, got {kind!r}")
    return kernels[kind][None, None]


# --- browser-side building blocks ----------------------------------------------------------------

class Animation(W.VBox):
    """Play and a step slider, linked in the browser to a stack of pre-rendered frames."""

    def __init__(self, frames, description="step", interval=FRAME_MS):
        self.frames = check_list("frames", frames, "PNG pictures (bytes)")  # one per step
        if not all(isinstance(f, bytes) for f in self.frames):
            raise ValueError("frames must be pictures as bytes, such as stamping_frames returns")
        if not isinstance(description, str):
            raise ValueError(f"description must be text, got {description!r}")
        interval = check_int("interval", interval, 1)  # milliseconds per frame
        self.play = W.Play(value=0, min=0, max=len(self.frames) - 1, interval=interval, description="Play")
        self.slider = W.IntSlider(value=0, min=0, max=len(self.frames) - 1, description=description,
                                  continuous_update=True)
        self.stack = W.Stack([image_widget(f) for f in self.frames], selected_index=0)
        self.links = [W.jslink((self.play, "value"), (self.slider, "value")),
                      W.jslink((self.slider, "value"), (self.stack, "selected_index"))]
        super().__init__([W.HBox([self.play, self.slider]), self.stack])

    def __repr__(self):
        return f"<animation of {len(self.frames)} frames>"


class Choice(W.VBox):
    """Toggle buttons that show one of several widgets, switched in the browser."""

    def __init__(self, labels, children, description=""):
        self.labels = check_list("labels", labels, "texts")
        children = check_list("children", children, "widgets")
        if not all(isinstance(text, str) for text in self.labels):
            raise ValueError(f"labels must be texts, got {self.labels!r:.60}")
        if not all(isinstance(child, W.Widget) for child in children):
            raise ValueError("children must be widgets, one per label")
        if len(children) != len(self.labels):
            raise ValueError(f"labels and children must pair up, got {len(self.labels)} labels "
                             f"and {len(children)} children")
        if not isinstance(description, str):
            raise ValueError(f"description must be text, got {description!r}")
        self.buttons = W.ToggleButtons(options=self.labels, description=description,
                                       style={"button_width": "auto"})
        self.stack = W.Stack(list(children), selected_index=0)
        self.links = [W.jslink((self.buttons, "index"), (self.stack, "selected_index"))]
        super().__init__([self.buttons, self.stack])

    def __repr__(self):
        return f"<choice of {len(self.labels)}: {', '.join(self.labels)}>"


def image(fig):
    """A figure as a plain PNG image output (no widget): it shows in Jupyter and in the HTML book."""
    return IPython.display.Image(data=viz.render_png(viz.freeze(fig)), format="png")


def image_widget(value=b"", format="png"):
    """An Image widget shown at its own size: never stretched to the page, only shrunk to fit it."""
    return W.Image(value=value, format=format, layout=W.Layout(align_self="flex-start"))


def picture(fig):
    """A figure as an Image widget (PNG, palette colours to keep pages light)."""
    return image_widget(viz.render_png(viz.freeze(fig), palette=True))


def payload_bytes(widget):
    """Bytes of pictures a widget (and its children) carries into a page, before base64."""
    check_instance("widget", widget, W.Widget, "an ipywidgets widget")
    own = len(widget.value) if isinstance(widget, W.Image) else 0
    return own + sum(payload_bytes(c) for c in getattr(widget, "children", ()))


# --- stepping through the stamps of one convolution ---------------------------------------------

MAX_STEPS = 2000   # stamps one Steps object holds: a 28x28 input with a 3x3 kernel needs 784
MAX_FRAMES = 400   # pictures one browser-side animation carries: they all travel with the page


class Steps:
    """A figure and every stamp of one convolution, shown one step at a time."""

    def __init__(self, artists, update, x, w, b=None, stride=1, padding=0):
        shape = conv.output_shape(x, w, stride, padding)  # (C_out, O_h, O_w)
        count = shape[0] * shape[1] * shape[2]
        if count > MAX_STEPS:
            raise ValueError(f"this convolution has {count:,} stamps, more than the {MAX_STEPS:,} a "
                             "step-by-step picture shows; use a smaller input, fewer kernels or a larger stride")
        self.artists = artists  # from a viz.draw_* function
        self.update = update    # the matching viz.update_* function
        self.stamps = list(conv.stamps(x, w, b, stride=stride, padding=padding))
        # the finished output, and the step at which each of its cells is computed
        self.final = np.full(shape, np.nan)
        self.filled_at = np.zeros(shape, dtype=int)
        for i, stamp in enumerate(self.stamps):
            self.final[stamp.kernel, stamp.row, stamp.col] = stamp.total
            self.filled_at[stamp.kernel, stamp.row, stamp.col] = i

    def __len__(self):
        return len(self.stamps)

    def output_at(self, i):
        """The output after step i: (C_out, O_h, O_w), NaN where no stamp has been yet."""
        return np.where(self.filled_at <= i, self.final, np.nan)

    def show(self, i):
        """Draw step i into the figure: only the artists' data changes."""
        self.update(self.artists, self.stamps[i], self.output_at(i))

    def png(self, i, palette=False):
        """Step i as PNG bytes."""
        self.show(i)
        return viz.render_png(self.artists.canvas, palette=palette)

    def jpeg(self, i):
        """Step i as JPEG bytes: quicker to encode, for live explorers."""
        self.show(i)
        return viz.render_jpeg(self.artists.canvas)

    def frames(self, palette=True):
        """Every step as PNG bytes: the frames of a browser-side animation."""
        if len(self) > MAX_FRAMES:
            raise ValueError(f"an animation of {len(self):,} stamps would carry {len(self):,} pictures, more "
                             f"than {MAX_FRAMES}; use a smaller input or a larger stride, or the live explorer")
        return [self.png(i, palette) for i in range(len(self))]


def stamping_steps(x, w, stride=1, padding=0):
    """Steps of kernel w (1, 1, N, N) stamped over x (1, H, W)."""
    return Steps(viz.draw_stamping(x, w, stride, padding), viz.update_stamping, x, w, None, stride, padding)


def multichannel_steps(x, w, b=None, stride=1, padding=0):
    """Steps of kernels w (C_out, C_in, K, K) stamped over x (C, H, W), kernel by kernel."""
    return Steps(viz.draw_multichannel(x, w, b, stride, padding), viz.update_multichannel, x, w, b, stride, padding)


def _ints(name, values, fields):
    """A tuple of integers, one per field {field: lowest value}, or a ValueError naming `name`."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") or len(values) != len(fields):
        raise ValueError(f"each of {name} must be ({', '.join(fields)}), got {values!r:.60}")
    return tuple(check_int(f"{field} in {name}", v, low) for (field, low), v in zip(fields.items(), values))


def slider(description, name, value, low, high):
    """An IntSlider from low to high starting at `value`; a value outside is a ValueError, never clamped."""
    if not isinstance(description, str) or not isinstance(name, str):
        raise ValueError(f"description and name must be texts, got {description!r} and {name!r}")
    low = check_int("low", low, -2**31)
    high = check_int("high", high, low)
    return W.IntSlider(value=check_int(name, value, low, high), min=low, max=high, description=description,
                       style={"description_width": "initial"})  # the whole label, never cut


def error_html(err):
    """An error message, in red, as a widget shows it in place of its picture."""
    return f"<p style='color:#c92a2a'>{html.escape(str(err))}</p>"


class StepExplorer(W.VBox):
    """Live stepping: settings controls rebuild the steps, Play and the step slider redraw the figure.

    Frames are JPEG, the quickest to encode; `palette=True` gives the palette PNGs of the
    browser-side animations instead, byte for byte.
    """

    def __init__(self, settings, palette=False):
        self.palette = check_bool("palette", palette)
        self.play = W.Play(value=0, min=0, max=1, interval=FRAME_MS, description="Play")
        self.step = W.IntSlider(value=0, min=0, max=1, description="step")
        self.image = image_widget(format="png" if palette else "jpeg")
        self.message = W.HTML()  # an error, shown instead of a picture that would be stale
        W.jslink((self.play, "value"), (self.step, "value"))
        for row in settings:
            for control in row.children:
                control.observe(self._rebuild, names="value")
        self.step.observe(self._show_step, names="value")
        super().__init__([*settings, W.HBox([self.play, self.step]), self.message, self.image])
        self._rebuild()

    def make_steps(self):
        """The Steps for the current settings."""
        raise NotImplementedError

    @property
    def artists(self):
        return self.steps.artists

    @property
    def stamps(self):
        return self.steps.stamps

    def _rebuild(self, change=None):
        """New settings: new figure and stamps, back to the first step."""
        try:
            self.steps = self.make_steps()
        except Exception as err:  # shown in the widget: the old picture must not stay as if current
            self._show_error(err)
            return
        if self.step.value == 0:
            self._show_step()
        else:
            self.step.value = 0  # its observer draws the step
        self.play.max = self.step.max = len(self.steps) - 1

    def _show_step(self, change=None):
        """Draw the current step into the existing figure."""
        i = self.step.value
        try:
            self.image.value = self.steps.png(i, palette=True) if self.palette else self.steps.jpeg(i)
        except Exception as err:
            self._show_error(err)
            return
        self.message.value, self.image.layout.display = "", None

    def _show_error(self, err):
        """Show the error's message and hide the picture, which no longer matches the controls."""
        self.message.value, self.image.layout.display = error_html(err), "none"


# --- 1. stamping over one channel ----------------------------------------------------------------

def stamping_frames(x, w, stride=1, padding=0, palette=True):
    """One PNG per stamp of kernel w (1, 1, N, N) over x (1, H, W): exactly what the live explorer shows."""
    check_bool("palette", palette)
    return stamping_steps(x, w, stride, padding).frames(palette)


def stamping_animation(x=None, w=None, presets=STAMP_PRESETS):
    """The stamping animation for a few stride/padding presets: plays in the HTML book without a kernel."""
    x = example_input() if x is None else x
    w = example_kernel() if w is None else w
    presets = [_ints("presets", preset, {"stride": 1, "padding": 0})
               for preset in check_list("presets", presets, "(stride, padding) pairs")]
    labels = [f"stride {s}, padding {p}" for s, p in presets]
    return Choice(labels, [Animation(stamping_frames(x, w, s, p)) for s, p in presets])


class StampingExplorer(StepExplorer):
    """Live stamping: stride, padding, input and kernel run Python; each step redraws one figure."""

    def __init__(self, palette=False):
        self.stride = slider("stride", "stride", 1, 1, 3)
        self.padding = slider("padding", "padding", 0, 0, 2)
        self.input_kind = W.Dropdown(options=["random integers", "a vertical edge"], description="input")
        self.kernel_kind = W.Dropdown(options=["vertical edge", "horizontal edge", "sharpen", "random integers"],
                                      description="kernel")
        super().__init__([W.HBox([self.input_kind, self.kernel_kind]), W.HBox([self.stride, self.padding])],
                         palette)

    def make_steps(self):
        x, w = example_input(self.input_kind.value), example_kernel(self.kernel_kind.value)
        return stamping_steps(x, w, self.stride.value, self.padding.value)

    def __repr__(self):
        return "<live stamping explorer>"


# --- 2. stamping over several channels -----------------------------------------------------------

def multichannel_frames(x, w, b, stride=1, padding=0, palette=True):
    """One PNG per stamp of kernels w (C_out, C_in, K, K) over x (C, H, W), kernel by kernel."""
    check_bool("palette", palette)
    return multichannel_steps(x, w, b, stride, padding).frames(palette)


def example_multichannel(kernels=2, size=5, seed=0):
    """A 3-channel input (3, H, W), `kernels` kernels of depth 3 with small integers, and their biases."""
    kernels, size = check_int("kernels", kernels, 1, 8), check_int("size", size, 3, 32)
    seed = check_int("seed", seed, 0)
    gen = torch.Generator().manual_seed(seed)
    x = torch.randint(0, 5, (3, size, size), generator=gen).float()
    w = torch.randint(-1, 2, (kernels, 3, 3, 3), generator=gen).float()
    b = torch.randint(-2, 3, (kernels,), generator=gen).float()
    return x, w, b


def multichannel_animation(counts=(1, 2, 3)):
    """The 3-D convolution animated for 1, 2, ... kernels (C_out): plays without a running kernel."""
    counts = [check_int("counts", k, 1, 8) for k in check_list("counts", counts, "kernel counts")]
    animations = [Animation(multichannel_frames(*example_multichannel(k))) for k in counts]
    return Choice([f"{k} kernel{'s' if k > 1 else ''}" for k in counts], animations)


class MultiChannelExplorer(StepExplorer):
    """Live 3-D convolution: choose the number of kernels (1-3), then step through every stamp."""

    def __init__(self, palette=False):
        self.kernels = slider("kernels C_out", "kernels", 2, 1, 3)
        super().__init__([W.HBox([self.kernels])], palette)

    def make_steps(self):
        return multichannel_steps(*example_multichannel(self.kernels.value))

    def __repr__(self):
        return "<live multi-channel explorer>"


# --- 3. output size ------------------------------------------------------------------------------

def output_size_html(i, k, s, p):
    """The formula with the numbers put in, the result, the nn.Conv2d line and any uncovered rows."""
    try:
        o = conv_output_size(i, k, s, p)
    except ValueError as err:
        return error_html(err)
    exact = (i - k + 2 * p) / s
    floor_note = "" if (i - k + 2 * p) % s == 0 else f" (floored from {exact + 1:.2f})"
    missed = uncovered(i, k, s, p)
    missed_note = (f"<br>No stamp covers input rows and columns {missed}: they never reach the output."
                   if missed else "<br>Every input row and column is covered by some stamp.")
    return (f"<p><b>O</b> = &lfloor;(I &minus; K + 2P) / S&rfloor; + 1 = &lfloor;({i} &minus; {k} + 2&middot;{p}) / {s}"
            f"&rfloor; + 1 = <b>{o}</b>{floor_note}"
            f"<br>Output: {o}&times;{o} per kernel."
            f"<br><code>nn.Conv2d(in_channels, out_channels, kernel_size={k}, stride={s}, padding={p})</code>"
            f"{missed_note}</p>")


class OutputSizeExplorer(W.VBox):
    """Live I, K, S, P controls: the output-size formula, the nn.Conv2d line and a picture of the stamps."""

    def __init__(self, i=7, k=3, s=1, p=0):
        self.i = slider("I (input)", "i (input size)", i, 1, 32)
        self.k = slider("K (kernel)", "k (kernel size)", k, 1, 7)
        self.s = slider("S (stride)", "s (stride)", s, 1, 4)
        self.p = slider("P (padding)", "p (padding per side)", p, 0, 3)
        self.text = W.HTML()
        self.image = image_widget()
        for control in (self.i, self.k, self.s, self.p):
            control.observe(self._update, names="value")
        super().__init__([W.HBox([self.i, self.k]), W.HBox([self.s, self.p]), self.text, self.image])
        self._update()

    def _update(self, change=None):
        """Recompute the formula and redraw the picture for the current controls."""
        i, k, s, p = self.i.value, self.k.value, self.s.value, self.p.value
        self.text.value = output_size_html(i, k, s, p)  # the formula, or the error in words
        try:
            self.image.value = viz.render_png(viz.freeze(viz.draw_output_size(i, k, s, p)))
        except Exception as err:  # a kernel larger than the padded input: no picture to draw
            if not isinstance(err, ValueError):
                self.text.value = error_html(err)
            self.image.layout.display = "none"
            return
        self.image.layout.display = None

    def __repr__(self):
        return "<live output-size explorer>"


def output_size_examples(cases=((7, 3, 1, 0), (7, 3, 2, 0), (7, 3, 1, 1), (8, 3, 2, 0), (10, 3, 4, 0))):
    """Browser-side stand-in for the explorer: a few (I, K, S, P) cases, formula and picture each."""
    cases = [_ints("cases", case, {"I": 1, "K": 1, "S": 1, "P": 0})
             for case in check_list("cases", cases, "(I, K, S, P)")]
    children = [W.VBox([W.HTML(output_size_html(*case)), picture(viz.draw_output_size(*case))]) for case in cases]
    return Choice([f"I={i} K={k} S={s} P={p}" for i, k, s, p in cases], children)


# --- 4. parameters -------------------------------------------------------------------------------

def params_html(c_out, c_in, k):
    """weights = C_out*C_in*K^2, biases = C_out and their total, with the numbers put in."""
    count = conv_params(c_out, c_in, k)
    return (f"<p><b>weights</b> = C<sub>out</sub>&middot;C<sub>in</sub>&middot;K&sup2; = "
            f"{c_out}&middot;{c_in}&middot;{k}&sup2; = <b>{count.weights:,}</b>"
            f"<br><b>biases</b> = C<sub>out</sub> = <b>{count.biases:,}</b>"
            f"<br><b>total</b> = weights + biases = <b>{count.total:,}</b>"
            f"<br><code>nn.Conv2d(in_channels={c_in}, out_channels={c_out}, kernel_size={k})</code></p>")


class ParameterCounter(W.VBox):
    """Live C_out, C_in, K controls giving a conv layer's weights, biases and total."""

    def __init__(self, c_out=32, c_in=1, k=3):
        self.c_out = slider("C_out (kernels)", "c_out (number of kernels)", c_out, 1, 512)
        self.c_in = slider("C_in (input channels)", "c_in (input channels)", c_in, 1, 512)
        self.k = slider("K (kernel size)", "k (kernel size)", k, 1, 11)
        self.text = W.HTML()
        for control in (self.c_out, self.c_in, self.k):
            control.observe(self._update, names="value")
        super().__init__([W.HBox([self.c_out, self.c_in, self.k]), self.text])
        self._update()

    def _update(self, change=None):
        """Recompute the weights, biases and total."""
        self.text.value = params_html(self.c_out.value, self.c_in.value, self.k.value)

    def __repr__(self):
        return "<live parameter counter>"


def parameter_examples(cases=((32, 1, 3), (64, 32, 3), (64, 32, 5), (16, 3, 7))):
    """Browser-side stand-in for the counter: a few (C_out, C_in, K) layers."""
    cases = [_ints("cases", case, {"C_out": 1, "C_in": 1, "K": 1})
             for case in check_list("cases", cases, "(C_out, C_in, K)")]
    return Choice([f"C_out={c_out} C_in={c_in} K={k}" for c_out, c_in, k in cases],
                  [W.HTML(params_html(*case)) for case in cases])


def model_parameters(table):
    """A model's layer table beside a bar chart of parameters per layer (a cnnlib.shapes.LayerTable)."""
    check_instance("table", table, LayerTable, "a LayerTable from cnnlib.shapes.layer_table")
    return W.VBox([W.HTML(table._repr_html_()), picture(viz.draw_param_bars(table))])


# --- 5. a kernel learned, and what a unit sees ------------------------------------------------

def kernel_learning_animation(history, target, frames=None):
    """The kernel of `conv.learn_kernel`'s history step by step beside its target: plays without a kernel.

    `frames` pictures, spread evenly over the steps; None: one per step, so the slider shows the step.
    """
    history = check_list("history", history, "(loss, kernel) pairs from conv.learn_kernel")
    if not all(isinstance(h, tuple) and len(h) == 2 and isinstance(h[1], torch.Tensor) for h in history):
        raise ValueError("history must be the (loss, kernel) pairs that conv.learn_kernel returns")
    frames = len(history) if frames is None else check_int("frames", frames, 2, MAX_FRAMES)
    if frames > MAX_FRAMES:
        raise ValueError(f"history has {len(history)} steps, more than the {MAX_FRAMES} pictures an animation "
                         "carries; pass frames= to show fewer")
    art = viz.draw_kernel_learning(target, [loss for loss, _ in history])
    shown = sorted({round(i * (len(history) - 1) / (frames - 1)) for i in range(frames)})  # steps, evenly spread
    pictures = []
    for step in shown:
        loss, kernel = history[step]
        viz.update_kernel_learning(art, step, kernel[0, 0], loss)
        pictures.append(viz.render_png(art.canvas, palette=True))
    return Animation(pictures, description="step" if len(shown) == len(history) else "frame")


def receptive_field_examples(image, model):
    """For the centre unit after each convolution and pooling of `model`: its square on a grey image (H, W)."""
    fields = [f for f in receptive_fields(model) if f.name.startswith(("conv2d", "maxpool2d"))]
    if not fields:
        raise ValueError("model has no convolution or max pooling layers whose units see a part of the image")
    if np.ndim(image) != 2 or np.shape(image)[0] != np.shape(image)[1]:
        raise ValueError(f"image must be a square grey image (H, H), got shape {np.shape(image)}")
    side = np.shape(image)[0]
    shapes = {row.name: row.output_shape for row in layer_table(model, (1, side, side)).rows}  # (C, O, O)
    children, labels = [], []
    for field in fields:
        centre = (shapes[field.name][1] - 1) // 2  # the middle unit of that layer's maps
        first, _ = field.square(centre)
        fig = viz.draw_receptive_field(image, first, field.size, f"{field.name}: {field.size}x{field.size} pixels")
        children.append(image_widget(viz.render_png(viz.freeze(fig))))  # full colour: the thin outline stays
        labels.append(field.name)
    return Choice(labels, children)


# --- 5. feature maps -----------------------------------------------------------------------------

def sample_photo(size=128):
    """A grey photo from matplotlib's sample data, shrunk to `size` pixels wide. Shape (H, W) in [0, 1]."""
    size = check_int("size", size, 8, 1024)
    with matplotlib.cbook.get_sample_data("grace_hopper.jpg") as f:
        image = PIL.Image.open(f).convert("L")
        image = image.resize((size, round(size * image.height / image.width)))
    return torch.tensor(np.asarray(image), dtype=torch.float32) / 255


def feature_maps_widget(images):
    """For each named grey image (H, W): the image and its feature maps under the classic kernels."""
    if not isinstance(images, dict) or not images or not all(isinstance(name, str) for name in images):
        raise ValueError(f"images must be a dict of named grey images {{name: (H, W) tensor}}, got {images!r:.60}")
    kernels = conv.classic_kernels()
    children = [picture(viz.draw_feature_maps(img, conv.feature_maps(img, kernels), name))
                for name, img in images.items()]
    return Choice(list(images), children, description="image")
