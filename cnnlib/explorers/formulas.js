// The formulas every explorer computes with (output size, parameters, stamps), and how numbers
// are written (label, equation, percent, ...). Uses t() from words.js for the error texts.

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
