/**
 * The remember-first task's bookkeeping: how many steps the next /train call asks for,
 * how a variant's loss curve grows, and the accuracy of the sign read out at t = T.
 * Pure: no DOM.
 */

export const CHUNK = 20; // steps per /train call: small enough for the curves to grow live

/** Steps for the next call, or 0 when `done` has reached `total`. */
export function nextChunk(done, total, chunk = CHUNK) {
  return Math.max(0, Math.min(chunk, total - done));
}

/**
 * A /train answer appended to a curve of losses (the loss before each update). Returns
 * the step of the first non-finite loss, counted from the start of training, or null.
 */
export function appendLosses(curve, answer) {
  const start = curve.length;
  curve.push(...answer.loss_history);
  const bad = answer.loss_history.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) return start + bad;
  return answer.divergence ? start + answer.loss_history.length : null;
}

/** The share of examples whose prediction ŷ_T has the sign of the target (NaN: wrong). */
export function signAccuracy(yhat, y) {
  let right = 0;
  y.forEach((row, k) => {
    if (Math.sign(yhat[k][0]) === Math.sign(row[0])) right += 1;
  });
  return right / y.length;
}
