// Explorer 5: what a unit sees, its receptive field drawn over an image, layer by layer.
// Uses t() (words.js), article (formulas.js), and grid, choice, fieldMargin, paintGrey of grids.js.

// --- 5. what a unit sees: receptive fields ----------------------------------------------------

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
