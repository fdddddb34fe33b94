"""After a divergence, "Halve η" and "Turn on clipping" go back to the last weights whose
loss was finite and train on from there (issue 9, item 3: they restarted from the initial
weights, so the next run diverged again ten steps later than the first)."""

import numpy as np
import pytest

SCENE = '[data-testid="scene"]'
LR = 5.0  # the diverging preset's η


def _diverged_at(api):
    sid = api.post("/api/v1/sessions", json={"preset": "diverging"}).json()["id"]
    return api.post(f"/api/v1/sessions/{sid}/train", json={"steps": 400, "lr": LR}).json()["divergence"]["step"]


def _weights_after(api, steps):
    """The preset's weights after `steps` updates at η = 5, and the loss before each."""
    sid = api.post("/api/v1/sessions", json={"preset": "diverging"}).json()["id"]
    answer = api.post(f"/api/v1/sessions/{sid}/train", json={"steps": steps, "lr": LR}).json()
    return answer["params"], answer["loss_history"]


def _diverge(page, base_url):
    page.goto(f"{base_url}/?preset=diverging")
    page.wait_for_selector(f"{SCENE}[data-ready=true]")
    page.get_by_test_id("train").click()
    page.wait_for_selector(f"{SCENE}[data-diverged=true][data-busy=false][data-running=false]",
                           state="attached")


@pytest.mark.parametrize("fix", ["train-fix-lr", "train-fix-clip"])
def test_a_fix_resumes_from_the_last_finite_weights(page, base_url, api, fix):
    step = _diverged_at(api)
    _diverge(page, base_url)
    page.get_by_test_id(fix).click()
    page.wait_for_function("document.querySelector('[data-testid=train-fix-note]').textContent !== ''")
    assert page.get_attribute(SCENE, "data-diverged") == "false"
    assert int(page.get_by_test_id("train-step").text_content()) == step - 1
    if fix == "train-fix-lr":
        assert page.get_by_test_id("lr").input_value() == "2.5"
    else:
        assert page.get_by_test_id("train-clip").is_checked()
    shown = api.get(f"/api/v1/sessions/{page.get_attribute(SCENE, 'data-session')}").json()
    want, _ = _weights_after(api, step - 1)
    for name, value in want.items():
        # The same updates in other chunk sizes: equal up to rounding, not bit for bit.
        assert np.allclose(shown["params"][name], value, rtol=1e-9, atol=1e-12), name
    note = page.get_by_test_id("train-fix-note").text_content()
    assert f"step {step - 1}" in note


def test_training_on_after_halving_continues_the_run(page, base_url, api):
    step = _diverged_at(api)
    _diverge(page, base_url)
    page.get_by_test_id("train-fix-lr").click()
    page.wait_for_function("document.querySelector('[data-testid=train-fix-note]').textContent !== ''")
    page.get_by_test_id("train").click()
    page.wait_for_function(f"Number(document.querySelector('[data-testid=train-step]').textContent) > {step + 5}"
                           f" || document.querySelector('{SCENE}').dataset.diverged === 'true'")
    if page.get_attribute(SCENE, "data-running") == "true":
        page.get_by_test_id("train").click()  # pause (a second divergence has paused it already)
    page.wait_for_selector(f"{SCENE}[data-busy=false][data-running=false]", state="attached")
    history = api.get(f"/api/v1/sessions/{page.get_attribute(SCENE, 'data-session')}").json()["loss_history"]
    _, before = _weights_after(api, step)
    # The first step 'step - 1' losses are the η = 5 run's; the next one is that of the last
    # finite weights (trained on at η = 2.5 from there, not from the initial weights).
    assert len(history) > step
    assert np.allclose(history[:step], before[:step], rtol=1e-9)
    assert page.get_by_test_id("train-fix-note").text_content() == ""
