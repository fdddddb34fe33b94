"""The page and the API docs work under the app's Content-Security-Policy: every preset
opens, and the docs render, with no CSP violation (each also a console error, which fails
the test through conftest.py)."""

import pytest

from pagetools import open_preset

# Playwright's init scripts run outside the page's CSP, so this listener sees every refusal.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(`${e.violatedDirective}: ${e.blockedURI}`));
"""


@pytest.fixture
def watched(strict_page):
    """The page under the CSP, recording violations in window.__csp from before any script runs."""
    strict_page.add_init_script(RECORD_VIOLATIONS)
    return strict_page


def _enforced(response):
    """The answer carried the CSP this test is about: scripts from 'self' only."""
    directives = (d.split() for d in response.headers["content-security-policy"].split(";"))
    assert {d[0]: d[1:] for d in directives if d}["script-src"] == ["'self'"]


def test_every_preset_opens_under_the_csp(watched, base_url, api):
    presets = [p["name"] for p in api.get("/api/v1/presets").json()]
    assert len(presets) == 17
    for name in presets:
        response = watched.goto(f"{base_url}/?preset={name}")
        _enforced(response)
        watched.wait_for_selector("body[data-ready=true]", state="attached")
        watched.wait_for_load_state("networkidle")  # the scene's own requests and drawing
        assert watched.evaluate("window.__csp") == [], name
    open_preset(watched, base_url, "skip-connection")  # dagre laid the graph out
    assert watched.locator('[data-testid="graph"] [data-testid^="node-"]').count() >= 10
    open_preset(watched, base_url, "two-moons")  # and uPlot drew the loss chart
    watched.wait_for_selector('[data-testid="scene"] .uplot canvas', state="attached")


@pytest.mark.parametrize("path,ready", [("/docs", ".opblock"),
                                        ("/redoc", "[data-section-id^='tag/']")])
def test_docs_render_under_the_csp(watched, base_url, path, ready):
    response = watched.goto(f"{base_url}{path}")
    _enforced(response)
    watched.wait_for_selector(ready, timeout=30_000)
    watched.wait_for_load_state("networkidle")
    assert watched.evaluate("window.__csp") == []
