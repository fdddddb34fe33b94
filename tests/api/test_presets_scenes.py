"""Every preset, in lecture order, runs through the API as it is served."""

import pytest
from fastapi.testclient import TestClient

from server.app import create_app

client = TestClient(create_app())
PRESETS = client.get("/api/v1/presets").json()
SECTIONS = ["Background", "Warm-up: multi-layer linear network", "The general case", "Training",
            "Vanishing gradients",
            "Acyclic computation graphs", "Weight sharing", "Cyclic graphs: RNNs",
            "Hessian-vector product"]


def test_presets_cover_every_lecture_section_in_order():
    order = [SECTIONS.index(p["section"]) for p in PRESETS]
    assert order == sorted(order) and set(order) == set(range(len(SECTIONS)))
    assert len(PRESETS) >= 10


@pytest.mark.parametrize("name", [p["name"] for p in PRESETS])
def test_each_preset_runs_and_opens_a_session(name):
    scene = client.get(f"/api/v1/presets/{name}").json()
    body = {k: scene[k] for k in ("network", "x", "y", "inputs", "clip") if scene.get(k) is not None}
    r = client.post("/api/v1/backprop", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["nonfinite"] is False
    assert client.post("/api/v1/sessions", json={"preset": name}).status_code == 201


def test_rnn_presets_show_the_lectures_two_cases():
    def norms(name):
        scene = client.get(f"/api/v1/presets/{name}").json()
        return client.post("/api/v1/backprop", json={k: scene[k] for k in ("network", "x", "y")}).json()["grad_norms_h"]
    vanishing, exploding = norms("rnn-vanishing"), norms("rnn-exploding")
    assert vanishing[1] < 1e-6 * vanishing[-1]
    assert exploding[1] > 100 * exploding[-1]


def test_shared_weight_presets_list_each_use():
    scene = client.get("/api/v1/presets/tied-weights").json()
    out = client.post("/api/v1/backprop", json={"network": scene["network"], "inputs": scene["inputs"]}).json()
    assert [c["via"] for c in out["contributions"]["W"]] == ["code", "Wt"]
    branches = client.get("/api/v1/presets/two-branches").json()
    out = client.post("/api/v1/backprop", json={"network": branches["network"], "inputs": branches["inputs"]}).json()
    assert sorted(c["via"] for c in out["branch_contributions"]["u"]) == ["p", "q"]
