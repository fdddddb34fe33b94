/**
 * Number and symbol formatting for the page: 4 significant digits, a real minus sign,
 * and Unicode subscripts for the lecture's names (a₁, z₂, W₃, ∂f/∂z₂).
 * Pure: no DOM.
 */

const SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉";
const MINUS = "\u2212";

/** A number for display: `digits` significant digits, U+2212 minus, NaN/∞ spelled out. */
export function formatNumber(value, digits = 4) {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "∞";
  if (value === -Infinity) return `${MINUS}∞`;
  if (value === 0) return "0";
  const abs = Math.abs(value);
  let text;
  if (abs >= 1e-3 && abs < 1e5) {
    // toPrecision then Number() drops trailing zeros ("0.5000" -> "0.5").
    text = String(Number(abs.toPrecision(digits)));
  } else {
    const [mantissa, exponent] = abs.toExponential(digits - 1).split("e");
    const exp = Number(exponent);
    text = `${String(Number(mantissa))}e${exp < 0 ? MINUS : ""}${Math.abs(exp)}`;
  }
  return value < 0 ? MINUS + text : text;
}

/** Mantissa and power of ten of a number, for writing 1.2×10⁻⁵ in MathML. */
export function splitScientific(value, digits = 4) {
  const abs = Math.abs(value);
  if (!Number.isFinite(value) || value === 0 || (abs >= 1e-3 && abs < 1e5)) return null;
  const [mantissa, exponent] = value.toExponential(digits - 1).split("e");
  return { mantissa: Number(mantissa), exponent: Number(exponent) };
}

/** "3" -> "₃": a layer index written as a subscript. */
export function subscript(n) {
  return String(n).replace(/[0-9]/g, (d) => SUBSCRIPT_DIGITS[Number(d)]).replace("-", "₋");
}

/** A graph node id as the lecture writes it: "z2" -> "z₂", "W10" -> "W₁₀", "loss" -> "f". */
export function symbolOf(id) {
  if (id === "loss") return "f";
  const match = /^([a-zA-Z]+?)(\d+)$/.exec(id);
  return match ? match[1] + subscript(match[2]) : id;
}

/** The gradient name the narration reads out: "z2" -> "∂f/∂z₂". */
export function gradSymbolOf(id) {
  return `∂f/∂${symbolOf(id)}`;
}

/** Splits "W12" into its letter and layer index ({name: "W", index: 12}); null when no index. */
export function parseId(id) {
  const match = /^([a-zA-Z]+?)(\d+)$/.exec(id);
  return match ? { name: match[1], index: Number(match[2]) } : null;
}
