"""Why backprop? The nudge's numbers are the API's, the remainder shrinks like δ², the
gradient check agrees with /gradcheck, and finite differences cost 2P forward passes."""

import json

from pagetools import assert_close, open_preset

RESULT = '[data-testid="nudge-result"]'


def body(api):
    preset = api.get("/api/v1/presets/why-backprop").json()
    return {"network": preset["network"], "x": preset["x"], "y": preset["y"]}


def test_nudging_one_entry_shows_the_apis_change_and_prediction(page, base_url, api):
    open_preset(page, base_url, "why-backprop")
    page.wait_for_selector(f"{RESULT}[data-actual]", state="attached")
    page.get_by_test_id("nudge-param").select_option("W2")
    page.locator('[data-testid="nudge-grid"] button[data-index="1,2"]').click()
    page.eval_on_selector('[data-testid="nudge-log-delta"]', """el => { el.value = "-1";
        el.dispatchEvent(new Event('input', {bubbles: true})); }""")
    page.wait_for_selector(f"{RESULT}[data-param=W2][data-index='[1,2]']", state="attached")
    page.wait_for_function(f"Math.abs(Number(document.querySelector('{RESULT}').dataset.actual)) > 0"
                           " && document.querySelector('[data-testid=nudge-delta-value]').textContent === 'δ = 0.1'")
    shown = page.eval_on_selector(RESULT, "el => ({...el.dataset})")
    expected = api.post("/api/v1/nudge", json={**body(api), "param": "W2", "delta": 0.1,
                                               "index": [1, 2]}).json()
    for key, field in (("actual", "actual_change"), ("predicted", "predicted_change"),
                       ("remainder", "remainder")):
        assert_close(float(shown[key]), expected[field], path=key)
    assert "W2[1, 2] + δ" in page.locator(RESULT).text_content()


def test_the_remainder_shrinks_like_delta_squared(page, base_url):
    open_preset(page, base_url, "why-backprop")
    page.wait_for_selector(f"{RESULT}[data-actual]", state="attached")
    page.get_by_test_id("nudge-what").select_option("matrix")
    page.get_by_test_id("nudge-sweep").click()
    page.wait_for_selector('[data-testid="nudge-slope"][data-slope]', state="attached")
    slope = float(page.get_by_test_id("nudge-slope").get_attribute("data-slope"))
    assert 1.8 <= slope <= 2.2


def test_gradient_check_table_matches_gradcheck(page, base_url, api):
    open_preset(page, base_url, "why-backprop")
    summary = page.get_by_test_id("gc-summary")
    page.wait_for_selector('[data-testid="gc-summary"][data-max-error]', state="attached")
    expected = api.post("/api/v1/gradcheck", json={**body(api), "eps": 1e-6}).json()
    assert_close(float(summary.get_attribute("data-max-error")), expected["max_relative_error"])
    assert expected["max_relative_error"] < 1e-6
    rows = page.locator('[data-testid="gc-table"] tbody tr')
    assert rows.count() == len(expected["params"]) + len(expected["nodes"])
    assert page.locator('[data-testid="gc-table"] tr.gc-fail').count() == 0
    page.get_by_test_id("gc-eps").select_option("1e-2")
    page.wait_for_function("document.querySelector('[data-testid=gc-summary]').textContent.startsWith('ε = 0.01')")
    coarse = api.post("/api/v1/gradcheck", json={**body(api), "eps": 1e-2}).json()
    assert_close(float(summary.get_attribute("data-max-error")), coarse["max_relative_error"])


def test_finite_differences_cost_two_forward_passes_per_parameter(page, base_url):
    open_preset(page, base_url, "why-backprop")
    page.wait_for_selector(f"{RESULT}[data-actual]", state="attached")
    page.get_by_test_id("cost-measure").click()
    page.wait_for_selector('[data-testid="cost-chart"][data-rows]', state="attached", timeout=60_000)
    rows = json.loads(page.get_by_test_id("cost-chart").get_attribute("data-rows"))
    assert [r["fdPasses"] for r in rows] == [2 * r["P"] for r in rows]
    assert rows[-1]["P"] > 100 * rows[0]["P"]
    assert rows[-1]["fdMs"] > rows[-1]["backpropMs"]
