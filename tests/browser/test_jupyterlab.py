"""The notebooks read in JupyterLab as they do in the book (what `make lab` opens).

One JupyterLab server over the working copy `make lab` makes (scripts/make_lab.py: the pages
in reading order, numbers written in, links pointing at the copies), trusted as `make lab`
trusts it, with the project's settings (scripts/jupyterlab-overrides.json in the environment),
and every copy opened in Chromium without running a cell:
- nothing is written on opening (the file on disk unchanged);
- MyST is rendered: admonitions are boxes, no directive or `:class:` shows as text;
- exercise sources are folded, so their answers and feedback stay out of sight, and the
  exercises show their English text only;
- every saved widget shows (no fallback text such as `<stamping explorer: ...>`);
- no number the text quotes shows as a glue name;
and the five explorers answer their controls there as in the HTML book, checked against cnnlib;
a chapter saved there and opened again shows its widgets, and the committed chapter is untouched;
the notation link opens the start page.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import torch
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from cnnlib import conv, shapes, widgets
from cnnlib.models import ConvolutionalNeuralNetworkClass
from conftest import ROOT, SCREENSHOTS
from test_explorers import READ, grid_tensor, set_controls

sys.path.insert(0, str(ROOT / "scripts"))
import make_lab  # noqa: E402  (a script, not a package)

COPIES = make_lab.copy_names(make_lab.pages())  # {page stem: the copy's file name}
NOTEBOOKS = list(COPIES.values())
VIEW = "application/vnd.jupyter.widget-view+json"
RAW_MYST = ("```{", ":::{", ":class:", "{admonition}", "{note}", "{important}", "{warning}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a trusted copy of the notebooks, with its own settings and data folders."""
    home = tmp_path_factory.mktemp("lab")
    book = home / "lab"
    make_lab.make(book)
    env = dict(os.environ, JUPYTER_DATA_DIR=str(home / "data"), JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"), CNNLIB_DATA=str(ROOT / "data"))
    jupyter = [sys.executable, "-m", "jupyter"]
    subprocess.run([*jupyter, "trust", *map(str, book.glob("*.ipynb"))], env=env, check=True, capture_output=True)
    port, token = free_port(), "cnn-book-test"
    server = subprocess.Popen(
        [*jupyter, "lab", "--no-browser", f"--port={port}", f"--IdentityProvider.token={token}",
         f"--config={ROOT / 'scripts' / 'lab_config.py'}",
         f"--ServerApp.root_dir={book}", "--allow-root", "--LabApp.news_url=None",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("JupyterLab did not start within a minute")
    yield base, token, book
    server.terminate()
    server.wait(timeout=20)


def widget_outputs(path):
    """How many widget views the notebook saved, and their fallback texts."""
    cells = json.loads(path.read_text())["cells"]
    views = [o["data"] for c in cells if c["cell_type"] == "code" for o in c.get("outputs", [])
             if VIEW in o.get("data", {})]
    return len(views), ["".join(v.get("text/plain", "")) for v in views]


@pytest.fixture(scope="module")
def lab_page(browser, lab):
    """One JupyterLab window: each test opens its notebook from the file browser, as a reader does."""
    base, token, _ = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{base}/lab?token={token}&reset")
    page.wait_for_selector(".jp-DirListing-item", timeout=60000)
    yield page
    page.close()


def open_notebook(page, name):
    """Double-click the notebook in the file browser; return its panel once its cells show."""
    item_name = page.locator(".jp-DirListing-itemText", has_text=re.compile(f"^{re.escape(name)}$"))
    page.locator(".jp-DirListing-item", has=item_name).dblclick()
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    panel.locator(".jp-Cell").first.wait_for(timeout=30000)
    return panel


def close_notebook(page, lab, name):
    """Close the notebook's tab without saving, and shut its kernel down, so the next one opens in a quiet JupyterLab."""
    dirty = page.locator(".lm-TabBar-tab.lm-mod-current.jp-mod-dirty").count()
    page.locator(".lm-TabBar-tab.lm-mod-current .lm-TabBar-tabCloseIcon").last.click()
    if dirty:  # JupyterLab asks whether to save: this test leaves the file as it is
        page.locator(".jp-Dialog button", has_text=re.compile("^Discard$")).click()
    base, token, _ = lab
    with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=5) as answer:
        sessions = [s for s in json.load(answer) if s["path"].endswith(name)]
    for session in sessions:
        request = urllib.request.Request(f"{base}/api/sessions/{session['id']}?token={token}", method="DELETE")
        urllib.request.urlopen(request, timeout=10)


def wait_for_kernel(lab, name):
    """Wait until the notebook's kernel has started and is idle: what JupyterLab would change, it has."""
    base, token, _ = lab
    for _ in range(120):
        with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=5) as answer:
            sessions = json.load(answer)
        if any(s["path"].endswith(name) and s["kernel"]["execution_state"] == "idle" for s in sessions):
            return
        time.sleep(0.25)
    pytest.fail(f"the kernel of {name} never became idle")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_notebook_opens_in_jupyterlab_as_the_book_shows_it(lab, lab_page, name):
    path = lab[2] / name
    page, saved = lab_page, path.read_bytes()
    panel = open_notebook(page, name)
    count, fallbacks = widget_outputs(path)
    wait_for_widgets(page, panel, count)
    wait_for_kernel(lab, name)
    page.wait_for_timeout(500)
    text = panel.locator(".jp-Notebook").inner_text()
    assert not [f for f in fallbacks if f and f in text], "saved widgets show their fallback text"
    assert "Error displaying widget" not in text
    markdown = " ".join(panel.locator(".jp-MarkdownCell .jp-RenderedMarkdown").all_inner_texts())
    assert not [raw for raw in RAW_MYST if raw in markdown], "MyST shown as raw text"
    assert "glue:text" not in markdown and "{glue" not in markdown, "a quoted number shows as its glue name"
    cells = json.loads(path.read_text())["cells"]
    boxes = sum("".join(c["source"]).count("```{") for c in cells if c["cell_type"] == "markdown")
    assert panel.locator(".jp-MarkdownCell aside.myst-admonition").count() == boxes
    exercises = [c for c in cells if "remove-input" in c["metadata"].get("tags", [])]
    answers = [c for c in cells if "hide-cell" in c["metadata"].get("tags", [])]  # folded whole, as in the book
    assert panel.locator(".jp-CodeCell .jp-InputPlaceholder").count() == len(exercises) + len(answers)
    assert panel.locator(".jp-CodeCell .jp-OutputPlaceholder").count() == len(answers)
    visible_code = " ".join(panel.locator(".jp-CodeCell .jp-InputArea-editor:visible").all_inner_texts())
    assert "Question(" not in visible_code, "an exercise's answers show in JupyterLab"
    marks = page.evaluate("""(panel) => Array.from(panel.querySelectorAll('.jupyter-widgets-disconnected'))
        .filter(e => getComputedStyle(e, '::before').display !== 'none').length""", panel.element_handle())
    assert marks == 0, f"{marks} 'disconnected' marks on widgets that work with no kernel"
    if exercises:
        assert panel.locator(".cnn-en:visible").count() > 0, "the exercises show no English text"
        assert panel.locator(".cnn-ko:visible").count() == 0, "the exercises show their Korean in JupyterLab"
        summary = panel.locator("details.cnn-solutions > summary").last
        summary.scroll_into_view_if_needed()
        assert summary.evaluate("(e) => [getComputedStyle(e).cursor, getComputedStyle(e).display]") == [
            "pointer", "list-item"], "the worked solutions do not look clickable"
        summary.click()
        assert summary.evaluate("(e) => e.parentElement.open"), "the worked solutions do not open"
    # Saving the widgets' state with the notebook (the project's setting) makes JupyterLab's widget
    # manager mark a chapter with widgets modified as it restores them; nothing is written until a save.
    assert path.read_bytes() == saved
    if name == COPIES["playground"]:
        page.screenshot(path=SCREENSHOTS / "jupyterlab_playground.png")
    close_notebook(page, lab, name)


def wait_for_widgets(page, panel, count):
    """Wait until the notebook shows `count` widget views, each drawn (no loading or error text)."""
    page.wait_for_function(  # a widget view is an output with no MIME type of its own
        "([panel, n]) => { const views = panel.querySelectorAll('.jp-OutputArea-output:not([data-mime-type])');"
        " return views.length === n && Array.from(views).every(e => e.children.length &&"
        " !e.textContent.startsWith('Loading widget')); }",
        arg=[panel.element_handle(), count], timeout=30000)
    assert "Error displaying widget" not in panel.locator(".jp-Notebook").inner_text()


def sessions_of(lab, name):
    """The server's sessions (notebook and kernel) for a notebook."""
    base, token, _ = lab
    with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=5) as answer:
        return [s for s in json.load(answer) if s["path"].endswith(name)]


@pytest.mark.parametrize("page_name, run_all", [("channels-and-stride", False), ("images-and-perceptrons", True)])
def test_a_chapter_saved_in_jupyterlab_keeps_its_widgets_and_the_book_is_untouched(lab, lab_page, page_name,
                                                                                    run_all):
    page, name = lab_page, COPIES[page_name]
    committed = (ROOT / "book" / f"{page_name}.ipynb").read_bytes()
    count, _ = widget_outputs(lab[2] / name)
    panel = open_notebook(page, name)
    try:
        wait_for_kernel(lab, name)
        if run_all:  # as a student does: Run > Run All Cells, then wait for the last cell
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
            page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click()
            page.wait_for_function("(panel) => panel.querySelectorAll('.jp-InputPrompt').length > 0 && !Array.from("
                                   "panel.querySelectorAll('.jp-InputPrompt')).some(p => p.textContent.includes('*'))",
                                   arg=panel.element_handle(), timeout=120000)
            wait_for_kernel(lab, name)
            wait_for_widgets(page, panel, count)
        page.keyboard.press("Control+s")  # what autosave does two minutes after a change
        page.wait_for_function("() => !document.querySelector('.lm-TabBar-tab.jp-mod-dirty')", timeout=30000)
        page.wait_for_timeout(1000)
        state = json.loads((lab[2] / name).read_text())["metadata"]["widgets"]
        assert state["application/vnd.jupyter.widget-state+json"]["state"], "saving dropped the widget state"
        page.locator(".lm-TabBar-tab.lm-mod-current .lm-TabBar-tabCloseIcon").last.click()
        for _ in range(40):  # the project's setting: closing the tab shuts its kernel down
            if not sessions_of(lab, name):
                break
            time.sleep(0.25)
        assert not sessions_of(lab, name), "the kernel kept running after its tab closed"
        panel = open_notebook(page, name)
        wait_for_widgets(page, panel, count)
        assert (ROOT / "book" / f"{page_name}.ipynb").read_bytes() == committed
    finally:
        close_notebook(page, lab, name)


def test_the_notation_link_opens_the_start_page(lab, lab_page):
    page, name = lab_page, COPIES["output-size-and-padding"]
    panel = open_notebook(page, name)
    try:
        cell = panel.locator(".jp-MarkdownCell", has_text="notation box").first
        cell.scroll_into_view_if_needed()  # JupyterLab renders a markdown cell once it comes into view
        tab = page.locator(".lm-TabBar-tab.lm-mod-current", has_text=make_lab.START)
        for _ in range(3):  # a click that lands while JupyterLab still sets the cell up only selects it
            page.wait_for_timeout(1000)
            cell.locator("a", has_text="notation box").click()
            try:
                tab.wait_for(timeout=5000)
                break
            except PlaywrightTimeout:
                continue
        tab.wait_for(timeout=1000)
        start = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        start.locator("aside.myst-admonition", has_text="Notation").wait_for(timeout=15000)
        close_notebook(page, lab, make_lab.START)
    finally:
        close_notebook(page, lab, name)


def test_the_explorers_answer_their_controls_in_jupyterlab(lab, lab_page):
    page = lab_page
    open_notebook(page, COPIES["playground"])
    page.wait_for_selector("[data-explorer=parameters]", timeout=30000)
    sizes = page.locator("[data-explorer=output-size]").element_handle()
    for i, k, s, p in [(28, 3, 1, 1), (32, 3, 2, 1), (10, 3, 4, 0), (3, 7, 1, 1)]:
        set_controls(page, sizes, i=i, k=k, s=s, p=p)
        try:
            expected = str(shapes.conv_output_size(i, k, s, p))
            assert sizes.query_selector('[data-part="o"]').inner_text() == expected
        except ValueError as err:
            assert sizes.query_selector('[data-part="error"]').inner_text() == str(err)
    box = sizes.query_selector('[data-control="k-box"]')  # typed, then Enter, and no click elsewhere
    box.click(click_count=3)
    page.keyboard.type("5")
    page.keyboard.press("Enter")
    assert sizes.query_selector('[data-part="o"]').inner_text() == str(shapes.conv_output_size(3, 5, 1, 1))
    assert page.evaluate("(box) => document.activeElement === box", box), "the box lost its focus: not Enter's doing"
    counter = page.locator("[data-explorer=parameters]").element_handle()
    set_controls(page, counter, c_out=64, c_in=32, k=3)
    assert counter.query_selector('[data-part="total"]').inner_text() == f"{shapes.conv_params(64, 32, 3).total:,}"
    stamping = page.locator("[data-explorer=stamping]").element_handle()
    set_controls(page, stamping, input="a vertical edge", size=6, kernel="vertical edge", stride=2, padding=1)
    x, w = widgets.example_input("a vertical edge", 6), widgets.example_kernel("vertical edge")
    shown = page.evaluate(READ, stamping)
    assert torch.allclose(grid_tensor(shown["grids"]["output"]), conv.conv2d(x, w, stride=2, padding=1)[0].double())
    multi = page.locator("[data-explorer=multichannel]").element_handle()
    set_controls(page, multi, c_in=3, c_out=3, stride=1, padding=1)
    x, w, b = widgets.example_multichannel(kernels=3)
    shown = page.evaluate(READ, multi)
    out = conv.conv2d(x, w, b, 1, 1)
    for k in range(3):
        assert torch.allclose(grid_tensor(shown["grids"][f"output-{k}"]), out[k].double())
    fields = page.locator("[data-explorer=receptive-field]").element_handle()
    set_controls(page, fields, layer="conv2d_04")
    fields.query_selector('[data-grid=map] .cnnx-cell[data-row="0"][data-col="5"]').click()
    square = fields.query_selector("[data-part=square]")
    field = {f.name: f for f in shapes.receptive_fields(ConvolutionalNeuralNetworkClass())}["conv2d_04"]
    assert [int(square.get_attribute(f"data-{k}")) for k in ("top", "left", "size")] == [
        field.square(0)[0], field.square(5)[0], field.size]
    close_notebook(page, lab, COPIES["playground"])
