/**
 * The remember-first task's sessions: one per variant (preset.variants), made fresh, trained
 * by a number of steps at an η, and measured (accuracy of sign(ŷ_T) and ‖∂f/∂h₁‖ / ‖∂f/∂h_T‖).
 * API calls and state changes only, no DOM. A variant `v` is {spec, curve, diverged, id, …}.
 */

import { appendLosses, signAccuracy } from "./logic.js";

/** A variant's working record, before its session exists. */
export const freshVariant = (spec) => ({ spec, curve: [], diverged: null, id: null });

export function closeAll(api, variants) {
  for (const v of variants) if (v.id) api.deleteSession(v.id).catch(() => {});
}

/** The server's diagnosis, without its step number (counted within one /train call). */
function causeOf(divergence) {
  const text = divergence?.message?.match(/Likely cause: .*/)?.[0] ?? "";
  return { node: divergence?.first_nonfinite_value ?? "loss", text };
}

/**
 * `steps` updates of `v` at η = `lr`, its curve grown; stops at a divergence. A call the
 * server cut short (its time budget) is followed by one for the rest.
 */
export async function trainVariant(api, v, steps, lr) {
  let left = steps;
  while (left > 0 && !v.diverged) {
    const body = { steps: left, lr };
    if (v.spec.clip) body.clip = v.spec.clip;
    const answer = await api.train(v.id, body);
    const bad = appendLosses(v.curve, answer);
    if (bad !== null) v.diverged = { step: bad, cause: causeOf(answer.divergence) };
    if (answer.loss_history.length === 0) break;
    left -= answer.loss_history.length;
  }
}

/** Accuracy of sign(ŷ_T) and ‖∂f/∂h₁‖ / ‖∂f/∂h_T‖ for the session's current parameters. */
export async function measure(api, preset, v) {
  const [forward, backward] = await api.trace(v.id);
  const T = v.spec.network.steps;
  v.accuracy = signAccuracy(forward.values[`yhat${T}`], preset.y);
  const norms = backward.grad_norms_h;
  v.ratio = norms[1] / norms[T];
  v.ratioStart ??= v.ratio;
  v.loss = forward.loss;
}
