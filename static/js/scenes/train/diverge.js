/** Where a training run diverged, counted from the start of the run. Pure. */

/**
 * The run-wide step of a divergence, whichever way the server counts divergence.step
 * (within this request, or over the session): the index of the first non-finite loss of
 * the request's history, which both servers report the same way.
 */
export function divergenceStep(res, before) {
  const i = res.loss_history.findIndex((f) => !Number.isFinite(f));
  if (i >= 0) return before + i;
  const d = res.divergence.step;
  return d >= before && d <= res.step ? d : before + d;
}
