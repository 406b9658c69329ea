// Explorer 1: one kernel stamped over one channel, with the reader's edits to input and kernel.
// Uses t() (words.js), pad and equation (formulas.js), and the grids, sliders and steppers of grids.js.

// --- 1. stamping one kernel over one channel, with edits ------------------------------------

function stampingExplorer(model, el) {
  const inputs = model.get("inputs");    // {name: [grid for size 1, size 2, ...]}
  const kernels = model.get("kernels");  // {name: (K, K)}
  let x = model.get("x"), w = model.get("w");  // (H, W) and (K, K): what is shown, edits included
  let edited = new Set();  // "input r,c" and "kernel r,c" of the numbers the reader changed
  let steps = null;
  const root = make("div", { class: "cnnx", "data-explorer": "stamping" });
  const error = errorBox();
  const figure = make("div", { class: "cnnx-figure" });
  const sumLine = make("div", { class: "cnnx-equation", "data-part": "equation" });
  let parts = null;

  const save = () => {
    model.set("x", x); model.set("w", w);
    model.set("stride", stride.input.valueAsNumber); model.set("padding", padding.input.valueAsNumber);
    model.save_changes();
  };
  const fromPresets = () => {
    x = inputs[inputSelect.select.value][size.input.valueAsNumber - 1].map((row) => [...row]);
    w = kernels[kernelSelect.select.value].map((row) => [...row]);
    edited = new Set();
    rebuild();
  };
  const inputSelect = choice("input", "input", Object.keys(inputs), model.get("input_name"), fromPresets);
  const size = slider("size", "input size I", 1, inputs[Object.keys(inputs)[0]].length, x.length, fromPresets);
  const kernelSelect = choice("kernel", "kernel", Object.keys(kernels), model.get("kernel_name"), fromPresets);
  const stride = slider("stride", "stride S", 1, model.get("max_stride"), model.get("stride"), () => rebuild());
  const padding = slider("padding", "padding P", 0, model.get("max_padding"), model.get("padding"), () => rebuild());
  const steppers = stepper((i) => show(i));

  // New settings start again from the first stamp; an edited number keeps the stamp shown.
  function rebuild(keepStep = false) {
    const at = steppers.value();
    note.textContent = "";  // a refused edit sets it again after this redraw
    save();
    const s = stride.input.valueAsNumber, p = padding.input.valueAsNumber;
    steps = stampsOrError([[x], [[w]], null, s, p], steppers, error, [figure, sumLine]);
    if (!steps) return;
    const h = x.length, wid = x[0].length, k = w.length;
    const [, outH, outW] = steps.shape;
    const xp = pad([x], p)[0];
    const cell = Math.max(24, cellSize(xp[0].length + 2 * k + outW, 60, 34));  // the panels wrap when needed
    figure.replaceChildren();
    parts = {
      input: grid("input", t("input {h}x{w}, padding {p}, stride {s}", { h, w: wid, p, s }), xp, cell,
                  paddedStates(h, wid, p)),
      kernel: grid("kernel", t("kernel {k}x{k}", { k }), w, cell),
      products: grid("products", t("input x kernel"), fill(k, k, NaN), cell),
      output: grid("output", t("output {h}x{w}", { h: outH, w: outW }), fill(outH, outW, NaN), cell),
    };
    for (const g of Object.values(parts)) figure.append(g.panel);
    makeEditable(parts.input, (r, c) => r >= p && c >= p && r < h + p && c < wid + p, (r, c, v, refused) => {
      if (v !== null) { x[r - p][c - p] = v; edited.add(`input ${r - p},${c - p}`); }
      rebuild(true);
      note.textContent = refused || "";
    });
    makeEditable(parts.kernel, () => true, (r, c, v, refused) => {
      if (v !== null) { w[r][c] = v; edited.add(`kernel ${r},${c}`); }
      rebuild(true);
      note.textContent = refused || "";
    });
    for (const key of edited) {  // the reader's numbers stand out
      const [name, rc] = key.split(" ");
      const [r, c] = rc.split(",").map(Number);
      const g = parts[name], shift = name === "input" ? p : 0;
      g.cells[(r + shift) * g.cols + c + shift].classList.add("cnnx-edited");
    }
    steppers.reset(steps.stamps.length);
    const step = keepStep ? Math.min(at, steps.stamps.length - 1) : 0;
    steppers.set(step);
    show(step);
  }

  function show(i) {
    if (!steps) return;
    const stamp = steps.stamps[i];
    const [, outH, outW] = steps.shape;
    const k = w.length;
    const output = fill(outH, outW, NaN), states = fill(outH, outW, PLAIN);
    steps.stamps.slice(0, i + 1).forEach((st) => { output[st.row][st.col] = st.total; states[st.row][st.col] = FILLED; });
    states[stamp.row][stamp.col] = CURRENT;
    parts.products.set(stamp.products[0], fill(k, k, WINDOW));
    parts.output.set(output, states);
    parts.output.outline(stamp.row, stamp.col, 1, 1);
    parts.input.outline(stamp.top, stamp.left, k, k);
    sumLine.textContent = t("output[{r}, {c}] = ", { r: stamp.row, c: stamp.col }) +
      equation(stamp.products[0].flat(), stamp.total);
  }

  const reset = make("button", { type: "button", "data-control": "reset", text: t("undo my edits") });
  reset.addEventListener("click", fromPresets);
  const hint = make("p", { class: "cnnx-hint", text: t("Click a number of the input or the kernel, type a new one " +
    "and press Enter. Stride and padding keep your numbers; another input, size or kernel starts afresh, " +
    "as does \u201cundo my edits\u201d.") });
  const note = make("p", { class: "cnnx-error", "data-part": "note" });
  root.append(
    make("div", { class: "cnnx-row" }, [inputSelect.node, size.node, kernelSelect.node]),
    make("div", { class: "cnnx-row" }, [stride.node, padding.node, reset]), noticeLine(root),
    steppers.node, hint, note, error, figure, sumLine);
  el.append(root);
  rebuild();
}
