"""Overflowing numbers are results to show, never exceptions."""

import warnings

import numpy as np

from server.engine import backprop, build_model, parse_clip


def _huge(act="identity", last=1e200):
    return build_model({"kind": "mlp", "sizes": [2, 4, 4, 1], "activation": act, "loss": "mse",
                        "bias": False, "params": {"W1": np.full((4, 2), 1e200).tolist(),
                                                  "W2": np.full((4, 4), 1e200).tolist(),
                                                  "W3": np.full((1, 4), last).tolist()}})


def test_huge_weights_give_a_non_finite_loss_without_raising():
    model = _huge()
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # not even a RuntimeWarning escapes
        t = backprop(model, model.leaves_for([[1.0, 1.0]], [[0.0]]),
                     parse_clip({"mode": "norm", "max_norm": 1.0}))
    assert not np.isfinite(t["loss"])
    assert t["first_nonfinite_value"] == "z2"   # 1e200·1e200 overflows in the second layer
    assert t["first_nonfinite_grad"] is not None
    assert not np.isfinite(t["clipping"]["total_norm_before"])


def test_saturated_tanh_with_huge_weights_has_finite_loss_and_vanishing_gradient():
    model = _huge("tanh", last=0.25)
    t = backprop(model, model.leaves_for([[1.0, 1.0]], [[0.0]]))
    # a1 = a2 = tanh(≥ 2e200) = 1 exactly, ŷ = 4 · 0.25 · 1 = 1, L = 1
    assert t["loss"] == 1.0
    np.testing.assert_array_equal(t["param_grads"]["W3"], [[2.0, 2.0, 2.0, 2.0]])
    np.testing.assert_array_equal(t["param_grads"]["W2"], np.zeros((4, 4)))  # tanh′ = 0 there
    np.testing.assert_array_equal(t["param_grads"]["W1"], np.zeros((4, 2)))
    assert t["first_nonfinite_value"] is None and t["first_nonfinite_grad"] is None


def test_training_with_a_diverging_learning_rate_stops_at_the_first_nonfinite_loss():
    model = build_model({"kind": "mlp", "sizes": [1, 1], "activation": "identity", "loss": "mse",
                         "bias": False, "params": {"W1": [[1.0]]}})
    leaves = model.leaves_for([[10.0]], [[0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        losses, _, divergence = model.train(leaves, steps=300, lr=1.0, first_step=7)
    # w ← w − 200w: w_k = (−199)^k and f = 100 w², finite until 100·199^(2k) overflows.
    k = next(k for k in range(300) if not np.isfinite(100.0 * 199.0 ** (2 * k)))
    assert len(losses) == k + 1
    np.testing.assert_allclose(losses[:k], [100.0 * 199.0 ** (2 * j) for j in range(k)], rtol=1e-12)
    assert not np.isfinite(losses[-1])
    assert divergence["step"] == 7 + k      # counted from the session's earlier updates
    # The parameters kept are those that gave the non-finite loss: the next call stops at once.
    np.testing.assert_allclose(abs(model.params["W1"][0, 0]), 199.0 ** k, rtol=1e-12)
    again, _, divergence = model.train(leaves, steps=5, lr=1.0, first_step=7 + k)
    assert len(again) == 1 and divergence["step"] == 7 + k