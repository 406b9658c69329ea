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
