"""The NumPy export covers every kind (issue 9, item 12: the script failed on graph and RNN
scenes with a raw 422): the script of every graph and RNN preset, run with plain Python and
numpy, prints the loss the API answers for the same network and data."""

import subprocess
import sys

import numpy as np
import pytest

import server.engine  # noqa: F401  (registers every op)
from api_helpers import make_client
from server.engine.core.ops import OPS
from server.engine.data.export_graph import exportable_ops

CLIENT = make_client()
PRESETS = [p["name"] for p in CLIENT.get("/api/v1/presets").json()]


def _run(body):
    r = CLIENT.post("/api/v1/export/numpy", json=body)
    assert r.status_code == 200, r.text
    out = subprocess.run([sys.executable, "-c", r.text], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    return float(out.stdout.strip().splitlines()[0].split("=")[1])


def _preset_body(name):
    preset = CLIENT.get(f"/api/v1/presets/{name}").json()
    return {"network": preset["network"], **{k: preset[k] for k in ("x", "y", "inputs") if k in preset}}


@pytest.mark.parametrize("name", PRESETS)
def test_every_presets_script_prints_the_apis_loss(name):
    body = _preset_body(name)
    want = CLIENT.post("/api/v1/backprop", json={**body, "detail": "gradients"}).json()["loss"]
    # The script sums node by node where the engine may sweep whole arrays: the same
    # numbers, summed in another order, agree to rounding (the RNN: over 30+ steps).
    assert _run(body) == pytest.approx(want, rel=1e-9)


def test_every_op_a_network_can_hold_has_an_export_rule():
    assert sorted(set(OPS) - exportable_ops()) == []


def test_a_graph_of_every_binary_and_unary_op_exports():
    nodes = [{"id": "x", "op": "input"}, {"id": "w", "op": "param", "value": [[0.5, -1.0], [2.0, 0.25]]},
             {"id": "m", "op": "matmul", "inputs": ["x", "w"]}, {"id": "t", "op": "transpose", "inputs": ["m"]},
             {"id": "tt", "op": "transpose", "inputs": ["t"]}, {"id": "s", "op": "softmax", "inputs": ["tt"]},
             {"id": "e", "op": "exp", "inputs": ["s"]}, {"id": "l", "op": "log", "inputs": ["e"]},
             {"id": "q", "op": "square", "inputs": ["l"]}, {"id": "d", "op": "div", "inputs": ["q", "e"]},
             {"id": "u", "op": "sub", "inputs": ["d", "m"]}, {"id": "n", "op": "neg", "inputs": ["u"]},
             {"id": "p", "op": "mul", "inputs": ["n", "x"]}, {"id": "loss", "op": "mean", "inputs": ["p"]}]
    body = {"network": {"kind": "graph", "nodes": nodes}, "inputs": {"x": [[1.0, 2.0], [-0.5, 0.3]]}}
    want = CLIENT.post("/api/v1/backprop", json=body).json()["loss"]
    assert np.isfinite(want) and _run(body) == pytest.approx(want, rel=1e-12)
