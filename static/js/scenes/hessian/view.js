/**
 * The Hessian scene's DOM: the panel (built once /hessian has named the entries), the
 * controls drawn from the store's settings (hessian/settings.js), the Hv table, the heat map
 * of H with its eigenvalues, the power iteration's chart and the Newton step's table.
 */

import uPlot from "/vendor/uplot/dist/uPlot.esm.js";
import { followPanel } from "../../chartfont.js";
import { divergingColour, textOn } from "../../colour.js";
import { formatNumber } from "../../format.js";
import { unitIndex } from "./settings.js";
import { dot, flatten } from "./vec.js";

/** The scene's frame: its title and status line now, the rest once H is known. */
export function buildFrame(root) {
  root.innerHTML = `<h2>Second order: Hessian-vector products</h2>
    <p data-testid="hess-status" role="status" hidden></p><div data-testid="hess-body"></div>`;
  return (id) => root.querySelector(`[data-testid="${id}"]`);
}

export function buildPanel(q, names) {
  const options = names.map((n, j) => `<option value="e${j}">unit vector e along ${n}</option>`).join("");
  q("hess-body").innerHTML = `<p class="hess-rule">Hv = ∂/∂r ∇f(θ + r v) at r = 0: one forward sweep carrying θ̇ = v, one backward
      sweep carrying the gradient's own tangent — about the cost of one more gradient, and H is never formed.</p>
    <div class="hess-choice"><label>v = <select data-testid="hess-v"><option value="gradient">the gradient ∇f</option>
      <option value="random">a random direction</option>${options}</select></label>
    <button type="button" data-testid="hess-reroll">New random v</button> <output data-testid="hess-seed"></output></div>
    <table class="fix-table" data-testid="hess-hv"><thead><tr><th>entry</th><th>v</th><th>(Hv)</th>
      <th>central difference of ∇f</th></tr></thead><tbody></tbody></table>
    <p class="fix-verdict" data-testid="hess-curvature" aria-live="polite"></p>
    <div class="hess-row"><section><h3>The whole Hessian (${names.length} × ${names.length})</h3>
      <table class="hess-heat" data-testid="hess-heat"></table><p data-testid="hess-eigen"></p></section>
      <section><h3>Top eigenvalue by power iteration on Hv</h3><div data-testid="hess-power"></div>
      <p data-testid="hess-power-text"></p></section></div>
    <h3>One Newton step beside one gradient step</h3>
    <table class="fix-table" data-testid="hess-newton"><thead><tr><th></th><th>step</th><th>f after</th></tr></thead><tbody></tbody></table>
    <p data-testid="hess-newton-text"></p>`;
}

/** The controls as the settings say. */
export function showSettings(q, scene) {
  q("hess-v").value = scene.v;
  q("hess-seed").textContent = `random v from seed ${scene.seed}`;
  q("hess-seed").dataset.seed = String(scene.seed);
}

/** Why some of a link's settings were not used (null: nothing to say). */
export function showNotice(q, notice) {
  q("hess-status").hidden = notice === null;
  q("hess-status").textContent = notice ?? "";
}

/** An /hvp answer `r` for the direction `choice` (the setting v it was asked for). */
export function showHv(q, names, r, choice) {
  const keys = Object.keys(r.hvp);
  const v = flatten(r.v, keys);
  const hv = flatten(r.hvp, keys);
  const fd = flatten(r.check.finite_difference, keys);
  q("hess-hv").tBodies[0].replaceChildren(...names.map((name, i) => {
    const tr = document.createElement("tr");
    tr.innerHTML = `<th scope="row">${name}</th><td>${formatNumber(v[i])}</td><td>${formatNumber(hv[i], 6)}</td><td>${formatNumber(fd[i], 6)}</td>`;
    return tr;
  }));
  Object.assign(q("hess-hv").dataset, { v: JSON.stringify(v), hv: JSON.stringify(hv), choice });
  const out = q("hess-curvature");
  out.dataset.curvature = String(r.curvature);
  out.textContent = `vᵀHv / vᵀv = ${formatNumber(dot(v, hv), 6)} / ${formatNumber(dot(v, v), 6)} = ${formatNumber(r.curvature, 6)}`
    + ` (curvature along v); Hv agrees with the central difference of gradients to ${formatNumber(r.check.relative_error, 2)} (relative).`;
  const j = unitIndex(choice);
  q("hess-heat").querySelectorAll("td").forEach((td) => td.classList.toggle("hess-col", Number(td.dataset.col) === j));
  if (j >= 0) out.textContent += ` For v = e along ${names[j]}, Hv is column ${j + 1} of H (outlined).`;
}

export function drawHeat(table, hess) {
  const top = Math.max(...hess.hessian.flat().map(Math.abs)) || 1;
  const head = `<tr><th></th>${hess.names.map((n) => `<th scope="col">${n}</th>`).join("")}</tr>`;
  table.innerHTML = head + hess.hessian.map((row, i) => `<tr><th scope="row">${hess.names[i]}</th>${row.map((h, j) => {
    const bg = divergingColour(h, top);
    return `<td data-row="${i}" data-col="${j}" data-value="${h}" style="background:${bg};color:${textOn(bg)}" title="∂²f/∂${hess.names[i]}∂${hess.names[j]} = ${h}">${formatNumber(h, 2)}</td>`;
  }).join("")}</tr>`).join("");
  table.dataset.asymmetry = String(hess.asymmetry);
}

export function drawEigen(p, eigenvalues) {
  const negative = eigenvalues.filter((l) => l < 0).length;
  p.dataset.eigenvalues = JSON.stringify(eigenvalues);
  p.textContent = `eigenvalues: ${eigenvalues.map((l) => formatNumber(l, 3)).join(", ")}. `
    + (negative ? `${negative} negative: H is indefinite here — not a minimum along every direction.` : "All ≥ 0: convex around here.");
}

/** The power iteration's estimates beside the exact λ_max; returns the uPlot (destroyed by the caller). */
export function showPower(q, e, eigenvalues) {
  const exact = eigenvalues.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a));
  const iters = e.history.map((_, i) => i + 1);
  const font = "16px system-ui, sans-serif";
  const box = q("hess-power");
  const plot = new uPlot({
    width: Math.max(300, Math.min(560, box.clientWidth)), height: 260, scales: { x: { time: false } },
    axes: [{ label: "iteration", font, labelFont: `bold ${font}` }, { label: "λ_max", font, labelFont: `bold ${font}`, size: 60 }],
    series: [{ label: "iteration" }, { label: "power iteration", stroke: "#c05a00", width: 3 },
      { label: "λ_max from the full H", stroke: "#2166ac", dash: [8, 6], width: 2 }],
  }, [iters, e.history, iters.map(() => exact)], box);
  followPanel(plot, box, { min: 300, max: 720, slideHeight: 220 });
  box.dataset.history = JSON.stringify(e.history);
  q("hess-power-text").textContent = `v ← Hv / ‖Hv‖, ${e.history.length} times: ${formatNumber(e.eigenvalue, 8)}`
    + ` (the full Hessian's largest-magnitude eigenvalue: ${formatNumber(exact, 8)}).`;
  return plot;
}

export function showNewton(q, r) {
  const rows = [["before", "—", r.before], [`gradient step −η∇f (η = ${r.lr})`, "θ − η∇f", r.gradient],
    ["Newton step −H⁻¹∇f", "θ − H⁻¹∇f", r.newton.loss_after]];
  q("hess-newton").tBodies[0].innerHTML = rows.map(([name, step, f]) =>
    `<tr><th scope="row">${name}</th><td>${step}</td><td data-value="${f}">${formatNumber(f, 6)}</td></tr>`).join("");
  q("hess-newton-text").textContent = `Newton predicted a change of ${formatNumber(r.newton.predicted_change, 4)} from the quadratic model; `
    + (r.newton.indefinite ? "H is indefinite here, so the quadratic model has no minimum: Newton's step jumps to a stationary point of it — in general add damping (H + λI)." : "H is positive definite here.");
}
