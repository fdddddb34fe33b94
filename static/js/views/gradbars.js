/**
 * Per-layer gradient magnitudes ‖∂f/∂W_i‖ (Frobenius norm) as horizontal bars on a log
 * scale, so a vanishing gradient (deep sigmoid) is visible as bars shrinking towards the
 * input. A bar appears when the backward pass has computed that ∂f/∂W_i.
 * data-testid grad-bar-W<i> carries data-norm with the full-precision norm.
 */

import { formatNumber, symbolOf } from "../format.js";

/** ‖g‖ over all entries of a nested array. */
export function frobenius(g) {
  const flat = Array.isArray(g) ? g.flat(Infinity) : [g];
  return Math.sqrt(flat.reduce((s, v) => s + v * v, 0));
}

/** Bar lengths in [0, 1] on a log scale spanning the norms (at least 1 decade). */
export function logFractions(norms) {
  const logs = norms.map((n) => (n > 0 && Number.isFinite(n) ? Math.log10(n) : null));
  const finite = logs.filter((l) => l !== null);
  if (!finite.length) return norms.map(() => 0);
  const hi = Math.ceil(Math.max(...finite));
  const lo = Math.min(Math.floor(Math.min(...finite)), hi - 1) - 0.5;
  return logs.map((l) => (l === null ? 0 : (l - lo) / (hi - lo)));
}

export class GradBarsView {
  constructor(root) {
    this.root = root;
    this.list = root.querySelector("[data-role=bars]");
  }

  /** Draws one row per W_i of the trace (empty until its gradient is revealed). */
  update(trace, revealedGrads) {
    const names = Object.keys(trace.param_grads ?? {}).filter((n) => /^W\d+$/.test(n));
    this.root.hidden = names.length === 0; // e.g. an RNN: its own views chart its gradients
    const norms = names.map((n) => frobenius(trace.param_grads[n]));
    const shown = names.map((n) => revealedGrads.has(n));
    const fractions = logFractions(norms.filter((_, i) => shown[i]));
    let f = 0;
    const rows = names.map((name, i) => {
      const row = document.createElement("li");
      row.setAttribute("data-testid", `grad-bar-${name}`);
      const label = document.createElement("span");
      label.className = "bar-label";
      label.textContent = `‖∂f/∂${symbolOf(name)}‖`;
      const track = document.createElement("span");
      track.className = "bar-track";
      const bar = document.createElement("span");
      bar.className = "bar";
      const value = document.createElement("span");
      value.className = "bar-value";
      if (shown[i]) {
        row.dataset.norm = String(norms[i]);
        bar.style.width = `${Math.max(2, 100 * fractions[f++])}%`;
        value.textContent = formatNumber(norms[i], 3);
      } else {
        value.textContent = "·";
      }
      track.append(bar);
      row.append(label, track, value);
      return row;
    });
    this.list.replaceChildren(...rows);
  }
}
