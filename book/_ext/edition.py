"""The book's editions: English, and translations named by CNN_BOOK_LANGUAGE.

`make book` builds the English book into _build/html, then the Korean edition with
CNN_BOOK_LANGUAGE=ko into _build/html/ko. Sphinx takes each paragraph's translation from
locales/ko when the language is set here, before any page is read. What Sphinx would
leave in English is translated from catalogues too: the book's title (the root page's
heading) and the sidebar's part captions (messages of the root page's catalogue), and the
words around the chapters: the theme's ("Contents", "Download this page"), from
locales/<language>/LC_MESSAGES/booktheme.po, and Sphinx's and the pydata theme's that
Sphinx's own catalogue lacks ("Back to top"), the search box's text and the author line,
from sphinx.po beside it. A word a page computes and glues into its text (the rule of
thumb's verdict, "higher") is translated from sphinx.po too. Every page of every edition
links to the same page in the other editions.
"""

import gettext
import html
import io
import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from docutils import nodes
from sphinx import addnodes, locale
from sphinx.util.i18n import docname_to_domain

# Each edition: its name, written in its own language, and the folder it lives in below
# the English book. The Makefile builds them in the same places.
EDITIONS = {"en": ("English", ""), "ko": ("한국어", "ko/")}


def language_of(config):
    """The edition this build makes: 'en', or the translation it was asked for."""
    return config.language if config.language in EDITIONS else "en"


def choose_language(app, config):
    """Set the language of this build from the environment, when it names one."""
    language = os.environ.get("CNN_BOOK_LANGUAGE", "").strip()
    if not language:
        return
    if language not in EDITIONS or language == "en":
        raise ValueError(f"CNN_BOOK_LANGUAGE must be one of the translations {sorted(set(EDITIONS) - {'en'})}, "
                         f"got {language!r}")
    config.language = language
    app._init_i18n()  # Sphinx's own words (search, next, previous) in that language too
    # The book's author line and the search box's text, from locales/<language>/LC_MESSAGES/sphinx.po.
    translate = locale.get_translation("sphinx")
    config.author = str(translate(config.author))
    config.html_theme_options = {**config.html_theme_options, "search_bar_text": str(translate("Search this book..."))}
    # The button of a folded cell (a cell tagged hide-cell), which myst-nb words in English.
    config.nb_code_prompt_show = str(translate("Show code cell {type}"))
    config.nb_code_prompt_hide = str(translate("Hide code cell {type}"))
    # The theme loaded its words in English when it was set up, before the language was known.
    theme = Path(app.srcdir) / config.locale_dirs[0] / language / "LC_MESSAGES" / "booktheme.po"
    with open(theme, "rb") as f:
        compiled = io.BytesIO()
        write_mo(compiled, read_po(f, locale=language))
    compiled.seek(0)
    locale.translators[("general", "booktheme")] = gettext.GNUTranslations(compiled)


def catalogue(app, docname):
    """{English: translation} of one page's current messages, read from its .po file.

    Read from the source catalogue itself: Sphinx compiles the .mo files only later in the
    build, and keeps the first translator it loads for a page for the whole build.
    """
    found = {}
    domain = docname_to_domain(docname, app.config.gettext_compact)
    for folder in app.config.locale_dirs:
        path = Path(app.srcdir) / folder / app.config.language / "LC_MESSAGES" / f"{domain}.po"
        if path.is_file():
            with open(path, "rb") as f:
                found.update({m.id: m.string for m in read_po(f) if m.id and m.string and not m.fuzzy})
    return found


def translate_title(app):
    """The book's title is its root page's heading: take its translation from that page's catalogue."""
    if language_of(app.config) != "en":
        root = app.config.root_doc
        app.config.html_title = catalogue(app, root).get(app.config.html_title, app.config.html_title)


def translate_captions(app, doctree):
    """The sidebar's part captions, which the table of contents adds after Sphinx translated the page."""
    captioned = [toctree for toctree in doctree.findall(addnodes.toctree) if toctree.get("caption")]
    if language_of(app.config) == "en" or not captioned:
        return  # only the root page has captions: no other page's catalogue is read
    translations = catalogue(app, app.env.docname)
    for toctree in captioned:
        toctree["caption"] = translations.get(toctree["caption"], toctree["caption"])


def translate_glued_words(app, doctree):
    """Words a page computes and glues into its text ("higher", "lower"), from sphinx.po in a translation."""
    if language_of(app.config) == "en":
        return
    translate = locale.get_translation("sphinx")
    for node in doctree.findall(nodes.inline):
        if "pasted-text" in node["classes"]:  # what myst-nb's {glue:text} role pastes
            text = node.astext()
            translated = str(translate(text))
            if translated != text:
                node.children = [nodes.Text(translated)]


def link_editions(app, pagename, templatename, context, doctree):
    """Put a link to the same page in each other edition at the top of the page, and in its head."""
    here = language_of(app.config)
    to_root = "../" * pagename.count("/") + ("../" * EDITIONS[here][1].count("/"))  # to the English book's root
    links, alternates = [], []
    for language, (name, folder) in EDITIONS.items():
        if language == here:
            continue
        href = html.escape(f"{to_root}{folder}{pagename}.html")
        links.append(f'<a href="{href}" hreflang="{language}" lang="{language}">{html.escape(name)}</a>')
        alternates.append(f'<link rel="alternate" hreflang="{language}" href="{href}">\n')
    context["metatags"] = context.get("metatags", "") + "".join(alternates)
    if "body" in context:
        context["body"] = f'<p class="cnn-editions">{" · ".join(links)}</p>\n' + context["body"]


def setup(app):
    app.connect("config-inited", choose_language, priority=100)
    app.connect("builder-inited", translate_title)
    app.connect("doctree-read", translate_captions)
    app.connect("doctree-read", translate_glued_words)
    app.connect("html-page-context", link_editions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
