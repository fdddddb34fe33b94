"""The RNN's own sweeps: every node's value and gradient, computed on arrays stacked over time.

What the generic sweeps over the unrolled graph compute (tests check both agree), with the
per-step entries as views of the stacked arrays (core/stacked.py), and truncated BPTT.
"""

import numpy as np

from ...core.activations import derivative
from ...core.stacked import Stacked, stacked_array, stacked_arrays
from . import bptt
from .build import param_shapes, step_ids
from .ops import gate_activations


def _params(spec, values):
    return {name: values[name] for name in param_shapes(spec)}


def forward(spec, graph, data_leaves, params, per_node=True):
    """Every node's value (what the generic forward computes), on arrays stacked over time;
    per_node=False defers the per-step entries (Stacked.make_views)."""
    T = spec["steps"]
    p = _params(spec, params)
    leaves = Stacked({**data_leaves, **params}, **stacked_arrays(data_leaves))
    X = stacked_array(leaves, "X", step_ids("x", 1, T))
    with np.errstate(all="ignore"):
        S = bptt.forward(spec, p, X, leaves["h0"], leaves.get("c0"))
        Y = leaves["y"] if spec["loss"] == "mse_last" else leaves["y"].transpose(1, 0, 2)
        loss, dYhat = bptt.loss_and_dyhat(spec, S["Yhat"], Y)
    values = Stacked(leaves, X=X, **S, dYhat=dYhat)
    values.add_steps(step_ids("z", 1, T), S["Z"], per_node)  # views, one per step
    values.add_steps(step_ids("h", 0, T), S["Hs"], per_node)
    values.add_steps(step_ids("yhat", 1, T), S["Yhat"], per_node)
    if "C" in S:
        values.add_steps(step_ids("c", 0, T), S["C"], per_node)
    values["loss"] = loss
    return values


def local_derivatives(spec, values):
    """b′(z_t) of every activation node h_t (vanilla cell; the LSTM has none), all steps at once."""
    if spec["cell"] == "lstm":
        return {}
    T = spec["steps"]
    Z = stacked_array(values, "Z", step_ids("z", 1, T))
    Hs = stacked_array(values, "Hs", step_ids("h", 0, T))
    with np.errstate(all="ignore"):
        D = derivative(spec["activation"], Z, Hs[1:])
    if isinstance(values, Stacked):
        values.stacked["D"] = D  # the backward sweep reuses it
    return dict(zip(step_ids("h", 1, T), D))


def unrolled(spec, values):
    """(params, X, stacked forward states, ∂f/∂ŷ) from the values of a forward pass."""
    T = spec["steps"]
    p = _params(spec, values)
    X = stacked_array(values, "X", step_ids("x", 1, T))
    S = {"Z": stacked_array(values, "Z", step_ids("z", 1, T)),
         "Hs": stacked_array(values, "Hs", step_ids("h", 0, T)),
         "Yhat": stacked_array(values, "Yhat", step_ids("yhat", 1, T)),
         "D": stacked_arrays(values).get("D")}  # b′(z_t), if already computed
    if spec["cell"] == "lstm":
        S["C"] = stacked_array(values, "C", step_ids("c", 0, T))
        for key in ("A", "TC"):
            S[key] = stacked_arrays(values).get(key)
        if S["A"] is None:
            S["A"] = gate_activations(S["Z"])
            S["TC"] = np.tanh(S["C"][1:])
    dYhat = stacked_arrays(values).get("dYhat")
    if dYhat is None:
        Y = values["y"] if spec["loss"] == "mse_last" else values["y"].transpose(1, 0, 2)
        dYhat = bptt.loss_and_dyhat(spec, S["Yhat"], Y)[1]
    return p, X, S, dYhat


def sweep(spec, values, truncate):
    """The stacked gradients of one backward sweep (truncated to `truncate` steps, or full)."""
    p, X, S, dYhat = unrolled(spec, values)
    with np.errstate(all="ignore"):
        E = bptt.sources(spec, p, dYhat)
        if truncate is None or truncate >= spec["steps"]:  # k ≥ T cuts nothing
            B = bptt.backward_full(spec, p, S, E)
        else:
            B = bptt.backward_truncated(spec, p, S, E, truncate)
        B["dX"] = B["dZ"] @ p["W_ih"]
        B["dYhat"], B["E"] = dYhat, E
        B["params"] = bptt.param_grads(spec, p, X, S, dYhat, B)
    return p, X, S, B


def backward(spec, graph, values, track_uses=True, per_node=True):
    """(grads of every node, uses) like the generic sweep, with truncated BPTT if asked.

    Under truncation, a node's reported gradient is the sum over the loss terms of each
    term's truncated gradient (the gradient truncated BPTT descends along).
    uses[param] holds one (op id, contribution) per time step, in forward order, zero
    where no gradient arrives; they sum to grads[param].
    """
    T = spec["steps"]
    p, X, S, B = sweep(spec, values, spec["truncate"])
    grads = Stacked(B["params"], **B)
    grads["loss"] = np.ones_like(values["loss"])
    dY = B["dYhat"]
    grads["y"] = -dY[-1] if spec["loss"] == "mse_last" else -dY.transpose(1, 0, 2)
    grads.add_steps(step_ids("x", 1, T), B["dX"], per_node)  # views, one per step
    grads.add_steps(step_ids("z", 1, T), B["dZ"], per_node)
    grads.add_steps(step_ids("yhat", 1, T), dY, per_node)
    grads.add_steps(step_ids("h", 0, T), B["dH"], per_node)
    if "dC" in B:
        grads.add_steps(step_ids("c", 0, T), B["dC"], per_node)
    uses = {}
    if track_uses:
        with np.errstate(all="ignore"):
            per_step = bptt.contributions(spec, X, S, dY, B)
        grads.stacked["contributions"] = per_step
        for name, arr in per_step.items():
            prefix = "yhat" if name in ("W_out", "b_out") else "z"
            uses[name] = list(zip(step_ids(prefix, 1, T), arr))
    return grads, uses
