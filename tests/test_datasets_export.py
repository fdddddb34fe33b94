"""Datasets, CSV upload and the NumPy export (engine functions and their routes)."""

import subprocess
import sys

import numpy as np
import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.engine import SpecError, backprop, build_model
from server.engine.data.csvdata import parse_csv
from server.engine.data.datasets import GENERATORS, make_dataset
from server.engine.data.export_numpy import export_script


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_dataset_is_reproducible_from_its_seed(name):
    a, b, c = make_dataset(name, n=64, seed=3), make_dataset(name, n=64, seed=3), make_dataset(name, n=64, seed=4)
    assert np.array_equal(a["x"], b["x"]) and np.array_equal(a["y"], b["y"])
    assert not np.array_equal(a["x"], c["x"])
    assert a["x"].shape[0] == 64 and np.isfinite(a["x"]).all()


def test_two_class_datasets_are_balanced_and_shaped_for_bce():
    d = make_dataset("moons", n=400, seed=0)
    assert d["y"].shape == (400, 1) and set(np.unique(d["y"])) == {0.0, 1.0}
    assert 150 < d["y"].sum() < 250


def test_xor_labels_follow_the_quadrants_without_noise():
    d = make_dataset("xor", n=100, noise=0.0, seed=1)
    assert np.array_equal(d["labels"], (d["x"][:, 0] * d["x"][:, 1] > 0).astype(int))


def test_blobs_give_class_indices_for_cross_entropy():
    d = make_dataset("blobs", n=90, classes=4, seed=0)
    assert d["loss"] == "cross_entropy" and set(np.unique(d["y"])) == {0, 1, 2, 3}


def test_csv_with_header_takes_the_last_column_as_target():
    out = parse_csv("x1,x2,label\n0.5,1,0\n-1,2.5,1\n")
    assert out["x"].tolist() == [[0.5, 1.0], [-1.0, 2.5]] and out["y"].tolist() == [[0.0], [1.0]]
    assert out["inputs"] == ["x1", "x2"] and out["target"] == "label"


def test_csv_error_names_line_and_column_even_after_blank_lines():
    with pytest.raises(SpecError, match=r"line 4, column 2 \(x2\): 'abc' is not a number"):
        parse_csv("x1,x2,y\n1,2,3\n\n4,abc,6\n")


def test_csv_ragged_row_is_refused_with_its_line():
    with pytest.raises(SpecError, match="line 3: expected 3 columns, found 2"):
        parse_csv("1,2,3\n4,5,6\n7,8\n")


def test_csv_route_answers_422_naming_the_cell(client):
    r = client.post("/api/v1/datasets/csv", json={"csv": "a,b\n1,nan\n"})
    assert r.status_code == 422
    assert "line 2, column 2" in r.json()["detail"][0]["msg"]


def test_dataset_route_and_unknown_name(client):
    r = client.get("/api/v1/datasets/spirals", params={"n": 10, "seed": 2})
    assert r.status_code == 200 and len(r.json()["x"]) == 10
    assert client.get("/api/v1/datasets/nope").status_code == 404
    assert client.get("/api/v1/datasets/xor", params={"n": 0}).status_code == 422


@pytest.mark.parametrize("spec,y", [
    ({"kind": "mlp", "sizes": [2, 3, 1], "activation": "tanh"}, [[1.0], [0.0], [0.5]]),
    ({"kind": "mlp", "sizes": [2, 4, 3], "activation": "relu", "loss": "cross_entropy"}, [2, 0, 1]),
    ({"kind": "mlp", "sizes": [2, 4, 1], "activation": "softplus", "loss": "bce",
      "output_activation": "sigmoid"}, [[1.0], [0.0], [1.0]]),
    ({"kind": "mlp", "sizes": [2, 2, 2], "activation": "leaky_relu", "bias": False}, [[1, 0], [0, 1], [1, 1]]),
])
def test_numpy_export_prints_the_engines_loss_before_and_after_training(spec, y):
    model = build_model(spec)
    leaves = model.leaves_for([[1.0, 2.0], [0.5, -1.0], [-0.3, 0.2]], y)
    script = export_script(model.spec, model.params, leaves["a0"], leaves["y"], lr=0.05, steps=7)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    lines = out.stdout.splitlines()
    # The script's plain numpy may order the sums differently from the engine: 1e-12.
    assert float(lines[0].split("=")[1]) == pytest.approx(backprop(model, leaves)["loss"], rel=1e-12)
    model.train(leaves, 7, 0.05)
    assert float(lines[1].split("=")[1]) == pytest.approx(model.loss_and_grads(leaves)[0], rel=1e-12)


def test_export_route_returns_a_runnable_script(client):
    body = {"network": {"kind": "mlp", "sizes": [2, 3, 1]}, "x": [[1, 2]], "y": [[1]], "steps": 2}
    r = client.post("/api/v1/export/numpy", json=body)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/x-python")
    out = subprocess.run([sys.executable, "-c", r.text], capture_output=True, text=True, check=True)
    run = {k: body[k] for k in ("network", "x", "y")}
    api_loss = client.post("/api/v1/backprop", json=run).json()["loss"]
    assert float(out.stdout.splitlines()[0].split("=")[1]) == pytest.approx(api_loss, rel=1e-12)
