/**
 * The RNN scene (the lecture's cyclic graphs): ‖∂f/∂h_t‖ against t on a log scale beside
 * the bound σ_max^(T−t), redrawn live while ρ = ‖W_hh‖₂, the activation b or T change; the
 * unrolled chain x_t → h_t → ŷ_t walked backwards through time; the request as JSON; and
 * the fixes' sub-panels (rnn/panels.js). Notation: h_t hidden state, z_t its
 * pre-activation, b′ the activation's derivative, W_hh the recurrent weight (the
 * lecture's V), ρ its largest singular value.
 *
 * The scene is a view of the store: every setting it shows (rnn/setup.js) is the store's
 * state.scene, read through accessors (bindScene) and written with setScene. A control's
 * handler only writes the store; the store's change redraws the controls and asks the API
 * again, whether it came from a control, a link or a restored snapshot.
 */

import { bindScene } from "../store.js";
import { createWalk } from "./rnn/backward.js";
import { createChain } from "./rnn/chain.js";
import { createChart } from "./rnn/chart.js";
import { buildPanel, showSettings } from "./rnn/controls.js";
import { latestOnly } from "./rnn/latest.js";
import { mountPanels } from "./rnn/panels.js";
import { fitWalk, openingScene } from "./rnn/setup.js";
import { isVanilla, parseSteps, requestBody, snapRho } from "./rnn/spec.js";
import { showCurve, showWalk } from "./rnn/view.js";

// The settings this module reads and writes; the fixes' panels bind their own.
const KEYS = ["rho", "activation", "steps", "t"];
// The settings the chart's request is made of.
const CURVE_KEYS = ["rho", "activation", "steps"];

export function mount(root, ctx) {
  const { api, preset, store } = ctx;
  const { scene, notice } = openingScene(store.state.scene, preset, ctx.linkError);
  store.update({ scene });
  const set = bindScene({}, store, KEYS);
  const q = buildPanel(root, scene);
  const v = {
    q, preset, set, box: q("rnn-chart"), chart: createChart(q("rnn-chart")),
    chain: createChain(root.querySelector(".rnn-chain-box")),
    vanilla: isVanilla(preset.network), perStepLoss: preset.network.loss === "mse_all",
    s: { trace: null, body: null, norms: [], steps: 0, panels: [], destroyed: false, notice },
  };
  const walk = createWalk((t, playing) => walked(v, store, t, playing));
  const requests = latestOnly((body) => api.backprop(body),
    (trace, body, settled) => answered(v, walk, trace, body, settled),
    (err, body, settled) => refused(v, err, settled));
  const recompute = () => {
    v.box.dataset.state = "busy";
    const body = requestBody(preset, set);
    requests.request(body, body);
  };
  showSettings(q, scene, v.vanilla);
  showNotice(v);
  wireControls(v, store);
  wireWalk(v, walk);
  wireCopy(q);
  const unsubscribe = store.subscribe((state, previous) => followStore(v, walk, recompute, state.scene, previous.scene));
  recompute();
  mountPanels(q("rnn-panels"), { api, preset, store }).then((handles) => {
    v.s.panels = handles;
    if (v.s.destroyed) handles.forEach((h) => h.destroy?.());
    else if (v.s.trace) handles.forEach((h) => h.update?.(v.s.body.network, v.s.trace));
  });
  return {
    destroy() {
      unsubscribe();
      v.s.destroyed = true;
      walk.destroy();
      v.chart.destroy();
      v.s.panels.forEach((h) => h.destroy?.());
      root.replaceChildren();
    },
  };
}

/** A change of the store's settings, from a control or from outside: redraw what it changed. */
function followStore(v, walk, recompute, scene, before) {
  // Null while the page swaps scenes (a restore clears it before this scene is destroyed).
  if (!scene || scene === before) return;
  showSettings(v.q, scene, v.vanilla);
  if (CURVE_KEYS.some((key) => scene[key] !== before?.[key])) recompute();
  // Before the first answer T is not drawn yet; answered() then places the walk.
  if (scene.t !== before?.t && scene.t !== walk.t && v.s.steps > 0) walk.goTo(fitWalk(scene.t, v.s.steps));
}

/** The walk drawn at t; where it stands goes into the store once it stops (not every frame). */
function walked(v, store, t, playing) {
  showWalk(v, t, playing);
  if (!playing && !v.s.destroyed && store.state.scene && v.set.t !== t) v.set.t = t;
}

/** One answer shown: the curve, the chain (redrawn for a new T), the body, the sub-panels. */
function answered(v, walk, trace, body, settled) {
  const { q, s } = v;
  if (s.destroyed) return;
  Object.assign(s, { trace, body, norms: trace.grad_norms_h });
  showNotice(v);
  showCurve(v, trace, body);
  const steps = body.network.steps;
  if (steps !== s.steps) {
    s.steps = steps;
    v.chain.draw(steps, steps, v.perStepLoss);
    walk.reset(steps, fitWalk(v.set.t, steps));
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

/** Why the scene shows its own settings instead of the link's (kept until the user edits one). */
function showNotice({ q, s }) {
  q("rnn-error").hidden = s.notice === null;
  q("rnn-error").textContent = s.notice ?? "";
}

/** Each handler writes the store, nothing else: followStore() redraws and asks again. */
function wireControls(v, store) {
  const { q, set } = v;
  const edited = () => { v.s.notice = null; };
  const rho = q("rnn-rho");
  rho.addEventListener("input", () => { edited(); set.rho = snapRho(Number(rho.value)); });
  q("rnn-activation").addEventListener("change", (e) => { edited(); set.activation = e.target.value; });
  // A new T starts the walk again from idle, as the chain is drawn anew.
  const steps = q("rnn-steps");
  steps.addEventListener("input", () => { edited(); store.setScene({ steps: Number(steps.value), t: null }); });
  const typed = q("rnn-steps-value");
  typed.addEventListener("input", () => {
    const value = parseSteps(typed.value);
    typed.setAttribute("aria-invalid", String(value === null));
    if (value === null || value === set.steps) return;
    edited();
    store.setScene({ steps: value, t: null });
  });
  if (!v.vanilla) disableCell(q);
}

function disableCell(q) {
  q("rnn-rho").disabled = true;
  q("rnn-activation").disabled = true;
  const note = q("rnn-note");
  note.hidden = false;
  note.textContent = "ρ and b set the plain RNN cell. The LSTM's gates are fixed (sigmoid, tanh), "
    + "and its gradient runs back through the cell state c_t, scaled by the forget gate — "
    + "compare the plain RNN below. T still applies.";
}

function wireWalk({ q, s }, walk) {
  // Nothing to walk until the first answer has drawn the chain.
  const drawn = (act) => () => { if (s.steps > 0) act(); };
  q("rnn-anim-play").addEventListener("click", drawn(() => (walk.playing ? walk.pause() : walk.play())));
  q("rnn-anim-step").addEventListener("click", drawn(() => walk.step()));
  q("rnn-anim-reset").addEventListener("click", drawn(() => walk.goTo(null)));
}

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
