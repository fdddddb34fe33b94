"""The lecture's eq. (1)–(2), live: nudge one parameter by δ and compare the change of f with ⟨∂f/∂W, δ⟩.

    f(…, W + δ, …) − f(…, W, …) = ⟨∂f/∂W, δ⟩ + O(‖δ‖²)

The remainder is the O(‖δ‖²) term; with the Hessian it is ½⟨δ, Hδ⟩ + O(‖δ‖³) (one
Hessian-vector product, see hvp.py), so halving δ quarters the first remainder and
divides the second by eight.
"""

import numpy as np

from ..core.arrays import as_array
from ..core.autodiff import forward
from ..core.errors import SpecError
from .hvp import hvp_sweeps, true_gradient
from ..core.ops import OPS


def _delta(model, param, delta, index):
    """δ as an array shaped like the parameter (a scalar δ at one entry when `index` is given)."""
    if param not in model.params:
        raise SpecError(("param",), f"unknown parameter {param!r}; this network has: "
                                    + ", ".join(model.params))
    shape = np.shape(model.params[param])
    if index is None:
        return as_array(delta, ("delta",), shape=shape)
    step = float(as_array(delta, ("delta",), shape=()))
    if (not isinstance(index, (list, tuple)) or len(index) != len(shape)
            or not all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < n
                       for i, n in zip(index, shape))):
        raise SpecError(("index",), f"must be a list of {len(shape)} integers within the "
                                    f"shape {shape} of {param!r}, got {index!r}")
    out = np.zeros(shape)
    out[tuple(index)] = step
    return out


def nudge(model, leaves, param, delta, index=None, second_order=True):
    """f before and after W ← W + δ, and the first- (and second-) order predictions.

    Returns {f_before, f_after, actual_change, predicted_change = ⟨∂f/∂W, δ⟩, remainder =
    actual − predicted, relative_remainder = |remainder| / |actual_change|} and, when
    `second_order` and every op has second-order rules, {curvature_term = ½⟨δ, Hδ⟩,
    predicted_change_second_order, remainder_second_order}.
    """
    d = _delta(model, param, delta, index)
    graph = model.graph
    with np.errstate(all="ignore"):
        f_before = float(forward(graph, {**leaves, **model.params})[graph.output])
        moved = {**model.params, param: model.params[param] + d}
        f_after = float(forward(graph, {**leaves, **moved})[graph.output])
    grad = true_gradient(model, leaves, model.params)[param]
    actual, predicted = f_after - f_before, float(np.sum(grad * d))
    out = {"param": param, "delta": d, "f_before": f_before, "f_after": f_after,
           "actual_change": actual, "predicted_change": predicted,
           "remainder": actual - predicted,
           "relative_remainder": abs(actual - predicted) / abs(actual) if actual else 0.0}
    if second_order and all(OPS[graph.nodes[n].op].second_order for n in graph.op_order):
        v = {k: (d if k == param else np.zeros_like(p)) for k, p in model.params.items()}
        hv = hvp_sweeps(model, leaves, v)[2][param]
        curvature = 0.5 * float(np.sum(d * hv))
        out.update(curvature_term=curvature,
                   predicted_change_second_order=predicted + curvature,
                   remainder_second_order=actual - predicted - curvature)
    return out
