"""What a cell prints, in the Korean edition: each line translated by its template.

The notebooks print in English (the code and its outputs are the same for every reader who
runs them). The Korean edition shows each printed line in Korean where the chapters'
catalogues translate its template, the line with its numbers replaced by {0}, {1}, ...
(`cnnlib.words`): "stride 3: output 2x2, input columns [6] never covered" is translated
once as "stride {0}: output {1}x{2}, input columns [{3}] never covered", and the numbers
the page printed are put back. `make catalogs` collects the templates
(scripts/exercise_catalogues.py); tests/test_translations.py checks each has a current
translation. Lines without words (numbers, tensors) stay as printed. The plain texts of the
page's saved widgets (the progress line a training run leaves) are translated the same way.
"""

import json

from docutils import nodes
from myst_nb.core.render import sanitize_script_content

from edition import language_of


def printed_blocks(doctree):
    """The literal blocks myst-nb made from the cells' printed output (stdout and stderr)."""
    return [node for node in doctree.findall(nodes.literal_block) if "stream" in node.get("classes", [])]


def translate_printed(app, doctree):
    """Replace every printed line by its translation, in a translated edition."""
    language = language_of(app.config)
    if language == "en":
        return
    from cnnlib.words import CODE_LINE, say  # the catalogues of the repository this book is built from

    for block in printed_blocks(doctree):
        text = block.astext()
        translated = "\n".join(line if CODE_LINE.search(line) else say(line, language) for line in text.split("\n"))
        if translated != text:
            block.clear()
            block += nodes.Text(translated)
            block.rawsource = translated


def translate_widget_texts(app, pagename, templatename, context, doctree):
    """The plain texts of the page's saved widgets (a training run's progress line), translated alike."""
    language = language_of(app.config)
    if language == "en":
        return
    from cnnlib.words import WIDGET_STATE, say

    for script in context.get("script_files", []):
        attributes = getattr(script, "attributes", {})
        if attributes.get("type") == WIDGET_STATE and attributes.get("body"):
            state = json.loads(attributes["body"])
            for model in state.get("state", {}).values():
                value = model.get("state", {}).get("value")
                if model.get("model_name") == "HTMLModel" and isinstance(value, str) and "<" not in value:
                    model["state"]["value"] = say(value, language)
            attributes["body"] = sanitize_script_content(json.dumps(state))


def setup(app):
    app.connect("doctree-read", translate_printed)
    app.connect("html-page-context", translate_widget_texts, priority=810)  # after one_language.py
    return {"parallel_read_safe": True, "parallel_write_safe": True}
