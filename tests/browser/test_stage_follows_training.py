"""The stage shows the network being trained (issue 9, item 4): after training, the stage's
f is the panel's f, not "f = ? (not computed yet)" of the preset's first iteration; and an
update stepped on the stage is one more step of the panel's run."""

import math

from pagetools import FORMULA, open_preset, train_until

SCENE = '[data-testid="scene"]'


def _stage_loss(page):
    return float(page.get_attribute('[data-testid="loss"]', "data-value"))


def test_after_training_the_stage_shows_the_trained_network_and_its_f(page, base_url, api):
    open_preset(page, base_url, "two-moons")
    page.wait_for_selector(f"{SCENE}[data-ready=true]")
    train_until(page, 100)
    page.wait_for_selector(f"{SCENE}[data-busy=false]", state="attached")
    panel_f = float(page.get_by_test_id("train-loss").get_attribute("data-value"))
    page.wait_for_function("document.querySelector('[data-testid=loss]').dataset.value !== ''")
    # The same network's forward pass on the same data: equal up to rounding.
    assert math.isclose(_stage_loss(page), panel_f, rel_tol=1e-9)
    assert "not computed" not in page.get_by_test_id("loss").text_content()
    state = page.eval_on_selector(FORMULA, "el => ({...el.dataset})")
    assert state["phase"] == "forward" and state["node"] == "loss"
    # The stage's W1 is the trained one, not the preset's initial weights.
    sid = page.get_attribute(SCENE, "data-session")
    trained = api.get(f"/api/v1/sessions/{sid}").json()
    assert trained["step"] == int(page.get_by_test_id("train-step").text_content()) >= 100


def test_an_update_stepped_on_the_stage_is_one_more_training_step(page, base_url, api):
    open_preset(page, base_url, "two-moons")
    page.wait_for_selector(f"{SCENE}[data-ready=true]")
    train_until(page, 50)
    page.wait_for_selector(f"{SCENE}[data-busy=false]", state="attached")
    before = int(page.get_by_test_id("train-step").text_content())
    # The stage has followed the paused run once it stands at its f (the forward pass's end).
    page.wait_for_function(f"document.querySelector('{FORMULA}').dataset.node === 'loss'")
    # From the end of the forward pass, End reaches the end of the backward pass, then the
    # end of the update; each press waits for the last (a third one, while the update was
    # on its way, could go on into the next iteration and leave the update behind).
    for phase in ("backward", "update"):
        page.keyboard.press("End")
        page.wait_for_function(f"document.querySelector('{FORMULA}').dataset.phase === '{phase}'")
    page.wait_for_function(f"Number(document.querySelector('[data-testid=train-step]').textContent) === {before + 1}")
    sid = page.get_attribute(SCENE, "data-session")
    state = api.get(f"/api/v1/sessions/{sid}").json()
    assert state["step"] == before + 1
    after = float(page.get_by_test_id("train-loss").get_attribute("data-value"))
    assert math.isclose(after, float(page.get_attribute('[data-testid="loss"]', "data-loss-after")), rel_tol=1e-12)


def test_before_training_the_panel_shows_the_f_the_header_shows(page, base_url):
    # The panel said "step 0, f = –" beside a header reading f = 0.8995.
    page.goto(f"{base_url}/?preset=two-moons")
    page.wait_for_selector(f"{SCENE}[data-ready=true]", state="attached")
    page.wait_for_function("document.querySelector('[data-testid=train-loss]').dataset.value !== ''")
    panel_f = float(page.get_by_test_id("train-loss").get_attribute("data-value"))
    header = page.get_by_test_id("loss")
    page.keyboard.press("End")  # the forward pass computes f on the stage
    page.wait_for_function("document.querySelector('[data-testid=loss]').textContent.includes('=')"
                           " && !document.querySelector('[data-testid=loss]').textContent.includes('?')")
    shown = float(header.text_content().split("=")[1].split()[0].replace("−", "-"))
    assert page.get_by_test_id("train-step").text_content() == "0"
    assert abs(shown - panel_f) <= 1e-4 * abs(panel_f), (shown, panel_f)  # the header rounds to 4 digits
