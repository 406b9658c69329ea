"""`make lab`'s working copy (scripts/make_lab.py) and the JupyterLab settings the project installs."""

import hashlib
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import make_lab  # noqa: E402  (a script, not a package)


def digest(folder):
    """{file name: sha256} of the notebooks in a folder."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.ipynb"))}


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lab") / "lab"
    before = digest(ROOT / "book")
    written = make_lab.make(folder)
    assert digest(ROOT / "book") == before  # the committed chapters are only read
    return folder, written


def test_the_copy_has_every_page_in_reading_order_and_nothing_else(copy):
    folder, written = copy
    toc = (ROOT / "_toc.yml").read_text()
    stems = re.findall(r"^\s*(?:root|- file): book/([\w-]+)", toc, re.MULTILINE)
    assert written == [make_lab.START] + [f"{i:02d}-{s}.ipynb" for i, s in enumerate(stems[1:], start=1)]
    assert sorted(p.name for p in folder.iterdir()) == sorted(written)
    assert written[-1].endswith("glossary.ipynb") and "intro" in stems[0]


def test_every_quoted_number_is_written_in_as_the_page_shows_it(copy):
    folder, _ = copy
    checked = 0
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        book = nbformat.read(path, as_version=4)
        values = make_lab.glued_values(book)
        name = make_lab.copy_names(make_lab.pages())[path.stem]
        mine = nbformat.read(folder / name, as_version=4)
        for ours, theirs in zip(book.cells, mine.cells):
            if ours.cell_type != "markdown":
                assert ours.source == theirs.source  # code is copied as it is
                continue
            assert "{glue" not in theirs.source
            at = 0  # each value in its place: after the text before it, in the order of the text
            for m in make_lab.GLUE.finditer(ours.source):
                shown = format(values[m.group(1)], m.group(2) or "")
                words = re.split(r"\{glue", ours.source[:m.start()])[-1].split("`")[-1][-10:]
                at = theirs.source.index(words + shown, at) + len(words + shown)
                checked += 1
    assert checked > 100


def test_every_link_of_the_copy_opens_a_copy(copy):
    folder, _ = copy
    links = 0
    for path in folder.glob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "markdown":
                continue
            assert "](notation)" not in cell.source and not re.search(r"^\([\w-]+\)=$", cell.source, re.MULTILINE)
            for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", cell.source):
                if target.startswith("http"):
                    continue
                assert (folder / target).is_file(), f"{path.name} links to {target}, which the copy lacks"
                links += 1
    assert links > 30


def test_make_keeps_the_readers_copy_and_restore_puts_the_books_back(copy, tmp_path):
    folder = tmp_path / "lab"
    make_lab.make(folder)
    name = make_lab.copy_names(make_lab.pages())["channels-and-stride"]
    pristine = (folder / name).read_bytes()
    (folder / name).write_text((folder / name).read_text().replace("stride", "STRIDE"))
    assert make_lab.make(folder) == []  # nothing missing: nothing written
    assert (folder / name).read_bytes() != pristine
    assert make_lab.make(folder, restore=name) == [name]
    assert (folder / name).read_bytes() == pristine
    (folder / make_lab.START).unlink()
    assert make_lab.make(folder) == [make_lab.START]
    assert len(make_lab.make(folder, restore="all")) == len(list(folder.glob("*.ipynb")))
    with pytest.raises(SystemExit, match="--restore takes one of the copies' names"):
        make_lab.make(folder, restore="channels-and-stride")


def test_a_page_that_quotes_a_value_it_never_glued_says_how_to_fix_it():
    with pytest.raises(SystemExit, match=r"quotes 'missing'.*make execute NB=book/page.ipynb"):
        make_lab.fill_in("it is {glue:text}`missing:,` wide", {}, {}, "page.ipynb")


def test_the_projects_jupyterlab_settings_are_real_settings_and_installed_where_jupyterlab_reads_them():
    from jupyterlab.commands import get_app_dir
    overrides = json.loads((ROOT / "scripts" / "jupyterlab-overrides.json").read_text())
    schemas = {"@jupyter-widgets/jupyterlab-manager:plugin":
               Path(sys.prefix) / "share/jupyter/labextensions/@jupyter-widgets/jupyterlab-manager/schemas"
               / "@jupyter-widgets/jupyterlab-manager/plugin.json",
               "@jupyterlab/notebook-extension:tracker":
               Path(get_app_dir()) / "schemas/@jupyterlab/notebook-extension/tracker.json"}
    for plugin, settings in overrides.items():
        properties = json.loads(schemas[plugin].read_text())["properties"]
        assert set(settings) <= set(properties), f"{plugin} has no setting {set(settings) - set(properties)}"
    assert overrides["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] is True
    installed = Path(get_app_dir()) / "settings" / "overrides.json"
    assert installed.is_file(), "make's set-up installs the settings: run make (or make lab)"
    assert json.loads(installed.read_text()) == overrides


def test_a_save_keeps_the_state_of_every_widget_still_shown_and_drops_the_rest(tmp_path):
    import importlib.util
    spec = importlib.util.spec_from_file_location("lab_config", ROOT / "scripts" / "lab_config.py")
    lab_config = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lab_config)
    state_key, view = lab_config.STATE, lab_config.VIEW

    def notebook(shown, state):
        cells = [{"cell_type": "code", "source": "", "metadata": {}, "outputs": [
            {"output_type": "display_data", "data": {view: {"model_id": m}}, "metadata": {}} for m in shown]}]
        return {"cells": cells, "metadata": {"widgets": {state_key: {"state": state, "version_major": 2,
                                                                     "version_minor": 0}}}}

    saved = {"aa": {"state": {"children": ["IPY_MODEL_bb"]}}, "bb": {"state": {}}, "cc": {"state": {}}}
    (tmp_path / "chapter.ipynb").write_text(json.dumps(notebook(["aa", "cc"], saved)))
    # what JupyterLab sends once the kernel runs: the re-run cell's new widget only, and "cc" no longer shown
    sent = notebook(["aa", "dd"], {"dd": {"state": {"value": 1}}})

    class Contents:
        root_dir = str(tmp_path)

    model = {"type": "notebook", "content": sent}
    lab_config.keep_widget_state(model, "chapter.ipynb", Contents())
    kept = model["content"]["metadata"]["widgets"][state_key]["state"]
    assert sorted(kept) == ["aa", "bb", "dd"]  # shown, referred to by a shown one, new; "cc" dropped
    assert kept["dd"] == {"state": {"value": 1}}
    new = {"type": "notebook", "content": notebook(["dd"], {"dd": {"state": {}}})}
    lab_config.keep_widget_state(new, "a new notebook.ipynb", Contents())  # nothing on disk yet
    assert sorted(new["content"]["metadata"]["widgets"][state_key]["state"]) == ["dd"]
    lab_config.keep_widget_state({"type": "file", "content": "text"}, "notes.txt", Contents())  # not a notebook
