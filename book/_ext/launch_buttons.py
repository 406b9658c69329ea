"""Launch buttons follow one setting: the project's repository address.

The address is `repository.url` in _config.yml, or the variable CNN_BOOK_REPOSITORY, which
`make book REPOSITORY=...` passes on. Set, every chapter's page gets the Colab and Binder
buttons that _config.yml's `launch_buttons` configures, each opening that chapter's own
notebook in the repository. Unset, the page shows none: the theme would fail on buttons
with no repository to point at.
"""

import os


def follow_the_repository(app, config):
    """Take the address from the environment when given there; drop the buttons when there is none."""
    options = config.html_theme_options
    address = os.environ.get("CNN_BOOK_REPOSITORY", "").strip() or options.get("repository_url", "").strip()
    if address:
        options["repository_url"] = address.rstrip("/")
    else:
        options.pop("launch_buttons", None)


def setup(app):
    app.connect("config-inited", follow_the_repository, priority=100)  # before the theme reads it
    return {"parallel_read_safe": True, "parallel_write_safe": True}
