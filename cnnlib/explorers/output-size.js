// Explorer 3: the output size along one side of the input, drawn as a line of stamps (SVG).
// Uses t() (words.js), convOutputSize, uncovered, stamps (formulas.js), and make, slider of grids.js.

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
