/**
 * Parameters as one vector for the second-order scene: {name: nested array} flattened in
 * the network's parameter order, row-major (the order of /hessian's `names`), and back.
 * Pure: no DOM.
 */

export function flatten(params, keys = Object.keys(params)) {
  return keys.flatMap((k) => [params[k]].flat(Infinity));
}

/** A flat vector back into arrays shaped like `like`. */
export function unflatten(flat, like) {
  let i = 0;
  const fill = (v) => (Array.isArray(v) ? v.map(fill) : flat[i++]);
  const out = {};
  for (const [k, v] of Object.entries(like)) out[k] = fill(v);
  return out;
}

/** e_j shaped like the parameters: 1 at flat position j, 0 elsewhere. */
export function unitVector(like, j) {
  const n = flatten(like).length;
  return unflatten(Array.from({ length: n }, (_, i) => (i === j ? 1 : 0)), like);
}

export const dot = (a, b) => a.reduce((s, x, i) => s + x * b[i], 0);

/** θ − η g, entry by entry. */
export function gradientStep(params, grads, lr) {
  const step = (p, g) => (Array.isArray(p) ? p.map((x, i) => step(x, g[i])) : p - lr * g);
  return Object.fromEntries(Object.entries(params).map(([k, p]) => [k, step(p, grads[k])]));
}
