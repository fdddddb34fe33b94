/**
 * The evaluation grid behind the decision boundary and the unit heat maps: points over the
 * data's range, the checksum that tests compare with /predict, and pixel colours. Pure.
 */

/** [min, max] of column `col` of x, padded by 10 % so no point sits on the frame. */
export function range(x, col) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of x) {
    lo = Math.min(lo, row[col]);
    hi = Math.max(hi, row[col]);
  }
  if (!(hi > lo)) return [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.1;
  return [lo - pad, hi + pad];
}

/** size × size points, row by row from the top (y max) so row r is pixel row r. */
export function grid2d(x, size) {
  const [x0, x1] = range(x, 0);
  const [y0, y1] = range(x, 1);
  const points = [];
  for (let r = 0; r < size; r++) {
    const v = y1 - ((r + 0.5) / size) * (y1 - y0);
    for (let c = 0; c < size; c++) points.push([x0 + ((c + 0.5) / size) * (x1 - x0), v]);
  }
  return { points, size, bounds: { x0, x1, y0, y1 } };
}

/** n points evenly over the 1-D data's range, for the fitted curve. */
export function line1d(x, n) {
  const [x0, x1] = range(x, 0);
  const points = [];
  for (let i = 0; i < n; i++) points.push([x0 + (i / (n - 1)) * (x1 - x0)]);
  return { points, bounds: { x0, x1 } };
}

/** Sum of every entry: a checksum a test can recompute from /predict to 1e-9. */
export function checksum(rows) {
  let s = 0;
  for (const row of rows) for (const v of row) s += v;
  return s;
}

/** Column `j` of rows. */
export function column(rows, j) {
  return rows.map((row) => row[j]);
}

/**
 * The score shown by the boundary for one output row: for one output the margin over the
 * class threshold (0.5 for 0/1 labels), for several the winning class index.
 */
export function score(row, probability) {
  if (row.length === 1) return (probability ? probability[0] : row[0]) - 0.5;
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
  return best;
}

function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** RGBA bytes for `values` (one per pixel) through `colourOf(value) -> "#rrggbb"`. */
export function pixels(values, colourOf) {
  const out = new Uint8ClampedArray(values.length * 4);
  const cache = new Map();
  values.forEach((v, i) => {
    // Quantise for the cache: 1/256 of the scale is below what the eye can tell apart.
    const key = Number.isFinite(v) ? Math.round(v * 256) : "nan";
    let rgb = cache.get(key);
    if (rgb === undefined) {
      rgb = hexToRgb(colourOf(Number.isFinite(v) ? key / 256 : NaN));
      cache.set(key, rgb);
    }
    out.set([rgb[0], rgb[1], rgb[2], 255], i * 4);
  });
  return out;
}
