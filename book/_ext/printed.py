"""What a cell prints, in the Korean edition: each line translated by its template.

The notebooks print in English (the code and its outputs are the same for every reader who
runs them). The Korean edition shows each printed line in Korean where the chapters'
catalogues translate its template, the line with its numbers replaced by {0}, {1}, ...
(`cnnlib.words`): "stride 3: output 2x2, input columns [6] never covered" is translated
once as "stride {0}: output {1}x{2}, input columns [{3}] never covered", and the numbers
the page printed are put back. `make catalogs` collects the templates
(scripts/exercise_catalogues.py); tests/test_translations.py checks each has a current
translation. Lines without words (numbers, tensors) stay as printed.
"""

from docutils import nodes

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


def setup(app):
    app.connect("doctree-read", translate_printed)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
