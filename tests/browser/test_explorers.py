"""The explorers, driven in Chromium on the built book with no kernel, checked against cnnlib.

The explorers compute in the browser (cnnlib/explorers/). Here every number they show
is compared with what cnnlib computes for the same settings: the output size for every
I <= 12, K <= 5, S <= 3, P <= 2 (or cnnlib's error message, word for word), parameter
counts over a grid, the stamping output grids for many settings and after edits made by
clicking and typing, the 3-D convolution for every C_in, C_out, stride and padding.
"""

import itertools
from urllib.parse import urljoin

import pytest
import torch

from cnnlib import conv, shapes, widgets
from conftest import SCREENSHOTS
from test_pages import PageWatch

PAGE = "book/playground.html"  # the page that holds every explorer

# Set a control of an explorer as a reader would (a select's change, a slider's input event).
SET = """([root, name, value]) => {
  const control = root.querySelector(`[data-control="${name}"]`);
  control.value = String(value);
  control.dispatchEvent(new Event(control.tagName === "SELECT" ? "change" : "input", { bubbles: true }));
}"""

# Step to the last stamp and read every grid the explorer shows: {grid name: (rows, cols, values)}.
READ = """(root) => {
  const step = root.querySelector('[data-control="step"]');
  if (step) { step.value = step.max; step.dispatchEvent(new Event("input", { bubbles: true })); }
  const grids = {};
  for (const g of root.querySelectorAll("[data-grid]")) {
    const values = Array.from(g.querySelectorAll(".cnnx-cell")).map(c => c.dataset.value === "" ? null : Number(c.dataset.value));
    grids[g.dataset.grid] = [Number(g.dataset.rows), Number(g.dataset.cols), values];
  }
  const error = root.querySelector('[data-part="error"]');
  const equation = root.querySelector('[data-part="equation"]');
  return { grids, error: error.style.display === "none" ? "" : error.textContent,
           equation: equation ? equation.textContent : "" };
}"""


@pytest.fixture(scope="module")
def page(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = PageWatch(page, site)
    page.goto(urljoin(site, PAGE), wait_until="load")
    page.wait_for_selector("[data-explorer=parameters]", timeout=20000)
    yield page
    page.close()
    assert not watch.problems, "\n".join(watch.problems)


def label(value):
    """A number as the explorers write it: cnnlib.viz.label's rule with two decimals; tiny ones keep a sign."""
    value = float(value)
    if value.is_integer():
        return f"{int(value)}"
    if abs(value) < 0.005:
        return f"{value:.2g}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def signed(value):
    text = label(value)
    return f"({text})" if text.startswith("-") else text


def equation(terms, total):
    """'a + (-b) + ... = total', noting when the terms as shown do not add up to the total as shown."""
    rounded = abs(sum(float(label(t)) for t in terms) - float(label(total))) > 1e-9
    return " + ".join(signed(t) for t in terms) + f" = {label(total)}" + (" (terms rounded)" if rounded else "")


def explorer(page, kind):
    return page.locator(f"[data-explorer={kind}]").element_handle()


def set_controls(page, root, **settings):
    for name, value in settings.items():
        page.evaluate(SET, [root, name, value])


def grid_tensor(grid):
    rows, cols, values = grid
    return torch.tensor(values, dtype=torch.float64).reshape(rows, cols)


def test_output_size_explorer_matches_cnnlib_for_every_small_setting(page):
    root = explorer(page, "output-size")
    cases = list(itertools.product(range(1, 13), range(1, 6), range(1, 4), range(0, 3), range(1, 5)))
    shown = page.evaluate("""([root, cases, set]) => {
      const setter = eval(set);
      return cases.map(([i, k, s, p, d]) => {
        for (const [name, v] of [["i", i], ["k", k], ["s", s], ["p", p], ["d", d]]) setter([root, name, v]);
        const error = root.querySelector('[data-part="error"]');
        if (error.style.display !== "none") {
          const hidden = root.querySelector('[data-part="formula"]').style.display === "none";
          return { error: error.textContent, hidden };
        }
        return { o: Number(root.querySelector('[data-part="o"]').textContent),
                 bars: root.querySelectorAll("[data-stamp]").length,
                 taps: root.querySelectorAll(".cnnx-stamp").length,
                 code: root.querySelector('[data-part="formula"] code').textContent,
                 uncovered: root.querySelector('[data-part="uncovered"]').textContent };
      });
    }""", [root, cases, SET])
    errors = 0
    for (i, k, s, p, d), got in zip(cases, shown):
        try:
            o = shapes.conv_output_size(i, k, s, p, d)
        except ValueError as err:
            errors += 1
            assert got == {"error": str(err), "hidden": True}, (i, k, s, p, d)
            continue
        assert got["o"] == o and got["bars"] == o, (i, k, s, p, d, got)
        assert got["taps"] == (o if d == 1 else o * k), (i, k, s, p, d, got)  # one bar per stamp, or per tap
        assert got["code"].endswith(f"padding={p})" if d == 1 else f"padding={p}, dilation={d})")
        missed = shapes.uncovered(i, k, s, p, d)
        assert (str(missed) in got["uncovered"]) if missed else ("Every input row" in got["uncovered"]), (i, k, s, p, d)
    assert len(cases) == 2160 and errors > 100  # the bad combinations were among them, dilated ones too


def test_parameter_counter_matches_conv_params_on_a_grid(page):
    root = explorer(page, "parameters")
    for c_out, c_in, k in itertools.product((1, 2, 7, 32, 64, 512), (1, 3, 32, 512), (1, 2, 3, 5, 7, 11)):
        set_controls(page, root, c_out=c_out, c_in=c_in, k=k)
        count = shapes.conv_params(c_out, c_in, k)
        shown = {part: root.query_selector(f'[data-part="{part}"]').inner_text() for part in ("weights", "biases", "total")}
        assert shown == {"weights": f"{count.weights:,}", "biases": f"{count.biases:,}",
                         "total": f"{count.total:,}"}, (c_out, c_in, k)


def expected_stamping(kind, size, kernel, stride, padding):
    x, w = widgets.example_input(kind, size), widgets.example_kernel(kernel)
    return x, w, conv.conv2d(x, w, stride=stride, padding=padding)


def check_stamping(page, root, x, w, stride, padding, output="output"):
    """The output grid at the last step equals cnnlib.conv.conv2d, and so does the last stamp's equation."""
    shown = page.evaluate(READ, root)
    assert shown["error"] == "", shown["error"]
    out = conv.conv2d(x, w, stride=stride, padding=padding)
    assert torch.allclose(grid_tensor(shown["grids"]["output"]), out[0].double(), atol=1e-4)
    assert torch.equal(grid_tensor(shown["grids"]["kernel"]).float(), w[0, 0])
    last = list(conv.stamps(x, w, stride=stride, padding=padding))[-1]
    terms = last.products[0].flatten().tolist()
    assert shown["equation"] == f"{output}[{last.row}, {last.col}] = {equation(terms, float(last.total))}"


STAMPING_SETTINGS = [  # (input, size, kernel, stride, padding): 24 settings
    (kind, size, kernel, stride, padding)
    for kind, size, kernel in [("random integers", 7, "vertical edge"), ("a vertical edge", 7, "vertical edge"),
                               ("random integers", 5, "sharpen"), ("a vertical edge", 8, "horizontal edge"),
                               ("random integers", 9, "blur"), ("random integers", 4, "random integers")]
    for stride, padding in [(1, 0), (2, 0), (1, 1), (3, 2)]
]


def test_stamping_explorer_matches_conv2d_for_many_settings(page):
    root = explorer(page, "stamping")
    for kind, size, kernel, stride, padding in STAMPING_SETTINGS:
        set_controls(page, root, input=kind, size=size, kernel=kernel, stride=stride, padding=padding)
        x, w = widgets.example_input(kind, size), widgets.example_kernel(kernel)
        check_stamping(page, root, x, w, stride, padding)
    assert len(STAMPING_SETTINGS) >= 20


def edit(page, grid, row, col, text):
    """Click a number of a grid of the stamping explorer, type `text` and press Enter."""
    page.locator(f'[data-explorer=stamping] [data-grid={grid}] .cnnx-cell[data-row="{row}"][data-col="{col}"]').click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def test_stamping_explorer_follows_edits_made_by_clicking(page):
    root = explorer(page, "stamping")
    set_controls(page, root, input="random integers", size=6, kernel="sharpen", stride=1, padding=1)
    x, w = widgets.example_input("random integers", 6), widgets.example_kernel("sharpen")
    set_controls(page, root, step=5)
    edit(page, "input", 1 + 1, 3 + 1, "-4")  # padded coordinates: input row 1, column 3
    x[0, 1, 3] = -4
    assert root.query_selector("[data-control=step]").input_value() == "5"  # an edit keeps the stamp shown
    assert root.query_selector('[data-grid=input] [data-row="2"][data-col="4"]').get_attribute("class").endswith(
        "cnnx-edited")
    check_stamping(page, root, x, w, 1, 1)
    edit(page, "kernel", 0, 2, "2.5")
    w[0, 0, 0, 2] = 2.5
    check_stamping(page, root, x, w, 1, 1)
    set_controls(page, root, stride=2, padding=0)  # edits stay through new stride and padding
    edit(page, "input", 5, 0, "7")
    x[0, 5, 0] = 7
    check_stamping(page, root, x, w, 2, 0)
    edit(page, "input", 0, 0, "not a number")  # refused, with a message: nothing changes
    check_stamping(page, root, x, w, 2, 0)
    assert "is not a number" in root.query_selector("[data-part=note]").inner_text()
    edit(page, "kernel", 1, 1, "5000")
    check_stamping(page, root, x, w, 2, 0)
    assert "too large" in root.query_selector("[data-part=note]").inner_text()
    edit(page, "kernel", 1, 1, "1e3")  # a number with an exponent is a number
    w[0, 0, 1, 1] = 1000
    check_stamping(page, root, x, w, 2, 0)
    edit(page, "kernel", 1, 1, "-0.04")  # a small negative number keeps its sign on screen
    w[0, 0, 1, 1] = -0.04
    check_stamping(page, root, x, w, 2, 0)
    assert root.query_selector('[data-grid=kernel] [data-row="1"][data-col="1"]').inner_text() == "-0.04"
    assert root.query_selector("[data-part=note]").inner_text() == ""
    page.locator("[data-explorer=stamping] [data-control=reset]").click()
    check_stamping(page, root, widgets.example_input("random integers", 6), widgets.example_kernel("sharpen"), 2, 0)
    root.screenshot(path=SCREENSHOTS / "explorer_stamping.png")


def test_stamping_explorer_shows_cnnlibs_message_for_a_kernel_larger_than_the_input(page):
    root = explorer(page, "stamping")
    set_controls(page, root, input="random integers", size=1, kernel="blur", stride=1, padding=0)
    x, w = widgets.example_input("random integers", 1), widgets.example_kernel("blur")
    with pytest.raises(ValueError) as err:
        conv.conv2d(x, w)
    shown = page.evaluate(READ, root)
    assert shown["error"] == str(err.value)
    assert root.query_selector(".cnnx-figure").is_hidden()  # no stale picture
    set_controls(page, root, padding=1)  # padded to 3x3: the kernel fits again
    check_stamping(page, root, x, w, 1, 1)


def test_multichannel_explorer_matches_conv2d_for_every_setting(page):
    root = explorer(page, "multichannel")
    x, w, b = widgets.example_multichannel(kernels=3)
    for c_in, c_out, stride, padding in itertools.product((1, 2, 3), (1, 2, 3), (1, 2), (0, 1)):
        set_controls(page, root, c_in=c_in, c_out=c_out, stride=stride, padding=padding)
        shown = page.evaluate(READ, root)
        out = conv.conv2d(x[:c_in], w[:c_out, :c_in], b[:c_out], stride, padding)
        outputs = [name for name in shown["grids"] if name.startswith("output-")]
        assert len(outputs) == c_out and len([n for n in shown["grids"] if n.startswith("input-")]) == c_in
        for k in range(c_out):
            assert torch.allclose(grid_tensor(shown["grids"][f"output-{k}"]), out[k].double()), (c_in, c_out, k)
        last = list(conv.stamps(x[:c_in], w[:c_out, :c_in], b[:c_out], stride, padding))[-1]
        sums = " + ".join(signed(float(v)) for v in last.channel_sums)
        rounded = equation([*map(float, last.channel_sums), float(last.bias)], float(last.total)).endswith("rounded)")
        assert shown["equation"] == (f"kernel {last.kernel}, output[{last.row}, {last.col}] = channel sums {sums}"
                                     f" + bias {signed(last.bias)} = {label(last.total)}"
                                     + (" (terms rounded)" if rounded else ""))
    root.screenshot(path=SCREENSHOTS / "explorer_multichannel.png")


def test_play_steps_through_the_stamps(page):
    root = explorer(page, "stamping")
    set_controls(page, root, input="random integers", size=7, kernel="vertical edge", stride=1, padding=0)
    page.locator("[data-explorer=stamping] [data-control=play]").click()
    page.wait_for_function("root => root.querySelector('[data-control=step]').value >= 2", arg=root, timeout=3000)
    page.locator("[data-explorer=stamping] [data-control=play]").click()  # pause
    step = int(root.query_selector("[data-control=step]").input_value())
    filled = page.evaluate("root => Array.from(root.querySelectorAll('[data-grid=output] .cnnx-cell'))"
                           ".filter(c => c.dataset.value !== '').length", root)
    assert filled == step + 1  # one output cell per stamp so far


def test_receptive_field_explorer_outlines_cnnlibs_square_for_the_unit_clicked(browser, site):
    from cnnlib.models import ConvolutionalNeuralNetworkClass
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = PageWatch(page, site)
    page.goto(urljoin(site, "book/how-a-kernel-learns.html"), wait_until="load")
    root = page.wait_for_selector("[data-explorer=receptive-field]", timeout=20000)
    fields = {f.name: f for f in shapes.receptive_fields(ConvolutionalNeuralNetworkClass())}
    layers = [o.get_attribute("value") for o in root.query_selector_all("[data-control=layer] option")]
    assert layers and all(name in fields for name in layers)
    for name in layers:
        set_controls(page, root, layer=name)
        side = int(root.query_selector("[data-grid=map]").get_attribute("data-rows"))
        for row, col in {(0, 0), (side - 1, side - 1), (0, side - 1), (side // 2, 1)}:
            root.query_selector(f'[data-grid=map] .cnnx-cell[data-row="{row}"][data-col="{col}"]').click()
            square = root.query_selector("[data-part=square]")
            shown = [int(square.get_attribute(f"data-{k}")) for k in ("top", "left", "size")]
            field = fields[name]
            assert shown == [field.square(row)[0], field.square(col)[0], field.size], (name, row, col)
            assert f"Unit ({row}, {col}) of {name}" in root.query_selector("[data-part=sees]").inner_text()
    root.screenshot(path=SCREENSHOTS / "explorer_receptive_field.png")
    page.close()
    assert not watch.problems, "\n".join(watch.problems)


def test_a_rounded_stamp_says_so_and_a_clamped_setting_says_why(page):
    root = explorer(page, "stamping")
    set_controls(page, root, input="random integers", size=7, kernel="blur", stride=1, padding=0)
    x, w = widgets.example_input("random integers", 7), widgets.example_kernel("blur")
    texts = page.evaluate("""(root) => {
      const step = root.querySelector('[data-control="step"]'), out = [];
      for (let i = 0; i <= Number(step.max); i++) {
        step.value = i; step.dispatchEvent(new Event("input", { bubbles: true }));
        out.push(root.querySelector('[data-part="equation"]').textContent);
      }
      return out;
    }""", root)
    stamps = list(conv.stamps(x, w))
    assert texts == [f"output[{s.row}, {s.col}] = {equation(s.products[0].flatten().tolist(), float(s.total))}"
                     for s in stamps]
    assert any(t.endswith("(terms rounded)") for t in texts)
    sizes = explorer(page, "output-size")
    page.evaluate("""(root) => { const box = root.querySelector('[data-control="i-box"]');
                     box.value = "999"; box.dispatchEvent(new Event("change", { bubbles: true })); }""", sizes)
    assert sizes.query_selector('[data-control="i"]').input_value() == "64"
    assert sizes.query_selector("[data-part=notice]").inner_text() == "I (input) goes from 1 to 64: set to 64."


def test_the_explorers_speak_korean_in_the_korean_edition(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = PageWatch(page, site)
    page.goto(urljoin(site, "ko/" + PAGE), wait_until="load")
    page.wait_for_selector("[data-explorer=parameters]", timeout=20000)
    root = explorer(page, "stamping")
    set_controls(page, root, input="random integers", size=7, kernel="vertical edge", stride=1, padding=0)
    text = root.inner_text()
    assert "입력 크기 I" in text and "스트라이드 S" in text and "input size" not in text
    x, w = widgets.example_input("random integers", 7), widgets.example_kernel("vertical edge")
    check_stamping(page, root, x, w, 1, 0, output="출력")  # the same numbers as in English
    root.screenshot(path=SCREENSHOTS / "explorer_ko_stamping.png")
    set_controls(page, root, size=1, kernel="blur")
    error = page.evaluate(READ, root)["error"]
    assert error == "커널 크기 (3, 3) > 패딩한 입력 (1, 1): 커널의 각 변은 1부터 패딩한 입력의 변까지여야 한다", error
    english = {"multichannel": ("channels C_in", "stride S", "products", "sum "),
               "output-size": ("I (input)", "per kernel", "Every input row", "one side of the input"),
               "parameters": ("C_out (kernels)", "formula", "weights", "biases")}
    for kind, words in english.items():
        part = explorer(page, kind)
        assert not [word for word in words if word in part.inner_text()], kind
        part.screenshot(path=SCREENSHOTS / f"explorer_ko_{kind}.png")
    page.close()
    assert not watch.problems, "\n".join(watch.problems)
