"""engine/cost.py: the forward-pass counts are exact (backprop 1 + 1, finite differences
2P), backprop agrees with the central differences it is timed against, and a budget too
short for every entry gives an extrapolation that says so."""

import numpy as np

from server.engine import build_model
from server.engine.analysis import cost as cost_module
from server.engine.analysis.cost import central_difference, measure_cost

X = [[1.0, 2.0], [0.5, -1.0], [-0.3, 0.7], [0.2, 0.1]]
Y = [[1.0], [0.0], [0.4], [-0.2]]


def model_and_leaves(sizes, seed=3):
    model = build_model({"kind": "mlp", "sizes": sizes, "activation": "tanh", "seed": seed})
    return model, model.leaves_for(X, Y)


def test_finite_differences_take_two_forward_passes_per_parameter(monkeypatch):
    model, leaves = model_and_leaves([2, 3, 1])
    calls = []
    real = cost_module.loss_of
    monkeypatch.setattr(cost_module, "loss_of", lambda m, l: calls.append(1) or real(m, l))
    before = len(calls)
    answer = measure_cost(model, leaves, budget_s=0.05)
    n = answer["params"]
    assert n == 3 * 2 + 3 + 3 + 1
    assert answer["forward_passes"] == {"backprop": 1, "finite_differences": 2 * n}
    assert answer["finite_differences"]["entries_timed"] == n
    assert answer["finite_differences"]["forward_passes_timed"] == 2 * n
    assert not answer["finite_differences"]["extrapolated"]
    # The forward-only timing runs repeats[forward] passes; the rest are the differences'.
    assert len(calls) - before == answer["repeats"]["forward"] + 2 * n


def test_backprop_equals_the_central_differences_on_a_small_net():
    model, leaves = model_and_leaves([2, 4, 3, 1])
    answer = measure_cost(model, leaves, budget_s=0.05)
    assert answer["max_relative_error"] < 1e-6
    _, grads = model.loss_and_grads(leaves)
    for name, g in grads.items():
        numeric = [central_difference(model, leaves, name, k, 1e-6) for k in range(g.size)]
        np.testing.assert_allclose(numeric, g.ravel(), rtol=1e-6, atol=1e-9)


def test_the_parameters_are_left_as_they_were():
    model, leaves = model_and_leaves([2, 3, 1])
    before = {k: v.copy() for k, v in model.params.items()}
    measure_cost(model, leaves, budget_s=0.02)
    for k, v in before.items():
        np.testing.assert_array_equal(model.params[k], v)


def test_a_short_budget_samples_and_extrapolates():
    model, leaves = model_and_leaves([2, 60, 60, 1])
    answer = measure_cost(model, leaves, budget_s=0.01)
    fd = answer["finite_differences"]
    assert 1 <= fd["entries_timed"] < answer["params"]
    assert fd["extrapolated"]
    assert "extrapolated" in answer["note"]
    assert np.isclose(answer["seconds"]["finite_differences"], fd["seconds_per_entry"] * answer["params"])
    assert answer["seconds"]["finite_differences"] > answer["seconds"]["backprop"]
