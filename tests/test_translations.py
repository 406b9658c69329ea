"""The Korean edition keeps up with the English book (locales/ko, see `make catalogs`).

The English book's messages are extracted afresh (Sphinx's gettext builder, a few seconds).
Every one must have a Korean translation that is neither empty nor fuzzy (outdated), and
every translation must keep what makes the page work: the same glued numbers, the same
link targets, the same formulas. The exercises, which notebooks show as widgets, have
catalogues of their own (locales/ko/LC_MESSAGES/exercises): every text a notebook saved
must have a current translation that keeps its numbers, and the notebook must have been
executed with that translation.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from cnnlib.quiz import exercise_messages
from cnnlib.words import printed_templates

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = ROOT / "locales" / "ko" / "LC_MESSAGES"
EXERCISES = CATALOGUES / "exercises"
CHAPTERS_WITH_EXERCISES = sorted(  # the chapters whose code imports the exercises
    p for p in (ROOT / "book").glob("*.ipynb")
    if any("cnnlib.quiz" in "".join(c["source"]) for c in json.loads(p.read_text())["cells"] if c["cell_type"] == "code"))
NUMBERS = re.compile(r"\d+")
KEPT = {  # what a translation must carry over unchanged
    "glued numbers": re.compile(r"\{glue(?::\w+)?\}`[^`]+`"),
    "link targets": re.compile(r"\]\(([^)]+)\)"),
    "formulas": re.compile(r"\$[^$]+\$"),
}


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    """The English book's messages, one .pot per page."""
    out = tmp_path_factory.mktemp("gettext")
    book = Path(sys.executable).with_name("jupyter-book")
    build = subprocess.run([str(book), "build", str(ROOT), "--builder", "custom", "--custom-builder", "gettext",
                            "--path-output", str(out)], capture_output=True, text=True)
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    return out / "_build" / "gettext"


def messages(path):
    with open(path, "rb") as f:
        return [m for m in read_po(f) if m.id]


def test_every_english_message_has_a_current_korean_translation(templates):
    pots = sorted(templates.rglob("*.pot"))
    assert len(pots) >= 13  # one per page
    missing = []
    for pot in pots:
        page = pot.relative_to(templates).with_suffix(".po")
        translated = {m.id: m for m in messages(CATALOGUES / page)} if (CATALOGUES / page).is_file() else {}
        for message in messages(pot):
            found = translated.get(message.id)
            if found is None or not found.string or found.fuzzy:
                state = "fuzzy" if found is not None and found.fuzzy else "untranslated"
                missing.append(f"{page} ({state}): {message.id[:80]!r}")
    assert not missing, ("these English messages have no current Korean translation; run `make catalogs` and "
                         "translate them in locales/ko:\n" + "\n".join(missing))


@pytest.mark.parametrize("path", sorted((CATALOGUES / "book").glob("*.po")), ids=lambda p: p.name)
def test_a_display_formula_is_kept_as_it_is(path):
    """Sphinx cannot translate a display formula (a message that starts on a new line): it shows "::" instead."""
    changed = [f"{m.id[:70]!r}" for m in messages(path) if m.id.startswith("\n") and m.string and m.string != m.id]
    assert not changed, f"{path.name}: display formulas translated (keep them as the English has them):\n" + "\n".join(changed)


@pytest.mark.parametrize("path", sorted(CATALOGUES.rglob("*.po")), ids=lambda p: p.name)
def test_translations_keep_glued_numbers_links_and_formulas(path):
    broken = []
    for message in messages(path):
        if not message.string:
            continue
        for what, pattern in KEPT.items():
            if sorted(pattern.findall(message.id)) != sorted(pattern.findall(message.string)):
                broken.append(f"{what}: {message.id[:70]!r}")
    assert not broken, f"{path.name}: translations that lose or change\n" + "\n".join(broken)


def test_chapters_with_exercises_are_found():
    assert len(CHAPTERS_WITH_EXERCISES) >= 10


@pytest.mark.parametrize("notebook", CHAPTERS_WITH_EXERCISES, ids=lambda p: p.stem)
def test_every_exercise_has_a_current_korean_translation_saved_in_its_notebook(notebook):
    saved = exercise_messages(json.loads(notebook.read_text(encoding="utf-8")))
    assert saved, (f"{notebook.name} saved no exercise in both languages: re-execute it "
                   f"(make execute NB=book/{notebook.name})")
    path = EXERCISES / f"{notebook.stem}.po"
    catalogue = {m.id: m for m in messages(path)} if path.is_file() else {}
    missing, stale = [], []
    for english, korean in saved:
        found = catalogue.get(english)
        if found is None or not found.string or found.fuzzy:
            missing.append(f"({'fuzzy' if found is not None and found.fuzzy else 'untranslated'}) {english[:80]!r}")
        elif korean != found.string:
            stale.append(f"{english[:80]!r}")
    assert not missing, (f"exercise texts of {notebook.name} with no current Korean translation; run "
                         f"`make catalogs` and translate them in {path.relative_to(ROOT)}:\n" + "\n".join(missing))
    assert not stale, (f"{notebook.name} saved an older Korean text than its catalogue's; re-execute it "
                       f"(make execute NB=book/{notebook.name}):\n" + "\n".join(stale))


@pytest.mark.parametrize("notebook", sorted((ROOT / "book").glob("*.ipynb")), ids=lambda p: p.stem)
def test_every_line_a_chapter_prints_has_a_current_korean_translation(notebook):
    """The Korean edition shows printed lines translated by template (book/_ext/printed.py, cnnlib.words)."""
    templates = printed_templates(json.loads(notebook.read_text(encoding="utf-8")))
    path = EXERCISES / f"{notebook.stem}.po"
    catalogue = {m.id: m for m in messages(path)} if path.is_file() else {}
    missing = [f"{t[:80]!r}" for t in templates
               if t not in catalogue or not catalogue[t].string or catalogue[t].fuzzy]
    assert not missing, (f"lines {notebook.name} prints with no current Korean translation; run `make catalogs` "
                         f"and translate them in {path.relative_to(ROOT)} (keep a line that is code as it is):\n"
                         + "\n".join(missing))


def test_a_text_shown_in_several_chapters_has_one_translation():
    """The chapters' catalogues are read together (cnnlib.quiz.translations): one English, one Korean."""
    seen, differ = {}, []
    for path in sorted(EXERCISES.glob("*.po")):
        for m in messages(path):
            if m.string and not m.fuzzy:
                first = seen.setdefault(m.id, (path.stem, m.string))
                if first[1] != m.string:
                    differ.append(f"{m.id[:60]!r}: {first[0]} {first[1][:40]!r}, {path.stem} {m.string[:40]!r}")
    assert not differ, "translated differently in different chapters:\n" + "\n".join(differ)


@pytest.mark.parametrize("path", sorted(EXERCISES.glob("*.po")), ids=lambda p: p.stem)
def test_exercise_translations_keep_every_number(path):
    broken = [f"{m.id[:70]!r}" for m in messages(path)
              if m.string and sorted(NUMBERS.findall(m.id)) != sorted(NUMBERS.findall(m.string))]
    assert not broken, f"{path.name}: translations that lose or change a number\n" + "\n".join(broken)


def test_the_words_around_the_chapters_are_translated():
    """The theme's words and the author line (book/_ext/edition.py), including every word the theme has."""
    import sphinx_book_theme
    theme = (Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme" / "static" / "locales" / "ko"
             / "LC_MESSAGES" / "booktheme.po")
    ours = {name: {m.id: m for m in messages(CATALOGUES / name)} for name in ("booktheme.po", "sphinx.po")}
    missing = sorted({m.id for m in messages(theme)} - set(ours["booktheme.po"]))
    assert not missing, f"theme words missing from locales/ko/LC_MESSAGES/booktheme.po: {missing}"
    untranslated = [f"{name}: {m.id!r}" for name, found in ours.items() for m in found.values()
                    if not m.string or m.fuzzy]
    assert not untranslated, "\n".join(untranslated)
    assert "The cnn-book authors" in ours["sphinx.po"] and "Search this book..." in ours["sphinx.po"]
    assert "Show code cell {type}" in ours["sphinx.po"] and "Hide code cell {type}" in ours["sphinx.po"]


def test_every_verdict_a_page_can_glue_is_translated():
    """The rule of thumb's verdicts are glued into the text as words: the Korean edition translates them."""
    from cnnlib.experiments import VERDICTS
    ours = {m.id: m.string for m in messages(CATALOGUES / "sphinx.po") if not m.fuzzy}
    missing = [word for word in VERDICTS if not ours.get(word)]
    assert not missing, f"verdicts without a translation in locales/ko/LC_MESSAGES/sphinx.po: {missing}"
