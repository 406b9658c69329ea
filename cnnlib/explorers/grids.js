// Small DOM helpers shared by the explorers: sliders, choices, error lines, grids of numbers,
// steppers, editable cells, and fieldMargin and paintGrey (receptive-field and network explorers).
// Uses t() from words.js, and stamps, label from formulas.js.

// --- small DOM helpers ------------------------------------------------------------------------

function make(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else if (key === "style") Object.assign(node.style, value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

// A slider and a number box beside it: drag for a feel, type for an exact value.
function slider(name, labelText, low, high, value, onChange) {
  labelText = t(labelText);
  const input = make("input", { type: "range", min: low, max: high, step: 1, "data-control": name,
                                "aria-label": labelText });
  input.value = value;
  const box = make("input", { type: "number", min: low, max: high, step: 1, class: "cnnx-number",
                              "data-control": `${name}-box`, "aria-label": labelText });
  box.value = value;
  input.addEventListener("input", () => {
    box.value = input.value;
    onChange(Number(input.value));
  });
  const applyTyped = () => {  // a typed value, kept within the slider's range
    const typed = Number(box.value);
    const v = Math.min(Number(input.max), Math.max(Number(input.min), Math.round(typed)));
    if (!Number.isFinite(v)) { box.value = input.value; return; }
    input.value = v;
    box.value = v;
    onChange(v);
    if (v !== typed) {  // the explorer shows this under its controls (see notices)
      box.dispatchEvent(new CustomEvent("cnnx-notice", { bubbles: true,
        detail: t("{label} goes from {min} to {max}: set to {v}.", { label: labelText, min: input.min, max: input.max, v }) }));
    }
  };
  box.addEventListener("change", applyTyped);
  box.addEventListener("keydown", (event) => {  // JupyterLab's key handling keeps Enter from committing a number
    if (event.key === "Enter") applyTyped();
  });
  const set = (v) => { input.value = v; box.value = v; };
  return { node: make("label", { class: "cnnx-control" }, [make("span", { text: labelText }), input, box]),
           input, set };
}

function choice(name, labelText, options, value, onChange) {
  const select = make("select", { "data-control": name });
  for (const option of options) select.append(make("option", { value: option, text: t(option) }));
  select.value = value;
  select.addEventListener("change", () => onChange(select.value));
  return { node: make("label", { class: "cnnx-control" }, [make("span", { text: t(labelText) }), select]), select };
}

// A line under an explorer's controls for what a control did on its own (a typed value set
// back into range); the next move of any control clears it.
function noticeLine(root) {
  const line = make("p", { class: "cnnx-hint", "data-part": "notice" });
  root.addEventListener("cnnx-notice", (event) => { line.textContent = event.detail; });
  root.addEventListener("input", () => { line.textContent = ""; });
  return line;
}

function errorBox() {
  return make("p", { class: "cnnx-error", "data-part": "error", role: "alert" });
}

function showError(box, figure, err) {
  box.textContent = err ? err.message : "";
  box.style.display = err ? "" : "none";
  for (const part of figure) part.style.display = err ? "none" : "";
}

// A grid of numbers: cells coloured by state, as the book's pictures draw them.
const STATES = ["plain", "padding", "window", "filled", "current"];
const [PLAIN, PADDING, WINDOW, FILLED, CURRENT] = STATES;

function grid(name, title, values, cell, states = null) {
  const rows = values.length, cols = values[0].length;
  const body = make("div", { class: "cnnx-grid", "data-grid": name, "data-rows": rows, "data-cols": cols,
                             style: { gridTemplateColumns: `repeat(${cols}, ${cell}px)`,
                                      gridAutoRows: `${cell}px`, fontSize: `${Math.max(8, Math.min(14, cell * 0.42))}px` } });
  const cells = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const node = make("div", { class: "cnnx-cell", "data-row": r, "data-col": c });
      body.append(node);
      cells.push(node);
    }
  }
  const frame = make("div", { class: "cnnx-frame" });
  body.append(frame);
  const titleNode = make("div", { class: "cnnx-title", text: title });
  const panel = make("div", { class: "cnnx-panel" }, [titleNode, body]);
  const g = {
    panel, body, cells, rows, cols, cell, titleNode,
    set(newValues, newStates) {
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const node = cells[r * cols + c];
          const v = newValues[r][c];
          const text = label(v);
          node.textContent = text;
          // long labels (-617.25) get a smaller font, so they stay inside their cell
          node.style.fontSize = text.length > 4 ? `${Math.max(7, Math.floor((cell - 4) / (0.58 * text.length)))}px` : "";
          node.dataset.value = v === null || Number.isNaN(v) ? "" : `${v}`;
          node.className = `cnnx-cell cnnx-${newStates ? newStates[r][c] : PLAIN}`;
        }
      }
    },
    outline(top, left, h, w) {  // the orange frame: the kernel's window, or the cell being filled
      if (top === null) { frame.style.display = "none"; return; }
      Object.assign(frame.style, { display: "", top: `${top * cell - 1}px`, left: `${left * cell - 1}px`,
                                   width: `${w * cell + 2}px`, height: `${h * cell + 2}px` });  // on the grid lines
    },
  };
  g.set(values, states);
  g.outline(null);
  return g;
}

// Cells that take focus (Tab) answer Enter and Space as a click, for readers without a mouse.
function clickOnEnter(g) {
  g.body.addEventListener("keydown", (event) => {
    const node = event.target;
    if (node.classList.contains("cnnx-cell") && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      node.click();
    }
  });
}

function fill(h, w, value) {
  return Array.from({ length: h }, () => new Array(w).fill(value));
}

function paddedStates(h, w, p) {
  return Array.from({ length: h + 2 * p }, (_, r) => Array.from({ length: w + 2 * p }, (_, c) =>
    (r < p || c < p || r >= h + p || c >= w + p) ? PADDING : PLAIN));
}

const PAGE = 684;  // pixels: the width of the book's text column

function cellSize(count, margin, largest) {  // as cnnlib.viz.fit_cells, in pixels
  return Math.floor(Math.min(largest, (PAGE - margin) / count));
}

// The stamps for these settings, with the error box cleared; or null, with the error shown
// in place of the figure parts and the stepper emptied, when the kernel does not fit.
function stampsOrError(args, steppers, error, parts) {
  try {
    const result = stamps(...args);
    showError(error, parts, null);
    return result;
  } catch (err) {
    steppers.reset(0);
    showError(error, parts, err);
    return null;
  }
}

// Play and a step slider: shared by the two stamping explorers.
function stepper(onStep) {
  let timer = null, max = 0;
  const count_ = make("span", { class: "cnnx-value", "data-part": "stamp" });
  const step = slider("step", "step", 0, 0, 0, (v) => { count_.textContent = t("stamp {k} of {n}", { k: v + 1, n: max + 1 }); onStep(v); });
  step.node.querySelector(".cnnx-number").remove();  // the stamp count beside it says where we are
  step.node.append(count_);
  const setStep = step.set;
  step.set = (v) => { setStep(v); count_.textContent = t("stamp {k} of {n}", { k: v + 1, n: max + 1 }); };
  const play = make("button", { type: "button", class: "cnnx-play", "data-control": "play", text: t("▶ Play") });
  const stop = () => { clearInterval(timer); timer = null; play.textContent = t("▶ Play"); };
  play.addEventListener("click", () => {
    if (timer) { stop(); return; }
    if (Number(step.input.value) >= max) step.set(0);
    play.textContent = t("❚❚ Pause");
    timer = setInterval(() => {
      const next = Number(step.input.value) + 1;
      if (next > max) { stop(); return; }
      step.set(next);
      onStep(next);
    }, 700);
  });
  return {
    node: make("div", { class: "cnnx-row" }, [play, step.node]),
    reset(count) {
      stop();
      max = Math.max(0, count - 1);
      step.input.max = max;
      step.set(0);
      if (count === 0) count_.textContent = t("no stamps");
      play.disabled = step.input.disabled = count === 0;
    },
    stop,
    set: (v) => step.set(v),
    value: () => Number(step.input.value),
  };
}

const LARGEST_EDIT = 1000;  // larger numbers would lose digits in float32 sums

// Click a number of the input or kernel to change it; Enter or leaving the box keeps it.
// onEdit(r, c, value) gets null when nothing changes, and a message for a value refused.
function makeEditable(g, isEditable, onEdit) {
  g.cells.forEach((node) => {
    if (isEditable(Number(node.dataset.row), Number(node.dataset.col))) node.tabIndex = 0;
  });
  clickOnEnter(g);
  g.body.addEventListener("click", (event) => {
    const node = event.target.closest(".cnnx-cell");
    if (!node || node.querySelector("input")) return;
    const r = Number(node.dataset.row), c = Number(node.dataset.col);
    if (!isEditable(r, c)) return;
    const box = make("input", { type: "text", inputmode: "decimal", class: "cnnx-edit", value: node.textContent });
    node.dataset.shown = node.textContent;
    node.textContent = "";
    node.append(box);
    box.focus();
    box.select();
    let done = false;
    const finish = (keep) => {
      if (done) return;
      done = true;
      const text = box.value.trim();
      const value = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text) ? Number(text) : NaN;
      if (!keep || text === "" || text === node.dataset.shown) onEdit(r, c, null);  // redraw unchanged
      else if (!Number.isFinite(value)) onEdit(r, c, null, t("\"{text}\" is not a number: type one such as 3, -1 or 0.25", { text }));
      else if (Math.abs(value) > LARGEST_EDIT) onEdit(r, c, null, t("{text} is too large: type a number from -{max} to {max}", { text, max: LARGEST_EDIT }));
      else onEdit(r, c, value);
    };
    box.addEventListener("keydown", (e) => {
      if (e.key === "Enter") finish(true);
      if (e.key === "Escape") finish(false);
    });
    box.addEventListener("blur", () => finish(true));
  });
}

// How far the squares of these layers ({start, jump, size, out}) reach past an input of side h:
// the margin a picture needs around the image to show them whole.
function fieldMargin(layers, h) {
  return Math.max(0, ...layers.map((l) => Math.max(-l.start, l.start + (l.out - 1) * l.jump + l.size - h)));
}

// Grey values (h, w) from values[offset], on a canvas of that many pixels: `top` is white, 0 and below black.
function paintGrey(canvas, values, offset, h, w, top) {
  const g = canvas.getContext("2d"), image = g.createImageData(w, h);
  for (let i = 0; i < h * w; i++) {
    const v = Math.round(255 * Math.min(1, Math.max(0, values[offset + i] / top)));
    image.data.set([v, v, v, 255], 4 * i);
  }
  g.putImageData(image, 0, 0);
}
