"""A link is bounded in the work it causes, and a session the server no longer knows is
rebuilt from the page's own record, never shown as a raw 404 (issue 9, "One store")."""

import math
import time

from pagetools import FORMULA, formula_state, open_preset, step, train_until

SCENE = '[data-testid="scene"]'


def _expected_404s(page, at_most):
    """Chromium logs the 404 that tells the page its session is gone as a failed resource:
    those lines (one per lost session) are expected, and only they."""
    expected = [e for e in page.errors if "status of 404" in e]
    assert 1 <= len(expected) <= at_most
    page.errors[:] = [e for e in page.errors if e not in expected]


def test_a_huge_step_in_a_link_replays_ten_iterations_at_most(page, base_url):
    requests = []
    page.on("request", lambda r: "/api/v1/sessions/" in r.url and requests.append(r.url))
    open_preset(page, base_url, "tanh-mlp", "&step=100000")
    page.wait_for_function(f"document.querySelector('{FORMULA}').dataset.step !== '1'")
    error = page.get_by_test_id("error")
    assert error.is_visible() and "at most 10 iterations" in error.text_content()
    # forward + backward + step per iteration, for 10 iterations and the 11th's trace.
    assert len([u for u in requests if u.endswith(("/forward", "/backward", "/step"))]) <= 3 * 11
    assert formula_state(page)["phase"] == "update"


def test_the_stage_rebuilds_a_session_the_server_lost(page, base_url, api):
    open_preset(page, base_url, "tanh-mlp")
    for _ in range(30):  # through the first update, into the second iteration
        state = step(page)
    # Delete every session the page made, as an expiry would, then go on stepping.
    ids = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)"
                        ".filter(u => /sessions\\/[^/]+\\/forward$/.test(u)).map(u => u.split('/').at(-2))")
    for i in set(ids):
        api.delete(f"/api/v1/sessions/{i}")
    before = state
    for _ in range(25):
        state = step(page)
    assert page.get_by_test_id("error").is_hidden()
    assert state["step"] == before["step"] + 25
    _expected_404s(page, 1)


def test_the_training_panel_rebuilds_a_session_the_server_lost(page, base_url, api):
    open_preset(page, base_url, "two-moons")
    page.wait_for_selector(f"{SCENE}[data-ready=true]")
    train_until(page, 60)
    page.wait_for_selector(f"{SCENE}[data-busy=false]", state="attached")
    old = page.get_attribute(SCENE, "data-session")
    kept = api.get(f"/api/v1/sessions/{old}").json()
    api.delete(f"/api/v1/sessions/{old}")
    train_until(page, kept["step"] + 20)
    page.wait_for_selector(f"{SCENE}[data-busy=false]", state="attached")
    new = page.get_attribute(SCENE, "data-session")
    assert new != old and page.get_by_test_id("train-csv-error").text_content() == ""
    history = api.get(f"/api/v1/sessions/{new}").json()["loss_history"]
    # The rebuilt run replayed the same steps: the same losses, up to rounding.
    assert all(math.isclose(a, b, rel_tol=1e-9) for a, b in zip(history, kept["loss_history"]))
    assert len(history) > len(kept["loss_history"])
    _expected_404s(page, 1)


def _made_sessions(page):
    made = []

    def heard(response):
        if response.request.method == "POST" and response.url.endswith("/api/v1/sessions") and response.status == 201:
            made.append(response.json()["id"])
    page.on("response", heard)
    return made


def _alive(api, ids, settled):
    """The ids the server still knows, once `settled(alive)` holds (a DELETE the page sent
    may still be on its way), or after 5 s."""
    deadline = time.monotonic() + 5
    while True:
        alive = [i for i in ids if api.get(f"/api/v1/sessions/{i}").status_code == 200]
        if settled(alive) or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def test_a_reload_leaves_no_session_of_the_page_before_behind(page, base_url, api):
    made = _made_sessions(page)
    page.goto(f"{base_url}/?preset=two-moons")
    page.wait_for_selector(f"{SCENE}[data-ready=true]", state="attached")
    page.wait_for_function("document.body.dataset.preset === 'two-moons'")
    # The stage's preset session is handed over to the training panel's: one stays.
    page.wait_for_function("document.querySelector('[data-testid=scene]').dataset.session !== undefined")
    first = list(made)
    assert len(_alive(api, first, lambda alive: len(alive) == 1)) == 1, first
    made.clear()
    page.reload()
    page.wait_for_selector(f"{SCENE}[data-ready=true]", state="attached")
    assert _alive(api, first, lambda alive: not alive) == [], "a reload left the previous page's sessions behind"
    assert len(_alive(api, made, lambda alive: len(alive) == 1)) == 1
