/**
 * The loss readout: f of the current iteration once the forward pass has reached it, and
 * after an update the loss with the new parameters. data-value holds f at full precision
 * (data-loss-after the loss after the update), and the history lists f per iteration.
 */

import { formatNumber } from "../format.js";

// The history shows the latest iterations only: its line never grows past the stage's box.
const HISTORY_SHOWN = 6;

export class LossView {
  constructor(root, history) {
    this.root = root;
    this.history = history;
  }

  update(view, history) {
    const { trace, revealed, step, iteration } = view;
    const known = revealed.values.has("loss");
    let text = known ? `f = ${formatNumber(trace.loss)}` : "f = ? (not computed yet)";
    if (step.phase === "update" && iteration.update) {
      text = `f = ${formatNumber(iteration.update.loss)} → ${formatNumber(iteration.update.loss_after)}`;
      this.root.dataset.lossAfter = String(iteration.update.loss_after);
    } else {
      delete this.root.dataset.lossAfter;
    }
    this.root.textContent = text;
    this.root.title = step.phase === "update" ? "loss before → after this update" : "loss f of this iteration";
    this.root.dataset.value = known ? String(trace.loss) : "";
    this.root.classList.toggle("diverged", known && !Number.isFinite(trace.loss));
    const shown = history.slice(-HISTORY_SHOWN).map((v) => formatNumber(v));
    if (history.length > HISTORY_SHOWN) shown.unshift("…");
    this.history.textContent = history.length > 1 ? `Loss per iteration: ${shown.join(" → ")}` : "";
    this.history.title = history.length > 1 ? history.map((v) => formatNumber(v)).join(" → ") : "";
  }
}
