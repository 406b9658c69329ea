// Explorer 4: the parameters of one convolution layer, weights and biases counted.
// Uses t() (words.js), convParams, thousands, percent (formulas.js), and make, slider of grids.js.

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
