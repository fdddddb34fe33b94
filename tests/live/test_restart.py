"""Kill the server mid-lecture (SIGKILL) and start it again: every session answers with its
step count, params and loss history."""

import httpx

from liveserver import LiveServer

API = "/api/v1/sessions"


def _snapshot(client, sid):
    r = client.get(f"{API}/{sid}")
    assert r.status_code == 200, r.text
    a = r.json()
    return {k: a[k] for k in ("step", "params", "loss_history", "network")}


def test_sessions_survive_a_killed_server(tmp_path):
    server = LiveServer(tmp_path / "data")
    server.start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            preset = c.post(API, json={"preset": "tanh-mlp"}).json()["id"]
            trained = c.post(API, json={"preset": "two-moons"}).json()["id"]
            r = c.post(f"{API}/{trained}/train", json={"steps": 40, "lr": 0.1, "batch_size": 8})
            assert r.status_code == 200, r.text
            stepped = c.post(API, json={"preset": "linear-warmup"}).json()["id"]
            assert c.post(f"{API}/{stepped}/step", json={"lr": 0.05}).status_code == 200
            assert c.post(f"{API}/{stepped}/forward").status_code == 200
            before = {sid: _snapshot(c, sid) for sid in (preset, trained, stepped)}
        server.kill()
        server.start()
        with httpx.Client(base_url=server.url, timeout=30) as c:
            # Exact equality: this is storage, not arithmetic (the same bytes read back).
            after = {sid: _snapshot(c, sid) for sid in before}
            assert after == before
            assert after[trained]["step"] == 40 and after[stepped]["step"] == 1
            assert c.post(f"{API}/{stepped}/backward").status_code == 200  # its forward pass kept
            assert c.post(f"{API}/{trained}/train", json={"steps": 2, "lr": 0.1}).json()["step"] == 42
    finally:
        server.stop()
