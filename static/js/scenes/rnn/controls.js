/**
 * The RNN scene's markup: the ρ / activation / T controls, the verdict, the chart, the
 * unrolled chain with its backward-walk buttons, the request as JSON, and the host for
 * the fixes' sub-panels (buildPanel, which returns q(testid) -> element); and the controls
 * set to the store's settings (showSettings), whoever changed them.
 */

import { ACTIVATIONS, RHO, STEPS, parseSteps } from "./spec.js";

const options = (active) => ACTIVATIONS.map((a) =>
  `<option value="${a}"${a === active ? " selected" : ""}>${a}</option>`).join("");

function controlsHtml(choice) {
  return `<div class="rnn-controls" data-testid="rnn-controls">
    <label class="rnn-field rnn-rho-field"><span>ρ = ‖W<sub>hh</sub>‖<sub>2</sub></span>
      <input type="range" data-testid="rnn-rho" min="${RHO.min}" max="${RHO.max}" step="${RHO.step}" value="${choice.rho}" aria-describedby="rnn-rho-note">
      <output data-testid="rnn-rho-value">${choice.rho.toFixed(2)}</output></label>
    <label class="rnn-field"><span>activation b</span>
      <select data-testid="rnn-activation">${options(choice.activation)}</select></label>
    <label class="rnn-field"><span>T =</span>
      <input type="range" data-testid="rnn-steps" min="${STEPS.min}" max="${STEPS.max}" step="${STEPS.step}" value="${choice.steps}">
      </label><input type="number" data-testid="rnn-steps-value" min="${STEPS.min}" max="${STEPS.typedMax}" step="1" value="${choice.steps}" aria-label="T, the number of time steps (up to ${STEPS.typedMax})">
    <p class="rnn-note" id="rnn-rho-note" data-testid="rnn-note" hidden></p>
  </div>`;
}

function chartHtml() {
  return `<div class="rnn-top">
    <figure class="rnn-figure">
      <figcaption><span class="rnn-key norm"></span> ‖∂f/∂h<sub>t</sub>‖, t = 0 … T
        <span class="rnn-key bound"></span> <span data-testid="rnn-bound-legend">bound</span></figcaption>
      <div class="rnn-chart" data-testid="rnn-chart" data-state="busy" role="img"></div>
    </figure>
    <div class="rnn-side">
      <p class="rnn-verdict" data-testid="rnn-verdict" aria-live="polite">…</p>
      <p class="rnn-detail" data-testid="rnn-sigma"></p>
      <p class="rnn-overflow" data-testid="rnn-overflow" role="status" hidden></p>
      <p class="rnn-zero" data-testid="rnn-zero" hidden></p>
      <p class="rnn-error" data-testid="rnn-error" role="alert" hidden></p>
    </div>
  </div>`;
}

function chainHtml() {
  return `<div class="rnn-walk">
    <h3>Backward through time</h3>
    <div class="rnn-walk-buttons">
      <button type="button" class="primary" data-testid="rnn-anim-play">▶ Backward through time</button>
      <button type="button" data-testid="rnn-anim-step" title="One step back in time (t → t − 1)">◀ Step back</button>
      <button type="button" data-testid="rnn-anim-reset" title="Show every step's gradient at once">Show all</button>
      <span class="rnn-readout" data-testid="rnn-anim-readout" aria-live="polite"></span>
    </div>
    <div class="rnn-formula" data-testid="rnn-formula"></div>
    <div class="rnn-chain-box"></div>
  </div>`;
}

function jsonHtml() {
  return `<details class="rnn-json">
    <summary>This chart as a script: the POST /api/v1/backprop body</summary>
    <p>The sequence for a new T repeats the preset's x cyclically (step t uses its step
      (t − 1) mod T₀; y too when every step has a loss). Plot <code>grad_norms_h</code> and <code>bound_h</code>.</p>
    <button type="button" data-testid="rnn-copy-body">Copy JSON</button>
    <pre data-testid="rnn-body"></pre>
  </details>`;
}

/** Fills `root` and returns a lookup by data-testid. */
export function buildPanel(root, choice) {
  root.innerHTML = `<h2>Backprop through time: does ∂f/∂h<sub>t</sub> vanish or explode?</h2>
    ${controlsHtml(choice)}${chartHtml()}${chainHtml()}${jsonHtml()}
    <div class="rnn-panels" data-testid="rnn-panels"></div>`;
  return (id) => root.querySelector(`[data-testid="${id}"]`);
}

/**
 * The ρ / b / T controls showing `scene` (the store's settings). The T box is left alone
 * while it has the focus and already means this T: rewriting it would undo what is typed.
 */
export function showSettings(q, scene, vanilla) {
  q("rnn-rho").value = String(scene.rho);
  q("rnn-rho-value").textContent = vanilla ? scene.rho.toFixed(2) : "—";
  q("rnn-activation").value = scene.activation;
  q("rnn-steps").value = String(scene.steps);
  const typed = q("rnn-steps-value");
  if (document.activeElement !== typed || parseSteps(typed.value) !== scene.steps) {
    typed.value = String(scene.steps);
    typed.setAttribute("aria-invalid", "false");
  }
}
