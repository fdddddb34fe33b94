"""Gradient checking (backprop vs central differences) and the lecture's nudge, eq. (1)–(2)."""

import numpy as np
import pytest

from server.engine import SpecError, build_model
from server.engine.core.activations import ACTIVATIONS
from server.engine.kinds.graph import check_inputs
from server.engine.analysis.gradcheck import gradcheck, numeric_grad, relative_errors
from server.engine.core.losses import LOSSES
from server.engine.analysis.nudge import nudge
from server.engine.core.ops import OPS, Op, register, unregister


def mlp_case(activation, loss, seed=0, sizes=(3, 5, 3), m=6):
    rng = np.random.default_rng(seed)
    model = build_model({"kind": "mlp", "sizes": list(sizes), "activation": activation,
                         "loss": loss, "seed": seed})
    # nonzero biases keep the pre-activations off relu's kink at 0 (dead rows give z = b)
    model.params = {k: p + 0.3 * rng.standard_normal(p.shape) for k, p in model.params.items()}
    x = rng.standard_normal((m, sizes[0]))
    y = (rng.integers(0, sizes[-1], m).tolist() if loss == "cross_entropy"
         else rng.uniform(0, 1, (m, sizes[-1])))
    return model, model.leaves_for(x, y)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("loss", LOSSES)
def test_correct_ops_give_tiny_relative_errors(activation, loss):
    model, leaves = mlp_case(activation, loss)
    report = gradcheck(model, leaves)
    assert report["kinks"] == []
    assert report["max_relative_error"] < 1e-5
    assert report["nodes_max_relative_error"] < 1e-4
    assert set(report["params"]) == {"W1", "b1", "W2", "b2"}
    assert set(report["nodes"]) == {"a0", "z1", "a1", "z2", "a2"} | ({"y"} if loss != "cross_entropy" else set())
    w1 = report["params"]["W1"]
    assert w1["numeric"].shape == w1["analytic"].shape == (5, 3) and w1["checked"] == w1["total"] == 15


def test_numeric_gradient_of_a_known_function():
    model = build_model({"kind": "graph", "nodes": [
        {"id": "w", "op": "param", "value": [0.5, -1.5, 2.0]},
        {"id": "c", "op": "mul", "inputs": ["w", "w"]},
        {"id": "e", "op": "mul", "inputs": ["c", "w"]},
        {"id": "loss", "op": "sum", "inputs": ["e"]}]})
    report = gradcheck(model, {})
    w = np.array([0.5, -1.5, 2.0])
    np.testing.assert_allclose(report["params"]["w"]["numeric"], 3 * w ** 2, rtol=1e-8)
    np.testing.assert_array_equal(report["params"]["w"]["analytic"], 3 * w ** 2)
    np.testing.assert_allclose(report["nodes"]["c"]["numeric"], w, rtol=1e-8)  # ∂f/∂c = w
    assert report["forward_passes"] == 2 * (3 + 3 + 3)


def test_a_broken_op_is_caught():
    tanh = OPS["tanh"]
    register(Op("broken_tanh", tanh.forward, lambda g, ans, z: (g * (1.0 - ans),), 1,  # should be 1 − a²
                shape=lambda z: z))  # elementwise (an op names its shape rule)
    try:
        model = build_model({"kind": "graph", "nodes": [
            {"id": "x", "op": "input", "shape": [None, 2]},
            {"id": "W", "op": "param", "value": [[0.4, -0.7], [0.9, 0.2]]},
            {"id": "z", "op": "matmul", "inputs": ["x", "W"]},
            {"id": "a", "op": "broken_tanh", "inputs": ["z"]},
            {"id": "y", "op": "input", "shape": [None, 2]},
            {"id": "loss", "op": "mse", "inputs": ["a", "y"]}]})
        leaves = check_inputs(model.spec, {"x": [[1.0, 2.0], [-0.5, 0.5]], "y": [[0.0, 1.0], [1.0, 0.0]]})
        report = gradcheck(model, leaves)
    finally:
        unregister("broken_tanh")
    assert report["max_relative_error"] > 0.1
    assert report["nodes"]["z"]["max_relative_error"] > 0.1   # the error starts at the broken op
    assert report["nodes"]["a"]["max_relative_error"] < 1e-6  # and not downstream of it


def test_large_arrays_are_checked_on_a_seeded_sample():
    model, leaves = mlp_case("tanh", "mse", sizes=(20, 30, 2), m=4)
    report = gradcheck(model, leaves, max_entries=25, nodes=False)
    w1 = report["params"]["W1"]
    assert w1["checked"] == 25 and w1["total"] == 600 and len(w1["indices"]) == 25
    assert all(type(i) is int for idx in w1["indices"] for i in idx)  # plain JSON numbers
    grads = model.backward(model.forward(leaves), track_uses=False)[0]
    np.testing.assert_array_equal(w1["analytic"], [grads["W1"][tuple(i)] for i in w1["indices"]])
    assert report["params"]["b2"]["checked"] == 2 and "indices" not in report["params"]["b2"]
    assert report["nodes"] == {} and report["max_relative_error"] < 1e-5
    again = gradcheck(model, leaves, max_entries=25, nodes=False)
    assert again["params"]["W1"]["indices"] == w1["indices"]


def test_relu_kink_is_reported():
    model = build_model({"kind": "mlp", "sizes": [1, 1, 1], "activation": "relu", "bias": False,
                         "params": {"W1": [[1.0]], "W2": [[1.0]]}})
    report = gradcheck(model, model.leaves_for([[0.0]], [[1.0]]))
    assert report["kinks"] == ["a1"]
    # relu′(0) = 0 for backprop; the central difference straddles the kink and sees ½
    assert report["nodes"]["z1"]["analytic"][0, 0] == 0.0
    assert report["nodes"]["z1"]["numeric"][0, 0] == pytest.approx(-1.0, rel=1e-6)  # ½ · 2(0 − 1)


def test_relative_error_definition():
    np.testing.assert_allclose(relative_errors([1.0, 0.0, 2.0, 1e-12], [1.1, 0.0, -2.0, 0.0]),
                               [0.1 / 1.1, 0.0, 2.0, 1e-4])


def test_numeric_grad_reruns_only_downstream_ops_and_leaves_values_alone():
    model, leaves = mlp_case("sigmoid", "bce")
    values = model.forward(leaves)
    before = {k: np.array(v, copy=True) for k, v in values.items()}
    grads = model.backward(values, track_uses=False)[0]
    n = numeric_grad(model.graph, values, "z2", [0, 4, 7])
    np.testing.assert_allclose(n, grads["z2"].ravel()[[0, 4, 7]], rtol=1e-6)
    for k in before:
        np.testing.assert_array_equal(values[k], before[k])


# -- the nudge of eq. (1)–(2) -------------------------------------------------------------------

def test_nudge_change_matches_inner_product_up_to_second_order():
    model, leaves = mlp_case("tanh", "mse", seed=3)
    grads = model.backward(model.forward(leaves), track_uses=False)[0]
    direction = np.random.default_rng(1).standard_normal(model.params["W1"].shape)
    reports = [nudge(model, leaves, "W1", s * direction) for s in (1e-2, 5e-3)]
    big, small = reports
    assert big["predicted_change"] == pytest.approx(float(np.sum(grads["W1"] * 1e-2 * direction)), rel=1e-12)
    assert big["remainder"] == pytest.approx(big["actual_change"] - big["predicted_change"], abs=1e-18)
    assert big["remainder"] / small["remainder"] == pytest.approx(4.0, rel=0.02)          # O(δ²)
    assert abs(big["remainder_second_order"] / small["remainder_second_order"]) == pytest.approx(8.0, rel=0.05)
    assert abs(big["remainder_second_order"]) < abs(big["remainder"]) / 20
    moved = {**model.params, "W1": model.params["W1"] + 1e-2 * direction}
    f_after = float(build_model({"kind": "mlp", "sizes": [3, 5, 3], "activation": "tanh", "seed": 3,
                                 "params": {k: v.tolist() for k, v in moved.items()}}
                                ).forward(leaves)["loss"])
    assert big["f_after"] == pytest.approx(f_after, rel=1e-15)


def test_nudge_of_one_entry_and_the_linear_warmup_closed_form():
    # ℓ = (w3 w2 w1 x − y)²; ∂ℓ/∂w2 = 2(ŷ − y) w3 w1 x  (eq. 3 with scalars)
    model = build_model({"kind": "mlp", "sizes": [1, 1, 1, 1], "activation": "identity", "bias": False,
                         "params": {"W1": [[0.8]], "W2": [[-0.6]], "W3": [[1.2]]}})
    leaves = model.leaves_for([[1.5]], [[0.5]])
    out = nudge(model, leaves, "W2", 1e-3, index=[0, 0])
    y_hat = 1.2 * -0.6 * 0.8 * 1.5
    assert out["predicted_change"] == pytest.approx(2 * (y_hat - 0.5) * 1.2 * 0.8 * 1.5 * 1e-3, rel=1e-12)
    # ℓ is quadratic in w2 alone: the second-order prediction is exact
    assert out["remainder"] == pytest.approx((1.2 * 1e-3 * 0.8 * 1.5) ** 2, rel=1e-6)
    assert abs(out["remainder_second_order"]) < 1e-15


def test_nudge_refuses_bad_arguments():
    model, leaves = mlp_case("tanh", "mse")
    for kwargs, loc in (({"param": "W7", "delta": 0.1}, ("param",)),
                        ({"param": "W1", "delta": [[0.1]]}, ("delta",)),
                        ({"param": "W1", "delta": 0.1, "index": [5, 0]}, ("index",)),
                        ({"param": "W1", "delta": [0.1, 0.2], "index": [0, 0]}, ("delta",))):
        with pytest.raises(SpecError) as info:
            nudge(model, leaves, **kwargs)
        assert info.value.loc == loc
