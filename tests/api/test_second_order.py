"""/hvp, /gradcheck, /nudge, /hessian, /eigen, /newton through HTTP, checked against
finite differences and closed forms computed here."""

import numpy as np
import pytest
from fastapi.testclient import TestClient

from server.app import create_app

NET = {"kind": "mlp", "sizes": [2, 3, 1], "activation": "tanh", "seed": 4}
DATA = {"x": [[1.0, 2.0], [0.5, -1.0], [-0.3, 0.7]], "y": [[1.0], [0.0], [0.4]]}


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


def post(client, path, **extra):
    r = client.post(f"/api/v1/{path}", json={"network": NET, **DATA, **extra})
    assert r.status_code == 200, r.text
    return r.json()


def grads_at(client, params):
    net = {**NET, "params": params}
    r = client.post("/api/v1/backprop", json={"network": net, **DATA})
    return {k: np.array(v) for k, v in r.json()["param_grads"].items()}


def test_hvp_equals_the_central_difference_of_gradients(client):
    params = {k: np.array(v) for k, v in post(client, "backprop")["params"].items()}
    rng = np.random.default_rng(0)
    v = {k: rng.normal(size=p.shape) for k, p in params.items()}
    hv = {k: np.array(a) for k, a in post(client, "hvp", v={k: a.tolist() for k, a in v.items()})["hvp"].items()}
    eps = 1e-5
    plus = grads_at(client, {k: (p + eps * v[k]).tolist() for k, p in params.items()})
    minus = grads_at(client, {k: (p - eps * v[k]).tolist() for k, p in params.items()})
    for k in params:
        np.testing.assert_allclose(hv[k], (plus[k] - minus[k]) / (2 * eps), rtol=1e-6, atol=1e-8)


def test_hvp_is_symmetric_in_its_two_directions(client):
    rng = np.random.default_rng(1)
    shapes = {"W1": (3, 2), "b1": (3,), "W2": (1, 3), "b2": (1,)}
    u = {k: rng.normal(size=s) for k, s in shapes.items()}
    v = {k: rng.normal(size=s) for k, s in shapes.items()}
    hu = post(client, "hvp", v={k: a.tolist() for k, a in u.items()})["hvp"]
    hv = post(client, "hvp", v={k: a.tolist() for k, a in v.items()})["hvp"]
    u_hv = sum(np.sum(u[k] * np.array(hv[k])) for k in shapes)
    v_hu = sum(np.sum(v[k] * np.array(hu[k])) for k in shapes)
    assert u_hv == pytest.approx(v_hu, rel=1e-10)


def test_hvp_along_the_gradient_reports_its_curvature_and_check(client):
    out = post(client, "hvp", check=True)
    g = out["v"]
    vv = sum(np.sum(np.array(a) ** 2) for a in g.values())
    assert out["curvature"] == pytest.approx(out["vHv"] / vv, rel=1e-12)
    assert out["check"]["relative_error"] < 1e-6


def test_full_hessian_matches_hvp_columns_and_is_symmetric(client):
    full = post(client, "hessian")
    H = np.array(full["hessian"])
    assert H.shape == (13, 13) and np.allclose(H, H.T, atol=1e-12)
    e0 = {"W1": [[1.0, 0.0], [0.0, 0.0], [0.0, 0.0]], "b1": [0, 0, 0], "W2": [[0, 0, 0]], "b2": [0]}
    col = post(client, "hvp", v=e0)["hvp"]
    flat = np.concatenate([np.ravel(col[k]) for k in ("W1", "b1", "W2", "b2")])
    np.testing.assert_allclose(H[:, 0], flat, rtol=1e-10, atol=1e-12)
    assert np.allclose(sorted(full["eigenvalues"]), np.linalg.eigvalsh(0.5 * (H + H.T)), atol=1e-10)


def test_power_iteration_finds_the_largest_magnitude_eigenvalue(client):
    lam = np.linalg.eigvalsh(np.array(post(client, "hessian")["hessian"]))
    out = post(client, "eigen", iters=300)
    assert abs(out["eigenvalue"]) == pytest.approx(np.max(np.abs(lam)), rel=1e-4)


def test_nudge_remainder_shrinks_like_delta_squared(client):
    rem = [abs(post(client, "nudge", param="W1", delta=d, index=[1, 0])["remainder"]) for d in (1e-2, 1e-3)]
    assert 50 < rem[0] / rem[1] < 200


def test_gradcheck_reports_tiny_errors_for_a_correct_engine(client):
    out = post(client, "gradcheck")
    assert out["max_relative_error"] < 1e-6 and set(out["params"]) == {"W1", "b1", "W2", "b2"}


def test_newton_step_solves_a_linear_least_squares_net_in_one_step(client):
    net = {"kind": "mlp", "sizes": [2, 1], "activation": "identity", "bias": True}
    body = {"network": net, "x": [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, -1.0]],
            "y": [[1.0], [2.0], [2.5], [0.5]]}
    out = client.post("/api/v1/newton", json=body).json()
    X = np.hstack([np.array(body["x"]), np.ones((4, 1))])
    best = np.linalg.lstsq(X, np.array(body["y"]), rcond=None)[0]
    resid = np.sum((X @ best - np.array(body["y"])) ** 2) / 4
    assert out["loss_after"] == pytest.approx(resid, rel=1e-9, abs=1e-12)


def test_full_hessian_of_a_big_net_is_refused_naming_the_limit(client):
    r = client.post("/api/v1/hessian", json={"network": {"kind": "mlp", "sizes": [20, 20, 1]},
                                             "x": [[0.0] * 20], "y": [[1.0]]})
    assert r.status_code == 422 and "200" in r.json()["detail"][0]["msg"]


def test_hvp_direction_with_an_unknown_param_names_it(client):
    r = client.post("/api/v1/hvp", json={"network": NET, **DATA, "v": {"W7": [1.0]}})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "v", "W7"]
