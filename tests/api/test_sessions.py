"""Stateful sessions: create, read, forward → backward, step, train, delete; isolation."""

import numpy as np
import pytest

from api_helpers import API, TINY_PARAMS, post_json, session_from_preset, strict_loads, tiny_body

# A session's update runs the parameter-only sweep, /backprop the recorded one: the same
# products, but their last bit may differ on another BLAS kernel.
REL = 1e-12


def assert_grads_close(a, b):
    assert a.keys() == b.keys()
    for name in b:
        np.testing.assert_allclose(a[name], b[name], rtol=REL, atol=1e-300, err_msg=name)

S = f"{API}/sessions"


def _preset(client, name="tanh-mlp"):
    return client.get(f"{API}/presets/{name}").json()


def _backprop(client, network, x, y):
    r = client.post(f"{API}/backprop", json={"network": network, "x": x, "y": y})
    assert r.status_code == 200, r.text
    return r.json()


def _session_backprop(client, sid):
    """What /backprop says for the session's current params and data."""
    s = client.get(f"{S}/{sid}").json()
    return _backprop(client, {**s["network"], "params": s["params"]}, s["x"], s["y"])


def test_create_from_preset_is_201_with_id_network_params_and_data(client):
    r = client.post(S, json={"preset": "tanh-mlp"})
    assert r.status_code == 201
    out = r.json()
    preset = _preset(client)
    assert isinstance(out["id"], str) and len(out["id"]) >= 16
    assert out["network"]["sizes"] == preset["network"]["sizes"]
    assert out["params"] == preset["network"]["params"]
    assert (out["x"], out["y"]) == (preset["x"], preset["y"])
    assert out["step"] == 0 and out["loss_history"] == []


def test_create_from_network_and_data(client):
    r = client.post(S, json=tiny_body())
    assert r.status_code == 201
    got = client.get(f"{S}/{r.json()['id']}")
    assert got.status_code == 200
    s = got.json()
    assert s["params"] == TINY_PARAMS
    assert s["network"]["sizes"] == [1, 1, 1] and s["network"]["activation"] == "identity"
    assert s["x"] == [[1.5]] and s["y"] == [[0.25]]


def test_ids_are_distinct(client):
    ids = {session_from_preset(client) for _ in range(5)}
    assert len(ids) == 5


def test_forward_then_backward_match_backprop(client):
    sid = client.post(S, json=tiny_body()).json()["id"]
    fwd = client.post(f"{S}/{sid}/forward")
    assert fwd.status_code == 200
    f = fwd.json()
    assert f["phase"] == "forward" and f["step"] == 0
    assert f["loss"] == 95.0625
    assert f["values"]["z2"] == [[-9.5]]
    assert f["forward_order"][0] == "a0" and f["forward_order"][-1] == "loss"
    assert "grads" not in f
    bwd = client.post(f"{S}/{sid}/backward")
    assert bwd.status_code == 200
    b = bwd.json()
    assert b["phase"] == "backward"
    assert b["param_grads"] == {"W1": [[87.75]], "b1": [58.5], "W2": [[-68.25]], "b2": [-19.5]}
    assert b["backward_order"][0] == "loss"
    assert b["contributions"]["W2"][0]["via"] == "z2"


def test_backward_without_forward_is_409(client):
    sid = session_from_preset(client)
    r = client.post(f"{S}/{sid}/backward")
    assert r.status_code == 409
    assert "forward" in r.json()["detail"]


def test_backward_after_a_step_is_409_until_the_next_forward(client):
    sid = session_from_preset(client)
    assert client.post(f"{S}/{sid}/forward").status_code == 200
    assert client.post(f"{S}/{sid}/backward").status_code == 200
    assert client.post(f"{S}/{sid}/backward").status_code == 200  # same forward, still valid
    assert client.post(f"{S}/{sid}/step", json={"lr": 0.1}).status_code == 200
    assert client.post(f"{S}/{sid}/backward").status_code == 409
    assert client.post(f"{S}/{sid}/forward").status_code == 200
    b = client.post(f"{S}/{sid}/backward").json()
    assert_grads_close(b["param_grads"], _session_backprop(client, sid)["param_grads"])


def test_backward_after_train_is_409(client):
    sid = session_from_preset(client)
    client.post(f"{S}/{sid}/forward")
    client.post(f"{S}/{sid}/train", json={"steps": 2, "lr": 0.1})
    assert client.post(f"{S}/{sid}/backward").status_code == 409


def test_forward_with_new_x_and_y_uses_and_keeps_them(client):
    sid = client.post(S, json=tiny_body()).json()["id"]
    f = client.post(f"{S}/{sid}/forward", json={"x": [[1.0], [2.0]], "y": [[0.0], [1.0]]}).json()
    # z2 = −3(2x + 0.5) + 1 = −6x − 0.5: −6.5 and −12.5; f = (6.5² + 13.5²)/2
    assert f["values"]["z2"] == [[-6.5], [-12.5]]
    assert f["loss"] == (6.5 ** 2 + 13.5 ** 2) / 2
    s = client.get(f"{S}/{sid}").json()
    assert s["x"] == [[1.0], [2.0]] and s["y"] == [[0.0], [1.0]]
    # a later step trains on the new data
    step = client.post(f"{S}/{sid}/step", json={"lr": 0.001}).json()
    assert step["loss"] == pytest.approx(f["loss"], rel=REL)


def test_forward_with_new_y_only_keeps_x(client):
    sid = client.post(S, json=tiny_body()).json()["id"]
    f = client.post(f"{S}/{sid}/forward", json={"y": [[-9.5]]}).json()
    assert f["loss"] == 0.0
    assert client.get(f"{S}/{sid}").json()["x"] == [[1.5]]


def test_step_is_exact_gradient_descent_and_lowers_the_loss(client):
    sid = session_from_preset(client)
    expected = _session_backprop(client, sid)
    r, step = post_json(client, f"{S}/{sid}/step", {"lr": 0.1})
    assert r.status_code == 200
    assert step["phase"] == "update" and step["step"] == 1 and step["lr"] == 0.1
    assert step["loss"] == pytest.approx(expected["loss"], rel=REL)
    assert_grads_close(step["param_grads"], expected["param_grads"])
    assert step["params_before"] == expected["params"]
    for name, before in step["params_before"].items():
        want = np.asarray(before) - 0.1 * np.asarray(step["param_grads"][name])
        np.testing.assert_array_equal(np.asarray(step["params"][name]), want)
    assert step["loss_after"] < step["loss"]
    after = _session_backprop(client, sid)
    assert step["loss_after"] == pytest.approx(after["loss"], rel=REL)
    s = client.get(f"{S}/{sid}").json()
    assert s["params"] == step["params"] and s["step"] == 1 and s["loss_history"] == [step["loss"]]


def test_step_on_the_tiny_net_by_hand(client):
    sid = client.post(S, json=tiny_body()).json()["id"]
    step = client.post(f"{S}/{sid}/step", json={"lr": 0.01}).json()
    assert step["params"] == {"W1": [[2.0 - 0.01 * 87.75]], "b1": [0.5 - 0.01 * 58.5],
                              "W2": [[-3.0 + 0.01 * 68.25]], "b2": [1.0 + 0.01 * 19.5]}


def test_step_with_clip_applies_the_clipped_gradient(client):
    sid = client.post(S, json=tiny_body()).json()["id"]
    step = client.post(f"{S}/{sid}/step", json={"lr": 1.0, "clip": {"mode": "value",
                                                                     "clip_value": 1.0}}).json()
    c = step["clipping"]
    assert c["clipped"] is True and c["mode"] == "value"
    assert step["param_grads"] == {"W1": [[1.0]], "b1": [1.0], "W2": [[-1.0]], "b2": [-1.0]}
    assert step["params"] == {"W1": [[1.0]], "b1": [-0.5], "W2": [[-2.0]], "b2": [2.0]}


def test_step_with_norm_clip_reports_the_norm_before(client):
    sid = client.post(S, json=tiny_body()).json()["id"]
    step = client.post(f"{S}/{sid}/step", json={"lr": 0.5, "clip": {"mode": "norm",
                                                                     "max_norm": 2.0}}).json()
    norm = np.sqrt(87.75 ** 2 + 58.5 ** 2 + 68.25 ** 2 + 19.5 ** 2)
    assert step["clipping"]["total_norm_before"] == pytest.approx(norm, rel=1e-15)
    g = np.concatenate([np.ravel(v) for v in step["param_grads"].values()])
    assert np.linalg.norm(g) == pytest.approx(2.0 * norm / (norm + 1e-6), rel=1e-12)


def test_train_returns_a_decreasing_loss_history_of_length_steps(client):
    sid = session_from_preset(client)
    r, out = post_json(client, f"{S}/{sid}/train", {"steps": 50, "lr": 0.1})
    assert r.status_code == 200
    h = out["loss_history"]
    assert len(h) == 50 and out["step"] == 50
    assert h[0] == pytest.approx(_backprop(client, _preset(client)["network"], _preset(client)["x"],
                                           _preset(client)["y"])["loss"], rel=REL)
    assert h[-1] < h[0] / 2 and out["final_loss"] < h[-1]
    assert sum(b < a for a, b in zip(h, h[1:])) >= 45
    s = client.get(f"{S}/{sid}").json()
    assert s["step"] == 50 and s["loss_history"] == h and s["params"] == out["params"]
    assert out["final_loss"] == pytest.approx(_session_backprop(client, sid)["loss"], rel=REL)


def test_train_equals_the_same_number_of_steps(client):
    a, b = session_from_preset(client), session_from_preset(client)
    trained = client.post(f"{S}/{a}/train", json={"steps": 5, "lr": 0.1}).json()
    losses = [client.post(f"{S}/{b}/step", json={"lr": 0.1}).json()["loss"] for _ in range(5)]
    assert trained["loss_history"] == losses
    assert trained["params"] == client.get(f"{S}/{b}").json()["params"]


def test_train_histories_accumulate(client):
    sid = session_from_preset(client)
    first = client.post(f"{S}/{sid}/train", json={"steps": 3, "lr": 0.1}).json()
    step = client.post(f"{S}/{sid}/step", json={"lr": 0.1}).json()
    second = client.post(f"{S}/{sid}/train", json={"steps": 2, "lr": 0.1}).json()
    assert second["step"] == 6
    s = client.get(f"{S}/{sid}").json()
    assert s["loss_history"] == first["loss_history"] + [step["loss"]] + second["loss_history"]


def test_train_with_clip_reports_each_norm_before(client):
    sid = session_from_preset(client)
    out = client.post(f"{S}/{sid}/train", json={"steps": 4, "lr": 0.1,
                                                "clip": {"mode": "norm", "max_norm": 0.01}}).json()
    norms = out["clip_norms_before"]
    assert len(norms) == 4 and all(n > 0.01 for n in norms)
    grads = _backprop(client, _preset(client)["network"], _preset(client)["x"],
                      _preset(client)["y"])["param_grads"]
    first = np.sqrt(sum(np.sum(np.asarray(g) ** 2) for g in grads.values()))
    assert norms[0] == pytest.approx(first, rel=1e-12)
    # each clipped update moves the params by lr · max_norm at most
    before = np.concatenate([np.ravel(v) for v in _preset(client)["network"]["params"].values()])
    after = np.concatenate([np.ravel(v) for v in out["params"].values()])
    assert np.linalg.norm(after - before) <= 4 * 0.1 * 0.01 + 1e-12


def test_train_without_clip_has_no_clip_norms(client):
    sid = session_from_preset(client)
    r = client.post(f"{S}/{sid}/train", json={"steps": 2, "lr": 0.1})
    assert r.status_code == 200, r.text  # a 422 has no clip_norms_before either
    assert r.json()["step"] == 2 and "clip_norms_before" not in r.json()


def test_delete_is_204_then_404(client):
    sid = session_from_preset(client)
    r = client.delete(f"{S}/{sid}")
    assert r.status_code == 204 and r.content == b""
    assert client.get(f"{S}/{sid}").status_code == 404
    assert client.delete(f"{S}/{sid}").status_code == 404
    assert client.post(f"{S}/{sid}/forward").status_code == 404


@pytest.mark.parametrize("method,path,body", [
    ("get", "", None), ("delete", "", None), ("post", "/forward", None),
    ("post", "/backward", None), ("post", "/step", {"lr": 0.1}),
    ("post", "/train", {"steps": 1, "lr": 0.1})])
def test_unknown_session_is_404(client, method, path, body):
    kwargs = {} if body is None else {"json": body}
    r = getattr(client, method)(f"{S}/no-such-session{path}", **kwargs)
    assert r.status_code == 404
    assert "no-such-session" in r.json()["detail"]


def test_a_step_on_one_session_never_changes_another(client):
    a, b = session_from_preset(client), session_from_preset(client)
    b_before = client.get(f"{S}/{b}").json()
    client.post(f"{S}/{b}/forward")
    client.post(f"{S}/{a}/train", json={"steps": 10, "lr": 0.5})
    client.post(f"{S}/{a}/step", json={"lr": 0.5})
    client.post(f"{S}/{a}/forward", json={"x": [[9.0, 9.0]], "y": [[9.0]]})
    b_after = client.get(f"{S}/{b}").json()
    assert b_after == b_before
    assert client.get(f"{S}/{a}").json()["params"] != b_after["params"]
    assert client.post(f"{S}/{b}/backward").status_code == 200  # b's forward is still valid
    client.delete(f"{S}/{a}")
    assert client.get(f"{S}/{b}").json() == b_before


def test_sessions_do_not_share_the_presets_arrays(client):
    a = session_from_preset(client)
    client.post(f"{S}/{a}/train", json={"steps": 3, "lr": 0.5})
    assert client.get(f"{API}/presets/tanh-mlp").json() == _preset(client)
    b = session_from_preset(client)
    assert client.get(f"{S}/{b}").json()["params"] == _preset(client)["network"]["params"]


def test_session_answers_are_strict_json(client):
    sid = session_from_preset(client)
    for method, path, body in [("post", "/forward", None), ("post", "/backward", None),
                               ("post", "/step", {"lr": 0.1}), ("get", "", None),
                               ("post", "/train", {"steps": 2, "lr": 0.1})]:
        kwargs = {} if body is None else {"json": body}
        r = getattr(client, method)(f"{S}/{sid}{path}", **kwargs)
        assert r.status_code == 200
        assert strict_loads(r.text)["nonfinite"] is False
