"""Which edition a build makes: English, or a translation named by CNN_BOOK_LANGUAGE.

`make book` builds the English book, then each translation with CNN_BOOK_LANGUAGE set
(ko: the Korean edition, from locales/ko). Sphinx takes the paragraphs' translations from
the catalogues when the language is set here, before any page is read.
"""

import os


def choose_language(app, config):
    """Set the language of this build from the environment, when it names one."""
    language = os.environ.get("CNN_BOOK_LANGUAGE", "").strip()
    if language:
        config.language = language
        app._init_i18n()  # Sphinx's own words (search, next, previous) in that language too


def setup(app):
    app.connect("config-inited", choose_language, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
