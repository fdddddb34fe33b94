/**
 * Reading a gradient-norm curve ‖∂f/∂h_t‖, t = 0..T: the fitted growth per step back in
 * time, the regime it means, and where the numbers overflowed. Pure: no DOM.
 */

// Within ±2 % per step the curve is called steady rather than vanishing or exploding.
const STEADY = 0.02;

/** The finite, positive points (t, log10 ‖∂f/∂h_t‖) — the only ones a log scale can show. */
export function logPoints(norms) {
  const points = [];
  norms.forEach((n, t) => {
    if (Number.isFinite(n) && n > 0) points.push([t, Math.log10(n)]);
  });
  return points;
}

/**
 * Least-squares slope of log10 ‖∂f/∂h_t‖ against t (decades per step forward in time), or
 * null with fewer than two points. Positive: the norm grows towards t = T, i.e. it shrinks
 * going back — vanishing.
 */
export function logSlope(norms) {
  const points = logPoints(norms);
  if (points.length < 2) return null;
  const n = points.length;
  const mt = points.reduce((s, [t]) => s + t, 0) / n;
  const mv = points.reduce((s, [, v]) => s + v, 0) / n;
  let num = 0;
  let den = 0;
  for (const [t, v] of points) {
    num += (t - mt) * (v - mv);
    den += (t - mt) ** 2;
  }
  return den > 0 ? num / den : null;
}

/** The factor by which the norm is multiplied per step back in time (t+1 -> t). */
export function perStepBack(slope) {
  return slope === null ? null : 10 ** -slope;
}

/** "vanishing" (factor < 1), "exploding" (> 1), "steady", or "unknown". */
export function regimeOf(factor) {
  if (factor === null || !Number.isFinite(factor)) return "unknown";
  if (factor < 1 - STEADY) return "vanishing";
  if (factor > 1 + STEADY) return "exploding";
  return "steady";
}

/**
 * The step where the backward sweep overflowed: walking from t = T down, the first t whose
 * norm is not finite (∞ or NaN), or null when every norm is finite.
 */
export function overflowStep(norms) {
  for (let t = norms.length - 1; t >= 0; t -= 1) {
    if (!Number.isFinite(norms[t])) return t;
  }
  return null;
}

/** Position in [0, 1] of a norm on the log scale spanning the finite `norms`; NaN if none. */
export function logPosition(norm, norms) {
  const logs = logPoints(norms).map(([, v]) => v);
  if (!Number.isFinite(norm)) return norm === Infinity || Number.isNaN(norm) ? 1 : 0;
  if (norm <= 0 || logs.length === 0) return 0;
  const lo = Math.min(...logs);
  const hi = Math.max(...logs);
  return hi > lo ? (Math.log10(norm) - lo) / (hi - lo) : 0.5;
}

/**
 * Walking from t = T down, the first t whose norm is exactly 0 (underflow past 1e−308, or
 * a ReLU cell whose units are all off), or null: a log scale has no point there either.
 */
export function zeroStep(norms) {
  for (let t = norms.length - 1; t >= 0; t -= 1) {
    if (norms[t] === 0) return t;
  }
  return null;
}
