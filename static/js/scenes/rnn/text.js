/**
 * The sentences beside the chart: the verdict (per-step growth factor and its regime), the
 * singular values of W_hh, the bound's legend and the overflow note. Pure: strings only.
 */

import { formatNumber, subscript } from "../../format.js";

const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

/** "10⁻⁵" for −5: an axis decade written the way the lecture writes powers. */
export function decadeLabel(k) {
  return `10${String(k).replace(/[-0-9]/g, (c) => SUPERSCRIPT[c])}`;
}

/** "per step back: ×0.5 — vanishing". */
export function verdictText(factor, regime) {
  if (regime === "unknown") return "No finite, non-zero gradient to fit a slope to.";
  const words = { vanishing: "vanishing", exploding: "exploding", steady: "steady (neither)" };
  return `per step back: ×${formatNumber(factor, 3)} — ${words[regime]}`;
}

/** σ_max and σ_min of W_hh with the activation's derivative bound γ = max b′. */
export function sigmaSentence(trace, vanilla) {
  if (!vanilla) {
    return "LSTM: the gradient runs through the cell state c_t, scaled by the forget gate f_t each step back.";
  }
  const gamma = trace.derivative_bound ?? 1;
  const smax = formatNumber(trace.sigma_max, 3);
  const smin = formatNumber(trace.sigma_min, 3);
  const bound = formatNumber(gamma * trace.sigma_max, 3);
  return `σ_max(W_hh) = ${smax}, σ_min = ${smin}; max b′ = ${formatNumber(gamma, 3)}, `
    + `so each step back multiplies the bound by at most ${bound}.`;
}

/** The dashed line's meaning (HTML; static text only): ‖∂f/∂h_T‖·(γ σ_max)^(T−t), or its sum. */
export function boundLegendHtml(trace, perStepLoss) {
  if (trace.bound_h == null) return "(no bound drawn for the LSTM)";
  const factor = "(max b′ · σ<sub>max</sub>)";
  return perStepLoss
    ? `bound Σ<sub>s ≥ t</sub> ${factor}<sup>s−t</sup> ‖W<sub>out</sub><sup>T</sup> ∂f/∂ŷ<sub>s</sub>‖`
    : `bound ‖∂f/∂h<sub>T</sub>‖ · ${factor}<sup>T−t</sup>`;
}

/** Where the backward sweep overflowed float64, naming the step (and the node, if the API did). */
export function overflowSentence(t, trace) {
  const forward = trace.first_nonfinite_value
    ? ` The forward pass had already overflowed at ${trace.first_nonfinite_value}: h_t grows like ρ^t too.`
    : "";
  return `Overflow at t = ${t}: walking back from t = T, the API reports ‖∂f/∂h${subscript(t)}‖ = `
    + `${formatNumber(trace.grad_norms_h[t])} (float64 stops at ${formatNumber(Number.MAX_VALUE, 2)}). From t = ${t} back to t = 0 a log scale `
    + `has no point to draw (shaded).${forward}`;
}

/** Why the curve stops short of t = 0 on the vanishing side. */
export function zeroSentence(t) {
  return `At t = ${t}, ‖∂f/∂h${subscript(t)}‖ is exactly 0 (below float64's smallest number, or every `
    + "ReLU unit off): a log scale has no point there, so the curve stops.";
}
