/**
 * The loss readout: f of the current iteration once the forward pass has reached it, and
 * after an update the loss with the new parameters. data-value holds f at full precision
 * (data-loss-after the loss after the update), and the history lists f per iteration.
 * With numbers hidden until reached (view.hide), the loss after an update waits for the last
 * parameter's update, and the history stops at what this step has reached: a step back into
 * an earlier iteration does not list the losses of the iterations after it.
 */

/** The losses of `history` (f per iteration, then f after the last update) that `view` has
 * reached; the current iteration's f is "?" until its forward pass computes it. */
export function reachedHistory(view, history) {
  if (!view.hide) return history;
  const i = view.step.iteration;
  const out = history.slice(0, i);
  out.push(view.revealed.values.has("loss") ? history[i] : PENDING);
  if (lossAfterReached(view) && history.length > i + 1) out.push(history[i + 1]);
  return out;
}

const formatted = (v) => (v === PENDING ? v : formatNumber(v));

import { formatNumber } from "../format.js";
import { PENDING, lossReadout } from "../lossreadout.js";
import { lossAfterReached } from "../stage/pending.js";

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
      text = lossReadout(view).text;
      if (lossAfterReached(view)) this.root.dataset.lossAfter = String(iteration.update.loss_after);
      else delete this.root.dataset.lossAfter;
    } else {
      delete this.root.dataset.lossAfter;
    }
    this.root.textContent = text;
    this.root.title = step.phase === "update" ? "loss before → after this update" : "loss f of this iteration";
    this.root.dataset.value = known ? String(trace.loss) : "";
    this.root.classList.toggle("diverged", known && !Number.isFinite(trace.loss));
    const reached = reachedHistory(view, history);
    const shown = reached.slice(-HISTORY_SHOWN).map(formatted);
    if (reached.length > HISTORY_SHOWN) shown.unshift("…");
    this.history.textContent = reached.length > 1 ? `Loss per iteration: ${shown.join(" → ")}` : "";
    this.history.title = reached.length > 1 ? reached.map(formatted).join(" → ") : "";
  }
}
