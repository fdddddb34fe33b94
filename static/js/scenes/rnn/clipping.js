/**
 * Gradient clipping, the fix for exploding gradients: off, by norm (clip_grad_norm_: one
 * factor c/‖g‖ for the whole gradient, so its direction is kept) or by value
 * (clip_grad_value_: each entry clamped to ±c, so the direction changes). Shows the
 * gradient before and after, per parameter and in total, and the cosine between them.
 */

import { formatNumber } from "../../format.js";
import { bindScene } from "../../store.js";
import { latestOnly } from "./latest.js";
import { bodyFor } from "./fixes/body.js";
import { THRESHOLD, clipRequest, snapThreshold } from "./fixes/settings.js";
import { cosine, degrees, flatten, maxAbs, norm2 } from "./fixes/vectors.js";

const RULES = {
  off: "No clipping: the update uses g as computed.",
  norm: "clip(g) = g · min(1, c / (‖g‖ + 10⁻⁶)): one factor for every entry — the direction is kept.",
  value: "clip(g)ᵢ = max(−c, min(c, gᵢ)): each entry on its own — large entries are cut, the direction changes.",
};

const PANEL_HTML = `<h3>Fix 1: gradient clipping</h3>
  <div class="fix-controls">
    <label>Clip <select data-testid="clip-mode">
      <option value="off">off</option><option value="norm">by norm</option>
      <option value="value">by value</option></select></label>
    <label>threshold c <input type="range" data-testid="clip-threshold" min="${THRESHOLD.logMin}"
      max="${THRESHOLD.logMax}" step="${THRESHOLD.logStep}"></label>
    <output data-testid="clip-threshold-value"></output>
    <label>norm <select data-testid="clip-norm-type"><option value="2">2</option>
      <option value="inf">∞</option></select></label>
  </div>
  <p class="fix-rule" data-testid="clip-rule"></p>
  <table class="fix-table" data-testid="clip-table"><thead><tr><th>parameter</th>
    <th>‖g‖ before</th><th>‖clip(g)‖ after</th><th>before vs after</th></tr></thead><tbody></tbody></table>
  <p class="fix-verdict" data-testid="clip-summary" aria-live="polite"></p>`;

/** The panel; its setting is the store's `clip` ({mode, c, norm}, fixes/settings.js). */
export function mount(root, { api, preset, store }) {
  root.innerHTML = PANEL_HTML;
  const q = (id) => root.querySelector(`[data-testid="${id}"]`);
  const set = bindScene({}, store, ["clip"]);
  let network = null;
  let destroyed = false;
  const requests = latestOnly((body) => api.backprop(body),
    (answer, clip) => { if (!destroyed) show(q, clip, answer); },
    (err) => { if (!destroyed) q("clip-summary").textContent = err.message; });
  const redraw = () => {
    if (!set.clip) return; // no setting while the page swaps scenes (a restore clears them first)
    showSetting(q, set.clip);
    const clip = clipRequest(set.clip);
    if (network) requests.request(clip, bodyFor(preset, network, clip ? { clip } : {}));
  };
  // Each control writes the store; the store's change redraws and asks again.
  const change = (patch) => { set.clip = { ...set.clip, ...patch }; };
  q("clip-mode").addEventListener("input", (e) => change({ mode: e.target.value }));
  q("clip-threshold").addEventListener("input", (e) => change({ c: snapThreshold(10 ** Number(e.target.value)) }));
  q("clip-norm-type").addEventListener("input", (e) => change({ norm: e.target.value === "inf" ? "inf" : 2 }));
  const unsubscribe = store.subscribe((state, previous) => {
    const clip = state.scene?.clip;
    if (clip && clip !== previous.scene?.clip) redraw();
  });
  redraw();
  return {
    update(next) { network = next; redraw(); },
    destroy() { destroyed = true; unsubscribe(); root.replaceChildren(); },
  };
}

/** The controls and the rule for the store's setting. */
function showSetting(q, { mode, c, norm }) {
  q("clip-mode").value = mode;
  q("clip-threshold").value = String(Math.log10(c));
  q("clip-threshold-value").textContent = `c = ${formatNumber(c)}`;
  q("clip-norm-type").value = String(norm);
  q("clip-norm-type").disabled = mode !== "norm";
  q("clip-rule").textContent = RULES[mode];
}

/** Before = the plain gradient, after = what the update would use. */
function show(q, clip, answer) {
  const names = Object.keys(answer.param_grads);
  const after = answer.clipping?.clipped_grads ?? answer.param_grads;
  const g = flatten(answer.param_grads, names);
  const cg = flatten(after, names);
  const cos = cosine(g, cg);
  const summary = q("clip-summary");
  Object.assign(summary.dataset, {
    mode: clip?.mode ?? "off",
    threshold: String(clip?.max_norm ?? clip?.clip_value ?? ""),
    normBefore: String(answer.clipping?.total_norm_before ?? norm2(g)),
    normAfter: String(answer.clipping?.total_norm_after ?? norm2(cg)),
    cosine: cos === null ? "null" : String(cos),
    maxAfter: String(maxAbs(cg)),
  });
  q("clip-table").tBodies[0].replaceChildren(...names.map((name) =>
    row(name, flatten({ [name]: answer.param_grads[name] }), flatten({ [name]: after[name] }))));
  summary.textContent = sentence(clip, answer.clipping, norm2(g), norm2(cg), cos);
}

function row(name, before, after) {
  const tr = document.createElement("tr");
  const nb = norm2(before);
  const na = norm2(after);
  const share = nb > 0 && Number.isFinite(nb) && Number.isFinite(na) ? Math.min(1, na / nb) : 1;
  tr.innerHTML = `<th scope="row">${name}</th><td>${formatNumber(nb)}</td><td>${formatNumber(na)}</td>
    <td><span class="fix-bar"><span class="fix-bar-after" style="width:${(100 * share).toFixed(1)}%"></span></span></td>`;
  return tr;
}

function sentence(clip, report, before, after, cos) {
  const angle = degrees(cos);
  const direction = cos === null
    ? "the direction is undefined (the gradient holds ∞ or NaN, or is 0)"
    : `cos ∠(g, clip(g)) = ${formatNumber(cos, 6)} (${formatNumber(angle, 3)}°)`;
  if (!clip) return `‖g‖ = ${formatNumber(before)}; ${direction}.`;
  const bit = report?.clipped ? "it bites" : "it does not bite (‖g‖ already within c)";
  const kept = clip.mode === "norm" ? " — the same direction, only shorter." : "";
  return `‖g‖: ${formatNumber(report?.total_norm_before ?? before)} → ${formatNumber(report?.total_norm_after ?? after)}, ${bit}; ${direction}${kept}`;
}
