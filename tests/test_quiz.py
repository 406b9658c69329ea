"""Exercises: choices, feedback linked in the browser, solutions folded."""

import pytest

from cnnlib import quiz


def question():
    return quiz.Question("Output size for I = 7, K = 3?", 5, ((7, "the kernel must fit."), (4, "add 1."),
                                                              (21, "the sizes do not multiply.")),
                         "(7 - 3) / 1 + 1.")


def test_choices_are_sorted_and_only_the_answer_is_right():
    choices = question().choices()
    assert [label for label, _, _ in choices] == ["4", "5", "7", "21"]
    assert [right for _, right, _ in choices] == [False, True, False, False]
    assert choices[0][2] == "Not quite: add 1."


@pytest.mark.parametrize("wrong", [((5, "same"), (6, "a"), (7, "b")), ((6, "a"), (6.0, "a again"), (7, "b"))])
def test_a_wrong_choice_equal_to_another_choice_is_refused(wrong):
    with pytest.raises(ValueError, match="must differ"):
        quiz.Question("?", 5, wrong, "")


def test_fewer_than_three_wrong_choices_are_refused():
    with pytest.raises(ValueError, match="at least 3 tempting wrong answers"):
        quiz.Question("?", 5, ((6, "a"), (7, "b")), "")


def test_feedback_follows_the_chosen_button_through_a_browser_side_link():
    widget = quiz.QuestionWidget(question(), 1)
    assert widget.buttons.index is None and widget.feedback.selected_index is None  # nothing shown yet
    (link,) = widget.links
    assert link.source == (widget.buttons, "index") and link.target == (widget.feedback, "selected_index")
    right = [label for label, ok, _ in question().choices()].index("5")
    assert "Correct." in widget.feedback.children[right].value
    assert all("Not quite" in c.value for i, c in enumerate(widget.feedback.children) if i != right)


def test_solutions_are_folded_and_hold_every_answer():
    text = quiz.solutions_html([question()])
    assert text.startswith("<details") and "<b>5</b>" in text
    assert "(7 - 3) / 1 + 1." in text


def test_numbers_print_without_needless_decimals():
    assert quiz.number(3136.0) == "3,136" and quiz.number(0.5) == "0.5"


def test_no_questions_is_an_error():
    with pytest.raises(ValueError, match="at least one"):
        quiz.Exercises([])
