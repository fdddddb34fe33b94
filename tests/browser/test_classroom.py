"""Classroom features: presenter mode, scene keys, and a share link that reopens the same step."""

from playwright.sync_api import expect


def _open(page, base_url, query=""):
    page.goto(f"{base_url}/{query}")
    page.wait_for_selector("body[data-ready=true]")


def test_presenter_hides_controls_and_number_keys_jump(page, base_url, api):
    presets = api.get("/api/v1/presets").json()
    _open(page, base_url, "?present=1")
    toolbar = page.locator(".toolbar")
    expect(toolbar).to_have_css("opacity", "0")
    page.keyboard.press("3")
    expect(page.get_by_test_id("preset-select")).to_have_value(presets[2]["name"])
    expect(page.get_by_test_id("scene-counter")).to_contain_text(f"3 / {len(presets)}")
    toolbar.hover()
    expect(toolbar).to_have_css("opacity", "1")


def test_shared_link_reopens_the_same_step(page, base_url, browser):
    _open(page, base_url, "?preset=tanh-mlp")
    for _ in range(12):
        page.get_by_test_id("step-forward").click()
    page.wait_for_function("location.search.includes('step=12')")
    phase = page.get_by_test_id("phase").text_content()
    read = "e => [e.dataset.value, e.dataset.phase, e.dataset.iteration, e.dataset.node]"
    values = page.get_by_test_id("formula").evaluate(read)
    assert values[0] and values[1] in ("forward", "backward", "update")
    other = browser.new_page()
    other.goto(page.url)
    other.wait_for_selector("body[data-ready=true]")
    assert other.get_by_test_id("phase").text_content() == phase
    assert other.get_by_test_id("formula").evaluate(read) == values
    other.close()
