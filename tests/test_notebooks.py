"""The chapters' code is written to be read on the page."""

import json
import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
WIDTH = 79  # characters of code the book's column shows without a scroll bar
PAGES = sorted(BOOK.glob("*.ipynb")) + sorted(BOOK.glob("*.md"))
def fenced_code(text):
    """The code blocks of a page's text. A fence that opens a MyST directive (```{note}) holds
    prose, and the bare ``` that closes it must not be taken for the start of a code block."""
    blocks, open_fences, lines = [], [], None
    for line in text.splitlines():
        if not line.startswith("```"):
            if lines is not None:
                lines.append(line)
        elif lines is not None and line.strip() == "```":  # the end of a code block
            blocks.append("\n".join(lines))
            lines = None
        elif lines is None and line.startswith("```{"):    # a directive opens: prose inside
            open_fences.append(line)
        elif lines is None and line.strip() == "```" and open_fences:  # a directive closes
            open_fences.pop()
        elif lines is None:                                # a code block opens
            lines = []
    return blocks


def shown_code(path):
    """The code a page shows: its code cells (unless hidden) and the fenced blocks of its text."""
    if path.suffix == ".md":
        return fenced_code(path.read_text())
    code = []
    for cell in json.loads(path.read_text())["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and "remove-input" not in cell["metadata"].get("tags", []):
            code.append(source)
        elif cell["cell_type"] == "markdown":
            code += fenced_code(source)
    return code


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_code_lines_fit_the_page(path):
    long = [line for block in shown_code(path) for line in block.splitlines() if len(line) > WIDTH]
    assert not long, f"{len(long)} code lines wider than {WIDTH} characters, first: {long[0]!r}"


def test_fenced_blocks_are_found():
    assert "make test" in "".join(shown_code(BOOK / "intro.md"))
    text = "```{note}\nprose\n```\n\n```python\ncode()\n```\n```bash\nmake\n```"
    assert fenced_code(text) == ["code()", "make"]


# Numbers that look like measured results: decimals with two or more places (accuracies,
# rates), percentages (shares), durations and "N times" ratios.
MEASURED = re.compile(r"(?<![\w.])\d[\d,]*\.\d{2,}(?!\w)|\d+(?:\.\d+)?\s?%|\d+(?:\.\d+)?\s?(?:s|ms|seconds|minutes)\b"
                      r"|\d[\d,]*(?:\.\d+)?\s?times\b")
# Written by hand, not measured: the settings and fixed examples each page states.
NOT_MEASURED = {
    "intro.md": {"3.11": "the Python version"},
    "training.ipynb": {"0.001": "the note's learning rate and the rounding example's step",
                       "1.001": "the rounding example's exact sum",
                       "0.1234567": "the rounding example's input", "0.1235": "its rounded digits",
                       "0.90": "the accuracy floor, a setting",
                       "0.95": "one-cycle's highest momentum, PyTorch's setting",
                       "0.85": "one-cycle's lowest momentum, PyTorch's setting"},
    "modern-networks.ipynb": {"1.7159": "LeNet-5's scaled tanh, the 1998 paper's constant"},
    "pros-and-cons.ipynb": {"0.005": "RECIPE's peak learning rate, a setting",
                            "7%": "the rule of thumb's level as a paired t-test with 2 degrees of "
                                  "freedom: t > 2 x sqrt(3), two-sided p = 0.074"},
}
NOT_PROSE = re.compile(r"\{glue:\w+\}`[^`]*`|`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|^```(?!\{).*?^```|\]\([^)]*\)",
                       re.MULTILINE | re.DOTALL)


def prose(path):
    """The page's text, without code spans, glued values, maths and link targets."""
    if path.suffix == ".md":
        texts = [path.read_text()]
    else:
        texts = ["".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "markdown"]
    return [NOT_PROSE.sub(" ", text) for text in texts]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_the_prose_quotes_measured_numbers_only_through_glue(path):
    allowed = NOT_MEASURED.get(path.name, {})
    quoted = [m.group(0) for text in prose(path) for m in MEASURED.finditer(text) if m.group(0) not in allowed]
    assert not quoted, (f"{path.name} quotes {quoted} in its text: glue measured numbers from the computation "
                        "(myst_nb.glue) or list a stated setting in NOT_MEASURED with its reason")


@pytest.mark.parametrize("text, found", [
    ("the MLP reaches 0.883 on the test set", ["0.883"]), ("convolutions take 53% of it", ["53%"]),
    ("five epochs took 66 s", ["66 s"]), ("61,544 times as many", ["61,544 times"]),
    ("reaches {glue:text}`acc:.3f` after `fit(lr=0.005)`", []), ("a 3x3 kernel over a 7 × 7 input", []),
])
def test_the_measured_number_finder_finds_what_it_should(text, found):
    assert [m.group(0) for m in MEASURED.finditer(NOT_PROSE.sub(" ", text))] == found


@pytest.mark.parametrize("path", sorted(BOOK.glob("*.ipynb")), ids=lambda p: p.name)
def test_cells_the_book_shows_without_code_are_folded_in_jupyterlab_too(path):
    cells = json.loads(path.read_text())["cells"]
    hidden_in_book = [c for c in cells if "remove-input" in c["metadata"].get("tags", [])]
    assert all(c["metadata"].get("jupyter", {}).get("source_hidden") for c in hidden_in_book), (
        f"{path.name}: run make execute NB={path.relative_to(BOOK.parent)} to fold its exercise sources")


GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([\w-]+)")


@pytest.mark.parametrize("path", sorted(BOOK.glob("*.ipynb")), ids=lambda p: p.name)
def test_every_glued_name_the_prose_uses_is_glued_by_the_page(path):
    cells = json.loads(path.read_text())["cells"]
    used = {name for c in cells if c["cell_type"] == "markdown" for name in GLUE_ROLE.findall("".join(c["source"]))}
    glued = {o["metadata"]["scrapbook"]["name"] for c in cells if c["cell_type"] == "code"
             for o in c.get("outputs", []) if "scrapbook" in o.get("metadata", {})}
    assert used <= glued, f"{path.name} uses {sorted(used - glued)} in its text, but no cell glues them"


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
CNNLIB = BOOK.parent / "cnnlib"


@pytest.mark.parametrize("path", sorted(BOOK.glob("*.ipynb")), ids=lambda p: p.name)
def test_every_explorer_a_page_saves_carries_the_current_browser_code(path):
    # The HTML book and JupyterLab run the explorer code saved in the notebook's widget
    # state; code older than cnnlib/explorers/*.js (network.js included) would show what the tests no longer
    # check. widgets.module_text puts the files together as the explorers ship them.
    from cnnlib.widgets import module_text
    state = json.loads(path.read_text())["metadata"].get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    explorers = [m["state"] for m in state.values() if m["model_name"] == "AnyModel"]
    style = (CNNLIB / "explorers.css").read_text()
    stale = [m["kind"] for m in explorers
             if m["_esm"] != module_text(network=m["kind"] == "network") or m["_css"] != style]
    assert not stale, (f"{path.name} saved older explorer code ({stale}): "
                       f"run make execute NB={path.relative_to(BOOK.parent)}")


@pytest.mark.parametrize("path", sorted(BOOK.glob("*.ipynb")), ids=lambda p: p.name)
def test_the_notebook_names_its_kernel_as_jupyter_does(path):
    # JupyterLab rewrites any other name on opening and marks the notebook modified.
    from jupyter_client.kernelspec import KernelSpecManager
    spec = KernelSpecManager().get_kernel_spec("python3")
    saved = json.loads(path.read_text())["metadata"]["kernelspec"]
    assert saved == {"display_name": spec.display_name, "language": spec.language, "name": "python3"}, (
        f"{path.name}: run make execute NB={path.relative_to(BOOK.parent)}")
