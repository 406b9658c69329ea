"""The words of pictures and printed conclusions, in the page's language.

A picture's texts (titles, axis labels, legends, the sums under a stamp) and the conclusions a
cell prints are written in English in the code. The Korean edition shows them in Korean: each
text is looked up as a template, its numbers replaced by {0}, {1}, ... ("stride {0}, padding
{1}"), in the chapters' Korean catalogues (locales/ko/LC_MESSAGES/exercises, the catalogues
the exercises use), and the numbers are put back with the particles after them chosen by rule
(`cnnlib.korean`). A text with no translation yet stays English.

Outputs carry their English templates and the Korean found for them in an HTML comment,
`<!-- words: ... -->`, in the same English/Korean spans as the exercises, so that `make
catalogs` finds every template a chapter shows and the translation test sees which ones a
notebook was executed without.
"""

import html
import re
from functools import partial

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from matplotlib.text import Text

from cnnlib.checks import check_instance
from cnnlib.quiz import translations

__all__ = [  # the public API: every callable here checks its arguments (tests/test_bad_arguments.py)
    "LANGUAGES", "template_of", "fill", "say", "translate_texts", "translate_figure", "korean_font", "words_comment",
    "printed_templates",
]

LANGUAGES = ("en", "ko")
# A number a template replaces: not part of a name (conv2d, layer1), but "7x7" holds two.
# A negative term in brackets, "(-1)", counts as one number, so a sum has one template whatever its signs.
NUMBER = re.compile(r"(?<![A-Za-wyz_.\d])(?:\([-−]\d+(?:\.\d+)?\)|[-−]?\d+(?:,\d{3})*(?:\.\d+)?(?:e[-+]?\d+)?)"
                    r"(?![A-Za-wyz_\d])")
SLOT = re.compile(r"\{(\d+)\}")
SPACES = re.compile(r" {2,}")
LETTERS = re.compile(r"[A-Za-z]")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
MATH = re.compile(r"^\$[^$]*\$$")  # a tick label as mathtext, such as $\mathdefault{10^{2}}$
CODE_NAME = re.compile(r"^[A-Za-z_][\w.]*[\d_][\w.]*$")  # conv2d_00, layer2.0.bn1: names, never translated
# A printed line that is code, not words: a tensor or a module as Python shows them.
CODE_LINE = re.compile(r"^\s*(?:tensor\(|Sequential\(|\)$|\(\w+\): \w+\(|\[)|dtype=torch")
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
KOREAN_FAMILIES = ("Noto Sans CJK KR", "Noto Sans KR", "NanumGothic", "Noto Sans CJK JP")


def template_of(text):
    """(template, numbers): the text with each number replaced by {0}, {1}, ..., and those numbers.

    Runs of spaces count as one, and spaces at the ends as none: a printed column padded to
    the width of its numbers ("MLP      5.4 s", "MLP     15.3 s") has one template, whatever
    the digits a machine measured. A translation lays out its own columns.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be words, got {type(text).__name__}")
    numbers = NUMBER.findall(text)
    counter = iter(range(len(numbers)))
    template = NUMBER.sub(lambda _m: f"{{{next(counter)}}}", text)
    return SPACES.sub(" ", template).strip(" "), numbers


def fill(template, numbers):
    """The template with {0}, {1}, ... replaced by the numbers, in any order the translation puts them."""
    if not isinstance(template, str):
        raise ValueError(f"template must be words, got {type(template).__name__}")
    if not isinstance(numbers, (list, tuple)) or not all(isinstance(n, str) for n in numbers):
        raise ValueError(f"numbers must be the numbers as text, such as template_of returns, got {numbers!r:.60}")
    numbers = list(numbers)
    wanted = [int(i) for i in SLOT.findall(template)]
    if any(i >= len(numbers) for i in wanted):
        raise ValueError(f"template {template!r} asks for number {max(wanted)}, but only {len(numbers)} were given")
    return SLOT.sub(lambda m: numbers[int(m.group(1))], template)


def _korean(text):
    """The Korean of an English text by its template, or None where the catalogues have none."""
    template, numbers = template_of(text)
    found = translations("ko").get(template)
    if found is None:
        return None
    from cnnlib.korean import resolve_particles  # particles after the numbers put back
    return resolve_particles(fill(found, numbers))


def translatable(text):
    """Whether a text has English words to translate (not a number, a layer's code name, or Korean already)."""
    text = text.strip()
    return (bool(LETTERS.search(text)) and not CODE_NAME.match(text) and not HANGUL.search(text)
            and not MATH.match(text))


def say(text, language="en"):
    """The text in `language`: English as written, Korean from the catalogues (English where none yet)."""
    if not isinstance(text, str):
        raise ValueError(f"text must be words, got {type(text).__name__}")
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {list(LANGUAGES)}, got {language!r}")
    if language == "en" or not translatable(text):
        return text
    return _korean(text) or text


def korean_font():
    """The name of a font on this machine that has Hangul, or None (Debian's fonts-noto-cjk has one)."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    for family in KOREAN_FAMILIES:
        if family in names:
            return family
    # matplotlib's font list may predate the font's installation: add the collections it missed
    for path in font_manager.findSystemFonts():
        if re.search(r"cjk|nanum|kr", path, re.IGNORECASE):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError):
                continue
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((family for family in KOREAN_FAMILIES if family in names), None)


def texts_of(fig):
    """Every text artist of a figure that holds words: titles, labels, legends, notes."""
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text() and translatable(t.get_text())]


def _said(formatter, language, value, position):
    """What a tick formatter writes, in `language`."""
    return say(formatter(value, position), language)


def _check_figure(fig, language):
    """Raise a ValueError unless fig is a Figure and language one of LANGUAGES."""
    check_instance("fig", fig, Figure, "a matplotlib Figure")
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {list(LANGUAGES)}, got {language!r}")


def translate_texts(fig, language):
    """Rewrite the figure's texts in `language`, in place (what update_* wrote on a frame); returns their templates."""
    _check_figure(fig, language)
    met = [template_of(text.get_text())[0] for text in texts_of(fig)]
    if language == "en":
        return met
    family = korean_font()
    for text in texts_of(fig):
        english = text.get_text()
        korean = _korean(english)
        if korean is not None and korean != english:
            text.set_text(korean)
            if family is not None and family not in text.get_fontfamily():  # Hangul from the Korean font
                text.set_fontfamily([*text.get_fontfamily(), family])
    return met


def translate_figure(fig, language):
    """Rewrite a figure not yet frozen in `language`, tick labels included; returns the English templates it met."""
    _check_figure(fig, language)
    if language == "en":
        return []
    FigureCanvasAgg(fig).draw()  # makes every tick label, in English, so that its template is met below
    for axis in (axis for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)):
        # tick labels are written anew by their formatter at every drawing: translate what it writes
        axis.set_major_formatter(FuncFormatter(partial(_said, axis.get_major_formatter(), language)))
        axis.set_minor_formatter(FuncFormatter(partial(_said, axis.get_minor_formatter(), language)))
    return translate_texts(fig, language)


def words_comment(templates):
    """An HTML comment listing the English templates with their Korean, for `make catalogs` and the tests."""
    if not isinstance(templates, (list, tuple)) or not all(isinstance(t, str) for t in templates):
        raise ValueError(f"templates must be English templates (texts), got {templates!r:.60}")
    found = translations("ko")

    def escaped(text):  # a line break as a character reference: the spans stay on one line
        return html.escape(text).replace("\n", "&#10;")

    spans = "".join(f'<span class="cnn-en">{escaped(t)}</span><span class="cnn-ko" lang="ko" '
                    f'style="display:none">{escaped(found.get(t, t))}</span>'
                    for t in dict.fromkeys(templates))
    return f"<!-- words: {spans.replace('--', '&#45;&#45;')} -->" if spans else ""


def printed_templates(notebook):
    """The templates of what a notebook's cells print, in page order: lines of stdout and stderr, and the
    plain texts of its saved widgets (a training run's progress line), where they hold words."""
    if not isinstance(notebook, dict) or "cells" not in notebook:
        raise ValueError(f"notebook must be a notebook read with json (a dict with cells), got {notebook!r:.60}")
    found = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            if output.get("output_type") != "stream":
                continue
            text = output["text"] if isinstance(output["text"], str) else "".join(output["text"])
            for line in text.split("\n"):
                if translatable(line) and not CODE_LINE.search(line):
                    found[template_of(line)[0]] = True
    for value in _plain_widget_texts(notebook.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {})):
        if translatable(value):
            found[template_of(value)[0]] = True
    return list(found)


def _plain_widget_texts(state):
    """The values of the saved HTML widgets that hold plain text (no markup), such as a progress line's."""
    models = state.get("state", {}) if isinstance(state, dict) else {}
    return [m["state"]["value"] for m in models.values() if m.get("model_name") == "HTMLModel"
            and isinstance(m.get("state", {}).get("value"), str) and "<" not in m["state"]["value"]
            and m["state"]["value"].strip()]
