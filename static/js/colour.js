/**
 * The diverging colour scale: negative = blue, 0 = near-white, positive = orange
 * (ColorBrewer's colour-blind-safe blue/orange ramp), clamped symmetrically around 0 so a
 * value and its negation get mirror colours. Pure: no DOM.
 */

import { COLOURS } from "./config.js";

function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function rgbToHex(rgb) {
  return "#" + rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("");
}

const STOPS = COLOURS.diverging.map(hexToRgb);

/** Position in [−1, 1] of `value` on a scale symmetric around 0 with half-width `maxAbs`. */
export function normalise(value, maxAbs) {
  if (Number.isNaN(value)) return NaN;
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) {
    return value === 0 ? 0 : Math.sign(value);
  }
  return Math.max(-1, Math.min(1, value / maxAbs));
}

/** The colour of `value` as "#rrggbb"; NaN gets the scale's "invalid" colour. */
export function divergingColour(value, maxAbs) {
  const t = normalise(value, maxAbs);
  if (Number.isNaN(t)) return COLOURS.invalid;
  // STOPS are evenly spaced over [−1, 1]; interpolate between the two neighbours.
  const pos = ((t + 1) / 2) * (STOPS.length - 1);
  const lo = Math.min(Math.floor(pos), STOPS.length - 2);
  const frac = pos - lo;
  return rgbToHex(STOPS[lo].map((c, i) => c + (STOPS[lo + 1][i] - c) * frac));
}

/** The sign colour of an edge (weight): blue for negative, orange for positive. */
export function signColour(value) {
  if (Number.isNaN(value)) return COLOURS.invalid;
  return value < 0 ? COLOURS.negative : COLOURS.positive;
}

/** Text colour that stays readable on top of `hex` (black on light, white on dark). */
export function textOn(hex) {
  const [r, g, b] = hexToRgb(hex);
  const luminance = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
  return luminance > 0.55 ? "#111111" : "#ffffff";
}

/** The largest finite |x| over arrays (nested lists), 0 when there is none. */
export function maxAbs(...arrays) {
  let best = 0;
  const visit = (x) => {
    if (Array.isArray(x)) x.forEach(visit);
    else if (typeof x === "number" && Number.isFinite(x)) best = Math.max(best, Math.abs(x));
  };
  arrays.forEach(visit);
  return best;
}

// Classes of a dataset: Okabe–Ito hues (told apart with every common colour-vision
// deficiency), each with its own marker shape so class is never carried by colour alone.
export const CLASS_HUES = Object.freeze(["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]);
export const CLASS_SHAPES = Object.freeze(["circle", "square", "triangle", "diamond", "triangle-down", "cross"]);
// Points are drawn darkened and the regions under them washed out towards white, so a
// point keeps a contrast of at least 3:1 on its own class's region (tests/js/palette.test.js).
export const POINT_DARKEN = 0.4;
export const REGION_WASH = 0.65;

/** `hex` moved a fraction `t` of the way to `other`, as "#rrggbb". */
export function mix(hex, other, t) {
  const [a, b] = [hexToRgb(hex), hexToRgb(other)];
  return rgbToHex(a.map((c, i) => c + (b[i] - c) * t));
}

/** The fill of class `k`'s points. */
export function classFill(k) {
  return mix(CLASS_HUES[k % CLASS_HUES.length], "#000000", POINT_DARKEN);
}

/** The marker shape of class `k`. */
export function classShape(k) {
  return CLASS_SHAPES[k % CLASS_SHAPES.length];
}

/** The background of the region the net assigns to class `k` (several classes). */
export function classRegion(k) {
  return mix(CLASS_HUES[k % CLASS_HUES.length], "#ffffff", REGION_WASH);
}

/** The two-class boundary: the diverging scale of the margin, washed out under the points. */
export function boundaryWash(margin) {
  const c = divergingColour(margin, 0.5);
  return c === COLOURS.invalid ? c : mix(c, "#ffffff", REGION_WASH);
}
