"""Second order: what the page shows is the API's — Hv for the gradient, a random v and a
unit vector (then a column of the shown H), the curvature, the power iteration, Newton's
step — and the shown products are symmetric: uᵀ(Hv) = vᵀ(Hu)."""

import json

from pagetools import assert_close, open_preset

CURVATURE = '[data-testid="hess-curvature"]'


def body(api):
    preset = api.get("/api/v1/presets/hessian").json()
    return {"network": preset["network"], "x": preset["x"], "y": preset["y"]}


def shown_hv(page):
    table = page.get_by_test_id("hess-hv")
    return json.loads(table.get_attribute("data-v")), json.loads(table.get_attribute("data-hv"))


def flat(d):
    out = []
    for k in d:
        v = d[k]
        out += [x for row in v for x in (row if isinstance(row, list) else [row])]
    return out


def wait_curvature(page, not_equal=None):
    page.wait_for_selector(f"{CURVATURE}[data-curvature]", state="attached")
    if not_equal is not None:
        page.wait_for_function(f"document.querySelector('{CURVATURE}').dataset.curvature !== '{not_equal}'")
    return page.locator(CURVATURE).get_attribute("data-curvature")


def test_hv_along_the_gradient_and_a_unit_vector(page, base_url, api):
    open_preset(page, base_url, "hessian")
    first = wait_curvature(page)
    expected = api.post("/api/v1/hvp", json={**body(api), "direction": "gradient", "check": True}).json()
    v, hv = shown_hv(page)
    assert_close(hv, flat(expected["hvp"]))
    assert_close(float(first), expected["curvature"])
    heat = api.post("/api/v1/hessian", json=body(api)).json()
    page.get_by_test_id("hess-v").select_option("e4")
    wait_curvature(page, first)
    page.wait_for_selector("td.hess-col", state="attached")
    v, hv = shown_hv(page)
    column = page.eval_on_selector_all("td.hess-col", "tds => tds.map(td => Number(td.dataset.value))")
    assert_close(hv, [row[4] for row in heat["hessian"]])
    assert_close(column, [row[4] for row in heat["hessian"]])


def test_random_directions_are_symmetric(page, base_url, api):
    open_preset(page, base_url, "hessian")
    first = wait_curvature(page)
    page.get_by_test_id("hess-v").select_option("random")
    second = wait_curvature(page, first)
    u, hu = shown_hv(page)
    expected = api.post("/api/v1/hvp", json={**body(api), "direction": "random", "seed": 0}).json()
    assert_close(hu, flat(expected["hvp"]))
    page.get_by_test_id("hess-reroll").click()
    wait_curvature(page, second)
    v, hv = shown_hv(page)
    assert v != u
    dot = lambda a, b: sum(x * y for x, y in zip(a, b))  # noqa: E731
    assert abs(dot(u, hv) - dot(v, hu)) <= 1e-12 * max(abs(dot(u, hv)), 1.0)


def test_power_iteration_and_newton_step(page, base_url, api):
    open_preset(page, base_url, "hessian")
    page.wait_for_selector('[data-testid="hess-power"][data-history]', state="attached")
    history = json.loads(page.get_by_test_id("hess-power").get_attribute("data-history"))
    expected = api.post("/api/v1/eigen", json={**body(api), "iters": 30}).json()
    assert_close(history, expected["history"])
    eigenvalues = api.post("/api/v1/hessian", json=body(api)).json()["eigenvalues"]
    assert abs(history[-1] - max(eigenvalues, key=abs)) < 1e-6
    page.wait_for_selector('[data-testid="hess-newton"] td[data-value]', state="attached")
    shown = page.eval_on_selector_all('[data-testid="hess-newton"] td[data-value]',
                                      "tds => tds.map(td => Number(td.dataset.value))")
    newton = api.post("/api/v1/newton", json=body(api)).json()
    assert_close(shown[0], newton["loss_before"])
    assert_close(shown[2], newton["loss_after"])
    assert shown[1] < shown[0]
