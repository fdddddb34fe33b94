"""The recorded trace of one forward and one backward pass: what the page animates.

Everything here is plain data (dicts of numpy arrays, lists of ids), built from the
sweeps' results; the web layer only encodes it as JSON.
"""

import numpy as np

from .activations import ACTIVATIONS, derivative
from .clipping import clip_grads
from .graph import shape_key
from .stacked import Stacked


def graph_summary(model, leaves, values):
    """{output, nodes: [{id, op, inputs, shape, role}]}. Every shape follows from the leaves'
    shapes, so the list is built once per graph and leaf shapes and shared (read-only)."""
    graph = model.graph

    def nodes():
        return [{"id": nid, "op": node.op, "inputs": list(node.inputs),
                 "shape": list(np.shape(values[nid])), "role": graph.role(nid)}
                for nid, node in graph.nodes.items()]

    key = shape_key(leaves, model.params)
    return {"output": graph.output, "nodes": graph.memo("summary", key, nodes)}


def first_nonfinite(order, arrays):
    """The first node (in `order`) whose array holds a NaN or an infinity, or None."""
    if isinstance(arrays, Stacked):
        if arrays.all_finite():  # one check per stacked array
            return None
        arrays.make_views()  # a compact run's per-step entries, for the walk below
    for nid in order:
        if not np.isfinite(arrays[nid]).all():
            return nid
    return None


def conv_patch_contributions(graph, values, grads):
    """For each conv1d node, patch j's term of the kernel's gradient, Σ_k g[k, j] x[k, j:j+K]
    — the shared kernel's gradient is the sum of these rows (weight sharing)."""
    out = {}
    for nid in graph.with_op("conv1d"):
        node = graph.nodes[nid]
        x, w = values[node.inputs[0]], values[node.inputs[1]]
        windows = np.lib.stride_tricks.sliding_window_view(x, w.shape[0], axis=-1)
        g = grads[nid]
        out[nid] = np.einsum("bj,bji->ji", g.reshape(-1, g.shape[-1]),
                             windows.reshape(-1, *windows.shape[-2:]))
    return out


# What the compact answer (detail "gradients") leaves out: the per-node arrays, the graph and
# its orders, which for an RNN with T = 1000 are ~130,000 numbers (their text alone takes
# longer than the sweeps), and whose per-step views a compact run never makes.
PER_NODE_FIELDS = ("graph", "forward_order", "backward_order", "values", "grads",
                   "local_derivatives", "contributions")


def local_derivatives(model, values):
    """b′(z) of every activation node, keyed by the activation's id (a_i -> b′(z_i))."""
    own = model.kind_record.local_derivatives  # e.g. all steps at once
    if own is not None:
        return own(model.spec, values)
    return {nid: derivative(node.op, values[node.inputs[0]], values[nid])
            for nid, node in model.graph.nodes.items() if node.op in ACTIVATIONS}


def _forward(model, leaves, per_node):
    """(the forward answer's fields, the values of the pass)."""
    with np.errstate(all="ignore"):
        values = model.forward(leaves, per_node=per_node)
    graph = model.graph
    out = {"kind": model.kind, "loss": float(values[graph.output])}
    if per_node:
        out.update(graph=graph_summary(model, leaves, values), forward_order=graph.forward_order,
                   values=values)
    out["params"] = dict(model.params)
    if per_node:
        out["local_derivatives"] = local_derivatives(model, values)
    out["first_nonfinite_value"] = first_nonfinite(graph.forward_order, values)
    return out, values


def forward_trace(model, leaves):
    """The forward answer: every node's value, the graph, its order, b′(z) of each activation."""
    out, _ = _forward(model, leaves, per_node=True)
    return out


def backward_trace(model, values, clip=None, contributions=True, per_node=True):
    """The backward answer. contributions=False skips the per-use arrays (for an unrolled
    RNN that is T × (number of parameters) floats): `contributions` is then {param: []},
    and an RNN's `contribution_norms` still gives their norms. per_node=False leaves out
    PER_NODE_FIELDS (grads, the order, contributions)."""
    with np.errstate(all="ignore"):
        grads, uses = model.backward(values, track_uses=contributions, per_node=per_node)
        param_grads = model.param_grads(grads)
        out = {"loss": float(values[model.graph.output])}
        if per_node:
            out.update(backward_order=model.graph.backward_order, grads=grads)
        out["param_grads"] = param_grads
        if per_node:
            out["contributions"] = {name: [{"via": via, "grad": g} for via, g in uses.get(name, [])]
                                    for name in model.params}
        out["first_nonfinite_grad"] = first_nonfinite(model.graph.backward_order, grads)
        branches = {nid: [{"via": via, "grad": g} for via, g in node_uses]
                    for nid, node_uses in uses.items() if nid not in model.params}
        if branches:
            # A node feeding several ops: ∂f/∂node is the sum over its paths (lecture: ∂f/∂μ).
            out["branch_contributions"] = branches
        patches = conv_patch_contributions(model.graph, values, grads)
        if patches:
            out["patch_contributions"] = patches
        # Kind-specific summaries (e.g. per-time-step gradient norms for an RNN).
        extras = model.kind_record.extras
        if extras is not None:
            out.update(extras(model.spec, model.params, values, grads, uses))
        if clip is not None:
            clipped, report = clip_grads(param_grads, clip)
            out["clipping"] = {**report, "clipped_grads": clipped}
    return out


def backprop(model, leaves, clip=None, contributions=True, per_node=True):
    """One forward and one backward pass: the full answer of /api/v1/backprop, or with
    per_node=False the compact one (no PER_NODE_FIELDS; an RNN then makes no per-step views)."""
    fwd, values = _forward(model, leaves, per_node)
    return {**fwd, **backward_trace(model, values, clip, contributions, per_node)}
