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
    if isinstance(arrays, Stacked) and arrays.all_finite():  # one check per stacked array
        return None
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


def forward_trace(model, leaves):
    with np.errstate(all="ignore"):
        values = model.forward(leaves)
    graph = model.graph
    own = model.kind_record.local_derivatives  # e.g. all steps at once
    if own is not None:
        local = own(model.spec, values)
    else:
        local = {nid: derivative(node.op, values[node.inputs[0]], values[nid])
                 for nid, node in graph.nodes.items() if node.op in ACTIVATIONS}
    return {
        "kind": model.kind,
        "loss": float(values[graph.output]),
        "graph": graph_summary(model, leaves, values),
        "forward_order": graph.forward_order,
        "values": values,
        "params": dict(model.params),
        # b′(z) of every activation node, keyed by the activation's id (a_i -> b′(z_i)).
        "local_derivatives": local,
        "first_nonfinite_value": first_nonfinite(graph.forward_order, values),
    }


def backward_trace(model, values, clip=None, contributions=True):
    """The backward answer. contributions=False skips the per-use arrays (for an unrolled
    RNN that is T × (number of parameters) floats): `contributions` is then {param: []},
    and an RNN's `contribution_norms` still gives their norms."""
    with np.errstate(all="ignore"):
        grads, uses = model.backward(values, track_uses=contributions)
        param_grads = model.param_grads(grads)
        out = {
            "loss": float(values[model.graph.output]),
            "backward_order": model.graph.backward_order,
            "grads": grads,
            "param_grads": param_grads,
            "contributions": {name: [{"via": via, "grad": g} for via, g in uses.get(name, [])]
                              for name in model.params},
            "first_nonfinite_grad": first_nonfinite(model.graph.backward_order, grads),
        }
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


def backprop(model, leaves, clip=None, contributions=True):
    """One forward and one backward pass: the full answer of /api/v1/backprop."""
    fwd = forward_trace(model, leaves)
    return {**fwd, **backward_trace(model, fwd["values"], clip, contributions)}
