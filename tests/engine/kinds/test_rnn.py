"""The unrolled RNN and LSTM (`kind: "rnn"`): BPTT, truncated BPTT, the lecture's bound, errors."""

import math
import warnings

import numpy as np
import pytest

from server.engine import SpecError, backprop, build_model
from server.engine.kinds.rnn import bptt, sweeps
from server.engine.core.autodiff import backward as generic_backward
from server.engine.core.autodiff import forward as generic_forward
from server.engine.core.ops import OPS

from ..gradcheck_util import check_jvp, check_vjp

ACTS = ["identity", "relu", "leaky_relu", "sigmoid", "tanh", "softplus"]
CELLS = [("rnn", a) for a in ACTS] + [("lstm", "tanh")]


def make(cell="rnn", act="tanh", loss="mse_last", T=6, m=3, I=2, H=4, O=2, seed=0, **extra):
    """A small model and its checked leaves (random data, seeded)."""
    spec = {"kind": "rnn", "cell": cell, "activation": act, "loss": loss, "steps": T,
            "input_size": I, "hidden_size": H, "output_size": O, "seed": seed, **extra}
    model = build_model(spec)
    rng = np.random.default_rng(seed + 100)
    x = rng.normal(size=(m, T, I))
    y = rng.normal(size=(m, O) if loss == "mse_last" else (m, T, O))
    return model, model.leaves_for(x, y), x, y


def loss_at(model, leaves, params):
    saved, model.params = model.params, params
    try:
        return float(model.forward(leaves)["loss"])
    finally:
        model.params = saved


def finite_difference_grads(model, leaves, eps=1e-6):
    """Central differences of f for every entry of every parameter."""
    out = {}
    for name, p in model.params.items():
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            plus, minus = p.copy(), p.copy()
            plus[idx] += eps
            minus[idx] -= eps
            f_plus = loss_at(model, leaves, {**model.params, name: plus})
            f_minus = loss_at(model, leaves, {**model.params, name: minus})
            g[idx] = (f_plus - f_minus) / (2 * eps)
        out[name] = g
    return out


def rel_error(a, b):
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a)), np.max(np.abs(b)), 1e-300))


# -- BPTT is the gradient ------------------------------------------------------------------------

@pytest.mark.parametrize("loss", ["mse_last", "mse_all"])
@pytest.mark.parametrize("cell,act", CELLS)
def test_bptt_matches_central_finite_differences(cell, act, loss):
    model, leaves, _, _ = make(cell, act, loss, T=7, seed=3)
    _, grads = model.loss_and_grads(leaves)
    fd = finite_difference_grads(model, leaves)
    for name in model.params:
        assert rel_error(grads[name], fd[name]) <= 1e-6, name
        assert np.any(grads[name] != 0.0), name  # every parameter gets some gradient


@pytest.mark.parametrize("loss", ["mse_last", "mse_all"])
@pytest.mark.parametrize("cell,act", CELLS + [("rnn", "tanh")])
def test_fast_sweeps_agree_with_the_generic_sweeps_over_the_graph(cell, act, loss):
    model, leaves, _, _ = make(cell, act, loss, T=5, bias=(act != "identity"))
    values = model.forward(leaves)
    reference = generic_forward(model.graph, {**leaves, **model.params})
    assert set(values) == set(reference)
    for nid, v in reference.items():
        np.testing.assert_allclose(values[nid], v, rtol=1e-13, atol=1e-15, err_msg=nid)
    grads, uses = model.backward(values)
    ref_grads, ref_uses = generic_backward(model.graph, reference)
    assert set(grads) == set(ref_grads)
    for nid, g in ref_grads.items():
        np.testing.assert_allclose(grads[nid], g, rtol=1e-12, atol=1e-15, err_msg=nid)
    for name in model.params:  # the generic sweep also lists branch points (h_t); params here
        ref = ref_uses.get(name, [])
        ours = {via: g for via, g in uses[name]}
        for via, g in ref:
            np.testing.assert_allclose(ours[via], g, rtol=1e-12, atol=1e-15, err_msg=f"{name} via {via}")


def test_graph_has_the_contract_node_ids():
    model, leaves, _, _ = make("lstm", T=3, loss="mse_all")
    ids = set(model.graph.nodes)
    expected = {f"x{t}" for t in (1, 2, 3)} | {f"h{t}" for t in range(4)} | {f"c{t}" for t in range(4)}
    expected |= {f"z{t}" for t in (1, 2, 3)} | {f"yhat{t}" for t in (1, 2, 3)}
    expected |= {"W_ih", "W_hh", "b_ih", "b_hh", "W_out", "b_out", "y", "loss"}
    assert ids == expected
    assert model.params["W_ih"].shape == (16, 2) and model.params["W_hh"].shape == (16, 4)
    values = model.forward(leaves)
    assert values["z1"].shape == (3, 16) and values["c3"].shape == (3, 4)


# -- the recurrent ops on their own --------------------------------------------------------------

def test_recurrent_ops_vjps_are_jacobian_transposes():
    rng = np.random.default_rng(1)
    m, I, H = 3, 2, 4
    x, h = rng.normal(size=(m, I)), rng.normal(size=(m, H))
    W_ih, W_hh = rng.normal(size=(4 * H, I)), rng.normal(size=(4 * H, H))
    b1, b2 = rng.normal(size=4 * H), rng.normal(size=4 * H)
    for name in ("rnn_pre", "lstm_gates"):
        op = OPS[name]
        check_vjp(op.forward, op.vjp, [x, h, W_ih, W_hh, b1, b2], label=name)
        check_vjp(op.forward, op.vjp, [x, h, W_ih, W_hh], label=name)
        check_jvp(op.forward, op.jvp, [x, h, W_ih, W_hh, b1, b2], label=name)
    z, c = rng.normal(size=(m, 4 * H)), rng.normal(size=(m, H))
    for name in ("lstm_c", "lstm_h"):
        check_vjp(OPS[name].forward, OPS[name].vjp, [z, c], label=name)
    yhats = [rng.normal(size=(m, 2)) for _ in range(3)]
    check_vjp(OPS["mse_all"].forward, OPS["mse_all"].vjp, yhats + [rng.normal(size=(m, 3, 2))],
              label="mse_all")


def test_mse_all_takes_any_number_of_steps_but_at_least_two_inputs():
    assert 2 in OPS["mse_all"].arity and 1001 in OPS["mse_all"].arity
    assert 1 not in OPS["mse_all"].arity


# -- truncated BPTT ------------------------------------------------------------------------------

def reference_truncated_vanilla(model, x, y, k):
    """Truncated BPTT written out by hand: for each loss term t, a loop back over k steps."""
    s, p = model.spec, model.params
    act, dact = {"tanh": (np.tanh, lambda a: 1.0 - a * a),
                 "identity": (lambda z: z, lambda a: np.ones_like(a)),
                 "relu": (lambda z: np.maximum(z, 0.0), lambda a: (a > 0).astype(float))}[s["activation"]]
    m, T, _ = x.shape
    hs, z = [np.zeros((m, s["hidden_size"]))], []
    for t in range(T):
        z.append(x[:, t] @ p["W_ih"].T + p["b_ih"] + hs[-1] @ p["W_hh"].T + p["b_hh"])
        hs.append(act(z[-1]))
    yhat = [h @ p["W_out"].T + p["b_out"] for h in hs[1:]]
    g = {name: np.zeros_like(v) for name, v in p.items()}
    dh_report = [np.zeros((m, s["hidden_size"])) for _ in range(T + 1)]
    terms = range(1, T + 1) if s["loss"] == "mse_all" else [T]
    for t in terms:
        target = y[:, t - 1] if s["loss"] == "mse_all" else y
        dy = 2.0 / m * (yhat[t - 1] - target)
        g["W_out"] += dy.T @ hs[t]
        g["b_out"] += dy.sum(axis=0)
        dh = dy @ p["W_out"]
        for step in range(t, max(t - k, 0), -1):  # steps t, t−1, …, t−k+1 (≥ 1)
            dh_report[step] += dh
            dz = dh * dact(hs[step])
            g["W_ih"] += dz.T @ x[:, step - 1]
            g["W_hh"] += dz.T @ hs[step - 1]
            g["b_ih"] += dz.sum(axis=0)
            g["b_hh"] += dz.sum(axis=0)
            dh = dz @ p["W_hh"]
        if t - k <= 0:  # the window reached the initial state h_0
            dh_report[0] += dh
    return g, dh_report


@pytest.mark.parametrize("act", ["tanh", "identity", "relu"])
@pytest.mark.parametrize("loss", ["mse_last", "mse_all"])
@pytest.mark.parametrize("k", [1, 2, 3, 6, 7, 8, 20])
def test_truncated_bptt_matches_a_hand_unrolled_reference(act, loss, k):
    model, leaves, x, y = make("rnn", act, loss, T=7, truncate=k, seed=5)
    trace = backprop(model, leaves)
    ref, dh = reference_truncated_vanilla(model, x, y, k)
    for name in model.params:
        np.testing.assert_allclose(trace["param_grads"][name], ref[name], rtol=1e-12, atol=1e-15)
    for t in range(8):
        np.testing.assert_allclose(trace["grads"][f"h{t}"], dh[t], rtol=1e-12, atol=1e-15)


def windowed_term_grads(model, x, y, t, k):
    """The gradient of loss term t alone when the state at t−k is a constant: a fresh
    network run for the window's w = min(k, t) steps from the states h_{t−w} (c_{t−w}),
    differentiated by the generic sweep."""
    spec = dict(model.spec, steps=min(k, t), loss="mse_last", truncate=None,
                recurrent_spectral_norm=None, params={n: v.tolist() for n, v in model.params.items()})
    w = spec["steps"]
    full = model.forward(model.leaves_for(x, y))
    window = build_model(spec)
    target = y[:, t - 1] if model.spec["loss"] == "mse_all" else y
    leaves = dict(window.leaves_for(x[:, t - w:t], target))
    leaves["h0"] = full[f"h{t - w}"]
    if "c0" in leaves:
        leaves["c0"] = full[f"c{t - w}"]
    values = generic_forward(window.graph, {**leaves, **window.params})
    grads, _ = generic_backward(window.graph, values)
    return grads, w


@pytest.mark.parametrize("loss", ["mse_last", "mse_all"])
@pytest.mark.parametrize("cell", ["rnn", "lstm"])
@pytest.mark.parametrize("k", [1, 3, 5])
def test_truncation_is_each_term_backpropagated_from_a_detached_state(cell, loss, k):
    model, leaves, x, y = make(cell, "tanh", loss, T=6, truncate=k, seed=7)
    trace = backprop(model, leaves)
    T = 6
    total = {name: np.zeros_like(v) for name, v in model.params.items()}
    dh = [np.zeros_like(trace["grads"]["h0"]) for _ in range(T + 1)]
    dc = [np.zeros_like(trace["grads"]["h0"]) for _ in range(T + 1)]
    for t in (range(1, T + 1) if loss == "mse_all" else [T]):
        grads, w = windowed_term_grads(model, x, y, t, k)
        for name in total:
            total[name] += grads[name]
        for j in range(w + 1):
            if j > 0 or t - w == 0:  # the detached state gets no gradient, h_0 does
                dh[t - w + j] += grads[f"h{j}"]
                if cell == "lstm":
                    dc[t - w + j] += grads[f"c{j}"]
    for name in total:
        np.testing.assert_allclose(trace["param_grads"][name], total[name], rtol=1e-11, atol=1e-14)
    for t in range(T + 1):
        np.testing.assert_allclose(trace["grads"][f"h{t}"], dh[t], rtol=1e-11, atol=1e-14)
        if cell == "lstm":
            np.testing.assert_allclose(trace["grads"][f"c{t}"], dc[t], rtol=1e-11, atol=1e-14)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_truncating_at_T_or_more_is_full_bptt(cell):
    model, leaves, _, _ = make(cell, loss="mse_all", T=5)
    _, full = model.loss_and_grads(leaves)
    for k in (5, 9):
        trunc, leaves_k, _, _ = make(cell, loss="mse_all", T=5, truncate=k)
        _, grads = trunc.loss_and_grads(leaves_k)
        for name in full:
            np.testing.assert_array_equal(grads[name], full[name])


def test_truncation_report_compares_with_full_bptt():
    model, leaves, _, _ = make("rnn", "tanh", "mse_all", T=8, truncate=2, seed=2)
    trace = backprop(model, leaves)
    full_model, full_leaves, _, _ = make("rnn", "tanh", "mse_all", T=8, seed=2)
    _, full = full_model.loss_and_grads(full_leaves)
    names = list(full)
    a = np.concatenate([trace["param_grads"][n].ravel() for n in names])
    b = np.concatenate([full[n].ravel() for n in names])
    for n in names:
        np.testing.assert_allclose(trace["full_param_grads"][n], full[n], rtol=1e-13)
    assert trace["truncation_relative_difference"] == pytest.approx(
        np.linalg.norm(a - b) / np.linalg.norm(b), rel=1e-12)
    assert trace["truncation_cosine"] == pytest.approx(a @ b / np.linalg.norm(a) / np.linalg.norm(b), rel=1e-12)
    assert 0 < trace["truncation_relative_difference"] and trace["truncation_cosine"] < 1
    assert set(trace["truncation_per_param"]) == set(names)
    assert "full_param_grads" not in backprop(full_model, full_leaves)


# -- exploding and vanishing: the lecture's bound -----------------------------------------------------

def test_linear_rnn_gradient_is_powers_of_W_hh_transposed():
    model, leaves, _, _ = make("rnn", "identity", "mse_last", T=8, H=5, seed=4)
    trace = backprop(model, leaves)
    W_hh = model.params["W_hh"]
    g = trace["grads"]["h8"]  # ∂f/∂h_T = (2/m)(ŷ_T − y) W_out, the read-out's gradient
    yhat, y = trace["values"]["yhat8"], trace["values"]["y"]
    np.testing.assert_allclose(g, 2.0 / 3 * (yhat - y) @ model.params["W_out"], rtol=1e-13)
    for t in range(9):
        # column vectors: ∂f/∂h_t = (W_hhᵀ)^(T−t) g; batch first (rows) that is g W_hh^(T−t)
        expected = g @ np.linalg.matrix_power(W_hh, 8 - t)
        np.testing.assert_allclose(trace["grads"][f"h{t}"], expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("act", ["tanh", "sigmoid", "relu", "identity"])
@pytest.mark.parametrize("loss,k", [("mse_last", None), ("mse_all", None), ("mse_all", 3), ("mse_last", 4)])
def test_gradient_norms_stay_under_the_lectures_bound(act, loss, k):
    model, leaves, _, _ = make("rnn", act, loss, T=12, H=6, truncate=k, recurrent_spectral_norm=1.3, seed=8)
    trace = backprop(model, leaves)
    norms, bound = trace["grad_norms_h"], trace["bound_h"]
    assert len(norms) == len(bound) == 13
    for t in range(13):
        assert norms[t] == pytest.approx(np.linalg.norm(trace["grads"][f"h{t}"]), rel=1e-13)
        assert norms[t] <= bound[t] * (1 + 1e-12), t
    gamma = {"sigmoid": 0.25}.get(act, 1.0)
    assert trace["derivative_bound"] == gamma
    if loss == "mse_last" and k is None:  # (γ σ_max)^(T−t) ‖∂f/∂h_T‖
        expected = [(gamma * 1.3) ** (12 - t) * norms[12] for t in range(13)]
        np.testing.assert_allclose(bound, expected, rtol=1e-12)
    if act == "identity" and loss == "mse_last" and k is None:
        assert norms[0] > 0


@pytest.mark.parametrize("cell,rho", [("rnn", 0.5), ("rnn", 3.0), ("lstm", 1.7)])
def test_recurrent_spectral_norm_rescales_W_hh(cell, rho):
    model, leaves, _, _ = make(cell, T=3, H=5, recurrent_spectral_norm=rho)
    trace = backprop(model, leaves)
    W_hh = trace["params"]["W_hh"]
    blocks = [W_hh[j * 5:(j + 1) * 5] for j in range(W_hh.shape[0] // 5)]
    for block in blocks:
        assert np.linalg.norm(block, 2) == pytest.approx(rho, rel=1e-13)
    plain, _, _, _ = make(cell, T=3, H=5)
    ratio = W_hh / plain.params["W_hh"]  # a pure rescaling of the initial W_hh (per block)
    for j in range(len(blocks)):
        np.testing.assert_allclose(ratio[j * 5:(j + 1) * 5], ratio[j * 5, 0], rtol=1e-13)
    if cell == "rnn":
        assert trace["sigma_max"] == pytest.approx(rho, rel=1e-13)
        assert 0 < trace["sigma_min"] < trace["sigma_max"]
    else:
        assert trace["sigma_max_gates"] == pytest.approx({g: rho for g in "ifgo"}, rel=1e-13)


def test_spectral_rescaling_applies_to_explicit_params():
    W = [[0.0, 2.0], [0.5, 0.0]]
    model = build_model({"kind": "rnn", "hidden_size": 2, "steps": 2, "recurrent_spectral_norm": 1.0,
                         "params": {"W_hh": W}})
    np.testing.assert_allclose(model.params["W_hh"], np.array(W) / 2.0, rtol=1e-15)
    with pytest.raises(SpecError) as err:
        build_model({"kind": "rnn", "hidden_size": 2, "steps": 2, "recurrent_spectral_norm": 1.0,
                     "params": {"W_hh": [[0.0, 0.0], [0.0, 0.0]]}})
    assert err.value.loc == ("network", "recurrent_spectral_norm")


def test_exploding_linear_rnn_gives_nonfinite_values_without_raising():
    model = build_model({"kind": "rnn", "activation": "identity", "hidden_size": 4, "steps": 1500,
                         "recurrent_spectral_norm": 3.0, "loss": "mse_all", "seed": 1})
    x = np.ones((2, 1500, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not even a RuntimeWarning escapes
        leaves = model.leaves_for(x, np.zeros((2, 1500, 1)))
        trace = backprop(model, leaves)
        loss, grads = model.loss_and_grads(leaves)
    assert not np.isfinite(loss) and not np.isfinite(trace["loss"])
    assert trace["first_nonfinite_value"] is not None
    assert not np.isfinite(grads["W_hh"]).all()
    assert not np.isfinite(trace["grad_norms_h"][0])
    assert not np.isfinite(trace["bound_h"][0])
    assert trace["sigma_max"] == pytest.approx(3.0, rel=1e-13)


def test_gradient_explodes_through_time_while_the_forward_pass_stays_finite():
    # x = 0 and no bias: h_t = 0, ŷ = 0, f = 1, but ∂f/∂h_t = g W_hh^(T−t) grows like 3^(T−t)
    model = build_model({"kind": "rnn", "activation": "identity", "hidden_size": 4, "steps": 1500,
                         "recurrent_spectral_norm": 3.0, "bias": False, "seed": 1})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trace = backprop(model, model.leaves_for(np.zeros((2, 1500, 1)), np.ones((2, 1))))
    assert trace["loss"] == 1.0 and trace["first_nonfinite_value"] is None
    norms = trace["grad_norms_h"]
    assert np.isfinite(norms[1500]) and norms[1499] > norms[1500] and not np.isfinite(norms[0])
    assert trace["bound_h"][0] == np.inf and math.isclose(trace["bound_h"][1500], norms[1500], rel_tol=1e-12)
    assert trace["first_nonfinite_grad"] is not None


# -- contributions: one per time step -----------------------------------------------------------------

@pytest.mark.parametrize("cell,loss,k", [("rnn", "mse_all", None), ("rnn", "mse_last", 2),
                                         ("lstm", "mse_all", 3), ("lstm", "mse_last", None)])
def test_contributions_are_one_per_step_in_forward_order_and_sum_to_the_gradient(cell, loss, k):
    model, leaves, _, _ = make(cell, "tanh", loss, T=6, truncate=k)
    trace = backprop(model, leaves)
    for name, grad in trace["param_grads"].items():
        entries = trace["contributions"][name]
        prefix = "yhat" if name in ("W_out", "b_out") else "z"
        assert [e["via"] for e in entries] == [f"{prefix}{t}" for t in range(1, 7)]
        np.testing.assert_allclose(sum(e["grad"] for e in entries), grad, rtol=1e-12, atol=1e-15)
        norms = [np.linalg.norm(e["grad"]) for e in entries]
        np.testing.assert_allclose(trace["contribution_norms"][name], norms, rtol=1e-13, atol=1e-300)
    W_hh = trace["contributions"]["W_hh"]
    np.testing.assert_allclose(W_hh[2]["grad"], trace["grads"]["z3"].T @ trace["values"]["h2"], rtol=1e-13)
    if loss == "mse_last" and k == 2:  # steps before T−k+1 = 5 get nothing
        assert trace["contribution_norms"]["W_hh"][:4] == [0.0] * 4
        assert trace["contribution_norms"]["W_hh"][4] > 0
        assert trace["grad_norms_h"][:5] == [0.0] * 5


def test_lstm_reports_cell_state_gradient_norms():
    model, leaves, _, _ = make("lstm", loss="mse_all", T=4)
    trace = backprop(model, leaves)
    assert trace["grad_norms_c"] == pytest.approx(
        [np.linalg.norm(trace["grads"][f"c{t}"]) for t in range(5)], rel=1e-13)
    assert "bound_h" not in trace


# -- spec, init and data errors ---------------------------------------------------------------------

def test_torch_init_is_seeded_and_uniform_in_one_over_sqrt_H():
    a, _, _, _ = make(H=16, seed=11)
    b, _, _, _ = make(H=16, seed=11)
    c, _, _, _ = make(H=16, seed=12)
    for name in a.params:
        np.testing.assert_array_equal(a.params[name], b.params[name])
        assert np.max(np.abs(a.params[name])) <= 0.25
    assert not np.array_equal(a.params["W_hh"], c.params["W_hh"])
    given = make(H=16, seed=11, params={"W_hh": np.eye(16).tolist()})[0]
    np.testing.assert_array_equal(given.params["W_hh"], np.eye(16))
    np.testing.assert_array_equal(given.params["W_out"], a.params["W_out"])


def test_no_bias_network_has_only_weights():
    model, leaves, _, _ = make(bias=False)
    assert set(model.params) == {"W_ih", "W_hh", "W_out"}
    _, grads = model.loss_and_grads(leaves)
    assert set(grads) == {"W_ih", "W_hh", "W_out"}


@pytest.mark.parametrize("spec_patch,loc", [
    ({"cell": "gru"}, ("network", "cell")),
    ({"activation": "cube"}, ("network", "activation")),
    ({"cell": "lstm", "activation": "relu"}, ("network", "activation")),
    ({"loss": "mse"}, ("network", "loss")),
    ({"steps": 0}, ("network", "steps")),
    ({"hidden_size": -1}, ("network", "hidden_size")),
    ({"truncate": 0}, ("network", "truncate")),
    ({"recurrent_spectral_norm": -1.0}, ("network", "recurrent_spectral_norm")),
    ({"recurrent_spectral_norm": "big"}, ("network", "recurrent_spectral_norm")),
    ({"params": {"W_hh": [[1.0, 2.0]]}}, ("network", "params", "W_hh")),
    ({"params": {"W1": [[1.0]]}}, ("network", "params", "W1")),
])
def test_bad_specs_are_refused_naming_the_field(spec_patch, loc):
    spec = {"kind": "rnn", "hidden_size": 3, "steps": 4, **spec_patch}
    with pytest.raises(SpecError) as err:
        build_model(spec)
    assert err.value.loc == loc


@pytest.mark.parametrize("loss,x_shape,y_shape,loc", [
    ("mse_last", (2, 5, 1), (2, 1), ("x",)),   # 5 steps for a 4-step network
    ("mse_last", (2, 4), (2, 1), ("x",)),
    ("mse_last", (2, 4, 2), (2, 1), ("x",)),   # input_size is 1
    ("mse_last", (2, 4, 1), (3, 1), ("y",)),
    ("mse_all", (2, 4, 1), (2, 1), ("y",)),
    ("mse_all", (2, 4, 1), (2, 3, 1), ("y",)),
])
def test_bad_data_shapes_are_refused_naming_the_field(loss, x_shape, y_shape, loc):
    model = build_model({"kind": "rnn", "hidden_size": 3, "steps": 4, "loss": loss})
    with pytest.raises(SpecError) as err:
        model.leaves_for(np.zeros(x_shape), np.zeros(y_shape))
    assert err.value.loc == loc
    assert "expected" in err.value.message


def test_one_output_targets_may_leave_out_the_last_axis():
    model = build_model({"kind": "rnn", "hidden_size": 3, "steps": 4, "loss": "mse_all"})
    leaves = model.leaves_for(np.zeros((2, 4, 1)), np.ones((2, 4)))
    assert leaves["y"].shape == (2, 4, 1)


def test_plain_dict_leaves_and_values_work_too():
    model, leaves, _, _ = make("lstm", loss="mse_all", T=4)
    loss, grads = model.loss_and_grads(leaves)
    values = model.forward(dict(leaves))
    plain_grads, _ = sweeps.backward(model.spec, model.graph, dict(values), track_uses=False)
    assert math.isclose(float(values["loss"]), loss, rel_tol=1e-13)  # same sweep, two calls
    for name in grads:
        np.testing.assert_array_equal(plain_grads[name], grads[name])


# -- second order: Hessian-vector products through time ------------------------------------------

RECURRENT_CASES = {
    "rnn_pre": lambda r: [r.normal(size=(3, 2)), r.normal(size=(3, 4)), r.normal(size=(4, 2)),
                          r.normal(size=(4, 4)), r.normal(size=4), r.normal(size=4)],
    "lstm_gates": lambda r: [r.normal(size=(3, 2)), r.normal(size=(3, 4)), r.normal(size=(16, 2)),
                             r.normal(size=(16, 4))],
    "lstm_c": lambda r: [r.normal(size=(3, 16)), r.normal(size=(3, 4))],
    "lstm_h": lambda r: [r.normal(size=(3, 16)), r.normal(size=(3, 4))],
    "mse_all": lambda r: [r.normal(size=(3, 2)) for _ in range(4)] + [r.normal(size=(3, 4, 2))],
}


@pytest.mark.parametrize("name", sorted(RECURRENT_CASES))
def test_recurrent_ops_forward_mode_rules_match_finite_differences(name):
    from ..analysis.test_hvp import check_rules

    rng = np.random.default_rng(4)
    inputs = RECURRENT_CASES[name](rng)
    assert OPS[name].second_order
    check_rules(name, inputs, [rng.standard_normal(np.shape(x)) for x in inputs], rng)
    check_rules(name, inputs, [rng.standard_normal(np.shape(x)) for x in inputs], rng, g_dot=False)
    for keep in range(len(inputs)):  # one tangent at a time, the others zero (None)
        dots = [rng.standard_normal(np.shape(x)) if i == keep else None for i, x in enumerate(inputs)]
        check_rules(name, inputs, dots, rng)


@pytest.mark.parametrize("cell,act,loss", [("rnn", "tanh", "mse_all"), ("rnn", "sigmoid", "mse_last"),
                                           ("lstm", "tanh", "mse_all"), ("lstm", "tanh", "mse_last")])
def test_rnn_hessian_vector_product_matches_finite_differences_of_gradients(cell, act, loss):
    from server.engine.analysis.hvp import hvp_check

    model, leaves, _, _ = make(cell, act, loss, T=5, seed=9)
    rng = np.random.default_rng(0)
    v = {name: rng.standard_normal(p.shape) for name, p in model.params.items()}
    report = hvp_check(model, leaves, v)
    assert report["relative_error"] <= 1e-7
    assert np.linalg.norm(report["hvp"]["W_hh"]) > 0


def test_quick_finiteness_check_agrees_with_the_scan_entry_by_entry():
    from server.engine.core.trace import first_nonfinite

    model, leaves, _, _ = make("lstm", loss="mse_all", T=4)
    values = model.forward(leaves)
    assert values.all_finite() and first_nonfinite(model.graph.forward_order, values) is None
    values["h2"][0, 0] = np.nan  # in place: the stacked array behind the view sees it too
    assert not values.all_finite()
    order = model.graph.forward_order
    assert first_nonfinite(order, values) == first_nonfinite(order, dict(values)) == "h2"


@pytest.mark.parametrize("cell,loss,k,live", [
    ("rnn", "mse_all", None, 10), ("rnn", "mse_all", 12, 10), ("rnn", "mse_last", 3, 3),
    ("rnn", "mse_all", 3, 3 + 2 + 1 + 7 * 3), ("lstm", "mse_all", 1, 10)])
def test_sweep_work_counts_the_live_terms_of_each_step(cell, loss, k, live):
    sweep_work = bptt.sweep_work

    model = make(cell, loss=loss, T=10, H=4, truncate=k)[0]
    assert sweep_work(model.spec, 3) == live * 3 * (4 if cell == "lstm" else 1) * 4 * 4


@pytest.mark.parametrize("cell,k", [("rnn", None), ("lstm", 2)])
def test_contribution_norms_without_the_per_step_arrays(cell, k):
    model, leaves, _, _ = make(cell, loss="mse_all", T=9, truncate=k)
    full = backprop(model, leaves)
    lean = backprop(model, leaves, contributions=False)
    assert all(entries == [] for entries in lean["contributions"].values())
    for name, norms in full["contribution_norms"].items():
        np.testing.assert_allclose(lean["contribution_norms"][name], norms, rtol=1e-13, atol=1e-300)
    _, X, S, dY = sweeps.unrolled(model.spec, full["values"])
    dZ = np.stack([full["grads"][f"z{t}"] for t in range(1, 10)])
    chunked = bptt.contribution_norms(model.spec, X, S, dY, {"dZ": dZ}, chunk=4)  # 4 + 4 + 1 steps
    for name, norms in full["contribution_norms"].items():
        np.testing.assert_allclose(chunked[name], norms, rtol=1e-13, atol=1e-300)
