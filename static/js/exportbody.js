/**
 * The body of POST /export/numpy for the network on the stage, with the parameters it
 * shows (after updates), for every kind: an MLP and an RNN take `params` by name and their
 * data as `x`, `y`; a graph holds its parameters in its param nodes' `value` and is fed
 * `inputs` by node id. Pure.
 */

const roleOf = (trace, role) => trace.graph.nodes.filter((n) => n.role === role).map((n) => n.id);

export function exportBody(trace, preset, params, lr) {
  const network = trace.network ?? preset.network;
  if (trace.kind === "graph") {
    const nodes = network.nodes.map((n) => (n.op === "param" && n.id in params ? { ...n, value: params[n.id] } : n));
    const inputs = Object.fromEntries(roleOf(trace, "input").map((id) => [id, trace.values[id]]));
    return { network: { ...network, nodes }, inputs };
  }
  if (trace.kind === "mlp") {
    // The stage's own data (a training scene may have changed it): a₀ = x and the targets.
    return { network: { ...network, params }, x: trace.values.a0, y: trace.values.y, lr, steps: 1 };
  }
  return { network: { ...network, params }, x: preset.x, y: preset.y };
}
