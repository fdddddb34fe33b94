"""Hessian-vector products by forward-over-reverse (Pearlmutter's R-operator), never building H.

The lecture's last extension: H = ∂²f/∂w_i∂w_j. For a direction v (one array per
parameter, like the parameters), Hv = d/dt ∇f(θ + t v) at t = 0. We differentiate both
sweeps of backprop along v:

- forward: every node carries its value a and its tangent ȧ = d a/dt (each op's `jvp`);
  a parameter's tangent is its entry of v, an input's is zero (None).
- backward: every node carries its gradient g = ∂f/∂a and the gradient's tangent ġ
  (each op's `rvjp`, the derivative of its vjp); at the output g = 1 and ġ = 0.

A parameter's ġ is its block of Hv. Cost: one forward and one backward sweep, each a small
constant times the plain ones (a few times one gradient), with memory for one more copy
of the values and gradients. Only nodes that depend on a parameter carry tangents.

H is the Hessian of f itself: a builder's own backward sweep (truncated BPTT) is not
used here, nor in `hvp_check`'s finite differences, which use the full gradient.
"""

import numpy as np

from ..core import budget as request_budget
from ..core.arrays import as_array
from ..core.autodiff import backward, forward
from ..core.errors import LimitError, SpecError
from ..core.ops import OPS

FULL_HESSIAN_MAX_PARAMS = 200


def require_second_order(graph):
    """Refuse (SpecError naming the node and op) a graph with an op lacking jvp/rvjp rules."""
    for nid in graph.op_order:
        op = OPS[graph.nodes[nid].op]
        if not op.second_order:
            raise SpecError(("network",), f"node {nid!r}: op {op.name!r} has no second-order "
                                          "rules (jvp and rvjp), so Hessian-vector products "
                                          "are not available for this network")


def check_direction(model, v, loc=("v",)):
    """v as float64 arrays shaped like the parameters; a missing parameter means a zero block."""
    if not isinstance(v, dict):
        raise SpecError(loc, "must be an object {parameter name: array}")
    for name in v:
        if name not in model.params:
            raise SpecError(loc + (name,), f"unknown parameter {name!r}; this network has: "
                                           + ", ".join(model.params))
    return {name: (as_array(v[name], loc + (name,), shape=p.shape) if name in v
                   else np.zeros_like(p, dtype=np.float64))
            for name, p in model.params.items()}


def forward_dots(graph, leaves, dots):
    """Values a and tangents ȧ of every node; `dots` holds the leaves' tangents (params)."""
    values, tangents = dict(leaves), dict(dots)
    for nid in graph.op_order:
        node = graph.nodes[nid]
        op = OPS[node.op]
        inputs = [values[i] for i in node.inputs]
        values[nid] = ans = op.forward(*inputs, **node.attrs)
        in_dots = tuple(tangents.get(i) for i in node.inputs)
        if any(d is not None for d in in_dots):
            tangents[nid] = op.jvp(in_dots, ans, *inputs, **node.attrs)
    return values, tangents


def backward_dots(graph, values, tangents):
    """Gradients g and their tangents ġ, accumulated over uses, for nodes with a tangent."""
    out = graph.output
    grads, grad_dots = {out: np.ones_like(values[out])}, {}
    for nid in reversed(graph.op_order):
        if tangents.get(nid) is None or nid not in grads:
            continue  # no parameter upstream, or no path to the output
        node = graph.nodes[nid]
        op = OPS[node.op]
        inputs = [values[i] for i in node.inputs]
        in_dots = tuple(tangents.get(i) for i in node.inputs)
        g = grads[nid]
        input_grads = op.vjp(g, values[nid], *inputs, **node.attrs)
        input_grad_dots = op.rvjp(g, grad_dots.get(nid), values[nid], tangents[nid],
                                  inputs, in_dots, **node.attrs)
        for src, d, gi, gd in zip(node.inputs, in_dots, input_grads, input_grad_dots):
            if d is None:
                continue  # src does not depend on a parameter: neither is needed
            _accumulate(grads, src, gi)
            _accumulate(grad_dots, src, gd)
    return grads, grad_dots


def _accumulate(store, key, value):
    if value is not None:
        store[key] = store[key] + value if key in store else value


def hvp_sweeps(model, leaves, v):
    """(loss, ∇f, Hv) as dicts per parameter, from one forward and one backward sweep."""
    require_second_order(model.graph)
    with np.errstate(all="ignore"):
        values, tangents = forward_dots(model.graph, {**leaves, **model.params}, v)
        grads, grad_dots = backward_dots(model.graph, values, tangents)
    zeros = {name: np.zeros_like(p, dtype=np.float64) for name, p in model.params.items()}
    grad = {name: np.asarray(grads.get(name, zeros[name]), dtype=np.float64) for name in zeros}
    hv = {name: np.asarray(grad_dots.get(name, zeros[name]), dtype=np.float64) for name in zeros}
    return float(values[model.graph.output]), grad, hv


def hvp(model, leaves, v):
    """{param: (Hv)[param]}: the exact Hessian-vector product, H never formed.

    `v` is {param: array} (missing parameters are zero blocks); it is checked here.
    """
    return hvp_sweeps(model, leaves, check_direction(model, v))[2]


def inner(u, w):
    """⟨u, w⟩ summed over every parameter block (the lecture's inner product)."""
    return float(sum(np.sum(u[k] * w[k]) for k in u))


def hvp_report(model, leaves, v=None):
    """Hv plus what a user reads next to it: the loss, ∇f, the curvature vᵀHv / vᵀv.

    v = None means along the gradient, v = ∇f (one more gradient sweep).
    """
    if v is None:
        v = true_gradient(model, leaves, model.params)
    v = check_direction(model, v)
    loss, grad, hv = hvp_sweeps(model, leaves, v)
    vv = inner(v, v)
    return {"loss": loss, "param_grads": grad, "hvp": hv, "vHv": inner(v, hv),
            "curvature": inner(v, hv) / vv if vv > 0 else 0.0}


def true_gradient(model, leaves, params):
    """∇f at `params` by the generic backward sweep (full BPTT even when backprop truncates)."""
    with np.errstate(all="ignore"):
        values = forward(model.graph, {**leaves, **params})
        grads, _ = backward(model.graph, values, track_uses=False)
    return {name: np.asarray(grads[name], dtype=np.float64) for name in params}


def _norm(u):
    return float(np.sqrt(inner(u, u)))


def _relative_error(a, b, tiny=1e-300):
    diff = _norm({k: a[k] - b[k] for k in a})
    return diff / max(_norm(a), _norm(b), tiny)


def hvp_check(model, leaves, v, eps=1e-5):
    """Hv against central differences of gradients: (∇f(θ+εv̂) − ∇f(θ−εv̂)) / 2ε · ‖v‖.

    The step ε is taken along the unit direction v̂ = v/‖v‖, so `eps` means the same for
    any scale of v. Returns {hvp, finite_difference, relative_error (global, ‖·‖₂ over all
    blocks), per_param (relative error per block), eps}.
    """
    v = check_direction(model, v)
    hv = hvp_sweeps(model, leaves, v)[2]
    scale = _norm(v)
    if scale == 0.0:
        fd = {k: np.zeros_like(x) for k, x in hv.items()}
    else:
        step = {k: (eps / scale) * x for k, x in v.items()}
        plus = true_gradient(model, leaves, {k: p + step[k] for k, p in model.params.items()})
        minus = true_gradient(model, leaves, {k: p - step[k] for k, p in model.params.items()})
        fd = {k: (plus[k] - minus[k]) * (scale / (2.0 * eps)) for k in hv}
    return {"hvp": hv, "finite_difference": fd, "eps": eps,
            "relative_error": _relative_error(hv, fd),
            "per_param": {k: _relative_error({k: hv[k]}, {k: fd[k]}) for k in hv}}


def _random_direction(model, rng):
    v = {k: rng.standard_normal(np.shape(p)) for k, p in model.params.items()}
    n = _norm(v)
    return {k: x / n for k, x in v.items()} if n > 0 else v


def top_eigenvalue(model, leaves, iters=20, seed=0):
    """Power iteration on H by HVPs: (the eigenvalue of largest |λ|, Rayleigh quotients per step).

    v ← Hv / ‖Hv‖ from a seeded random unit v; each step records λ = vᵀHv. When the top
    two |λ| are close it converges slowly: read the history. H = 0 gives 0.
    """
    require_second_order(model.graph)
    v = _random_direction(model, np.random.default_rng(seed))
    history, budget = [], request_budget.current()
    for i in range(max(int(iters), 1)):
        if i and budget.spent():  # the request's time budget: the history so far
            break
        hv = hvp_sweeps(model, leaves, v)[2]
        history.append(inner(v, hv))
        n = _norm(hv)
        if n == 0.0 or not np.isfinite(n):
            break
        v = {k: x / n for k, x in hv.items()}
    return history[-1], history


def flat_names(params):
    """Labels of the flattened parameter entries, in order: "W1[0,1]", "b1[2]", "w"."""
    names = []
    for name, p in params.items():
        for idx in np.ndindex(np.shape(p)):
            names.append(f"{name}[{','.join(map(str, idx))}]" if idx else name)
    return names


def full_hessian(model, leaves, max_params=FULL_HESSIAN_MAX_PARAMS):
    """The whole Hessian, one column per HVP with a unit vector, and its eigenvalues.

    Only for small nets (n ≤ max_params, LimitError otherwise): n HVPs. Returns
    {names, hessian (n, n) as computed, eigenvalues (ascending, of (H + Hᵀ)/2),
    asymmetry = max |H − Hᵀ| (rounding only)}.
    """
    require_second_order(model.graph)
    n = int(sum(np.size(p) for p in model.params.values()))
    if n > max_params:
        raise LimitError(("network",), f"the full Hessian is computed for at most {max_params} "
                                       f"parameters; this network has {n} (use hvp or "
                                       "top_eigenvalue)", "FULL_HESSIAN_MAX_PARAMS")
    shapes = {k: np.shape(p) for k, p in model.params.items()}
    H, budget = np.zeros((n, n)), request_budget.current()
    for j in range(n):
        if budget.spent():  # the request's time budget: columns not computed are NaN
            H[:, j:] = np.nan
            break
        e = np.zeros(n)
        e[j] = 1.0
        hv = hvp_sweeps(model, leaves, _unflatten(e, shapes))[2]
        H[:, j] = np.concatenate([np.ravel(hv[k]) for k in shapes]) if n else []
    with np.errstate(all="ignore"):
        sym = 0.5 * (H + H.T)
        finite = np.isfinite(sym).all()
        # An overflowed Hessian has no eigenvalues to speak of: NaN, shown, not a crash.
        eigenvalues = np.linalg.eigvalsh(sym) if n and finite else np.full(n, np.nan)
        asymmetry = float(np.max(np.abs(H - H.T))) if n else 0.0
    return {"names": flat_names(model.params), "hessian": H, "eigenvalues": eigenvalues,
            "asymmetry": asymmetry}


def _unflatten(flat, shapes):
    out, i = {}, 0
    for k, shape in shapes.items():
        size = int(np.prod(shape))
        out[k] = flat[i:i + size].reshape(shape)
        i += size
    return out


def newton_step(model, leaves, damping=0.0, max_params=FULL_HESSIAN_MAX_PARAMS):
    """One (damped) Newton step Δ = −(H + λI)⁻¹ ∇f for a small net, not applied to the model.

    Returns {step: {param: Δ}, loss_before, loss_after (f at θ + Δ), predicted_change =
    ∇fᵀΔ + ½ ΔᵀHΔ (the quadratic model's), eigenvalues of H, damping, indefinite (H + λI
    has an eigenvalue ≤ 0: the step then heads for a saddle or a maximum along it)}.
    """
    full = full_hessian(model, leaves, max_params)
    H, shapes = full["hessian"], {k: np.shape(p) for k, p in model.params.items()}
    loss, grad, _ = hvp_sweeps(model, leaves, {k: np.zeros(s) for k, s in shapes.items()})
    g = np.concatenate([np.ravel(grad[k]) for k in shapes]) if shapes else np.zeros(0)
    A = 0.5 * (H + H.T) + damping * np.eye(len(g))
    delta = -np.linalg.lstsq(A, g, rcond=None)[0]  # lstsq: a singular H still gets a step
    step = _unflatten(delta, shapes)
    with np.errstate(all="ignore"):
        after = forward(model.graph, {**leaves, **{k: p + step[k] for k, p in model.params.items()}})
    lowest = float(full["eigenvalues"][0]) + damping if len(g) else 0.0
    return {"step": step, "loss_before": loss, "loss_after": float(after[model.graph.output]),
            "predicted_change": float(g @ delta + 0.5 * delta @ H @ delta),
            "eigenvalues": full["eigenvalues"], "damping": float(damping),
            "indefinite": bool(lowest <= 0.0)}
