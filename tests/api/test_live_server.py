"""Against a real server on loopback: what only a socket shows (keep-alive connections,
the event loop answering others while one body is checked). Bounded: every request has a
timeout of a few seconds, and each server stops at the end of its test."""

import threading
import time

import httpx
import pytest

from live_server import serving
from server.app import create_app
from server.config import Settings

HEALTH_WAIT_S = 0.5  # /healthz must answer within this while the hostile body is checked


def _unterminated_string(escaped_quotes):
    """The issue's body: `"` followed by `\\"` × n, a string that never ends."""
    return b'"' + b'\\"' * escaped_quotes


@pytest.mark.parametrize("n", [32_000, 500_000])  # 64 KB and 1 MB
def test_hostile_body_is_checked_while_healthz_answers(n):
    app = create_app(Settings(max_body_bytes=4 * 1024 * 1024))
    with serving(app) as base:
        done, answer = threading.Event(), {}

        def post():
            with httpx.Client(base_url=base, timeout=30) as c:
                answer["r"] = c.post("/api/v1/backprop", content=_unterminated_string(n),
                                     headers={"content-type": "application/json"})
            done.set()

        poster = threading.Thread(target=post, daemon=True)
        poster.start()
        waits = []
        with httpx.Client(base_url=base, timeout=5) as c:
            while not done.is_set() or not waits:
                t0 = time.perf_counter()
                assert c.get("/healthz").status_code == 200
                waits.append(time.perf_counter() - t0)
        poster.join(timeout=30)
    assert max(waits) < HEALTH_WAIT_S, waits
    assert answer["r"].status_code == 422  # not JSON: refused by the parser, quickly


def test_connection_stays_usable_after_a_500():
    app = create_app(Settings())

    @app.get("/test-only/boom")
    def boom():
        raise RuntimeError("a bug, on purpose")

    with serving(app) as base, httpx.Client(base_url=base, timeout=5) as c:
        r = c.get("/test-only/boom")
        assert r.status_code == 500
        body = r.json()
        assert body["request_id"] and body["request_id"] in body["detail"]
        assert r.headers["x-request-id"] == body["request_id"]
        assert "RuntimeError" in body["detail"] and "on purpose" not in body["detail"]
        again = c.get("/healthz")  # the same keep-alive connection (one in the pool)
        assert again.status_code == 200
        assert c.get("/test-only/boom").status_code == 500
        assert c.get("/healthz").status_code == 200
