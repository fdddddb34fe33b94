"""Where a run blew up: the first node whose value or gradient stopped being finite.

Used when training diverges, so the page can say *which* node overflowed first and why,
instead of greying out a NaN.
"""

import numpy as np

from ..core.autodiff import backward, forward
from ..core.trace import first_nonfinite


def _first_bad(model, params, leaves):
    with np.errstate(all="ignore"):
        values = forward(model.graph, {**leaves, **params})
        grads, _ = backward(model.graph, values, track_uses=False)
    graph = model.graph
    node = first_nonfinite([n for n in graph.forward_order if n not in params], values)
    grad = first_nonfinite(graph.backward_order, grads)
    return node, grad, values, grads


def _overshoot(params, grads, lr):
    """The cause when no gradient overflowed: the update was too large (or, with no
    parameters at all, the data itself gives a non-finite f)."""
    if not params:
        return "f is not finite on this data (the network has no parameters to update)"
    largest = max(params, key=lambda k: float(np.max(np.abs(grads[k]))))
    return (f"the update with η = {lr:g} overshot: the largest gradient entry was "
            f"{float(np.max(np.abs(grads[largest]))):.3g} (in ∂f/∂{largest})")


def diagnose_divergence(model, leaves, step, last_finite_params, lr, clip):
    """A plain-language account of the first non-finite step of a training run."""
    node, _, values, _ = _first_bad(model, model.params, leaves)
    bad_params = [k for k, p in model.params.items() if not np.isfinite(p).all()]
    _, grad_before, _, grads_before = _first_bad(model, last_finite_params, leaves)
    cause = (f"the gradient ∂f/∂{grad_before} overflowed" if grad_before else
             _overshoot(last_finite_params, grads_before, lr))
    advice = "use a smaller learning rate" + ("" if clip else " or turn on gradient clipping")
    return {
        "step": step,
        "first_nonfinite_value": node,
        "nonfinite_params": bad_params,
        "first_nonfinite_grad_before": grad_before,
        "message": (f"The loss became non-finite at step {step}. "
                    + (f"The first node to overflow is {node}. " if node else "")
                    + f"Likely cause: {cause}; {advice}."),
    }
