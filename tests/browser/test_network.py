"""The network explorer (cnnlib/explorers/network.js) in Chromium on the built book, checked against PyTorch.

The page computes a trained network's forward pass itself. The reference here is the
PyTorch network rebuilt from the explorer's saved state (its layers and float16 numbers, as
the notebook holds them): on each of the page's 50 test images the class scores agree within
1e-4 and the predicted class is the same; every layer's maps for one image agree; a drawing
made with the mouse gets the class PyTorch gives for the same 28 x 28 input; a clicked unit
shows the receptive field of cnnlib.shapes.receptive_fields and a stamp that adds up to its
value; the explorer fits a phone's width and speaks Korean in the Korean edition.
"""

import json
import re
from urllib.parse import urljoin

import pytest
import torch

from cnnlib import widgets
from cnnlib.shapes import receptive_fields
from conftest import ROOT, SCREENSHOTS
from test_pages import PageWatch

PAGES = ("book/playground.html", "book/training.html")  # the pages that show the explorer
TOLERANCE = 1e-4


def saved_state(chapter):
    """The network explorer's state as the chapter's notebook saved it."""
    nb = json.loads((ROOT / "book" / chapter).read_text())
    states = nb["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    return next(m["state"] for m in states.values() if m["state"].get("kind") == "network")


@pytest.fixture(scope="module")
def reference():
    """The PyTorch network the playground's explorer computes, and its test images (N, C, H, W)."""
    state = saved_state("playground.ipynb")
    model = widgets.network_from_layers(state["layers"], widgets.decode_numbers(state["weights"]))
    images = widgets.decode_images(state["images"], state["xdim"], state["mean"], state["std"])
    return model, images, state


def open_explorer(browser, site, path, width=1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    watch = PageWatch(page, site)
    page.goto(urljoin(site, path), wait_until="load")
    root = page.wait_for_selector("[data-explorer=network]", timeout=30000)
    page.wait_for_function("root => root.cnnx && root.cnnx.logits", arg=root)
    return page, root, watch


@pytest.fixture(scope="module")
def explorer(browser, site):
    page, root, watch = open_explorer(browser, site, PAGES[0])
    yield page, root
    page.close()
    assert not watch.problems, "\n".join(watch.problems)


def layer_outputs(model, x):
    """{layer name: its output for x (1, C, H, W)}, layer by layer."""
    out = {}
    with torch.no_grad():
        for name, layer in model.named_children():
            x = layer(x)
            out[name] = x[0].flatten()
    return out


def shown_logits(page, root, index):
    root.query_selector(f'[data-part=samples] canvas[data-index="{index}"]').click()
    return page.evaluate("root => [root.cnnx.logits, Number(root.querySelector('[data-part=probabilities]')"
                         ".dataset.predicted), root.cnnx.picked]", root)


def test_the_page_gives_pytorchs_scores_and_class_on_every_test_image(explorer, reference):
    page, root = explorer
    model, images, state = reference
    assert len(images) >= 50
    worst = 0.0
    for i in range(len(images)):
        logits, predicted, picked = shown_logits(page, root, i)
        assert picked == i
        with torch.no_grad():
            expected = model(images[i:i + 1])[0]
        gap = (torch.tensor(logits) - expected).abs().max().item()
        worst = max(worst, gap)
        assert gap < TOLERANCE, f"test image {i}: scores differ by {gap:.2e}"
        assert predicted == expected.argmax().item(), f"test image {i}"
    print(f"{len(images)} test images: largest score difference {worst:.1e}")


def test_every_layers_maps_match_pytorch(explorer, reference):
    page, root = explorer
    model, images, _ = reference
    shown_logits(page, root, 7)
    shown = page.evaluate("root => Object.fromEntries(root.cnnx.outputs.map(o => [o.layer.name, Array.from(o.values)]))",
                          root)
    expected = layer_outputs(model, images[7:8])
    assert list(shown) == list(expected)
    for name, values in expected.items():
        scale = max(1.0, values.abs().max().item())
        gap = (torch.tensor(shown[name]) - values).abs().max().item()
        assert gap < TOLERANCE * scale, f"{name}: maps differ by {gap:.2e}"


def test_a_drawing_gets_the_class_pytorch_gives_for_the_same_input(explorer, reference):
    page, root = explorer
    model, _, state = reference
    root.query_selector("[data-control=clear]").click()
    canvas = root.query_selector("[data-part=input]").bounding_box()
    at = lambda fx, fy: (canvas["x"] + fx * canvas["width"], canvas["y"] + fy * canvas["height"])  # noqa: E731
    for stroke in (((0.3, 0.15), (0.3, 0.85)), ((0.7, 0.15), (0.7, 0.85)), ((0.3, 0.2), (0.7, 0.2))):
        page.mouse.move(*at(*stroke[0]))
        page.mouse.down()
        for k in range(1, 11):
            fx = stroke[0][0] + (stroke[1][0] - stroke[0][0]) * k / 10
            fy = stroke[0][1] + (stroke[1][1] - stroke[0][1]) * k / 10
            page.mouse.move(*at(fx, fy))
        page.mouse.up()
    page.wait_for_timeout(100)  # the last update waits for the browser's next frame
    drawn, logits, predicted = page.evaluate(
        "root => [Array.from(root.cnnx.input), root.cnnx.logits, "
        "Number(root.querySelector('[data-part=probabilities]').dataset.predicted)]", root)
    x = torch.tensor(drawn).reshape(1, *state["xdim"])
    assert 20 < (x > 0.5).sum() < 500, "the strokes did not reach the input"
    assert x.min() >= 0 and x.max() <= 1
    with torch.no_grad():
        expected = model((x - state["mean"]) / state["std"])[0]
    assert (torch.tensor(logits) - expected).abs().max() < TOLERANCE
    assert predicted == expected.argmax().item()
    assert "drawing" in root.query_selector("[data-part=input-name]").inner_text()
    root.query_selector(f'[data-part=probabilities] [data-class="{predicted}"]').click()
    score = root.query_selector("[data-part=score]").inner_text()
    assert f"= {logits[predicted]:.2f}".rstrip("0").rstrip(".") in score  # the linear layer's sum, as the explorer writes it
    root.screenshot(path=SCREENSHOTS / "explorer_network_drawing.png")


def test_a_clicked_unit_shows_cnnlibs_receptive_field_and_a_stamp_that_adds_up(explorer, reference):
    page, root = explorer
    fields = {f.name: f for f in receptive_fields(reference[0])}  # of the network the page holds
    shown_logits(page, root, 12)
    rows = root.query_selector_all(".cnnx-maps")
    checked = 0
    for block in rows:
        name = block.get_attribute("data-layer")  # the last layer of the row's block
        if name.startswith("flatten"):
            continue  # the averages: one number per map, no square to show
        assert name in fields, f"a row of maps with no receptive field: {name}"
        block.query_selector('canvas[data-channel="1"]').click()
        for row, col in ((0, 0), (-1, 2), (1, -1)):
            canvas = root.query_selector("[data-part=unit] [data-part=map]")  # the map clicked, enlarged
            box, side = canvas.bounding_box(), int(canvas.get_attribute("height"))
            row, col = row % side, col % side
            canvas.click(position={"x": (col + 0.5) * box["width"] / side, "y": (row + 0.5) * box["height"] / side})
            square = root.query_selector("[data-part=square]")
            shown = [int(square.get_attribute(f"data-{k}")) for k in ("top", "left", "size")]
            field = fields[name]
            assert shown == [field.square(row)[0], field.square(col)[0], field.size], (name, row, col)
            unit, stamp, outputs = page.evaluate("root => [root.cnnx.unit, root.cnnx.stamp, root.cnnx.outputs]", root)
            assert unit[1:4] == [1, row, col]
            title = root.query_selector("[data-part=unit] .cnnx-title").inner_text()
            assert title.startswith("unit of ") and f"{name}: map 1, row {row}, column {col}" in title
            first = title.removeprefix("unit of ").split(" → ")[0].split(":")[0]
            assert (stamp is not None) == first.startswith("conv2d")
            if stamp:  # the stamp's parts add up to the convolution's value
                conv = next(o for o in outputs if o["layer"]["name"] == first)
                value = conv["values"][(1 * side + row) * side + col]
                total = sum(c["sum"] for c in stamp["channels"]) + stamp["bias"]
                assert abs(total - value) < TOLERANCE * max(1, abs(value))
            checked += 1
    assert checked == 3 * (len(rows) - 1)
    root.screenshot(path=SCREENSHOTS / "explorer_network_unit.png")


def test_the_explorer_fits_a_phone_and_speaks_the_pages_language(browser, site):
    page, root, watch = open_explorer(browser, site, "ko/" + PAGES[1], width=390)
    root.query_selector('[data-part=probabilities] [data-class="3"]').click()
    root.query_selector('.cnnx-maps canvas[data-channel="2"]').click()
    root.query_selector("[data-part=unit] [data-part=map]").click()
    text = root.inner_text()
    assert "지우기" in text and "티셔츠/톱" in text
    words = set(re.findall(r"[A-Za-z]{2,}", re.sub(r"[a-z0-9]+_\d\d(?!\d)", "", text)))  # layer names stay as the code has them
    assert words <= {"ReLU", "max"}, f"English on the Korean page: {sorted(words)}"
    overflow = page.evaluate("root => root.getBoundingClientRect().right - document.documentElement.clientWidth", root)
    assert overflow <= 1, f"the explorer runs {overflow}px past a phone's screen"
    page.close()
    assert not watch.problems, "\n".join(watch.problems)
