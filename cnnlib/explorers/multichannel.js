// Explorer 2: kernels of depth C_in over a C_in-channel input, channel sums plus a bias.
// Uses t() (words.js), pad, label, signed (formulas.js), and the grids and steppers of grids.js.

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
