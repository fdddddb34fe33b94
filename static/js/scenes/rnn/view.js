/**
 * Writing one /backprop answer into the RNN scene: the curve (chart, verdict, σ's, bound
 * legend, overflow note, data attributes for scripts and tests) and the backward walk's
 * current step (chain colours, readout, formula). `v` is the scene's view:
 * {q, box, chart, chain, preset, vanilla, perStepLoss, s} with s.norms and s.steps.
 */

import { encodeNonfinite } from "../../api.js";
import { logSlope, overflowStep, perStepBack, regimeOf, zeroStep } from "./fit.js";
import { generalFormula, stepFormula, stepSentence } from "./formula.js";
import { MAX_CELLS } from "./window.js";
import { boundLegendHtml, overflowSentence, sigmaSentence, verdictText, zeroSentence } from "./text.js";

/** The chart and the sentences beside it for `trace`, the answer to `body`. */
export function showCurve(v, trace, body) {
  const { q, box } = v;
  const norms = trace.grad_norms_h;
  const slope = logSlope(norms);
  const factor = perStepBack(slope);
  const regime = regimeOf(factor);
  const overflow = overflowStep(norms);
  v.chart.update({ norms, bound: trace.bound_h, regime, overflow });
  Object.assign(box.dataset, {
    norms: encodeNonfinite(norms), bound: encodeNonfinite(trace.bound_h ?? null),
    slope: String(slope), factor: String(factor), regime, overflowT: String(overflow),
    rho: String(body.network.recurrent_spectral_norm), activation: body.network.activation,
    steps: String(body.network.steps),
  });
  q("rnn-verdict").textContent = verdictText(factor, regime);
  box.setAttribute("aria-label", `‖∂f/∂h_t‖ against t, log scale, T = ${body.network.steps}: ${verdictText(factor, regime)}`);
  q("rnn-verdict").dataset.regime = regime;
  q("rnn-sigma").textContent = sigmaSentence(trace, v.vanilla);
  q("rnn-bound-legend").innerHTML = boundLegendHtml(trace, v.perStepLoss);
  const note = q("rnn-overflow");
  note.hidden = overflow === null;
  note.textContent = overflow === null ? "" : overflowSentence(overflow, trace);
  note.dataset.t = String(overflow);
  const zero = zeroStep(norms);
  q("rnn-zero").hidden = zero === null;
  q("rnn-zero").textContent = zero === null ? "" : zeroSentence(zero);
}

/** The walk at step t (null: idle, every step shown), playing or paused. */
export function showWalk(v, t, playing) {
  const { q, s, perStepLoss } = v;
  const { norms, steps } = s;
  if (steps === 0) return;
  // A windowed chain follows the walk so the current step is always drawn.
  if (steps > MAX_CELLS && t !== null) v.chain.draw(steps, t, perStepLoss);
  v.chain.paint(norms, t === null ? () => true : (u) => u >= t, t);
  q("rnn-anim-play").textContent = playing ? "❚❚ Pause" : "▶ Backward through time";
  q("rnn-anim-play").setAttribute("aria-pressed", String(playing));
  const readout = q("rnn-anim-readout");
  const cell = v.preset.network.cell ?? "rnn";
  if (t === null) {
    readout.textContent = `Press ▶ to walk back from t = ${steps} to t = 1.`;
    delete readout.dataset.t;
    q("rnn-formula").innerHTML = generalFormula({ cell, perStepLoss });
    return;
  }
  const step = { t, steps, cell, perStepLoss, norm: norms[t], next: t < steps ? norms[t + 1] : null };
  readout.textContent = stepSentence(step);
  readout.dataset.t = String(t);
  readout.dataset.norm = encodeNonfinite(norms[t]);
  q("rnn-formula").innerHTML = stepFormula(step);
}
