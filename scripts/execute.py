"""Execute notebooks in place, one after another, and keep only the widget state pages show.

Usage: python scripts/execute.py book/a.ipynb [book/b.ipynb ...]   (what `make execute` runs)

Cells tagged `remove-output` hold live widgets that need a kernel; the HTML book leaves
their output out, so their widget state is dropped here instead of weighing on the page.
"""

import json
import re
import sys
import time
import uuid
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

STATE = "application/vnd.jupyter.widget-state+json"
VIEW = "application/vnd.jupyter.widget-view+json"
REFERENCE = re.compile(r"IPY_MODEL_(\w+)")


def shown_models(nb):
    """Model ids displayed by cells whose output the book shows."""
    ids = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "remove-output" in cell.metadata.get("tags", []):
            continue
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(VIEW)
            if view:
                ids.append(view["model_id"])
    return ids


def shown_and_referred(nb, models):
    """The shown widgets' model ids, each followed by those it refers to (depth first), once each."""
    order, seen, todo = [], set(), list(reversed(shown_models(nb)))
    while todo:
        model_id = todo.pop()
        if model_id in seen or model_id not in models:
            continue
        seen.add(model_id)
        order.append(model_id)
        todo.extend(reversed(REFERENCE.findall(json.dumps(models[model_id]["state"], sort_keys=True))))
    return order


def prune_widget_state(nb):
    """Keep the state of shown widgets and of every model they refer to, transitively."""
    state = nb.metadata.get("widgets", {}).get(STATE)
    if not state:
        return
    models = state["state"]
    keep = set(shown_and_referred(nb, models))
    for model_id, model in models.items():  # browser-side links point at widgets; nothing points at them
        ends = REFERENCE.findall(json.dumps(model["state"]))
        if model["model_name"].endswith("LinkModel") and ends and all(e in keep for e in ends):
            keep.add(model_id)
    state["state"] = {k: v for k, v in models.items() if k in keep}
    if not keep:
        del nb.metadata["widgets"]


def name_widgets_in_order(nb, name):
    """Rename every saved widget model by the page and its place in the page, not by the kernel's random id."""
    # Re-executing a page that computes the same things then writes the same file. The order: the
    # widgets the page shows, each followed by the models it refers to; then the links between them.
    state = nb.metadata.get("widgets", {}).get(STATE)
    if not state:
        return
    models = state["state"]
    order = shown_and_referred(nb, models)
    new = {old: uuid.uuid5(uuid.NAMESPACE_URL, f"{name}/{n}").hex for n, old in enumerate(order)}

    def renamed(text):
        """`text` with every reference to a model already renamed written with its new id."""
        return REFERENCE.sub(lambda ref: "IPY_MODEL_" + new.get(ref.group(1), ref.group(1)), text)

    links = sorted((m for m in models if m not in new), key=lambda m: renamed(json.dumps(models[m], sort_keys=True)))
    new.update({old: uuid.uuid5(uuid.NAMESPACE_URL, f"{name}/{len(order) + n}").hex for n, old in enumerate(links)})
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(VIEW)
            if view and view["model_id"] in new:
                view["model_id"] = new[view["model_id"]]
    state["state"] = {new[k]: v for k, v in json.loads(renamed(json.dumps(models))).items()}


def strip_timing(nb):
    """Drop per-cell execution timestamps: they change on every run and would fill the diffs."""
    for cell in nb.cells:
        cell.metadata.pop("execution", None)


def hide_sources(nb):
    """Fold in JupyterLab too what the book folds: exercise sources, and folded answers whole.

    The HTML book drops the input of cells tagged `remove-input`; JupyterLab ignores that
    tag but folds a cell whose metadata says `jupyter.source_hidden`, so the answers and
    feedback written in an exercise cell stay out of sight there as well.
    """
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "remove-input" in tags or "hide-cell" in tags:
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
        if "hide-cell" in tags:  # a folded answer: the book shows it behind a button
            cell.metadata["jupyter"]["outputs_hidden"] = True


def name_the_kernel(nb, name="python3"):
    """Record the kernel as Jupyter names it, so that JupyterLab has nothing to change on opening.

    JupyterLab rewrites a kernelspec whose display name differs from the installed kernel's
    ("Python 3" against "Python 3 (ipykernel)") and marks the notebook modified at once.
    """
    spec = KernelSpecManager().get_kernel_spec(name)
    nb.metadata["kernelspec"] = {"display_name": spec.display_name, "language": spec.language, "name": name}


def execute(path):
    """Run one notebook from its own directory and write it back with outputs."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    began = time.perf_counter()
    NotebookClient(nb, timeout=900, kernel_name="python3", store_widget_state=True, record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    prune_widget_state(nb)
    name_widgets_in_order(nb, path.stem)
    strip_timing(nb)
    hide_sources(nb)
    name_the_kernel(nb)
    nbformat.write(nb, path)
    print(f"{path}: executed in {time.perf_counter() - began:.1f} s, {path.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    for notebook in sys.argv[1:]:
        execute(notebook)
