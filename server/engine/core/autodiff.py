"""The two sweeps of backpropagation over a `Graph`.

forward: a_i for every node, in topological order.
backward: seeds ∂f/∂f = 1 at the output and walks the ops in reverse, calling each op's
vjp and *accumulating* into its inputs' gradients — so a node or parameter used twice
gets the sum of its uses (weight sharing with no special case).
"""

import numpy as np

from .ops import OPS


def forward(graph, leaves):
    """Values of every node, given the values of the leaves (inputs and params)."""
    values = dict(leaves)
    for nid in graph.op_order:
        node = graph.nodes[nid]
        values[nid] = OPS[node.op].forward(*[values[i] for i in node.inputs], **node.attrs)
    return values


def backward(graph, values, track_uses=True, params_only=False):
    """∂f/∂node for every node, and the contribution of each op that uses a parameter or a
    node read by several ops (a branch point).

    Returns (grads, uses) where uses[id] = [(op_id, grad contribution), ...] in forward
    order, summing to grads[id]. With `params_only`, the gradients of the data inputs are
    skipped where an op can (they are left as zeros): a caller that wants only ∂f/∂θ.
    """
    grads = {graph.output: np.ones_like(values[graph.output])}
    uses = {}
    nodes = graph.nodes
    data = set(graph.leaves("input")) if params_only else ()
    for nid in reversed(graph.op_order):
        g = grads.get(nid)
        if g is None:  # not on a path to the output: its gradient is zero
            continue
        node = nodes[nid]
        op = OPS[node.op]
        vjp = op.vjp
        if op.vjp_without_first is not None and node.inputs[0] in data:
            vjp = op.vjp_without_first
        input_grads = vjp(g, values[nid], *[values[i] for i in node.inputs], **node.attrs)
        per_input = {}
        for src, gi in zip(node.inputs, input_grads):
            if gi is None:
                continue
            per_input[src] = per_input[src] + gi if src in per_input else gi
        for src, gi in per_input.items():
            grads[src] = grads[src] + gi if src in grads else gi
            if track_uses and (nodes[src].op == "param" or len(graph.consumers[src]) > 1):
                uses.setdefault(src, []).append((nid, gi))
    for nid in nodes:
        if nid not in grads:
            grads[nid] = np.zeros_like(values[nid], dtype=np.float64)
    for param in uses:
        uses[param].reverse()
    return grads, uses
