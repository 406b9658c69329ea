"""Tables inside admonitions are translated like every other table.

Sphinx translates (and extracts for translation) only text that knows the file it came
from. MyST gives no source to the paragraphs of a table it parses inside a directive, such
as the notation table in the introduction's admonition, so Sphinx would skip them: the
Korean edition would show those cells in English and no test would notice. This transform
gives each such cell the source of the nearest element that has one, before Sphinx's own
translation step runs.
"""

from docutils import nodes
from sphinx.transforms import SphinxTransform


class SourceForTableCells(SphinxTransform):
    """Give every table cell's text a source, so that Sphinx's i18n sees it."""

    default_priority = 10  # before sphinx.transforms.i18n.Locale (20)

    def apply(self, **kwargs):
        for cell in self.document.findall(nodes.entry):
            for text in cell.findall(nodes.TextElement):
                if text.source:
                    continue
                known = text.parent
                while known is not None and not known.source:
                    known = known.parent
                text.source = known.source if known is not None else self.document["source"]
                text.line = text.line or (known.line if known is not None else None)


def setup(app):
    app.add_transform(SourceForTableCells)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
