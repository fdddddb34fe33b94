/**
 * The /backprop body a fixes panel sends for the network the chart shows: the same
 * sequence rule as the chart (spec.js: the preset's steps taken cyclically), so every
 * panel talks about the same run. Pure: no DOM.
 */

import { FULL_DETAIL_MAX_STEPS, resizeSequence } from "../spec.js";

export function bodyFor(preset, network, extra = {}) {
  const steps = network.steps;
  const body = {
    network,
    x: resizeSequence(preset.x, steps),
    y: network.loss === "mse_all" ? resizeSequence(preset.y, steps) : preset.y,
    ...extra,
  };
  if (steps > FULL_DETAIL_MAX_STEPS) body.detail = "summary";
  return body;
}

/**
 * Truncated BPTT as the contract defines it: the loss term at step s reaches steps
 * s, s−1, …, s−k+1 only. True when the contribution of term s at step t survives
 * (1 ≤ t ≤ s ≤ T; k null is full BPTT).
 */
export function kept(s, t, k) {
  return t <= s && (k === null || s - t < k);
}

/** How many (term s, step t) contributions exist and how many truncation drops. */
export function droppedCount(steps, k, perStepLoss) {
  const terms = perStepLoss ? Array.from({ length: steps }, (_, i) => i + 1) : [steps];
  let total = 0;
  let dropped = 0;
  for (const s of terms) {
    for (let t = 1; t <= s; t += 1) {
      total += 1;
      if (!kept(s, t, k)) dropped += 1;
    }
  }
  return { total, dropped };
}
