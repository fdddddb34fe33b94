"""Large bodies parsed in the parser process (server/api/body_parser.py) give the answers a
small body's parse gives: the same numbers, the same refusals naming the same field."""

import json

import numpy as np
import pytest

from api_helpers import error_locs, make_client, raw_post
from server.api.body_parser import PACK_MIN_NUMBERS, parse_packed

ROWS = PACK_MIN_NUMBERS  # x of (ROWS, 2): large enough to be packed


def test_large_rectangular_arrays_are_packed_and_keep_their_dtype():
    floats = np.arange(2 * ROWS, dtype=float).reshape(ROWS, 2) / 8  # dyadic: exact in JSON
    ints = list(range(ROWS))
    parsed = parse_packed(json.dumps({"x": floats.tolist(), "labels": ints, "n": 3,
                                      "small": [[1.5, 2.5]]}).encode())
    assert isinstance(parsed["x"], np.ndarray) and parsed["x"].dtype == np.float64
    assert np.array_equal(parsed["x"], floats)  # parsing a decimal text is exact, no BLAS
    assert parsed["labels"].dtype.kind == "i"  # integers stay integers, as GET data answers
    assert parsed["small"] == [[1.5, 2.5]] and parsed["n"] == 3  # echoed as parsed: exact


@pytest.mark.parametrize("bad", ["bool", "ragged", "string", "null"])
def test_what_the_schema_or_engine_must_refuse_stays_a_list(bad):
    rows = [[0.5, 1.0] for _ in range(ROWS)]
    rows[7] = {"bool": [True, 1.0], "ragged": [1.0], "string": ["1.0", 1.0], "null": [None, 1.0]}[bad]
    parsed = parse_packed(json.dumps({"x": rows}).encode())
    assert isinstance(parsed["x"], list) and parsed["x"][7] == rows[7]


def test_a_body_that_is_not_an_object_is_not_packed():
    assert isinstance(parse_packed(json.dumps(list(range(ROWS))).encode()), list)


def _body(rows, bad_row=None):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, 2)).round(4).tolist()
    if bad_row is not None:
        x[bad_row] = [True, 0.5]
    return {"network": {"kind": "mlp", "sizes": [2, 3, 1], "activation": "tanh", "loss": "mse"},
            "x": x, "y": rng.normal(size=(rows, 1)).round(4).tolist()}


@pytest.mark.parametrize("in_process", [0, 10**9])  # every body through the parser, or none
def test_the_answer_does_not_depend_on_where_the_body_was_parsed(in_process):
    client = make_client(parse_in_process_bytes=in_process)
    reference = make_client(parse_in_process_bytes=10**9)
    body = _body(ROWS)
    got = client.post("/api/v1/backprop", json=body)
    want = reference.post("/api/v1/backprop", json=body)
    assert got.status_code == want.status_code == 200
    # Same engine on the same float64 inputs; a tolerance anyway, since a packed array and a
    # list may reach BLAS with different memory layouts.
    assert got.json()["loss"] == pytest.approx(want.json()["loss"], rel=1e-12)
    for name, grad in want.json()["param_grads"].items():
        assert np.allclose(got.json()["param_grads"][name], grad, rtol=1e-12, atol=1e-15)


def test_a_boolean_in_a_large_body_is_refused_naming_the_field():
    client = make_client(parse_in_process_bytes=0)
    r = raw_post(client, "/api/v1/backprop", json.dumps(_body(ROWS, bad_row=9)))
    assert r.status_code == 422 and ("body", "x") in error_locs(r)
    assert "boolean" in r.text


def test_a_large_session_keeps_integer_data_as_integers():
    client = make_client(parse_in_process_bytes=0)
    body = _body(ROWS)
    body["x"] = [[i % 3, 1] for i in range(ROWS)]
    r = client.post("/api/v1/sessions", json=body)
    assert r.status_code == 201, r.text
    data = client.get(f"/api/v1/sessions/{r.json()['id']}").json()
    assert data["x"][:4] == [[0, 1], [1, 1], [2, 1], [0, 1]]
    assert all(type(v) is int for v in data["x"][5])
