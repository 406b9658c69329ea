"""Every page of the built book works in a real browser, offline, in both editions.

For each page in _toc.yml, English (_build/html) and Korean (_build/html/ko): it loads
with no JavaScript error, no console error and no failed or external request; every widget
renders; every animation plays when Play is clicked and changes frame when its slider
moves; formulas render as math; internal links and images resolve, and every picture is
shown at its own size (at the test's desktop width the drawings fit the text column;
stretched or shrunk pictures look blurred); a page's own bytes (HTML, widgets, pictures)
stay under 3 MB; no widget runs past the column and progress bars show a bar; no Markdown
mark (an emphasis that did not close) shows as text. Each page says its language, links
to its counterpart in the other edition, and shows the exercises in its own language
only. On Korean pages, Hangul is drawn with a real font, not as missing-glyph boxes, no
text outside code, outputs and widgets stays English unless its catalogue keeps it so, and
no English word shows anywhere outside code, formulas and printed output (explorers,
tables, pictures' choices and exercises included) but the few ALLOWED_ENGLISH lists.
A full-page screenshot of each page goes to _build/screenshots/ (Korean ones: ko_*.png).
"""

import functools
import re
from urllib.parse import urldefrag, urljoin

import pytest
import yaml
from babel.messages.pofile import read_po
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import ROOT, SCREENSHOTS

PLAY_WITHIN_MS = 2000
PAGE_BUDGET = 3_000_000  # bytes of a page's own: its HTML, embedded widgets and pictures


def toc_pages():
    """The book's pages, in the order of _toc.yml, as paths of their HTML files."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    return [f + ".html" for f in files]


EDITIONS = {"en": "", "ko": "ko/"}  # each edition's folder in _build/html (the Makefile's html target)
PAGES = [(language, folder + path) for language, folder in EDITIONS.items() for path in toc_pages()]

# Draw a character in the page's font on a canvas; a character no font has comes out like an
# unassigned one (a box, or nothing), whatever the browser draws for those.
GLYPHS_MISSING = r"""(chars) => {
  const canvas = document.createElement("canvas"); canvas.width = canvas.height = 48;
  const g = canvas.getContext("2d");
  const font = getComputedStyle(document.querySelector(".bd-article")).fontFamily;
  const draw = (ch) => { g.clearRect(0, 0, 48, 48); g.font = `32px ${font}`; g.fillText(ch, 4, 38);
                         return g.getImageData(0, 0, 48, 48).data.join(); };
  const missing = draw("\u{10FFFD}");
  return chars.filter(ch => draw(ch) === missing);
}"""


# The text of the article's blocks (paragraphs, list items, table cells, headings), outside
# code, outputs and widgets, with inline code and formulas taken out.
BLOCK_TEXTS = r"""() => {
  const blocks = ":is(p, li, td, th, h1, h2, h3, h4, dt, dd, .admonition-title, figcaption, summary)";
  const found = [];
  for (const el of document.querySelectorAll(`.bd-article ${blocks}`)) {
    if (el.closest(".cell_output, .cell_input, pre, .jupyter-widgets, .widget-subarea, .cnn-editions")) continue;
    if (el.querySelector("p, li")) continue;  // its own paragraphs are checked one by one
    const copy = el.cloneNode(true);
    copy.querySelectorAll("code, mjx-container, .math, .headerlink").forEach(e => e.remove());
    found.push(copy.textContent.replace(/\s+/g, " ").trim());
  }
  return found;
}"""
# Every visible text of the article, outside code, formulas and printed output (stdout): what a
# Korean reader reads, explorers, tables, pictures' choices and exercises included. A text node
# whose element holds a message the catalogues deliberately keep English (a term in the
# glossary's English column) is marked so.
VISIBLE_TEXTS = r"""(glossary) => {
  const skip = "code, pre, .cell_input, .output.stream, mjx-container, .math, .headerlink, script, style, kbd, sub, sup, " +
               ".cnn-editions" + (glossary ? ", table" : "");  // the glossary's tables give each term's English
  const found = [];
  const walker = document.createTreeWalker(document.querySelector(".bd-article"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest(skip) || !el.checkVisibility()) continue;
    const italic = el.closest("em");  // in italics with no Hangul: a paper's title, which stays as published
    if (italic && !/[\uac00-\ud7a3]/.test(italic.textContent)) continue;
    found.push([node.textContent, el.textContent]);
  }
  return found;
}"""
# The English words a Korean page may show, and why.
ALLOWED_ENGLISH = {
    "ReLU": "the function's name, written so in Korean texts and in PyTorch",
    "CNN": "the usual abbreviation in Korean texts", "MLP": "the usual abbreviation in Korean texts",
    "PyTorch": "software", "Python": "software", "Jupyter": "software", "JupyterLab": "software",
    "Colab": "software", "Binder": "software", "NumPy": "software", "Chromium": "software",
    "Fashion-MNIST": "a data set's name", "MNIST": "a data set's name", "ImageNet": "a data set's name",
    "LeNet": "a network's name", "AlexNet": "a network's name", "VGG": "a network's name",
    "GoogLeNet": "a network's name", "ResNet": "a network's name",
    "He": "He initialisation, named after its author", "Kaiming": "He initialisation's author",
    "Adam": "an optimiser's name", "max": "the function, as formulas write it", "tanh": "the function",
    "FLOP": "a unit", "FLOPs": "a unit", "MFLOP": "a unit", "MFLOPs": "a unit", "MB": "a unit", "kB": "a unit",
    "RGB": "the colour channels' usual name", "CPU": "hardware", "GPU": "hardware",
    "et": "a citation's et al.", "al": "a citation's et al.",
    "Intel": "a maker's name", "AMD": "a maker's name", "NVIDIA": "a maker's name", "Xeon": "a processor's name",
    "Cooper": "a processor's name (Cooper Lake)", "Lake": "a processor's name (Cooper Lake)",
    "Sapphire": "a processor's name (Sapphire Rapids)", "Rapids": "a processor's name (Sapphire Rapids)",
    "Zen": "a processor's name", "AMX": "a processor's instructions", "RTX": "a graphics card's name",
    "Debian": "an operating system", "Ubuntu": "an operating system", "README": "a file's name",
    "torchvision": "software", "cpu": "the device's name as PyTorch writes it", "Enter": "a key's name",
    "ConvolutionalNeuralNetworkClass": "the study note's class name", "DeepLab": "a network's name",
    "WaveNet": "a network's name", "FFT": "the fast Fourier transform's usual name",
    "same": "“same” padding, named as libraries spell it (padding=\"same\")",
    **{name: "an author's name in a citation" for name in (
        "LeCun", "Bottou", "Bengio", "Haffner", "Krizhevsky", "Sutskever", "Hinton", "Simonyan", "Zisserman",
        "Szegedy", "Zhang", "Ren", "Sun", "Ioffe", "Luo", "Hubel", "Wiesel", "Springenberg", "Yu", "Koltun",
        "Winograd")},
}
# A word in brackets right after Hangul is the English of a key term where it first appears.
# (A bracket may go on after a comma: "(max pooling, S = 2)", "(tensor, 다차원 배열)".)
GLOSS = re.compile(r"(?<=[\w\uac00-\ud7a3])\s?\(\s*[A-Za-z0-9\u201c\"][A-Za-z0-9 ×±'/\u201c\u201d\"-]*"
                   r"(?:,\s*[A-Za-z][A-Za-z0-9 ×±'/\u201c\u201d\"-]*)*(?=[,)])")

# An English word: letters not inside a longer name (conv2d_00, AVX512) nor code (ksize=3,
# nn.Conv2d, ceil_mode=False); a Korean particle after it does not hide it ("stride를").
WORD = re.compile(r"(?<![A-Za-z0-9_.=-])[A-Za-z][A-Za-z'-]*[A-Za-z](?![A-Za-z0-9_=(-]|\.[A-Za-z])")


def english_words(page):
    """The English words a Korean page shows outside code, formulas and printed output, not allowed above."""
    kept = {text for text in kept_in_english() if len(text.split()) <= 4}  # terms, not sentences
    text = " ".join(own for own, whole in page.evaluate(VISIBLE_TEXTS, page.url.endswith("glossary.html"))
                    if HANGUL.search(whole) or plain(whole) not in kept)
    words = WORD.findall(GLOSS.sub("", text))
    return sorted({w for w in words if w not in ALLOWED_ENGLISH})


HANGUL = re.compile("[\uac00-\ud7a3]")
ENGLISH_WORD = re.compile("[A-Za-z]{2,}")


def plain(text):
    """Text without Markdown marks, curly quotes or spacing differences, to compare source with page."""
    text = re.sub(r"[*`_]", "", text.replace("\u2019", "'").replace("\u2018", "'"))
    return " ".join(text.split())


@functools.cache
def kept_in_english():
    """The messages the Korean catalogues deliberately leave English (labels as drawn, code names)."""
    kept = set()
    for path in (ROOT / "locales" / "ko" / "LC_MESSAGES").rglob("*.po"):
        with open(path, "rb") as f:
            kept.update(plain(m.string) for m in read_po(f) if m.id and m.string == m.id)
    return kept


def check_edition(page, site, path, language):
    """The page says its language, links to its counterpart, and shows exercises in its language only."""
    assert page.evaluate("document.documentElement.lang") == language
    others = {lang: folder for lang, folder in EDITIONS.items() if lang != language}
    page_in_book = path.removeprefix(EDITIONS[language])
    links = page.locator("p.cnn-editions a")
    assert links.count() == len(others)
    for link in links.all():
        target = urldefrag(urljoin(site + path, link.get_attribute("href")))[0]
        assert target == site + others[link.get_attribute("hreflang")] + page_in_book
    hidden = "en" if language == "ko" else "ko"
    assert page.locator(f".cnn-{hidden}:visible").count() == 0, f"exercise text in {hidden} shown"
    if page.locator(".cnn-solutions").count():
        assert page.locator(f".cnn-{language}:visible").count() > 0, "the exercises show no text"
    if language == "ko":
        text = page.locator(".bd-article").inner_text()
        hangul = sorted(set(HANGUL.findall(text)))
        assert len(hangul) > 20, "a Korean page with hardly any Korean text"
        missing = page.evaluate(GLYPHS_MISSING, hangul[:200])
        assert not missing, f"Hangul drawn as missing glyphs (no Korean font): {''.join(missing[:20])}"
    texts = page.evaluate(BLOCK_TEXTS)
    marks = [text for text in texts if "**" in text or "`" in text]
    assert not marks, "Markdown shown as text (an emphasis that did not close?):\n" + "\n".join(marks)
    if language == "ko":
        english = [text for text in texts if not HANGUL.search(text) and len(ENGLISH_WORD.findall(text)) >= 3
                   and plain(text) not in kept_in_english()]
        assert not english, "English text on a Korean page, not in any catalogue:\n" + "\n".join(english)
        words = english_words(page)
        assert not words, ("English words on a Korean page (translate them, or allow one in ALLOWED_ENGLISH with its "
                           f"reason): {words}")


class PageWatch:
    """Everything a page does that the test forbids: errors, failed and external requests."""

    def __init__(self, page, site):
        self.problems = []
        page.on("pageerror", lambda err: self.problems.append(f"JavaScript error: {err}"))
        page.on("console", lambda msg: msg.type == "error" and self.problems.append(f"console error: {msg.text}"))
        page.on("requestfailed", lambda req: self.problems.append(f"failed request: {req.url} {req.failure}"))
        page.on("response", lambda res: res.status >= 400 and self.problems.append(f"HTTP {res.status}: {res.url}"))
        page.on("request", lambda req: req.url.startswith((site, "data:", "blob:"))
                or self.problems.append(f"external request: {req.url}"))
        self.own_bytes = 0  # the page's HTML and its pictures; the shared assets (_static/, search) load once
        self.shared = tuple(site + folder + asset for folder in EDITIONS.values()
                            for asset in ("_static/", "searchindex.js"))
        page.on("requestfinished", lambda req: self.count(req, site))

    def count(self, req, site):
        if req.url.startswith(site) and not req.url.startswith(self.shared):
            self.own_bytes += req.sizes()["responseBodySize"]


def wait_for_widgets(page):
    """Wait until every embedded widget view has been rendered; return how many there are."""
    views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    if views:
        page.wait_for_function(
            "n => Array.from(document.querySelectorAll('.widget-subarea')).filter(e => e.children.length).length >= n",
            arg=views, timeout=20000)
    return views


def visible_frame(animation):
    """The src of the frame an animation shows now."""
    return animation.locator("img:visible").first.get_attribute("src")


def check_animation(page, play):
    """Play changes the frame within PLAY_WITHIN_MS; moving the slider changes it too."""
    animation = play.locator("xpath=../..")  # VBox(HBox(Play, slider), Stack(frames))
    before = visible_frame(animation)
    play.locator("button").first.click()  # play
    try:
        page.wait_for_function(
            "([el, src]) => { const img = Array.from(el.querySelectorAll('img')).find(i => i.offsetParent);"
            " return img && img.src !== src; }",
            arg=[animation.element_handle(), before], timeout=PLAY_WITHIN_MS)
    except PlaywrightTimeout:
        pytest.fail(f"clicking Play did not change the frame within {PLAY_WITHIN_MS} ms")
    play.locator("button").nth(1).click()  # stop: back to the first frame
    page.wait_for_timeout(100)
    before = visible_frame(animation)
    handle = animation.locator(".noUi-handle").first
    handle.focus()
    handle.press("End")
    page.wait_for_timeout(200)
    assert visible_frame(animation) != before, "moving the slider did not change the frame"


def exercise_animations(page):
    """Check every animation: those shown at once, and those behind each button of every choice."""
    checked = 0
    for play in page.locator(".widget-play:visible").all():
        check_animation(page, play)
        checked += 1
    for group in page.locator(".widget-toggle-buttons").all():
        container = group.locator("xpath=../..")
        buttons = group.locator("button")
        if container.locator(".widget-play").count() == 0:
            continue
        for i in range(1, buttons.count()):  # the first choice was shown at once
            buttons.nth(i).click()
            page.wait_for_timeout(150)
            for play in container.locator(".widget-play:visible").all():
                check_animation(page, play)
                checked += 1
    return checked


def check_math(page):
    """Every formula is typeset by MathJax; no raw TeX is left in the text."""
    formulas = page.locator(".math").count()
    if formulas:
        try:
            page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=10000)
        except PlaywrightTimeout:
            pytest.fail("MathJax never started: the formulas stay raw TeX")
        page.evaluate("MathJax.startup.promise")
        assert page.locator("mjx-container").count() >= formulas, "some formulas were not typeset"
    text = page.locator(".bd-article").inner_text()
    for raw in ("\\frac", "\\sum", "\\lfloor", "$$"):
        assert raw not in text, f"raw TeX {raw!r} shown on the page"
    return formulas


def check_links_and_images(page, site, url):
    """Internal links answer 200; every image has loaded and is shown at its own size."""
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    targets = {urldefrag(urljoin(url, h))[0] for h in hrefs if not h.startswith(("mailto:", "javascript:"))}
    for target in sorted(t for t in targets if t.startswith(site)):
        status = page.request.get(target).status
        assert status == 200, f"link to {target} answers {status}"
    broken = page.eval_on_selector_all("img", "els => els.filter(i => i.offsetParent && !(i.complete && "
                                               "i.naturalWidth > 0)).map(i => i.src.slice(0, 80))")
    assert not broken, f"images that did not load: {broken}"
    resized = page.eval_on_selector_all("img", "els => els.filter(i => i.offsetParent && i.naturalWidth > 0 && "
                                                "Math.abs(i.clientWidth - i.naturalWidth) > 1)"
                                                ".map(i => `${i.naturalWidth} px shown ${i.clientWidth} px wide`)")
    assert not resized, f"pictures not shown at their own size, so they look blurred: {resized}"
    return len(targets)


def check_widgets_fit(page):
    """No widget runs past the text column, and every progress bar has a visible length."""
    overflowing = page.eval_on_selector_all(
        ".widget-subarea > .jupyter-widgets",
        "els => els.filter(e => e.scrollWidth > e.clientWidth + 1)"
        ".map(e => `${JSON.stringify(e.innerText.slice(0, 60))}: ${e.scrollWidth} px in ${e.clientWidth} px`)")
    assert not overflowing, f"widgets cut off at the column's right edge: {overflowing}"
    flat = page.eval_on_selector_all(".widget-hprogress", "els => els.filter(e => e.clientWidth < 50).length")
    assert not flat, f"{flat} progress bars squeezed to nothing"


@pytest.mark.parametrize("language, path", PAGES, ids=[path for _, path in PAGES])
def test_page_works_offline(browser, site, language, path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = PageWatch(page, site)
    url = urljoin(site, path)
    response = page.goto(url, wait_until="load")
    assert response.status == 200, f"{path} answers {response.status}"
    page.wait_for_load_state("networkidle")
    views = wait_for_widgets(page)
    check_widgets_fit(page)
    animations = exercise_animations(page)
    formulas = check_math(page)
    links = check_links_and_images(page, site, url)
    check_edition(page, site, path, language)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    page.wait_for_timeout(300)  # let the sticky header settle at the top
    page.screenshot(path=SCREENSHOTS / (path.replace("/", "_").removesuffix(".html") + ".png"), full_page=True)
    page.close()
    print(f"{path}: {views} widgets, {animations} animations played, {formulas} formulas, {links} links, "
          f"{watch.own_bytes / 1e6:.2f} MB of its own")
    assert not watch.problems, "\n".join(watch.problems)
    assert watch.own_bytes < PAGE_BUDGET, f"{path} weighs {watch.own_bytes / 1e6:.2f} MB, more than 3 MB"
