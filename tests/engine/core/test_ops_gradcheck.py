"""Every registered op's vjp against finite differences, on random shapes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import mutually_broadcastable_shapes

from server.engine.core.activations import ACTIVATIONS
from server.engine.core.ops import OPS, Op

from ..gradcheck_util import away_from_zero, check_op, check_vjp

HYP = settings(max_examples=25, deadline=None, derandomize=True)


def _normal(rng, *shape):
    return rng.standard_normal(shape)


# One function per op: (inputs, wrt) for a random draw. Every op in OPS must have one.
def _linear_case(rng):
    m, r_in, r_out = rng.integers(1, 6, size=3)
    return [_normal(rng, m, r_in), _normal(rng, r_out, r_in), _normal(rng, r_out)], None


def _elementwise(fn):
    return lambda rng: ([fn(rng, tuple(rng.integers(1, 5, size=rng.integers(0, 4))))], None)


def _labels_soft(rng, m, c):
    return rng.dirichlet(np.ones(c), size=m)


CASES = {
    "linear": _linear_case,
    "matmul": lambda rng: ([_normal(rng, 3, 4), _normal(rng, 4, 2)], None),
    "add": lambda rng: ([_normal(rng, 3, 4), _normal(rng, 4)], None),
    "sub": lambda rng: ([_normal(rng, 3, 1), _normal(rng, 1, 4)], None),
    "mul": lambda rng: ([_normal(rng, 2, 3, 4), _normal(rng, 3, 1)], None),
    "exp": _elementwise(lambda rng, s: rng.uniform(-2, 2, size=s)),
    "log": _elementwise(lambda rng, s: rng.uniform(0.5, 3.0, size=s)),
    "square": _elementwise(lambda rng, s: rng.standard_normal(s)),
    "sum": _elementwise(lambda rng, s: rng.standard_normal(s)),
    "mean": _elementwise(lambda rng, s: rng.standard_normal(s)),
    "conv1d": lambda rng: ([_normal(rng, 3, 7), _normal(rng, 3)], None),
    "div": lambda rng: ([_normal(rng, 3, 4), away_from_zero(rng, (4,), low=0.5)], None),
    "neg": _elementwise(lambda rng, s: rng.standard_normal(s)),
    "transpose": _elementwise(lambda rng, s: rng.standard_normal(s)),
    "softmax": _elementwise(lambda rng, s: rng.uniform(-3, 3, size=s)),
    "mse": lambda rng: ([_normal(rng, 4, 3), _normal(rng, 4, 3)], None),
    "cross_entropy": lambda rng: ([_normal(rng, 5, 3), rng.integers(0, 3, size=5).astype(float)], [0]),
    "bce": lambda rng: ([_normal(rng, 4, 2), rng.uniform(0, 1, size=(4, 2))], None),
}
for _act in ACTIVATIONS:  # kinks at 0 (relu, leaky_relu) are kept at |z| >= 0.1
    CASES[_act] = _elementwise(away_from_zero)


# The recurrent cells' ops (registered by the RNN builder when it is present).
def _cell_pre_case(gates):
    def case(rng):
        m, n_in, hidden = rng.integers(1, 4, size=3)
        inputs = [_normal(rng, m, n_in), _normal(rng, m, hidden),
                  _normal(rng, gates * hidden, n_in), _normal(rng, gates * hidden, hidden)]
        if rng.random() < 0.5:
            inputs += [_normal(rng, gates * hidden), _normal(rng, gates * hidden)]
        return inputs, None
    return case


def _lstm_state_case(rng):
    m, hidden = rng.integers(1, 4, size=2)
    return [_normal(rng, m, 4 * hidden), _normal(rng, m, hidden)], None


def _mse_all_case(rng):
    m, steps, out = rng.integers(1, 4, size=3)
    return [_normal(rng, m, out) for _ in range(steps)] + [_normal(rng, m, steps, out)], None


CASES.update({"rnn_pre": _cell_pre_case(1), "lstm_gates": _cell_pre_case(4),
              "lstm_c": _lstm_state_case, "lstm_h": _lstm_state_case, "mse_all": _mse_all_case})


def test_every_registered_op_has_a_gradcheck_case():
    missing = sorted(set(OPS) - set(CASES))
    assert not missing, f"ops without a gradcheck case in CASES: {missing}"


@pytest.mark.parametrize("name", sorted(OPS))
@pytest.mark.parametrize("seed", range(4))
def test_vjp_matches_finite_differences(name, seed):
    rng = np.random.default_rng(seed)
    inputs, wrt = CASES[name](rng)
    pairs = check_op(name, inputs, wrt=wrt, rng=rng)
    assert pairs  # something was compared


def test_gradcheck_rejects_a_vjp_off_by_a_small_factor():
    op = OPS["tanh"]
    wrong = lambda g, ans, z: (1.001 * op.vjp(g, ans, z)[0],)  # noqa: E731
    with pytest.raises(AssertionError, match="finite differences"):
        check_vjp(op.forward, wrong, [np.linspace(-1, 1, 7)])


def test_gradcheck_rejects_a_transposed_matmul_rule():
    wrong = lambda g, ans, A, B: (g @ B.T, (A.T @ g).T.T * 0 + (A.T @ g)[::-1])  # noqa: E731
    with pytest.raises(AssertionError):
        check_vjp(OPS["matmul"].forward, wrong, [np.ones((2, 3)) + np.arange(6).reshape(2, 3),
                                                 np.arange(12.0).reshape(3, 4)])


def test_gradcheck_rejects_a_vjp_with_the_wrong_shape():
    bad = Op("bad_sum", lambda A: np.sum(A), lambda g, ans, A: (np.full(A.shape[:-1], g),), 1)
    with pytest.raises(AssertionError, match="shape"):
        check_vjp(bad.forward, bad.vjp, [np.ones((2, 3))])


# -- random shapes --------------------------------------------------------------------


@HYP
@given(shapes=mutually_broadcastable_shapes(num_shapes=2, max_dims=3, min_side=1, max_side=4),
       name=st.sampled_from(["add", "sub", "mul"]), seed=st.integers(0, 2**16))
def test_broadcasting_binary_ops_sum_gradients_back_to_each_shape(shapes, name, seed):
    rng = np.random.default_rng(seed)
    a_shape, b_shape = shapes.input_shapes
    check_op(name, [rng.standard_normal(a_shape), rng.standard_normal(b_shape)], rng=rng)


@HYP
@given(n=st.integers(1, 4), k=st.integers(1, 4), p=st.integers(1, 4),
       a_kind=st.sampled_from(["vector", "matrix", "stack"]),
       b_kind=st.sampled_from(["vector", "matrix", "stack"]),
       seed=st.integers(0, 2**16))
def test_matmul_vjp_for_vectors_matrices_and_stacks(n, k, p, a_kind, b_kind, seed):
    rng = np.random.default_rng(seed)
    a_shape = {"vector": (k,), "matrix": (n, k), "stack": (2, n, k)}[a_kind]
    b_shape = {"vector": (k,), "matrix": (k, p), "stack": (2, k, p)}[b_kind]
    check_op("matmul", [rng.standard_normal(a_shape), rng.standard_normal(b_shape)], rng=rng)


def test_matmul_of_two_vectors_gives_each_the_other_times_g():
    A, B = np.array([1.0, 2.0, 3.0]), np.array([4.0, -5.0, 6.0])
    gA, gB = OPS["matmul"].vjp(np.float64(2.0), A @ B, A, B)
    np.testing.assert_array_equal(gA, 2.0 * B)
    np.testing.assert_array_equal(gB, 2.0 * A)


@HYP
@given(m=st.integers(1, 4), r_in=st.integers(1, 5), r_out=st.integers(1, 5),
       bias=st.booleans(), seed=st.integers(0, 2**16))
def test_linear_vjp_with_and_without_bias(m, r_in, r_out, bias, seed):
    rng = np.random.default_rng(seed)
    inputs = [rng.standard_normal((m, r_in)), rng.standard_normal((r_out, r_in))]
    if bias:
        inputs.append(rng.standard_normal(r_out))
    check_op("linear", inputs, rng=rng)


@HYP
@given(m=st.integers(1, 3), length=st.integers(1, 9), k=st.integers(1, 5), seed=st.integers(0, 2**16))
def test_conv1d_vjp_on_random_lengths_and_kernels(m, length, k, seed):
    k = min(k, length)
    rng = np.random.default_rng(seed)
    check_op("conv1d", [rng.standard_normal((m, length)), rng.standard_normal(k)], rng=rng)


def test_conv1d_matches_the_contract_formula():
    x = np.array([[1.0, 2.0, 3.0, 4.0], [0.0, -1.0, 0.5, 2.0]])
    w = np.array([1.0, 0.0, -2.0])
    out = OPS["conv1d"].forward(x, w)
    # out[:, j] = Σ_i x[:, j+i] w[i]
    np.testing.assert_array_equal(out, [[1 - 6, 2 - 8], [0 - 1, -1 - 4]])
    gx, gw = OPS["conv1d"].vjp(np.ones_like(out), out, x, w)
    np.testing.assert_array_equal(gw, [x[:, 0:2].sum(), x[:, 1:3].sum(), x[:, 2:4].sum()])
    # ∂/∂x[:, l] = Σ_j w[l − j] over the patches j that cover l: w0, w0+w1, w1+w2, w2
    np.testing.assert_array_equal(gx, [[1, 1, -2, -2], [1, 1, -2, -2]])


@HYP
@given(name=st.sampled_from(sorted(ACTIVATIONS)), shape=st.lists(st.integers(1, 4), max_size=3),
       seed=st.integers(0, 2**16))
def test_activation_vjp_on_random_shapes(name, shape, seed):
    rng = np.random.default_rng(seed)
    check_op(name, [away_from_zero(rng, tuple(shape), high=4.0)], rng=rng)


@HYP
@given(name=st.sampled_from(["exp", "square", "sum", "mean"]),
       shape=st.lists(st.integers(1, 4), max_size=3), seed=st.integers(0, 2**16))
def test_unary_and_reduction_vjp_on_random_shapes(name, shape, seed):
    rng = np.random.default_rng(seed)
    check_op(name, [rng.uniform(-2, 2, size=tuple(shape))], rng=rng)


@HYP
@given(shape=st.lists(st.integers(1, 4), max_size=3), seed=st.integers(0, 2**16))
def test_log_vjp_on_positive_inputs(shape, seed):
    rng = np.random.default_rng(seed)
    check_op("log", [rng.uniform(0.2, 5.0, size=tuple(shape))], rng=rng)


# -- losses -------------------------------------------------------------------------------


@HYP
@given(m=st.integers(1, 6), c=st.integers(1, 5), seed=st.integers(0, 2**16))
def test_mse_vjp_for_prediction_and_target(m, c, seed):
    rng = np.random.default_rng(seed)
    check_op("mse", [rng.standard_normal((m, c)), rng.standard_normal((m, c))], rng=rng)


@HYP
@given(m=st.integers(1, 6), c=st.integers(2, 5), labels=st.sampled_from(["index", "onehot", "soft"]),
       scale=st.sampled_from([0.1, 1.0, 10.0]), seed=st.integers(0, 2**16))
def test_cross_entropy_vjp_for_index_onehot_and_soft_labels(m, c, labels, scale, seed):
    rng = np.random.default_rng(seed)
    z = scale * rng.standard_normal((m, c))
    idx = rng.integers(0, c, size=m)
    if labels == "index":
        check_op("cross_entropy", [z, idx.astype(float)], wrt=[0], rng=rng)
    else:
        y = np.eye(c)[idx] if labels == "onehot" else rng.dirichlet(np.ones(c), size=m)
        check_op("cross_entropy", [z, y], rng=rng)  # soft targets are differentiable too


def test_cross_entropy_index_labels_have_no_gradient():
    z = np.array([[1.0, 2.0, 0.5]])
    _, glabels = OPS["cross_entropy"].vjp(np.float64(1.0), 0.0, z, np.array([1.0]))
    assert glabels is None


def test_cross_entropy_index_and_onehot_labels_agree():
    rng = np.random.default_rng(5)
    z = rng.standard_normal((4, 3))
    idx = np.array([0.0, 2.0, 1.0, 2.0])
    ce = OPS["cross_entropy"]
    f_idx, f_hot = ce.forward(z, idx), ce.forward(z, np.eye(3)[idx.astype(int)])
    assert f_idx == pytest.approx(f_hot, rel=1e-15)
    # by hand: −mean log softmax
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    assert f_idx == pytest.approx(-np.mean(logp[np.arange(4), idx.astype(int)]), rel=1e-13)
    np.testing.assert_allclose(ce.vjp(np.float64(1.0), f_idx, z, idx)[0],
                               ce.vjp(np.float64(1.0), f_hot, z, np.eye(3)[idx.astype(int)])[0], rtol=1e-15)


@HYP
@given(m=st.integers(1, 6), c=st.integers(1, 4), scale=st.sampled_from([0.1, 1.0, 10.0]),
       seed=st.integers(0, 2**16))
def test_bce_vjp_for_logits_and_targets(m, c, scale, seed):
    rng = np.random.default_rng(seed)
    check_op("bce", [scale * rng.standard_normal((m, c)), rng.uniform(0, 1, size=(m, c))], rng=rng)


def test_losses_stay_finite_and_exact_at_logits_of_800():
    z = np.array([[800.0, -800.0, 0.0]])
    ce = OPS["cross_entropy"].forward(z, np.array([1.0]))
    assert ce == 1600.0  # −log softmax(z)[1] = 800 − (−800) + log(1 + e^−800 + e^−1600)
    g, _ = OPS["cross_entropy"].vjp(np.float64(1.0), ce, z, np.array([1.0]))
    np.testing.assert_array_equal(g, [[1.0, -1.0, 0.0]])
    zb = np.array([[800.0, -800.0]])
    yb = np.array([[0.0, 1.0]])
    assert OPS["bce"].forward(zb, yb) == 1600.0
    gz, _ = OPS["bce"].vjp(np.float64(1.0), 1600.0, zb, yb)
    np.testing.assert_array_equal(gz, [[1.0, -1.0]])


def test_bce_matches_the_log_sigmoid_formula_and_sums_over_outputs():
    z = np.array([[0.3, -1.2], [2.0, 0.1]])
    y = np.array([[1.0, 0.0], [0.25, 1.0]])
    s = 1 / (1 + np.exp(-z))
    expected = -np.sum(y * np.log(s) + (1 - y) * np.log(1 - s)) / 2   # mean over batch of 2
    assert OPS["bce"].forward(z, y) == pytest.approx(expected, rel=1e-14)


# -- activations: derivative values and kinks -------------------------------------------


def test_relu_and_leaky_relu_derivatives_at_the_kink_follow_pytorch():
    z = np.array([-1.0, 0.0, 1.0])
    g = np.ones(3)
    np.testing.assert_array_equal(OPS["relu"].vjp(g, OPS["relu"].forward(z), z)[0], [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(OPS["leaky_relu"].vjp(g, OPS["leaky_relu"].forward(z), z)[0],
                                  [0.01, 0.01, 1.0])
    np.testing.assert_array_equal(OPS["leaky_relu"].forward(z), [-0.01, 0.0, 1.0])


def test_tanh_derivative_is_exact_for_the_computed_tanh_where_it_saturates():
    # Regression: b′ = 1 − a² lost ~2e-9 relative accuracy at |z| ≈ 10 (1e-7 at 12), so the
    # gradient drifted from torch's; (1 − a)(1 + a) is 1 − a² to the last bit or two.
    from fractions import Fraction

    z = np.array([-12.0, -10.0, -9.0, 0.5, 9.0, 10.0, 12.0])
    a = OPS["tanh"].forward(z)
    (d,) = OPS["tanh"].vjp(np.ones_like(z), a, z)
    exact = np.array([float(1 - Fraction(float(ai)) ** 2) for ai in a])
    np.testing.assert_allclose(d, exact, rtol=1e-15)
    # and close to sech²(z) itself, as far as the rounding of a allows (|δa| / (1 − |a|))
    np.testing.assert_allclose(d, 1.0 / np.cosh(z) ** 2, rtol=1e-6)


def test_sigmoid_and_softplus_are_stable_at_800():
    z = np.array([-800.0, 800.0])
    np.testing.assert_array_equal(OPS["sigmoid"].forward(z), [0.0, 1.0])
    np.testing.assert_array_equal(OPS["softplus"].forward(z), [0.0, 800.0])
    np.testing.assert_array_equal(OPS["softplus"].vjp(np.ones(2), None, z)[0], [0.0, 1.0])
    np.testing.assert_array_equal(OPS["sigmoid"].vjp(np.ones(2), OPS["sigmoid"].forward(z), z)[0], [0.0, 0.0])


def test_softplus_derivative_is_the_exact_sigmoid_beyond_20():
    # The engine keeps σ(z) where torch switches to 1 above z = 20: a difference of e^−z.
    z = np.array([20.5])
    (d,) = OPS["softplus"].vjp(np.ones(1), OPS["softplus"].forward(z), z)
    assert d[0] == pytest.approx(1.0 / (1.0 + np.exp(-20.5)), rel=1e-15)
    assert 1.0 - d[0] == pytest.approx(np.exp(-20.5), rel=1e-6)
