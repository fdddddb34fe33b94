/**
 * "Why backprop?" (the lecture's eq. (1)–(2) and its conclusion): nudge one weight, or a
 * whole matrix along its gradient, by δ and compare the change of f with the first-order
 * prediction ⟨∂f/∂W, δ⟩; sweep δ to see the remainder shrink like δ²; check every
 * gradient against central finite differences; and measure what finite differences cost.
 *
 * The scene is a view of the store: its settings (nudge/settings.js: the parameter, the
 * entry, one entry or the whole array, log δ, −δ, the check's ε) are state.scene, read
 * through bindScene accessors. A control's handler only writes the store; the store's change
 * redraws the controls and asks the API again, wherever it came from.
 */

import { bindScene } from "../store.js";
import { latestOnly } from "./rnn/latest.js";
import { showCost } from "./nudge/cost.js";
import { showGradcheck } from "./nudge/gradcheck.js";
import { nudgeFields } from "./nudge/request.js";
import { firstIndex, openingScene } from "./nudge/settings.js";
import { drawSweep, sweepAnswers } from "./nudge/sweepchart.js";
import { buildPanel, drawGrid, showNotice, showNudge, showSettings } from "./nudge/view.js";

const KEYS = ["param", "index", "what", "logDelta", "negative", "eps"];
// The settings a /nudge request is made of (eps is the gradient check's alone).
const NUDGE_KEYS = ["param", "index", "what", "logDelta", "negative"];

export function mount(root, ctx) {
  const { api, preset, store } = ctx;
  const { scene, notice } = openingScene(store.state.scene, preset, ctx.linkError);
  store.update({ scene });
  const v = {
    q: buildPanel(root, Object.keys(preset.network.params)), preset, store, set: bindScene({}, store, KEYS),
    body: { network: preset.network, x: preset.x, y: preset.y }, grad: null, plot: null, destroyed: false,
  };
  v.nudges = latestOnly((fields) => api.nudge({ ...v.body, ...fields }),
    (r, fields) => !v.destroyed && showNudge(v.q, r, fields), (err) => { v.q("nudge-result").textContent = err.message; });
  v.checks = latestOnly((eps) => api.gradcheck({ ...v.body, eps }),
    (r) => !v.destroyed && showGradcheck(v.q("gc-table"), v.q("gc-summary"), r), (err) => { v.q("gc-summary").textContent = err.message; });
  showNotice(v.q, notice);
  drawParam(v);
  showSettings(v.q, scene);
  wireControls(v, api);
  const unsubscribe = store.subscribe((state, previous) => followStore(v, state.scene, previous.scene));
  api.backprop(v.body).then((trace) => {
    if (v.destroyed) return;
    v.grad = trace.param_grads;
    askNudge(v);
    v.checks.request(v.set.eps, v.set.eps);
  }).catch((err) => { v.q("nudge-result").textContent = err.message; });
  return { destroy() { unsubscribe(); v.destroyed = true; v.plot?.destroy(); root.replaceChildren(); } };
}

/** A change of the store's settings, from a control or from outside: redraw what it changed. */
function followStore(v, scene, before) {
  // Null while the page swaps scenes (a restore clears it before this scene is destroyed).
  if (!scene || scene === before || v.destroyed) return;
  if (scene.param !== before?.param) drawParam(v);
  showSettings(v.q, scene);
  if (NUDGE_KEYS.some((key) => scene[key] !== before?.[key])) askNudge(v);
  if (scene.eps !== before?.eps && v.grad) v.checks.request(scene.eps, scene.eps);
}

/** The grid of the settings' parameter. */
function drawParam(v) {
  drawGrid(v.q, v.preset.network.params[v.set.param], (index) => { showNotice(v.q, null); v.set.index = index; });
}

/** One /nudge for the current settings (after the gradient a whole-array nudge needs). */
function askNudge(v) {
  if (!v.grad) return;
  const fields = nudgeFields(v.store.state.scene, v.grad);
  v.nudges.request(fields, fields);
}

/** Each handler writes the store, nothing else: followStore() redraws and asks again. */
function wireControls(v, api) {
  const { q, set, store, preset } = v;
  const edited = () => showNotice(q, null);
  const on = (id, event, write) => q(id).addEventListener(event, (e) => { edited(); write(e.target); });
  // A new parameter starts at its first entry: the old entry may not exist in it.
  on("nudge-param", "change", (el) => store.setScene({ param: el.value, index: firstIndex(preset.network.params[el.value]) }));
  on("nudge-what", "input", (el) => { set.what = el.value; });
  on("nudge-log-delta", "input", (el) => { set.logDelta = Number(el.value); });
  on("nudge-negative", "input", (el) => { set.negative = el.checked; });
  on("gc-eps", "change", (el) => { set.eps = Number(el.value); });
  q("nudge-sweep").addEventListener("click", () => sweep(v, api));
  q("cost-measure").addEventListener("click", () => showCost(api, q).catch((err) => { q("cost-summary").textContent = err.message; }));
}

async function sweep(v, api) {
  if (!v.grad) return;
  const answers = await sweepAnswers(api, v.body, v.store.state.scene, v.grad);
  if (v.destroyed) return;
  v.plot?.destroy();
  v.plot = drawSweep(v.q("nudge-slope"), v.q("nudge-chart"), answers);
}
