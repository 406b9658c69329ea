"""The Korean edition draws Hangul with its own font, and holds every character it shows.

scripts/korean_font.py cuts Noto Sans CJK KR to the characters of the Korean edition's
sources at build time; book/_static/korean.css serves it (as "CNN Book Korean", for the
Hangul and CJK ranges only) to the Korean pages. Here, in the built book: every character of
those ranges that a Korean page, its saved widgets or Sphinx's Korean words hold is in both
faces (a character added to the text but missing from the font is named with its page);
a Korean page loads both faces and draws its heading's Hangul with them and its Latin
letters with the theme's font, within the page-weight budget counting the fonts; and an
English page never loads them.
"""

import html
import re
import sys

import pytest
from fontTools.ttLib import TTFont

from conftest import HTML, ROOT
from test_pages import PAGE_BUDGET, PageWatch, wait_for_widgets

sys.path.insert(0, str(ROOT / "scripts"))
import korean_font  # noqa: E402  (scripts/ is no package)

FAMILY = "CNN Book Korean"  # book/_static/korean.css's name for the font
FONTS = "_static/korean/"  # where each edition serves it
KOREAN = HTML / "ko"  # the Korean edition (the Makefile's html target)
PAGE = "ko/book/training.html"  # its heading mixes Hangul and Latin: 스터디 노트의 CNN 학습시키기
ESCAPED = re.compile(r"\\u([0-9a-fA-F]{4})")  # characters in JSON strings (saved widget state)


def served_characters():
    """{weight: the characters the served face holds}."""
    found = {}
    for weight in korean_font.FACES:
        path = KOREAN / FONTS / korean_font.served_name(weight)
        assert path.is_file(), f"{path} missing: `make html` runs scripts/korean_font.py before the build"
        found[weight] = {chr(code) for code in TTFont(str(path)).getBestCmap()}
    return found


def shown_characters(path):
    """The characters in the font's ranges that a built file holds, written out or escaped."""
    raw = path.read_text(encoding="utf-8")
    text = html.unescape(raw) + "".join(chr(int(code, 16)) for code in ESCAPED.findall(raw))
    return set(korean_font.IN_RANGES.findall(text))


def test_every_character_of_the_korean_pages_is_in_the_font():
    held = served_characters()
    pages = sorted(KOREAN.rglob("*.html")) + [KOREAN / "_static" / "translations.js", KOREAN / "searchindex.js"]
    missing = {}
    for path in pages:
        for weight, chars in held.items():
            absent = shown_characters(path) - chars
            if absent:
                missing[f"{path.relative_to(HTML)} ({weight})"] = "".join(sorted(absent))
    assert len(pages) > 15
    assert not missing, ("characters of the Korean pages missing from the Korean font (is their source among "
                         "scripts/korean_font.py's source_texts?):\n"
                         + "\n".join(f"{page}: {chars}" for page, chars in missing.items()))
    licence = (KOREAN / FONTS / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Adobe" in licence


def platform_fonts(page, selector):
    """{family: (drawn from a web font, glyph count)} of the text directly inside an element."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return {f["familyName"]: (f["isCustomFont"], f["glyphCount"]) for f in fonts}


def test_a_korean_page_draws_hangul_with_its_own_font(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = PageWatch(page, site)
    fonts = {}
    page.on("requestfinished", lambda req: FONTS in req.url and fonts.update(
        {req.url.rsplit("/", 1)[1]: req.sizes()["responseBodySize"]}))
    page.goto(site + PAGE, wait_until="load")
    page.wait_for_load_state("networkidle")
    wait_for_widgets(page)
    page.evaluate("document.fonts.ready.then(() => true)")
    assert page.evaluate("document.documentElement.lang").startswith("ko")

    loaded = page.evaluate("""(family) => [...document.fonts]
        .filter(f => f.family.replace(/["']/g, "") === family).map(f => `${f.weight} ${f.status}`)""", FAMILY)
    assert sorted(loaded) == ["400 loaded", "700 loaded"], f"the book's Korean faces: {loaded}"

    heading = ".bd-article h1"
    family = page.eval_on_selector(heading, "h => getComputedStyle(h).fontFamily")
    assert family.startswith(f'"{FAMILY}"'), f"the Korean heading's font-family: {family}"
    text = page.eval_on_selector(heading, "h => h.firstChild.textContent")
    hangul = len(korean_font.IN_RANGES.findall(text))
    latin = len(re.findall("[A-Za-z]", text))
    used = platform_fonts(page, heading)
    web = {name: count for name, (custom, count) in used.items() if custom}
    system = {name: count for name, (custom, count) in used.items() if not custom}
    assert list(web) == [korean_font.FAMILY] and web[korean_font.FAMILY] == hangul, \
        f"the heading {text!r} ({hangul} Hangul) drawn with {used}"
    assert latin and sum(system.values()) >= latin, f"its Latin letters not in the theme's font: {used}"

    shown = set(korean_font.IN_RANGES.findall(page.locator("body").inner_text()))
    absent = "".join(sorted(shown - served_characters()["Regular"]))
    assert not absent, f"characters shown on {PAGE} missing from the Korean font: {absent}"
    page.close()

    weight = watch.own_bytes + sum(fonts.values())
    print(f"{PAGE}: heading {text!r} drawn with {used}; fonts "
          + ", ".join(f"{name} {size / 1000:.0f} kB" for name, size in sorted(fonts.items()))
          + f"; {watch.own_bytes / 1e6:.2f} MB of its own, {weight / 1e6:.2f} MB with the fonts")
    assert not watch.problems, "\n".join(watch.problems)
    assert sorted(fonts) == sorted(korean_font.served_name(w) for w in korean_font.FACES)
    assert weight < PAGE_BUDGET, f"{PAGE} weighs {weight / 1e6:.2f} MB with its fonts, more than 3 MB"


@pytest.mark.parametrize("path", ["book/intro.html", "book/glossary.html"])
def test_the_english_edition_does_not_load_it(browser, site, path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requested = []
    page.on("request", lambda req: FONTS in req.url and requested.append(req.url))
    page.goto(site + path, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.close()
    assert not requested, f"the English page {path} loads the Korean font: {requested}"
