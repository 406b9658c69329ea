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
from cnnlib.words import printed_templates

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = LOCALES / "ko" / "LC_MESSAGES" / "exercises"


def outputs_in_page_order(notebook):
    """Every output's HTML, a widget's with its children's, in the order the page shows them.

    A notebook keeps its widgets' state in a dict keyed by random ids; walking the cells'
    outputs instead keeps the catalogue's order the same from one execution to the next.
    """
    state = notebook.get("metadata", {}).get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}).get("state", {})

    def widget(model_id):
        model = state.get(model_id, {}).get("state", {})
        yield str(model.get("value", ""))
        for child in model.get("children", []):
            yield from widget(child.removeprefix("IPY_MODEL_"))

    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "application/vnd.jupyter.widget-view+json" in data:
                yield from widget(data["application/vnd.jupyter.widget-view+json"]["model_id"])
            yield "".join(data.get("text/html", ""))


def english_texts(notebook_path):
    """The chapter's exercise texts in English, once each, in the order the page shows them."""
    notebook = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    ordered = exercise_messages({"outputs": list(outputs_in_page_order(notebook))})
    everywhere = exercise_messages(notebook)  # the same texts, unless a widget hides off the page
    printed = printed_templates(notebook)  # the lines its cells print, by template (cnnlib.words)
    return list(dict.fromkeys([english for english, _ in ordered + everywhere] + printed))


def update(chapter, texts):
    """Update (or start) one chapter's catalogue with its current English texts; return its path and it."""
    template = Catalog()
    for text in texts:
        template.add(text)
    path = CATALOGUES / f"{chapter}.po"
    if path.is_file():
        with open(path, "rb") as f:
            catalog = read_po(f, locale="ko")
    else:
        catalog = Catalog(locale="ko", project="cnn-book", domain=chapter)
    catalog.update(template, update_creation_date=False)  # no churn when nothing changed
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        write_po(f, catalog, width=76, ignore_obsolete=True, omit_header=False)
    return path, catalog


def main(notebooks):
    for notebook in notebooks:
        texts = english_texts(notebook)
        if texts:
            path, catalog = update(Path(notebook).stem, texts)
            done = sum(1 for m in catalog if m.id and m.string and not m.fuzzy)
            print(f"{path.relative_to(ROOT)}: {done} of {len(texts)} translated")


if __name__ == "__main__":
    main(sys.argv[1:] or sorted((ROOT / "book").glob("*.ipynb")))
