"""The page states each preset's claim, and says so when a changed run contradicts it."""

from pagetools import open_preset

CLAIM = '[data-testid="claim"]'


def test_every_preset_shows_its_claim(page, base_url, api):
    for name in ("why-backprop", "two-moons", "rnn-vanishing", "remember-first", "hessian"):
        preset = api.get(f"/api/v1/presets/{name}").json()
        open_preset(page, base_url, name)
        assert page.locator(CLAIM).text_content() == f"Claim: {preset['claim']}"


def _reset_weights(page, times):
    for _ in range(times):
        page.get_by_test_id("train-reset").click()


def test_new_weights_are_checked_against_the_claim(page, base_url, api):
    open_preset(page, base_url, "two-moons")
    _reset_weights(page, 1)  # the preset's seed 1 -> 2, one of the seeds CI checks
    page.wait_for_selector(f'{CLAIM}[data-kind="holds"]', state="attached", timeout=30_000)
    text = page.locator(CLAIM).text_content()
    expected = api.post("/api/v1/presets/two-moons/check", json={"seed": 2}).json()
    assert "With weight seed 2: the claim holds" in text
    assert f"{expected['measures'][0]['value']:.4g}"[:4] in text
    # ... and beside the button that drew the weights, where the student is looking.
    near = page.get_by_test_id("claim-verdict")
    assert near.get_attribute("data-kind") == "holds" and "seed 2: the claim holds" in near.text_content()


def test_a_seed_that_breaks_the_lesson_is_said_to(page, base_url, api):
    # No seed reliably breaks two-moons' claim: the few that end under 95 % do so by one or
    # two points of 200, which another BLAS kernel flips (seed 76: 94.5 % on one machine,
    # 96.5 % on another). So the server's verdict for the last seed is rewritten to a
    # contradiction here; the server's own verdicts are tested in tests/api/test_lessons.py.
    def contradict_seed_6(route):
        answer = route.fetch().json()
        if route.request.post_data_json.get("seed") == 6:
            answer["holds"] = False
            answer["measures"][0].update(value=0.945, holds=False)
        route.fulfill(json=answer)

    page.route("**/api/v1/presets/two-moons/check", contradict_seed_6)
    open_preset(page, base_url, "two-moons")
    _reset_weights(page, 5)  # seeds 2 … 6: only the last seed's verdict may be shown
    page.wait_for_function(f"document.querySelector('{CLAIM}').textContent.includes('seed 6')",
                           timeout=60_000)
    claim = page.locator(CLAIM)
    assert claim.get_attribute("data-kind") == "contradicts"
    assert "contradicts the claim" in claim.text_content() and "0.945" in claim.text_content()
    near = page.get_by_test_id("claim-verdict")
    assert near.get_attribute("data-kind") == "contradicts" and "seed 6" in near.text_content()
    # Earlier seeds' checks may still be in flight: let them go unrouted, not fail the next
    # test's setup when this page's context closes under the handler.
    page.unroute_all(behavior="ignoreErrors")
