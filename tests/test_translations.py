"""The Korean edition keeps up with the English book (locales/ko, see `make catalogs`).

The English book's messages are extracted afresh (Sphinx's gettext builder, a few seconds).
Every one must have a Korean translation that is neither empty nor fuzzy (outdated), and
every translation must keep what makes the page work: the same glued numbers, the same
link targets, the same formulas.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = ROOT / "locales" / "ko" / "LC_MESSAGES"
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
