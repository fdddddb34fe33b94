"""While the heaviest accepted request runs (a long /train), the server still answers
everyone: /healthz, a static file, another user's small /backprop, and requests on the busy
session get their 409 at once instead of queueing (issue 11, D3). Bounded: the long request
stops by itself at the server's time budget."""

import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import numpy as np

from liveserver import LiveServer

API = "/api/v1"
BUDGET_S = 5  # the long /train stops here (BPV_MAX_REQUEST_SECONDS)


def _heavy_session(c):
    rng = np.random.default_rng(0)
    body = {"network": {"kind": "mlp", "sizes": [2, 256, 256, 1], "activation": "tanh",
                        "loss": "mse"},
            "x": rng.normal(size=(1024, 2)).round(3).tolist(), "y": rng.normal(size=(1024, 1)).round(3).tolist()}
    r = c.post(f"{API}/sessions", json=body)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _timed(c, method, path, **kw):
    t0 = time.perf_counter()
    r = c.request(method, path, **kw)
    return r.status_code, time.perf_counter() - t0


def _p95(seconds):
    return statistics.quantiles(seconds, n=20)[18]


# Robust bounds, not the targets (make bench measures those: p99 < 100 ms): on a 2-core CI
# machine this test's own 40 client threads run beside the server, and one scheduling
# hiccup of ~0.5 s was seen in 60 requests. A stall of the loop (D3) is seconds, every time.
FAST, NEVER_STALLED = 0.5, 2.0


def _is_busy(c, sid):
    r = c.post(f"{API}/sessions/{sid}/backward")
    return r.status_code == 409 and "session busy" in r.text


def _start_long_train(c, pool, sid):
    """The longest /train the limits accept, within 2× (a refusal, 422, comes at once: halve
    the steps), running: its future, once the session is busy with it. The busy probe is a
    /backward on the same session, so a /train arriving while the probe runs gets a 409."""
    steps = 20000
    for _attempt in range(30):
        long = pool.submit(c.post, f"{API}/sessions/{sid}/train", json={"steps": steps, "lr": 0.01})
        deadline = time.monotonic() + 10
        while not long.done() and not _is_busy(c, sid):
            assert time.monotonic() < deadline, "the long /train did not start"
        if not long.done():
            return long
        if long.result().status_code == 409:
            continue  # our own busy probe held the session as the /train arrived: ask again
        assert long.result().status_code == 422 and steps > 1, long.result().text
        steps //= 2
    raise AssertionError("the long /train never started")


def test_the_server_answers_everyone_while_a_long_train_runs(tmp_path):
    with LiveServer(tmp_path / "data", max_request_seconds=BUDGET_S) as server, \
            httpx.Client(base_url=server.url, timeout=60) as c, ThreadPoolExecutor(41) as pool:
        busy = _heavy_session(c)
        long = _start_long_train(c, pool, busy)
        small = {"network": {"kind": "mlp", "sizes": [2, 3, 1], "activation": "tanh", "loss": "mse"},
                 "x": [[0.5, -1.0]], "y": [[1.0]]}

        backward = list(pool.map(lambda _: _timed(c, "POST", f"{API}/sessions/{busy}/backward"),
                                 range(40)))
        health = [_timed(c, "GET", "/healthz") for _ in range(60)]
        static = [_timed(c, "GET", "/static/js/main.js") for _ in range(60)]
        other = [_timed(c, "POST", f"{API}/backprop", json=small) for _ in range(5)]
        assert not long.done(), "measured after the long request ended: not under load"
        answer = long.result()

    assert [s for s, _ in backward] == [409] * 40
    assert max(t for _, t in backward) < 1.0
    for answers in (health, static):
        seconds = [t for _, t in answers]
        assert {s for s, _ in answers} == {200}
        assert _p95(seconds) < FAST and max(seconds) < NEVER_STALLED
    assert {s for s, _ in other} == {200} and max(t for _, t in other) < 1.0
    assert answer.status_code == 200, answer.text
    stopped = answer.json()["stopped"]
    assert stopped["reason"] == "time budget" and 1 <= stopped["steps_done"] < stopped["steps_asked"]
