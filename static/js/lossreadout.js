/**
 * The one wording of f for a step, shared by the header and the stage's f node so the two
 * never disagree: unknown before the forward pass reaches the loss, f once it has, and
 * during an update "f before → f after" the update. With numbers hidden until reached
 * (view.hide), f after the update waits for the last parameter's update step ("f = 0.53 → ?"),
 * since it is f at the updated parameters. Pure.
 */

import { formatNumber } from "./format.js";
import { lossAfterReached } from "./stage/pending.js";

/** The placeholder written where a number is not computed yet. */
export const PENDING = "?";

/** {known, text}: text is "" when f is not known yet (the caller says so its own way). */
export function lossReadout(view) {
  const { trace, revealed, step, iteration } = view;
  if (step?.phase === "update" && iteration?.update) {
    const { loss, loss_after: after } = iteration.update;
    const shown = lossAfterReached(view);
    return { known: true, text: `f = ${formatNumber(loss)} → ${shown ? formatNumber(after) : PENDING}` };
  }
  const known = revealed.values.has("loss");
  return { known, text: known ? `f = ${formatNumber(trace.loss)}` : "" };
}
