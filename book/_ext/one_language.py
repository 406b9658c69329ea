"""Each edition carries only its own language's pictures.

A notebook holds every picture and animation twice, drawn in English and in Korean
(cnnlib.widgets.Picture and Bilingual), so that Jupyter and both editions can show them.
A page needs one of the two: here the other language's pictures leave the page before it
is written, from the cells' HTML (an <img> of class cnn-en or cnn-ko) and from the saved
widget state (a widget of class cnn-en-block or cnn-ko-block, with every widget that
belongs to it or links to it), so the Korean pictures weigh nothing on an English page and
the English ones nothing on a Korean page.
"""

import json
import re

from myst_nb.core.render import sanitize_script_content

from edition import language_of

STATE = "application/vnd.jupyter.widget-state+json"
REFERENCE = re.compile(r"IPY_MODEL_(\w+)")


def other_language(config):
    """The language whose pictures this edition drops."""
    return "en" if language_of(config) == "ko" else "ko"


def drop_images(body, other):
    """The page's HTML without the other language's <img> elements of pictures."""
    return re.sub(rf'<img class="cnn-{other}"[^>]*>', "", body)


def references(model):
    """The model ids a widget model's state refers to."""
    return set(REFERENCE.findall(json.dumps(model.get("state", {}))))


def drop_widgets(state, other):
    """The widget state without the other language's widgets, what they hold, and what links to them."""
    models = state["state"]
    dropped = {i for i, m in models.items() if f"cnn-{other}-block" in m.get("state", {}).get("_dom_classes", [])}
    for model in models.values():  # the Bilingual boxes let go of them
        children = model.get("state", {}).get("children")
        if isinstance(children, list):
            model["state"]["children"] = [c for c in children if c.removeprefix("IPY_MODEL_") not in dropped]
    todo = list(dropped)
    while todo:  # everything the dropped widgets hold
        for ref in references(models.get(todo.pop(), {})):
            if ref not in dropped and ref in models:
                dropped.add(ref)
                todo.append(ref)
    changed = True
    while changed:  # links and other widgets that refer to a dropped one
        changed = False
        for i, model in models.items():
            if i not in dropped and references(model) & dropped:
                dropped.add(i)
                changed = True
    state["state"] = {i: m for i, m in models.items() if i not in dropped}
    return state


def keep_one_language(app, pagename, templatename, context, doctree):
    """Drop the other language's pictures from the page about to be written."""
    other = other_language(app.config)
    if "body" in context:
        context["body"] = drop_images(context["body"], other)
    for script in context.get("script_files", []):
        attributes = getattr(script, "attributes", {})
        if attributes.get("type") == STATE and attributes.get("body"):
            state = drop_widgets(json.loads(attributes["body"]), other)
            attributes["body"] = sanitize_script_content(json.dumps(state))


def setup(app):
    app.connect("html-page-context", keep_one_language, priority=800)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
