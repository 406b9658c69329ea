"""Bring the exercises' Korean catalogues up to date with the executed notebooks (`make catalogs`).

Every exercise text a notebook shows (question, each wrong choice's reason, worked solution,
and the few fixed words) is saved in its outputs as an English span beside a Korean one
(cnnlib/quiz.py). Each chapter gets one catalogue, locales/ko/LC_MESSAGES/exercises/<chapter>.po:
a new text gets an empty translation, a changed one is marked fuzzy, a removed one goes.
After translating, re-execute the chapter (`make execute NB=book/<chapter>.ipynb`) so that
its saved outputs carry the new Korean.
"""

import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from cnnlib.quiz import LOCALES, exercise_messages

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = LOCALES / "ko" / "LC_MESSAGES" / "exercises"


def english_texts(notebook_path):
    """The chapter's exercise texts in English, once each, in the order the page shows them."""
    notebook = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    return list(dict.fromkeys(english for english, _ in exercise_messages(notebook)))


def update(chapter, texts):
    """Update (or start) one chapter's catalogue with its current English texts; return its path."""
    template = Catalog()
    for text in texts:
        template.add(text)
    path = CATALOGUES / f"{chapter}.po"
    if path.is_file():
        with open(path, "rb") as f:
            catalog = read_po(f, locale="ko")
    else:
        catalog = Catalog(locale="ko", project="cnn-book", domain=chapter)
    catalog.update(template)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        write_po(f, catalog, width=76, ignore_obsolete=True, omit_header=False)
    return path


def main(notebooks):
    for notebook in notebooks:
        texts = english_texts(notebook)
        if texts:
            path = update(Path(notebook).stem, texts)
            with open(path, "rb") as f:
                done = sum(1 for m in read_po(f) if m.id and m.string and not m.fuzzy)
            print(f"{path.relative_to(ROOT)}: {done} of {len(texts)} translated")


if __name__ == "__main__":
    main(sys.argv[1:] or sorted((ROOT / "book").glob("*.ipynb")))
