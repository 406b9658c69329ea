"""Exercises at the end of each chapter: numeric questions the reader answers and checks.

The questions are shown with jupyterquiz, which works in a running notebook and in the
HTML book alike (its checking runs in the browser). Answers are computed by the caller
with cnnlib, never typed in. Worked solutions sit in a collapsed <details> block, hidden
until the reader opens it.
"""

import hashlib
import html
import random
from dataclasses import dataclass

from IPython.display import HTML, display
from jupyterquiz import display_quiz


@dataclass(frozen=True)
class Question:
    """A question whose answer is one number."""

    text: str
    answer: float
    hint: str       # shown after a wrong answer
    solution: str   # the worked solution, shown only when asked for
    tolerance: float = 0.0

    def as_quiz(self):
        """The question in jupyterquiz's format."""
        answers = [{"type": "value", "value": self.answer, "correct": True, "feedback": "Correct."}]
        if self.tolerance:
            answers[0] = {"type": "range", "range": [self.answer - self.tolerance, self.answer + self.tolerance],
                          "correct": True, "feedback": "Correct."}
        answers.append({"type": "default", "feedback": f"Not yet. {self.hint}"})
        return {"question": self.text, "type": "numeric", "precision": 6, "answers": answers}


def show(questions):
    """Display the questions as a quiz, then their worked solutions, collapsed."""
    if not questions:
        raise ValueError("questions must hold at least one Question")
    quiz = [q.as_quiz() for q in questions]
    # jupyterquiz names its container at random: seed from the questions so a re-run gives the
    # same page (nbval compares outputs), and leave the global random state as it was.
    state = random.getstate()
    random.seed(hashlib.sha256(repr(quiz).encode()).hexdigest())
    try:
        display_quiz(quiz, shuffle_answers=False, colors="fdsp")
    finally:
        random.setstate(state)
    items = "".join(f"<li><p>{html.escape(q.text)}</p><p>{html.escape(q.solution)}</p></li>" for q in questions)
    display(HTML(f"<details class='cnn-solutions'><summary>Show the worked solutions</summary><ol>{items}</ol>"
                 "</details>"))
