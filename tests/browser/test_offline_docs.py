"""/docs and /redoc render the API's operations with no network: their assets come from the
app's own /vendor files."""

from offline import loopback_only


def test_swagger_ui_renders_offline(page, base_url):
    blocked = loopback_only(page)
    page.goto(f"{base_url}/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    paths = page.eval_on_selector_all(".opblock-summary-path", "els => els.map(e => e.textContent)")
    assert "/api/v1/backprop" in " ".join(paths) and len(paths) > 15
    assert blocked == []


def test_redoc_renders_offline(page, base_url):
    blocked = loopback_only(page)
    page.goto(f"{base_url}/redoc")
    page.wait_for_selector("[data-section-id^='tag/']", timeout=30_000)
    text = page.locator("#redoc").inner_text()
    assert "/api/v1/backprop" in text or "One forward and one backward pass" in text
    assert blocked == []  # not even ReDoc's footer logo (static/js/docs/redoc.js)
