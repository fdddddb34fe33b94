/**
 * Which graph nodes a step touches: `active` is the node the step computes, `sources` the
 * nodes it reads. Forward: an op reads its inputs. Backward: ∂f/∂v is assembled from the
 * ops that read v (and, for a parameter, the other inputs of that op, e.g. a_{i−1} for
 * ∂f/∂W_i). Update: the parameter alone. Pure.
 */

export function touched(step, trace) {
  const nodes = trace.graph.nodes;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const active = new Set([step.node]);
  const sources = new Set();
  if (step.phase === "forward") {
    for (const id of byId.get(step.node)?.inputs ?? []) sources.add(id);
  } else if (step.phase === "backward") {
    for (const consumer of nodes.filter((n) => n.inputs.includes(step.node))) {
      sources.add(consumer.id);
      if (step.kind === "param-grad") {
        for (const id of consumer.inputs) if (byId.get(id)?.role !== "param") sources.add(id);
      } else {
        for (const id of consumer.inputs) if (byId.get(id)?.role === "param" && id.startsWith("W")) sources.add(id);
      }
    }
  }
  active.forEach((id) => sources.delete(id));
  return { active, sources };
}
