// The network explorer: a trained CNN computes in the page, with no kernel and no library.
//
// cnnlib.widgets.NetworkExplorer sends this file after the other explorers' files (after main.js),
// as one anywidget module: it uses their helpers (make, t, grid, label, convOutputSize, ...) and
// adds itself to main.js's EXPLORERS at the end. The Python side sends the layers (what each computes,
// its output shape, its receptive field by cnnlib.shapes.receptive_fields) and every learned
// number as float16 in base64.
//
// The forward pass below is the explorers' stamp loop made fast: plain loops over flat arrays
// shaped (C, H, W), row by row. Each layer computes what PyTorch's layer computes in
// evaluation mode (batch norm with its running statistics); tests/browser/test_network.py
// checks every layer's maps and the class scores against PyTorch.

// --- numbers from the notebook -----------------------------------------------------------

function bytesOf(base64) {  // base64 text -> its bytes
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function halfToFloat(h) {  // one IEEE float16 (sign, 5 exponent bits, 10 fraction bits) -> a number
  const sign = h & 0x8000 ? -1 : 1, exponent = (h >> 10) & 0x1f, fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;  // subnormal: 0.fraction x 2^-14
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

export function float16s(base64) {  // little-endian float16 numbers -> Float32Array
  const bytes = bytesOf(base64);
  const out = new Float32Array(bytes.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = halfToFloat(bytes[2 * i] | (bytes[2 * i + 1] << 8));
  return out;
}

// --- the layers (maps are Float32Array shaped (C, H, W), row by row) ----------------------

// Every stamp of the kernels (C_out, C_in, K, K) over x: kernel by kernel, row by row, as
// cnnlib.conv.stamps. A stamp multiplies its window by the kernel, channel by channel, and
// adds the products and the bias; padding cells are zeros, so they add nothing.
export function conv2d(x, [c, h, w], weight, bias, cOut, k, stride, padding) {
  const oh = convOutputSize(h, k, stride, padding), ow = convOutputSize(w, k, stride, padding);
  const ph = h + 2 * padding, pw = w + 2 * padding;
  const xp = new Float32Array(c * ph * pw);  // the input with its zero padding, (C, H + 2P, W + 2P)
  for (let ci = 0; ci < c; ci++) {
    for (let r = 0; r < h; r++) xp.set(x.subarray((ci * h + r) * w, (ci * h + r + 1) * w), (ci * ph + r + padding) * pw + padding);
  }
  const y = new Float32Array(cOut * oh * ow);
  for (let o = 0; o < cOut; o++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        let sum = 0;
        for (let ci = 0; ci < c; ci++) {
          for (let i = 0; i < k; i++) {
            const xRow = (ci * ph + r * stride + i) * pw + q * stride, wRow = ((o * c + ci) * k + i) * k;
            for (let j = 0; j < k; j++) sum += xp[xRow + j] * weight[wRow + j];
          }
        }
        y[(o * oh + r) * ow + q] = sum + bias[o];
      }
    }
  }
  return { values: y, shape: [cOut, oh, ow] };
}

// One stamp of conv2d, in parts: per input channel its window (padding as NaN), its kernel
// slice and their sum of products; then the bias and the total, the unit's value.
export function stampParts(x, [c, h, w], weight, bias, k, stride, padding, o, r, q) {
  const channels = [];
  let total = 0;
  for (let ci = 0; ci < c; ci++) {
    const window = fill(k, k, NaN), kernel = fill(k, k, 0);
    let sum = 0;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const row = r * stride - padding + i, col = q * stride - padding + j;
        kernel[i][j] = weight[((o * c + ci) * k + i) * k + j];
        if (row >= 0 && row < h && col >= 0 && col < w) {
          window[i][j] = x[(ci * h + row) * w + col];
          sum += window[i][j] * kernel[i][j];
        }
      }
    }
    channels.push({ window, kernel, sum });
    total += sum;
  }
  return { channels, bias: bias[o], total: total + bias[o] };
}

// Batch norm in evaluation mode: per channel, (x - running mean) / sqrt(running variance + eps),
// times the learned scale gamma, plus the learned shift beta.
export function batchNorm(x, [c, h, w], gamma, beta, mean, variance, eps) {
  const y = new Float32Array(x.length);
  for (let ci = 0; ci < c; ci++) {
    const scale = gamma[ci] / Math.sqrt(variance[ci] + eps);
    for (let i = ci * h * w; i < (ci + 1) * h * w; i++) y[i] = (x[i] - mean[ci]) * scale + beta[ci];
  }
  return { values: y, shape: [c, h, w] };
}

export function relu(x, shape) {
  return { values: x.map((v) => Math.max(0, v)), shape };
}

export function maxPool(x, [c, h, w], k, stride) {  // the largest value of each k x k window
  const oh = Math.floor((h - k) / stride) + 1, ow = Math.floor((w - k) / stride) + 1;
  const y = new Float32Array(c * oh * ow);
  for (let ci = 0; ci < c; ci++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        let most = -Infinity;
        for (let i = 0; i < k; i++) {
          for (let j = 0; j < k; j++) most = Math.max(most, x[(ci * h + r * stride + i) * w + q * stride + j]);
        }
        y[(ci * oh + r) * ow + q] = most;
      }
    }
  }
  return { values: y, shape: [c, oh, ow] };
}

export function averagePool(x, [c, h, w]) {  // every map averaged to one number: (C, 1, 1)
  const y = new Float32Array(c);
  for (let ci = 0; ci < c; ci++) {
    let sum = 0;
    for (let i = ci * h * w; i < (ci + 1) * h * w; i++) sum += x[i];
    y[ci] = sum / (h * w);
  }
  return { values: y, shape: [c, 1, 1] };
}

export function linear(x, weight, bias, fOut) {  // F_out rows of weights, each times x, plus its bias
  const fIn = x.length, y = new Float32Array(fOut);
  for (let o = 0; o < fOut; o++) {
    let sum = 0;
    for (let i = 0; i < fIn; i++) sum += weight[o * fIn + i] * x[i];
    y[o] = sum + bias[o];
  }
  return { values: y, shape: [fOut] };
}

export function softmax(scores) {  // class scores -> probabilities that add up to 1
  const most = Math.max(...scores);
  const e = Array.from(scores, (s) => Math.exp(s - most));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}

// The learned numbers of one layer, as Float32Arrays: {weight, bias, ...}.
function parameters(layer, numbers) {
  const out = {};
  for (const [name, [start, count]] of Object.entries(layer.params)) out[name] = numbers.subarray(start, start + count);
  return out;
}

// Every layer's output for one image x (C, H, W): [{layer, values, shape}], the class scores last.
export function forward(layers, numbers, x, shape) {
  const outputs = [];
  let current = { values: x, shape };
  for (const layer of layers) {
    const p = parameters(layer, numbers), s = current.shape, v = current.values;
    if (layer.kind === "Conv2d") current = conv2d(v, s, p.weight, p.bias, layer.c_out, layer.k, layer.stride, layer.padding);
    else if (layer.kind === "BatchNorm2d") current = batchNorm(v, s, p.weight, p.bias, p.running_mean, p.running_var, layer.eps);
    else if (layer.kind === "ReLU") current = relu(v, s);
    else if (layer.kind === "MaxPool2d") current = maxPool(v, s, layer.k, layer.stride);
    else if (layer.kind === "AdaptiveAvgPool2d") current = averagePool(v, s);
    else if (layer.kind === "Flatten") current = { values: v, shape: [v.length] };
    else if (layer.kind === "Linear") current = linear(v, p.weight, p.bias, layer.f_out);
    else throw new Error(`no forward pass for a ${layer.kind} layer`);
    outputs.push({ layer, ...current });
  }
  return outputs;
}

// --- words ------------------------------------------------------------------------------------

Object.assign(KOREAN, {
  "T-shirt/top": "티셔츠/톱", "Trouser": "바지", "Pullover": "풀오버", "Dress": "드레스", "Coat": "코트",
  "Sandal": "샌들", "Shirt": "셔츠", "Sneaker": "스니커즈", "Bag": "가방", "Ankle boot": "앵클부츠",
  "the network's input: draw here": "신경망의 입력: 여기에 그려 보자", "clear": "지우기",
  "or pick a test image:": "또는 테스트 이미지를 고르자:",
  "test image {i}: {name}": "테스트 이미지 {i}: {name}",
  "your drawing": "직접 그린 그림", "your drawing over test image {i}": "테스트 이미지 {i} 위에 그린 그림",
  "what the network says": "신경망의 답", "{name} ({p}%)": "{name} ({p}%)",
  "unit of {name}: map {c}, row {r}, column {q} (counted from 0)": "{name}의 유닛: 맵 {c}, {r}행, {q}열 (0부터 센다)",
  "window of the normalised input, channel {c}": "정규화한 입력의 창, 채널 {c}",
  "window of {name}, map {c}": "{name}의 창, 맵 {c}",
  "kernel {o} (it makes map {o}), slice {c}": "커널 {o} (맵 {o} 생성), 슬라이스 {c}",
  ["each input channel's window · kernel slice, as a bar (orange: positive, blue: negative; click a bar)"]:
    "입력 채널마다 창 · 커널 슬라이스를 막대 하나로 (주황: 양수, 파랑: 음수; 막대를 눌러 보자)",
  "stamp: window · slice {s} + bias {b} = {z}": "도장: 창 · 슬라이스 {s} + 편향 {b} = {z}",
  "stamp: sum over the {n} channels {s} + bias {b} = {z}": "도장: 채널 {n}개의 합 {s} + 편향 {b} = {z}",
  "batch norm, evaluation mode: (value − running mean) / √(running variance + ε) · scale γ + shift β":
    "배치 정규화, 평가 모드: (값 − 이동 평균) / √(이동 분산 + ε) · 배율 γ + 시프트 β",
  ["Click a map, then a pixel of the enlarged map: how that unit was computed. White is the largest value among " +
   "all the maps of a layer, black 0."]:
    "맵을 누른 뒤 크게 보이는 맵의 픽셀을 누르면 그 유닛이 어떻게 계산됐는지 보인다. 흰색은 한 층의 모든 맵에서 가장 큰 값, 검은색은 0이다.",
  "its receptive field: input rows {top} to {bottom}, columns {left} to {right}":
    "수용 영역: 입력의 {top}~{bottom}행, {left}~{right}열",
  " (hatched: outside the image, where the zero padding stands in)": " (빗금: 이미지 밖, 제로 패딩이 채우는 자리)",
  "ReLU: max(0, {y}) = {a}": "ReLU: max(0, {y}) = {a}",
  "max pooling: the largest of {values} = {m}": "맥스 풀링: {values} 중 가장 큰 값 = {m}",
  "map {c} (click a unit)": "맵 {c} (유닛을 눌러 보자)",
  "window · slice = {v}": "창 · 슬라이스 = {v}",
  "click a class for its score": "클래스를 누르면 점수 계산이 보인다",
  "score of {name} = sum over the {n} averages (weight · average) + bias = {s} {b} = {z}":
    "{name}의 점수 = 평균 {n}개의 (가중치 · 평균) 합 + 편향 = {s} {b} = {z}",
  "its largest terms: {terms}": "가장 큰 항: {terms}", "map {i}: weight {w} × average {a}": "맵 {i}: 가중치 {w} × 평균 {a}",
  "the average of each map: {c} numbers ({names})": "맵마다 평균: 숫자 {c}개 ({names})",
  "convolution {n}, then batch norm and ReLU ({names}): {c} maps of {h} × {w}":
    "합성곱 {n}, 이어서 배치 정규화와 ReLU ({names}): {h} × {w} 맵 {c}개",
  "max pooling {n} ({names}): {c} maps of {h} × {w}": "맥스 풀링 {n} ({names}): {h} × {w} 맵 {c}개",
  "unit of {name}: the average of map {c} (counted from 0)": "{name}의 유닛: 맵 {c}의 평균 (0부터 센다)",
  "one input channel: one window and one kernel slice": "입력 채널 하나: 창 하나와 커널 슬라이스 하나",
  "window: peach cells inside the image, grey cells zero padding": "창: 살구색 칸은 이미지 안, 회색 칸은 제로 패딩",
  "the {k} × {k} window of {name}, map {c}": "{name}의 {k} × {k} 창, 맵 {c}",
  "map {c} of {name}, {h} × {w}": "{name}의 맵 {c}, {h} × {w}",
  "the average: sum {s} / {n} values = {v}": "평균: 합 {s} / 값 {n}개 = {v}",
  ["softmax: e^{z} / (sum of e^score over the ten classes) = {p}. The ten probabilities always add up to 1, " +
   "whatever the input: a large one is not certainty."]:
    "소프트맥스: e^{z} / (클래스 10개의 e^점수 합) = {p}. 확률 10개는 입력이 무엇이든 늘 더해서 1이 된다: 큰 확률이 확신을 뜻하지는 않는다.",
});

// --- drawing maps -------------------------------------------------------------------------

const DRAW = 8;     // drawing-canvas pixels per input pixel: strokes are averaged down to the input
const SHOWN = 6;    // screen pixels per input pixel on the input picture
const MAP_PX = 30;  // screen pixels of one feature map's side

function canvasOf(h, w, px, attrs = {}) {  // a canvas of (h, w) pixels shown `px` screen pixels on its longer side
  return make("canvas", { width: w, height: h, class: "cnnx-image", ...attrs,
                          style: { width: `${px * w / Math.max(h, w)}px`, height: `${px * h / Math.max(h, w)}px` } });
}

function largest(values) {  // the largest of many numbers (Math.max(...values) fails on very long arrays)
  let most = -Infinity;
  for (const v of values) most = Math.max(most, v);
  return most;
}

// Blocks as the page shows them: a convolution with the batch norm and ReLU after it, a pooling,
// the averaging (with its flatten), the class scores.
function blocksOf(layers) {
  const blocks = [];
  for (const layer of layers) {
    const open = blocks[blocks.length - 1];  // the block this layer may join
    const joins = open && ((["BatchNorm2d", "ReLU"].includes(layer.kind) && open.layers[0].kind === "Conv2d") ||
                           (layer.kind === "Flatten" && open.layers[0].kind === "AdaptiveAvgPool2d"));
    if (joins) open.layers.push(layer);
    else blocks.push({ layers: [layer] });
  }
  return blocks;
}

function blockName(block) {
  return block.layers.map((l) => l.name).join(" → ");
}

// --- the explorer ---------------------------------------------------------------------------

function networkExplorer(model, el) {
  const layers = model.get("layers"), numbers = float16s(model.get("weights"));
  const [c0, h, w] = model.get("xdim"), mean = model.get("mean"), std = model.get("std");
  const images = bytesOf(model.get("images")), labels = model.get("labels"), classes = model.get("classes");
  const numbered = model.get("indices");  // each sample's number in the test set
  const blocks = blocksOf(layers);
  const root = make("div", { class: "cnnx cnnx-network", "data-explorer": "network" });
  const state = { base: new Float32Array(c0 * h * w), picked: null, drawn: false, outputs: [], unit: null };
  root.cnnx = state;  // the page's numbers, for the browser test and the curious: root.cnnx.outputs

  // The input: a picture of what the network sees, and a larger canvas the strokes go on.
  const ink = make("canvas", { width: w * DRAW, height: h * DRAW });
  const pen = ink.getContext("2d", { willReadFrequently: true });
  const shown = canvasOf(h, w, SHOWN * Math.max(h, w), { "data-part": "input" });
  Object.assign(shown.style, { touchAction: "none", cursor: "crosshair" });  // a finger draws instead of scrolling
  const picture = make("div", { class: "cnnx-picture" }, [shown]);
  const inputTitle = make("div", { class: "cnnx-title", "data-part": "input-name" });
  const clear = make("button", { type: "button", "data-control": "clear", text: t("clear") });
  const inputPanel = make("div", { class: "cnnx-panel" }, [make("div", { class: "cnnx-title", text: t("the network's input: draw here") }),
                                                           picture, inputTitle, clear]);
  const bars = make("div", { class: "cnnx-probabilities", "data-part": "probabilities" });
  const answer = make("div", { class: "cnnx-panel cnnx-answer" }, [make("div", { class: "cnnx-title", text: t("what the network says") }), bars,
                                                                    make("div", { class: "cnnx-hint", text: t("click a class for its score") })]);
  const thumbs = make("div", { class: "cnnx-thumbs", "data-part": "samples" });
  const detail = make("div", { class: "cnnx-detail", "data-part": "unit", style: { display: "none" } });
  const scoreDetail = make("div", { class: "cnnx-detail", "data-part": "score", style: { display: "none" } });
  const stages = make("div", { class: "cnnx-stages" });

  function input() {  // (1, H, W) in [0, 1]: the picked image, and the strokes over it (NetworkExplorer sends grey images)
    const x = Float32Array.from(state.base);
    if (state.drawn) {
      const data = pen.getImageData(0, 0, w * DRAW, h * DRAW).data;
      for (let r = 0; r < h; r++) {
        for (let q = 0; q < w; q++) {
          let sum = 0;
          for (let i = 0; i < DRAW; i++) for (let j = 0; j < DRAW; j++) sum += data[4 * ((r * DRAW + i) * w * DRAW + q * DRAW + j)];
          x[r * w + q] = Math.max(x[r * w + q], sum / (DRAW * DRAW * 255));  // ink is white, as the data's objects
        }
      }
    }
    return x;
  }

  const mapCanvases = [];  // per block: its canvases, one per map
  const counted = {};      // blocks of each kind so far: "convolution 2", "max pooling 1"
  for (const [index, block] of blocks.entries()) {
    const end = block.layers[block.layers.length - 1];
    if (end.kind === "Linear") continue;  // the class scores are the bars above
    const [c, mh, mw] = end.shape.length === 3 ? end.shape : [end.shape[0], 1, 1];
    const flat = end.kind === "Flatten";
    const kind = block.layers[0].kind, n = (counted[kind] = (counted[kind] || 0) + 1);
    const title = flat ? t("the average of each map: {c} numbers ({names})", { c, names: blockName(block) })
      : t(kind === "Conv2d" ? "convolution {n}, then batch norm and ReLU ({names}): {c} maps of {h} × {w}"
        : "max pooling {n} ({names}): {c} maps of {h} × {w}", { n, names: blockName(block), c, h: mh, w: mw });
    const canvases = [];
    const row = make("div", { class: "cnnx-maps", "data-block": index, "data-layer": end.name });
    for (let ci = 0; ci < c; ci++) {
      const canvas = flat ? canvasOf(1, 1, 14) : canvasOf(mh, mw, MAP_PX);
      Object.assign(canvas.dataset, { block: index, channel: ci });
      canvases.push(canvas);
      row.append(canvas);
    }
    mapCanvases.push({ block, index, canvases, shape: [c, mh, mw] });
    stages.append(make("div", { class: "cnnx-stage" }, [make("div", { class: "cnnx-title cnnx-left", text: title }), row]));
  }

  function update() {
    const started = performance.now();
    state.input = input();
    const x = state.input.map((v) => (v - mean) / std);  // normalised as the training images were
    state.outputs = forward(layers, numbers, x, [c0, h, w]);
    const byName = Object.fromEntries(state.outputs.map((o) => [o.layer.name, o]));
    paintGrey(shown, state.input, 0, h, w, 1);
    for (const { block, canvases, shape } of mapCanvases) {
      const out = byName[block.layers[block.layers.length - 1].name];
      const top = Math.max(1e-6, largest(out.values));  // each block's brightest value is white
      const [, mh, mw] = shape;
      canvases.forEach((canvas, ci) => paintGrey(canvas, out.values, ci * mh * mw, mh, mw, top));
    }
    const scores = state.outputs[state.outputs.length - 1].values;
    state.logits = Array.from(scores);
    const p = softmax(scores), best = p.indexOf(Math.max(...p));
    bars.replaceChildren(...classes.map((name, i) => make("div", { class: "cnnx-bar" + (i === best ? " cnnx-best" : ""), "data-class": i }, [
      make("span", { text: t(name) }),
      make("span", { class: "cnnx-track" }, [make("span", { class: "cnnx-barfill", style: { width: `${Math.round(150 * p[i])}px` } })]),
      make("span", { class: "cnnx-value", text: `${percent(p[i])}%` })])));
    bars.dataset.predicted = best;
    if (state.scoreOf !== undefined) showScore(state.scoreOf);
    inputTitle.textContent = state.picked === null ? t("your drawing")
      : state.drawn ? t("your drawing over test image {i}", { i: numbered[state.picked] })
        : t("test image {i}: {name}", { i: numbered[state.picked], name: t(classes[labels[state.picked]]) });
    if (state.unit) showUnit(...state.unit);
    state.updateMs = performance.now() - started;
  }

  // --- a class's score: the linear layer, then softmax ---
  bars.addEventListener("click", (event) => {
    const bar = event.target.closest("[data-class]");
    if (bar) showScore(Number(bar.dataset.class));
  });
  function showScore(k) {
    state.scoreOf = k;
    const scores = state.outputs[state.outputs.length - 1], layer = scores.layer;
    const features = state.outputs[state.outputs.length - 2].values, p = parameters(layer, numbers);
    const terms = Array.from(features, (a, i) => ({ i, a, wt: p.weight[k * features.length + i] }));
    const total = terms.reduce((sum, term) => sum + term.a * term.wt, 0);
    const largest = [...terms].sort((u, v) => Math.abs(v.a * v.wt) - Math.abs(u.a * u.wt)).slice(0, 4);
    scoreDetail.replaceChildren(
      make("p", { class: "cnnx-equation", text: t("score of {name} = sum over the {n} averages (weight · average) + bias = {s} {b} = {z}",
        { name: t(classes[k]), n: features.length, s: label(total), b: `+ ${signed(p.bias[k])}`, z: label(scores.values[k]) }) }),
      make("p", { class: "cnnx-equation", text: t("its largest terms: {terms}", { terms: largest.map((term) =>
        t("map {i}: weight {w} × average {a}", { i: term.i, w: signed(term.wt), a: label(term.a) })).join(", ") + ", …" }) }),
      make("p", { class: "cnnx-equation", text: t("softmax: e^{z} / (sum of e^score over the ten classes) = {p}. The ten probabilities " +
        "always add up to 1, whatever the input: a large one is not certainty.", { z: label(scores.values[k]), p: label(softmax(scores.values)[k]) }) }));
    scoreDetail.style.display = "";
  }

  // --- drawing with a mouse, a pen or a finger ---
  let pointer = null, previous = null, pending = false;  // the pointer drawing, and where its line got to
  function at(event) {
    const box = shown.getBoundingClientRect();
    return [(event.clientX - box.left) * (w * DRAW) / box.width, (event.clientY - box.top) * (h * DRAW) / box.height];
  }
  function stroke(event) {
    const point = at(event);
    Object.assign(pen, { strokeStyle: "#fff", fillStyle: "#fff", lineWidth: 2.4 * DRAW, lineCap: "round", lineJoin: "round" });
    if (previous) {
      pen.beginPath();
      pen.moveTo(...previous);
      pen.lineTo(...point);
      pen.stroke();
    } else {  // where the pen comes down: a dot, so a tap draws too
      pen.beginPath();
      pen.arc(...point, pen.lineWidth / 2, 0, 2 * Math.PI);
      pen.fill();
    }
    previous = point;
    state.drawn = true;
    if (!pending) {  // at most one update per frame the browser draws
      pending = true;
      requestAnimationFrame(() => { pending = false; update(); });
    }
  }
  shown.addEventListener("pointerdown", (event) => {
    if (!event.isPrimary || event.button !== 0) return;  // one finger, or the main button, draws
    pointer = event.pointerId;
    shown.setPointerCapture(pointer);
    previous = null;
    stroke(event);
  });
  shown.addEventListener("pointermove", (event) => { if (event.pointerId === pointer) stroke(event); });
  for (const end of ["pointerup", "pointercancel"]) {
    shown.addEventListener(end, (event) => { if (event.pointerId === pointer) { pointer = null; previous = null; } });
  }

  function startFrom(index) {  // a test image (or nothing) as the base, no strokes
    pen.clearRect(0, 0, ink.width, ink.height);
    state.drawn = false;
    state.picked = index;
    state.base = index === null ? new Float32Array(c0 * h * w)
      : Float32Array.from(images.subarray(index * c0 * h * w, (index + 1) * c0 * h * w), (v) => v / 255);
    thumbs.querySelectorAll("canvas").forEach((c) => c.classList.toggle("cnnx-picked", Number(c.dataset.index) === index));
    update();
  }
  clear.addEventListener("click", () => startFrom(null));
  for (let i = 0; i < labels.length; i++) {
    const canvas = canvasOf(h, w, 25, { "data-index": i, tabindex: 0, role: "button",
                                         "aria-label": t("test image {i}: {name}", { i: numbered[i], name: t(classes[labels[i]]) }),
                                         title: t("test image {i}: {name}", { i: numbered[i], name: t(classes[labels[i]]) }) });
    paintGrey(canvas, images, i * c0 * h * w, h, w, 255);  // its first channel
    canvas.addEventListener("click", () => startFrom(i));
    canvas.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); startFrom(i); } });
    thumbs.append(canvas);
  }

  // --- one unit, computed in front of the reader ---
  stages.addEventListener("click", (event) => {
    const canvas = event.target.closest("canvas");
    if (!canvas || canvas.dataset.block === undefined) return;
    const { shape } = mapCanvases.find((m) => m.index === Number(canvas.dataset.block));
    const box = canvas.getBoundingClientRect();
    const r = Math.min(shape[1] - 1, Math.floor((event.clientY - box.top) * shape[1] / box.height));
    const q = Math.min(shape[2] - 1, Math.floor((event.clientX - box.left) * shape[2] / box.width));
    showUnit(Number(canvas.dataset.block), Number(canvas.dataset.channel), r, q, null);
  });

  function showUnit(index, c, r, q, picked) {
    state.unit = [index, c, r, q, picked];
    state.stamp = null;  // set below for a convolution's unit
    const block = blocks[index], first = block.layers[0], lastLayer = block.layers[block.layers.length - 1];
    const position = state.outputs.findIndex((o) => o.layer.name === first.name);
    const before = position === 0 ? { values: state.input.map((v) => (v - mean) / std), shape: [c0, h, w] } : state.outputs[position - 1];
    const parts = [make("div", { class: "cnnx-title", text: lastLayer.field
      ? t("unit of {name}: map {c}, row {r}, column {q} (counted from 0)", { c, r, q, name: blockName(block) })
      : t("unit of {name}: the average of map {c} (counted from 0)", { c, name: blockName(block) }) })];
    const out = state.outputs.find((o) => o.layer.name === lastLayer.name);
    const [, oh, ow] = out.shape.length === 3 ? out.shape : [out.shape[0], 1, 1];
    const field = lastLayer.field;
    if (field) {  // the input with the square this unit depends on, and its map enlarged, to pick another unit
      const top = field.start + r * field.jump, left = field.start + q * field.jump;
      const copy = canvasOf(h, w, SHOWN * Math.max(h, w));
      paintGrey(copy, state.input, 0, h, w, 1);
      const square = make("div", { class: "cnnx-frame", "data-part": "square", "data-top": top, "data-left": left,
                                   "data-size": field.size, style: { top: `${top * SHOWN}px`, left: `${left * SHOWN}px`,
                                   width: `${field.size * SHOWN}px`, height: `${field.size * SHOWN}px` } });
      const cell = (SHOWN * Math.max(h, w)) / Math.max(oh, ow);
      const big = canvasOf(oh, ow, SHOWN * Math.max(h, w), { "data-part": "map" });
      paintGrey(big, out.values, c * oh * ow, oh, ow, Math.max(1e-6, largest(out.values)));
      big.addEventListener("click", (event) => {
        const box = big.getBoundingClientRect();
        showUnit(index, c, Math.min(oh - 1, Math.floor((event.clientY - box.top) / box.height * oh)),
                 Math.min(ow - 1, Math.floor((event.clientX - box.left) / box.width * ow)), null);
      });
      const ring = Math.max(0, (12 - cell) / 2);  // a small cell gets a larger frame, so the chosen unit stands out
      const mark = make("div", { class: "cnnx-frame cnnx-unit", style: { top: `${r * cell - ring}px`, left: `${q * cell - ring}px`,
                                                                         width: `${cell + 2 * ring}px`, height: `${cell + 2 * ring}px` } });
      parts.push(make("div", { class: "cnnx-figure" }, [
        make("div", { class: "cnnx-panel" }, [make("div", { class: "cnnx-title", text: t("input") }),
                                              make("div", { class: "cnnx-margin", style: { padding: `${fieldMargin([{ ...field, out: oh }], h) * SHOWN}px` } }, [
                                                make("div", { class: "cnnx-picture" }, [copy, square])])]),
        make("div", { class: "cnnx-panel" }, [make("div", { class: "cnnx-title", text: t("map {c} (click a unit)", { c }) }),
                                              make("div", { class: "cnnx-picture cnnx-bigmap" }, [big, mark])])]));
      parts.push(make("p", { class: "cnnx-text", "data-part": "field", text: t("its receptive field: input rows {top} to {bottom}, columns {left} to {right}",
        { top, bottom: top + field.size - 1, left, right: left + field.size - 1 }) +
        (top < 0 || left < 0 || top + field.size > h || left + field.size > w ? t(" (hatched: outside the image, where the zero padding stands in)") : "") }));
    }
    const [, bh, bw] = before.shape, lines = [];
    if (first.kind === "Conv2d") {
      const p = parameters(first, numbers);
      const s = stampParts(before.values, before.shape, p.weight, p.bias, first.k, first.stride, first.padding, c, r, q);
      const sums = s.channels.map((part) => part.sum);
      const chosen = picked ?? sums.reduce((best, v, i) => (Math.abs(v) > Math.abs(sums[best]) ? i : best), 0);
      const most = Math.max(1e-9, ...sums.map(Math.abs));
      const strip = make("div", { class: "cnnx-sums", "data-part": "channel-sums" }, sums.map((v, ci) => make("span", {
        class: "cnnx-sumbar" + (ci === chosen ? " cnnx-chosen" : ""), "data-channel": ci, title: `${ci}: ${label(v)}`,
        style: { height: `${Math.max(1, Math.round(40 * Math.abs(v) / most))}px`, background: v < 0 ? "#4dabf7" : "#e8590c" } })));
      strip.addEventListener("click", (event) => {
        const bar = event.target.closest("[data-channel]");
        if (bar) showUnit(index, c, r, q, Number(bar.dataset.channel));
      });
      const part = s.channels[chosen], states = part.window.map((row) => row.map((v) => (Number.isNaN(v) ? PADDING : WINDOW)));
      const shownWindow = part.window.map((row) => row.map((v) => (Number.isNaN(v) ? 0 : v)));
      parts.push(make("div", { class: "cnnx-title cnnx-left", text: sums.length === 1 ? t("one input channel: one window and one kernel slice")
                 : t("each input channel's window · kernel slice, as a bar (orange: positive, blue: negative; click a bar)") }), strip,
                 make("div", { class: "cnnx-hint", text: t("window: peach cells inside the image, grey cells zero padding") }),
                 make("div", { class: "cnnx-figure" }, [
                   grid("window", position === 0 ? t("window of the normalised input, channel {c}", { c: chosen })
                                                 : t("window of {name}, map {c}", { name: before.layer.name, c: chosen }),
                        shownWindow, 44, states).panel,
                   grid("kernel", t("kernel {o} (it makes map {o}), slice {c}", { o: c, c: chosen }), part.kernel, 44).panel,
                   make("div", { class: "cnnx-sum", "data-part": "product", text: t("window · slice = {v}", { v: label(part.sum) }) })]));
      lines.push(t(sums.length === 1 ? "stamp: window · slice {s} + bias {b} = {z}" : "stamp: sum over the {n} channels {s} + bias {b} = {z}",
                   { n: sums.length, s: label(s.total - s.bias), b: signed(s.bias), z: label(s.total) }));
      state.stamp = s;
      let value = s.total;
      for (const layer of block.layers.slice(1)) {
        const lp = parameters(layer, numbers);
        if (layer.kind === "BatchNorm2d") {
          const y = (value - lp.running_mean[c]) / Math.sqrt(lp.running_var[c] + layer.eps) * lp.weight[c] + lp.bias[c];
          lines.push(t("batch norm, evaluation mode: (value − running mean) / √(running variance + ε) · scale γ + shift β"));
          lines.push(`= (${label(value)} − ${signed(lp.running_mean[c])}) / √(${label(lp.running_var[c])} + ${layer.eps}) · ` +
                     `${signed(lp.weight[c])} + ${signed(lp.bias[c])} = ${label(y)}`);
          value = y;
        } else if (layer.kind === "ReLU") {
          lines.push(t("ReLU: max(0, {y}) = {a}", { y: signed(value), a: label(Math.max(0, value)) }));
          value = Math.max(0, value);
        }
      }
    } else if (first.kind === "MaxPool2d") {
      const values = [];
      for (let i = 0; i < first.k; i++) for (let j = 0; j < first.k; j++) values.push(before.values[(c * bh + r * first.stride + i) * bw + q * first.stride + j]);
      const window = Array.from({ length: first.k }, (_, i) => values.slice(i * first.k, (i + 1) * first.k));
      const winner = values.indexOf(Math.max(...values));  // the cell max pooling keeps
      const states = Array.from({ length: first.k }, (_, i) => Array.from({ length: first.k }, (_, j) =>
        (i * first.k + j === winner ? CURRENT : WINDOW)));
      parts.push(make("div", { class: "cnnx-figure" }, [grid("window", t("the {k} × {k} window of {name}, map {c}", { k: first.k,
        name: before.layer.name, c }), window, 44, states).panel]));
      lines.push(t("max pooling: the largest of {values} = {m}", { values: values.map(label).join(", "), m: label(Math.max(...values)) }));
    } else if (first.kind === "AdaptiveAvgPool2d") {
      const [, mh, mw] = before.shape, offset = c * mh * mw;
      const map = Array.from({ length: mh }, (_, i) => Array.from(before.values.subarray(offset + i * mw, offset + (i + 1) * mw)));
      const sum = map.flat().reduce((a, v) => a + v, 0);
      parts.push(make("div", { class: "cnnx-figure" }, [grid("window", t("map {c} of {name}, {h} × {w}", { c, name: before.layer.name,
        h: mh, w: mw }), map, Math.min(44, Math.floor(PAGE / (mw + 2))), fill(mh, mw, WINDOW)).panel]));
      lines.push(t("the average: sum {s} / {n} values = {v}", { s: label(sum), n: mh * mw, v: label(out.values[c]) }));
    }
    parts.push(...lines.map((line) => make("p", { class: "cnnx-equation", text: line })));
    detail.replaceChildren(...parts);
    detail.style.display = "";
    stages.querySelector(`[data-block="${index}"]`).after(detail);  // under the maps clicked
    stages.querySelectorAll(".cnnx-picked").forEach((node) => node.classList.remove("cnnx-picked"));
    stages.querySelector(`canvas[data-block="${index}"][data-channel="${c}"]`).classList.add("cnnx-picked");
  }

  root.append(make("div", { class: "cnnx-figure" }, [inputPanel, answer]), scoreDetail,
              make("div", { class: "cnnx-title", text: t("or pick a test image:") }), thumbs,
              make("p", { class: "cnnx-hint", text: t("Click a map, then a pixel of the enlarged map: how that unit was computed. White is the largest value among " +
                                                 "all the maps of a layer, black 0.") }),
              stages);
  el.append(root);
  startFrom(model.get("picked"));
}

EXPLORERS.network = networkExplorer;
