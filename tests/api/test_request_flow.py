"""One request normalises its network once, and validates its clip once (by the schema)."""

import dataclasses
import sys

import pytest

from api_helpers import API, make_client
from server.engine.core import clipping
from server.engine.kinds import KINDS

GRAPH = {"kind": "graph", "nodes": [{"id": "x", "op": "input"},
                                    {"id": "w", "op": "param", "value": [0.5, 1.0]},
                                    {"id": "h", "op": "mul", "inputs": ["w", "x"]},
                                    {"id": "loss", "op": "sum", "inputs": ["h"]}]}
BODIES = {
    "mlp": {"network": {"kind": "mlp", "sizes": [2, 3, 1]}, "x": [[1.0, 2.0]], "y": [[0.5]]},
    "rnn": {"network": {"kind": "rnn", "hidden_size": 3, "steps": 4, "truncate": 2},
            "x": [[[0.1], [0.2], [0.3], [0.4]]], "y": [[0.5]]},
    "graph": {"network": GRAPH, "inputs": {"x": [1.0, 2.0]}},
}


@pytest.fixture
def normalised(monkeypatch):
    calls = []
    for name, kind in list(KINDS.items()):
        def counting(spec, _inner=kind.normalise, _name=name):
            calls.append(_name)
            return _inner(spec)
        monkeypatch.setitem(KINDS, name, dataclasses.replace(kind, normalise=counting))
    return calls


@pytest.mark.parametrize("kind", sorted(BODIES))
@pytest.mark.parametrize("path", ["backprop", "sessions"])
def test_a_request_normalises_its_network_once(normalised, kind, path):
    r = make_client().post(f"{API}/{path}", json=BODIES[kind])
    assert r.status_code in (200, 201), r.text
    assert normalised == [kind]


def test_the_clip_is_checked_by_the_schema_only(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("parse_clip ran on a request's clip")

    client = make_client()
    # wherever the name was imported to (the engine, the web layer's modules)
    original = clipping.parse_clip
    for name, module in list(sys.modules.items()):
        if name.startswith("server") and getattr(module, "parse_clip", None) is original:
            monkeypatch.setattr(module, "parse_clip", refuse)
    body = {**BODIES["mlp"], "clip": {"mode": "norm", "max_norm": 0.01, "norm_type": "inf"}}
    r = client.post(f"{API}/backprop", json=body)
    assert r.status_code == 200, r.text
    report = r.json()["clipping"]
    assert report["max_norm"] == 0.01 and report["norm_type"] == "inf"
