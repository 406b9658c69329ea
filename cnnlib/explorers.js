// The book's explorers, drawn and computed in the browser: they work in the HTML book
// with no kernel and in Jupyter alike (an anywidget module, see cnnlib/widgets.py).
//
// Every number shown is computed here by the same formulas as cnnlib:
//   convOutputSize  = cnnlib.shapes.conv_output_size   (same ValueError text)
//   uncovered       = cnnlib.shapes.uncovered
//   convParams      = cnnlib.shapes.conv_params
//   stamps          = cnnlib.conv.stamps (same order: kernel by kernel, row by row)
//   checkConvArgs   = cnnlib.conv.check_conv_args      (same ValueError text)
//   receptive field squares: cnnlib.shapes.ReceptiveField.square
// and tests/browser/test_explorers.py checks them against cnnlib in Chromium.

// --- formulas --------------------------------------------------------------------------------

export function convOutputSize(i, k, s, p, d = 1) {
  const span = d * (k - 1) + 1;  // a dilated kernel's K taps sit D cells apart
  if (span > i + 2 * p && d === 1) {
    throw new Error(t("K (kernel size) = {k} is larger than the padded input I + 2P = {n}; K must be between 1 and {n}",
                      { k, n: i + 2 * p }));
  }
  if (span > i + 2 * p) {
    throw new Error(t("K (kernel size) = {k} with dilation D = {d} spans D(K - 1) + 1 = {span} cells, more than the " +
                      "padded input I + 2P = {n}: lower D or K, or raise P", { k, d, span, n: i + 2 * p }));
  }
  return Math.floor((i + 2 * p - span) / s) + 1;
}

export function uncovered(i, k, s, p, d = 1) {
  const o = convOutputSize(i, k, s, p, d);
  const covered = new Set();
  for (let t = 0; t < o; t++) for (let tap = 0; tap < k; tap++) covered.add(t * s + tap * d);
  const missed = [];
  for (let j = 0; j < i; j++) if (!covered.has(j + p)) missed.push(j);
  return missed;
}

export function convParams(cOut, cIn, k) {
  const weights = cOut * cIn * k * k;
  return { weights, biases: cOut, total: weights + cOut };
}

function shape3(x) {  // (C, H, W) of nested arrays
  return [x.length, x[0].length, x[0][0].length];
}

function tuple(values) {  // Python's way of writing a tuple of integers
  return `(${values.join(", ")})`;
}

export function checkConvArgs(x, w, stride, padding) {
  const [, h, wid] = shape3(x);
  const padded = [h + 2 * padding, wid + 2 * padding];
  const k = [w[0][0].length, w[0][0][0].length];
  if (k[0] > padded[0] || k[1] > padded[1]) {
    throw new Error(t("kernel size {k} is larger than the padded input {padded}; each kernel side must be between 1 " +
                      "and the padded input's side", { k: tuple(k), padded: tuple(padded) }));
  }
}

export function pad(x, p) {  // (C, H, W) -> (C, H+2P, W+2P), zeros around
  return x.map((channel) => {
    const width = channel[0].length + 2 * p;
    const zeros = () => new Array(width).fill(0);
    const rows = channel.map((row) => [...new Array(p).fill(0), ...row, ...new Array(p).fill(0)]);
    return [...Array.from({ length: p }, zeros), ...rows, ...Array.from({ length: p }, zeros)];
  });
}

// Numbers are float32, as in cnnlib and PyTorch: 9 x 0.111... is then 1, not 1.0000000075.
const f32 = Math.fround;

// Every stamp of kernels w (C_out, C_in, K, K) over x (C, H, W): kernel by kernel, row by row.
export function stamps(x, w, b, stride, padding) {
  checkConvArgs(x, w, stride, padding);
  const xp = pad(x, padding);
  const [c, h, wid] = shape3(x);
  const k = w[0][0].length;
  const outH = convOutputSize(h, k, stride, padding);
  const outW = convOutputSize(wid, k, stride, padding);
  const all = [];
  for (let kernel = 0; kernel < w.length; kernel++) {
    for (let row = 0; row < outH; row++) {
      for (let col = 0; col < outW; col++) {
        const top = row * stride, left = col * stride;
        const products = [], channelSums = [];
        for (let ch = 0; ch < c; ch++) {
          const grid = [];
          let sum = 0;
          for (let r = 0; r < k; r++) {
            const line = [];
            for (let q = 0; q < k; q++) {
              const product = f32(xp[ch][top + r][left + q] * w[kernel][ch][r][q]);
              line.push(product);
              sum = f32(sum + product);
            }
            grid.push(line);
          }
          products.push(grid);
          channelSums.push(sum);
        }
        const bias = b ? b[kernel] : 0;
        const total = f32(channelSums.reduce((a, v) => f32(a + v), 0) + bias);
        all.push({ kernel, row, col, top, left, products, channelSums, bias, total });
      }
    }
  }
  return { stamps: all, shape: [w.length, outH, outW] };
}

// --- how numbers are written ------------------------------------------------------------------
// As cnnlib.viz.label, with two decimals instead of one: the reader's own edits (0.04) and the
// blur kernel's 1/9 (0.11) stay readable, and a stamp can be checked by hand.

export function label(value) {
  if (value === null || Number.isNaN(value)) return "";
  if (Number.isInteger(value)) return `${value}`;
  if (Math.abs(value) < 0.005) return `${Number(value.toPrecision(2))}`;  // small, not zero: keep its sign
  return value.toFixed(2).replace(/\.?0+$/, "");  // 3.9999998 is "4", as 0.50 is "0.5"
}

// " (terms rounded)" when the terms as shown do not add up to the total as shown.
function roundingNote(terms, total) {
  const shown = terms.reduce((a, v) => a + Number(label(v)), 0);
  return Math.abs(shown - Number(label(total))) > 1e-9 ? " (terms rounded)" : "";
}

function equation(terms, total) {  // "a + (-b) + ... = total"
  return `${terms.map(signed).join(" + ")} = ${label(total)}${t(roundingNote(terms, total))}`;
}

function signed(value) {
  const text = label(value);
  return text.startsWith("-") ? `(${text})` : text;
}

function thousands(n) {
  return n.toLocaleString("en-US");
}

function percent(share) {  // never "100.0%" beside "<0.1%"
  if (share > 0 && share < 0.001) return "<0.1";
  if (share < 1 && share > 0.999) return ">99.9";
  return (share * 100).toFixed(1);
}

function article(n) {  // "an 8x8 square", "a 10x10 square"
  return /^(8|11|18)/.test(`${n}`) ? "an" : "a";
}

// --- words in the page's language ----------------------------------------------------------
// The English book and JupyterLab show the English text below; a page whose <html lang> is
// Korean (the Korean edition) shows these translations. {name} stands for a number.
const KOREAN = {
  "input": "입력", "kernel": "커널", "input size I": "입력 크기 I", "stride S": "스트라이드 S",
  "padding P": "패딩 P", "undo my edits": "고친 값 되돌리기", "▶ Play": "▶ 재생", "❚❚ Pause": "❚❚ 멈춤",
  "step": "스텝", "stamp {k} of {n}": "도장 {k} / {n}", "no stamps": "도장 없음",
  "random integers": "무작위 정수", "a vertical edge": "세로 경계", "vertical edge": "세로 경계",
  "horizontal edge": "가로 경계", "sharpen": "선명화", "blur": "흐림",
  ["Click a number of the input or the kernel, type a new one and press Enter. Stride and padding keep your " +
   "numbers; another input, size or kernel starts afresh, as does \u201cundo my edits\u201d."]:
    "입력이나 커널의 숫자를 누르고 새 숫자를 입력한 뒤 Enter 키를 누른다. 스트라이드와 패딩을 바꿔도 고친 숫자는 " +
    "남고, 다른 입력·크기·커널을 고르거나 \u201c고친 값 되돌리기\u201d를 누르면 처음 값으로 돌아간다.",
  "\"{text}\" is not a number: type one such as 3, -1 or 0.25":
    "\"{text}\"은/는 숫자가 아니다: 3, -1, 0.25 같은 숫자를 입력한다",
  "{text} is too large: type a number from -{max} to {max}": "{text}은/는 너무 크다: -{max}부터 {max}까지의 숫자를 입력한다",
  "input {h}x{w}, padding {p}, stride {s}": "입력 {h}x{w}, 패딩 {p}, 스트라이드 {s}",
  "kernel {k}x{k}": "커널 {k}x{k}", "input x kernel": "입력 × 커널", "output {h}x{w}": "출력 {h}x{w}",
  "channels C_in": "채널 C_in", "kernels C_out": "커널 C_out", "red": "빨강", "green": "초록", "blue": "파랑",
  "channel {c}": "채널 {c}", "input: {name}": "입력: {name}", "kernel {k}, {name}": "커널 {k}, {name}",
  "products": "곱", "sum {x}": "합 {x}", "output {k} (kernel {k}, bias {b})": "출력 {k} (커널 {k}, 편향 {b})",
  "output[{r}, {c}] = ": "출력[{r}, {c}] = ",
  "kernel {k}, output[{r}, {c}] = channel sums {sums} + bias {b} = {total}":
    "커널 {k}, 출력[{r}, {c}] = 채널 합 {sums} + 편향 {b} = {total}",
  " (terms rounded)": " (항은 반올림한 값)",
  "I (input)": "I (입력)", "K (kernel)": "K (커널)", "S (stride)": "S (스트라이드)", "P (padding)": "P (패딩)",
  "D (dilation)": "D (팽창)",
  "(I + 2P − D(K − 1) − 1) / S = {a}/{s} = {q} is rounded down to {f}: a last stamp would run past the edge.":
    "(I + 2P − D(K − 1) − 1) / S = {a}/{s} = {q}, 내림하면 {f}: 마지막 도장은 가장자리를 넘어가기 때문이다.",
  ["With dilation D = {d} the kernel's {k} taps (the cells its weights sit on) are {d} cells apart: each stamp spans " +
   "D(K − 1) + 1 = {span} cells."]:
    "팽창 D = {d}: 커널의 탭(가중치가 놓이는 칸) {k}개가 {d}칸씩 떨어져 있고, 도장 하나가 D(K − 1) + 1 = {span}칸에 걸친다.",
  "No tap of any stamp lands on input rows and columns [{rows}]: they never reach the output.":
    "입력의 행과 열 [{rows}]에는 어느 도장의 탭도 닿지 않는다: 이 값들은 출력에 전혀 반영되지 않는다.",
  ["Top: input positions 0 to I − 1 (numbered when they fit), grey: padding, red: no tap lands there. Each row is " +
   "one stamp, numbered by the output cell it fills: a dashed line over the cells it spans, a short bar on each of " +
   "its K taps."]:
    "위: 입력 위치 0부터 I − 1(자리가 있으면 번호를 적는다), 회색: 패딩, 빨강: 탭이 한 번도 닿지 않는 칸. 한 줄이 " +
    "도장 하나이고, 번호는 그 도장이 채우는 출력 칸이다: 점선은 도장이 걸치는 칸, 짧은 막대는 탭 K개의 자리다.",
  ["K (kernel size) = {k} with dilation D = {d} spans D(K - 1) + 1 = {span} cells, more than the padded input " +
   "I + 2P = {n}: lower D or K, or raise P"]: "K (커널 크기) = {k}, 팽창 D = {d}: 커널이 D(K - 1) + 1 = {span}칸에 걸쳐 패딩한 입력 I + 2P = {n}칸보다 길다. " +
    "D나 K를 줄이거나 P를 늘린다",
  "{label} goes from {min} to {max}: set to {v}.": "{label}은/는 {min}부터 {max}까지다: {v}으로/로 맞췄다.",
  "(I − K + 2P) / S = {a}/{s} = {q} is rounded down to {f}: a last stamp would run past the edge.":
    "(I − K + 2P) / S = {a}/{s} = {q}을/를 내림해 {f}이/가 된다: 마지막 도장은 가장자리를 넘어가기 때문이다.",
  "Output: {o}×{o} per kernel.": "출력: 커널마다 {o}×{o}.",
  "No stamp covers input rows and columns [{rows}]: they never reach the output.":
    "입력의 행과 열 [{rows}]에는 도장이 한 번도 닿지 않는다: 이 값들은 출력에 전혀 반영되지 않는다.",
  "Every input row and column is covered by some stamp.": "입력의 모든 행과 열에 도장이 한 번 이상 닿는다.",
  "one side of the input, and every stamp along it": "입력의 한 변과 그 위의 모든 도장",
  ["Top: input positions 0 to I − 1 (numbered when they fit), grey: padding, red: never covered. Each bar is one " +
   "stamp, numbered by the output cell it fills."]:
    "위: 입력 위치 0부터 I − 1(자리가 있으면 번호를 적는다), 회색: 패딩, 빨강: 한 번도 덮이지 않는 칸. " +
    "막대 하나가 도장 하나이고, 번호는 그 도장이 채우는 출력 칸이다.",
  "C_out (kernels)": "C_out (커널 수)", "C_in (input channels)": "C_in (입력 채널 수)", "K (kernel size)": "K (커널 크기)",
  "formula": "식", "with your numbers": "고른 값을 넣으면", "count": "개수", "weights": "가중치", "biases": "편향",
  "total": "전체", "weights + biases": "가중치 + 편향",
  "layer": "층", "{name}: {n}x{n} units (click one)": "{name}: 유닛 {n}x{n}개 (하나를 눌러 보자)",
  "Unit ({r}, {c}) of {name} sees input rows {top} to {bottom} and columns {left} to {right}: {a} {n}x{n} square":
    "{name}의 ({r}, {c}) 유닛은 입력의 {top}~{bottom}행, {left}~{right}열을 본다: {n}x{n} 정사각형",
  ", {k} of its pixels outside the image (hatched), where the layers' zero padding stands in for pixels.":
    ", 그중 {k}개 픽셀은 이미지 밖(빗금)에 있어 층들의 제로 패딩이 픽셀 자리를 채운다.",
  " Neighbouring units' squares start {j} pixel apart.": " 이웃한 유닛의 정사각형은 {j}픽셀씩 떨어져 시작한다.",
  " Neighbouring units' squares start {j} pixels apart.": " 이웃한 유닛의 정사각형은 {j}픽셀씩 떨어져 시작한다.",
  "K (kernel size) = {k} is larger than the padded input I + 2P = {n}; K must be between 1 and {n}":
    "K (커널 크기) = {k} > 패딩한 입력 I + 2P = {n}: K는 1부터 {n}까지여야 한다",
  ["kernel size {k} is larger than the padded input {padded}; each kernel side must be between 1 and the " +
   "padded input's side"]: "커널 크기 {k} > 패딩한 입력 {padded}: 커널의 각 변은 1부터 패딩한 입력의 변까지여야 한다",
};

// A Korean translation writes a particle after a {name} as a marker ("{q}을/를", "{f}이/가"):
// resolveParticles (korean.js, before this file in the module) picks the form the number takes.
function t(text, values = {}) {
  const korean = typeof document !== "undefined" && document.documentElement.lang.startsWith("ko");
  const translated = korean && KOREAN[text] !== undefined;
  const filled = (translated ? KOREAN[text] : text).replace(/\{(\w+)\}/g,
    (whole, name) => (name in values ? `${values[name]}` : whole));
  return translated ? resolveParticles(filled) : filled;
}

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

// --- 2. kernels of depth C_in over a C_in-channel input -------------------------------------

function multichannelExplorer(model, el) {
  const allX = model.get("x"), allW = model.get("w"), allB = model.get("b");  // the largest case
  const names = ["red", "green", "blue"];
  const root = make("div", { class: "cnnx", "data-explorer": "multichannel" });
  const error = errorBox();
  const figure = make("div", { class: "cnnx-figure cnnx-multi" });
  const sumLine = make("div", { class: "cnnx-equation", "data-part": "equation" });
  let steps = null, parts = null, current = null, channelNames = [];

  const cIn = slider("c_in", "channels C_in", 1, allX.length, model.get("c_in"), () => rebuild());
  const cOut = slider("c_out", "kernels C_out", 1, allW.length, model.get("c_out"), () => rebuild());
  const stride = slider("stride", "stride S", 1, model.get("max_stride"), model.get("stride"), () => rebuild());
  const padding = slider("padding", "padding P", 0, model.get("max_padding"), model.get("padding"), () => rebuild());
  const steppers = stepper((i) => show(i));

  function rebuild() {
    const c = cIn.input.valueAsNumber, kc = cOut.input.valueAsNumber;
    const s = stride.input.valueAsNumber, p = padding.input.valueAsNumber;
    for (const [name, v] of [["c_in", c], ["c_out", kc], ["stride", s], ["padding", p]]) model.set(name, v);
    model.save_changes();
    const x = allX.slice(0, c);
    const w = allW.slice(0, kc).map((kernel) => kernel.slice(0, c));
    const b = allB.slice(0, kc);
    steps = stampsOrError([x, w, b, s, p], steppers, error, [figure, sumLine]);
    if (!steps) return;
    current = { x, w, b };
    const [, h, wid] = shape3(x);
    const k = w[0][0].length;
    const [, outH, outW] = steps.shape;
    const xp = pad(x, p);
    const cell = cellSize(xp[0][0].length + 2 * k + outW, 90, 26);
    const label3 = c === 3 ? names.map((n) => t(n)) : Array.from({ length: c }, (_, i) => t("channel {c}", { c: i }));
    channelNames = label3;
    const left = make("div", { class: "cnnx-rows" }), right = make("div", { class: "cnnx-rows" });
    parts = { channels: [], outputs: [] };
    for (let ch = 0; ch < c; ch++) {
      const row = {
        input: grid(`input-${ch}`, t("input: {name}", { name: label3[ch] }), xp[ch], cell, paddedStates(h, wid, p)),
        kernel: grid(`kernel-${ch}`, t("kernel {k}, {name}", { k: 0, name: label3[ch] }), fill(k, k, NaN), cell),
        products: grid(`products-${ch}`, t("products"), fill(k, k, NaN), cell, fill(k, k, WINDOW)),
        sum: make("div", { class: "cnnx-sum", "data-part": `sum-${ch}` }),
      };
      row.products.panel.append(row.sum);
      left.append(make("div", { class: "cnnx-row cnnx-tight" }, [row.input.panel, row.kernel.panel, row.products.panel]));
      parts.channels.push(row);
    }
    for (let kk = 0; kk < kc; kk++) {
      const g = grid(`output-${kk}`, t("output {k} (kernel {k}, bias {b})", { k: kk, b: label(b[kk]) }),
                     fill(outH, outW, NaN), cell);
      right.append(g.panel);
      parts.outputs.push(g);
    }
    figure.replaceChildren(left, right);
    steppers.reset(steps.stamps.length);
    show(0);
  }

  function show(i) {
    if (!steps) return;
    const stamp = steps.stamps[i];
    const k = current.w[0][0].length;
    const [kc, outH, outW] = steps.shape;
    parts.channels.forEach((row, ch) => {
      row.kernel.set(current.w[stamp.kernel][ch]);
      row.kernel.titleNode.textContent = t("kernel {k}, {name}", { k: stamp.kernel, name: channelNames[ch] });
      row.products.set(stamp.products[ch], fill(k, k, WINDOW));
      row.sum.textContent = t("sum {x}", { x: label(stamp.channelSums[ch]) });
      row.input.outline(stamp.top, stamp.left, k, k);
    });
    for (let kk = 0; kk < kc; kk++) {
      const output = fill(outH, outW, NaN), states = fill(outH, outW, PLAIN);
      steps.stamps.slice(0, i + 1).forEach((st) => {
        if (st.kernel === kk) { output[st.row][st.col] = st.total; states[st.row][st.col] = FILLED; }
      });
      if (kk === stamp.kernel) states[stamp.row][stamp.col] = CURRENT;
      parts.outputs[kk].set(output, states);
      if (kk === stamp.kernel) parts.outputs[kk].outline(stamp.row, stamp.col, 1, 1);
      else parts.outputs[kk].outline(null);
    }
    const sums = stamp.channelSums.map(signed).join(" + ");
    const rounded = roundingNote([...stamp.channelSums, stamp.bias], stamp.total);
    sumLine.textContent = t("kernel {k}, output[{r}, {c}] = channel sums {sums} + bias {b} = {total}",
                            { k: stamp.kernel, r: stamp.row, c: stamp.col, sums, b: signed(stamp.bias),
                              total: label(stamp.total) }) + t(rounded);
  }

  root.append(make("div", { class: "cnnx-row" }, [cIn.node, cOut.node]),
              make("div", { class: "cnnx-row" }, [stride.node, padding.node]), noticeLine(root), steppers.node, error,
              figure, sumLine);
  el.append(root);
  rebuild();
}

// --- 3. output size along one side ----------------------------------------------------------

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== null) node.textContent = text;
  return node;
}

function drawOutputSize(i, k, s, p, d = 1) {  // as cnnlib.viz.draw_output_size
  const o = convOutputSize(i, k, s, p, d);
  const missed = new Set(uncovered(i, k, s, p, d).map((j) => j + p));  // padded coordinates
  const length = i + 2 * p;
  const cell = Math.min(34, Math.floor((PAGE - 40) / length));
  const rowGap = Math.max(8, Math.min(16, cell * 0.5));
  const width = 30 + cell * length + 4, height = cell + 10 + rowGap * o + 4;
  const picture = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, "data-part": "stamps",
                               role: "img", "aria-label": `${o} stamps along one side` });
  for (let j = 0; j < length; j++) {
    const isPad = j < p || j >= i + p;
    picture.append(svg("rect", { x: 30 + j * cell, y: 2, width: cell, height: cell,
                                 class: missed.has(j) ? "cnnx-missed" : isPad ? "cnnx-padding" : "cnnx-plain" }));
    if (cell >= 12) {
      if (!isPad) picture.append(svg("text", { x: 30 + (j + 0.5) * cell, y: 2 + cell / 2, class: "cnnx-svgtext" }, `${j - p}`));
    }
  }
  for (let t = 0; t < o; t++) {
    const y = cell + 10 + rowGap * t + rowGap / 2;
    if (d === 1) {
      picture.append(svg("line", { x1: 30 + t * s * cell + 2, x2: 30 + (t * s + k) * cell - 2, y1: y, y2: y,
                                   class: "cnnx-stamp", "data-stamp": t }));
    } else {  // a thin line over the cells it spans, a bar on each of its K taps
      const stamp = svg("g", { "data-stamp": t });
      stamp.append(svg("line", { x1: 30 + t * s * cell + cell / 2, x2: 30 + (t * s + d * (k - 1)) * cell + cell / 2,
                                 y1: y, y2: y, class: "cnnx-span" }));
      for (let tap = 0; tap < k; tap++) {
        const x = 30 + (t * s + tap * d) * cell;
        stamp.append(svg("line", { x1: x + 2, x2: x + cell - 2, y1: y, y2: y, class: "cnnx-stamp" }));
      }
      picture.append(stamp);
    }
    if (rowGap >= 10 || t % 5 === 0) picture.append(svg("text", { x: 24, y, class: "cnnx-svgtext cnnx-right" }, `${t}`));
  }
  return picture;
}

function outputSizeExplorer(model, el) {
  const limits = model.get("limits");  // {i: [low, high], ...}
  const root = make("div", { class: "cnnx", "data-explorer": "output-size" });
  const error = errorBox();
  const text = make("div", { class: "cnnx-text", "data-part": "formula" });
  const figure = make("div", { class: "cnnx-figure cnnx-column" });
  const controls = {};
  const names = { i: "I (input)", k: "K (kernel)", s: "S (stride)", p: "P (padding)", d: "D (dilation)" };
  const keys = ["i", "k", "s", "p", "d"].filter((key) => limits[key] !== undefined);  // D: saved states since it came
  for (const key of keys) {
    controls[key] = slider(key, names[key], limits[key][0], limits[key][1], model.get(key), () => update());
  }

  function update() {
    const [i, k, s, p] = ["i", "k", "s", "p"].map((key) => controls[key].input.valueAsNumber);
    const d = controls.d ? controls.d.input.valueAsNumber : 1;
    for (const [key, v] of Object.entries(controls.d ? { i, k, s, p, d } : { i, k, s, p })) model.set(key, v);
    model.save_changes();
    let o;
    try {
      o = convOutputSize(i, k, s, p, d);
    } catch (err) {
      showError(error, [text, figure], err);
      return;
    }
    showError(error, [text, figure], null);
    const a = i + 2 * p - d * (k - 1) - 1;  // I − K + 2P when D = 1
    const floorNote = a % s === 0 ? "" : "<br>" + t(d === 1
      ? "(I − K + 2P) / S = {a}/{s} = {q} is rounded down to {f}: a last stamp would run past the edge."
      : "(I + 2P − D(K − 1) − 1) / S = {a}/{s} = {q} is rounded down to {f}: a last stamp would run past the edge.",
      { a, s, q: (a / s).toFixed(2), f: Math.floor(a / s) });
    const formula = d === 1
      ? `<b>O</b> = ⌊(I − K + 2P) / S⌋ + 1 = ⌊(${i} − ${k} + 2·${p}) / ${s}⌋ + 1 = `
      : `<b>O</b> = ⌊(I + 2P − D(K − 1) − 1) / S⌋ + 1 = ⌊(${i} + 2·${p} − ${d}·(${k} − 1) − 1) / ${s}⌋ + 1 = `;
    const spanNote = d === 1 || k === 1 ? "" : "<br>" + t("With dilation D = {d} the kernel's {k} taps (the cells its " +
      "weights sit on) are {d} cells apart: each stamp spans D(K − 1) + 1 = {span} cells.", { d, k, span: d * (k - 1) + 1 });
    const missed = uncovered(i, k, s, p, d);
    const missedNote = !missed.length ? t("Every input row and column is covered by some stamp.")
      : d === 1 ? t("No stamp covers input rows and columns [{rows}]: they never reach the output.", { rows: missed.join(", ") })
      : t("No tap of any stamp lands on input rows and columns [{rows}]: they never reach the output.",
          { rows: missed.join(", ") });
    const dilation = d === 1 ? "" : `, dilation=${d}`;
    text.innerHTML =
      `<p>${formula}<b data-part="o">${o}</b>${spanNote}${floorNote}<br>${t("Output: {o}×{o} per kernel.", { o })}<br>` +
      `<code>nn.Conv2d(in_channels, out_channels, kernel_size=${k}, stride=${s}, padding=${p}${dilation})</code><br>` +
      `<span data-part="uncovered">${missedNote}</span></p>`;
    figure.replaceChildren(make("div", { class: "cnnx-title", text: t("one side of the input, and every stamp along it") }),
                           drawOutputSize(i, k, s, p, d),
                           make("div", { class: "cnnx-hint", text: d === 1
                             ? t("Top: input positions 0 to I − 1 (numbered when they fit), grey: padding, red: never " +
                                 "covered. Each bar is one stamp, numbered by the output cell it fills.")
                             : t("Top: input positions 0 to I − 1 (numbered when they fit), grey: padding, red: no tap " +
                                 "lands there. Each row is one stamp, numbered by the output cell it fills: a dashed line " +
                                 "over the cells it spans, a short bar on each of its K taps.") }));
  }

  root.append(make("div", { class: "cnnx-row" }, [controls.i.node, controls.k.node]),
              make("div", { class: "cnnx-row" }, [controls.s.node, controls.p.node]),
              ...(controls.d ? [make("div", { class: "cnnx-row" }, [controls.d.node])] : []),
              noticeLine(root), error, text, figure);
  el.append(root);
  update();
}

// --- 4. parameters of one convolution layer -------------------------------------------------

function parameterCounter(model, el) {
  const limits = model.get("limits");
  const root = make("div", { class: "cnnx", "data-explorer": "parameters" });
  const table = make("div", { class: "cnnx-text", "data-part": "table" });
  const names = { c_out: "C_out (kernels)", c_in: "C_in (input channels)", k: "K (kernel size)" };
  const controls = {};
  for (const key of ["c_out", "c_in", "k"]) {
    controls[key] = slider(key, names[key], limits[key][0], limits[key][1], model.get(key), () => update());
  }

  function update() {
    const [cOut, cIn, k] = ["c_out", "c_in", "k"].map((key) => controls[key].input.valueAsNumber);
    for (const [key, v] of Object.entries({ c_out: cOut, c_in: cIn, k })) model.set(key, v);
    model.save_changes();
    const n = convParams(cOut, cIn, k);
    const bar = (part, value) => {
      const share = value / n.total;
      return `<div class="cnnx-bar"><span>${t(part)}</span><span class="cnnx-barfill" style="width:${(share * 60).toFixed(2)}%"></span>` +
             `<span>${thousands(value)} (${percent(share)}%)</span></div>`;
    };
    table.innerHTML =
      `<table class='cnnx-table'><thead><tr><th></th><th>${t("formula")}</th><th>${t("with your numbers")}</th>` +
      `<th>${t("count")}</th></tr></thead><tbody>` +
      `<tr><td>${t("weights")}</td><td>C<sub>out</sub>·C<sub>in</sub>·K²</td><td>${cOut}·${cIn}·${k}²</td>` +
      `<td data-part="weights">${thousands(n.weights)}</td></tr>` +
      `<tr><td>${t("biases")}</td><td>C<sub>out</sub></td><td>${cOut}</td><td data-part="biases">${thousands(n.biases)}</td></tr>` +
      `<tr><td><b>${t("total")}</b></td><td>${t("weights + biases")}</td><td></td>` +
      `<td data-part="total"><b>${thousands(n.total)}</b></td></tr>` +
      "</tbody></table>" + bar("weights", n.weights) + bar("biases", n.biases) +
      `<p><code>nn.Conv2d(in_channels=${cIn}, out_channels=${cOut}, kernel_size=${k})</code></p>`;
  }

  root.append(make("div", { class: "cnnx-row" }, [controls.c_out.node, controls.c_in.node, controls.k.node]),
              noticeLine(root), table);
  el.append(root);
  update();
}

// --- 5. what a unit sees: receptive fields ----------------------------------------------------

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

function receptiveFieldExplorer(model, el) {
  const image = model.get("image");    // (H, W) grey values in [0, 1]
  const layers = model.get("layers");  // [{name, size, jump, start, out}], as cnnlib.shapes.receptive_fields
  const h = image.length, wid = image[0].length;
  const root = make("div", { class: "cnnx", "data-explorer": "receptive-field" });
  const margin = fieldMargin(layers, h);
  const scale = Math.max(1, Math.floor(280 / (Math.max(h, wid) + 2 * margin)));
  const canvas = make("canvas", { width: wid, height: h, class: "cnnx-image",
                                  style: { width: `${wid * scale}px`, height: `${h * scale}px`,
                                           margin: `${margin * scale}px` } });
  paintGrey(canvas, image.flat(), 0, h, wid, 1);
  const square = make("div", { class: "cnnx-frame", "data-part": "square" });
  const picture = make("div", { class: "cnnx-picture" }, [canvas, square]);
  const mapBox = make("div", { class: "cnnx-panel" });
  const text = make("p", { class: "cnnx-text", "data-part": "sees" });
  const layer = choice("layer", "layer", layers.map((l) => l.name), model.get("layer"), () => draw(null));

  function draw(unit) {
    const l = layers.find((candidate) => candidate.name === layer.select.value);
    const middle = Math.floor((l.out - 1) / 2);
    const [row, col] = unit && unit.length === 2 ? unit : [middle, middle];  // the middle unit at first
    model.set("layer", l.name); model.set("unit", [row, col]); model.save_changes();
    const cell = Math.max(6, Math.min(24, Math.floor(240 / l.out)));
    const values = fill(l.out, l.out, NaN), states = fill(l.out, l.out, PLAIN);
    states[row][col] = CURRENT;
    const g = grid("map", t("{name}: {n}x{n} units (click one)", { name: l.name, n: l.out }), values, cell, states);
    g.cells.forEach((node) => { node.tabIndex = 0; });
    clickOnEnter(g);
    g.body.addEventListener("click", (event) => {
      const node = event.target.closest(".cnnx-cell");
      if (node) draw([Number(node.dataset.row), Number(node.dataset.col)]);
    });
    mapBox.replaceChildren(g.panel);
    const top = l.start + row * l.jump, left = l.start + col * l.jump;  // may reach into the padding
    const inside = (first, side) => Math.max(0, Math.min(side, first + l.size) - Math.max(0, first));
    Object.assign(square.style, { display: "", top: `${(top + margin) * scale}px`, left: `${(left + margin) * scale}px`,
                                  width: `${l.size * scale}px`, height: `${l.size * scale}px` });
    Object.assign(square.dataset, { top, left, size: l.size });
    const outside = l.size * l.size - inside(top, h) * inside(left, wid);
    text.textContent = t("Unit ({r}, {c}) of {name} sees input rows {top} to {bottom} and columns {left} to {right}: " +
                         "{a} {n}x{n} square", { r: row, c: col, name: l.name, top, bottom: top + l.size - 1, left,
                                                  right: left + l.size - 1, a: article(l.size), n: l.size }) +
      (outside ? t(", {k} of its pixels outside the image (hatched), where the layers' zero padding stands in for " +
                   "pixels.", { k: outside }) : ".") +
      t(l.jump > 1 ? " Neighbouring units' squares start {j} pixels apart." : " Neighbouring units' squares start {j} " +
        "pixel apart.", { j: l.jump });
  }

  root.append(make("div", { class: "cnnx-row" }, [layer.node]),
              make("div", { class: "cnnx-figure" }, [picture, mapBox]), text);
  el.append(root);
  draw(model.get("unit"));
}

// --- the widget ---------------------------------------------------------------------------

const EXPLORERS = {
  stamping: stampingExplorer,
  multichannel: multichannelExplorer,
  "output-size": outputSizeExplorer,
  parameters: parameterCounter,
  "receptive-field": receptiveFieldExplorer,
};

export default {
  render({ model, el }) {
    EXPLORERS[model.get("kind")](model, el);
  },
};
