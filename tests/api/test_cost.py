"""POST /cost: exact pass counts, backprop checked against the differences it timed, the
time of finite differences growing with P while backprop's stays a few forwards, 4xx
for bad input, and a bounded running time."""

import time

import pytest
from fastapi.testclient import TestClient

from server.app import create_app

X = [[1.0, 2.0], [0.5, -1.0], [-0.3, 0.7]]
Y = [[1.0], [0.0], [0.4]]


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


def post(client, sizes, **extra):
    return client.post("/api/v1/cost", json={"network": {"sizes": sizes, "seed": 1}, "x": X,
                                             "y": Y, **extra})


def test_counts_and_agreement_on_a_small_net(client):
    r = post(client, [2, 3, 1], budget_ms=50)
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["params"] == 13
    assert a["forward_passes"] == {"backprop": 1, "finite_differences": 26}
    assert a["finite_differences"]["entries_timed"] == 13 and not a["finite_differences"]["extrapolated"]
    assert a["max_relative_error"] < 1e-6
    assert 0 < a["seconds"]["forward"] < a["seconds"]["finite_differences"]


def test_finite_differences_grow_with_p_backprop_does_not(client):
    small = post(client, [2, 4, 1], budget_ms=100).json()
    big = post(client, [2, 100, 100, 1], budget_ms=200).json()
    assert big["params"] > 100 * small["params"]
    fd_ratio = big["seconds"]["finite_differences"] / small["seconds"]["finite_differences"]
    bp_ratio = big["seconds"]["backprop"] / small["seconds"]["backprop"]
    assert fd_ratio > 20 * bp_ratio
    assert big["forward_equivalents"]["backprop"] < 20
    assert big["finite_differences"]["extrapolated"] and "extrapolated" in big["note"]


def test_the_budget_bounds_the_time(client):
    t0 = time.perf_counter()
    r = post(client, [2, 200, 200, 1], budget_ms=300)
    assert r.status_code == 200, r.text
    assert time.perf_counter() - t0 < 1.5


@pytest.mark.parametrize("extra, sizes, loc", [
    ({"budget_ms": 5000}, [2, 3, 1], "budget_ms"),
    ({"budget_ms": 0}, [2, 3, 1], "budget_ms"),
    ({"eps": 0}, [2, 3, 1], "eps"),
    ({}, [2, 300, 300, 1], "network"),
])
def test_bad_input_is_a_422_naming_the_field(client, extra, sizes, loc):
    r = post(client, sizes, **extra)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][:2] == ["body", loc]
