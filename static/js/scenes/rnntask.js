/**
 * The "remember the first input" task trained three ways on the same data: a plain RNN, the
 * same RNN with gradient clipping, an LSTM with the same clipping (preset.variants). Each variant is a session
 * trained in chunks of CHUNK steps, in turn, so the three loss curves grow side by side;
 * beside them the accuracy of the sign read out at t = T and ‖∂f/∂h₁‖ / ‖∂f/∂h_T‖, the
 * share of the gradient that reaches the first step — the one that must carry the memory.
 */

import { formatNumber } from "../format.js";
import { createLossChart, VARIANT_COLOURS } from "./rnntask/chart.js";
import { appendLosses, nextChunk, signAccuracy } from "./rnntask/logic.js";

function panelHtml(preset) {
  const cards = preset.variants.map((v, i) => `
    <article class="task-card" data-testid="task-variant-${i}" style="border-color:${VARIANT_COLOURS[i]}">
      <h3>${v.name}</h3>
      <dl><dt>steps</dt><dd class="task-steps">0</dd><dt>loss f</dt><dd class="task-loss">—</dd>
        <dt>accuracy</dt><dd class="task-acc">—</dd>
        <dt title="the share of the last step's gradient that reaches t = 1">‖∂f/∂h₁‖ / ‖∂f/∂h_T‖ at the start</dt><dd class="task-r0">—</dd>
        <dt>‖∂f/∂h₁‖ / ‖∂f/∂h_T‖ now</dt><dd class="task-r1">—</dd></dl>
      <p class="task-status" aria-live="polite"></p></article>`).join("");
  return `<h2>Remember the first input: three ways to train</h2>
    <div class="task-buttons"><button type="button" data-testid="task-train">▶ Train all three</button>
      <button type="button" data-testid="task-reset">↺ Start again</button>
      <span>${preset.train_steps} steps each at the toolbar's η (the claim's: ${preset.lr}), full batch of ${preset.y.length}</span></div>
    <div class="task-cards">${cards}</div>
    <div class="task-chart" data-testid="task-chart"></div>`;
}

export function mount(root, { api, preset, eta }) {
  root.innerHTML = panelHtml(preset);
  const q = (id) => root.querySelector(`[data-testid="${id}"]`);
  const chart = createLossChart(q("task-chart"), preset.variants.map((v) => v.name), preset.train_steps);
  const task = { api, preset, eta, q, chart, variants: [], playing: false, destroyed: false };
  const start = () => startVariants(task).catch((err) => say(task, err.message));
  q("task-train").addEventListener("click", () => toggle(task));
  q("task-reset").addEventListener("click", () => { task.playing = false; start(); });
  start();
  return {
    destroy() {
      task.destroyed = true;
      task.playing = false;
      chart.destroy();
      closeAll(task);
      root.replaceChildren();
    },
  };
}

function say(task, text) {
  task.q("task-chart").dataset.error = text;
  task.variants.forEach((v) => { v.card.querySelector(".task-status").textContent = text; });
}

function closeAll(task) {
  for (const v of task.variants) if (v.id) task.api.deleteSession(v.id).catch(() => {});
}

/** A fresh session per variant, and its ‖∂f/∂h₁‖ before any training. */
async function startVariants(task) {
  closeAll(task);
  const { preset, api, eta } = task;
  task.variants = preset.variants.map((spec, i) => ({
    spec, curve: [], diverged: null, id: null, card: task.q(`task-variant-${i}`),
  }));
  task.chart.update([]);
  for (const v of task.variants) {
    const session = await api.createSession({ network: v.spec.network, x: preset.x, y: preset.y });
    if (task.destroyed) return api.deleteSession(session.id).catch(() => {});
    v.id = session.id;
    await measure(task, v);
  }
  showAll(task);
}

function toggle(task) {
  task.playing = !task.playing;
  task.q("task-train").textContent = task.playing ? "❚❚ Pause" : "▶ Train all three";
  if (task.playing) train(task).catch((err) => { task.playing = false; say(task, err.message); });
}

/** Round-robin: one chunk per variant in turn, until every variant is done or diverged. */
async function train(task) {
  const { preset, api, eta } = task;
  while (task.playing && !task.destroyed) {
    const live = task.variants.filter((v) => !v.diverged && nextChunk(v.curve.length, preset.train_steps) > 0);
    if (live.length === 0) break;
    for (const v of live) {
      const body = { steps: nextChunk(v.curve.length, preset.train_steps), lr: eta.get() };
      if (v.spec.clip) body.clip = v.spec.clip;
      const answer = await api.train(v.id, body);
      if (task.destroyed) return;
      const bad = appendLosses(v.curve, answer);
      if (bad !== null) v.diverged = { step: bad, cause: causeOf(answer.divergence) };
    }
    showAll(task);
  }
  if (task.destroyed) return;
  for (const v of task.variants) await measure(task, v);
  task.playing = false;
  task.q("task-train").textContent = "▶ Train all three";
  showAll(task);
}

/** The server's diagnosis, without its step number (counted within one /train call). */
function causeOf(divergence) {
  const text = divergence?.message?.match(/Likely cause: .*/)?.[0] ?? "";
  return { node: divergence?.first_nonfinite_value ?? "loss", text };
}

/** Accuracy of sign(ŷ_T) and ‖∂f/∂h₁‖ / ‖∂f/∂h_T‖ for the session's current parameters. */
async function measure(task, v) {
  const { api, preset } = task;
  const forward = await api.forward(v.id);
  const backward = await api.backward(v.id);
  const T = v.spec.network.steps;
  v.accuracy = signAccuracy(forward.values[`yhat${T}`], preset.y);
  const norms = backward.grad_norms_h;
  v.ratio = norms[1] / norms[T];
  v.ratioStart ??= v.ratio;
  v.loss = forward.loss;
}

function showAll(task) {
  task.chart.update(task.variants.map((v) => v.curve));
  task.q("task-chart").dataset.curves = JSON.stringify(task.variants.map((v) => v.curve.map(String)));
  task.variants.forEach((v) => {
    const dd = (cls) => v.card.querySelector(cls);
    dd(".task-steps").textContent = String(v.curve.length);
    const last = v.curve.length ? v.curve[v.curve.length - 1] : v.loss;
    dd(".task-loss").textContent = last === undefined ? "—" : formatNumber(last);
    dd(".task-acc").textContent = v.accuracy === undefined ? "—" : `${Math.round(100 * v.accuracy)}%`;
    dd(".task-r0").textContent = v.ratioStart === undefined ? "—" : formatNumber(v.ratioStart);
    dd(".task-r1").textContent = v.ratio === undefined ? "—" : formatNumber(v.ratio);
    Object.assign(v.card.dataset, { steps: String(v.curve.length), accuracy: String(v.accuracy ?? ""),
      ratio: String(v.ratio ?? ""), ratioStart: String(v.ratioStart ?? ""), diverged: v.diverged ? String(v.diverged.step) : "" });
    dd(".task-status").textContent = v.diverged
      ? `The loss overflowed at step ${v.diverged.step} (first non-finite: ${v.diverged.cause.node}). ${v.diverged.cause.text}` : v.curve.length >= task.preset.train_steps ? "Done." : "";
  });
}
