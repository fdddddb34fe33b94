"""Share links of an edited training setup: the `s=` parameter reopens the same network,
data, training and step; a damaged or oversized one says so and falls back."""

import math

from pagetools import open_preset

SCENE = '[data-testid="scene"]'


def ready(page, base_url, query):
    page.goto(f"{base_url}/?preset=two-moons{query}")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.wait_for_selector(f"{SCENE}[data-ready=true]", state="attached")


def train_until(page, steps):
    page.get_by_test_id("train-play").click()
    page.wait_for_function(
        f"Number(document.querySelector('[data-testid=train-step]').textContent) >= {steps}")
    page.get_by_test_id("train-play").click()
    page.wait_for_selector(f"{SCENE}[data-running=false][data-busy=false]", state="attached")


def shown(page):
    return (int(page.get_by_test_id("train-step").text_content()),
            float(page.get_by_test_id("train-loss").get_attribute("data-value")),
            page.get_attribute(SCENE, "data-network"))


def test_an_edited_trained_setup_reopens_with_the_same_loss_and_step(page, base_url, browser, api):
    ready(page, base_url, "")
    first = page.get_attribute(SCENE, "data-session")
    page.get_by_test_id("train-dataset").select_option("circles")
    page.wait_for_function(f"document.querySelector('{SCENE}').dataset.session !== '{first}'")
    page.get_by_test_id("train-noise").fill("0.2")
    page.get_by_test_id("train-noise").press("Tab")
    page.get_by_test_id("train-activation").select_option("relu")
    page.get_by_test_id("train-units-plus-0").click()
    page.wait_for_function(f"JSON.parse(document.querySelector('{SCENE}').dataset.network).sizes[1] === 9")
    page.get_by_test_id("train-batch").select_option("16")
    train_until(page, 30)
    # A change of η half-way: the link must replay both stretches.
    page.get_by_test_id("train-lr").fill("0.05")
    page.get_by_test_id("train-lr").press("Tab")
    train_until(page, 60)
    step, loss, network = shown(page)
    page.wait_for_function("new URLSearchParams(location.search).has('s')")
    page.get_by_test_id("copy-link").click()
    page.get_by_test_id("copy-status").filter(has_text="link").wait_for()
    url = page.get_by_test_id("share-url").input_value()
    assert url == page.url and "s=1." in url
    assert len(url) < 2000
    other = browser.new_page()
    errors = []
    other.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    other.goto(url)
    other.wait_for_selector(f"{SCENE}[data-ready=true]", state="attached")
    again = shown(other)
    assert again[0] == step and again[2] == network
    assert math.isclose(again[1], loss, rel_tol=0, abs_tol=1e-12)
    assert other.get_by_test_id("train-dataset").input_value() == "circles"
    assert other.get_by_test_id("train-lr").input_value() == "0.05"
    sid = other.get_attribute(SCENE, "data-session")
    assert api.get(f"/api/v1/sessions/{sid}").json()["step"] == step
    assert not errors
    other.close()


def test_a_damaged_or_oversized_link_says_so_and_falls_back(page, base_url):
    for bad, words in (("1.q1YqU7Iy1FHKyExJ", "damaged"), ("1." + "A" * 7000, "at most 6000"),
                       ("9.abc", "not one this page reads")):
        ready(page, base_url, f"&s={bad}")
        note = page.get_by_test_id("train-share-note")
        assert words in note.text_content() and "scene's own setup" in note.text_content()
        network = page.get_attribute(SCENE, "data-network")
        assert '"sizes":[2,8,8,1]' in network
        # The URL now carries the scene's own setup instead of the damaged one.
        assert bad not in page.url
