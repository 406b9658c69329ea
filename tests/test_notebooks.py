"""The chapters' code is written to be read on the page."""

import json
import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
WIDTH = 79  # characters of code the book's column shows without a scroll bar
PAGES = sorted(BOOK.glob("*.ipynb")) + sorted(BOOK.glob("*.md"))
# the text of a fenced code block; fences that open a MyST directive, such as ```{note}, hold prose
FENCED = re.compile(r"^```(?!\{)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def shown_code(path):
    """The code a page shows: its code cells (unless hidden) and the fenced blocks of its text."""
    if path.suffix == ".md":
        return FENCED.findall(path.read_text())
    code = []
    for cell in json.loads(path.read_text())["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and "remove-input" not in cell["metadata"].get("tags", []):
            code.append(source)
        elif cell["cell_type"] == "markdown":
            code += FENCED.findall(source)
    return code


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_code_lines_fit_the_page(path):
    long = [line for block in shown_code(path) for line in block.splitlines() if len(line) > WIDTH]
    assert not long, f"{len(long)} code lines wider than {WIDTH} characters, first: {long[0]!r}"


def test_fenced_blocks_are_found():
    assert "make test" in "".join(shown_code(BOOK / "intro.md"))
