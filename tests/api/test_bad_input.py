"""Bad input answers 4xx naming the field (detail[0].loc) and saying what was wrong."""

import copy

import pytest

from api_helpers import API, error_locs, error_text, raw_post, session_from_preset, tiny_body

URL = f"{API}/backprop"


def _with(path, value):
    """tiny_body() with the value at `path` (a tuple of keys) replaced, or removed if ...)."""
    body = copy.deepcopy(tiny_body())
    target = body
    for key in path[:-1]:
        target = target[key]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return body


# (test id, body, expected loc, a word the message must contain: what was wrong or allowed)
BAD_BODIES = [
    ("string-in-x", _with(("x",), [["1.5"]]), ("body", "x"), "string"),
    ("string-among-numbers-in-y", _with(("y",), [[0.5], ["a"]]), ("body", "y"), "string"),
    ("null-in-x", _with(("x",), [[None]]), ("body", "x"), "null"),
    ("null-among-numbers-in-x", _with(("x",), [[1.0], [None]]), ("body", "x"), "null"),
    ("ragged-x", {**tiny_body(), "network": {"sizes": [2, 1]}, "x": [[1, 2], [3]],
                  "y": [[0], [0]]}, ("body", "x"), "rectangular"),
    ("x-wrong-width", _with(("x",), [[1.0, 2.0]]), ("body", "x"), "(m, 1)"),
    ("x-one-dimensional", _with(("x",), [1.0]), ("body", "x"), "shape"),
    ("x-object", _with(("x",), {"a": 1}), ("body", "x"), "dict"),
    ("x-empty-batch", _with(("x",), []), ("body", "x"), "shape"),
    ("y-wrong-batch", _with(("y",), [[1.0], [2.0]]), ("body", "y"), "(1, 1)"),
    ("missing-y", _with(("y",), ...), ("body", "y"), "required"),
    ("missing-x", _with(("x",), ...), ("body", "x"), "required"),
    ("missing-network", _with(("network",), ...), ("body", "network"), "required"),
    ("huge-integer-in-x", _with(("x",), [[10 ** 400]]), ("body", "x"), "float64"),
    ("unknown-activation", _with(("network", "activation"), "swish"),
     ("body", "network", "activation"), "tanh"),
    ("unknown-output-activation", _with(("network", "output_activation"), "gelu"),
     ("body", "network", "output_activation"), "identity"),
    ("unknown-loss", _with(("network", "loss"), "hinge"), ("body", "network", "loss"), "cross_entropy"),
    ("unknown-kind", _with(("network", "kind"), "cnn"), ("body", "network", "kind"), "cnn"),
    ("non-string-kind", _with(("network", "kind"), 5), ("body", "network", "kind"), "kind"),
    ("unknown-init", _with(("network", "init"), "orthogonal"), ("body", "network", "init"),
     "xavier"),
    ("zero-size", _with(("network", "sizes"), [1, 0, 1]), ("body", "network", "sizes", 1),
     "positive"),
    ("negative-size", _with(("network", "sizes"), [-1, 1]), ("body", "network", "sizes", 0),
     "positive"),
    ("fractional-size", _with(("network", "sizes"), [1, 1.5]), ("body", "network", "sizes", 1),
     "integer"),
    ("too-few-sizes", _with(("network", "sizes"), [1]), ("body", "network", "sizes"), "2"),
    ("negative-seed", _with(("network", "seed"), -1), ("body", "network", "seed"), "0"),
    ("wrong-param-shape", _with(("network", "params", "W1"), [[1.0, 2.0]]),
     ("body", "network", "params", "W1"), "(1, 1)"),
    ("param-not-an-array", _with(("network", "params", "b1"), "zero"),
     ("body", "network", "params", "b1"), "str"),
    ("nonfinite-param", _with(("network", "params", "W2"), [[10 ** 400]]),
     ("body", "network", "params", "W2"), "finite"),
    ("unknown-param-name", _with(("network", "params", "W3"), [[1.0]]),
     ("body", "network", "params", "W3"), "W3"),
    ("params-not-an-object", _with(("network", "params"), [[1.0]]),
     ("body", "network", "params"), "dictionary"),
    ("bce-with-relu-output", _with(("network",), {"sizes": [1, 1], "loss": "bce",
                                                  "output_activation": "relu"}),
     ("body", "network", "output_activation"), "logits"),
    ("inputs-for-an-mlp", {**tiny_body(), "inputs": {"a0": [[1.0]]}}, ("body", "inputs"), "graph"),
    ("unknown-top-level-field", {**tiny_body(), "lr": 0.1}, ("body", "lr"), "not permitted"),
    ("typo-in-network", _with(("network", "activaton"), "tanh"),
     ("body", "network", "activaton"), "not permitted"),
    ("typo-in-clip", {**tiny_body(), "clip": {"mode": "norm", "max_nrom": 1.0}},
     ("body", "clip", "max_nrom"), "not permitted"),
    ("unknown-clip-mode", {**tiny_body(), "clip": {"mode": "scale"}}, ("body", "clip", "mode"),
     "scale"),
    ("clip-without-mode", {**tiny_body(), "clip": {"max_norm": 1.0}}, ("body", "clip", "mode"),
     "required"),
    ("negative-max-norm", {**tiny_body(), "clip": {"mode": "norm", "max_norm": -1.0}},
     ("body", "clip", "max_norm"), "greater than 0"),
    ("zero-max-norm", {**tiny_body(), "clip": {"mode": "norm", "max_norm": 0}},
     ("body", "clip", "max_norm"), "greater than 0"),
    ("norm-type-3", {**tiny_body(), "clip": {"mode": "norm", "max_norm": 1.0, "norm_type": 3}},
     ("body", "clip", "norm_type"), "inf"),
    ("negative-clip-value", {**tiny_body(), "clip": {"mode": "value", "clip_value": -0.5}},
     ("body", "clip", "clip_value"), "greater than 0"),
    ("unknown-detail", {**tiny_body(), "detail": "everything"}, ("body", "detail"), "summary"),
]


@pytest.mark.parametrize("body,loc,word", [b[1:] for b in BAD_BODIES],
                         ids=[b[0] for b in BAD_BODIES])
def test_bad_backprop_body_is_422_naming_the_field(client, body, loc, word):
    r = client.post(URL, json=body)
    assert r.status_code == 422, r.text
    assert error_locs(r)[0] == loc, r.text
    assert word.lower() in r.json()["detail"][0]["msg"].lower(), r.text


def test_cross_entropy_label_out_of_range_is_422_naming_y(client):
    body = {"network": {"sizes": [2, 3], "loss": "cross_entropy"}, "x": [[1, 2]], "y": [3]}
    r = client.post(URL, json=body)
    assert r.status_code == 422 and error_locs(r) == [("body", "y")]
    assert "0..2" in error_text(r)


@pytest.mark.parametrize("labels", [[1.5], [-1]])
def test_cross_entropy_non_integer_or_negative_label_is_422(client, labels):
    body = {"network": {"sizes": [2, 3], "loss": "cross_entropy"}, "x": [[1, 2]], "y": labels}
    r = client.post(URL, json=body)
    assert r.status_code == 422 and error_locs(r) == [("body", "y")]
    assert "integers" in error_text(r)


def test_cross_entropy_wrong_number_of_labels_is_422(client):
    body = {"network": {"sizes": [2, 3], "loss": "cross_entropy"}, "x": [[1, 2]], "y": [0, 1]}
    r = client.post(URL, json=body)
    assert r.status_code == 422 and error_locs(r) == [("body", "y")]


def test_non_json_body_is_422(client):
    r = raw_post(client, URL, "network=mlp&x=1")
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][0] == "body"
    assert "json" in r.json()["detail"][0]["msg"].lower()


def test_json_array_instead_of_object_is_422(client):
    r = raw_post(client, URL, "[1, 2, 3]")
    assert r.status_code == 422 and error_locs(r) == [("body",)]


def test_empty_body_is_422(client):
    r = raw_post(client, URL, "")
    assert r.status_code == 422 and error_locs(r)[0][0] == "body"


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_nonfinite_literal_in_x_is_422_naming_x(client, token):
    text = ('{"network": {"sizes": [1, 1]}, "x": [[%s]], "y": [[0]]}' % token)
    r = raw_post(client, URL, text)
    assert r.status_code == 422 and error_locs(r) == [("body", "x")]
    assert "finite" in error_text(r)


def test_nan_literal_in_explicit_param_is_422_naming_it(client):
    text = '{"network": {"sizes": [1, 1], "params": {"b1": [NaN]}}, "x": [[1]], "y": [[0]]}'
    r = raw_post(client, URL, text)
    assert r.status_code == 422 and error_locs(r) == [("body", "network", "params", "b1")]


def test_several_pydantic_errors_are_all_listed(client):
    body = {**tiny_body(), "network": {"sizes": [1, 1], "activation": "swish", "loss": "hinge"}}
    r = client.post(URL, json=body)
    assert r.status_code == 422
    assert {("body", "network", "activation"), ("body", "network", "loss")} <= set(error_locs(r))


def test_errors_do_not_echo_the_input(client):
    body = _with(("network", "activation"), "swish")
    body["x"] = [[0.123456789]]
    r = client.post(URL, json=body)
    assert "0.123456789" not in r.text
    assert all(set(e) == {"loc", "msg", "type"} for e in r.json()["detail"])


# -- sessions ------------------------------------------------------------------------------

@pytest.mark.parametrize("body,loc", [
    ({"lr": 0}, ("body", "lr")),
    ({"lr": -0.1}, ("body", "lr")),
    ({}, ("body", "lr")),
    ({"lr": 0.1, "momentum": 0.9}, ("body", "momentum")),
    ({"lr": 0.1, "clip": {"mode": "norm", "max_norm": -1}}, ("body", "clip", "max_norm")),
    ({"lr": 0.1, "clip": {"mode": "value", "clip_value": 0}}, ("body", "clip", "clip_value")),
], ids=["lr-zero", "lr-negative", "lr-missing", "unknown-field", "clip-negative-max-norm",
        "clip-zero-value"])
def test_bad_step_body_is_422_naming_the_field(client, body, loc):
    sid = session_from_preset(client)
    r = client.post(f"{API}/sessions/{sid}/step", json=body)
    assert r.status_code == 422, r.text
    assert error_locs(r)[0] == loc
    assert client.get(f"{API}/sessions/{sid}").json()["step"] == 0  # nothing was applied


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_nonfinite_lr_is_422(client, token):
    sid = session_from_preset(client)
    r = raw_post(client, f"{API}/sessions/{sid}/step", '{"lr": %s}' % token)
    assert r.status_code == 422 and error_locs(r) == [("body", "lr")]
    assert "finite" in error_text(r)


@pytest.mark.parametrize("body,loc", [
    ({"steps": 0, "lr": 0.1}, ("body", "steps")),
    ({"steps": -3, "lr": 0.1}, ("body", "steps")),
    ({"steps": 2.5, "lr": 0.1}, ("body", "steps")),
    ({"lr": 0.1}, ("body", "steps")),
    ({"steps": 3, "lr": 0}, ("body", "lr")),
    ({"steps": 3, "lr": 0.1, "epochs": 2}, ("body", "epochs")),
], ids=["steps-zero", "steps-negative", "steps-fractional", "steps-missing", "lr-zero",
        "unknown-field"])
def test_bad_train_body_is_422_naming_the_field(client, body, loc):
    sid = session_from_preset(client)
    r = client.post(f"{API}/sessions/{sid}/train", json=body)
    assert r.status_code == 422, r.text
    assert error_locs(r)[0] == loc
    assert client.get(f"{API}/sessions/{sid}").json()["step"] == 0


@pytest.mark.parametrize("body,loc", [
    ({"preset": "no-such-preset"}, ("body", "preset")),
    ({}, ("body", "preset")),
    ({"preset": "tanh-mlp", "network": {"sizes": [1, 1]}}, ("body", "preset")),
    ({"preset": 7}, ("body", "preset")),
    ({"network": {"sizes": [1, 1]}, "x": [[1]]}, ("body", "y")),
    ({"network": {"sizes": [1, 1], "activation": "swish"}, "x": [[1]], "y": [[1]]},
     ("body", "network", "activation")),
    ({"preset": "tanh-mlp", "sesion": 1}, ("body", "sesion")),
], ids=["unknown-preset", "neither", "both", "preset-not-a-string", "missing-y",
        "unknown-activation", "unknown-field"])
def test_bad_session_create_is_422_naming_the_field(client, body, loc):
    r = client.post(f"{API}/sessions", json=body)
    assert r.status_code == 422, r.text
    assert error_locs(r)[0] == loc
    assert len(client.app.state.sessions) == 0  # nothing half-created


@pytest.mark.parametrize("body,loc", [
    ({"x": [[1.0]]}, ("body", "x")),
    ({"x": [["0.5", 1.0]]}, ("body", "x")),
    ({"y": [[1.0], [2.0]]}, ("body", "y")),
    ({"inputs": {"a0": [[1, 2]]}}, ("body", "inputs")),
    ({"z": 1}, ("body", "z")),
], ids=["x-wrong-width", "string-in-x", "y-wrong-batch", "inputs-for-an-mlp", "unknown-field"])
def test_bad_forward_body_is_422_and_keeps_the_session_data(client, body, loc):
    sid = session_from_preset(client)
    before = client.get(f"{API}/sessions/{sid}").json()
    r = client.post(f"{API}/sessions/{sid}/forward", json=body)
    assert r.status_code == 422, r.text
    assert error_locs(r)[0] == loc
    after = client.get(f"{API}/sessions/{sid}").json()
    assert (after["x"], after["y"]) == (before["x"], before["y"])
    preset = client.get(f"{API}/presets/tanh-mlp").json()
    expected = client.post(URL, json={k: preset[k] for k in ("network", "x", "y")}).json()["loss"]
    assert client.post(f"{API}/sessions/{sid}/forward").json()["loss"] == expected


def test_non_json_step_body_is_422(client):
    sid = session_from_preset(client)
    r = raw_post(client, f"{API}/sessions/{sid}/step", "lr=0.1")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][0] == "body"


def test_wrong_method_is_405(client):
    assert client.get(URL).status_code == 405
    assert client.put(f"{API}/sessions/abc").status_code == 405


def test_invalid_utf8_body_is_4xx(client):
    r = raw_post(client, URL, b"\xff\xfe{")
    assert 400 <= r.status_code < 500


def test_body_without_json_content_type_is_4xx_not_parsed(client):
    import json
    r = client.post(URL, content=json.dumps(tiny_body()), headers={"content-type": "text/plain"})
    assert r.status_code == 422 and error_locs(r) == [("body",)]
