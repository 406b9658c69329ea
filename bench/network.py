"""How fast does the network explorer answer a stroke, and how much do its pages weigh?

In Debian's Chromium, on the built book (run `make html` first): the playground's network
explorer gets 40 strokes drawn with the mouse; after each, the time the page took from the
stroke's update to the new prediction and every layer's maps drawn (root.cnnx.updateMs,
measured in the page with performance.now()). Target: under 50 ms on the book's 2-core
machine. Also the explorer's saved state (its code, numbers and images) and the pages'
own bytes as tests/browser/test_pages.py counts them.

Usage: python bench/network.py [--json bench/results/network.json]
"""

import argparse
import functools
import http.server
import json
import os
import statistics
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PAGES = ("book/playground.html", "book/training.html")
STROKES = 40


def serve():
    """The built book on 127.0.0.1, in a thread; returns (base URL, server)."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=HTML)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def stroke_times(page, root):
    """Milliseconds per update, one per stroke over the first test image."""
    root.query_selector('[data-part=samples] canvas[data-index="0"]').click()
    box = root.query_selector("[data-part=input]").bounding_box()
    times = []
    for k in range(STROKES):
        y = box["y"] + box["height"] * (0.1 + 0.8 * k / STROKES)
        page.mouse.move(box["x"] + 0.2 * box["width"], y)
        page.mouse.down()
        page.mouse.move(box["x"] + 0.8 * box["width"], y, steps=4)
        page.mouse.up()
        page.wait_for_timeout(50)
        times.append(page.evaluate("root => root.cnnx.updateMs", root))
    return times


def page_bytes(browser, url):
    """Bytes of a page's own (HTML and what it loads outside _static/)."""
    page, sizes = browser.new_page(), []

    def count(request):
        if "/_static/" not in request.url:
            sizes.append(request.sizes()["responseBodySize"])

    page.on("requestfinished", count)
    page.goto(url, wait_until="load")
    page.close()
    return sum(sizes)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    args = parser.parse_args()
    if not (HTML / PAGES[0]).is_file():
        raise SystemExit(f"no built book in {HTML}: run `make html` first")
    site, server = serve()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(site + PAGES[0], wait_until="load")
        root = page.wait_for_selector("[data-explorer=network]", timeout=30000)
        page.wait_for_function("root => root.cnnx && root.cnnx.logits", arg=root)
        times = stroke_times(page, root)
        weights = {path: page_bytes(browser, site + path) for path in PAGES}
        browser.close()
    server.shutdown()
    state = json.loads((ROOT / "book" / "playground.ipynb").read_text())["metadata"]["widgets"]
    explorer = next(m["state"] for m in state["application/vnd.jupyter.widget-state+json"]["state"].values()
                    if m["state"].get("kind") == "network")
    sizes = {part: len(explorer[part].encode()) for part in ("_esm", "weights", "images")}
    result = {"update_ms": {"median": statistics.median(times), "max": max(times), "strokes": len(times)},
              "explorer_state_bytes": sizes, "page_bytes": weights, "cpus": os.cpu_count()}
    print(f"update per stroke ({len(times)} strokes): median {result['update_ms']['median']:.1f} ms, "
          f"slowest {result['update_ms']['max']:.1f} ms (target: under 50 ms)")
    print("explorer's saved state: " + ", ".join(f"{k} {v / 1e3:.0f} kB" for k, v in sizes.items()))
    for path, size in weights.items():
        print(f"{path}: {size / 1e6:.2f} MB of its own (target: under 3 MB)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
