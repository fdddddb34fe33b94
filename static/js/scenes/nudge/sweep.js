/**
 * The δ sweep of the nudge scene: log-spaced step sizes, and the slope of log|remainder|
 * against log δ fitted where neither the curvature's higher terms (large δ) nor float
 * rounding (tiny δ) dominate. Pure: no DOM.
 */

/** n step sizes from 10^lo to 10^hi, evenly spaced in log10, largest first. */
export function logSteps(lo = -6, hi = 0, n = 13) {
  return Array.from({ length: n }, (_, i) => 10 ** (hi - ((hi - lo) * i) / (n - 1)));
}

/**
 * Least-squares slope of log10|r| against log10 δ over the points with δ in [from, to]
 * and r ≠ 0; null with fewer than two. About 2 for a smooth f: the remainder is O(δ²).
 */
export function remainderSlope(deltas, remainders, from = 1e-5, to = 1e-2) {
  const pts = deltas
    .map((d, i) => [Math.log10(d), Math.log10(Math.abs(remainders[i]))])
    .filter(([x, y], i) => deltas[i] >= from && deltas[i] <= to && Number.isFinite(y));
  if (pts.length < 2) return null;
  const mx = pts.reduce((s, [x]) => s + x, 0) / pts.length;
  const my = pts.reduce((s, [, y]) => s + y, 0) / pts.length;
  const num = pts.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = pts.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den > 0 ? num / den : null;
}

/** A unit-norm array shaped like `grad` pointing along it (the steepest-ascent direction). */
export function unitLike(grad) {
  const flat = [grad].flat(Infinity);
  const norm = Math.sqrt(flat.reduce((s, x) => s + x * x, 0)) || 1;
  const scale = (v) => (Array.isArray(v) ? v.map(scale) : v / norm);
  return scale(grad);
}

/** Every entry of a nested array multiplied by s. */
export function scaled(array, s) {
  return Array.isArray(array) ? array.map((v) => scaled(v, s)) : array * s;
}

/** uPlot axis labels for a log scale: only powers of ten, written 10⁻⁴-style by formatNumber. */
export function logLabels(u, splits, axisIdx) {
  const labels = splits.map((v) => {
    const k = Math.log10(v);
    return Math.abs(k - Math.round(k)) < 1e-9 ? (v >= 1e-3 && v < 1e5 ? String(Number(v.toPrecision(1))) : `1e${Math.round(k)}`.replace("-", "−")) : "";
  });
  return u && axisIdx !== undefined ? thinned(u, splits, axisIdx, labels) : labels;
}

/** Every label that would touch the last one kept is left out (a short axis on a slide, whose
 * labels are large, has room for fewer decades than it spans). */
function thinned(u, splits, axisIdx, labels) {
  const axis = u.axes[axisIdx];
  const px = Array.isArray(axis.font) ? axis.font[2] : 16;
  const gap = px * (axis.side % 2 === 0 ? 3.4 : 1.4); // a label's width across x, its height up y
  let last = -Infinity;
  return labels.map((label, i) => {
    if (!label) return label;
    const at = u.valToPos(splits[i], axis.scale);
    if (Math.abs(at - last) < gap) return "";
    last = at;
    return label;
  });
}
