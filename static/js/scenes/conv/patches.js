/**
 * The conv1d kernel's gradient, patch by patch (out = conv1d(x, w), kernel size k):
 *   ∂f/∂w = Σ_j ∂f/∂out[:, j] · x[:, j:j+k]  summed over the batch,
 * one term per patch j, each the sum over examples b of ∂f/∂out[b, j] · x[b, j:j+k].
 * Pure: numbers in, numbers out (tested with node --test).
 */

/** The conv node of a trace and the names of its input and kernel, or null. */
export function convOf(trace) {
  const node = trace.graph.nodes.find((n) => n.op === "conv1d");
  if (!node) return null;
  const [x, w] = node.inputs;
  return { out: node.id, x, w };
}

/** Every patch: its per-example factors and products, its term, and the running sum. */
export function patchTerms(trace) {
  const conv = convOf(trace);
  const x = trace.values[conv.x];
  const k = trace.values[conv.w].length;
  const g = trace.grads[conv.out];
  const patches = [];
  let running = new Array(k).fill(0);
  for (let j = 0; j < g[0].length; j += 1) {
    const examples = x.map((row, b) => {
      const window = row.slice(j, j + k);
      return { b, g: g[b][j], window, product: window.map((v) => g[b][j] * v) };
    });
    const term = examples.reduce((acc, e) => acc.map((s, i) => s + e.product[i]), new Array(k).fill(0));
    running = running.map((s, i) => s + term[i]);
    patches.push({ j, examples, term, running });
  }
  return { conv, k, patches };
}
