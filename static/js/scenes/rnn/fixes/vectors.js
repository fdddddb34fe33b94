/**
 * Whole-gradient arithmetic for the fixes' panels: a gradient is {param: nested array},
 * compared as one long vector (the way clip_grad_norm_ sees it). Pure: no DOM.
 */

/** Every number of {name: nested array} in `names` order, as one flat list. */
export function flatten(grads, names = Object.keys(grads)) {
  return names.flatMap((name) => [grads[name]].flat(Infinity));
}

export function norm2(v) {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

/** cos ∠(a, b); null when either is 0 or holds a non-finite number (no direction). */
export function cosine(a, b) {
  const na = norm2(a);
  const nb = norm2(b);
  if (!(na > 0 && nb > 0) || !Number.isFinite(na) || !Number.isFinite(nb)) return null;
  const dot = a.reduce((s, x, i) => s + x * b[i], 0);
  return Math.max(-1, Math.min(1, dot / (na * nb)));
}

/** The angle in degrees for a cosine (null stays null). */
export function degrees(cos) {
  return cos === null ? null : (Math.acos(cos) * 180) / Math.PI;
}

/** The largest |entry| of a flat list (∞ if any entry is non-finite). */
export function maxAbs(v) {
  return v.reduce((m, x) => (Number.isFinite(x) ? Math.max(m, Math.abs(x)) : Infinity), 0);
}
