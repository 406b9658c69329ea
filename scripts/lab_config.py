"""The Jupyter server's settings for `make lab`: jupyter lab --config=scripts/lab_config.py

JupyterLab saves a notebook's widgets with it (scripts/jupyterlab-overrides.json turns that
on), but it writes only the widgets its widget manager holds. The explorers, animations and
exercises a chapter shows from its saved outputs, before any cell runs, are not among them
once the kernel has started: saved as JupyterLab leaves it, the chapter would reopen with
"model not found" in each of them. So before every save (Ctrl+S or autosave) the server
keeps, for every widget the notebook's outputs still show, the state the file already
holds, and writes only the widgets some output still uses.
"""

import json
import re
from pathlib import Path

VIEW = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"
REFERENCE = re.compile(r"IPY_MODEL_([0-9a-f]+)")


def shown_models(notebook):
    """The model ids of the widgets the notebook's outputs show."""
    return {out["data"][VIEW]["model_id"]
            for cell in notebook.get("cells", []) if cell.get("cell_type") == "code"
            for out in cell.get("outputs", []) if VIEW in out.get("data", {})}


def reachable(state, roots):
    """The roots and every model they refer to ("IPY_MODEL_<id>": children, layouts, styles, links)."""
    found, todo = set(), [r for r in roots if r in state]
    while todo:
        model_id = todo.pop()
        if model_id in found:
            continue
        found.add(model_id)
        todo += [m for m in REFERENCE.findall(json.dumps(state[model_id])) if m in state and m not in found]
    return found


def keep_widget_state(model, path, contents_manager, **kwargs):
    """Before a save: the widget state of the file on disk, updated by what JupyterLab sends, for the widgets shown."""
    if model.get("type") != "notebook" or not model.get("content"):
        return
    notebook = model["content"]
    sent = notebook.get("metadata", {}).get("widgets", {}).get(STATE, {})
    state, file = {}, Path(contents_manager.root_dir) / path.lstrip("/")
    if file.is_file():
        on_disk = json.loads(file.read_text())
        state.update(on_disk.get("metadata", {}).get("widgets", {}).get(STATE, {}).get("state", {}))
    state.update(sent.get("state", {}))  # what the kernel's widgets are now wins
    keep = reachable(state, shown_models(notebook))
    if not keep:
        return
    notebook.setdefault("metadata", {})["widgets"] = {STATE: {
        "state": {m: state[m] for m in sorted(keep)},
        "version_major": sent.get("version_major", 2), "version_minor": sent.get("version_minor", 0)}}


if "get_config" in globals():  # run by Jupyter as its config file (the tests import it instead)
    get_config().FileContentsManager.pre_save_hook = keep_widget_state  # noqa: F821
