"""Launch buttons follow the one repository setting (book/_ext/launch_buttons.py).

The book as built by `make html` has no repository address, so no page shows a launch
button. Built once more with an example address, every chapter's Colab and Binder links
open that chapter's own notebook in that repository.
"""

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urljoin

import pytest

from conftest import ROOT, QuietHandler
from test_pages import toc_pages

EXAMPLE = "https://github.com/example/cnn-book"
CHAPTERS = [p for p in toc_pages() if (ROOT / p).with_suffix(".ipynb").exists()]  # the notebooks


@pytest.fixture(scope="module")
def example_site(tmp_path_factory):
    """The book built with the example address, served on 127.0.0.1."""
    out = tmp_path_factory.mktemp("with-repository")
    env = dict(os.environ, CNN_BOOK_REPOSITORY=EXAMPLE)
    build = subprocess.run([str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "--warningiserror",
                            "--keep-going", "--path-output", str(out)], env=env, capture_output=True, text=True)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    html = out / "_build" / "html"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=html))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def plain_page(browser):
    """A page without JavaScript: the launch buttons are in the HTML the theme writes."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def launch_links(page, site, path):
    response = page.goto(urljoin(site, path), wait_until="load")
    assert response.status == 200, path
    return page.eval_on_selector_all(".dropdown-launch-buttons a", "els => els.map(e => e.href)")


def test_without_a_repository_no_page_shows_a_launch_button(plain_page, site):
    for path in toc_pages():
        assert launch_links(plain_page, site, path) == [], path


@pytest.mark.parametrize("path", CHAPTERS)
def test_each_chapter_launches_its_own_notebook_in_the_repository(plain_page, example_site, path):
    notebook = path.removesuffix(".html") + ".ipynb"
    assert (ROOT / notebook).is_file()
    assert sorted(launch_links(plain_page, example_site, path)) == sorted([
        f"https://colab.research.google.com/github/example/cnn-book/blob/main/{notebook}",
        f"https://mybinder.org/v2/gh/example/cnn-book/main?urlpath=lab/tree/{notebook}",
    ])
