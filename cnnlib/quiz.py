"""Exercises at the end of each chapter: questions the reader answers and checks in the page.

Each question offers a few numbers to choose from: the right one and the ones common
mistakes lead to. The choice is linked in the browser to its feedback, so checking works
in a running notebook and in the HTML book alike, with no kernel. Answers are computed by
the caller with cnnlib, never typed in. Worked solutions sit in a folded <details> block,
hidden until the reader opens it.

Every text is written out in English and in Korean, each in its own span; the page's
language picks one (book.css shows the Korean in the Korean edition; elsewhere the
Korean span is hidden). The Korean comes from the catalogues under
locales/ko/LC_MESSAGES/exercises/, one per chapter, which `make catalogs` updates from the
executed notebooks (`exercise_messages`).
"""

import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as W
from babel.messages.pofile import read_po
from IPython.display import HTML, display

from cnnlib.checks import check_list, check_number

__all__ = [  # the public API: every callable here checks its arguments (tests/test_bad_arguments.py)
    "number", "Question", "Exercises", "show", "translations", "bilingual", "exercise_messages",
]

LOCALES = Path(__file__).resolve().parents[1] / "locales"  # beside cnnlib in the repository

# The book's widgets all work in the browser, with no kernel (links between widgets, explorers'
# own code). JupyterLab marks every widget view with a red "disconnected" icon until a kernel
# holds its model; on the book's widgets (the class LIVE on each one) the style below hides it.
# It also makes "Show the worked solutions" look clickable where the book's stylesheet is absent.
LIVE = "cnn-live"
STYLE = (f"<style>.{LIVE}.jupyter-widgets-disconnected::before, .{LIVE} .jupyter-widgets-disconnected::before "
         "{ display: none; } details.cnn-solutions > summary { display: list-item; cursor: pointer; "
         "font-weight: 600; }</style>")
TRANSLATIONS = ("ko",)
SPANS = re.compile(r'<span class="cnn-en">(.*?)</span><span class="cnn-ko" lang="ko" style="display:none">(.*?)</span>')


def translations(language):
    """{English text: current translation} of the exercises, read from the language's catalogues."""
    if not isinstance(language, str) or language not in TRANSLATIONS:
        raise ValueError(f"language must be one of {list(TRANSLATIONS)}, got {language!r}")
    return read_catalogues(language)


@functools.lru_cache(maxsize=None)
def read_catalogues(language):
    """Every current translation in locales/<language>/LC_MESSAGES/exercises/*.po, read once."""
    found = {}
    for path in sorted((LOCALES / language / "LC_MESSAGES" / "exercises").glob("*.po")):
        with open(path, "rb") as f:
            found.update({m.id: m.string for m in read_po(f) if m.id and m.string and not m.fuzzy})
    return found  # empty where cnnlib is installed without the repository: the Korean repeats the English


def bilingual(text):
    """The text as HTML in English and in Korean (the English again where no translation exists yet)."""
    if not isinstance(text, str):
        raise ValueError(f"text must be words to show, got {type(text).__name__}")
    if not text.strip():
        return html.escape(text)
    korean = translations("ko").get(text, text)
    return (f'<span class="cnn-en">{html.escape(text)}</span>'
            f'<span class="cnn-ko" lang="ko" style="display:none">{html.escape(korean)}</span>')


def exercise_messages(notebook):
    """[(English, Korean as saved), ...] of every exercise text in an executed notebook's outputs."""
    if not isinstance(notebook, dict):
        raise ValueError(f"notebook must be a notebook read with json (a dict), got {type(notebook).__name__}")
    found = []

    def walk(value):
        if isinstance(value, str):
            found.extend((html.unescape(en), html.unescape(ko)) for en, ko in SPANS.findall(value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(notebook)
    return found


def number(value):
    """A number as the choices show it: integers without decimals, thousands separated."""
    value = check_number("value", value)
    return f"{int(value):,}" if value.is_integer() else f"{value:,.3g}"


MIN_WRONG = 3  # with the answer: at least four choices


@dataclass(frozen=True)
class Question:
    """A question with one right number and a few tempting wrong ones, each with why it is wrong."""

    text: str
    answer: float
    wrong: tuple      # ((value, what mistake gives it), ...)
    solution: str     # the worked solution, shown only when asked for

    def __post_init__(self):
        """Refuse a question the page could not show truthfully."""
        if not isinstance(self.text, str) or not self.text.strip():
            raise ValueError(f"text must be the question's words, got {self.text!r}")
        check_number("answer", self.answer)
        if isinstance(self.wrong, (str, bytes)) or not self.wrong or not all(
                isinstance(w, (tuple, list)) and len(w) == 2 and isinstance(w[1], str) for w in self.wrong):
            raise ValueError(f"wrong must be ((value, why it is wrong), ...), got {self.wrong!r:.80}")
        for value, _ in self.wrong:
            check_number("a wrong value", value)
        if len(self.wrong) < MIN_WRONG:
            raise ValueError(f"wrong must hold at least {MIN_WRONG} tempting wrong answers, each with the mistake "
                             f"behind it, so that no question can be answered by elimination; got {len(self.wrong)}")
        labels = [number(self.answer)] + [number(value) for value, _ in self.wrong]
        if len(set(labels)) < len(labels):
            raise ValueError(f"wrong choices must differ from each other and from the answer, got {labels}")
        if not isinstance(self.solution, str):
            raise ValueError(f"solution must be text, got {type(self.solution).__name__}")

    def choices(self):
        """(label, is it right, feedback as HTML) for every choice, in increasing order."""
        options = {number(self.answer): (True, bilingual("Correct."))}
        for value, why in self.wrong:
            if number(value) in options:
                raise ValueError(f"wrong choice {number(value)} repeats another choice of {self.text!r}")
            options[number(value)] = (False, f"{bilingual('Not quite:')} {bilingual(why)}")
        order = sorted(options, key=lambda label: float(label.replace(",", "")))
        return [(label, *options[label]) for label in order]


class QuestionWidget(W.VBox):
    """A question, its choices as buttons, and the feedback of the chosen one, switched in the browser."""

    def __init__(self, question, number_in_list):
        self.question = question
        choices = question.choices()
        self.buttons = W.ToggleButtons(options=[label for label, _, _ in choices], index=None,
                                       style={"button_width": "auto"})
        self.feedback = W.Stack([W.HTML(f"<p style='color:{'#2b8a3e' if right else '#c92a2a'}'><b>{text}"
                                        "</b></p>") for _, right, text in choices], selected_index=None)
        self.links = [W.jslink((self.buttons, "index"), (self.feedback, "selected_index"))]
        prompt = W.HTML(f"<p><b>{number_in_list}.</b> {bilingual(question.text)}</p>")
        super().__init__([prompt, self.buttons, self.feedback])

    def __repr__(self):
        return f"<question: {self.question.text}>"


class Exercises(W.VBox):
    """The exercises of a chapter."""

    def __init__(self, questions):
        questions = check_list("questions", questions, "Questions")
        if not all(isinstance(q, Question) for q in questions):
            raise ValueError("questions must all be Question objects")
        self.questions = [QuestionWidget(q, i) for i, q in enumerate(questions, start=1)]
        super().__init__(self.questions)
        self.add_class(LIVE)

    def __repr__(self):
        return f"<{len(self.questions)} exercises>"


def solutions_html(questions):
    """The worked solutions, folded in a <details> block."""
    items = "".join(f"<li><p>{bilingual(q.text)}</p><p><b>{number(q.answer)}</b>. {bilingual(q.solution)}</p></li>"
                    for q in questions)
    return (f"{STYLE}<details class='cnn-solutions'><summary>{bilingual('Show the worked solutions')}</summary>"
            f"<ol>{items}</ol></details>")


def show(questions):
    """Display the exercises, then their worked solutions, folded."""
    exercises = Exercises(questions)  # checks the questions
    display(exercises)
    display(HTML(solutions_html([widget.question for widget in exercises.questions])))
