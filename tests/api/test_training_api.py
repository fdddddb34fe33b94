"""Minibatch training and predictions on new inputs (for decision boundaries)."""

import numpy as np
import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.engine import build_model
from server.engine.data.minibatch import Minibatches

client = TestClient(create_app())
API = "/api/v1/sessions"


def session(preset="two-moons"):
    return client.post(API, json={"preset": preset}).json()["id"]


def test_minibatches_cover_every_example_once_per_epoch():
    leaves = {"a0": np.arange(10.0).reshape(10, 1), "y": np.arange(10.0).reshape(10, 1)}
    batches = Minibatches(leaves, 5, seed=1)
    seen = np.concatenate([batches.next()["a0"].ravel() for _ in range(2)])
    assert sorted(seen) == list(range(10))
    b = batches.next()
    assert np.array_equal(b["a0"], b["y"])  # x and y rows stay paired


def test_minibatch_training_is_sgd_on_the_drawn_batches():
    sid = session()
    out = client.post(f"{API}/{sid}/train", json={"steps": 3, "lr": 0.2, "batch_size": 16, "seed": 4}).json()
    scene = client.get("/api/v1/presets/two-moons").json()
    model = build_model(scene["network"])
    leaves = model.leaves_for(scene["x"], scene["y"])
    batches = Minibatches(leaves, 16, seed=4)
    expected = [model.gradient_step(batches.next(), 0.2)[0] for _ in range(3)]
    assert out["loss_history"] == pytest.approx(expected, rel=1e-12)


def test_predict_returns_every_layer_and_matches_a_forward_pass():
    sid = session("tanh-mlp")
    grid = [[x, y] for x in (-1.0, 0.0, 1.0) for y in (-1.0, 1.0)]
    out = client.post(f"{API}/{sid}/predict", json={"x": grid}).json()
    assert set(out["layers"]) == {"a1", "a2", "a3"} and np.shape(out["output"]) == (6, 1)
    fwd = client.post("/api/v1/backprop", json={
        "network": client.get("/api/v1/presets/tanh-mlp").json()["network"],
        "x": grid, "y": [[0.0]] * 6}).json()
    np.testing.assert_allclose(out["output"], fwd["values"]["a3"], rtol=1e-12)


def test_predict_gives_probabilities_for_bce():
    net = {"sizes": [2, 3, 1], "loss": "bce"}
    sid = client.post(API, json={"network": net, "x": [[1, 2]], "y": [[1]]}).json()["id"]
    out = client.post(f"{API}/{sid}/predict", json={"x": [[0.5, -0.5]]}).json()
    assert out["probability"][0][0] == pytest.approx(1 / (1 + np.exp(-out["output"][0][0])), rel=1e-12)


def test_predict_refuses_a_wrong_width_naming_x():
    r = client.post(f"{API}/{session('tanh-mlp')}/predict", json={"x": [[1.0, 2.0, 3.0]]})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "x"]


def test_train_stops_at_divergence_and_counts_the_sessions_steps():
    """Chunks of 20 on the diverging preset: divergence.step is the session's update count
    when the loss became non-finite, the session keeps only the updates before it, and a
    further call stops at once on the same step."""
    sid = session("diverging")
    lr = client.get("/api/v1/presets/diverging").json()["lr"]
    done, answer = 0, None
    for _ in range(100):
        answer = client.post(f"/api/v1/sessions/{sid}/train", json={"steps": 20, "lr": lr}).json()
        if answer["divergence"]:
            break
        done += 20
        assert answer["step"] == done
    divergence = answer["divergence"]
    assert divergence is not None and divergence["step"] >= 20
    losses = answer["loss_history"]
    assert losses[-1] in ("NaN", "Infinity") and all(isinstance(v, float) for v in losses[:-1])
    assert divergence["step"] == done + len(losses) - 1 == answer["step"]
    assert f"step {divergence['step']}" in divergence["message"]
    again = client.post(f"/api/v1/sessions/{sid}/train", json={"steps": 20, "lr": lr}).json()
    assert len(again["loss_history"]) == 1 and again["divergence"]["step"] == divergence["step"]
    assert again["step"] == answer["step"]
