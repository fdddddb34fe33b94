/**
 * The network the training panel edits: hidden sizes, activation, loss from the dataset's
 * task, and the session body. Pure; limits keep a classroom net small enough to train live.
 */

export const LIMITS = Object.freeze({ maxLayers: 6, maxUnits: 16, minUnits: 1 });

/** Hidden sizes of an MLP spec's `sizes` (everything between input and output). */
export function hiddenOf(sizes) {
  return sizes.slice(1, -1);
}

export function addLayer(hidden) {
  if (hidden.length >= LIMITS.maxLayers) return hidden;
  return [...hidden, hidden.length ? hidden[hidden.length - 1] : 4];
}

export function removeLayer(hidden) {
  return hidden.length ? hidden.slice(0, -1) : hidden;
}

/** Adds `delta` units to layer `i`, within [minUnits, maxUnits]. */
export function resize(hidden, i, delta) {
  const n = Math.max(LIMITS.minUnits, Math.min(LIMITS.maxUnits, hidden[i] + delta));
  return hidden.map((h, j) => (j === i ? n : h));
}

/** Output width and loss for a dataset: k classes → softmax cross-entropy, else one mse output. */
export function headFor(data) {
  if (data.loss === "cross_entropy") return { out: data.classes ?? 2, loss: "cross_entropy" };
  return { out: data.y[0].length, loss: data.loss ?? "mse" };
}

/** POST /sessions body for `state` = {hidden, activation, seed} on `data` = {x, y, loss, classes}. */
export function sessionBody(base, state, data) {
  const head = headFor(data);
  const network = {
    ...base,
    kind: "mlp",
    sizes: [data.x[0].length, ...state.hidden, head.out],
    activation: state.activation,
    loss: head.loss,
    output_activation: "identity",
    seed: state.seed,
  };
  delete network.params;
  return { network, x: data.x, y: data.y };
}

/** Steps per request: about 4000 sample-gradients, so one request stays a few ms. */
export function chunkSteps(batch, m) {
  const per = batch > 0 ? Math.min(batch, m) : m;
  return Math.max(5, Math.min(50, Math.round(4000 / per)));
}
