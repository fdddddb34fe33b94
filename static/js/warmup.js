/**
 * The linear warm-up (lecture eq. 3): for ℓ = (w_d ⋯ w_1 x − y)² with scalar weights,
 *   ∂ℓ/∂w_i = 2(w_d ⋯ w_1 x − y) (w_d ⋯ w_{i+1}) (w_{i−1} ⋯ w_1 x),
 * computed here directly from the weights, independently of the backward pass, so the page
 * can show both numbers side by side. (The lecture writes the last factor (w_i ⋯ w_1 x)
 * with its own indexing, where a_i is the input of layer i+1; with z_i = W_i a_{i−1} it is
 * a_{i−1} = w_{i−1} ⋯ w_1 x.) Pure.
 */

/** True for a network the closed form applies to: scalar weights, identity, no bias, one example, mse. */
export function isLinearWarmup(trace) {
  const net = trace.network ?? {};
  const nodes = trace.graph.nodes;
  const scalar = nodes.every((n) => n.shape.every((s) => s === 1));
  const noBias = !nodes.some((n) => /^b\d+$/.test(n.id));
  const linear = nodes.filter((n) => /^a\d+$/.test(n.id) && n.op !== "input").every((n) => n.op === "identity");
  const lossNode = nodes.find((n) => n.id === "loss");
  return trace.kind === "mlp" && scalar && noBias && linear && lossNode?.op === "mse" && net.kind !== "rnn";
}

const scalarOf = (v) => (Array.isArray(v) ? scalarOf(v[0]) : v);

/** The scalar weights w_1..w_d, the input x and the target y of a warm-up trace. */
export function warmupScalars(trace) {
  const w = [];
  for (const [name, value] of Object.entries(trace.params)) {
    const match = /^W(\d+)$/.exec(name);
    if (match) w[Number(match[1]) - 1] = scalarOf(value);
  }
  return { w, x: scalarOf(trace.values.a0), y: scalarOf(trace.values.y) };
}

/**
 * Eq. (3) for w_i (i is 1-based), with its three factors. Multiplied in the order the
 * backward pass multiplies (output side first, then the input side), so the two agree
 * digit for digit when the engine is right.
 */
export function closedFormGrad(w, x, y, i) {
  let forward = x;
  for (const wj of w) forward = wj * forward;          // w_d ⋯ w_1 x
  let prefix = x;
  for (let j = 0; j < i - 1; j += 1) prefix = w[j] * prefix; // w_{i−1} ⋯ w_1 x
  const residual = 2 * (forward - y);                  // 2(w_d ⋯ w_1 x − y)
  let upstream = residual;
  for (let j = w.length - 1; j >= i; j -= 1) upstream = upstream * w[j]; // ⋯ (w_d ⋯ w_{i+1})
  let tail = 1;
  for (let j = w.length - 1; j >= i; j -= 1) tail = tail * w[j];
  return { value: upstream * prefix, residual, tail, prefix, output: forward };
}
