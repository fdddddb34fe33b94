"""Share links of an edited training setup: the `s=` parameter reopens the same network,
data, training and step; a damaged or oversized one says so and falls back."""

import math

from pagetools import open_preset, train_until

SCENE = '[data-testid="scene"]'


def ready(page, base_url, query):
    page.goto(f"{base_url}/?preset=two-moons{query}")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.wait_for_selector(f"{SCENE}[data-ready=true]", state="attached")



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
    page.get_by_test_id("train-data-seed").fill("7")
    page.get_by_test_id("train-data-seed").press("Tab")
    page.get_by_test_id("train-activation").select_option("relu")
    page.get_by_test_id("train-units-plus-0").click()
    page.wait_for_function(f"JSON.parse(document.querySelector('{SCENE}').dataset.network).sizes[1] === 9")
    page.get_by_test_id("train-batch").select_option("16")
    train_until(page, 30)
    # A change of η half-way: the link must replay both stretches.
    page.get_by_test_id("lr").fill("0.05")
    page.get_by_test_id("lr").press("Tab")
    train_until(page, 60)
    step, loss, network = shown(page)
    page.wait_for_selector(f"{SCENE}[data-shared-step='{step}']", state="attached")
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
    assert other.get_by_test_id("lr").input_value() == "0.05"
    assert other.get_by_test_id("train-data-seed").input_value() == "7"
    # The reopened page asked for the same seeded data.
    assert other.evaluate("performance.getEntriesByType('resource')"
                          ".some((e) => e.name.includes('/datasets/circles?n=200&noise=0.2&seed=7'))")
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


def _reopen(browser, url):
    other = browser.new_page()
    errors = []
    other.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    other.goto(url)
    other.wait_for_selector(f"{SCENE}[data-ready=true]", state="attached")
    return other, errors


def test_a_small_csv_travels_in_the_link_and_a_large_one_says_it_cannot(page, base_url, browser):
    ready(page, base_url, "")
    rows = "\n".join(f"{i / 10},{(i * 7 % 11) / 10},{i % 2}" for i in range(24))
    page.get_by_test_id("train-csv").set_input_files(
        files=[{"name": "small.csv", "mimeType": "text/csv", "buffer": f"a,b,y\n{rows}\n".encode()}])
    page.wait_for_function(f"JSON.parse(document.querySelector('{SCENE}').dataset.network).sizes[0] === 2"
                           " && document.querySelector('[data-testid=train-step]').textContent === '0'")
    train_until(page, 20)
    step, loss, network = shown(page)
    page.wait_for_selector(f"{SCENE}[data-shared-step='{step}']", state="attached")
    other, errors = _reopen(browser, page.url)
    again = shown(other)
    assert again[0] == step and again[2] == network and abs(again[1] - loss) <= 1e-12
    assert not errors
    other.close()
    # 600 rows of 17-digit numbers do not fit in a link: the page says so and drops s=.
    big = "\n".join(f"{(i * 0.6180339887498949) % 1},{(i * 0.41421356237309515) % 1},{i % 2}" for i in range(600))
    page.get_by_test_id("train-csv").set_input_files(
        files=[{"name": "big.csv", "mimeType": "text/csv", "buffer": f"a,b,y\n{big}\n".encode()}])
    page.get_by_test_id("train-share-note").filter(has_text="too large for a link").wait_for()
    assert "s=" not in page.url


def test_a_diverged_run_reopens_diverged_at_the_same_step(page, base_url, browser):
    page.goto(f"{base_url}/?preset=diverging")
    page.wait_for_selector(f"{SCENE}[data-ready=true]", state="attached")
    page.get_by_test_id("train").click()
    page.wait_for_selector(f"{SCENE}[data-diverged=true][data-busy=false]", state="attached")
    at = page.get_by_test_id("divergence").get_attribute("data-step")
    step = page.get_by_test_id("train-step").text_content()
    page.wait_for_selector(f"{SCENE}[data-shared-step='{step}']", state="attached")
    other, errors = _reopen(browser, page.url)
    assert other.get_attribute(SCENE, "data-diverged") == "true"
    assert other.get_by_test_id("divergence").get_attribute("data-step") == at
    assert other.get_by_test_id("train-step").text_content() == step
    assert not errors
    other.close()
