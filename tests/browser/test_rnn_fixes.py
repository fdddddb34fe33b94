"""The RNN scene's fixes against the API: clipping by norm keeps the direction and by value
turns it; truncation's distance from the full gradient for the chosen k; RNN vs LSTM curves."""

import json
import math

from pagetools import assert_close, decode, open_preset


def body_of(api, name, **network):
    preset = api.get(f"/api/v1/presets/{name}").json()
    return {"network": {**preset["network"], **network}, "x": preset["x"], "y": preset["y"]}


def summary(page, testid, wait_for):
    """The panel's numbers (data attributes) once `wait_for(data)` holds."""
    selector = f'[data-testid="{testid}"]'
    page.wait_for_function(f"(() => {{ const d = document.querySelector('{selector}')?.dataset;"
                           f" return d && ({wait_for}); }})()")
    return page.eval_on_selector(selector, "el => ({...el.dataset})")


def set_range(page, testid, value):
    page.eval_on_selector(f'[data-testid="{testid}"]', """(el, v) => { el.value = v;
        el.dispatchEvent(new Event('input', {bubbles: true})); }""", str(value))


def test_norm_clipping_keeps_the_direction(page, base_url, api):
    open_preset(page, base_url, "rnn-clipping")
    data = summary(page, "clip-summary", "d.mode === 'norm'")
    body = {**body_of(api, "rnn-clipping"), "clip": {"mode": "norm", "max_norm": 1.0, "norm_type": 2}}
    expected = api.post("/api/v1/backprop", json=body).json()["clipping"]
    assert_close(float(data["normBefore"]), expected["total_norm_before"])
    assert_close(float(data["normAfter"]), expected["total_norm_after"])
    assert expected["total_norm_before"] > 1e3
    assert math.isclose(float(data["normAfter"]), 1.0, rel_tol=1e-6)
    assert math.isclose(float(data["cosine"]), 1.0, abs_tol=1e-12)


def test_value_clipping_turns_it_and_off_changes_nothing(page, base_url, api):
    open_preset(page, base_url, "rnn-clipping")
    summary(page, "clip-summary", "d.mode === 'norm'")
    # c first, then the mode: the only value-mode answer is then the one for c = 0.1
    set_range(page, "clip-threshold", -1)  # c = 0.1
    page.get_by_test_id("clip-mode").select_option("value")
    data = summary(page, "clip-summary", "d.mode === 'value'")
    assert float(data["maxAfter"]) <= 0.1
    assert float(data["cosine"]) < 0.99
    page.get_by_test_id("clip-mode").select_option("off")
    data = summary(page, "clip-summary", "d.mode === 'off'")
    # Off: the same gradient on both sides (up to the page's rounding of the printed norms).
    assert math.isclose(float(data["normBefore"]), float(data["normAfter"]), rel_tol=1e-12)
    # cos of a vector with itself is 1 up to the rounding of one dot product and two norms.
    assert math.isclose(float(data["cosine"]), 1.0, rel_tol=1e-12)


def test_truncation_distance_follows_k(page, base_url, api):
    open_preset(page, base_url, "rnn-truncated")
    data = summary(page, "trunc-summary", "d.k === '5'")
    expected = api.post("/api/v1/backprop", json=body_of(api, "rnn-truncated", truncate=5)).json()
    assert_close(float(data["relative"]), expected["truncation_relative_difference"])
    assert_close(float(data["cosine"]), expected["truncation_cosine"])
    dropped = int(page.get_by_test_id("trunc-grid").get_attribute("data-dropped"))
    assert dropped == 465 - (1 + 2 + 3 + 4 + 5 * 26)  # mse_all, T = 30: the grid's grey cells
    bars = page.get_by_test_id("trunc-bars")
    full = api.post("/api/v1/backprop", json=body_of(api, "rnn-truncated", truncate=None)).json()
    assert_close(json.loads(bars.get_attribute("data-full")), full["contribution_norms"]["W_hh"])
    set_range(page, "trunc-k", 12)
    data = summary(page, "trunc-summary", "d.k === '12'")
    expected12 = api.post("/api/v1/backprop", json=body_of(api, "rnn-truncated", truncate=12)).json()
    assert_close(float(data["relative"]), expected12["truncation_relative_difference"])
    assert float(data["relative"]) < float(expected["truncation_relative_difference"])
    set_range(page, "trunc-k", 30)
    data = summary(page, "trunc-summary", "d.k === '30'")
    # k = T: nothing is dropped, so truncated and full BPTT agree up to summation order.
    assert float(data["relative"]) < 1e-12 and math.isclose(float(data["cosine"]), 1.0, rel_tol=1e-12)


def test_lstm_beside_rnn(page, base_url, api):
    open_preset(page, base_url, "lstm-vs-rnn")
    preset = api.get("/api/v1/presets/lstm-vs-rnn").json()
    page.wait_for_selector('[data-testid="compare-rnn"][data-norms]', state="attached")
    page.wait_for_selector('[data-testid="compare-lstm"][data-norms]', state="attached")
    shown = {side: decode(json.loads(page.get_by_test_id(f"compare-{side}").get_attribute("data-norms")))
             for side in ("rnn", "lstm")}
    rnn = api.post("/api/v1/backprop", json={"network": preset["compare"], "x": preset["x"],
                                              "y": preset["y"]}).json()
    lstm = api.post("/api/v1/backprop", json=body_of(api, "lstm-vs-rnn")).json()
    assert_close(shown["rnn"], rnn["grad_norms_h"])
    assert_close(shown["lstm"], lstm["grad_norms_h"])
    # The lesson: the gradient reaching t = 1 is far larger through the LSTM.
    assert shown["lstm"][1] / shown["lstm"][-1] > 100 * shown["rnn"][1] / shown["rnn"][-1]
