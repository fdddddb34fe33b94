/**
 * Truncated BPTT, the cheap fix: the loss term at step s sends its gradient back through
 * steps s, …, s−k+1 only. A slider for k; a grid of every (term s, step t) contribution
 * with the dropped ones greyed; per step t the contribution to ∂f/∂W_hh of the full and
 * the truncated run; and how far the truncated gradient is from the full one.
 */

import { formatNumber } from "../../format.js";
import { bindScene } from "../../store.js";
import { latestOnly } from "./latest.js";
import { bodyFor, droppedCount, kept } from "./fixes/body.js";
import { truncateFor } from "./fixes/settings.js";

const GRID_MAX_STEPS = 60; // beyond it the (s, t) grid's cells get too small to read
const SHARED = "W_hh";

/** The panel; its setting is the store's `truncate` (the window k; k ≥ T is full BPTT). */
export function mount(root, { api, preset, store }) {
  root.innerHTML = `<h3>Fix 2: truncated backprop through time</h3>
    <div class="fix-controls"><label>window k <input type="range" data-testid="trunc-k"
      min="1" step="1"></label><output data-testid="trunc-k-value"></output></div>
    <p class="fix-rule">The term of step s reaches steps s … s−k+1 only: as if h<sub>s−k</sub> were detached.</p>
    <div class="trunc-grid" data-testid="trunc-grid" role="img"></div>
    <div class="trunc-bars" data-testid="trunc-bars"></div>
    <p class="fix-verdict" data-testid="trunc-summary" aria-live="polite"></p>`;
  const q = (id) => root.querySelector(`[data-testid="${id}"]`);
  const slider = q("trunc-k");
  const set = bindScene({}, store, ["truncate"]);
  const s = { network: null, full: null, destroyed: false };
  const requests = latestOnly((body) => api.backprop(body),
    (answer, k) => { if (!s.destroyed) show(q, s, k, answer); },
    (err) => { if (!s.destroyed) q("trunc-summary").textContent = err.message; });
  const redraw = () => {
    // No setting while the page swaps scenes (a restore clears them first), and no T
    // before the chart's first answer.
    if (set.truncate === undefined || !s.network) return;
    const T = s.network.steps;
    // The stored k stays as chosen when T drops below it: T back up, k is back too.
    slider.max = String(T);
    slider.value = String(set.truncate);
    const k = truncateFor(set.truncate, T);
    q("trunc-k-value").textContent = k === null ? `k = T = ${T} (full BPTT)` : `k = ${k}`;
    drawGrid(q("trunc-grid"), T, k, s.network.loss === "mse_all");
    requests.request(k, bodyFor(preset, { ...s.network, truncate: k }));
  };
  // The slider writes the store; the store's change redraws and asks again.
  slider.addEventListener("input", () => { set.truncate = Number(slider.value); });
  slider.value = String(set.truncate); // its max, T, comes with the chart's first answer
  const unsubscribe = store.subscribe((state, previous) => {
    const k = state.scene?.truncate;
    if (k !== undefined && k !== previous.scene?.truncate) redraw();
  });
  return {
    update(network) {
      // The panel's k overrides the chart's; the full run is fetched once per network.
      s.network = { ...network, truncate: null };
      s.full = api.backprop(bodyFor(preset, s.network));
      redraw();
    },
    destroy() { s.destroyed = true; unsubscribe(); root.replaceChildren(); },
  };
}

async function show(q, s, k, answer) {
  const full = await s.full;
  const summary = q("trunc-summary");
  const rel = k === null ? 0 : answer.truncation_relative_difference;
  const cos = k === null ? 1 : answer.truncation_cosine;
  Object.assign(summary.dataset, { k: String(k ?? s.network.steps), relative: String(rel), cosine: String(cos) });
  const shared = answer.truncation_per_param?.[SHARED];
  summary.textContent = k === null
    ? "k = T: nothing is dropped, the truncated gradient is the full one."
    : `‖g_k − g‖ / ‖g‖ = ${formatNumber(rel)}, cos ∠(g_k, g) = ${formatNumber(cos, 6)}`
      + (shared ? ` (∂f/∂W_hh alone: ${formatNumber(shared.relative_difference)}, cos ${formatNumber(shared.cosine, 6)})` : "");
  drawBars(q("trunc-bars"), full.contribution_norms[SHARED], answer.contribution_norms[SHARED]);
}

/** The (s, t) grid: a row per loss term s, a cell per step t ≤ s; dropped cells greyed. */
function drawGrid(box, T, k, perStepLoss) {
  const { total, dropped } = droppedCount(T, k, perStepLoss);
  box.setAttribute("aria-label", `${dropped} of ${total} contributions dropped`);
  box.dataset.dropped = String(dropped);
  if (T > GRID_MAX_STEPS) {
    box.textContent = `${dropped} of ${total} (term, step) contributions dropped (grid drawn for T ≤ ${GRID_MAX_STEPS}).`;
    return;
  }
  const terms = perStepLoss ? Array.from({ length: T }, (_, i) => T - i) : [T];
  box.replaceChildren(...terms.map((term) => {
    const line = document.createElement("div");
    line.className = "trunc-row";
    line.title = `loss term s = ${term}`;
    for (let t = 1; t <= T; t += 1) {
      const cell = document.createElement("span");
      cell.className = t > term ? "trunc-cell none" : kept(term, t, k) ? "trunc-cell kept" : "trunc-cell dropped";
      line.append(cell);
    }
    return line;
  }));
  const legend = document.createElement("p");
  legend.textContent = `rows: loss terms s (top: s = T); columns: steps t = 1 … ${T}. ${dropped} of ${total} contributions dropped (grey).`;
  box.append(legend);
}

/** Per step t: the full run's contribution to ∂f/∂W_hh (outline) and the truncated one (filled). */
function drawBars(box, fullNorms, truncNorms) {
  const top = Math.max(...fullNorms.filter(Number.isFinite), ...truncNorms.filter(Number.isFinite), 1e-300);
  box.dataset.full = JSON.stringify(fullNorms);
  box.dataset.truncated = JSON.stringify(truncNorms);
  box.replaceChildren(...fullNorms.map((n, i) => {
    const bar = document.createElement("span");
    bar.className = "trunc-bar";
    bar.title = `t = ${i + 1}: full ${formatNumber(n)}, truncated ${formatNumber(truncNorms[i])}`;
    bar.innerHTML = `<span class="full" style="height:${(100 * n) / top}%"></span>`
      + `<span class="kept" style="height:${(100 * truncNorms[i]) / top}%"></span>`;
    return bar;
  }));
  const caption = document.createElement("p");
  caption.className = "trunc-caption";
  caption.textContent = "per step t: ‖contribution to ∂f/∂W_hh‖, full BPTT (outline) and truncated (filled)";
  box.append(caption);
}
