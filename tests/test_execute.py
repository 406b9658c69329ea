"""The notebook executor keeps the widget state that pages show, and only that."""

import importlib.util
from pathlib import Path

import nbformat

spec = importlib.util.spec_from_file_location("execute", Path(__file__).parents[1] / "scripts" / "execute.py")
execute = importlib.util.module_from_spec(spec)
spec.loader.exec_module(execute)


def model(name, **state):
    return {"model_name": name, "model_module": "@jupyter-widgets/controls", "model_module_version": "2.0.0",
            "state": state}


def shown(model_id, tags=()):
    cell = nbformat.v4.new_code_cell("w")
    cell.metadata["tags"] = list(tags)
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "text/plain": "w", execute.VIEW: {"model_id": model_id, "version_major": 2, "version_minor": 0}})]
    return cell


def test_prune_keeps_shown_widgets_their_children_and_links_between_them():
    nb = nbformat.v4.new_notebook()
    nb.cells = [shown("box"), shown("live", tags=["remove-output"])]
    nb.metadata["widgets"] = {execute.STATE: {"version_major": 2, "version_minor": 0, "state": {
        "box": model("VBoxModel", children=["IPY_MODEL_play", "IPY_MODEL_slider"], layout="IPY_MODEL_lay"),
        "play": model("PlayModel"), "slider": model("IntSliderModel"), "lay": model("LayoutModel"),
        "link": model("LinkModel", source=["IPY_MODEL_play", "value"], target=["IPY_MODEL_slider", "value"]),
        "live": model("VBoxModel", children=["IPY_MODEL_live_slider"]),
        "live_slider": model("IntSliderModel"),
        "live_link": model("LinkModel", source=["IPY_MODEL_live_slider", "value"],
                           target=["IPY_MODEL_slider", "value"]),
    }}}
    execute.prune_widget_state(nb)
    kept = set(nb.metadata["widgets"][execute.STATE]["state"])
    assert kept == {"box", "play", "slider", "lay", "link"}


def test_prune_drops_the_state_when_nothing_is_shown():
    nb = nbformat.v4.new_notebook()
    nb.cells = [shown("live", tags=["remove-output"])]
    nb.metadata["widgets"] = {execute.STATE: {"version_major": 2, "version_minor": 0,
                                              "state": {"live": model("IntSliderModel")}}}
    execute.prune_widget_state(nb)
    assert "widgets" not in nb.metadata


def test_strip_timing_drops_execution_timestamps_only():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1")
    cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
    cell.metadata["tags"] = ["remove-input"]
    nb.cells = [cell]
    execute.strip_timing(nb)
    assert nb.cells[0].metadata == {"tags": ["remove-input"]}


def page_with_widgets(ids):
    """A page showing a box (a play button and a slider joined by a link), with the given model ids."""
    box, play, slider, link = ids
    nb = nbformat.v4.new_notebook()
    nb.cells = [shown(box)]
    nb.metadata["widgets"] = {execute.STATE: {"version_major": 2, "version_minor": 0, "state": {
        box: model("VBoxModel", children=[f"IPY_MODEL_{play}", f"IPY_MODEL_{slider}"]),
        play: model("PlayModel"), slider: model("IntSliderModel"),
        link: model("LinkModel", source=[f"IPY_MODEL_{play}", "value"], target=[f"IPY_MODEL_{slider}", "value"]),
    }}}
    return nb


def test_widget_ids_depend_on_the_page_not_on_the_kernels_random_ids():
    first, second = page_with_widgets("a1 b1 c1 d1".split()), page_with_widgets("z9 y9 x9 w9".split())
    for nb in (first, second):
        execute.name_widgets_in_order(nb, "chapter")
    assert first.metadata == second.metadata and first.cells[0].outputs == second.cells[0].outputs
    state = first.metadata["widgets"][execute.STATE]["state"]
    box = first.cells[0].outputs[0]["data"][execute.VIEW]["model_id"]
    children = [ref.removeprefix("IPY_MODEL_") for ref in state[box]["state"]["children"]]
    assert [state[c]["model_name"] for c in children] == ["PlayModel", "IntSliderModel"]
    link = next(s for s in state.values() if s["model_name"] == "LinkModel")
    assert link["state"]["source"][0] == f"IPY_MODEL_{children[0]}"


def test_widget_ids_differ_between_pages():
    # One page's saved widgets must not collide with another's in the same browser session.
    first, second = page_with_widgets("a b c d".split()), page_with_widgets("a b c d".split())
    execute.name_widgets_in_order(first, "convolution")
    execute.name_widgets_in_order(second, "pooling")
    assert not set(first.metadata["widgets"][execute.STATE]["state"]) & set(
        second.metadata["widgets"][execute.STATE]["state"])


def test_folded_answers_are_folded_in_jupyterlab_too():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("answer()"), nbformat.v4.new_code_cell("quiz()"),
                nbformat.v4.new_code_cell("shown()")]
    nb.cells[0].metadata["tags"] = ["hide-cell"]
    nb.cells[1].metadata["tags"] = ["remove-input"]
    execute.hide_sources(nb)
    assert nb.cells[0].metadata["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
    assert nb.cells[1].metadata["jupyter"] == {"source_hidden": True}
    assert "jupyter" not in nb.cells[2].metadata
