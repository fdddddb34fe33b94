"""Gradient checking: backprop's ∂f/∂(param or node) against central finite differences.

The lecture's definition of the gradient, eq. (1)–(2), entry by entry:
    numeric = (f(…, w + ε e_k, …) − f(…, w − ε e_k, …)) / 2ε
    relative error = |analytic − numeric| / max(|analytic|, |numeric|, tiny)
It costs two forward passes per entry (backprop: one forward and one backward pass for
all of them), so arrays with more than `max_entries` entries are checked on a seeded
random sample of entries (reported as `checked` of `total`, with their `indices`).

A node (an input or an op's output) is checked the same way: its value is perturbed and
only the ops downstream of it are run again. The analytic side is what the model's
backward sweep reports (for truncated BPTT that is the truncated gradient, so it differs
from the finite differences on purpose). `tiny` keeps entries that are zero up to
rounding (about 1e-10 · |f| / ε) from counting as large relative errors.

At a kink (relu or leaky_relu with an input within KINK_WINDOW · ε of 0) the two sides
straddle it and disagree with backprop's one-sided choice (relu′(0) = 0) by design; such
nodes are listed in `kinks`.
"""

import numpy as np

from ..core import budget as request_budget
from ..core.ops import OPS

DEFAULT_EPS = 1e-6
DEFAULT_MAX_ENTRIES = 1000
DEFAULT_TINY = 1e-8
KINK_WINDOW = 1000.0
KINKED_OPS = ("relu", "leaky_relu")


def downstream_ops(graph, nid):
    """The op nodes whose value depends on `nid`, in forward order."""
    reached, stack = set(), [nid]
    while stack:
        for c in graph.consumers[stack.pop()]:
            if c not in reached:
                reached.add(c)
                stack.append(c)
    return [n for n in graph.op_order if n in reached]


def f_with(graph, values, nid, new_value, downstream):
    """f when node `nid` takes `new_value` (every other upstream value kept)."""
    vals = dict(values)
    vals[nid] = new_value
    for d in downstream:
        node = graph.nodes[d]
        vals[d] = OPS[node.op].forward(*[vals[i] for i in node.inputs], **node.attrs)
    return float(vals[graph.output])


def numeric_grad(graph, values, nid, flat_indices, eps=DEFAULT_EPS):
    """Central differences of f w.r.t. the given flat entries of node `nid` (only the first
    ones when the request's time budget runs out: the answer is then shorter)."""
    downstream = downstream_ops(graph, nid)
    x = np.array(values[nid], dtype=np.float64, copy=True)
    out = np.empty(len(flat_indices))
    budget = request_budget.current()
    with np.errstate(all="ignore"):
        for j, k in enumerate(flat_indices):
            if budget.spent():
                return out[:j]
            orig = x.flat[k]
            x.flat[k] = orig + eps
            f_plus = f_with(graph, values, nid, x, downstream)
            x.flat[k] = orig - eps
            f_minus = f_with(graph, values, nid, x, downstream)
            x.flat[k] = orig
            out[j] = (f_plus - f_minus) / (2.0 * eps)
    return out


def relative_errors(analytic, numeric, tiny=DEFAULT_TINY):
    """|a − n| / max(|a|, |n|, tiny), entrywise."""
    a, n = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    with np.errstate(all="ignore"):
        return np.abs(a - n) / np.maximum(np.maximum(np.abs(a), np.abs(n)), tiny)


def check_array(graph, values, nid, analytic, eps, max_entries, rng, tiny):
    """The report for one parameter or node: errors, numeric and analytic (all or sampled)."""
    analytic = np.asarray(analytic, dtype=np.float64)
    size = analytic.size
    sampled = size > max_entries
    flat = np.sort(rng.choice(size, max_entries, replace=False)) if sampled else np.arange(size)
    numeric = numeric_grad(graph, values, nid, flat, eps)
    if numeric.size < flat.size:  # cut short by the time budget: report the entries done
        flat, sampled = flat[:numeric.size], True
    a = analytic.ravel()[flat]
    err = relative_errors(a, numeric, tiny)
    report = {"max_relative_error": float(np.max(err)) if err.size else 0.0,
              "max_absolute_error": float(np.max(np.abs(a - numeric))) if err.size else 0.0,
              "checked": int(flat.size), "total": int(size)}
    if sampled:
        report.update(numeric=numeric, analytic=a,
                      indices=[[int(i) for i in np.unravel_index(k, analytic.shape)] for k in flat])
    else:
        report.update(numeric=numeric.reshape(analytic.shape), analytic=analytic)
    return report


def _class_labels(graph, values, nid):
    """Whether the node only feeds class indices to cross_entropy (no gradient there)."""
    uses = [(c, i) for c in graph.consumers[nid] for i, s in enumerate(graph.nodes[c].inputs)
            if s == nid]
    return bool(uses) and np.ndim(values[nid]) == 1 and all(
        graph.nodes[c].op == "cross_entropy" and i == 1 for c, i in uses)


def checked_nodes(graph, values):
    """Nodes worth checking: inputs and op outputs, except f itself, params and class labels."""
    return [nid for nid, node in graph.nodes.items()
            if nid != graph.output and node.op != "param" and not _class_labels(graph, values, nid)]


def kinks(graph, values, eps):
    """Activation nodes whose input lies within KINK_WINDOW · ε of a kink (0)."""
    return [nid for nid in graph.op_order if graph.nodes[nid].op in KINKED_OPS
            and np.any(np.abs(values[graph.nodes[nid].inputs[0]]) <= KINK_WINDOW * eps)]


def gradcheck(model, leaves, eps=DEFAULT_EPS, max_entries=DEFAULT_MAX_ENTRIES, nodes=True,
              seed=0, tiny=DEFAULT_TINY):
    """Backprop against central differences, per parameter and (if `nodes`) per node.

    Returns {max_relative_error (over the parameters), nodes_max_relative_error, eps, tiny,
    forward_passes (partial passes spent), kinks (node ids), params: {name: report},
    nodes: {id: report}},
    a report being {max_relative_error, max_absolute_error, checked, total, numeric,
    analytic[, indices when sampled]}.
    """
    rng = np.random.default_rng(seed)
    with np.errstate(all="ignore"):
        values = model.forward(leaves)
        grads, _ = model.backward(values, track_uses=False)
    graph = model.graph
    params = {name: check_array(graph, values, name, grads[name], eps, max_entries, rng, tiny)
              for name in model.params}
    node_reports = {}
    if nodes:
        node_reports = {nid: check_array(graph, values, nid, grads[nid], eps, max_entries, rng, tiny)
                        for nid in checked_nodes(graph, values)}
    worst = lambda reports: max((r["max_relative_error"] for r in reports.values()), default=0.0)  # noqa: E731
    passes = 2 * sum(r["checked"] for r in list(params.values()) + list(node_reports.values()))
    return {"max_relative_error": worst(params), "nodes_max_relative_error": worst(node_reports),
            "eps": eps, "tiny": tiny, "forward_passes": passes,
            "kinks": kinks(graph, values, eps),
            "params": params, "nodes": node_reports}
