"""/openapi.json tells the truth (issue 11, D10): every answer has its model, and real answers
fit it; booleans are not numbers; what the engine requires is required; error statuses are
documented; OPTIONS lists every method of a path."""

import pytest

from api_helpers import API, error_locs, error_text, make_client, session_from_preset, tiny_body
from server.api import answers

client = make_client()
OPENAPI = client.get("/openapi.json").json()


def _success(op):
    code = next(c for c in op["responses"] if c.startswith("2"))
    return code, op["responses"][code]


def test_every_json_answer_has_a_model_not_a_string():
    for path, ops in OPENAPI["paths"].items():
        for method, op in ops.items():
            code, response = _success(op)
            if code == "204":
                continue
            for media, content in response["content"].items():
                schema = content["schema"]
                if media == "application/json":
                    assert schema.get("type") != "string", (method, path, schema)
                    assert "$ref" in schema or schema.get("type") == "array", (method, path)


def _validate(model, answer):
    model.model_validate(answer)  # raises when the documented model does not fit the answer


def test_real_answers_fit_their_documented_models():
    body = tiny_body()
    _validate(answers.HVPAnswer, client.post(f"{API}/hvp", json={**body, "check": True}).json())
    _validate(answers.GradcheckAnswer, client.post(f"{API}/gradcheck", json=body).json())
    _validate(answers.NudgeAnswer, client.post(f"{API}/nudge", json={**body, "param": "W1",
                                                                      "delta": [[0.1]]}).json())
    _validate(answers.HessianAnswer, client.post(f"{API}/hessian", json=body).json())
    _validate(answers.EigenAnswer, client.post(f"{API}/eigen", json=body).json())
    _validate(answers.NewtonAnswer, client.post(f"{API}/newton", json=body).json())
    _validate(answers.CostAnswer, client.post(f"{API}/cost", json=body).json())
    sid = session_from_preset(client)
    _validate(answers.SessionAnswer, client.get(f"{API}/sessions/{sid}").json())
    _validate(answers.ForwardAnswer, client.post(f"{API}/sessions/{sid}/forward").json())
    _validate(answers.BackwardAnswer, client.post(f"{API}/sessions/{sid}/backward").json())
    _validate(answers.StepAnswer, client.post(f"{API}/sessions/{sid}/step", json={"lr": 0.1}).json())
    _validate(answers.TrainAnswer, client.post(f"{API}/sessions/{sid}/train",
                                               json={"lr": 0.1, "steps": 2}).json())
    _validate(answers.PredictAnswer, client.post(f"{API}/sessions/{sid}/predict",
                                                 json={"x": [[0.1, 0.2]]}).json())
    _validate(answers.PresetAnswer, client.get(f"{API}/presets/tanh-mlp").json())
    _validate(answers.DatasetAnswer, client.get(f"{API}/datasets/xor").json())
    _validate(answers.CSVAnswer, client.post(f"{API}/datasets/csv",
                                             json={"csv": "a,b\n1,2\n3,4\n"}).json())


def test_a_nonfinite_answer_keeps_its_strings_and_fits_the_model():
    """The encoder writes NaN as "NaN"; the documented Number allows exactly that."""
    body = tiny_body(x=[[1e300]], y=[[0.0]])
    body["network"]["params"]["W1"] = [[1e300]]
    r = client.post(f"{API}/eigen", json=body)
    assert r.status_code == 200 and r.json()["nonfinite"] is True
    assert r.json()["eigenvalue"] in ("NaN", "Infinity", "-Infinity")
    _validate(answers.EigenAnswer, r.json())


@pytest.mark.parametrize("path, body, loc", [
    ("backprop", {"network": {"kind": "mlp", "sizes": [True, 3, 1]}, "x": [[1.0]], "y": [[1.0]]},
     ("body", "network", "sizes", 0)),
    ("backprop", {"network": {"kind": "mlp", "sizes": [1, 3, 1], "seed": False}, "x": [[1.0]],
                  "y": [[1.0]]}, ("body", "network", "seed")),
    ("backprop", {"network": {"kind": "mlp", "sizes": [2, 3, 1]}, "x": [[1.0, True]], "y": [[1.0]]},
     ("body", "x")),
    ("backprop", {"network": {"kind": "mlp", "sizes": [2, 1]}, "x": [[1, 2]], "y": [[False]]},
     ("body", "y")),
    ("hvp", {**tiny_body(), "v": {"W1": [[True]]}}, ("body", "v", "W1")),
])
def test_booleans_are_refused_where_numbers_go(path, body, loc):
    r = client.post(f"{API}/{path}", json=body)
    assert r.status_code == 422, r.text
    assert error_locs(r) == [loc]
    assert "boolean" in error_text(r)


def test_steps_false_is_refused_naming_steps():
    sid = session_from_preset(client)
    r = client.post(f"{API}/sessions/{sid}/train", json={"steps": False, "lr": 0.1})
    assert r.status_code == 422 and error_locs(r) == [("body", "steps")]
    assert client.get(f"{API}/sessions/{sid}").json()["step"] == 0


def test_integers_still_pass_as_floats_and_floats_as_arrays():
    r = client.post(f"{API}/backprop", json=tiny_body(x=[[1]], y=[[0]]))
    assert r.status_code == 200, r.text


def test_x_or_inputs_is_required_in_the_schema():
    schema = OPENAPI["components"]["schemas"]["BackpropRequest"]
    assert "network" in schema["required"]
    assert {"required": ["x"]} in schema["anyOf"] and {"required": ["inputs"]} in schema["anyOf"]
    assert "required" in schema["properties"]["x"]["description"]


def test_error_statuses_are_documented_where_they_happen():
    paths = OPENAPI["paths"]
    assert {"400", "405", "413", "422", "503"} <= set(paths["/api/v1/backprop"]["post"]["responses"])
    train = paths["/api/v1/sessions/{session_id}/train"]["post"]["responses"]
    assert {"404", "409", "413", "422"} <= set(train)
    assert "429" in paths["/api/v1/sessions"]["post"]["responses"]
    assert "404" in paths["/api/v1/presets/{name}"]["get"]["responses"]
    ref = paths["/api/v1/backprop"]["post"]["responses"]["422"]["content"]["application/json"]["schema"]
    assert ref["$ref"].endswith("/ErrorAnswer")


def test_the_allowed_values_are_the_engines():
    from server.engine.core.activations import ACTIVATIONS
    from server.engine.core.losses import LOSSES
    mlp = OPENAPI["components"]["schemas"]["MLPNetwork"]["properties"]
    assert mlp["activation"]["enum"] == list(ACTIVATIONS)
    assert mlp["loss"]["enum"] == list(LOSSES)


@pytest.mark.parametrize("path, allow", [
    ("/api/v1/datasets/csv", "OPTIONS, POST"),  # GET is not a dataset name (test_datasets_routes.py)
    ("/api/v1/backprop", "OPTIONS, POST"),
    ("/api/v1/sessions/abc", "DELETE, GET, OPTIONS"),
])
def test_options_lists_every_method_of_the_path(path, allow):
    r = client.options(path)
    assert r.status_code == 204 and r.headers["allow"] == allow


def test_options_on_an_unknown_path_is_404():
    assert client.options(f"{API}/no/such/path").status_code == 404
