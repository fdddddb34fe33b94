"""Presets, /healthz, the OpenAPI schema and /docs."""

import pytest

from api_helpers import API, make_client, strict_loads

KNOWN_ORDER = ["linear-warmup", "tanh-mlp", "deep-sigmoid"]  # lecture order


def test_healthz_is_200(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_presets_list_has_names_titles_sections_descriptions_in_lecture_order(client):
    r = client.get(f"{API}/presets")
    assert r.status_code == 200
    items = r.json()
    names = [p["name"] for p in items]
    assert len(names) == len(set(names))
    assert [n for n in names if n in KNOWN_ORDER] == KNOWN_ORDER
    for p in items:
        assert set(p) == {"name", "title", "section", "description"}
        assert all(isinstance(p[k], str) and p[k].strip() for k in p)


def _preset_names():
    return [p["name"] for p in make_client().get(f"{API}/presets").json()]


@pytest.mark.parametrize("name", _preset_names())
def test_each_preset_loads_and_runs_through_backprop(client, name):
    r = client.get(f"{API}/presets/{name}")
    assert r.status_code == 200
    preset = r.json()
    assert preset["name"] == name
    listed = {p["name"]: p for p in client.get(f"{API}/presets").json()}[name]
    assert all(preset[k] == listed[k] for k in ("title", "section", "description"))
    body = {k: preset[k] for k in ("network", "x", "y", "inputs") if k in preset}
    run = client.post(f"{API}/backprop", json=body)
    assert run.status_code == 200, run.text
    out = strict_loads(run.text)
    assert isinstance(out["loss"], float)
    assert set(out["param_grads"]) == set(out["params"])


@pytest.mark.parametrize("name", _preset_names())
def test_each_preset_starts_a_session(client, name):
    r = client.post(f"{API}/sessions", json={"preset": name})
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    assert client.post(f"{API}/sessions/{sid}/forward").status_code == 200
    assert client.post(f"{API}/sessions/{sid}/backward").status_code == 200


def test_presets_are_identical_across_requests(client):
    assert client.get(f"{API}/presets/tanh-mlp").json() == client.get(
        f"{API}/presets/tanh-mlp").json()


def test_unknown_preset_is_404_listing_the_known_ones(client):
    r = client.get(f"{API}/presets/no-such-thing")
    assert r.status_code == 404
    assert "no-such-thing" in r.json()["detail"] and "tanh-mlp" in r.json()["detail"]


def test_openapi_documents_the_request_schemas_with_examples(client):
    r = client.get("/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    schemas = spec["components"]["schemas"]
    for name in ("BackpropRequest", "SessionCreate", "StepRequest", "TrainRequest"):
        assert schemas[name].get("examples"), name
    example = schemas["BackpropRequest"]["examples"][0]
    assert {"network", "x", "y"} <= set(example)
    assert {"preset": "tanh-mlp"} in schemas["SessionCreate"]["examples"]
    paths = spec["paths"]
    body_ref = paths[f"{API}/backprop"]["post"]["requestBody"]["content"]["application/json"]
    assert body_ref["schema"]["$ref"].endswith("/BackpropRequest")
    for path in (f"{API}/sessions", f"{API}/sessions/{{session_id}}/step",
                 f"{API}/sessions/{{session_id}}/train", f"{API}/sessions/{{session_id}}/forward",
                 f"{API}/sessions/{{session_id}}/backward", f"{API}/presets",
                 f"{API}/presets/{{name}}", "/healthz"):
        assert path in paths, path
    assert "delete" in paths[f"{API}/sessions/{{session_id}}"]
    assert "409" in paths[f"{API}/sessions/{{session_id}}/backward"]["post"]["responses"]


def test_openapi_examples_are_valid_requests(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    r = client.post(f"{API}/backprop", json=schemas["BackpropRequest"]["examples"][0])
    assert r.status_code == 200
    for example in schemas["SessionCreate"]["examples"]:
        r = client.post(f"{API}/sessions", json=example)
        assert r.status_code == 201, r.text
        sid = r.json()["id"]
        assert client.post(f"{API}/sessions/{sid}/step",
                           json=schemas["StepRequest"]["examples"][0]).status_code == 200
        assert client.post(f"{API}/sessions/{sid}/train",
                           json=schemas["TrainRequest"]["examples"][0]).status_code == 200


def test_docs_page_is_200(client):
    r = client.get("/docs")
    assert r.status_code == 200 and "swagger" in r.text.lower()
