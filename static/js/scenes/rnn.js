/**
 * The RNN scene (the lecture's cyclic graphs): ‖∂f/∂h_t‖ against t on a log scale beside
 * the bound σ_max^(T−t), redrawn live while ρ = ‖W_hh‖₂, the activation b or T change; the
 * unrolled chain x_t → h_t → ŷ_t walked backwards through time; the request as JSON; and
 * the fixes' sub-panels (rnn/panels.js). Notation: h_t hidden state, z_t its
 * pre-activation, b′ the activation's derivative, W_hh the recurrent weight (the
 * lecture's V), ρ its largest singular value.
 */

import { decodeShare, encodeShare } from "../share.js";
import { createWalk } from "./rnn/backward.js";
import { createChain } from "./rnn/chain.js";
import { createChart } from "./rnn/chart.js";
import { buildPanel } from "./rnn/controls.js";
import { latestOnly } from "./rnn/latest.js";
import { mountPanels } from "./rnn/panels.js";
import { initialChoice, isVanilla, parseSteps, readChoice, requestBody, snapRho } from "./rnn/spec.js";
import { showCurve, showWalk } from "./rnn/view.js";

export function mount(root, { api, preset, share }) {
  const choice = initialChoice(preset);
  const q = buildPanel(root, choice);
  const v = {
    q, preset, box: q("rnn-chart"), chart: createChart(q("rnn-chart")),
    chain: createChain(root.querySelector(".rnn-chain-box")),
    vanilla: isVanilla(preset.network), perStepLoss: preset.network.loss === "mse_all",
    s: { trace: null, body: null, norms: [], steps: 0, panels: [], destroyed: false },
  };
  const walk = createWalk((t, playing) => showWalk(v, t, playing));
  const requests = latestOnly((body) => api.backprop(body),
    (trace, body, settled) => answered(v, walk, trace, body, settled),
    (err, body, settled) => refused(v, err, settled));
  const recompute = () => {
    v.box.dataset.state = "busy";
    const body = requestBody(preset, choice);
    requests.request(body, body);
  };
  // A link's setup goes into the URL when a control is let go (not on every pixel of a drag).
  const publish = () => encodeShare({ ...choice }).then((text) => text && share?.set(text));
  wireControls(q, choice, recompute, v.vanilla);
  q("rnn-controls").addEventListener("change", publish);
  wireWalk(q, walk);
  wireCopy(q);
  restore(q, share?.initial, preset, choice).then(recompute);
  mountPanels(q("rnn-panels"), { api, preset }).then((handles) => {
    v.s.panels = handles;
    if (v.s.destroyed) handles.forEach((h) => h.destroy?.());
    else if (v.s.trace) handles.forEach((h) => h.update?.(v.s.body.network, v.s.trace));
  });
  return {
    destroy() {
      v.s.destroyed = true;
      walk.destroy();
      v.chart.destroy();
      v.s.panels.forEach((h) => h.destroy?.());
      root.replaceChildren();
    },
  };
}

/** One answer shown: the curve, the chain (redrawn for a new T), the body, the sub-panels. */
function answered(v, walk, trace, body, settled) {
  const { q, s } = v;
  if (s.destroyed) return;
  Object.assign(s, { trace, body, norms: trace.grad_norms_h });
  q("rnn-error").hidden = true;
  showCurve(v, trace, body);
  const steps = body.network.steps;
  if (steps !== s.steps) {
    s.steps = steps;
    v.chain.draw(steps, steps, v.perStepLoss);
    walk.reset(steps);
  } else {
    showWalk(v, walk.t, walk.playing);
  }
  q("rnn-body").textContent = JSON.stringify(body);
  for (const panel of s.panels) panel.update?.(body.network, trace);
  v.box.dataset.state = settled ? "ready" : "busy";
}

function refused(v, err, settled) {
  if (v.s.destroyed) return;
  v.q("rnn-error").hidden = false;
  v.q("rnn-error").textContent = `The server refused this setting: ${err.message}`;
  v.box.dataset.state = settled ? "error" : "busy";
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
      setTimeout(() => { button.textContent = "Copy JSON"; }, 2000);
    } catch {
      // No clipboard permission (e.g. an embedded page): the text stays selectable below.
      button.textContent = "Select the text below";
    }
  });
}
