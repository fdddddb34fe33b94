"""Strict JSON for exploding numbers, and work beyond the configured limits refused early."""

import json
import time

import pytest

from api_helpers import API, error_locs, error_text, make_client, raw_post, strict_loads, tiny_body

URL = f"{API}/backprop"

# tanh saturates: z1 = 1e300·1e10 = +inf, a1 = tanh(inf) = 1, z2 = 1e300, f = (1e300)² = inf;
# backward: ∂f/∂a1 = 2e300·1e300 = inf, ∂f/∂z1 = inf · (1 − 1²) = inf · 0 = NaN.
DIVERGING = {"network": {"sizes": [1, 1, 1], "activation": "tanh",
                         "params": {"W1": [[1e300]], "b1": [0.0], "W2": [[1e300]], "b2": [0.0]}},
             "x": [[1e10]], "y": [[0.0]]}


def test_diverging_net_answers_200_with_nonfinite_strings(client):
    r = client.post(URL, json=DIVERGING)
    assert r.status_code == 200
    out = strict_loads(r.text)  # fails on a bare NaN / Infinity token
    assert out["nonfinite"] is True
    assert out["loss"] == "Infinity"
    assert out["values"]["z1"] == [["Infinity"]]
    assert out["values"]["a1"] == [[1.0]]
    assert out["grads"]["a1"] == [["Infinity"]]
    assert out["grads"]["z1"] == [["NaN"]]
    assert out["param_grads"]["W1"] == [["NaN"]]
    assert out["param_grads"]["W2"] == [[2e300]]  # finite numbers stay numbers


def test_negative_infinity_is_written_as_a_string(client):
    body = json.loads(json.dumps(DIVERGING))
    body["x"] = [[-1e10]]  # z1 = −inf
    out = strict_loads(client.post(URL, json=body).text)
    assert out["values"]["z1"] == [["-Infinity"]]
    assert out["nonfinite"] is True


def test_raw_text_has_no_bare_nonfinite_tokens(client):
    text = client.post(URL, json=DIVERGING).text
    for bare in ('{"a": NaN}', '{"a": Infinity}', '{"a": [-Infinity]}'):
        with pytest.raises(ValueError):  # the checker itself refuses what Python would accept
            strict_loads(bare)
    strict_loads(text)
    stripped = text.replace('"NaN"', "").replace('"Infinity"', "").replace('"-Infinity"', "")
    assert "NaN" not in stripped and "Infinity" not in stripped


def test_clipping_a_nan_gradient_reports_nan_norms(client):
    body = {**DIVERGING, "clip": {"mode": "norm", "max_norm": 1.0}}
    r = client.post(URL, json=body)
    assert r.status_code == 200
    c = strict_loads(r.text)["clipping"]
    assert c["total_norm_before"] == "NaN"
    assert c["clipped"] is True  # torch multiplies by a NaN coefficient too


def test_finite_answer_has_nonfinite_false(client):
    out = strict_loads(client.post(URL, json=tiny_body()).text)
    assert out["nonfinite"] is False


def test_session_trained_into_overflow_keeps_answering_strict_json(client):
    sid = client.post(f"{API}/sessions", json={"preset": "tanh-mlp"}).json()["id"]
    r = client.post(f"{API}/sessions/{sid}/train", json={"steps": 5, "lr": 1e300})
    assert r.status_code == 200
    out = strict_loads(r.text)
    assert out["nonfinite"] is True
    assert "NaN" in out["loss_history"] or "Infinity" in out["loss_history"]
    for path in ("forward", "backward"):
        r = client.post(f"{API}/sessions/{sid}/{path}")
        assert r.status_code == 200 and strict_loads(r.text)["nonfinite"] is True
    got = client.get(f"{API}/sessions/{sid}")
    assert strict_loads(got.text)["nonfinite"] is True


# -- limits ---------------------------------------------------------------------------------

def test_body_over_40_mb_is_413_naming_the_limit(client):
    big = b'{"network": {"sizes": [1, 1]}, "x": [' + b"[0.5]," * (40 * 1024 * 1024 // 6) + b'[0.5]], "y": [[0]]}'
    assert len(big) > 40 * 1024 * 1024
    r = raw_post(client, URL, big)
    assert r.status_code == 413
    assert "BPV_MAX_BODY_BYTES" in error_text(r)


def test_chunked_body_over_the_limit_is_413():
    c = make_client(max_body_bytes=1000)

    def chunks():  # no content-length: the guard must count while reading
        for _ in range(10):
            yield b" " * 500
    r = c.post(URL, content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert "BPV_MAX_BODY_BYTES" in error_text(r)


def test_body_just_under_the_limit_is_parsed():
    c = make_client(max_body_bytes=1000)
    text = json.dumps(tiny_body())
    r = raw_post(c, URL, text + " " * (1000 - len(text)))
    assert r.status_code == 200


def test_deeply_nested_arrays_are_422_naming_the_depth_limit(client):
    nested = "[" * 100 + "1" + "]" * 100
    r = raw_post(client, URL, '{"network": {"sizes": [1, 1]}, "x": %s, "y": [[0]]}' % nested)
    assert r.status_code == 422
    assert "BPV_MAX_JSON_DEPTH" in error_text(r)


def test_brackets_inside_strings_do_not_count_towards_depth():
    c = make_client(max_json_depth=5)  # the body itself nests 5 deep (network.params.W1)
    r = c.post(URL, json={**tiny_body(), "network": {**tiny_body()["network"],
                                                     "activation": "[" * 50}})
    assert r.status_code == 422
    assert error_locs(r) == [("body", "network", "activation")]


def test_huge_parameter_count_is_refused_fast_naming_the_limit(client):
    start = time.perf_counter()
    r = client.post(URL, json={"network": {"sizes": [100000, 100000]}, "x": [[0.0] * 100000],
                               "y": [[0.0] * 100000]})
    elapsed = time.perf_counter() - start
    assert r.status_code == 422
    assert error_locs(r) == [("body", "network")]
    assert "10000100000 parameters" in error_text(r) and "BPV_MAX_PARAMS" in error_text(r)
    assert elapsed < 2.0


def test_astronomical_layer_width_is_refused_not_crashed(client):
    r = client.post(URL, json={"network": {"sizes": [10 ** 30, 1]}, "x": [[0.0]], "y": [[0.0]]})
    assert r.status_code == 422
    assert "BPV_MAX_PARAMS" in error_text(r)


def test_parameter_limit_is_exact():
    c = make_client(max_params=4)  # sizes [1, 1, 1] with bias: W1, b1, W2, b2 = 4
    assert c.post(URL, json=tiny_body()).status_code == 200
    c = make_client(max_params=3)
    r = c.post(URL, json=tiny_body())
    assert r.status_code == 422 and "4 parameters exceed the limit of 3" in error_text(r)


def test_batch_over_the_limit_is_422_naming_it():
    c = make_client(max_batch=3)
    ok = c.post(URL, json=tiny_body(x=[[1.0]] * 3, y=[[0.0]] * 3))
    assert ok.status_code == 200
    r = c.post(URL, json=tiny_body(x=[[1.0]] * 4, y=[[0.0]] * 4))
    assert r.status_code == 422 and error_locs(r) == [("body", "x")]
    assert "BPV_MAX_BATCH" in error_text(r)


def test_trace_size_over_the_value_limit_is_422_naming_it():
    c = make_client(max_values=1000)
    r = c.post(URL, json={"network": {"sizes": [10, 100, 1]}, "x": [[0.0] * 10] * 8,
                          "y": [[0.0]] * 8})
    assert r.status_code == 422 and "BPV_MAX_VALUES" in error_text(r)


def test_forward_with_a_batch_over_the_limit_is_422():
    c = make_client(max_batch=4)
    sid = c.post(f"{API}/sessions", json={"preset": "tanh-mlp"}).json()["id"]
    r = c.post(f"{API}/sessions/{sid}/forward", json={"x": [[0.0, 0.0]] * 5, "y": [[0.0]] * 5})
    assert r.status_code == 422 and "BPV_MAX_BATCH" in error_text(r)


def test_train_steps_over_the_limit_are_refused_before_any_step():
    c = make_client(max_train_steps=50)
    sid = c.post(f"{API}/sessions", json={"preset": "tanh-mlp"}).json()["id"]
    r = c.post(f"{API}/sessions/{sid}/train", json={"steps": 51, "lr": 0.1})
    assert r.status_code == 422 and error_locs(r) == [("body", "steps")]
    assert "BPV_MAX_TRAIN_STEPS" in error_text(r)
    assert c.get(f"{API}/sessions/{sid}").json()["step"] == 0
    assert c.post(f"{API}/sessions/{sid}/train", json={"steps": 50, "lr": 0.1}).status_code == 200


def test_astronomical_train_steps_are_refused_fast(client):
    sid = client.post(f"{API}/sessions", json={"preset": "tanh-mlp"}).json()["id"]
    start = time.perf_counter()
    r = client.post(f"{API}/sessions/{sid}/train", json={"steps": 10 ** 30, "lr": 0.1})
    assert r.status_code == 422 and "BPV_MAX_TRAIN_STEPS" in error_text(r)
    assert time.perf_counter() - start < 2.0


def test_train_work_over_the_limit_is_422_naming_it():
    c = make_client(max_train_work=1000.0)
    sid = c.post(f"{API}/sessions", json={"preset": "tanh-mlp"}).json()["id"]
    r = c.post(f"{API}/sessions/{sid}/train", json={"steps": 100, "lr": 0.1})
    assert r.status_code == 422 and "BPV_MAX_TRAIN_WORK" in error_text(r)


def test_limits_are_read_from_bpv_environment_variables(monkeypatch):
    monkeypatch.setenv("BPV_MAX_BATCH", "2")
    from server.app import create_app
    from fastapi.testclient import TestClient
    c = TestClient(create_app())
    r = c.post(URL, json=tiny_body(x=[[1.0]] * 3, y=[[0.0]] * 3))
    assert r.status_code == 422 and "limit of 2 (BPV_MAX_BATCH)" in error_text(r)
