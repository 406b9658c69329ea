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
    assert choices[0][2] == quiz.bilingual("Not quite:") + " " + quiz.bilingual("add 1.")


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
    assert '<span class="cnn-en">Correct.</span>' in widget.feedback.children[right].value
    assert all('<span class="cnn-en">Not quite:</span>' in c.value
               for i, c in enumerate(widget.feedback.children) if i != right)


def test_solutions_are_folded_and_hold_every_answer():
    text = quiz.solutions_html([question()])
    assert text.startswith(quiz.STYLE + "<details") and "<b>5</b>" in text
    assert "summary { display: list-item; cursor: pointer" in quiz.STYLE  # clickable where book.css is absent
    assert "(7 - 3) / 1 + 1." in text


def test_numbers_print_without_needless_decimals():
    assert quiz.number(3136.0) == "3,136" and quiz.number(0.5) == "0.5"


def test_no_questions_is_an_error():
    with pytest.raises(ValueError, match="at least one"):
        quiz.Exercises([])


def test_every_text_is_written_in_english_and_korean_from_the_catalogues():
    korean = quiz.translations("ko")
    assert korean["Correct."] != "Correct."  # the catalogues are read
    text = quiz.bilingual("Correct.")
    assert text == (f'<span class="cnn-en">Correct.</span>'
                    f'<span class="cnn-ko" lang="ko" style="display:none">{korean["Correct."]}</span>')
    assert quiz.exercise_messages({"outputs": [text]}) == [("Correct.", korean["Correct."])]


def test_a_text_without_translation_repeats_the_english_escaped():
    text = quiz.bilingual("Is 3 < 4 & 5?")
    assert quiz.exercise_messages({"cells": [text]}) == [("Is 3 < 4 & 5?", "Is 3 < 4 & 5?")]
    assert "&lt;" in text and "<4" not in text


def test_the_exercises_hold_every_text_in_both_languages():
    message = question()
    widget = quiz.QuestionWidget(message, 1)
    saved = [child.value for child in widget.feedback.children] + [widget.children[0].value,
                                                                    quiz.solutions_html([message])]
    english = {en for en, _ in quiz.exercise_messages({"outputs": saved})}
    assert english == {"Correct.", "Not quite:", "Show the worked solutions", message.text, message.solution,
                       *(why for _, why in message.wrong)}


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language must be one of"):
        quiz.translations("fr")


def test_the_books_widgets_carry_the_class_that_hides_jupyterlabs_disconnected_mark():
    from cnnlib import widgets
    frames = [b"\x89PNG"]  # one frame: the class does not depend on the pictures
    made = [quiz.Exercises([question()]), widgets.Animation(frames), widgets.OutputSizeExplorer(),
            widgets.Choice(["a"], [widgets.image_widget()])]
    assert all(quiz.LIVE in w._dom_classes for w in made)
    assert f".{quiz.LIVE} .jupyter-widgets-disconnected::before" in quiz.STYLE
    assert f".{quiz.LIVE} .jupyter-widgets-disconnected::before" in widgets.STYLE.read_text()
