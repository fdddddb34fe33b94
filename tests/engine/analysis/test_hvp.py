"""Forward-mode rules and Hessian-vector products (forward-over-reverse), against finite differences."""

import dataclasses

import numpy as np
import pytest

from server.engine import LimitError, SpecError, build_model
from server.engine.core.activations import ACTIVATIONS
from server.engine.kinds.graph import check_inputs
from server.engine.analysis.hvp import (check_direction, full_hessian, hvp, hvp_check, hvp_report,
                               inner, newton_step, top_eigenvalue)
from server.engine.core.losses import LOSSES
from server.engine.core.ops import OPS, Op, register, unregister


def five_point(fun, h=1e-4):
    """d/dt fun(t) at 0 (error O(h⁴) + roundoff / h)."""
    f = lambda t: np.asarray(fun(t), dtype=np.float64)  # noqa: E731
    return (-f(2 * h) + 8 * f(h) - 8 * f(-h) + f(-2 * h)) / (12 * h)


def moved(inputs, dots, t):
    return [x if d is None else x + t * d for x, d in zip(inputs, dots)]


def assert_close(got, want, label, rtol=1e-7):
    """got ≈ want at the scale of both; a rule may answer None for a zero tangent."""
    want = np.asarray(want, dtype=np.float64)
    got = np.zeros_like(want) if got is None else np.asarray(got, dtype=np.float64)
    assert got.shape == want.shape, f"{label}: shape {got.shape}, expected {want.shape}"
    scale = np.max(np.abs(want), initial=0.0) + np.max(np.abs(got), initial=0.0)
    err = np.max(np.abs(got - want), initial=0.0)
    assert err <= rtol * scale + 1e-11, f"{label}: max |diff| {err:.3e} at scale {scale:.3e}"


def check_rules(name, inputs, dots, rng, g_dot=True):
    """jvp against d/dt forward, rvjp against d/dt vjp (g moving along ġ, inputs along dots)."""
    op = OPS[name]
    ans = op.forward(*inputs)
    ans_dot = op.jvp(tuple(dots), ans, *inputs)
    assert_close(ans_dot, five_point(lambda t: op.forward(*moved(inputs, dots, t))), f"{name} jvp")
    g = rng.standard_normal(np.shape(ans))
    gd = rng.standard_normal(np.shape(ans)) if g_dot else None
    got = op.rvjp(g, gd, ans, ans_dot, inputs, tuple(dots))
    for i, d in enumerate(dots):
        if d is None:
            continue

        def vjp_i(t, i=i):
            xs = moved(inputs, dots, t)
            gt = g if gd is None else g + t * gd
            return op.vjp(gt, op.forward(*xs), *xs)[i]
        assert_close(got[i], five_point(vjp_i), f"{name} rvjp input {i}")


def normal(rng, *shape):
    return rng.standard_normal(shape)


def away_from_zero(rng, *shape):
    return rng.uniform(0.2, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


# op -> inputs for a random draw (the tangents are drawn alike)
CASES = {
    "linear": lambda r: [normal(r, 4, 3), normal(r, 2, 3), normal(r, 2)],
    "matmul": lambda r: [normal(r, 3, 4), normal(r, 4, 2)],
    "add": lambda r: [normal(r, 3, 4), normal(r, 4)],
    "sub": lambda r: [normal(r, 3, 1), normal(r, 1, 4)],
    "mul": lambda r: [normal(r, 3, 4), normal(r, 3, 1)],
    "div": lambda r: [normal(r, 3, 4), away_from_zero(r, 4)],
    "neg": lambda r: [normal(r, 2, 3)],
    "transpose": lambda r: [normal(r, 2, 3)],
    "softmax": lambda r: [normal(r, 3, 4)],
    "exp": lambda r: [normal(r, 3, 2)],
    "log": lambda r: [r.uniform(0.5, 3.0, (3, 2))],
    "square": lambda r: [normal(r, 3, 2)],
    "sum": lambda r: [normal(r, 3, 2)],
    "mean": lambda r: [normal(r, 3, 2)],
    "conv1d": lambda r: [normal(r, 3, 7), normal(r, 3)],
    "mse": lambda r: [normal(r, 4, 3), normal(r, 4, 3)],
    "cross_entropy": lambda r: [normal(r, 5, 3), r.dirichlet(np.ones(3), size=5)],
    "bce": lambda r: [normal(r, 4, 2), r.uniform(0, 1, (4, 2))],
}
for _act in ACTIVATIONS:
    CASES[_act] = lambda r: [away_from_zero(r, 3, 4)]  # clear of the kinks at 0


CORE_MODULES = ("server.engine.core.ops", "server.engine.core.activations", "server.engine.core.losses")
CORE = sorted(name for name, op in OPS.items() if op.vjp.__module__ in CORE_MODULES)


def test_every_core_op_has_forward_mode_rules_and_a_case_here():
    # (the RNN cell's ops live in kinds/rnn/ops.py; hvp names any op that lacks the rules)
    assert [name for name in CORE if not OPS[name].second_order] == []
    assert set(CASES) == set(CORE), sorted(set(CORE) ^ set(CASES))


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("seed", range(3))
def test_jvp_and_rvjp_match_finite_differences(name, seed):
    rng = np.random.default_rng(seed)
    inputs = CASES[name](rng)
    dots = [rng.standard_normal(np.shape(x)) for x in inputs]
    check_rules(name, inputs, dots, rng)
    check_rules(name, inputs, dots, rng, g_dot=False)  # at the output ġ = 0


@pytest.mark.parametrize("name", sorted(n for n in CASES if len(CASES[n](np.random.default_rng(0))) > 1))
def test_rules_with_some_tangents_zero(name):
    rng = np.random.default_rng(7)
    inputs = CASES[name](rng)
    for keep in range(len(inputs)):
        dots = [rng.standard_normal(np.shape(x)) if i == keep else None for i, x in enumerate(inputs)]
        check_rules(name, inputs, dots, rng)


def test_cross_entropy_rules_with_class_indices():
    rng = np.random.default_rng(3)
    z, labels = normal(rng, 6, 4), rng.integers(0, 4, 6).astype(float)
    check_rules("cross_entropy", [z, labels], [normal(rng, 6, 4), None], rng)


def test_second_derivatives_of_activations():
    z = np.array([-1.5, -0.3, 0.4, 2.0])
    ones = np.ones_like(z)
    for name in ACTIVATIONS:
        op = OPS[name]
        ans = op.forward(z)
        (dd,) = op.rvjp(ones, None, ans, op.jvp((ones,), ans, z), [z], (ones,))  # = b″(z)
        assert (dd is None) == (name in ("identity", "relu", "leaky_relu"))
        want = five_point(lambda t: op.vjp(ones, op.forward(z + t), z + t)[0])
        assert_close(dd, want, name)
    t = np.tanh(z)
    np.testing.assert_allclose(OPS["tanh"].rvjp(ones, None, t, ones, [z], (ones,))[0],
                               -2 * t * (1 - t ** 2), rtol=1e-14)


# -- HVPs of whole networks -------------------------------------------------------------------

def mlp_case(activation, loss, seed=0, sizes=(3, 4, 3)):
    rng = np.random.default_rng(seed)
    model = build_model({"kind": "mlp", "sizes": list(sizes), "activation": activation,
                         "loss": loss, "seed": seed,
                         "output_activation": "identity"})
    model.params = {k: p + 0.1 * rng.standard_normal(p.shape) for k, p in model.params.items()}
    x = rng.standard_normal((5, sizes[0]))
    if loss == "cross_entropy":
        y = rng.integers(0, sizes[-1], 5).tolist()
    elif loss == "bce":
        y = rng.uniform(0, 1, (5, sizes[-1]))
    else:
        y = rng.standard_normal((5, sizes[-1]))
    v = {k: rng.standard_normal(p.shape) for k, p in model.params.items()}
    return model, model.leaves_for(x, y), v


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("loss", LOSSES)
def test_mlp_hvp_matches_finite_differences_of_gradients(activation, loss):
    model, leaves, v = mlp_case(activation, loss)
    report = hvp_check(model, leaves, v)
    assert report["relative_error"] < 1e-6, report["per_param"]
    assert inner(report["hvp"], report["hvp"]) > 0  # a nonzero answer was checked


def graph_case():
    """A graph with a skip connection, a shared weight, conv1d, softmax, div, exp, log."""
    spec = {"kind": "graph", "nodes": [
        {"id": "x", "op": "input", "shape": [None, 6]},
        {"id": "k", "op": "param", "value": [0.3, -0.5, 0.8]},
        {"id": "c", "op": "conv1d", "inputs": ["x", "k"]},
        {"id": "W", "op": "param", "value": [[0.2, -0.1, 0.4, 0.3], [0.5, 0.2, -0.3, 0.1],
                                             [-0.4, 0.6, 0.1, 0.2], [0.1, -0.2, 0.3, -0.5]]},
        {"id": "h", "op": "matmul", "inputs": ["c", "W"]},
        {"id": "a", "op": "softplus", "inputs": ["h"]},
        {"id": "h2", "op": "matmul", "inputs": ["a", "W"]},       # W shared
        {"id": "s", "op": "add", "inputs": ["h2", "c"]},          # skip connection
        {"id": "e", "op": "exp", "inputs": ["s"]},
        {"id": "one", "op": "input"},
        {"id": "d", "op": "div", "inputs": ["s", "e"]},
        {"id": "p", "op": "softmax", "inputs": ["d"]},
        {"id": "l", "op": "log", "inputs": ["p"]},
        {"id": "q", "op": "mul", "inputs": ["l", "one"]},
        {"id": "y", "op": "input"},
        {"id": "ce", "op": "cross_entropy", "inputs": ["q", "y"]},
        {"id": "r", "op": "square", "inputs": ["k"]},
        {"id": "rs", "op": "sum", "inputs": ["r"]},
        {"id": "loss", "op": "add", "inputs": ["ce", "rs"]}]}
    model = build_model(spec)
    rng = np.random.default_rng(1)
    leaves = check_inputs(model.spec, {"x": rng.standard_normal((3, 6)).tolist(),
                                       "one": 1.0, "y": [0, 3, 1]})
    v = {k: rng.standard_normal(p.shape) for k, p in model.params.items()}
    return model, leaves, v


def test_graph_hvp_matches_finite_differences_of_gradients():
    model, leaves, v = graph_case()
    report = hvp_check(model, leaves, v)
    assert report["relative_error"] < 1e-6, report["per_param"]
    assert set(report["hvp"]) == {"k", "W"}


def test_hvp_is_symmetric_in_u_and_v():
    for model, leaves, v in (mlp_case("tanh", "cross_entropy", seed=4), graph_case()):
        rng = np.random.default_rng(9)
        u = {k: rng.standard_normal(p.shape) for k, p in model.params.items()}
        uhv, vhu = inner(u, hvp(model, leaves, v)), inner(v, hvp(model, leaves, u))
        assert abs(uhv - vhu) <= 1e-10 * max(abs(uhv), 1.0), (uhv, vhu)


def test_full_hessian_is_symmetric_and_its_columns_are_hvps():
    model, leaves, v = mlp_case("sigmoid", "bce", seed=2)
    out = full_hessian(model, leaves)
    H, n = out["hessian"], 4 * 3 + 4 + 3 * 4 + 3
    assert H.shape == (n, n) and len(out["names"]) == n and out["names"][:2] == ["W1[0,0]", "W1[0,1]"]
    assert out["asymmetry"] <= 1e-12 * np.max(np.abs(H))
    flat_v = np.concatenate([v[k].ravel() for k in model.params])
    hv = hvp(model, leaves, v)
    np.testing.assert_allclose(H @ flat_v, np.concatenate([hv[k].ravel() for k in model.params]),
                               rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(out["eigenvalues"], np.linalg.eigvalsh((H + H.T) / 2), rtol=1e-10, atol=1e-12)
    assert out["eigenvalues"][0] < 0 < out["eigenvalues"][-1]  # a saddle-ish point, both signs


def test_full_hessian_is_refused_beyond_its_limit():
    model = build_model({"kind": "mlp", "sizes": [10, 10, 10], "seed": 0})  # 220 params
    leaves = model.leaves_for(np.zeros((1, 10)), np.zeros((1, 10)))
    with pytest.raises(LimitError, match="at most 200"):
        full_hessian(model, leaves)


def quadratic(A):
    """f = ½ wᵀ A w as a graph, whose Hessian is A (A symmetric)."""
    n = len(A)
    spec = {"kind": "graph", "nodes": [
        {"id": "A", "op": "input", "shape": [n, n]},
        {"id": "w", "op": "param", "value": list(range(1, n + 1))},
        {"id": "Aw", "op": "matmul", "inputs": ["A", "w"]},
        {"id": "wAw", "op": "matmul", "inputs": ["w", "Aw"]},
        {"id": "half", "op": "input", "shape": []},
        {"id": "loss", "op": "mul", "inputs": ["half", "wAw"]}]}
    model = build_model(spec)
    return model, check_inputs(model.spec, {"A": A, "half": 0.5})


def test_quadratic_form_has_hessian_A_exactly():
    A = [[4.0, 1.0, -2.0], [1.0, 3.0, 0.5], [-2.0, 0.5, -1.0]]
    model, leaves = quadratic(A)
    np.testing.assert_array_equal(full_hessian(model, leaves)["hessian"], A)
    np.testing.assert_array_equal(hvp(model, leaves, {"w": [1.0, -2.0, 0.5]})["w"],
                                  np.array(A) @ [1.0, -2.0, 0.5])


def test_power_iteration_finds_the_eigenvalue_of_largest_magnitude():
    Q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((4, 4)))
    A = Q @ np.diag([5.0, -2.0, 1.0, 0.5]) @ Q.T
    model, leaves = quadratic(((A + A.T) / 2).tolist())
    value, history = top_eigenvalue(model, leaves, iters=60, seed=1)
    assert value == pytest.approx(5.0, rel=1e-10)
    assert len(history) == 60 and abs(history[0] - 5.0) > abs(history[-1] - 5.0)
    model, leaves = quadratic(np.diag([1.0, -3.0, 2.0]).tolist())
    assert top_eigenvalue(model, leaves, iters=80)[0] == pytest.approx(-3.0, rel=1e-10)


def test_hvp_report_gives_curvature_along_v():
    model, leaves = quadratic([[2.0, 0.0], [0.0, 8.0]])
    rep = hvp_report(model, leaves, {"w": [0.0, 3.0]})
    assert rep["vHv"] == 72.0 and rep["curvature"] == 8.0
    np.testing.assert_array_equal(rep["param_grads"]["w"], [2.0, 16.0])
    assert rep["loss"] == 0.5 * (2 * 1 + 8 * 4)
    along_gradient = hvp_report(model, leaves)  # v = ∇f = (2, 16)
    np.testing.assert_array_equal(along_gradient["hvp"]["w"], [4.0, 128.0])
    assert along_gradient["curvature"] == pytest.approx((2 * 4 + 16 * 128) / (4 + 256), rel=1e-15)


def test_direction_is_checked_by_name_and_shape():
    model, leaves, _ = mlp_case("tanh", "mse")
    with pytest.raises(SpecError) as info:
        hvp(model, leaves, {"W9": [[1.0]]})
    assert info.value.loc == ("v", "W9")
    with pytest.raises(SpecError) as info:
        hvp(model, leaves, {"W1": [[1.0]]})
    assert info.value.loc == ("v", "W1") and "(4, 3)" in info.value.message
    partial = check_direction(model, {"b1": [1.0, 0.0, 0.0, 0.0]})
    assert np.all(partial["W1"] == 0) and partial["b1"][0] == 1.0


def test_op_without_second_order_rules_is_named():
    register(Op("first_order_only", np.sin, lambda g, ans, z: (g * np.cos(z),), 1))
    try:
        model = build_model({"kind": "graph", "nodes": [
            {"id": "w", "op": "param", "value": [0.5, 1.0]},
            {"id": "s", "op": "first_order_only", "inputs": ["w"]},
            {"id": "loss", "op": "sum", "inputs": ["s"]}]})
        with pytest.raises(SpecError, match="'s'.*'first_order_only'.*second-order"):
            hvp(model, {}, {"w": [1.0, 0.0]})
    finally:
        unregister("first_order_only")
    assert "first_order_only" not in OPS


def test_hvp_runs_each_op_once_forward_and_once_backward():
    model, leaves, v = mlp_case("tanh", "mse", sizes=(3, 5, 5, 2))
    calls = {}
    saved = dict(OPS)

    def counted(name, field):
        fn = getattr(saved[name], field)

        def wrapper(*args, **kw):
            calls[(name, field)] = calls.get((name, field), 0) + 1
            return fn(*args, **kw)
        return wrapper
    try:
        for name in ("linear", "tanh", "identity", "mse"):
            OPS[name] = dataclasses.replace(saved[name], **{f: counted(name, f) for f in
                                                            ("forward", "vjp", "jvp", "rvjp")})
        hvp(model, leaves, v)
    finally:
        OPS.update(saved)
    # 3 linear layers, 2 tanh, 1 identity, 1 loss: each rule once per node, whatever the size of v
    assert calls[("linear", "forward")] == calls[("linear", "rvjp")] == 3
    assert calls[("tanh", "jvp")] == calls[("tanh", "vjp")] == 2
    assert calls[("mse", "rvjp")] == 1


def test_newton_step_jumps_to_the_minimum_of_a_quadratic():
    # f = ½ wᵀAw + bᵀw is minimised at w* = −A⁻¹b in one Newton step from anywhere
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    spec = {"kind": "graph", "nodes": [
        {"id": "A", "op": "input"}, {"id": "b", "op": "input"}, {"id": "half", "op": "input"},
        {"id": "w", "op": "param", "value": [5.0, -7.0]},
        {"id": "Aw", "op": "matmul", "inputs": ["A", "w"]},
        {"id": "wAw", "op": "matmul", "inputs": ["w", "Aw"]},
        {"id": "q", "op": "mul", "inputs": ["half", "wAw"]},
        {"id": "bw", "op": "matmul", "inputs": ["b", "w"]},
        {"id": "loss", "op": "add", "inputs": ["q", "bw"]}]}
    model = build_model(spec)
    leaves = check_inputs(model.spec, {"A": A.tolist(), "b": [1.0, -1.0], "half": 0.5})
    out = newton_step(model, leaves)
    w_star = -np.linalg.solve(A, [1.0, -1.0])
    np.testing.assert_allclose(model.params["w"] + out["step"]["w"], w_star, rtol=1e-13)
    assert out["loss_after"] == pytest.approx(-0.5 * np.array([1.0, -1.0]) @ np.linalg.solve(A, [1.0, -1.0]), rel=1e-12)
    assert out["loss_before"] + out["predicted_change"] == pytest.approx(out["loss_after"], rel=1e-12)
    assert not out["indefinite"]
    np.testing.assert_array_equal(model.params["w"], [5.0, -7.0])  # not applied
    damped = newton_step(model, leaves, damping=1.0)
    assert np.linalg.norm(damped["step"]["w"]) < np.linalg.norm(out["step"]["w"])


def test_newton_step_flags_an_indefinite_hessian():
    model, leaves = quadratic(np.diag([1.0, -3.0]).tolist())
    assert newton_step(model, leaves)["indefinite"]
