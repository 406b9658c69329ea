"""The chapters' code is written to be read on the page."""

import json
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
WIDTH = 79  # characters of code the book's column shows without a scroll bar


def shown_code_cells(path):
    """Code cells whose source the HTML book shows."""
    cells = json.loads(path.read_text())["cells"]
    return [c for c in cells if c["cell_type"] == "code" and "remove-input" not in c["metadata"].get("tags", [])]


@pytest.mark.parametrize("path", sorted(BOOK.glob("*.ipynb")), ids=lambda p: p.name)
def test_code_lines_fit_the_page(path):
    long = [line for cell in shown_code_cells(path) for line in "".join(cell["source"]).splitlines()
            if len(line) > WIDTH]
    assert not long, f"{len(long)} code lines wider than {WIDTH} characters, first: {long[0]!r}"

