"""nbval compares digit by digit what is exact on every machine, and nothing else goes unchecked.

tests/nbval_sanitize.cfg replaces the numbers that depend on the machine; the tag
`nbval-ignore-output` keeps a whole cell's output out of the comparison. Here every cell that
either reaches is listed with what it asserts instead, or why it needs no assertion, and a
changed exact number is shown to fail nbval.
"""

import ast
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbval.plugin import get_sanitize_patterns

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
SANITIZER = ROOT / "tests" / "nbval_sanitize.cfg"
PATTERNS = get_sanitize_patterns(SANITIZER.read_text())
NOT_COMPARED_DATA = {"image/png", "image/jpeg", "application/vnd.jupyter.widget-view+json"}  # nbval's own list
IGNORED = {"nbval-ignore-output", "nbval-skip"}

# Per chapter, the code cells (by their first line) whose output nbval does not compare digit by
# digit, and what stands in for the comparison: "asserts ..." (the cell's code must assert it) or
# "no assertion: ..." (the reason none is needed).
NOT_COMPARED = {
    "pros-and-cons.ipynb": {
        "def compare(a, b, name_a, name_b):":
            "asserts no dropout and the modern CNN higher than the note's CNN, the average head "
            "lower; the MLP's verdict is glued into the text",
        "SEEN = 30_000  # images per run, repeats included":
            "asserts the modern CNN's mean is above the MLP's at every size; the verdicts are glued",
        "order = torch.randperm(28 * 28, generator=torch.Generator().manual_seed(0))":
            "asserts shuffling puts the modern CNN lower; the other verdicts are glued",
        "shifts = range(0, 5)":
            "asserts the average head and the modern CNN lose less than the note's CNN at 3 px, "
            "the note's CNN less than the MLP",
        "minutes = (time.perf_counter() - started) / 60":
            "no assertion: times, which the page reports and does not judge (bench/ measures speed)",
    },
    "modern-networks.ipynb": {
        'fashion = load("fashion-mnist")':
            "asserts the residual network higher than the plain one by the rule of thumb, by more "
            "than 0.1 on every seed",
        "def gradient_sizes(model, x, y):":
            "asserts the plain network's ratio of gradient sizes is more than three times the "
            "residual network's",
        'net = trained["residual"][0].model.float().cpu().eval()':
            "asserts training mode scores within 0.05 of evaluation mode on mixed batches, and more "
            "than 0.3 lower on batches of one class",
        "# ResNet-34: 16 blocks of two 3x3 convolutions, plus the first convolution":
            "no assertion: an exercise's answer, which the text beside it does not quote",
    },
    "training.ipynb": {
        "device = get_device()":
            "no assertion: speeds, which the page reports and does not judge (bench/ measures speed)",
        'print(f"device: {device}; recipe: {RECIPE}")':
            "asserts every epoch trained in the format the page names",
        "FLOOR = 0.90  # the least a change to the recipe may reach":
            "asserts the test accuracy is at least the floor",
        "set_seed(0)  # the same seed as the CNN above":
            "asserts the note's CNN is above the MLP on the full recipe",
        "predicted = scores(model, fashion.test_x).argmax(dim=1)":
            "asserts the worst mistake mixes two look-alike tops and stands out from the rest",
        "learned = model.net.conv2d_00.weight.detach().float().cpu()":
            "asserts every kernel moved by more than 5% and less than its own size",
        "from cnnlib.models import GlobalAveragePoolingCNN":
            "asserts float16 numbers change fewer than 0.5% of the test predictions and the "
            "accuracy by less than 0.002",
    },
    "playground.ipynb": {
        "from cnnlib.models import GlobalAveragePoolingCNN":
            "asserts float16 numbers change fewer than 0.5% of the test predictions and the "
            "accuracy by less than 0.002",
    },
}
CHAPTERS = sorted(BOOK.glob("*.ipynb"))


def sanitize(text):
    """`text` as nbval's sanitizer leaves it."""
    for regex, replace in PATTERNS:
        text = re.sub(regex, replace, text)
    return text


PICTURE = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")  # pictures' pixels: never compared, like image/png
PICTURE_WORDS = re.compile(r'(?<=<img class="cnn-(?:en|ko)") [^>]*?alt="[^"]*"|<!-- words: .*? -->')  # their words


def without_pictures(text):
    """The text as the policy sees it: a picture's pixels and words are never compared, like image/png."""
    return PICTURE_WORDS.sub("", PICTURE.sub("data:image/png;base64,PICTURE", text))


def glued(out):
    """The name a glue output records, or None."""
    return out.get("metadata", {}).get("scrapbook", {}).get("name")


def compared_texts(cell, glue=False, pictures=False):
    """The strings of a cell's outputs that nbval compares (its glued values, or the rest).

    Like nbval, the text a cell prints to one stream is compared as one string. A picture's
    pixels and words are left out (`pictures=True` keeps them, to see what the rules reach).
    """
    streams, texts = {}, []
    for out in cell.get("outputs", []):
        if bool(glued(out)) != glue:
            continue
        if out["output_type"] == "stream":
            streams[out["name"]] = streams.get(out["name"], "") + out["text"]
        for key, value in out.get("data", {}).items():
            if key not in NOT_COMPARED_DATA and isinstance(value, str):
                texts.append(value if pictures else without_pictures(value))
    return list(streams.values()) + texts


def not_compared_exactly(path):
    """{first line of the cell: "ignored" or "sanitized"} for the code cells nbval does not compare exactly."""
    found = {}
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        first = cell.source.splitlines()[0] if cell.source else ""
        if IGNORED & set(cell.metadata.get("tags", [])):
            found[first] = "ignored"
        elif any(sanitize(t) != t for t in compared_texts(cell)):
            found[first] = "sanitized"
    return found


def sources(path):
    """{first line: [sources of the code cells that start with it]} of a chapter."""
    found = {}
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code" and cell.source:
            found.setdefault(cell.source.splitlines()[0], []).append(cell.source)
    return found


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_the_cells_not_compared_exactly_are_the_listed_ones(path):
    found = not_compared_exactly(path)
    listed = NOT_COMPARED.get(path.name, {})
    assert set(found) == set(listed), (
        f"{path.name}: not compared exactly but not listed: {sorted(set(found) - set(listed))}; "
        f"listed but compared exactly: {sorted(set(listed) - set(found))}")


@pytest.mark.parametrize("path", [BOOK / name for name in NOT_COMPARED], ids=lambda p: p.name)
def test_every_cell_not_compared_exactly_asserts_or_says_why_not(path):
    code = sources(path)
    for first, what in NOT_COMPARED[path.name].items():
        assert what.startswith(("asserts ", "no assertion: ")), f"{path.name}: say what {first!r} asserts"
        assert len(code[first]) == 1, f"{path.name}: {len(code[first])} code cells start with {first!r}"
        if what.startswith("asserts "):
            assert re.search(r"^\s*assert\b", code[first][0], re.MULTILINE), (
                f"{path.name}: the cell {first!r} is not compared exactly and asserts nothing")


GLUE_USE = re.compile(r"\{glue(?::\w+)?\}`([\w-]+)(?::([^`]*))?`")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_glued_float_the_sanitizer_replaces_is_printed_as_the_page_shows_it(path):
    # The glued record's full digits are not compared; the cell's printed value stands in for them.
    cells = nbformat.read(path, as_version=4).cells
    formats = {}  # name -> the format specs the prose uses
    for cell in cells:
        if cell.cell_type == "markdown":
            for name, spec in GLUE_USE.findall(cell.source):
                formats.setdefault(name, set()).add(spec)
    for cell in (c for c in cells if c.cell_type == "code"):
        printed = "".join(out["text"] for out in cell.get("outputs", []) if out["output_type"] == "stream")
        printed_numbers = re.findall(r"[-+]?[\d,]*\.?\d+", printed)
        for out in cell.get("outputs", []):
            record = out.get("data", {}).get("application/papermill.record/text/plain")
            if not glued(out) or record is None or sanitize(record) == record:
                continue
            for spec in formats.get(glued(out), ()):
                value = ast.literal_eval(record)
                shown = format(value, spec)
                numbers = [n.lstrip("+") for n in printed_numbers]
                assert (shown in printed) if isinstance(value, str) else (shown.lstrip("+") in numbers), (f"{path.name}: the page shows {glued(out)} as {shown}, "
                                          f"but the cell that glues it does not print that: print it")


def test_every_sanitizer_rule_is_given_once():
    # nbval keeps the rules in a dict by regex: a repeated regex would keep only its last replacement.
    regexes = [regex for regex, _ in PATTERNS]
    assert len(regexes) == len(set(regexes))


def test_every_sanitizer_rule_reaches_a_committed_output():
    texts = [t for path in CHAPTERS for cell in nbformat.read(path, as_version=4).cells
             if cell.cell_type == "code" for glue in (False, True) for t in compared_texts(cell, glue, pictures=True)]
    unused = [regex for regex, _ in PATTERNS if not any(re.search(regex, t) for t in texts)]
    assert not unused, f"rules in {SANITIZER.name} that replace nothing: {unused}"


@pytest.mark.parametrize("text, kept", [
    ("conv2d_00       (32, 28, 28)            288      32         320", True),
    ("forward FLOPs per image: 14.4 M\n  convolutions 53%, linear layers 47%", True),
    ("shift 1 px: 51% of the pooled values equal the unshifted ones", True),
    ("test accuracy is at least 0.90", True), ("'linear_09'", True), ("3136", True),
    ("1 + 0.001 in float32:  1.0010000467300415", True),
    ("MLP         seeds 0.866  0.869  0.872   mean ± spread 0.869 ± 0.003", False),
    ("epoch 1: train accuracy 0.732, test accuracy 0.858, 12 s (bf16)", False),
    ("0.9064000248908997", False), ("'0.864 ± 0.006'", False), ("'bf16'", False), ("'cpu'", False),
    ("fit trains in fp32 on this machine", False), ("'T-shirt/top'", True),
])
def test_the_sanitizer_keeps_exact_numbers_and_replaces_measured_ones(text, kept):
    assert (sanitize(text) == text) is kept
    assert not re.search(r"\d\.\d{3}", sanitize(text)) or kept


def calls_a_trainer(path):
    """True when a chapter's code calls fit or runs (cnnlib's two ways to train) in the machine's number format.

    A call that names precision="fp32" trains in float32 on every machine: no other format to try.
    """
    for cells in sources(path).values():
        for node in (n for code in cells for n in ast.walk(ast.parse(code))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in {"fit", "runs"}:
                fixed = any(k.arg == "precision" and isinstance(k.value, ast.Constant) and k.value.value == "fp32"
                            for k in node.keywords)
                if not fixed:
                    return True
    return False


def test_the_chapters_that_train_run_in_both_precisions():
    # make notebooks runs TRAINS a second time in the other number format.
    trains = re.search(r"^TRAINS := (.*)$", (ROOT / "Makefile").read_text(), re.MULTILINE).group(1).split()
    assert sorted(trains) == [f"book/{p.name}" for p in CHAPTERS if calls_a_trainer(p)]


def test_nbval_fails_when_an_exact_number_changes_and_not_when_a_measured_one_does(tmp_path):
    page = nbformat.read(BOOK / "parameters.ipynb", as_version=4)
    changed = next(out for cell in page.cells if cell.cell_type == "code"
                   for out in cell.get("outputs", []) if "320" in out.get("text", ""))
    changed["text"] = changed["text"].replace("320", "321", 1)  # a parameter count
    nbformat.write(page, tmp_path / "parameters.ipynb")
    measured = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('print("MLP         seeds 0.866  0.869  0.872   "\n'
                                     '      "mean ± spread 0.869 ± 0.003")')
    cell.execution_count = 1
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=(
        "MLP         seeds 0.866  0.868  0.875   mean ± spread 0.870 ± 0.004\n"))]  # another machine's
    measured.cells = [cell]
    measured.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(measured, tmp_path / "measured.ipynb")
    run = subprocess.run([sys.executable, "-m", "pytest", "--nbval", "--nbval-sanitize-with", str(SANITIZER),
                          "-p", "no:cacheprovider", "-q", "-rf", str(tmp_path)],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    failed = re.findall(r"FAILED \S*?(\w+\.ipynb)::Cell (\d+)", run.stdout)
    assert run.returncode == 1, run.stdout[-3000:]
    assert [name for name, _ in failed] == ["parameters.ipynb"], run.stdout[-3000:]
    assert re.search(r"\b1 failed, \d+ passed", run.stdout.splitlines()[-1]), run.stdout[-3000:]
