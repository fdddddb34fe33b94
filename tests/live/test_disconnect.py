"""A client that leaves stops its work: a long /train whose client hangs up ends at its next
step (long before its time budget), and keeps the steps it did."""

import time

import httpx
import numpy as np

from liveserver import LiveServer

API = "/api/v1/sessions"


def test_a_train_stops_soon_after_its_client_disconnects(tmp_path):
    rng = np.random.default_rng(0)
    body = {"network": {"kind": "mlp", "sizes": [2, 256, 256, 1], "activation": "tanh", "loss": "mse"},
            "x": rng.normal(size=(512, 2)).round(3).tolist(), "y": rng.normal(size=(512, 1)).round(3).tolist()}
    with LiveServer(tmp_path / "data", max_request_seconds=120) as server, \
            httpx.Client(base_url=server.url, timeout=30) as c:
        sid = c.post(API, json=body).json()["id"]
        steps = 20000
        while True:  # the longest /train the limits accept (a refusal comes at once)
            try:
                r = httpx.post(f"{server.url}{API}/{sid}/train", json={"steps": steps, "lr": 0.01},
                               timeout=1.0)
            except httpx.ReadTimeout:  # still training after 1 s: the client hangs up
                break
            assert r.status_code == 422, r.text
            steps //= 2
        left = time.monotonic()
        while True:
            r = c.get(f"{API}/{sid}")
            if r.status_code != 409:
                break
            assert time.monotonic() - left < 10, "the train kept running after its client left"
            time.sleep(0.05)
        assert r.status_code == 200
        assert 1 <= r.json()["step"] < steps  # stopped early, and the steps done were kept
