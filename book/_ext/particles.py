"""Korean particles after glued numbers, chosen by rule (the Korean edition).

A translation cannot know the number a page measures, so it writes the particle after a
glued number as a marker: "{glue:text}`page_acc:.3f`이/가 된다". Once every glue role and
cross-reference has its text (doctree-resolved, after myst-nb's glue and Sphinx's
post-transforms), each paragraph's text is read in order: a marker at the start of a text
is resolved by what precedes it in the same paragraph (the glued number's rendered text),
and a marker inside a text by the word before it, with cnnlib.korean's rules ("0.912이",
"10으로", "7로"). Code and formulas are left alone. A marker after a word that cannot be
read aloud stays, with a warning naming the page. English pages are never touched.
"""

import re

from docutils import nodes
from sphinx.util import logging

from cnnlib.korean import PAIRS, resolve_particles

logger = logging.getLogger(__name__)
MARKERS = re.compile("|".join(sorted(PAIRS, key=len, reverse=True)))  # the longest first, as cnnlib.korean
LEFT = re.compile(rf"\S({MARKERS.pattern})")  # a marker still written after a word: it could not be read
UNTOUCHED = (nodes.FixedTextElement, nodes.literal, nodes.math, nodes.raw, nodes.comment)  # code and formulas


def _untouched(text):
    """Whether a Text node lies in code, a formula or raw output, where a slash is no marker."""
    parent = text.parent
    while parent is not None:
        if isinstance(parent, UNTOUCHED):
            return True
        parent = parent.parent
    return False


def _resolve_block(block):
    """Resolve the markers of one paragraph-like node; return the markers left unresolved."""
    before, left = "", []
    for text in list(block.findall(nodes.Text)):
        value = str(text)
        if not _untouched(text) and MARKERS.search(value):
            word = re.search(r"\S*$", before).group()  # what precedes this text, back to a space
            resolved = resolve_particles(word + value)
            new = resolved[len(word):] if resolved.startswith(word) else resolve_particles(value)
            if new != value:
                text.parent.replace(text, nodes.Text(new))
            left += [m.group(1) for m in LEFT.finditer(word[-1:] + new)]
            value = new
        before += value
    return left


def resolve_markers(app, doctree, docname):
    """In the Korean edition, resolve every particle marker of the page's paragraphs, titles and captions."""
    if not str(app.config.language or "").startswith("ko"):
        return
    blocks = [node for node in doctree.findall(nodes.TextElement) if not isinstance(node, (nodes.Inline,) + UNTOUCHED)]
    for block in blocks:
        for marker in _resolve_block(block):
            logger.warning(f"particle marker {marker!r} follows a word that cannot be read aloud: "
                           "write the particle itself", location=(docname, block.line))


def setup(app):
    app.connect("doctree-resolved", resolve_markers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
