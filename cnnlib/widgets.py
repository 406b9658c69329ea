"""Widget wiring: the drawings of `cnnlib.viz`, made to move and to answer controls.

Every widget here works in the HTML book with no kernel, and in Jupyter. Two kinds:
- animations and choices (`Animation`, `Choice` and what is built from them): Play, slider
  and choices are linked in the browser (`jslink`) to pictures that matplotlib rendered
  when the page was executed, in English and in Korean (`Picture`, `Bilingual`: the page's
  language shows one, and each edition of the book keeps only its own);
- explorers (`StampingExplorer`, `MultiChannelExplorer`, `OutputSizeExplorer`,
  `ParameterCounter`, `ReceptiveFieldExplorer`): anywidgets whose browser-side module (`explorers/*.js`) computes and
  draws every setting the reader picks, with cnnlib's formulas; tests/browser checks
  each number they show against cnnlib.
"""

import base64
import html
import math
import pickle
from collections import OrderedDict
from pathlib import Path

import anywidget
import ipywidgets as W
import matplotlib.cbook
import matplotlib.figure
import numpy as np
import PIL.Image
import torch
import traitlets as T
from torch import nn

from cnnlib import conv, viz, words
from cnnlib.checks import check_bool, check_instance, check_int, check_ints, check_list, check_number
from cnnlib.data import Data
from cnnlib.quiz import LIVE
from cnnlib.shapes import (LayerTable, ReceptiveField, _pair, conv_output_size, conv_params, layer_modules,
                           layer_table, receptive_fields)

__all__ = [  # the public API: every callable here checks its arguments (tests/test_bad_arguments.py)
    "example_input", "example_kernel", "Animation", "Choice", "Bilingual", "Picture", "image", "picture",
    "payload_bytes",
    "stamping_steps", "multichannel_steps", "stamping_frames", "stamping_animation",
    "StampingExplorer", "multichannel_frames", "example_multichannel", "multichannel_animation",
    "MultiChannelExplorer", "OutputSizeExplorer", "ParameterCounter", "ReceptiveFieldExplorer", "model_parameters",
    "sample_photo", "feature_maps_widget", "kernel_learning_animation",
    "network_layers", "network_from_layers", "float16_check", "NetworkExplorer",
    "decode_numbers", "decode_images", "module_text",
]

STAMP_PRESETS = ((1, 0), (2, 0), (1, 1), (2, 1))  # (stride, padding) pairs rendered for the HTML book
FRAME_MS = 700  # time per frame when playing
INPUT_KINDS = ("random integers", "a vertical edge")
KERNEL_NAMES = ("vertical edge", "horizontal edge", "sharpen", "blur", "random integers")


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
    raise ValueError(f"kind must be one of {list(INPUT_KINDS)}, got {kind!r}")


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
        self.add_class(LIVE)  # it works with no kernel: no "disconnected" mark (cnnlib.quiz.STYLE)

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
        self.add_class(LIVE)

    def __repr__(self):
        return f"<choice of {len(self.labels)}: {', '.join(self.labels)}>"


class Bilingual(W.VBox):
    """The same widget built in English and in Korean: the page's language shows one.

    Jupyter shows the English (the Korean is hidden by its layout); the Korean edition's
    stylesheet (book.css) shows the Korean instead. `templates` are the English texts the
    pictures hold, carried with their Korean in an HTML comment for `make catalogs`.
    """

    def __init__(self, english, korean, templates=()):
        check_instance("english", english, W.Widget, "an ipywidgets widget")
        check_instance("korean", korean, W.Widget, "an ipywidgets widget")
        english.add_class("cnn-en-block")
        korean.add_class("cnn-ko-block")
        korean.layout.display = "none"
        self.english, self.korean = english, korean
        children = [english, korean]
        if words.words_comment(templates):
            children.append(W.HTML(words.words_comment(templates), layout=W.Layout(display="none")))
        super().__init__(children)
        self.add_class(LIVE)

    def __repr__(self):
        return f"<in English and Korean: {self.english!r}>"


def _korean_copy(fig):
    """A copy of the figure with its texts in Korean, and the English templates it holds."""
    copy = pickle.loads(pickle.dumps(fig))
    return copy, words.translate_figure(copy, "ko")


def _data_url(png):
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


class Picture:
    """A figure as an HTML output with an English and a Korean PNG: the page's language shows one."""

    def __init__(self, fig, palette=False):
        check_instance("fig", fig, matplotlib.figure.Figure, "a matplotlib Figure, such as a draw_* function returns")
        korean, self.templates = _korean_copy(fig)
        self.english_png = viz.render_png(viz.freeze(fig), palette=palette)
        self.korean_png = (viz.render_png(viz.freeze(korean), palette=palette)
                           if words.korean_font() is not None else self.english_png)  # no boxes for missing glyphs
        self.alt = {language: "; ".join(dict.fromkeys(words.say(t.get_text(), language) for t in words.texts_of(fig)))
                    for language in words.LANGUAGES}

    def _repr_html_(self):
        en, ko = (html.escape(self.alt[language], quote=True) for language in words.LANGUAGES)
        return (f'{words.words_comment(self.templates)}<img class="cnn-en" src="{_data_url(self.english_png)}" '
                f'alt="{en}"><img class="cnn-ko" lang="ko" style="display:none" src="{_data_url(self.korean_png)}" '
                f'alt="{ko}">')

    def __repr__(self):
        return f"<picture in English and Korean: {self.alt['en'][:60]}>"


def image(fig):
    """A figure as a plain picture output (no widget) in English and Korean: it shows in Jupyter and in the book."""
    return Picture(fig)


def image_widget(value=b"", format="png"):
    """An Image widget shown at its own size: never stretched to the page, only shrunk to fit it."""
    return W.Image(value=value, format=format, layout=W.Layout(align_self="flex-start"))


def picture(fig):
    """A figure as an Image widget in English and Korean (PNG, palette colours to keep pages light)."""
    check_instance("fig", fig, matplotlib.figure.Figure, "a matplotlib Figure, such as a draw_* function returns")
    shown = Picture(fig, palette=True)
    return Bilingual(image_widget(shown.english_png), image_widget(shown.korean_png), shown.templates)


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

    def __init__(self, artists, update, x, w, b=None, stride=1, padding=0, language="en"):
        shape = conv.output_shape(x, w, stride, padding)  # (C_out, O_h, O_w)
        count = shape[0] * shape[1] * shape[2]
        if count > MAX_STEPS:
            raise ValueError(f"this convolution has {count:,} stamps, more than the {MAX_STEPS:,} a "
                             "step-by-step picture shows; use a smaller input, fewer kernels or a larger stride")
        self.artists = artists  # from a viz.draw_* function
        self.update = update    # the matching viz.update_* function
        self.language = language  # of the texts update_* writes on each step
        self.met = {}  # the English templates of the texts shown so far (in an English figure), in order
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
        words.translate_texts(self.artists.canvas.fig, self.language)  # the words update_* wrote

    def png(self, i, palette=False):
        """Step i as PNG bytes."""
        self.show(i)
        return viz.render_png(self.artists.canvas, palette=palette)

    def frames(self, palette=True):
        """Every step as PNG bytes: the frames of a browser-side animation."""
        if len(self) > MAX_FRAMES:
            raise ValueError(f"an animation of {len(self):,} stamps would carry {len(self):,} pictures, more "
                             f"than {MAX_FRAMES}; use a smaller input or a larger stride, or the live explorer")
        pictures = []
        for i in range(len(self)):
            pictures.append(self.png(i, palette))
            self.met.update(dict.fromkeys(words.template_of(t.get_text())[0]
                                          for t in words.texts_of(self.artists.canvas.fig)))
        return pictures


def stamping_steps(x, w, stride=1, padding=0, language="en"):
    """Steps of kernel w (1, 1, N, N) stamped over x (1, H, W), the figure's words in `language`."""
    return Steps(viz.draw_stamping(x, w, stride, padding, language), viz.update_stamping, x, w, None, stride,
                 padding, language)


def multichannel_steps(x, w, b=None, stride=1, padding=0, language="en"):
    """Steps of kernels w (C_out, C_in, K, K) stamped over x (C, H, W), kernel by kernel, words in `language`."""
    return Steps(viz.draw_multichannel(x, w, b, stride, padding, language), viz.update_multichannel, x, w, b,
                 stride, padding, language)


def in_both_languages(build):
    """Bilingual(build("en"), build("ko")): `build(language)` returns (widget, English templates it shows)."""
    english, templates = build("en")
    korean, _ = build("ko" if words.korean_font() is not None else "en")  # no boxes where Hangul is missing
    return Bilingual(english, korean, templates)


def _said(texts, language):
    """(texts in `language`, their English templates)."""
    return [words.say(t, language) for t in texts], [words.template_of(t)[0] for t in texts]


def _ints(name, values, fields):
    """A tuple of integers, one per field {field: lowest value}, or a ValueError naming `name`."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") or len(values) != len(fields):
        raise ValueError(f"each of {name} must be ({', '.join(fields)}), got {values!r:.60}")
    return tuple(check_int(f"{field} in {name}", v, low) for (field, low), v in zip(fields.items(), values))


# --- 1. stamping over one channel ----------------------------------------------------------------

def stamping_frames(x, w, stride=1, padding=0, palette=True):
    """One PNG per stamp of kernel w (1, 1, N, N) over x (1, H, W), as the animation shows them."""
    check_bool("palette", palette)
    return stamping_steps(x, w, stride, padding).frames(palette)


def stamping_animation(x=None, w=None, presets=STAMP_PRESETS):
    """The stamping animation for a few stride/padding presets: plays in the HTML book without a kernel."""
    x = example_input() if x is None else x
    w = example_kernel() if w is None else w
    presets = [_ints("presets", preset, {"stride": 1, "padding": 0})
               for preset in check_list("presets", presets, "(stride, padding) pairs")]

    def build(language):
        steps = [stamping_steps(x, w, s, p, language) for s, p in presets]
        labels, templates = _said([f"stride {s}, padding {p}" for s, p in presets] + ["step"], language)
        animations = [Animation(one.frames(), description=labels[-1]) for one in steps]
        return Choice(labels[:-1], animations), templates + [t for one in steps for t in one.met]

    return in_both_languages(build)


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

    def build(language):
        steps = [multichannel_steps(*example_multichannel(k), language=language) for k in counts]
        labels, templates = _said([f"{k} kernel{'s' if k > 1 else ''}" for k in counts] + ["step"], language)
        animations = [Animation(one.frames(), description=labels[-1]) for one in steps]
        return Choice(labels[:-1], animations), templates + [t for one in steps for t in one.met]

    return in_both_languages(build)


# --- 3. the explorers: computed and drawn in the browser -----------------------------------------

MODULES_DIR = Path(__file__).with_name("explorers")  # the browser-side code of every explorer
MODULES = (  # its files, joined in this order into the one module an explorer ships (anywidget needs one)
    "korean.js",  # Korean particles by rule, which words.js's t() uses
    "words.js", "formulas.js", "grids.js",  # the words, the formulas, the DOM helpers and grids
    "stamping.js", "multichannel.js", "output-size.js", "parameters.js", "receptive-field.js",  # one per explorer
    "main.js",  # the EXPLORERS table and the render anywidget calls
    "network.js",  # the network explorer's only: it adds itself to EXPLORERS, so after main.js
)
STYLE = Path(__file__).with_name("explorers.css")


def module_text(network=False):
    """The browser code an explorer ships, as one module: the files of MODULES, network.js only for the network's."""
    network = check_bool("network", network)
    names = [name for name in MODULES if network or name != "network.js"]
    return "\n".join((MODULES_DIR / name).read_text(encoding="utf-8") for name in names)


class Explorer(anywidget.AnyWidget):
    """A widget whose controls, numbers and drawing live in the browser (cnnlib/explorers/).

    It works with no kernel: in the HTML book, from the state saved in the notebook, and in
    Jupyter. The browser code uses cnnlib's formulas and wording; tests/browser checks every
    number it shows against cnnlib. The settings sync back, so Python can read them.
    """

    kind = T.Unicode().tag(sync=True)

    def __init__(self, **settings):
        super().__init__(**settings)
        self.add_class(LIVE)  # it works with no kernel: no "disconnected" mark (explorers.css)

    @property
    def _esm(self):  # read when a widget is made (before its settings), not when cnnlib is imported
        return module_text()

    @property
    def _css(self):
        return STYLE.read_text(encoding="utf-8")


class SteppingExplorer(Explorer):
    """An explorer that steps through the stamps of a convolution, with stride and padding controls."""

    stride = T.Int().tag(sync=True)
    padding = T.Int().tag(sync=True)
    max_stride = T.Int().tag(sync=True)
    max_padding = T.Int().tag(sync=True)

    @staticmethod
    def stepping(limits, stride, padding):
        """The stride and padding traits, each checked against limits {name: (low, high)}."""
        return dict(stride=check_int("stride", stride, *limits["stride"]),
                    padding=check_int("padding", padding, *limits["padding"]),
                    max_stride=limits["stride"][1], max_padding=limits["padding"][1])


STAMPING_LIMITS = dict(size=(1, 9), stride=(1, 3), padding=(0, 2))


class StampingExplorer(SteppingExplorer):
    """Stamp a kernel over an input: choose both, the stride and the padding; click a number to change it."""

    inputs = T.Dict().tag(sync=True)   # {kind: [input (H, W) of size 1, 2, ...]}
    kernels = T.Dict().tag(sync=True)  # {name: kernel (K, K)}
    input_name = T.Unicode().tag(sync=True)
    kernel_name = T.Unicode().tag(sync=True)
    x = T.List().tag(sync=True)  # the input shown (H, W), edits included
    w = T.List().tag(sync=True)  # the kernel shown (K, K), edits included

    def __init__(self, input="random integers", kernel="vertical edge", size=7, stride=1, padding=0):
        low, high = STAMPING_LIMITS["size"]
        inputs = {kind: [example_input(kind, n)[0].tolist() for n in range(low, high + 1)]  # (H, W) each
                  for kind in INPUT_KINDS}
        kernels = {name: example_kernel(name)[0, 0].tolist() for name in KERNEL_NAMES}  # (K, K) each
        if input not in inputs:
            raise ValueError(f"input must be one of {sorted(inputs)}, got {input!r}")
        if kernel not in kernels:
            raise ValueError(f"kernel must be one of {sorted(kernels)}, got {kernel!r}")
        size = check_int("size", size, *STAMPING_LIMITS["size"])
        super().__init__(kind="stamping", inputs=inputs, kernels=kernels, input_name=input, kernel_name=kernel,
                         x=inputs[input][size - 1], w=kernels[kernel],
                         **self.stepping(STAMPING_LIMITS, stride, padding))

    def output(self):
        """What the explorer computes for its current settings, by cnnlib.conv.conv2d: (1, O_h, O_w)."""
        x, w = torch.tensor(self.x, dtype=torch.float32), torch.tensor(self.w, dtype=torch.float32)
        return conv.conv2d(x[None], w[None, None], stride=self.stride, padding=self.padding)

    def __repr__(self):
        return "<stamping explorer: runs in the browser>"


MULTICHANNEL_LIMITS = dict(c_in=(1, 3), c_out=(1, 3), stride=(1, 2), padding=(0, 1))


class MultiChannelExplorer(SteppingExplorer):
    """Kernels of depth C_in stamped over a C_in-channel input: choose C_in, C_out, stride and padding."""

    x = T.List().tag(sync=True)  # the largest input (3, H, W); the explorer shows its first C_in channels
    w = T.List().tag(sync=True)  # the largest kernels (3, 3, K, K)
    b = T.List().tag(sync=True)  # their biases (3,)
    c_in = T.Int().tag(sync=True)
    c_out = T.Int().tag(sync=True)

    def __init__(self, c_in=3, c_out=2, stride=1, padding=0):
        limits = MULTICHANNEL_LIMITS
        x, w, b = example_multichannel(kernels=limits["c_out"][1])
        super().__init__(kind="multichannel", x=x.tolist(), w=w.tolist(), b=b.tolist(),
                         c_in=check_int("c_in", c_in, *limits["c_in"]),
                         c_out=check_int("c_out", c_out, *limits["c_out"]),
                         **self.stepping(limits, stride, padding))

    def output(self):
        """What the explorer computes for its current settings, by cnnlib.conv.conv2d: (C_out, O_h, O_w)."""
        x, w, b = (torch.tensor(v, dtype=torch.float32) for v in (self.x, self.w, self.b))
        return conv.conv2d(x[:self.c_in], w[:self.c_out, :self.c_in], b[:self.c_out], self.stride, self.padding)

    def __repr__(self):
        return "<3-D convolution explorer: runs in the browser>"


# Wide enough for every case the book works through (I = 28 and 32, K = 7, P = 3).
OUTPUT_SIZE_LIMITS = dict(i=(1, 64), k=(1, 11), s=(1, 5), p=(0, 5), d=(1, 4))


class OutputSizeExplorer(Explorer):
    """I, K, S, P and D on sliders: the output-size formula with the reader's numbers and the stamps along one side."""

    i = T.Int().tag(sync=True)
    k = T.Int().tag(sync=True)
    s = T.Int().tag(sync=True)
    p = T.Int().tag(sync=True)
    d = T.Int().tag(sync=True)
    limits = T.Dict().tag(sync=True)

    def __init__(self, i=7, k=3, s=1, p=0, d=1):
        limits = OUTPUT_SIZE_LIMITS
        super().__init__(kind="output-size", limits=limits,
                         i=check_int("i (input size)", i, *limits["i"]),
                         k=check_int("k (kernel size)", k, *limits["k"]),
                         s=check_int("s (stride)", s, *limits["s"]),
                         p=check_int("p (padding per side)", p, *limits["p"]),
                         d=check_int("d (dilation)", d, *limits["d"]))

    def output_size(self):
        """O for the current settings, by cnnlib.shapes.conv_output_size (a ValueError when K is too large)."""
        return conv_output_size(self.i, self.k, self.s, self.p, self.d)

    def __repr__(self):
        return "<output-size explorer: runs in the browser>"


PARAMETER_LIMITS = dict(c_out=(1, 512), c_in=(1, 512), k=(1, 11))


class ParameterCounter(Explorer):
    """C_out, C_in and K on sliders: a convolution layer's weights, biases and total, with bars."""

    c_out = T.Int().tag(sync=True)
    c_in = T.Int().tag(sync=True)
    k = T.Int().tag(sync=True)
    limits = T.Dict().tag(sync=True)

    def __init__(self, c_out=32, c_in=1, k=3):
        limits = PARAMETER_LIMITS
        super().__init__(kind="parameters", limits=limits,
                         c_out=check_int("c_out (number of kernels)", c_out, *limits["c_out"]),
                         c_in=check_int("c_in (input channels)", c_in, *limits["c_in"]),
                         k=check_int("k (kernel size)", k, *limits["k"]))

    def count(self):
        """The count for the current settings, by cnnlib.shapes.conv_params."""
        return conv_params(self.c_out, self.c_in, self.k)

    def __repr__(self):
        return "<parameter counter: runs in the browser>"


def model_parameters(table):
    """A model's layer table beside a bar chart of parameters per layer (a cnnlib.shapes.LayerTable)."""
    check_instance("table", table, LayerTable, "a LayerTable from cnnlib.shapes.layer_table")
    box = W.VBox([W.HTML(table._repr_html_()), picture(viz.draw_param_bars(table))])
    box.add_class(LIVE)
    return box


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
    shown = sorted({round(i * (len(history) - 1) / (frames - 1)) for i in range(frames)})  # steps, evenly spread

    def build(language):
        art = viz.draw_kernel_learning(target, [loss for loss, _ in history], language)
        pictures, met = [], {}
        for step in shown:
            loss, kernel = history[step]
            viz.update_kernel_learning(art, step, kernel[0, 0], loss)
            met.update(dict.fromkeys(words.template_of(t.get_text())[0] for t in words.texts_of(art.canvas.fig)))
            words.translate_texts(art.canvas.fig, language)
            pictures.append(viz.render_png(art.canvas, palette=True))
        (description,), templates = _said(["step" if len(shown) == len(history) else "frame"], language)
        return Animation(pictures, description=description), templates + list(met)

    return in_both_languages(build)


class ReceptiveFieldExplorer(Explorer):
    """Pick a layer of `model` and click a unit of its maps: the square of the image (H, H) it sees."""

    image = T.List().tag(sync=True)   # (H, W) grey values in [0, 1]
    layers = T.List().tag(sync=True)  # [{name, size, jump, start, out}] per convolution and pooling
    layer = T.Unicode().tag(sync=True)
    unit = T.List().tag(sync=True)    # (row, column) of the unit shown; [] for the middle one

    def __init__(self, image, model):
        fields = [f for f in receptive_fields(model) if f.name.startswith(("conv2d", "maxpool2d"))]
        if not fields:
            raise ValueError("model has no convolution or max pooling layers whose units see a part of the image")
        if np.ndim(image) != 2 or np.shape(image)[0] != np.shape(image)[1]:
            raise ValueError(f"image must be a square grey image (H, H), got shape {np.shape(image)}")
        side = np.shape(image)[0]
        shapes = {row.name: row.output_shape for row in layer_table(model, (1, side, side)).rows}  # (C, O, O)
        layers = [dict(name=f.name, size=f.size, jump=f.jump, start=f.start, out=shapes[f.name][1]) for f in fields]
        image = np.clip(np.asarray(image, dtype=float), 0, 1).round(3).tolist()
        super().__init__(kind="receptive-field", image=image, layers=layers, layer=layers[-1]["name"], unit=[])

    def square(self):
        """(first row, first column, side) of the shown unit's square, by cnnlib.shapes.receptive_fields."""
        field = next(f for f in self.layers if f["name"] == self.layer)
        row, col = self.unit or [(field["out"] - 1) // 2] * 2
        rows = ReceptiveField(field["name"], field["size"], field["jump"], field["start"])
        return rows.square(row)[0], rows.square(col)[0], field["size"]

    def __repr__(self):
        return "<receptive-field explorer: runs in the browser>"


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
    figures = [viz.draw_feature_maps(img, conv.feature_maps(img, kernels), name) for name, img in images.items()]
    shown = [Picture(fig, palette=True) for fig in figures]

    def build(language):
        labels, templates = _said([*images, "image"], language)
        pictures = [image_widget(p.english_png if language == "en" else p.korean_png) for p in shown]
        return Choice(labels[:-1], pictures, description=labels[-1]), templates + [t for p in shown for t in p.templates]

    return in_both_languages(build)


# --- 6. a trained network, computing in the page ----------------------------------------------

NETWORK_KINDS = ("Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d", "AdaptiveAvgPool2d", "Flatten", "Linear")
NETWORK_LAYERS = {  # the layers network.js computes, with the numbers each one sends
    nn.Conv2d: ("weight", "bias"), nn.BatchNorm2d: ("weight", "bias", "running_mean", "running_var"),
    nn.ReLU: (), nn.MaxPool2d: (), nn.AdaptiveAvgPool2d: (), nn.Flatten: (), nn.Linear: ("weight", "bias"),
}
NETWORK_HEAD = ("AdaptiveAvgPool2d", "Flatten", "Linear")  # how the page's networks end: averages, then scores


def _one_size(name, **sizes):
    """The one number each (height, width) pair holds; a ValueError if the two halves differ."""
    out = {}
    for key, value in sizes.items():
        pair = _pair(value)
        if pair[0] != pair[1]:
            raise ValueError(f"layer {name!r}: the network explorer computes square windows, got {key}={value}")
        out[key] = pair[0]
    return out


def _layer_spec(module, row, field):
    """What network.js needs to know of one layer: kind, output shape, sizes, receptive field."""
    spec = dict(name=row.name, kind=type(module).__name__, shape=list(row.output_shape), params={},
                field=dict(size=field.size, jump=field.jump, start=field.start) if field else None)
    if isinstance(module, nn.Conv2d):
        if isinstance(module.padding, str) or module.groups != 1 or module.padding_mode != "zeros":
            raise ValueError(f"layer {row.name!r}: the network explorer computes convolutions with numeric zero "
                             "padding and no groups")
        sizes = _one_size(row.name, k=module.kernel_size, stride=module.stride, padding=module.padding,
                          dilation=module.dilation)
        if sizes.pop("dilation") != 1:
            raise ValueError(f"layer {row.name!r}: the network explorer computes convolutions without dilation")
        spec.update(c_out=module.out_channels, **sizes)
    elif isinstance(module, nn.MaxPool2d):
        sizes = _one_size(row.name, k=module.kernel_size, stride=module.stride, padding=module.padding,
                          dilation=module.dilation)
        if sizes.pop("padding") or sizes.pop("dilation") != 1 or module.ceil_mode:
            raise ValueError(f"layer {row.name!r}: the network explorer computes max pooling without padding, "
                             "dilation or ceil_mode")
        spec.update(**sizes)
    elif isinstance(module, nn.AdaptiveAvgPool2d) and _pair(module.output_size) != (1, 1):
        raise ValueError(f"layer {row.name!r}: the network explorer averages each map to one number "
                         f"(output_size 1), got {module.output_size}")
    elif isinstance(module, nn.BatchNorm2d):
        if module.running_mean is None:
            raise ValueError(f"layer {row.name!r}: the network explorer computes batch norm in evaluation mode, "
                             "with running statistics (track_running_stats=True)")
        spec.update(eps=module.eps)
    elif isinstance(module, nn.Linear):
        spec.update(f_out=module.out_features)
    return spec


def _numbers_of(module, name):
    """One of a layer's numbers, flat; a missing bias adds zeros, a batch norm without affine scales by ones."""
    values = getattr(module, name)
    if values is None:
        size = module.num_features if isinstance(module, nn.BatchNorm2d) else module.weight.shape[0]
        values = torch.ones(size) if name == "weight" else torch.zeros(size)
    return values.detach().float().cpu().contiguous().flatten()


def network_layers(model, input_shape):
    """The layers of a chain-shaped `model` for the network explorer, and its numbers (float32).

    Returns (specs, numbers): one dict per layer, and every number the layers compute with
    (weights, biases, batch norm's running statistics) in layer order, each spec saying where
    its own are. The chain must end as the page draws it: average pooling, flatten, linear.
    """
    check_instance("model", model, nn.Module, "a torch.nn.Module")
    table = layer_table(model, input_shape)
    fields = {f.name: f for f in receptive_fields(model)}
    modules = layer_modules(model)
    specs, numbers, previous, offset = [], [], "input", 0
    for row in table.rows:
        if row.inputs != (previous,):
            raise ValueError(f"layer {row.name!r} takes {', '.join(row.inputs)}: the network explorer "
                             "computes a chain of layers, each taking the one before")
        module = modules.get(row.name)
        if type(module) not in NETWORK_LAYERS:
            raise ValueError(f"layer {row.name!r} ({row.kind}) is not one the network explorer computes; it "
                             f"computes {', '.join(NETWORK_KINDS)}")
        previous = row.name
        spec = _layer_spec(module, row, fields.get(row.name))
        for name in NETWORK_LAYERS[type(module)]:
            values = _numbers_of(module, name)
            spec["params"][name] = [offset, len(values)]
            numbers.append(values)
            offset += len(values)
        specs.append(spec)
    kinds = [spec["kind"] for spec in specs]
    if tuple(kinds[-3:]) != NETWORK_HEAD or NETWORK_HEAD[0] in kinds[:-3] or "Linear" in kinds[:-3]:
        raise ValueError(f"model must end as the network explorer draws it, with {' -> '.join(NETWORK_HEAD)} "
                         f"(each map averaged, then the class scores) and no other of these before; its layers "
                         f"are {' -> '.join(kinds)}")
    return specs, torch.cat(numbers)


def network_from_layers(specs, numbers):
    """The PyTorch network that network.js computes from these specs and numbers (evaluation mode)."""
    check_list("specs", specs, "layer specs from network_layers")
    if not all(isinstance(spec, dict) and spec.get("kind") in NETWORK_KINDS for spec in specs):
        raise ValueError(f"specs must be the layer specs network_layers gives (dicts with a kind among "
                         f"{', '.join(NETWORK_KINDS)}), got {specs!r:.80}")
    needed = max((start + count for spec in specs for start, count in spec["params"].values()), default=0)
    if not isinstance(numbers, torch.Tensor) or numbers.dim() != 1 or not numbers.is_floating_point() \
            or len(numbers) != needed:
        raise ValueError(f"numbers must be a 1-D float tensor of the {needed} numbers the specs refer to, "
                         f"got {numbers!r:.60}")
    numbers = numbers.float()
    layers = {}
    for spec in specs:
        kind, shape = spec["kind"], spec["shape"]
        if kind == "Conv2d":
            p = spec["params"]
            c_in = p["weight"][1] // (spec["c_out"] * spec["k"] ** 2)
            layer = nn.Conv2d(c_in, spec["c_out"], spec["k"], spec["stride"], spec["padding"])
        elif kind == "BatchNorm2d":
            layer = nn.BatchNorm2d(shape[0], eps=spec["eps"])
        elif kind == "MaxPool2d":
            layer = nn.MaxPool2d(spec["k"], spec["stride"])
        elif kind == "AdaptiveAvgPool2d":
            layer = nn.AdaptiveAvgPool2d(1)
        elif kind == "Linear":
            layer = nn.Linear(spec["params"]["weight"][1] // spec["f_out"], spec["f_out"])
        else:
            layer = {"ReLU": nn.ReLU, "Flatten": nn.Flatten}[kind]()
        for name, (start, count) in spec["params"].items():
            getattr(layer, name).data = numbers[start:start + count].reshape(getattr(layer, name).shape).clone()
        layers[spec["name"]] = layer
    return nn.Sequential(OrderedDict(layers)).eval()


def _as_float16(numbers):
    """Numbers rounded to float16 and back to float32: what the page computes with."""
    return numbers.half().float()


def float16_check(model, data):
    """How rounding `model`'s learned numbers to float16 changes its test predictions.

    Returns (predictions changed, test images, accuracy in float32, accuracy with float16 numbers).
    """
    check_instance("data", data, Data, "a Data from cnnlib.data.load")
    specs, numbers = network_layers(model, tuple(data.test_x.shape[1:]))  # (C, H, W)
    exact = network_from_layers(specs, numbers)
    rounded = network_from_layers(specs, _as_float16(numbers))
    with torch.no_grad():
        a = torch.cat([exact(x).argmax(1) for x in data.test_x.split(1000)])
        b = torch.cat([rounded(x).argmax(1) for x in data.test_x.split(1000)])
    y = data.test_y
    return (int((a != b).sum()), len(y), (a == y).float().mean().item(), (b == y).float().mean().item())


def _sample_images(data, per_class):
    """Indices of the first `per_class` test images of each class, class by class."""
    out = []
    for label in range(len(data.classes)):
        found = (data.test_y == label).nonzero().flatten()[:per_class].tolist()
        out += found
    return out


class NetworkExplorer(Explorer):
    """A trained network computing in the page: draw or pick an image, see every layer's maps and the prediction.

    The browser code (explorers/network.js, after the others) computes the forward pass itself from
    the layers and learned numbers sent here, rounded to float16 to keep the page light
    (`float16_check` says what that rounding changes). Click a unit to see its stamp.
    """

    layers = T.List().tag(sync=True)      # one spec per layer, from network_layers
    weights = T.Unicode().tag(sync=True)  # every learned number, float16, little-endian, base64
    xdim = T.List().tag(sync=True)        # (C, H, W) of one input image
    mean = T.Float().tag(sync=True)       # the training pixels' mean and standard deviation in [0, 1]:
    std = T.Float().tag(sync=True)        # the page normalises an input as the training images were
    images = T.Unicode().tag(sync=True)   # test images (N, C, H, W) as bytes 0..255, base64
    labels = T.List().tag(sync=True)      # their classes (N,)
    indices = T.List().tag(sync=True)     # their numbers in the test set (N,)
    classes = T.List().tag(sync=True)     # class names
    picked = T.Int(allow_none=True).tag(sync=True)  # the test image shown first (None: an empty canvas)

    def __init__(self, model, data, per_class=5):
        check_instance("data", data, Data, "a Data from cnnlib.data.load")
        per_class = check_int("per_class", per_class, 1, 20)  # each image travels with the page
        xdim = tuple(data.test_x.shape[1:])  # (C, H, W)
        if xdim[0] != 1:
            raise ValueError(f"data must hold grey images (1, H, W): the page draws one channel, got {xdim}")
        specs, numbers = network_layers(model, xdim)
        index = _sample_images(data, per_class)
        raw = ((data.test_x[index] * data.std + data.mean) * 255).round().clamp(0, 255).to(torch.uint8)  # (N, C, H, W)
        super().__init__(kind="network", layers=specs, weights=_base64(numbers.half().numpy().astype("<f2")),
                         xdim=list(xdim), mean=float(data.mean), std=float(data.std),
                         images=_base64(raw.numpy()), labels=data.test_y[index].tolist(), indices=index,
                         classes=list(data.classes), picked=0)

    @property
    def _esm(self):  # the explorers' module, then the network's, which adds itself to it
        return module_text(network=True)

    def model(self):
        """The PyTorch network the page computes: these layers with the float16-rounded numbers."""
        return network_from_layers(self.layers, decode_numbers(self.weights))

    def sample(self, i):
        """Test image i of the page as the network gets it: (1, C, H, W), normalised."""
        return decode_images(self.images, self.xdim, self.mean, self.std)[i][None]

    def __repr__(self):
        return f"<network explorer: {len(self.layers)} layers, runs in the browser>"


def _bytes(text):
    """The bytes of base64 `text`, or a ValueError that names text."""
    try:
        return base64.b64decode(text, validate=True)
    except (TypeError, ValueError):
        raise ValueError(f"text must be base64 text, as a NetworkExplorer saves it, got {text!r:.40}") from None


def decode_numbers(text):
    """A NetworkExplorer's weights (float16 in base64) as float32 numbers."""
    raw = _bytes(text)
    if len(raw) % 2:
        raise ValueError(f"text must hold float16 numbers (2 bytes each), got {len(raw)} bytes")
    return torch.from_numpy(np.frombuffer(raw, dtype="<f2").astype(np.float32))


def decode_images(text, xdim, mean, std):
    """A NetworkExplorer's images (bytes in base64) normalised as the network gets them: (N, C, H, W)."""
    xdim = check_ints("xdim", xdim, 1)
    if len(xdim) != 3:
        raise ValueError(f"xdim must be (C, H, W) of one image, got {xdim}")
    mean, std = check_number("mean", mean), check_number("std", std, above=0)
    raw = _bytes(text)
    if len(raw) % math.prod(xdim):
        raise ValueError(f"text must hold whole images of {math.prod(xdim)} bytes, got {len(raw)} bytes")
    raw = np.frombuffer(raw, dtype=np.uint8).reshape(-1, *xdim)
    return (torch.from_numpy(raw.astype(np.float32)) / 255 - mean) / std


def _base64(array):
    """An array's bytes as base64 text."""
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")
