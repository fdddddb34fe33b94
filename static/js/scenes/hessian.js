/**
 * Second order (the lecture's last section): Hv for a chosen v by forward-over-reverse
 * (the R-operator: one more sweep, H never formed) and its check against the central
 * difference of gradients; the curvature vᵀHv / vᵀv; the top eigenvalue by power
 * iteration on Hv; for this tiny net the whole Hessian as a heat map with its eigenvalues;
 * and one Newton step beside one gradient step.
 *
 * The scene is a view of the store: the choice of v and the random direction's seed
 * (hessian/settings.js) are state.scene. A control's handler only writes the store; the
 * store's change redraws the controls and asks for Hv again, wherever it came from.
 */

import { bindScene } from "../store.js";
import { latestOnly } from "./rnn/latest.js";
import { hvFor, newtonBeside } from "./hessian/requests.js";
import { MAX_SEED, openingScene } from "./hessian/settings.js";
import { buildFrame, buildPanel, drawEigen, drawHeat, showHv, showNewton, showNotice, showPower, showSettings } from "./hessian/view.js";

const KEYS = ["v", "seed"];

export function mount(root, ctx) {
  const { api, preset, store } = ctx;
  const { scene, notice } = openingScene(store.state.scene, preset, ctx.linkError);
  store.update({ scene });
  const h = {
    q: buildFrame(root), preset, store, set: bindScene({}, store, KEYS), names: null, plot: null, destroyed: false,
    body: { network: preset.network, x: preset.x, y: preset.y },
  };
  h.hvs = latestOnly(({ v, seed }) => hvFor(api, h.body, preset.network.params, { v, seed }),
    (r, choice) => !h.destroyed && showHv(h.q, h.names, r, choice.v),
    (err) => { h.q("hess-curvature").textContent = err.message; });
  showNotice(h.q, notice);
  const unsubscribe = store.subscribe((state, previous) => followStore(h, state.scene, previous.scene));
  api.hessian(h.body).then((hess) => !h.destroyed && opened(h, api, hess))
    .catch((err) => { h.q("hess-status").hidden = false; h.q("hess-status").textContent = err.message; });
  return { destroy() { unsubscribe(); h.destroyed = true; h.plot?.destroy(); root.replaceChildren(); } };
}

/** H is known: the panel, its fixed parts, and the first Hv for the store's settings. */
function opened(h, api, hess) {
  const { q, preset, body } = h;
  h.names = hess.names;
  buildPanel(q, hess.names);
  drawHeat(q("hess-heat"), hess);
  drawEigen(q("hess-eigen"), hess.eigenvalues);
  wireControls(h);
  showSettings(q, { v: h.set.v, seed: h.set.seed });
  askHv(h);
  api.eigen({ ...body, iters: preset.power_iterations ?? 30 })
    .then((e) => { if (!h.destroyed) h.plot = showPower(q, e, hess.eigenvalues); });
  newtonBeside(api, body, preset).then((rows) => !h.destroyed && showNewton(q, rows));
}

function askHv(h) {
  const choice = { v: h.set.v, seed: h.set.seed };
  h.hvs.request(choice, choice);
}

/** A change of the store's settings, from a control or from outside: redraw, ask again. */
function followStore(h, scene, before) {
  // Null while the page swaps scenes; before /hessian answers there is no panel to redraw.
  if (!scene || scene === before || h.destroyed || h.names === null) return;
  showSettings(h.q, scene);
  if (scene.v !== before?.v || scene.seed !== before?.seed) askHv(h);
}

/** Each handler writes the store, nothing else. */
function wireControls(h) {
  const { q, set } = h;
  q("hess-v").addEventListener("change", (e) => { showNotice(q, null); set.v = e.target.value; });
  // A new seed draws a new random v: one change of the store, so one request.
  q("hess-reroll").addEventListener("click", () => {
    showNotice(q, null);
    h.store.setScene({ v: "random", seed: (set.seed + 1) % (MAX_SEED + 1) });
  });
}
