/**
 * The nudge scene's DOM: its panel, the controls drawn from the store's settings
 * (nudge/settings.js), the grid of the parameter's entries and the /nudge answer. Reads
 * the settings, never keeps them: a handler writes the store, and these redraw from it.
 */

import { formatNumber } from "../../format.js";
import { math, mi, mn, mo, mrow } from "../../mathml.js";
import { EPSILONS, LOG_DELTA } from "./settings.js";

const epsLabel = (e) => `1e${Math.round(Math.log10(e))}`;

export function buildPanel(root, names) {
  root.innerHTML = `<h2>Why backprop? The gradient predicts the change of f</h2>
    <p data-testid="nudge-status" role="status" hidden></p>
    <div class="nudge-controls">
      <label>parameter <select data-testid="nudge-param">${names.map((n) => `<option>${n}</option>`).join("")}</select></label>
      <label>nudge <select data-testid="nudge-what"><option value="entry">one entry</option>
        <option value="matrix">the whole array, along ∂f/∂W</option></select></label>
      <label>δ = 10^<input type="range" data-testid="nudge-log-delta" min="${LOG_DELTA.min}" max="${LOG_DELTA.max}" step="${LOG_DELTA.step}"></label>
      <output data-testid="nudge-delta-value"></output>
      <label><input type="checkbox" data-testid="nudge-negative"> −δ</label></div>
    <div class="nudge-grid" data-testid="nudge-grid" aria-label="pick the entry to nudge"></div>
    <div class="nudge-result" data-testid="nudge-result" aria-live="polite"></div>
    <h3>Sweep δ: the remainder shrinks like δ²</h3>
    <button type="button" data-testid="nudge-sweep">Sweep δ from 1 to 10⁻⁶</button>
    <p data-testid="nudge-slope"></p><div class="nudge-chart" data-testid="nudge-chart"></div>
    <h3>Gradient check: backprop against central finite differences</h3>
    <label>ε <select data-testid="gc-eps">${EPSILONS.map((e) => `<option value="${e}">${epsLabel(e)}</option>`).join("")}</select></label>
    <p data-testid="gc-summary"></p>
    <table class="fix-table" data-testid="gc-table"><thead><tr><th>gradient</th><th>entries checked</th>
      <th>max relative error</th><th></th></tr></thead><tbody></tbody></table>
    <h3>The cost: backprop vs finite differences as the network grows</h3>
    <button type="button" data-testid="cost-measure">Measure on this server</button>
    <p data-testid="cost-summary"></p><div class="nudge-chart" data-testid="cost-chart"></div>`;
  return (id) => root.querySelector(`[data-testid="${id}"]`);
}

/** The controls as the settings say (the grid's pressed entry too). */
export function showSettings(q, scene) {
  q("nudge-param").value = scene.param;
  q("nudge-what").value = scene.what;
  q("nudge-log-delta").value = String(scene.logDelta);
  q("nudge-delta-value").textContent = `δ = ${formatNumber(10 ** scene.logDelta, 3)}`;
  q("nudge-negative").checked = scene.negative;
  q("gc-eps").value = String(scene.eps);
  const picked = scene.index.join(",");
  q("nudge-grid").querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.index === picked)));
}

/** Why some of a link's settings were not used (null: nothing to say). */
export function showNotice(q, notice) {
  q("nudge-status").hidden = notice === null;
  q("nudge-status").textContent = notice ?? "";
}

/** One button per entry of `value` (a matrix or a vector); onPick(index) as /nudge takes it. */
export function drawGrid(q, value, onPick) {
  const matrix = Array.isArray(value[0]);
  const rows = matrix ? value : [value];
  q("nudge-grid").replaceChildren(...rows.map((row, i) => {
    const line = document.createElement("div");
    row.forEach((v, j) => {
      const index = matrix ? [i, j] : [j];
      const cell = document.createElement("button");
      cell.type = "button";
      cell.textContent = formatNumber(v, 3);
      cell.dataset.index = index.join(",");
      cell.addEventListener("click", () => onPick(index));
      line.append(cell);
    });
    return line;
  }));
}

/** A /nudge answer `r` for the fields `req` it was asked with. */
export function showNudge(q, r, req) {
  const box = q("nudge-result");
  Object.assign(box.dataset, { actual: String(r.actual_change), predicted: String(r.predicted_change),
    remainder: String(r.remainder), param: req.param, index: JSON.stringify(req.index ?? null) });
  const what = req.index ? `${req.param}[${req.index.join(", ")}]` : req.param;
  box.innerHTML = math(mrow(mi("f"), mo("("), mi(`${what} + δ`), mo(")"), mo("−"), mi("f"), mo("("), mi(what), mo(")"),
    mo("="), mn(r.actual_change, 6)))
    + math(mrow(mo("⟨"), mi(`∂f/∂${req.param}`), mo(","), mi("δ"), mo("⟩"), mo("="), mn(r.predicted_change, 6)))
    + `<p>remainder (actual − predicted) = <strong>${formatNumber(r.remainder, 4)}</strong>, `
    + `${formatNumber(100 * r.relative_remainder, 3)}% of the change`
    + (r.curvature_term !== undefined ? `; the curvature term ½⟨δ, Hδ⟩ = ${formatNumber(r.curvature_term, 4)} accounts for it` : "")
    + ".</p>";
}
