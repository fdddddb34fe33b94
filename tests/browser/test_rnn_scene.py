"""The RNN scene: ρ across 1 flips the slope of ‖∂f/∂h_t‖, the plotted norms are the API's,
overflow is marked at the right step, the backward walk shows each step's norm, and a new
activation redraws with the API's numbers."""

import json
import math
from pathlib import Path

from pagetools import assert_close, decode, fmt, open_preset

SHOTS = Path("/tmp/shots/rnn")
CHART = '[data-testid="rnn-chart"]'


def ready(page, base_url, preset):
    open_preset(page, base_url, preset)
    page.wait_for_selector(f'{CHART}[data-state="ready"]', state="attached")


def wait_shown(page, **attrs):
    """Waits until the chart shows the answer for these settings and nothing is pending."""
    sel = "".join(f'[data-{k}="{v}"]' for k, v in attrs.items())
    page.wait_for_selector(f'{CHART}[data-state="ready"]{sel}', state="attached")


def shown(page):
    data = page.eval_on_selector(CHART, "el => ({...el.dataset})")
    return {"norms": decode(json.loads(data["norms"])), "slope": json.loads(data["slope"]),
            "regime": data["regime"], "overflow": json.loads(data["overflowT"])}


def api_norms(page, api):
    """The API's grad_norms_h for the exact body the page says it plotted."""
    body = json.loads(page.get_by_test_id("rnn-body").text_content())
    return body, decode(api.post("/api/v1/backprop", json=body).json()["grad_norms_h"])


def test_dragging_rho_across_one_flips_the_slope_and_plots_the_apis_norms(page, base_url, api):
    ready(page, base_url, "rnn-vanishing")
    rho = page.get_by_test_id("rnn-rho")
    rho.fill("0.5")
    wait_shown(page, rho="0.5")
    low = shown(page)
    body, expected = api_norms(page, api)
    assert body["network"]["recurrent_spectral_norm"] == 0.5
    assert_close(low["norms"], expected, rel=1e-9)
    # The keyboard walks the real slider 0.05 at a time: 20 inputs, coalesced requests.
    rho.focus()
    for _ in range(20):
        page.keyboard.press("ArrowRight")
    wait_shown(page, rho="1.5")
    high = shown(page)
    body, expected = api_norms(page, api)
    assert body["network"]["recurrent_spectral_norm"] == 1.5
    assert_close(high["norms"], expected, rel=1e-9)
    assert low["slope"] > 0 > high["slope"]
    assert (low["regime"], high["regime"]) == ("vanishing", "exploding")
    assert "×1.5 — exploding" in page.get_by_test_id("rnn-verdict").text_content()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.get_by_test_id("scene").screenshot(path=str(SHOTS / "test-rho-1.5.png"))


def last_nonfinite(norms):
    """Walking back from t = T, the first step whose norm is ∞ or NaN (None if all finite)."""
    return max((t for t, n in enumerate(norms) if not math.isfinite(n)), default=None)


def test_overflow_is_marked_at_the_step_where_the_norm_stops_being_finite(page, base_url, api):
    ready(page, base_url, "rnn-exploding")
    page.get_by_test_id("rnn-rho").fill("3")
    page.get_by_test_id("rnn-steps").fill("300")
    wait_shown(page, rho="3", steps="300", activation="identity")
    _, expected = api_norms(page, api)
    note = page.get_by_test_id("rnn-overflow")
    # Whether T = 300 overflows depends on how the API takes the norm of entries near 1e154.
    bad = last_nonfinite(expected)
    assert shown(page)["overflow"] == bad
    assert note.is_visible() == (bad is not None)
    # The long chain is windowed, but the walk's first step, t = T, is drawn and lit.
    page.get_by_test_id("rnn-anim-step").click()
    page.wait_for_selector('[data-testid="rnn-h-300"].current', state="attached")
    assert page.locator(".rnn-chain circle.rnn-h").count() <= 40
    # T = 1500 (typed: beyond the slider) overflows in the forward pass already; still a result.
    page.get_by_test_id("rnn-steps-value").fill("1500")
    wait_shown(page, rho="3", steps="1500")
    _, expected = api_norms(page, api)
    bad = last_nonfinite(expected)
    assert bad is not None
    assert shown(page)["overflow"] == bad
    assert note.is_visible()
    assert note.text_content().startswith(f"Overflow at t = {bad}:")
    # Nothing finite to fit (the forward pass overflowed): the verdict says so instead of a slope.
    nothing_finite = not any(math.isfinite(n) and n > 0 for n in expected)
    assert (shown(page)["regime"] == "unknown") == nothing_finite
    if nothing_finite:
        assert page.get_by_test_id("rnn-verdict").text_content().startswith("No finite")


def test_backward_walk_steps_from_T_and_shows_the_apis_norm(page, base_url, api):
    ready(page, base_url, "rnn-vanishing")
    _, expected = api_norms(page, api)
    T = len(expected) - 1
    readout = page.get_by_test_id("rnn-anim-readout")
    for t in (T, T - 1, T - 2):
        page.get_by_test_id("rnn-anim-step").click()
        page.wait_for_selector(f'[data-testid="rnn-anim-readout"][data-t="{t}"]', state="attached")
        assert_close(decode(json.loads(readout.get_attribute("data-norm"))), expected[t])
        assert fmt(expected[t]) in readout.text_content()
        assert "current" in page.get_by_test_id(f"rnn-h-{t}").get_attribute("class")
        assert_close(float(page.get_by_test_id(f"rnn-h-{t}").get_attribute("data-norm")), expected[t])
    # Steps the sweep has not reached yet show no number.
    assert page.get_by_test_id(f"rnn-h-{T - 3}").get_attribute("data-norm") == ""
    # The formula is the recursion at this step: ∂f/∂h_t = W_hhᵀ (b′(z_{t+1}) ⊙ ∂f/∂h_{t+1}).
    formula = page.get_by_test_id("rnn-formula").text_content()
    assert f"∂f∂h{T - 2}=WhhT(b′(z{T - 1})⊙∂f∂h{T - 1})" in formula


def test_changing_the_activation_redraws_with_the_apis_numbers(page, base_url, api):
    ready(page, base_url, "rnn-vanishing")
    wait_shown(page, activation="identity")
    before = shown(page)["norms"]
    page.get_by_test_id("rnn-activation").select_option("tanh")
    wait_shown(page, activation="tanh")
    after = shown(page)["norms"]
    body, expected = api_norms(page, api)
    assert body["network"]["activation"] == "tanh"
    assert_close(after, expected, rel=1e-9)
    assert not math.isclose(after[0], before[0], rel_tol=1e-6)


def test_a_copied_link_reopens_the_same_rho_activation_and_T(page, base_url, api):
    ready(page, base_url, "rnn-vanishing")
    page.get_by_test_id("rnn-rho").fill("1.5")
    page.get_by_test_id("rnn-activation").select_option("tanh")
    page.get_by_test_id("rnn-steps-value").fill("45")
    page.get_by_test_id("rnn-steps-value").press("Enter")
    wait_shown(page, rho="1.5", activation="tanh", steps="45")
    page.get_by_test_id("rnn-steps-value").blur()
    page.wait_for_function("new URLSearchParams(location.search).has('s')")
    first = shown(page)["norms"]
    page.goto(page.url)
    page.wait_for_selector("body[data-ready=true]", state="attached")
    wait_shown(page, rho="1.5", activation="tanh", steps="45")
    assert page.get_by_test_id("rnn-steps").input_value() == "45"
    assert_close(shown(page)["norms"], first, rel=1e-12)
