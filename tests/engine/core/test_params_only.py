"""The parameter-only backward sweep (Model.loss_and_grads) skips the data inputs'
gradients, and gives exactly the parameter gradients of the full recorded sweep."""

import math

import numpy as np
import pytest

from server.engine import backprop, build_model
from server.engine.core.autodiff import backward


@pytest.mark.parametrize("activation,loss,bias", [("tanh", "mse", True), ("relu", "cross_entropy", True),
                                                  ("sigmoid", "bce", False)])
def test_loss_and_grads_equal_the_full_trace_bit_for_bit(activation, loss, bias):
    rng = np.random.default_rng(3)
    model = build_model({"kind": "mlp", "sizes": [5, 7, 3], "activation": activation, "loss": loss,
                         "bias": bias, "seed": 1})
    y = rng.integers(0, 3, 6).astype(float) if loss == "cross_entropy" else rng.integers(0, 2, (6, 3)).astype(float)
    leaves = model.leaves_for(rng.normal(size=(6, 5)), y)
    f, grads = model.loss_and_grads(leaves)
    trace = backprop(model, leaves)
    # The same products in both sweeps; a tolerance all the same, since another BLAS kernel
    # may block the two calls differently (agreement to float64 rounding is the claim).
    assert math.isclose(f, trace["loss"], rel_tol=1e-13)
    for name, g in grads.items():
        np.testing.assert_allclose(g, trace["param_grads"][name], rtol=1e-12, atol=1e-300)


def test_params_only_leaves_the_data_gradient_uncomputed():
    rng = np.random.default_rng(0)
    model = build_model({"kind": "mlp", "sizes": [4, 3, 1], "activation": "tanh", "loss": "mse", "seed": 0})
    leaves = model.leaves_for(rng.normal(size=(2, 4)), rng.normal(size=(2, 1)))
    values = model.forward(leaves)
    full, _ = backward(model.graph, values, track_uses=False)
    lean, _ = backward(model.graph, values, track_uses=False, params_only=True)
    assert np.abs(full["a0"]).sum() > 0
    np.testing.assert_array_equal(lean["a0"], np.zeros_like(full["a0"]))
    for name in model.params:
        np.testing.assert_array_equal(lean[name], full[name])
