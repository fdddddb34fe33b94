"""The compute pool (busy sessions, a full queue), the request's time budget, and the
orjson encoder against the encoder it replaced."""

import json
import math
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from api_helpers import API, make_client, session_from_preset, strict_loads, tiny_body
from server.api.encoding import StrictJSONResponse
from server.engine import backprop, build_model
from server.engine.core.budget import Budget

S = f"{API}/sessions"


# -- the encoder it replaced (json.dumps over Python lists), kept here as the reference --

def _old_array(arr, flag):
    arr = np.asarray(arr)
    if arr.dtype.kind in "biu":
        return arr.tolist()
    arr = arr.astype(np.float64, copy=False)
    if np.isfinite(arr).all():
        return arr.tolist()
    flag[0] = True
    out = arr.astype(object)
    out[np.isnan(arr)] = "NaN"
    out[arr == np.inf] = "Infinity"
    out[arr == -np.inf] = "-Infinity"
    return out.tolist()


def _old_value(obj, flag):
    if isinstance(obj, dict):
        return {str(k): _old_value(v, flag) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_old_value(v, flag) for v in obj]
    if isinstance(obj, np.ndarray):
        return _old_array(obj, flag)
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (float, np.floating)):
        if math.isfinite(float(obj)):
            return float(obj)
        flag[0] = True
        return "NaN" if math.isnan(obj) else ("Infinity" if obj > 0 else "-Infinity")
    if isinstance(obj, np.integer):
        return int(obj)
    return obj


def old_render(content):
    flag = [False]
    data = _old_value(content, flag)
    data["nonfinite"] = flag[0]
    return json.dumps(data, allow_nan=False, separators=(",", ":"))


def _trace_with_nonfinite():
    model = build_model({"kind": "mlp", "sizes": [2, 3, 1], "activation": "tanh", "loss": "mse"})
    x = np.array([[0.5, -1.0], [2.0, 0.25]])
    trace = backprop(model, model.leaves_for(x, np.array([[1.0], [0.0]])))
    trace["values"]["z1"] = trace["values"]["z1"].copy()
    trace["values"]["z1"][0, :] = [np.nan, np.inf, -np.inf]
    trace["extra"] = {"py_nan": math.nan, "np_inf": np.float64(-np.inf), "zero_d": np.array(np.nan),
                      "strided": np.arange(12.0).reshape(3, 4)[:, ::2], "labels": np.array([0, 2]),
                      "mask": np.array([True, False]), "none": None, 3: "int key", "tiny": 1e-300}
    return trace


def test_orjson_answer_equals_the_old_encoders_on_a_trace_with_nan_and_infinities():
    trace = _trace_with_nonfinite()
    new = StrictJSONResponse(trace).body
    # Parsed values compared exactly: both write the shortest text that reads back as the
    # same float64 (nothing here is arithmetic, only the text of the same numbers).
    assert strict_loads(new) == strict_loads(old_render(trace))
    assert strict_loads(new)["nonfinite"] is True
    assert strict_loads(new)["values"]["z1"][0] == ["NaN", "Infinity", "-Infinity"]


def test_orjson_answer_equals_the_old_encoders_when_all_is_finite_with_nulls():
    trace = _trace_with_nonfinite()
    trace["values"]["z1"][0, :] = 0.5
    trace["extra"] = {"none": None, "divergence": None, "ints": np.arange(3)}
    new = strict_loads(StrictJSONResponse(trace).body)
    assert new == strict_loads(old_render(trace))
    assert new["nonfinite"] is False


def test_an_answer_over_the_size_limit_is_refused_naming_the_limit():
    c = make_client(max_answer_bytes=20_000)
    body = {"network": {"kind": "mlp", "sizes": [4, 16, 16, 1], "activation": "tanh", "loss": "mse"},
            "x": [[0.1, 0.2, 0.3, 0.4]] * 32, "y": [[0.0]] * 32}
    r = c.post(f"{API}/backprop", json=body)
    assert r.status_code == 422, r.text
    msg = r.json()["detail"][0]["msg"]
    assert "BPV_MAX_ANSWER_BYTES" in msg and "20000" in msg and '"gradients"' in msg
    small = c.post(f"{API}/backprop", json={**body, "detail": "gradients"})
    assert small.status_code == 200, small.text
    assert len(small.content) <= 20_000


def test_budget_records_why_and_when_it_stopped():
    now = [0.0]
    budget = Budget(2.0, clock=lambda: now[0])
    now[0] = 1.9
    assert not budget.spent() and budget.stopped is None
    now[0] = 2.5
    assert budget.spent()
    assert budget.stopped == {"reason": "time budget", "seconds": 2.5, "limit_seconds": 2.0}
    other = Budget(None)
    assert not other.spent()
    other.cancel()
    assert other.spent() and other.stopped["reason"] == "client disconnected"


def test_train_past_the_time_budget_keeps_and_saves_the_steps_done():
    c = make_client(max_request_seconds=0.2, max_session_memory=0)
    sid = session_from_preset(c, "two-moons")
    r = c.post(f"{S}/{sid}/train", json={"steps": 20000, "lr": 0.1})
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["stopped"]["reason"] == "time budget" and a["stopped"]["limit_seconds"] == 0.2
    assert 1 <= a["stopped"]["steps_done"] == a["step"] == len(a["loss_history"]) < 20000
    got = c.get(f"{S}/{sid}").json()  # evicted from memory at once: this is from disk
    assert got["step"] == a["step"] and got["params"] == a["params"]


def test_gradcheck_and_eigen_past_the_time_budget_say_so_with_what_was_done():
    c = make_client(max_request_seconds=0.05)
    rng = np.random.default_rng(0)
    body = {"network": {"kind": "mlp", "sizes": [2, 64, 64, 1], "activation": "tanh", "loss": "mse"},
            "x": rng.normal(size=(256, 2)).tolist(), "y": [[0.0]] * 256}
    r = c.post(f"{API}/gradcheck", json={**body, "max_entries": 5000})
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["stopped"]["reason"] == "time budget"
    assert a["params"]["W2"]["checked"] < a["params"]["W2"]["total"] == 4096
    e = c.post(f"{API}/eigen", json={**body, "iters": 500})
    assert e.status_code == 200 and e.json()["stopped"]["reason"] == "time budget"
    assert 1 <= len(e.json()["history"]) < 500


def _when_busy(c, n=1, timeout=10.0):
    """Wait until n requests hold the compute pool."""
    deadline = time.monotonic() + timeout
    while c.app.state.compute._active < n:
        assert time.monotonic() < deadline, "the long request never started"
        time.sleep(0.005)


def test_a_request_on_a_busy_session_gets_409_and_other_sessions_still_answer():
    c = make_client(max_request_seconds=3.0)
    busy, other = session_from_preset(c, "two-moons"), session_from_preset(c)
    with ThreadPoolExecutor(4) as pool:
        long = pool.submit(c.post, f"{S}/{busy}/train", json={"steps": 20000, "lr": 0.1})
        _when_busy(c)
        answers = list(pool.map(lambda _: c.post(f"{S}/{busy}/backward"), range(6)))
        assert c.post(f"{S}/{other}/step", json={"lr": 0.1}).status_code == 200
        assert long.result().status_code == 200
    assert [a.status_code for a in answers] == [409] * 6
    assert "session busy" in answers[0].json()["detail"]
    assert answers[0].headers["retry-after"] == "1"


def test_beyond_the_compute_queue_requests_get_503_with_retry_after():
    c = make_client(compute_threads=1, compute_queue=0, max_request_seconds=3.0)
    sid = session_from_preset(c, "two-moons")
    with ThreadPoolExecutor(1) as pool:
        long = pool.submit(c.post, f"{S}/{sid}/train", json={"steps": 20000, "lr": 0.1})
        _when_busy(c)
        r = c.post(f"{API}/backprop", json=tiny_body())
        assert long.result().status_code == 200
    assert r.status_code == 503 and r.headers["retry-after"] == "2"
    assert "BPV_COMPUTE_THREADS" in r.json()["detail"]
    assert c.post(f"{API}/backprop", json=tiny_body()).status_code == 200  # and free again


def test_the_lease_is_released_after_an_error_in_the_request():
    c = make_client()
    sid = session_from_preset(c)
    assert c.post(f"{S}/{sid}/backward").status_code == 409  # no forward pass: refused
    assert c.post(f"{S}/{sid}/forward").status_code == 200   # the session is free again


def test_the_largest_session_the_limits_accept_fits_the_default_answer_limit():
    # [1000, 1000, 1] with m = 2000 (issue 11's heaviest /train): creating it answers its
    # params and its data, ~3 M numbers; at 64 MiB it was refused after being built.
    from server.api.encoding import BYTES_PER_NUMBER, count_numbers
    from server.config import Settings

    answer = {"params": {"W1": np.zeros((1000, 1000)), "b1": np.zeros(1000), "W2": np.zeros((1, 1000)),
                         "b2": np.zeros(1)}, "x": np.zeros((2000, 1000)), "y": np.zeros((2000, 1))}
    assert BYTES_PER_NUMBER * count_numbers(answer) <= Settings().max_answer_bytes
