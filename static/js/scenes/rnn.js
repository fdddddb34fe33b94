/**
 * The RNN scene (the lecture's cyclic graphs): ‖∂f/∂h_t‖ against t on a log scale beside
 * the bound σ_max^(T−t), redrawn live while ρ = ‖W_hh‖₂, the activation b or T change; the
 * unrolled chain x_t → h_t → ŷ_t walked backwards through time; the request as JSON; and
 * the fixes' sub-panels (rnn/panels.js). Notation: h_t hidden state, z_t its
 * pre-activation, b′ the activation's derivative, W_hh the recurrent weight (the
 * lecture's V), ρ its largest singular value.
 */

import { encodeNonfinite } from "../api.js";
import { decodeShare, encodeShare } from "../share.js";
import { createWalk } from "./rnn/backward.js";
import { createChain } from "./rnn/chain.js";
import { createChart } from "./rnn/chart.js";
import { buildPanel } from "./rnn/controls.js";
import { logSlope, overflowStep, perStepBack, regimeOf } from "./rnn/fit.js";
import { generalFormula, stepFormula, stepSentence } from "./rnn/formula.js";
import { latestOnly } from "./rnn/latest.js";
import { mountPanels } from "./rnn/panels.js";
import { initialChoice, isVanilla, parseSteps, readChoice, requestBody, snapRho } from "./rnn/spec.js";
import { boundLegendHtml, overflowSentence, sigmaSentence, verdictText } from "./rnn/text.js";

export function mount(root, { api, preset, share }) {
  const choice = initialChoice(preset);
  const vanilla = isVanilla(preset.network);
  const perStepLoss = preset.network.loss === "mse_all";
  const q = buildPanel(root, choice);
  const box = q("rnn-chart");
  const chart = createChart(box);
  const chain = createChain(root.querySelector(".rnn-chain-box"));
  const s = { trace: null, body: null, norms: [], steps: 0, panels: [], destroyed: false };

  function showWalk(t, playing) {
    const { norms, steps } = s;
    if (steps === 0) return;
    if (steps > 40 && t !== null) chain.draw(steps, t, perStepLoss);
    chain.paint(norms, t === null ? () => true : (u) => u >= t, t);
    q("rnn-anim-play").textContent = playing ? "❚❚ Pause" : "▶ Backward through time";
    q("rnn-anim-play").setAttribute("aria-pressed", String(playing));
    const readout = q("rnn-anim-readout");
    const cell = preset.network.cell ?? "rnn";
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

  const walk = createWalk(showWalk);

  function describe(trace, body) {
    const norms = trace.grad_norms_h;
    const slope = logSlope(norms);
    const factor = perStepBack(slope);
    const regime = regimeOf(factor);
    const overflow = overflowStep(norms);
    chart.update({ norms, bound: trace.bound_h, regime, overflow });
    Object.assign(box.dataset, {
      norms: encodeNonfinite(norms), bound: encodeNonfinite(trace.bound_h ?? null),
      slope: String(slope), factor: String(factor), regime, overflowT: String(overflow),
      rho: String(body.network.recurrent_spectral_norm), activation: body.network.activation,
      steps: String(body.network.steps),
    });
    q("rnn-verdict").textContent = verdictText(factor, regime);
    q("rnn-verdict").dataset.regime = regime;
    q("rnn-sigma").textContent = sigmaSentence(trace, vanilla);
    q("rnn-bound-legend").innerHTML = boundLegendHtml(trace, perStepLoss);
    const overflowBox = q("rnn-overflow");
    overflowBox.hidden = overflow === null;
    overflowBox.textContent = overflow === null ? "" : overflowSentence(overflow, trace);
    overflowBox.dataset.t = String(overflow);
  }

  function onAnswer(trace, body, settled) {
    if (s.destroyed) return;
    Object.assign(s, { trace, body, norms: trace.grad_norms_h });
    q("rnn-error").hidden = true;
    describe(trace, body);
    const steps = body.network.steps;
    if (steps !== s.steps) {
      s.steps = steps;
      chain.draw(steps, steps, perStepLoss);
      walk.reset(steps);
    } else {
      showWalk(walk.t, walk.playing);
    }
    q("rnn-body").textContent = JSON.stringify(body);
    for (const panel of s.panels) panel.update?.(body.network, trace);
    box.dataset.state = settled ? "ready" : "busy";
  }

  function onError(err, body, settled) {
    if (s.destroyed) return;
    q("rnn-error").hidden = false;
    q("rnn-error").textContent = `The server refused this setting: ${err.message}`;
    box.dataset.state = settled ? "error" : "busy";
  }

  const requests = latestOnly((body) => api.backprop(body), onAnswer, onError);
  const recompute = () => {
    box.dataset.state = "busy";
    const body = requestBody(preset, choice);
    requests.request(body, body);
  };
  // A link's setup goes into the URL when a control is let go (not on every pixel of a drag).
  const publish = () => encodeShare({ ...choice }).then((text) => text && share?.set(text));
  wireControls(q, choice, recompute, vanilla);
  q("rnn-controls").addEventListener("change", publish);
  wireWalk(q, walk);
  wireCopy(q);
  restore(q, share?.initial, preset, choice).then(recompute);
  mountPanels(q("rnn-panels"), { api, preset }).then((handles) => {
    s.panels = handles;
    if (s.destroyed) handles.forEach((h) => h.destroy?.());
    else if (s.trace) handles.forEach((h) => h.update?.(s.body.network, s.trace));
  });

  return {
    destroy() {
      s.destroyed = true;
      walk.destroy();
      chart.destroy();
      s.panels.forEach((h) => h.destroy?.());
      root.replaceChildren();
    },
  };
}

/** Applies a shared link's setup (if any) to `choice` and the controls. */
async function restore(q, text, preset, choice) {
  if (!text) return;
  const shared = await decodeShare(text);
  if (shared.error) {
    q("rnn-error").hidden = false;
    q("rnn-error").textContent = `This link's setup could not be read: ${shared.error}. Showing the scene's own.`;
    return;
  }
  Object.assign(choice, readChoice(shared.setup, preset));
  q("rnn-rho").value = String(choice.rho);
  q("rnn-rho-value").textContent = choice.rho.toFixed(2);
  q("rnn-activation").value = choice.activation;
  q("rnn-steps").value = String(choice.steps);
  q("rnn-steps-value").value = String(choice.steps);
}

function wireControls(q, choice, recompute, vanilla) {
  const rho = q("rnn-rho");
  rho.addEventListener("input", () => {
    choice.rho = snapRho(Number(rho.value));
    q("rnn-rho-value").textContent = choice.rho.toFixed(2);
    recompute();
  });
  q("rnn-activation").addEventListener("change", (e) => {
    choice.activation = e.target.value;
    recompute();
  });
  const steps = q("rnn-steps");
  const typed = q("rnn-steps-value");
  steps.addEventListener("input", () => {
    choice.steps = Number(steps.value);
    typed.value = String(choice.steps);
    recompute();
  });
  typed.addEventListener("input", () => {
    const value = parseSteps(typed.value);
    typed.setAttribute("aria-invalid", String(value === null));
    if (value === null || value === choice.steps) return;
    choice.steps = value;
    steps.value = String(value);
    recompute();
  });
  if (!vanilla) {
    rho.disabled = true;
    q("rnn-activation").disabled = true;
    q("rnn-rho-value").textContent = "—";
    const note = q("rnn-note");
    note.hidden = false;
    note.textContent = "ρ and b set the plain RNN cell. The LSTM's gates are fixed (sigmoid, tanh), "
      + "and its gradient runs back through the cell state c_t, scaled by the forget gate — "
      + "compare the plain RNN below. T still applies.";
  }
}

function wireWalk(q, walk) {
  q("rnn-anim-play").addEventListener("click", () => (walk.playing ? walk.pause() : walk.play()));
  q("rnn-anim-step").addEventListener("click", () => walk.step());
  q("rnn-anim-reset").addEventListener("click", () => walk.reset(walkSteps(q)));
}

const walkSteps = (q) => Number(q("rnn-chart").dataset.steps);

function wireCopy(q) {
  const button = q("rnn-copy-body");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(q("rnn-body").textContent);
      button.textContent = "Copied";
    } catch {
      // No clipboard permission (e.g. an embedded page): the text stays selectable below.
      button.textContent = "Select the text below";
    }
  });
}
