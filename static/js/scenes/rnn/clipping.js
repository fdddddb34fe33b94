/**
 * Gradient clipping, the fix for exploding gradients: off, by norm (clip_grad_norm_: one
 * factor c/‖g‖ for the whole gradient, so its direction is kept) or by value
 * (clip_grad_value_: each entry clamped to ±c, so the direction changes). Shows the
 * gradient before and after, per parameter and in total, and the cosine between them.
 */

import { formatNumber } from "../../format.js";
import { latestOnly } from "./latest.js";
import { bodyFor } from "./fixes/body.js";
import { cosine, degrees, flatten, maxAbs, norm2 } from "./fixes/vectors.js";

// The threshold slider moves in log10 steps: 0.01 … 100.
const LOG_MIN = -2;
const LOG_MAX = 2;

const RULES = {
  off: "No clipping: the update uses g as computed.",
  norm: "clip(g) = g · min(1, c / (‖g‖ + 10⁻⁶)): one factor for every entry — the direction is kept.",
  value: "clip(g)ᵢ = max(−c, min(c, gᵢ)): each entry on its own — large entries are cut, the direction changes.",
};

function panelHtml(clip) {
  const c = clip.mode === "value" ? clip.clip_value : clip.max_norm;
  return `<h3>Fix 1: gradient clipping</h3>
    <div class="fix-controls">
      <label>Clip <select data-testid="clip-mode">
        <option value="off">off</option><option value="norm">by norm</option>
        <option value="value">by value</option></select></label>
      <label>threshold c <input type="range" data-testid="clip-threshold" min="${LOG_MIN}"
        max="${LOG_MAX}" step="0.05" value="${Math.log10(c ?? 1)}"></label>
      <output data-testid="clip-threshold-value"></output>
      <label>norm <select data-testid="clip-norm-type"><option value="2">2</option>
        <option value="inf">∞</option></select></label>
    </div>
    <p class="fix-rule" data-testid="clip-rule"></p>
    <table class="fix-table" data-testid="clip-table"><thead><tr><th>parameter</th>
      <th>‖g‖ before</th><th>‖clip(g)‖ after</th><th>before vs after</th></tr></thead><tbody></tbody></table>
    <p class="fix-verdict" data-testid="clip-summary" aria-live="polite"></p>`;
}

export function mount(root, { api, preset }) {
  root.innerHTML = panelHtml(preset.clip);
  const q = (id) => root.querySelector(`[data-testid="${id}"]`);
  q("clip-mode").value = preset.clip.mode;
  q("clip-norm-type").value = String(preset.clip.norm_type ?? 2);
  let network = null;
  let destroyed = false;
  const requests = latestOnly((body) => api.backprop(body),
    (answer, key) => { if (!destroyed) show(q, key, answer); },
    (err) => { if (!destroyed) q("clip-summary").textContent = err.message; });
  const recompute = () => {
    const clip = readClip(q);
    q("clip-threshold-value").textContent = `c = ${formatNumber(thresholdOf(q))}`;
    q("clip-rule").textContent = RULES[clip?.mode ?? "off"];
    q("clip-norm-type").disabled = clip?.mode !== "norm";
    if (network) requests.request(clip, bodyFor(preset, network, clip ? { clip } : {}));
  };
  for (const id of ["clip-mode", "clip-threshold", "clip-norm-type"]) {
    q(id).addEventListener("input", recompute);
  }
  recompute();
  return {
    update(next) { network = next; recompute(); },
    destroy() { destroyed = true; root.replaceChildren(); },
  };
}

function thresholdOf(q) {
  return Number((10 ** Number(q("clip-threshold").value)).toPrecision(3));
}

/** The contract's clip object for the controls, or null when clipping is off. */
function readClip(q) {
  const mode = q("clip-mode").value;
  const c = thresholdOf(q);
  if (mode === "norm") {
    const type = q("clip-norm-type").value;
    return { mode, max_norm: c, norm_type: type === "inf" ? "inf" : 2 };
  }
  return mode === "value" ? { mode, clip_value: c } : null;
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
