/**
 * Builders for native MathML markup (strings), so formulas need no MathJax and no network.
 * Pure: string in, string out; the formula view puts the result into a <math> element.
 * Vectors are written as columns (the lecture's convention); large arrays are truncated
 * with ⋮ / ⋯ / ⋱ following MATRIX in config.js.
 */

import { MATRIX } from "./config.js";
import { formatNumber, splitScientific, parseId } from "./format.js";

const escapeText = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export const mi = (s) => `<mi>${escapeText(s)}</mi>`;
export const mo = (s, attrs = "") => `<mo${attrs ? " " + attrs : ""}>${escapeText(s)}</mo>`;
export const mtext = (s) => `<mtext>${escapeText(s)}</mtext>`;
export const mrow = (...parts) => `<mrow>${parts.join("")}</mrow>`;
export const msub = (base, sub) => `<msub>${base}${sub}</msub>`;
export const msup = (base, sup) => `<msup>${base}${sup}</msup>`;
export const mfrac = (num, den) => `<mfrac>${num}${den}</mfrac>`;
export const mspace = (em = 0.5) => `<mspace width="${em}em"></mspace>`;

/** A number: 4 significant digits, small and large ones as m×10ⁿ. */
export function mn(value, digits = MATRIX.digits) {
  const sci = splitScientific(value, digits);
  if (!sci) return `<mn>${escapeText(formatNumber(value, digits))}</mn>`;
  const mantissa = `<mn>${escapeText(formatNumber(sci.mantissa, digits))}</mn>`;
  return mrow(mantissa, mo("×"), msup("<mn>10</mn>", `<mn>${escapeText(formatNumber(sci.exponent))}</mn>`));
}

/** A lecture symbol from a node id: "z2" -> z₂ (msub), "loss" -> f, "W10" -> W₁₀. */
export function sym(id, sup = "") {
  if (id === "loss") return mi("f");
  const parsed = parseId(id);
  if (!parsed) return sup ? msup(mi(id), sup) : mi(id);
  const index = `<mn>${parsed.index}</mn>`;
  // msubsup stacks the layer index and the (k) or ᵀ above it, as in print.
  return sup ? `<msubsup>${mi(parsed.name)}${index}${sup}</msubsup>` : msub(mi(parsed.name), index);
}

/** ∂f/∂(symbol) as a fraction. */
export function dfd(symbolMarkup) {
  return mfrac(mrow(mi("∂"), mi("f")), mrow(mi("∂"), symbolMarkup));
}

/** Rows/columns to show: all of them, or the first ones, an ellipsis (null), the last. */
export function truncatedIndices(n, max) {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: max - 2 }, (_, i) => i), null, n - 1];
}

// Brackets are drawn by CSS (mtable.bracket) rather than stretchy <mo>: stretching needs
// an OpenType MATH font, which a classroom PC may lack; a border never does.
function bracketed(body) {
  return `<mtable class="bracket">${body}</mtable>`;
}

/**
 * The power of ten to factor out of an array's entries when they are all tiny or huge
 * (so the cells read 6.696 rather than 6.696×10⁻⁵), or 0 when none is needed.
 */
export function commonExponent(values) {
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  if (finite.length < 2) return 0;
  const top = Math.max(...finite);
  if (top >= 1e-2 && top < 1e4) return 0;
  return Math.floor(Math.log10(top));
}

/** A 2-D array as a bracketed matrix, truncated with ⋮ ⋯ ⋱ beyond MATRIX limits. */
export function matrix(rows, { maxRows = MATRIX.maxRows, maxCols = MATRIX.maxCols } = {}) {
  const ri = truncatedIndices(rows.length, maxRows);
  const ci = truncatedIndices(rows[0]?.length ?? 0, maxCols);
  const shown = ri.flatMap((r) => (r === null ? [] : ci.filter((c) => c !== null).map((c) => rows[r][c])));
  const exponent = commonExponent(shown);
  const scale = 10 ** exponent;
  const cell = (r, c) => {
    if (r === null && c === null) return mo("⋱");
    if (r === null) return mo("⋮");
    if (c === null) return mo("⋯");
    return mn(exponent ? rows[r][c] / scale : rows[r][c]);
  };
  const body = ri.map((r) => `<mtr>${ci.map((c) => `<mtd>${cell(r, c)}</mtd>`).join("")}</mtr>`).join("");
  if (!exponent) return bracketed(body);
  return mrow(msup(mn(10), mn(exponent)), mo("×"), bracketed(body));
}

/** A 1-D array as a column vector; a single number is written plainly. */
export function vector(values, options = {}) {
  if (values.length === 1) return mn(values[0]);
  return matrix(values.map((v) => [v]), { ...options, maxCols: 1 });
}

/** A row vector (a transposed column). */
export function rowVector(values, options = {}) {
  if (values.length === 1) return mn(values[0]);
  return matrix([values], { ...options, maxRows: 1 });
}

/** Any array from the API: scalar, vector (column) or matrix. */
export function array(value) {
  if (!Array.isArray(value)) return mn(value);
  if (Array.isArray(value[0]?.[0])) return mtext(`(array of ${value.length} × ${value[0].length} × ${value[0][0].length} numbers)`);
  if (!Array.isArray(value[0])) return vector(value);
  if (value.length === 1 && value[0].length === 1) return mn(value[0][0]);
  return matrix(value);
}

/** Wraps markup in a display-mode <math> element (with a class for the page's CSS, if given). */
export function math(body, className = "") {
  return `<math${className ? ` class="${className}"` : ""}>${mrow(body)}</math>`;
}
