/**
 * "Why backprop?" (the lecture's eq. (1)–(2) and its conclusion): nudge one weight, or a
 * whole matrix along its gradient, by δ and compare the change of f with the first-order
 * prediction ⟨∂f/∂W, δ⟩; sweep δ to see the remainder shrink like δ²; check every
 * gradient against central finite differences; and measure what finite differences cost.
 */

import uPlot from "/vendor/uplot/dist/uPlot.esm.js";
import { formatNumber } from "../format.js";
import { math, mi, mn, mo, mrow } from "../mathml.js";
import { drawCost, measureCost } from "./nudge/cost.js";
import { showGradcheck } from "./nudge/gradcheck.js";
import { logLabels, logSteps, remainderSlope, scaled, unitLike } from "./nudge/sweep.js";

function panelHtml(names) {
  return `<h2>Why backprop? The gradient predicts the change of f</h2>
    <div class="nudge-controls">
      <label>parameter <select data-testid="nudge-param">${names.map((n) => `<option>${n}</option>`).join("")}</select></label>
      <label>nudge <select data-testid="nudge-what"><option value="entry">one entry</option>
        <option value="matrix">the whole array, along ∂f/∂W</option></select></label>
      <label>δ = 10^<input type="range" data-testid="nudge-log-delta" min="-6" max="0" step="0.25" value="-2"></label>
      <output data-testid="nudge-delta-value">δ = 0.01</output>
      <label><input type="checkbox" data-testid="nudge-negative"> −δ</label></div>
    <div class="nudge-grid" data-testid="nudge-grid" aria-label="pick the entry to nudge"></div>
    <div class="nudge-result" data-testid="nudge-result" aria-live="polite"></div>
    <h3>Sweep δ: the remainder shrinks like δ²</h3>
    <button type="button" data-testid="nudge-sweep">Sweep δ from 1 to 10⁻⁶</button>
    <p data-testid="nudge-slope"></p><div class="nudge-chart" data-testid="nudge-chart"></div>
    <h3>Gradient check: backprop against central finite differences</h3>
    <label>ε <select data-testid="gc-eps">${["1e-2", "1e-4", "1e-6", "1e-8", "1e-10"].map((e) =>
      `<option ${e === "1e-6" ? "selected" : ""}>${e}</option>`).join("")}</select></label>
    <p data-testid="gc-summary"></p>
    <table class="fix-table" data-testid="gc-table"><thead><tr><th>gradient</th><th>entries checked</th>
      <th>max relative error</th><th></th></tr></thead><tbody></tbody></table>
    <h3>The cost: backprop vs finite differences as the network grows</h3>
    <button type="button" data-testid="cost-measure">Measure on this server</button>
    <p data-testid="cost-summary"></p><div class="nudge-chart" data-testid="cost-chart"></div>`;
}

export function mount(root, { api, preset }) {
  const body = { network: preset.network, x: preset.x, y: preset.y };
  const names = Object.keys(preset.network.params);
  root.innerHTML = panelHtml(names);
  const q = (id) => root.querySelector(`[data-testid="${id}"]`);
  const s = { index: [0, 0], grad: null, destroyed: false, plot: null };
  const request = () => nudgeRequest(q, s, preset);
  const nudgeNow = () => api.nudge({ ...body, ...request() }).then((r) => !s.destroyed && showNudge(q, r, request()))
    .catch((err) => { q("nudge-result").textContent = err.message; });
  const refreshGrid = () => { s.index = [0, 0]; drawGrid(q, preset.network.params[q("nudge-param").value], s, nudgeNow); };
  q("nudge-param").addEventListener("change", () => { refreshGrid(); nudgeNow(); });
  for (const id of ["nudge-what", "nudge-log-delta", "nudge-negative"]) q(id).addEventListener("input", nudgeNow);
  q("nudge-log-delta").addEventListener("input", () => {
    q("nudge-delta-value").textContent = `δ = ${formatNumber(10 ** Number(q("nudge-log-delta").value), 3)}`;
  });
  q("nudge-sweep").addEventListener("click", () => sweep(api, body, q, s, request));
  const check = () => api.gradcheck({ ...body, eps: Number(q("gc-eps").value) })
    .then((r) => !s.destroyed && showGradcheck(q("gc-table"), q("gc-summary"), r));
  q("gc-eps").addEventListener("change", check);
  q("cost-measure").addEventListener("click", () => cost(api, q));
  api.backprop(body).then((trace) => {
    s.grad = trace.param_grads;
    refreshGrid();
    nudgeNow();
    check();
  });
  return { destroy() { s.destroyed = true; s.plot?.destroy(); root.replaceChildren(); } };
}

/** The /nudge fields for the controls: one entry by δ, or δ · ∂f/∂W / ‖∂f/∂W‖. */
function nudgeRequest(q, s, preset, delta = null) {
  const param = q("nudge-param").value;
  const size = delta ?? 10 ** Number(q("nudge-log-delta").value) * (q("nudge-negative").checked ? -1 : 1);
  if (q("nudge-what").value === "entry") {
    const matrix = Array.isArray(preset.network.params[param][0]);
    return { param, delta: size, index: matrix ? s.index : [s.index[1]] };
  }
  return { param, delta: scaled(unitLike(s.grad[param]), size) };
}

function drawGrid(q, value, s, onPick) {
  const rows = Array.isArray(value[0]) ? value : [value];
  const grid = q("nudge-grid");
  grid.replaceChildren(...rows.map((row, i) => {
    const line = document.createElement("div");
    row.forEach((v, j) => {
      const cell = document.createElement("button");
      cell.type = "button";
      cell.textContent = formatNumber(v, 3);
      cell.dataset.index = Array.isArray(value[0]) ? `${i},${j}` : `${j}`;
      cell.setAttribute("aria-pressed", String(s.index[0] === i && s.index[1] === j));
      cell.addEventListener("click", () => {
        s.index = Array.isArray(value[0]) ? [i, j] : [0, j];
        grid.querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", String(b === cell)));
        onPick();
      });
      line.append(cell);
    });
    return line;
  }));
}

function showNudge(q, r, req) {
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

async function sweep(api, body, q, s, request) {
  const deltas = logSteps();
  const answers = [];
  for (const d of deltas) answers.push(await api.nudge({ ...body, ...nudgeRequestFor(request(), d, s) }));
  const rem = answers.map((a) => a.remainder);
  const slope = remainderSlope(deltas, rem);
  const out = q("nudge-slope");
  Object.assign(out.dataset, { slope: String(slope), deltas: JSON.stringify(deltas), remainders: JSON.stringify(rem) });
  out.textContent = `Fitted slope of log|remainder| against log δ (δ from 10⁻⁵ to 10⁻², where the δ² term dominates): ${formatNumber(slope, 3)} — `
    + "halving δ quarters the remainder. At large δ the cubic and higher terms join in; at tiny δ float rounding (≈10⁻¹⁶ |f|) does.";
  s.plot?.destroy();
  const ref = deltas.map((d) => Math.abs(rem[6]) * (d / deltas[6]) ** 2);
  const font = "16px system-ui, sans-serif";
  const pos = (v) => (Number.isFinite(v) && v !== 0 ? Math.abs(v) : null);
  const asc = [...deltas.keys()].reverse();
  s.plot = new uPlot({
    width: Math.max(320, Math.min(720, q("nudge-chart").clientWidth)), height: 300,
    scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
    axes: [{ label: "δ", font, labelFont: `bold ${font}`, values: logLabels },
      { label: "|·| (log)", font, labelFont: `bold ${font}`, size: 80, values: logLabels }],
    series: [{ label: "δ" }, { label: "|actual change|", stroke: "#111", width: 3 },
      { label: "|remainder|", stroke: "#c05a00", width: 3 }, { label: "slope 2", stroke: "#2166ac", dash: [8, 6], width: 2 }],
  }, [asc.map((i) => deltas[i]), asc.map((i) => pos(answers[i].actual_change)), asc.map((i) => pos(rem[i])),
    asc.map((i) => ref[i])], q("nudge-chart"));
}

/** The same kind of nudge with another size d. */
function nudgeRequestFor(req, d, s) {
  if (req.index) return { ...req, delta: d };
  return { ...req, delta: scaled(unitLike(s.grad[req.param]), d) };
}

async function cost(api, q) {
  q("cost-summary").textContent = "Measuring…";
  const rows = await measureCost(api);
  drawCost(q("cost-chart"), rows);
  const last = rows.at(-1);
  q("cost-summary").textContent = `At P = ${last.P}: backprop ${formatNumber(last.backpropMs, 3)} ms, `
    + `finite differences ${formatNumber(last.fdMs, 3)} ms (${last.fdPasses} forward passes). `
    + "Backprop's time barely moves with P; finite differences grow with it.";
}
