"""Helpers for the API tests: apps with small limits, strict JSON parsing, request bodies."""

import json
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from server.app import create_app
from server.config import Settings

API = "/api/v1"


def _refuse_constant(name):
    raise ValueError(f"bare {name} in the response: not RFC 8259 JSON")


def strict_loads(text):
    """json.loads that fails on the non-standard tokens NaN / Infinity / -Infinity."""
    return json.loads(text, parse_constant=_refuse_constant)


def make_client(**limits):
    """A TestClient on a fresh app (its own session store) with the given Settings fields."""
    return TestClient(create_app(Settings(**limits)), raise_server_exceptions=False)


SMALL_LIMITS = dict(max_params=1000, max_batch=8, max_train_steps=50, max_sessions=8,
                    max_values=100_000, max_body_bytes=64 * 1024, max_json_depth=16)


def post_json(client, path, body):
    """POST, and the strictly parsed answer (bare NaN/Infinity in the text fail the test)."""
    r = client.post(path, json=body)
    return r, strict_loads(r.text) if r.content else None


def raw_post(client, path, text):
    return client.post(path, content=text.encode() if isinstance(text, str) else text,
                       headers={"content-type": "application/json"})


def error_locs(r):
    return [tuple(e["loc"]) for e in r.json()["detail"]]


def error_text(r):
    return " ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in r.json()["detail"])


# A 1-1-1 net with identity activations and explicit parameters, every number exact.
TINY_PARAMS = {"W1": [[2.0]], "b1": [0.5], "W2": [[-3.0]], "b2": [1.0]}


def tiny_net(**overrides):
    net = {"kind": "mlp", "sizes": [1, 1, 1], "activation": "identity",
           "output_activation": "identity", "loss": "mse", "bias": True,
           "params": json.loads(json.dumps(TINY_PARAMS))}
    net.update(overrides)
    return net


def tiny_body(**overrides):
    body = {"network": tiny_net(), "x": [[1.5]], "y": [[0.25]]}
    body.update(overrides)
    return body


def session_from_preset(client, name="tanh-mlp"):
    r = client.post(f"{API}/sessions", json={"preset": name})
    assert r.status_code == 201, r.text
    return r.json()["id"]
