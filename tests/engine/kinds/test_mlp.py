"""End-to-end MLP gradients: finite differences, the lecture's closed form, hand numbers."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.engine import backprop, build_model
from server.engine.core.activations import ACTIVATIONS
from server.engine.core.losses import LOSSES

ACTS = sorted(ACTIVATIONS)


def _data(loss, sizes, m, rng):
    x = rng.standard_normal((m, sizes[0]))
    if loss == "mse":
        y = rng.standard_normal((m, sizes[-1]))
    elif loss == "cross_entropy":
        y = rng.integers(0, sizes[-1], size=m).astype(float)
    else:
        y = rng.uniform(0, 1, size=(m, sizes[-1]))
    return x, y


def _loss_at(model, leaves, name, flat_index, value):
    """The loss with one parameter entry replaced (the model's params are left as they were)."""
    params = dict(model.params)
    p = params[name].copy()
    p.flat[flat_index] = value
    saved = model.params
    model.params = {**params, name: p}
    try:
        return float(model.forward(leaves)[model.graph.output])
    finally:
        model.params = saved


def finite_difference_grads(model, leaves, h=1e-5):
    """∂f/∂θ for every parameter entry by the five-point central difference."""
    out = {}
    for name, p in model.params.items():
        g = np.zeros_like(p)
        for k in range(p.size):
            t = p.flat[k]
            f = [_loss_at(model, leaves, name, k, t + s * h) for s in (2, 1, -1, -2)]
            g.flat[k] = (-f[0] + 8 * f[1] - 8 * f[2] + f[3]) / (12 * h)
        out[name] = g
    return out


def assert_grads_match_fd(model, leaves, rtol=1e-7):
    t = backprop(model, leaves)
    fd = finite_difference_grads(model, leaves)
    assert set(t["param_grads"]) == set(model.params)
    for name, g in t["param_grads"].items():
        assert g.shape == model.params[name].shape
        scale = max(np.abs(fd[name]).max(), np.abs(g).max(), 1e-3)
        np.testing.assert_allclose(g, fd[name], rtol=0, atol=rtol * scale,
                                   err_msg=f"parameter {name}")
    return t


def _combos():
    for act, loss, bias in itertools.product(ACTS, LOSSES, (True, False)):
        outs = {"mse": [act, "identity"], "cross_entropy": ["identity"],
                "bce": ["identity", "sigmoid"]}[loss]
        for out_act in dict.fromkeys(outs):
            yield act, out_act, loss, bias


@pytest.mark.parametrize("act,out_act,loss,bias", list(_combos()))
def test_mlp_param_grads_match_finite_differences(act, out_act, loss, bias):
    seed = ACTS.index(act) * 10 + LOSSES.index(loss) * 2 + bias
    rng = np.random.default_rng(seed)
    sizes = [3, 4, 3, 2]
    spec = {"kind": "mlp", "sizes": sizes, "activation": act, "output_activation": out_act,
            "loss": loss, "bias": bias, "seed": seed, "init": "normal"}
    if bias:  # non-zero biases, so a wrong bias rule cannot hide behind b = 0
        spec["params"] = {f"b{i}": rng.normal(size=sizes[i]).tolist() for i in range(1, 4)}
    model = build_model(spec)
    x, y = _data(loss, sizes, 5, rng)
    leaves = model.leaves_for(x, y)
    t = assert_grads_match_fd(model, leaves)
    assert all(np.abs(g).max() > 0 for g in t["param_grads"].values())


HYP = settings(max_examples=15, deadline=None, derandomize=True)


@HYP
@given(sizes=st.lists(st.integers(1, 4), min_size=2, max_size=4), m=st.integers(1, 6),
       act=st.sampled_from(ACTS), loss=st.sampled_from(LOSSES), bias=st.booleans(),
       seed=st.integers(0, 2**16))
def test_random_mlps_param_grads_match_finite_differences(sizes, m, act, loss, bias, seed):
    if loss == "cross_entropy":
        sizes = sizes[:-1] + [max(sizes[-1], 2)]
    spec = {"kind": "mlp", "sizes": sizes, "activation": act, "loss": loss, "bias": bias,
            "seed": seed}
    model = build_model(spec)
    x, y = _data(loss, sizes, m, np.random.default_rng(seed))
    assert_grads_match_fd(model, model.leaves_for(x, y))


def test_node_grads_follow_the_backward_recursion():
    """dz_i = (W_{i+1}ᵀ dz_{i+1}) ⊙ b′(z_i), dW_i = dz_iᵀ a_{i−1}, db_i = Σ_batch dz_i."""
    model = build_model({"kind": "mlp", "sizes": [2, 3, 2], "activation": "tanh", "loss": "mse",
                         "seed": 3, "params": {"b1": [0.1, -0.2, 0.3], "b2": [0.5, -0.5]}})
    rng = np.random.default_rng(1)
    t = backprop(model, model.leaves_for(rng.standard_normal((4, 2)), rng.standard_normal((4, 2))))
    v, g, W2 = t["values"], t["grads"], model.params["W2"]
    np.testing.assert_allclose(g["z2"], 2 * (v["a2"] - v["y"]) / 4, rtol=1e-14)
    np.testing.assert_allclose(g["z1"], (g["z2"] @ W2) * (1 - v["a1"] ** 2), rtol=1e-13)
    np.testing.assert_allclose(t["param_grads"]["W1"], g["z1"].T @ v["a0"], rtol=1e-13)
    np.testing.assert_allclose(t["param_grads"]["b1"], g["z1"].sum(axis=0), rtol=1e-13)
    np.testing.assert_allclose(t["local_derivatives"]["a1"], 1 - np.tanh(v["z1"]) ** 2, rtol=1e-12)


# -- the lecture's linear network: closed form (3) -------------------------------------


def test_scalar_linear_chain_matches_closed_form():
    """sizes [1,1,1,1], identity, no bias: ∂L/∂w_i = 2(w3w2w1x − y)(w_d⋯w_{i+1})(w_{i−1}⋯w_1x)."""
    w = [2.0, -1.0, 0.5]
    x, y = 3.0, 1.0
    model = build_model({"kind": "mlp", "sizes": [1, 1, 1, 1], "activation": "identity",
                         "loss": "mse", "bias": False,
                         "params": {f"W{i + 1}": [[wi]] for i, wi in enumerate(w)}})
    t = backprop(model, model.leaves_for([[x]], [[y]]))
    # by hand: ŷ = 0.5·(−1)·2·3 = −3, L = (−3 − 1)² = 16
    assert t["loss"] == 16.0
    assert t["param_grads"]["W1"][0, 0] == 12.0    # 2·(−4)·(0.5·−1)·3
    assert t["param_grads"]["W2"][0, 0] == -24.0   # 2·(−4)·0.5·(2·3)
    assert t["param_grads"]["W3"][0, 0] == 48.0    # 2·(−4)·(−1·2·3)
    r = w[2] * w[1] * w[0] * x - y
    closed = [2 * r * np.prod(w[i + 1:]) * np.prod(w[:i]) * x for i in range(3)]
    assert [t["param_grads"][f"W{i + 1}"][0, 0] for i in range(3)] == closed


@pytest.mark.parametrize("sizes", [[3, 4, 2, 5], [2, 3, 3, 3, 1], [1, 5, 1]])
def test_linear_mlp_matches_matrix_closed_form(sizes):
    """∂L/∂W_i = 2 (W_d⋯W_{i+1})ᵀ (W_d⋯W_1 x − y) (W_{i−1}⋯W_1 x)ᵀ for one example."""
    rng = np.random.default_rng(len(sizes))
    model = build_model({"kind": "mlp", "sizes": sizes, "activation": "identity", "loss": "mse",
                         "bias": False, "seed": 11, "init": "normal"})
    x, y = rng.standard_normal(sizes[0]), rng.standard_normal(sizes[-1])
    t = backprop(model, model.leaves_for(x[None, :], y[None, :]))
    W = [model.params[f"W{i}"] for i in range(1, len(sizes))]
    d = len(W)

    def prod(ms, n):  # ms[-1] ⋯ ms[0] (identity of size n for an empty product)
        out = np.eye(n)
        for M in ms:
            out = M @ out
        return out

    r = prod(W, sizes[0]) @ x - y
    assert t["loss"] == pytest.approx(float(r @ r), rel=1e-13)
    for i in range(1, d + 1):
        after = prod(W[i:], sizes[i])           # W_d ⋯ W_{i+1}
        a_prev = prod(W[:i - 1], sizes[0]) @ x  # W_{i−1} ⋯ W_1 x
        expected = 2 * np.outer(after.T @ r, a_prev)
        np.testing.assert_allclose(t["param_grads"][f"W{i}"], expected, rtol=1e-12, atol=1e-14)


# -- hand-checked numbers at the kinks -----------------------------------------------------


def _kink_model(act):
    return build_model({"kind": "mlp", "sizes": [2, 2, 1], "activation": act, "loss": "mse",
                        "params": {"W1": [[1.0, -1.0], [2.0, 1.0]], "b1": [0.5, -4.0],
                                   "W2": [[3.0, -2.0]], "b2": [1.0]}})


def test_relu_network_by_hand_with_a_unit_exactly_at_zero():
    # x = (1, 2): z1 = (1 − 2 + 0.5, 2 + 2 − 4) = (−0.5, 0); a1 = (0, 0); z2 = 1; L = (1 − 0)² = 1
    model = _kink_model("relu")
    t = backprop(model, model.leaves_for([[1.0, 2.0]], [[0.0]]))
    np.testing.assert_array_equal(t["values"]["z1"], [[-0.5, 0.0]])
    assert t["loss"] == 1.0
    np.testing.assert_array_equal(t["param_grads"]["b2"], [2.0])
    np.testing.assert_array_equal(t["param_grads"]["W2"], [[0.0, 0.0]])
    np.testing.assert_array_equal(t["grads"]["a1"], [[6.0, -4.0]])   # W2ᵀ · 2
    np.testing.assert_array_equal(t["grads"]["z1"], [[0.0, 0.0]])    # relu′(−0.5) = relu′(0) = 0
    np.testing.assert_array_equal(t["param_grads"]["W1"], [[0.0, 0.0], [0.0, 0.0]])


def test_leaky_relu_network_by_hand_with_a_unit_exactly_at_zero():
    # a1 = (−0.005, 0); z2 = 3·(−0.005) + 1 = 0.985; dL/dz2 = 2·0.985 = 1.97
    model = _kink_model("leaky_relu")
    t = backprop(model, model.leaves_for([[1.0, 2.0]], [[0.0]]))
    assert t["loss"] == pytest.approx(0.985 ** 2, rel=1e-15)
    np.testing.assert_allclose(t["grads"]["z1"], [[1.97 * 3 * 0.01, 1.97 * -2 * 0.01]], rtol=1e-14)
    np.testing.assert_allclose(t["param_grads"]["W1"],
                               [[0.0591, 0.1182], [-0.0394, -0.0788]], rtol=1e-13)
    np.testing.assert_allclose(t["param_grads"]["W2"], [[1.97 * -0.005, 0.0]], rtol=1e-14)


def test_mse_is_mean_over_batch_and_sum_over_outputs():
    model = build_model({"kind": "mlp", "sizes": [1, 2], "activation": "identity", "loss": "mse",
                         "bias": False, "params": {"W1": [[1.0], [2.0]]}})
    t = backprop(model, model.leaves_for([[1.0], [2.0]], [[0.0, 0.0], [1.0, 1.0]]))
    # rows: (1, 2) − (0, 0) → 1 + 4; (2, 4) − (1, 1) → 1 + 9; mean over 2 examples = 7.5
    assert t["loss"] == 7.5


def test_bce_with_sigmoid_output_reads_the_logits():
    model = build_model({"kind": "mlp", "sizes": [1, 1], "activation": "identity", "loss": "bce",
                         "output_activation": "sigmoid", "bias": False, "params": {"W1": [[1.0]]}})
    t = backprop(model, model.leaves_for([[40.0]], [[0.0]]))
    # −log(1 − σ(40)) = softplus(40) ≈ 40 (a naive log(1 − a) would give inf here)
    assert t["loss"] == pytest.approx(40.0, rel=1e-15)
    assert t["values"]["a1"][0, 0] == pytest.approx(1.0)
    np.testing.assert_allclose(t["param_grads"]["W1"], [[40.0 * 1 / (1 + np.exp(-40.0))]], rtol=1e-15)
