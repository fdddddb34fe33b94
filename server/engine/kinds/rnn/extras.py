"""The RNN answer's per-time-step summaries: gradient norms through time and the lecture's bound.

Exploding / vanishing gradients (the lecture): for the vanilla cell
∂f/∂h_{t−1} = e_{t−1} + W_hhᵀ (b′(z_t) ⊙ ∂f/∂h_t), with e_t = (∂f/∂ŷ_t) W_out the gradient the
read-out sends into h_t. Since ‖W_hhᵀ (d ⊙ v)‖ ≤ σ_max(W_hh) γ ‖v‖ when |b′| ≤ γ
(tanh, relu, identity, leaky_relu, softplus: γ = 1; sigmoid: γ = 1/4),

    ‖∂f/∂h_t‖ ≤ bound_h[t] = Σ_{s ≥ t} (γ σ_max)^{s−t} ‖e_s‖      (Frobenius norms over the batch)

which for mse_last is (γ σ_max)^{T−t} ‖∂f/∂h_T‖. Under truncation the sum runs over the
terms whose window reaches h_t (s ≤ t + k − 1; h_0: s ≤ k).
"""

import numpy as np

from ...core.stacked import stacked_array, stacked_arrays
from . import bptt
from .build import GATES, step_ids
from .sweeps import sweep, unrolled

# sup |b′(z)| of each activation (the γ of the bound)
DERIVATIVE_BOUND = {"identity": 1.0, "relu": 1.0, "leaky_relu": 1.0, "tanh": 1.0,
                    "sigmoid": 0.25, "softplus": 1.0}


def backward_extras(spec, params, values, grads, uses):
    """Kind-specific fields of the backward answer (see the README's RNN section)."""
    T = spec["steps"]
    with np.errstate(all="ignore"):
        dH = stacked_array(grads, "dH", step_ids("h", 0, T))
        out = {"grad_norms_h": step_norms(dH)}
        if spec["cell"] == "lstm":
            dC = stacked_array(grads, "dC", step_ids("c", 0, T))
            out["grad_norms_c"] = step_norms(dC)
        out["contribution_norms"] = contribution_norms(spec, values, grads, uses)
        out.update(singular_values(params["W_hh"], spec["cell"] == "lstm"))
        if spec["cell"] == "rnn":
            E = stacked_arrays(grads).get("E")
            if E is None:
                E = sweep(spec, values, None)[3]["E"]
            gamma = DERIVATIVE_BOUND[spec["activation"]]
            out["bound_h"] = bound_h(step_norms(E), gamma * out["sigma_max"], spec["truncate"])
            out["derivative_bound"] = gamma
        if spec["truncate"] is not None:
            out.update(truncation_report(spec, values, {n: grads[n] for n in params}))
    return out


def contribution_norms(spec, values, grads, uses):
    """{param: [‖contribution of step t‖ for t = 1..T]}, from the per-step arrays when the
    backward sweep kept them (uses), else computed a few steps at a time."""
    per_step = stacked_arrays(grads).get("contributions")
    if per_step is None and uses:
        per_step = {name: np.stack([g for _, g in uses[name]]) for name in uses}
    if per_step is not None:
        return {name: step_norms(arr) for name, arr in per_step.items()}
    _, X, S, dYhat = unrolled(spec, values)
    B = {"dZ": stacked_array(grads, "dZ", step_ids("z", 1, spec["steps"]))}
    return {name: arr.tolist() for name, arr in bptt.contribution_norms(spec, X, S, dYhat, B).items()}


def step_norms(arr):
    """The Frobenius norm of each arr[t] (over the batch and units): a list of floats."""
    flat = arr.reshape(arr.shape[0], -1)
    return np.sqrt(np.einsum("ti,ti->t", flat, flat)).tolist()


def singular_values(W_hh, lstm):
    """σ_max and σ_min of W_hh (and of each gate block of the LSTM's)."""
    def sv(W):
        if not np.isfinite(W).all():
            return float("nan"), float("nan")
        s = np.linalg.svd(W, compute_uv=False)
        return float(s[0]), float(s[-1])

    out = dict(zip(("sigma_max", "sigma_min"), sv(W_hh)))
    if lstm:
        H = W_hh.shape[1]
        blocks = {gate: sv(W_hh[j * H:(j + 1) * H]) for j, gate in enumerate(GATES)}
        out["sigma_max_gates"] = {g: s[0] for g, s in blocks.items()}
        out["sigma_min_gates"] = {g: s[1] for g, s in blocks.items()}
    return out


def bound_h(e_norms, r, k):
    """bound_h[t], t = 0..T, from ‖e_t‖ (t = 1..T) and the factor r = γ σ_max per step back."""
    T = len(e_norms)
    e = np.concatenate([[0.0], e_norms])
    if k is None or k >= T:
        e, b = e.tolist(), [0.0] * (T + 1)  # Python floats: inf and nan propagate, no warnings
        b[T] = e[T]
        for t in range(T - 1, -1, -1):
            b[t] = e[t] + r * b[t + 1]
        return b
    b = np.zeros(T + 1)
    for j in range(k):  # the terms s = t + j, j steps later, reach h_t
        src = e[1 + j:]
        b[1:T + 1 - j] += np.where(src != 0.0, r ** j * src, 0.0)
    s = np.arange(1, k + 1)
    b[0] = np.sum(np.where(e[1:k + 1] != 0.0, r ** s * e[1:k + 1], 0.0))
    return b.tolist()


def truncation_report(spec, values, truncated):
    """Full-BPTT parameter gradients beside the truncated ones, and how far apart they are.

    truncation_relative_difference = ‖g_trunc − g_full‖ / ‖g_full‖ and truncation_cosine =
    ⟨g_trunc, g_full⟩ / (‖g_trunc‖ ‖g_full‖), over all parameters flattened into one vector
    (per parameter in truncation_per_param); None where a norm is 0.
    """
    full = sweep(spec, values, None)[3]["params"]
    per_param = {name: _compare(truncated[name], full[name]) for name in full}
    total = _compare(np.concatenate([truncated[n].ravel() for n in full]),
                     np.concatenate([full[n].ravel() for n in full]))
    return {"full_param_grads": full,
            "truncation_relative_difference": total["relative_difference"],
            "truncation_cosine": total["cosine"],
            "truncation_per_param": per_param}


def _compare(a, b):
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    diff = float(np.linalg.norm(a - b))
    return {"relative_difference": diff / nb if nb > 0 else (0.0 if diff == 0 else None),
            # clipped: rounding can put |cos| a hair above 1
            "cosine": float(np.clip(np.vdot(a, b) / (na * nb), -1.0, 1.0)) if na > 0 and nb > 0 else None}
