/**
 * The remember-first task's DOM: one card per variant (steps, loss, accuracy, the gradient
 * ratio at the start and now, and what went wrong), the buttons and the status line. Reads
 * the variants' working records (rnntask/variants.js); keeps nothing.
 */

import { formatNumber } from "../../format.js";
import { VARIANT_COLOURS } from "./chart.js";

export function buildPanel(root, preset) {
  const cards = preset.variants.map((v, i) => `
    <article class="task-card" data-testid="task-variant-${i}" style="border-color:${VARIANT_COLOURS[i]}">
      <h3>${v.name}</h3>
      <dl><dt>steps</dt><dd class="task-steps">0</dd><dt>loss f</dt><dd class="task-loss">—</dd>
        <dt>accuracy</dt><dd class="task-acc">—</dd>
        <dt title="the share of the last step's gradient that reaches t = 1">‖∂f/∂h₁‖ / ‖∂f/∂h_T‖ at the start</dt><dd class="task-r0">—</dd>
        <dt>‖∂f/∂h₁‖ / ‖∂f/∂h_T‖ now</dt><dd class="task-r1">—</dd></dl>
      <p class="task-status" aria-live="polite"></p></article>`).join("");
  root.innerHTML = `<h2>Remember the first input: three ways to train</h2>
    <p data-testid="task-notice" role="status" hidden></p>
    <div class="task-buttons"><button type="button" data-testid="task-train">▶ Train all three</button>
      <button type="button" data-testid="task-reset">↺ Start again</button>
      <span>${preset.train_steps} steps each at the toolbar's η (the claim's: ${preset.lr}), full batch of ${preset.y.length}</span></div>
    <div class="task-cards">${cards}</div>
    <div class="task-chart" data-testid="task-chart"></div>`;
  return (id) => root.querySelector(`[data-testid="${id}"]`);
}

/** Why a link's training record was not replayed (null: nothing to say). */
export function showNotice(q, notice) {
  q("task-notice").hidden = notice === null;
  q("task-notice").textContent = notice ?? "";
}

export function showPlaying(q, playing) {
  q("task-train").textContent = playing ? "❚❚ Pause" : "▶ Train all three";
}

/** An error said on every card (and on the chart, for tests). */
export function say(q, variants, text) {
  q("task-chart").dataset.error = text;
  variants.forEach((v, i) => { q(`task-variant-${i}`).querySelector(".task-status").textContent = text; });
}

const orDash = (value, text) => (value === undefined ? "—" : text(value));

function showCard(card, v, total) {
  const dd = (cls) => card.querySelector(cls);
  dd(".task-steps").textContent = String(v.curve.length);
  dd(".task-loss").textContent = orDash(v.curve.length ? v.curve[v.curve.length - 1] : v.loss, formatNumber);
  dd(".task-acc").textContent = orDash(v.accuracy, (a) => `${Math.round(100 * a)}%`);
  dd(".task-r0").textContent = orDash(v.ratioStart, formatNumber);
  dd(".task-r1").textContent = orDash(v.ratio, formatNumber);
  Object.assign(card.dataset, { steps: String(v.curve.length), accuracy: String(v.accuracy ?? ""),
    ratio: String(v.ratio ?? ""), ratioStart: String(v.ratioStart ?? ""), diverged: v.diverged ? String(v.diverged.step) : "" });
  dd(".task-status").textContent = v.diverged
    ? `The loss overflowed at step ${v.diverged.step} (first non-finite: ${v.diverged.cause.node}). ${v.diverged.cause.text}`
    : v.curve.length >= total ? "Done." : "";
}

/** The chart and every card. */
export function showAll(q, chart, variants, total) {
  chart.update(variants.map((v) => v.curve));
  q("task-chart").dataset.curves = JSON.stringify(variants.map((v) => v.curve.map(String)));
  variants.forEach((v, i) => showCard(q(`task-variant-${i}`), v, total));
}
