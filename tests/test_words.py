"""Pictures and their words in both languages (cnnlib.words, cnnlib.widgets.Picture and Bilingual)."""

import random
import re

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from cnnlib import widgets, words
from cnnlib.quiz import translations

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # a machine without a Korean font


def random_text(rng):
    """English words with numbers of every kind among them."""
    pieces = ["stride", "padding", "x", "(", ")", "=", "+", ",", ":", "kernel", "layer2.0", "conv2d_00"]
    numbers = [str(rng.randint(0, 99999)), f"{rng.random() * 100:.3f}", f"{rng.randint(1000, 10**7):,}",
               f"({-rng.randint(1, 9)})", f"{rng.randint(1, 9)}x{rng.randint(1, 9)}", f"{rng.random():.1e}"]
    return " ".join(rng.choice(pieces + numbers) for _ in range(rng.randint(1, 10)))


def test_a_template_and_its_numbers_give_back_the_text():
    rng = random.Random(0)
    for _ in range(2000):
        text = random_text(rng)
        template, numbers = words.template_of(text)
        assert words.fill(template, numbers) == text
        bare = re.sub(r"\{\d+\}|layer2\.0|conv2d_00", "", template)  # without slots and names
        assert not re.search(r"\d", bare), (text, template)  # every other number became a slot


def test_numbers_inside_names_stay_and_signs_in_brackets_are_one_number():
    assert words.template_of("conv2d_00 and layer2.0 give 32") == ("conv2d_00 and layer2.0 give {0}", ["32"])
    assert words.template_of("3 + (-1) + 2 = 4") == ("{0} + {1} + {2} = {3}", ["3", "(-1)", "2", "4"])
    assert words.template_of("input 7x7, stride 2") == ("input {0}x{1}, stride {2}", ["7", "7", "2"])
    assert words.template_of("10,000 images") == ("{0} images", ["10,000"])


def test_a_translation_may_put_the_numbers_in_another_order():
    assert words.fill("{1}에서 {0}", ["a", "b"]) == "b에서 a"


def test_say_translates_by_template_and_chooses_particles():
    korean = translations("ko")
    assert korean.get("stride {0}, padding {1}"), "the catalogues translate the animations' choices"
    assert words.say("stride 2, padding 1", "ko") == korean["stride {0}, padding {1}"].replace("{0}", "2").replace(
        "{1}", "1")
    assert words.say("stride 2, padding 1", "en") == "stride 2, padding 1"
    assert words.say("conv2d_00", "ko") == "conv2d_00"  # a layer's name is not translated
    assert words.say("no such text anywhere 12", "ko") == "no such text anywhere 12"  # English until translated


def test_a_figure_is_translated_in_place_and_reports_its_templates():
    fig = Figure()
    ax = fig.subplots()
    ax.set_title("stride 2, padding 1")
    ax.set_xlabel("conv2d_00")
    met = words.translate_figure(fig, "ko")
    assert "stride {0}, padding {1}" in met
    assert ax.get_title() == words.say("stride 2, padding 1", "ko") != "stride 2, padding 1"
    assert ax.get_xlabel() == "conv2d_00"
    if words.korean_font() is not None:
        assert words.korean_font() in ax.title.get_fontfamily()


def test_a_picture_holds_both_languages_and_its_templates():
    fig = Figure(figsize=(2, 1))
    fig.subplots().set_title("stride 2, padding 1")
    picture = widgets.image(fig)
    page = picture._repr_html_()
    assert page.count("<img ") == 2 and 'class="cnn-en"' in page and 'class="cnn-ko" lang="ko" style="display:none"' in page
    assert "<!-- words: " in page and "stride {0}, padding {1}" in page
    if words.korean_font() is not None:
        assert picture.korean_png != picture.english_png


def test_an_animation_is_built_in_both_languages_and_the_korean_hides_in_jupyter():
    x, w = widgets.example_input(size=4), widgets.example_kernel()
    both = widgets.stamping_animation(x, w, presets=((1, 0),))
    english, korean = both.english, both.korean
    assert "cnn-en-block" in english._dom_classes and "cnn-ko-block" in korean._dom_classes
    assert korean.layout.display == "none" and english.layout.display != "none"
    assert english.labels == ["stride 1, padding 0"]
    assert korean.labels == [words.say("stride 1, padding 0", "ko")]
    comment = both.children[2].value
    assert "input {0}x{1}, padding {2}, stride {3}" in comment  # the figure's title, as a template
    assert any(t.startswith("output[{0}, {1}] =") for t in re.findall(r'<span class="cnn-en">(.*?)</span>', comment))
    frames_en, frames_ko = english.stack.children[0].stack.children, korean.stack.children[0].stack.children
    assert len(frames_en) == len(frames_ko) == 4
    if words.korean_font() is not None:
        assert frames_en[0].value != frames_ko[0].value


def test_the_stamping_figure_shows_the_same_numbers_in_both_languages():
    x, w = widgets.example_input(size=5), widgets.example_kernel()
    english = widgets.stamping_steps(x, w, language="en")
    korean = widgets.stamping_steps(x, w, language="ko")
    english.show(3)
    korean.show(3)
    def numbers(steps):  # every number the figure writes, in any order (a translation may move them)
        return sorted(n for t in steps.artists.canvas.fig.findobj(Text) for n in words.template_of(t.get_text())[1])

    assert numbers(english) == numbers(korean)
    assert np.isfinite(english.output_at(3)).sum() == 4


def test_each_edition_keeps_only_its_own_pictures():
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
    from one_language import drop_images, drop_widgets

    def model(classes=(), **state):
        return {"model_name": "X", "state": {"_dom_classes": list(classes), **state}}

    state = {"state": {
        "box": model(children=["IPY_MODEL_en", "IPY_MODEL_ko", "IPY_MODEL_note"]),
        "en": model(["cnn-en-block"], children=["IPY_MODEL_en_play"], layout="IPY_MODEL_en_layout"),
        "en_play": model(), "en_layout": model(),
        "ko": model(["cnn-ko-block"], children=["IPY_MODEL_ko_play"]), "ko_play": model(),
        "ko_link": model(source=["IPY_MODEL_ko_play", "value"], target=["IPY_MODEL_ko_play", "value"]),
        "note": model(), "other": model(children=["IPY_MODEL_note"]),
    }}
    kept = drop_widgets(state, "ko")["state"]
    assert set(kept) == {"box", "en", "en_play", "en_layout", "note", "other"}
    assert kept["box"]["state"]["children"] == ["IPY_MODEL_en", "IPY_MODEL_note"]
    page = '<p>a</p><img class="cnn-en" src="x" alt="a"><img class="cnn-ko" lang="ko" style="display:none" src="y">'
    assert drop_images(page, "ko") == '<p>a</p><img class="cnn-en" src="x" alt="a">'
    assert drop_images(page, "en") == '<p>a</p><img class="cnn-ko" lang="ko" style="display:none" src="y">'
