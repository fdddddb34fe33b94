"""/datasets/csv is a route of its own (POST): GET on it is that route's 405, not an
"unknown dataset" 404 from GET /datasets/{name}, and the schema says which names exist."""

from api_helpers import API, make_client
from server.engine.data.datasets import GENERATORS

client = make_client()


def test_get_on_the_csv_route_is_405_naming_post():
    r = client.get(f"{API}/datasets/csv")
    assert r.status_code == 405, r.text
    assert r.headers["allow"] == "POST"
    assert client.options(f"{API}/datasets/csv").headers["allow"] == "OPTIONS, POST"


def test_dataset_names_still_answer_and_unknown_ones_are_404():
    r = client.get(f"{API}/datasets/moons", params={"n": 5})
    assert r.status_code == 200 and len(r.json()["x"]) == 5
    assert client.get(f"{API}/datasets/csvx").status_code == 404  # only the route's own name is taken
    assert client.get(f"{API}/datasets/nope").status_code == 404


def test_the_schema_lists_the_dataset_names_and_csv_only_for_post():
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths[f"{API}/datasets/csv"]) == {"post"}
    (name,) = [p for p in paths[f"{API}/datasets/{{name}}"]["get"]["parameters"] if p["name"] == "name"]
    assert name["schema"]["enum"] == list(GENERATORS) and "csv" not in name["schema"]["enum"]
