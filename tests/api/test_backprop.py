"""POST /api/v1/backprop on MLPs: values against hand-computed numbers, an independent
numpy reference and the engine itself; shapes, graph, orders, contributions, clipping."""

import math

import numpy as np
import pytest

from server import engine

from api_helpers import API, TINY_PARAMS, post_json, strict_loads, tiny_body, tiny_net

URL = f"{API}/backprop"

# The tiny net by hand: x = 1.5, y = 0.25, W1 = 2, b1 = 0.5, W2 = −3, b2 = 1.
#   z1 = a1 = 2·1.5 + 0.5 = 3.5;  z2 = a2 = −3·3.5 + 1 = −9.5;  f = (−9.5 − 0.25)² = 95.0625
#   ∂f/∂a2 = 2(a2 − y) = −19.5 = ∂f/∂z2 = ∂f/∂b2;  ∂f/∂W2 = −19.5 · 3.5 = −68.25
#   ∂f/∂a1 = W2ᵀ ∂f/∂z2 = 58.5 = ∂f/∂z1 = ∂f/∂b1;  ∂f/∂W1 = 58.5 · 1.5 = 87.75
#   ∂f/∂a0 = W1ᵀ ∂f/∂z1 = 117;  ∂f/∂y = −∂f/∂a2 = 19.5
HAND_VALUES = {"a0": [[1.5]], "z1": [[3.5]], "a1": [[3.5]], "z2": [[-9.5]], "a2": [[-9.5]],
               "y": [[0.25]], "loss": 95.0625, **TINY_PARAMS}
HAND_GRADS = {"loss": 1.0, "a2": [[-19.5]], "z2": [[-19.5]], "a1": [[58.5]], "z1": [[58.5]],
              "a0": [[117.0]], "y": [[19.5]],
              "W2": [[-68.25]], "b2": [-19.5], "W1": [[87.75]], "b1": [58.5]}
HAND_PARAM_GRADS = {k: HAND_GRADS[k] for k in ("W1", "b1", "W2", "b2")}
HAND_NORM2 = math.sqrt(87.75 ** 2 + 58.5 ** 2 + 68.25 ** 2 + 19.5 ** 2)


def test_tiny_identity_net_matches_hand_computed_values_and_grads(client):
    r, out = post_json(client, URL, tiny_body())
    assert r.status_code == 200, r.text
    assert out["loss"] == 95.0625
    assert out["values"] == HAND_VALUES
    assert out["grads"] == HAND_GRADS
    assert out["param_grads"] == HAND_PARAM_GRADS
    assert out["params"] == TINY_PARAMS
    assert out["nonfinite"] is False


def test_one_layer_mse_is_the_mean_over_the_batch(client):
    # a = x (W = 1, b = 0): f = (1² + 2²)/2 = 2.5; ∂f/∂W = (2/2)(1·1 + 2·2) = 5; ∂f/∂b = 3
    body = {"network": {"sizes": [1, 1], "activation": "identity",
                        "params": {"W1": [[1.0]], "b1": [0.0]}},
            "x": [[1.0], [2.0]], "y": [[0.0], [0.0]]}
    r, out = post_json(client, URL, body)
    assert r.status_code == 200, r.text
    assert out["loss"] == 2.5
    assert out["param_grads"] == {"W1": [[5.0]], "b1": [3.0]}


def test_linear_warmup_gradients_equal_the_closed_form(client):
    preset = client.get(f"{API}/presets/linear-warmup").json()
    w1, w2, w3 = (preset["network"]["params"][k][0][0] for k in ("W1", "W2", "W3"))
    x, y = preset["x"][0][0], preset["y"][0][0]
    yhat = w3 * w2 * w1 * x
    r, out = post_json(client, URL, {k: preset[k] for k in ("network", "x", "y")})
    assert r.status_code == 200
    assert out["loss"] == pytest.approx((yhat - y) ** 2, rel=1e-14)
    g = 2 * (yhat - y)
    expected = {"W3": g * w2 * w1 * x, "W2": g * w3 * w1 * x, "W1": g * w3 * w2 * x}
    for name, value in expected.items():
        assert out["param_grads"][name][0][0] == pytest.approx(value, rel=1e-14)
    assert set(out["param_grads"]) == {"W1", "W2", "W3"}  # bias: false means no b_i


def _reference_mlp(params, x, y, act, dact):
    """The contract's equations written out independently (numpy, batch first)."""
    d = len([k for k in params if k.startswith("W")])
    a = [np.asarray(x, dtype=np.float64)]
    zs = []
    for i in range(1, d + 1):
        z = a[-1] @ np.asarray(params[f"W{i}"]).T + np.asarray(params[f"b{i}"])
        zs.append(z)
        a.append(act(z) if i < d else z)
    y = np.asarray(y, dtype=np.float64)
    m = y.shape[0]
    loss = float(np.sum((a[-1] - y) ** 2) / m)
    g = 2.0 * (a[-1] - y) / m  # ∂f/∂z_d (identity output)
    grads = {}
    for i in range(d, 0, -1):
        grads[f"W{i}"] = g.T @ a[i - 1]
        grads[f"b{i}"] = g.sum(axis=0)
        if i > 1:
            g = (g @ np.asarray(params[f"W{i}"])) * dact(zs[i - 2])
    return loss, grads, zs, a


def test_tanh_mlp_matches_an_independent_numpy_reference(client):
    preset = client.get(f"{API}/presets/tanh-mlp").json()
    r, out = post_json(client, URL, {k: preset[k] for k in ("network", "x", "y")})
    assert r.status_code == 200
    loss, grads, zs, acts = _reference_mlp(preset["network"]["params"], preset["x"], preset["y"],
                                           np.tanh, lambda z: 1 - np.tanh(z) ** 2)
    assert out["loss"] == pytest.approx(loss, rel=1e-12)
    for name, g in grads.items():
        np.testing.assert_allclose(out["param_grads"][name], g, rtol=1e-12, atol=1e-15)
    for i, z in enumerate(zs, start=1):
        np.testing.assert_allclose(out["values"][f"z{i}"], z, rtol=1e-12, atol=1e-15)
    # local derivatives b′(z_i), keyed by the activation node a_i
    np.testing.assert_allclose(out["local_derivatives"]["a1"], 1 - np.tanh(zs[0]) ** 2, rtol=1e-12)


def test_answer_equals_the_engine_called_directly(client):
    body = {"network": {"kind": "mlp", "sizes": [3, 4, 2], "activation": "relu", "seed": 5,
                        "init": "he"},
            "x": [[0.1, -0.2, 0.3], [1.0, 0.5, -0.5]], "y": [[1.0, 0.0], [0.0, 1.0]]}
    r, out = post_json(client, URL, body)
    assert r.status_code == 200
    model = engine.build_model(body["network"])
    trace = engine.backprop(model, model.leaves_for(body["x"], body["y"]))
    assert out["loss"] == pytest.approx(trace["loss"], rel=1e-13)  # two runs of one sweep
    for nid, v in trace["values"].items():
        np.testing.assert_allclose(np.asarray(out["values"][nid]), v, rtol=1e-13, atol=1e-300)
    for nid, g in trace["grads"].items():
        np.testing.assert_allclose(np.asarray(out["grads"][nid]), g, rtol=1e-13, atol=1e-300)
    for name, p in model.params.items():
        np.testing.assert_array_equal(np.asarray(out["params"][name]), p)


def test_same_seed_gives_same_params_and_another_seed_does_not(client):
    def params(seed):
        body = {"network": {"sizes": [2, 3, 1], "seed": seed}, "x": [[1, 2]], "y": [[0]]}
        return client.post(URL, json=body).json()["params"]
    assert params(3) == params(3)
    assert params(3)["W1"] != params(4)["W1"]


def test_partial_explicit_params_keep_the_seeded_rest(client):
    base = client.post(URL, json={"network": {"sizes": [2, 3, 1], "seed": 1},
                                  "x": [[1, 2]], "y": [[0]]}).json()["params"]
    given = {"W1": [[1, 0], [0, 1], [1, 1]]}
    out = client.post(URL, json={"network": {"sizes": [2, 3, 1], "seed": 1, "params": given},
                                 "x": [[1, 2]], "y": [[0]]}).json()["params"]
    assert out["W1"] == [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    assert out["W2"] == base["W2"] and out["b1"] == base["b1"]


def test_every_node_has_a_value_and_grad_of_its_shape(client):
    body = {"network": {"sizes": [3, 5, 4, 2], "activation": "sigmoid"},
            "x": [[0.0, 1.0, 2.0]] * 6, "y": [[0.0, 1.0]] * 6}
    r, out = post_json(client, URL, body)
    assert r.status_code == 200
    expected = {"a0": [6, 3], "W1": [5, 3], "b1": [5], "z1": [6, 5], "a1": [6, 5],
                "W2": [4, 5], "b2": [4], "z2": [6, 4], "a2": [6, 4],
                "W3": [2, 4], "b3": [2], "z3": [6, 2], "a3": [6, 2], "y": [6, 2], "loss": []}
    shapes = {n["id"]: n["shape"] for n in out["graph"]["nodes"]}
    assert shapes == expected
    for nid, shape in expected.items():
        assert list(np.shape(out["values"][nid])) == shape, nid
        assert list(np.shape(out["grads"][nid])) == shape, nid


def test_graph_nodes_carry_op_inputs_and_role(client):
    r, out = post_json(client, URL, tiny_body())
    nodes = {n["id"]: n for n in out["graph"]["nodes"]}
    assert out["graph"]["output"] == "loss"
    assert {nid: n["role"] for nid, n in nodes.items()} == {
        "a0": "input", "y": "input", "W1": "param", "b1": "param", "W2": "param",
        "b2": "param", "z1": "op", "a1": "op", "z2": "op", "a2": "op", "loss": "loss"}
    assert nodes["z2"]["inputs"] == ["a1", "W2", "b2"]
    assert nodes["a1"]["op"] == "identity" and nodes["a1"]["inputs"] == ["z1"]
    assert nodes["loss"]["op"] == "mse" and nodes["loss"]["inputs"] == ["a2", "y"]


def test_bias_false_has_no_bias_nodes(client):
    body = {"network": {"sizes": [1, 1, 1], "activation": "identity", "bias": False},
            "x": [[1.0]], "y": [[0.0]]}
    r, out = post_json(client, URL, body)
    ids = {n["id"] for n in out["graph"]["nodes"]}
    assert ids == {"a0", "W1", "z1", "a1", "W2", "z2", "a2", "y", "loss"}
    assert set(out["params"]) == {"W1", "W2"}


def test_forward_and_backward_orders_respect_dependencies(client):
    r, out = post_json(client, URL, tiny_body())
    fwd, bwd = out["forward_order"], out["backward_order"]
    ids = {n["id"] for n in out["graph"]["nodes"]}
    assert sorted(fwd) == sorted(ids) and sorted(bwd) == sorted(ids)
    assert fwd == ["a0", "W1", "b1", "z1", "a1", "W2", "b2", "z2", "a2", "y", "loss"]
    assert bwd[0] == "loss"
    inputs = {n["id"]: n["inputs"] for n in out["graph"]["nodes"]}
    for nid, srcs in inputs.items():
        for src in srcs:
            assert fwd.index(src) < fwd.index(nid)   # an input is computed before its op
            assert bwd.index(nid) < bwd.index(src)   # an op's gradient flows to its inputs after


def test_contributions_sum_to_param_grads(client):
    preset = client.get(f"{API}/presets/tanh-mlp").json()
    r, out = post_json(client, URL, {k: preset[k] for k in ("network", "x", "y")})
    assert set(out["contributions"]) == set(out["param_grads"])
    for name, uses in out["contributions"].items():
        total = sum(np.asarray(u["grad"]) for u in uses)
        np.testing.assert_allclose(total, out["param_grads"][name], rtol=1e-14)
        for u in uses:
            assert u["norm"] == pytest.approx(np.linalg.norm(u["grad"]), rel=1e-12)
    assert [u["via"] for u in out["contributions"]["W2"]] == ["z2"]


def test_detail_summary_sends_contribution_norms_without_arrays(client):
    full = client.post(URL, json=tiny_body(detail="full")).json()
    summary = client.post(URL, json=tiny_body(detail="summary")).json()
    assert full["detail"] == "full" and summary["detail"] == "summary"
    assert summary["contributions"]["W1"] == [{"via": "z1", "norm": 87.75}]
    assert full["contributions"]["W1"] == [{"via": "z1", "norm": 87.75, "grad": [[87.75]]}]
    assert summary["param_grads"] == full["param_grads"] == HAND_PARAM_GRADS
    # default for a small network: full arrays
    assert client.post(URL, json=tiny_body()).json()["detail"] == "full"


def test_cross_entropy_with_labels_and_with_one_hot_rows_agree(client):
    net = {"sizes": [2, 3], "activation": "identity", "loss": "cross_entropy",
           "params": {"W1": [[1, 0], [0, 1], [1, 1]], "b1": [0, 0, 0]}}
    x = [[1.0, 2.0], [0.0, -1.0]]
    labels = client.post(URL, json={"network": net, "x": x, "y": [2, 0]}).json()
    onehot = client.post(URL, json={"network": net, "x": x, "y": [[0, 0, 1], [1, 0, 0]]}).json()
    z = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, -1.0]])
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    expected = -(logp[0, 2] + logp[1, 0]) / 2
    assert labels["loss"] == pytest.approx(expected, rel=1e-14)
    assert onehot["loss"] == pytest.approx(expected, rel=1e-14)
    np.testing.assert_allclose(labels["param_grads"]["W1"], onehot["param_grads"]["W1"], rtol=1e-14)


def test_bce_from_logits_matches_hand_computation(client):
    net = {"sizes": [1, 1], "activation": "identity", "loss": "bce",
           "params": {"W1": [[2.0]], "b1": [-1.0]}}
    r, out = post_json(client, URL, {"network": net, "x": [[1.0], [0.0]], "y": [[1.0], [0.0]]})
    z = np.array([1.0, -1.0])
    s = 1 / (1 + np.exp(-z))
    loss = -(np.log(s[0]) + np.log(1 - s[1])) / 2
    assert out["loss"] == pytest.approx(loss, rel=1e-13)
    # ∂f/∂z = (σ(z) − y)/m
    assert out["param_grads"]["b1"][0] == pytest.approx(((s[0] - 1) + s[1]) / 2, rel=1e-13)


def test_y_as_flat_list_is_accepted_for_one_output(client):
    r, out = post_json(client, URL, tiny_body(y=[0.25]))
    assert r.status_code == 200 and out["loss"] == 95.0625


# -- clipping ------------------------------------------------------------------------

def _clipped(coef):
    return {k: (np.asarray(v) * coef).tolist() for k, v in HAND_PARAM_GRADS.items()}


def test_clip_norm_2_scales_by_max_norm_over_total_norm(client):
    r, out = post_json(client, URL, tiny_body(clip={"mode": "norm", "max_norm": 1.0}))
    assert r.status_code == 200, r.text
    c = out["clipping"]
    coef = 1.0 / (HAND_NORM2 + 1e-6)
    assert c["clipped"] is True
    assert c["total_norm_before"] == pytest.approx(HAND_NORM2, rel=1e-15)
    assert c["total_norm_after"] == pytest.approx(HAND_NORM2 * coef, rel=1e-12)
    assert c["total_norm_after"] < 1.0
    for name, g in _clipped(coef).items():
        np.testing.assert_allclose(c["clipped_grads"][name], g, rtol=1e-14)
    assert out["param_grads"] == HAND_PARAM_GRADS  # the unclipped gradients stay reported


def test_clip_norm_inf_uses_the_largest_entry(client):
    body = tiny_body(clip={"mode": "norm", "max_norm": 10.0, "norm_type": "inf"})
    r, out = post_json(client, URL, body)
    c = out["clipping"]
    coef = 10.0 / (87.75 + 1e-6)
    assert c["norm_type"] == "inf"
    assert c["total_norm_before"] == 87.75
    assert c["clipped"] is True
    assert c["total_norm_after"] == pytest.approx(87.75 * coef, rel=1e-14)
    np.testing.assert_allclose(c["clipped_grads"]["W2"], [[-68.25 * coef]], rtol=1e-14)


def test_clip_norm_above_the_total_norm_leaves_grads_alone(client):
    r, out = post_json(client, URL, tiny_body(clip={"mode": "norm", "max_norm": 1000.0}))
    c = out["clipping"]
    assert c["clipped"] is False
    assert c["total_norm_before"] == c["total_norm_after"] == pytest.approx(HAND_NORM2, rel=1e-15)
    assert c["clipped_grads"] == HAND_PARAM_GRADS


def test_clip_value_clamps_every_entry(client):
    r, out = post_json(client, URL, tiny_body(clip={"mode": "value", "clip_value": 60.0}))
    c = out["clipping"]
    assert c["clipped"] is True
    assert c["clipped_grads"] == {"W1": [[60.0]], "b1": [58.5], "W2": [[-60.0]], "b2": [-19.5]}
    assert c["total_norm_before"] == pytest.approx(HAND_NORM2, rel=1e-15)
    assert c["total_norm_after"] == pytest.approx(math.sqrt(60**2 + 58.5**2 + 60**2 + 19.5**2),
                                                  rel=1e-15)


def test_no_clip_means_no_clipping_field(client):
    r = client.post(URL, json=tiny_body())
    assert r.status_code == 200, r.text  # a 422 has no clipping field either
    assert "clipping" not in r.json() or r.json()["clipping"] is None


def test_string_norm_type_2_equals_numeric_2(client):
    a = client.post(URL, json=tiny_body(clip={"mode": "norm", "max_norm": 1, "norm_type": "2"}))
    b = client.post(URL, json=tiny_body(clip={"mode": "norm", "max_norm": 1, "norm_type": 2}))
    assert a.status_code == b.status_code == 200
    assert a.json()["clipping"] == b.json()["clipping"]


def test_answer_is_strict_json_with_nonfinite_false(client):
    r = client.post(URL, json=tiny_body())
    assert r.headers["content-type"].startswith("application/json")
    assert strict_loads(r.text)["nonfinite"] is False


def test_other_activations_run_and_give_their_derivative(client):
    # one unit per activation, z = 0.5 (W = 1, b = 0, x = 0.5), identity output through W2 = 1
    z = 0.5
    derivs = {"identity": 1.0, "relu": 1.0, "leaky_relu": 1.0,
              "sigmoid": (1 / (1 + math.exp(-z))) * (1 - 1 / (1 + math.exp(-z))),
              "tanh": 1 - math.tanh(z) ** 2, "softplus": 1 / (1 + math.exp(-z))}
    for act, d in derivs.items():
        net = tiny_net(activation=act, params={"W1": [[1.0]], "b1": [0.0], "W2": [[1.0]],
                                               "b2": [0.0]})
        out = client.post(URL, json={"network": net, "x": [[z]], "y": [[0.0]]}).json()
        assert out["local_derivatives"]["a1"] == [[pytest.approx(d, rel=1e-14)]], act


def test_relu_derivative_at_zero_is_zero(client):
    net = tiny_net(activation="relu", params={"W1": [[1.0]], "b1": [0.0], "W2": [[1.0]],
                                              "b2": [0.0]})
    out = client.post(URL, json={"network": net, "x": [[0.0]], "y": [[1.0]]}).json()
    assert out["local_derivatives"]["a1"] == [[0.0]]
    assert out["param_grads"]["W1"] == [[0.0]] and out["param_grads"]["b1"] == [0.0]
