/**
 * The one wording of f for a step, shared by the header and the stage's f node so the two
 * never disagree: unknown before the forward pass reaches the loss, f once it has, and
 * during an update "f before → f after" the update. Pure.
 */

import { formatNumber } from "./format.js";

/** {known, text}: text is "" when f is not known yet (the caller says so its own way). */
export function lossReadout({ trace, revealed, step, iteration }) {
  if (step?.phase === "update" && iteration?.update) {
    const { loss, loss_after: after } = iteration.update;
    return { known: true, text: `f = ${formatNumber(loss)} → ${formatNumber(after)}` };
  }
  const known = revealed.values.has("loss");
  return { known, text: known ? `f = ${formatNumber(trace.loss)}` : "" };
}
