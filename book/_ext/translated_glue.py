"""Measured numbers glued into translated paragraphs (the Korean edition).

Sphinx parses each translated paragraph on its own, in a small document that does not
carry the notebook myst-nb's glue roles read, so every {glue:text} in a translation would
fail with "No key ... found in glue data". By then myst-nb has written the page's glue
data beside it (<page>.glue.json in the build's jupyter_execute folder); the roles read it
from there when the document they are in has no notebook. English pages never need it.
"""

import json
from pathlib import Path

from myst_nb.core.variables import RetrievalError, VariableOutput
from myst_nb.ext.glue import directives, roles, utils

_retrieve = utils.retrieve_glue_data  # myst-nb's own


def retrieve_glue_data(document, key):
    """myst-nb's lookup, or, in a translated paragraph, the page's saved glue data."""
    if "nb_renderer" in document:
        return _retrieve(document, key)
    env = document.settings.env
    saved = Path(env.mystnb_config.output_folder) / f"{env.docname}.glue.json"
    data = json.loads(saved.read_text(encoding="utf-8")) if saved.is_file() else {}
    if key not in data:
        raise RetrievalError(f"No key {key!r} found in glue data for this document.")
    return VariableOutput(data=data[key]["data"], metadata=data[key].get("metadata", {}), nb_renderer=None,
                          vtype="glue")


def setup(app):
    for module in (utils, roles, directives):  # each imported the function by name
        module.retrieve_glue_data = retrieve_glue_data
    return {"parallel_read_safe": True, "parallel_write_safe": True}
