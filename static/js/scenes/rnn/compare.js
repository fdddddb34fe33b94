/**
 * RNN vs LSTM on the same sequence: ‖∂f/∂h_t‖ of each against t, on one shared log y-range
 * (the decades that hold both curves and the RNN's bound), so the two slopes compare by eye.
 * The scene's network is the LSTM; preset.compare is the plain RNN it is set against.
 * Why they differ: the LSTM's cell state c_t = f ⊙ c_{t−1} + i ⊙ g passes its gradient
 * back through the forget gate f (∂c_t/∂c_{t−1} = diag(f)), not through W_hh and a
 * squashing derivative at every step.
 */

import { formatNumber } from "../../format.js";
import { createChart, sharedRange } from "./chart.js";
import { latestOnly } from "./latest.js";
import { logSlope, overflowStep, perStepBack, regimeOf } from "./fit.js";
import { bodyFor } from "./fixes/body.js";

export function mount(root, { api, preset }) {
  root.innerHTML = `<h3>Fix 3: the LSTM's gradient path</h3>
    <p class="fix-rule">c<sub>t</sub> = f ⊙ c<sub>t−1</sub> + i ⊙ g: back through time the gradient of c
      is multiplied by the forget gate f, not by W_hhᵀ and b′(z) at each step.</p>
    <div class="compare-pair">
      <figure data-testid="compare-rnn"><figcaption>plain RNN (${preset.compare.activation}, ρ = ${preset.compare.recurrent_spectral_norm ?? "as drawn"})</figcaption><div class="compare-chart"></div><p class="compare-note"></p></figure>
      <figure data-testid="compare-lstm"><figcaption>LSTM</figcaption><div class="compare-chart"></div><p class="compare-note"></p></figure>
    </div>`;
  const [rnnFig, lstmFig] = root.querySelectorAll("figure");
  const charts = [rnnFig, lstmFig].map((fig) => createChart(fig.querySelector(".compare-chart")));
  // What each chart draws; the y-range is set from both, again whenever either changes.
  const curves = { rnn: [], lstm: [] };
  const share = () => charts.forEach((c) => c.setRange(sharedRange(...curves.rnn, ...curves.lstm)));
  let destroyed = false;
  const rnnRequests = latestOnly((body) => api.backprop(body),
    (answer) => {
      if (destroyed) return;
      curves.rnn = [answer.grad_norms_h, answer.bound_h ?? []];
      showCurve(rnnFig, charts[0], answer, true);
      share();
    },
    (err) => { if (!destroyed) rnnFig.querySelector(".compare-note").textContent = err.message; });
  return {
    update(network, trace) {
      curves.lstm = [trace.grad_norms_h];
      showCurve(lstmFig, charts[1], trace, false);
      share();
      const rnn = { ...preset.compare, steps: network.steps };
      rnnRequests.request(rnn, bodyFor(preset, rnn));
    },
    destroy() {
      destroyed = true;
      charts.forEach((c) => c.destroy());
      root.replaceChildren();
    },
  };
}

function showCurve(fig, chart, trace, withBound) {
  const norms = trace.grad_norms_h;
  const factor = perStepBack(logSlope(norms));
  const regime = regimeOf(factor);
  chart.update({ norms, bound: withBound ? trace.bound_h : null, regime, overflow: overflowStep(norms) });
  const first = norms[1];
  const last = norms[norms.length - 1];
  Object.assign(fig.dataset, { norms: JSON.stringify(norms), factor: String(factor), regime });
  let note = `‖∂f/∂h₁‖ / ‖∂f/∂h_T‖ = ${formatNumber(first / last)}; per step back ×${formatNumber(factor, 3)} (${regime})`;
  if (trace.grad_norms_c) {
    const c = trace.grad_norms_c;
    note += `; cell state: ‖∂f/∂c₁‖ / ‖∂f/∂c_T‖ = ${formatNumber(c[1] / c[c.length - 1])}`;
  }
  fig.querySelector(".compare-note").textContent = note;
}
