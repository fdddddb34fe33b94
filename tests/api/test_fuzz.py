"""Random JSON at every POST endpoint: whatever comes in, the answer is never a 5xx.

Two kinds of body: arbitrary JSON (random nesting of objects, arrays, numbers, strings,
booleans, null, with the API's own field names as likely keys), and valid bodies with a
few random mutations (a value replaced, a key removed or added). The endpoints are read
from /openapi.json, so new POST routes are fuzzed too.
"""

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api_helpers import API, make_client, tiny_body

FUZZ_LIMITS = dict(max_params=2000, max_batch=16, max_values=200_000, max_steps=20,
                   max_train_steps=20, max_graph_nodes=40, max_sessions=64,
                   max_body_bytes=256 * 1024, max_json_depth=32)
client = make_client(**FUZZ_LIMITS)

FIELDS = ["network", "x", "y", "inputs", "clip", "detail", "preset", "lr", "steps", "kind",
          "sizes", "activation", "output_activation", "loss", "bias", "seed", "init", "params",
          "mode", "max_norm", "norm_type", "clip_value", "W1", "b1", "W2", "b2", "nodes", "id",
          "op", "shape", "value", "output", "cell", "hidden_size", "input_size", "output_size",
          "truncate", "recurrent_spectral_norm", "csv", "target", "v", "eps"]
WORDS = ["mlp", "rnn", "graph", "lstm", "norm", "value", "inf", "2", "full", "summary",
         "tanh", "relu", "sigmoid", "identity", "softplus", "leaky_relu", "mse",
         "cross_entropy", "bce", "mse_last", "mse_all", "xavier", "he", "normal", "tanh-mlp",
         "linear-warmup", "input", "param", "matmul", "add", "loss", "x", "y", "NaN",
         "Infinity", "", "a,b\n1,2\n"]

numbers = st.one_of(
    st.integers(-3, 5), st.integers(-(10 ** 6), 10 ** 6), st.integers(-(2 ** 70), 2 ** 70),
    st.sampled_from([0, 1, -1, 2 ** 31, 2 ** 32, 2 ** 62, 2 ** 63, 2 ** 64, 10 ** 30, 10 ** 400]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e-320, 1e308, -1e308, 0.5, 1e300]))
scalars = st.one_of(st.none(), st.booleans(), numbers, st.sampled_from(WORDS),
                    st.text(max_size=8))
keys = st.one_of(st.sampled_from(FIELDS), st.text(max_size=6))
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5),
                            st.dictionaries(keys, inner, max_size=5)),
    max_leaves=30)


def _valid_bodies(path):
    """Known-good bodies for each endpoint (mutated below)."""
    if path.endswith("/backprop") or path.endswith("/export/numpy"):
        return [tiny_body(), {"network": {"sizes": [2, 3, 1], "bias": False}, "x": [[1, 2]], "y": [0]},
                {**tiny_body(), "clip": {"mode": "norm", "max_norm": 1.0,
                                                      "norm_type": "inf"}},
                {"network": {"sizes": [2, 3], "loss": "cross_entropy"}, "x": [[1, 2]], "y": [1]},
                {"network": {"kind": "graph", "output": "loss", "nodes": [
                    {"id": "x", "op": "input", "shape": [1, 3]},
                    {"id": "w", "op": "param", "value": [[0.1], [0.2], [-0.3]]},
                    {"id": "h", "op": "matmul", "inputs": ["x", "w"]},
                    {"id": "t", "op": "tanh", "inputs": ["h"]},
                    {"id": "y", "op": "input", "shape": [1, 1]},
                    {"id": "loss", "op": "mse", "inputs": ["t", "y"]}]},
                 "inputs": {"x": [[1.0, 2.0, 3.0]], "y": [[0.5]]}},
                {"network": {"kind": "rnn", "hidden_size": 3, "steps": 4},
                 "x": [[[0.1], [0.2], [0.3], [0.4]]], "y": [[0.5]]}]
    analysis = {"/hvp": [{"check": True}, {"direction": "random", "seed": 1},
                         {"v": {"W1": [[1.0]]}}],
                "/gradcheck": [{}, {"max_entries": 3, "nodes": False}],
                "/nudge": [{"param": "W1", "delta": 0.01, "index": [0, 0]}],
                "/cost": [{"budget_ms": 20}, {"budget_ms": 10, "eps": 1e-5, "seed": 2}],
                "/hessian": [{}], "/eigen": [{"iters": 5}], "/newton": [{"damping": 0.1}]}
    for suffix, extras in analysis.items():
        if path.endswith(suffix):
            return [{**tiny_body(), **extra} for extra in extras]
    if path.endswith("/sessions"):
        return [{"preset": "tanh-mlp"}, tiny_body()]
    if path.endswith("/forward"):
        return [{}, {"x": [[0.5, -1.0]], "y": [[0.8]]}]
    if path.endswith("/backward"):
        return [{}]
    if path.endswith("/step"):
        return [{"lr": 0.1}, {"lr": 0.1, "clip": {"mode": "value", "clip_value": 0.5}}]
    if path.endswith("/train"):
        return [{"steps": 3, "lr": 0.1}, {"steps": 2, "lr": 0.1, "clip": {"mode": "norm"}}]
    if path.endswith("/predict"):
        return [{"x": [[0.5, -1.0], [0.0, 0.0]]}]
    if path.endswith("/check"):  # a preset's claim (tanh-mlp's is one cheap update)
        return [{}, {"seed": 3}, {"seed": 1, "perturbation": 1e-9}]
    if path.endswith("/csv"):
        return [{"csv": "x1,x2,y\n0.1,0.2,1\n-0.3,0.5,0\n"}, {"csv": "a,b\n1,2\n", "target": "a"}]
    return [{}]


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


@st.composite
def mutated(draw, bodies):
    body = copy.deepcopy(draw(st.sampled_from(bodies)))
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(body))
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "delete", "add", "number"]))
        if not path:
            if action == "replace":
                body = draw(json_values)
            continue
        parent = body
        for key in path[:-1]:
            parent = parent[key]
        if action == "replace":
            parent[path[-1]] = draw(json_values)
        elif action == "number":  # a number where one is expected: sizes, lr, steps, x, ...
            parent[path[-1]] = draw(numbers)
        elif action == "delete":
            del parent[path[-1]]
        else:
            target = parent[path[-1]]
            if isinstance(target, dict):
                target[draw(keys)] = draw(json_values)
            elif isinstance(target, list):
                target.append(draw(json_values))
            else:
                parent[path[-1]] = [target, draw(json_values)]
    return body


def _post_paths():
    spec = client.get("/openapi.json").json()
    return sorted(p for p, ops in spec["paths"].items() if "post" in ops and p.startswith(API))


POST_PATHS = _post_paths()


def _live_path(path):
    path = path.replace("{name}", "tanh-mlp")  # /presets/{name}/check
    if "{session_id}" not in path:
        return path
    r = client.post(f"{API}/sessions", json={"preset": "tanh-mlp"})
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    if path.endswith("/backward"):
        client.post(f"{API}/sessions/{sid}/forward")
    return path.replace("{session_id}", sid)


def _check(path, text):
    r = client.post(_live_path(path), content=text.encode(),
                    headers={"content-type": "application/json"})
    assert r.status_code < 500, f"{r.status_code} on POST {path} with body {text[:2000]}: {r.text[:500]}"
    if r.headers.get("content-type", "").startswith("application/json"):
        json.loads(r.text, parse_constant=lambda c: pytest.fail(f"bare {c} in {r.text[:300]}"))


FUZZ = settings(max_examples=200, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
FUZZ_RANDOM = settings(FUZZ, max_examples=100)  # arbitrary JSON mostly fails at the root


def test_every_post_endpoint_is_fuzzed():
    expected = {f"{API}/backprop", f"{API}/sessions", f"{API}/sessions/{{session_id}}/forward",
                f"{API}/sessions/{{session_id}}/backward", f"{API}/sessions/{{session_id}}/step",
                f"{API}/sessions/{{session_id}}/train"}
    assert expected <= set(POST_PATHS)


@pytest.mark.parametrize("path", POST_PATHS)
@FUZZ_RANDOM
@given(data=st.data())
def test_random_json_never_gets_a_5xx(path, data):
    body = data.draw(json_values)
    _check(path, json.dumps(body))  # allow_nan: bare NaN / Infinity tokens are sent too


@pytest.mark.parametrize("path", POST_PATHS)
@FUZZ
@given(data=st.data())
def test_mutated_valid_bodies_never_get_a_5xx(path, data):
    body = data.draw(mutated(_valid_bodies(path)))
    _check(path, json.dumps(body))


@pytest.mark.parametrize("path", POST_PATHS)
def test_valid_fuzz_seeds_are_accepted(path):
    """The unmutated seeds are good requests, so the mutations start from deep inside."""
    accepted = 0
    for body in _valid_bodies(path):
        r = client.post(_live_path(path), json=body)
        assert r.status_code < 500, r.text
        accepted += r.status_code < 300
    assert accepted >= 1


sizes_values = st.one_of(st.integers(-2, 6), numbers,
                         st.sampled_from([2 ** 31, 2 ** 32, 2 ** 62, 2 ** 63, 2 ** 64, 10 ** 30]))
ACTIVATIONS = ["identity", "relu", "leaky_relu", "sigmoid", "tanh", "softplus"]
# Mostly valid MLP specs (so requests get past the schema into the engine and the limits),
# then, half the time, one field replaced by arbitrary JSON.
valid_specs = st.fixed_dictionaries(
    {"sizes": st.lists(sizes_values, min_size=2, max_size=4)},
    optional={"kind": st.just("mlp"), "activation": st.sampled_from(ACTIVATIONS),
              "output_activation": st.sampled_from(ACTIVATIONS),
              "loss": st.sampled_from(["mse", "cross_entropy", "bce"]),
              "bias": st.booleans(), "seed": st.integers(0, 2 ** 70),
              "init": st.sampled_from(["xavier", "he", "normal"]),
              "params": st.dictionaries(st.sampled_from(["W1", "b1", "W2", "b2", "W9"]),
                                        json_values, max_size=3)})


@st.composite
def mlp_specs(draw):
    spec = draw(valid_specs)
    if draw(st.booleans()):
        spec[draw(st.sampled_from(["kind", "sizes", "activation", "output_activation", "loss",
                                   "bias", "seed", "init", "params", "typo"]))] = draw(json_values)
    return spec


arrays = st.one_of(
    st.lists(st.lists(numbers, min_size=1, max_size=3), min_size=1, max_size=3), json_values)


@pytest.mark.parametrize("path", [f"{API}/backprop", f"{API}/sessions"])
@FUZZ
@given(network=mlp_specs(), x=arrays, y=arrays,
       clip=st.one_of(st.none(), st.fixed_dictionaries(
           {"mode": st.sampled_from(["norm", "value", "other"])},
           optional={"max_norm": numbers, "norm_type": st.one_of(numbers, st.sampled_from(WORDS)),
                     "clip_value": numbers})))
def test_random_network_specs_never_get_a_5xx(path, network, x, y, clip):
    body = {"network": network, "x": x, "y": y}
    if clip is not None and path.endswith("/backprop"):
        body["clip"] = clip
    _check(path, json.dumps(body))


@pytest.mark.parametrize("path", [f"{API}/backprop", f"{API}/sessions"])
@FUZZ_RANDOM
@given(raw=st.one_of(st.binary(max_size=200),
                     st.text(max_size=200).map(str.encode),
                     json_values.map(lambda v: json.dumps(v)[: len(json.dumps(v)) // 2].encode())))
def test_random_bytes_and_truncated_json_never_get_a_5xx(path, raw):
    r = client.post(path, content=raw, headers={"content-type": "application/json"})
    assert r.status_code < 500, f"{r.status_code} on POST {path} with {raw!r}: {r.text[:300]}"


# -- random small graphs over every graph op (issue 11, D6) ----------------------------------

from server.engine.core.ops import OPS, graph_ops  # noqa: E402

GRAPH_OPS = [op.name for op in graph_ops()]
small_shapes = st.lists(st.integers(1, 3), min_size=0, max_size=2)


def _array(draw, shape):
    """A nested list of the shape, with small numbers (some zero, some negative)."""
    if not shape:
        return draw(st.sampled_from([0.0, 0.5, -1.0, 2.0]))
    return [_array(draw, shape[1:]) for _ in range(shape[0])]


@st.composite
def random_graphs(draw):
    """(network, inputs): 1–2 inputs and 1–2 params of random shapes, then 1–4 random ops
    on random earlier nodes, then a sum so that f is a scalar whatever the shapes."""
    nodes, inputs = [], {}
    for i in range(draw(st.integers(1, 2))):
        shape = draw(small_shapes)
        nodes.append({"id": f"x{i}", "op": "input"})
        inputs[f"x{i}"] = _array(draw, shape)
    for i in range(draw(st.integers(1, 2))):
        nodes.append({"id": f"p{i}", "op": "param", "value": _array(draw, draw(small_shapes))})
    for i in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(GRAPH_OPS))
        arity = OPS[op].arity
        count = draw(st.sampled_from(arity if isinstance(arity, tuple) else (arity,)))
        args = [draw(st.sampled_from([n["id"] for n in nodes])) for _ in range(count)]
        nodes.append({"id": f"n{i}", "op": op, "inputs": args})
    nodes.append({"id": "loss", "op": "sum", "inputs": [nodes[-1]["id"]]})
    return {"kind": "graph", "nodes": nodes}, inputs


def _post(path, body):
    r = client.post(path, json=body)
    assert r.status_code < 500, f"{r.status_code} on POST {path} with {json.dumps(body)[:1500]}: {r.text[:500]}"
    return r


@settings(max_examples=300, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(graph=random_graphs(), batch_size=st.sampled_from([None, 1, 2]))
def test_random_graphs_over_every_op_never_get_a_5xx(graph, batch_size):
    network, inputs = graph
    body = {"network": network, "inputs": inputs}
    accepted = _post(f"{API}/backprop", body).status_code == 200
    _post(f"{API}/hvp", body)
    _post(f"{API}/gradcheck", {**body, "max_entries": 3})
    created = _post(f"{API}/sessions", body)
    assert (created.status_code == 201) == accepted  # the same checks on both paths
    if accepted:
        train = {"steps": 2, "lr": 0.1, **({"batch_size": batch_size} if batch_size else {})}
        _post(f"{API}/sessions/{created.json()['id']}/train", train)
