"""Canvas charts keep their axis labels readable on a slide: presenter mode scales a scene's
panel down to fit (CSS zoom), and a chart's labels are redrawn at ≥ 18 px as shown."""

import pytest

from pagetools import open_preset

SLIDE_MIN_PX = 18
# Presets whose panel draws a canvas chart, and the chart's box.
CHARTS = {"two-moons": "train-loss-chart", "rnn-vanishing": "rnn-chart", "rnn-truncated": "rnn-chart",
          "hessian": "hess-power", "remember-first": "task-chart"}


def _label_px_and_zoom(page, testid):
    return page.evaluate("""(id) => {
        const box = document.querySelector(`[data-testid="${id}"]`);
        const panel = document.querySelector('[data-testid="scene"]');
        return [Number(box.dataset.labelPx), Number(panel.style.zoom || 1)];
    }""", testid)


@pytest.mark.parametrize("preset", sorted(CHARTS))
def test_chart_labels_are_at_least_18_px_on_the_slide(page, base_url, preset):
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_preset(page, base_url, preset, "&present=1")
    testid = CHARTS[preset]
    page.wait_for_selector(f'[data-testid="{testid}"][data-label-px]', state="attached")
    # The panel settles at its zoom within a few frames; the labels follow every change.
    page.wait_for_timeout(500)
    px, zoom = _label_px_and_zoom(page, testid)
    assert zoom < 1, "this preset's panel is scaled to fit: the case the labels must survive"
    assert px * zoom >= SLIDE_MIN_PX - 0.5, (px, zoom)
    page.keyboard.press("Escape")
    page.wait_for_function(f"(b => b.dataset.labelPx === b.dataset.labelBasePx)"
                           f"(document.querySelector('[data-testid={testid}]'))")


def test_a_chart_drawn_on_demand_on_a_slide_has_readable_labels(page, base_url):
    # The δ sweep is drawn when asked, after the panel has settled at its zoom.
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_preset(page, base_url, "why-backprop", "&present=1")
    page.get_by_test_id("nudge-sweep").click()
    page.wait_for_selector('[data-testid="nudge-chart"][data-label-px]', state="attached")
    page.wait_for_timeout(500)
    px, zoom = _label_px_and_zoom(page, "nudge-chart")
    assert zoom < 1 and px * zoom >= SLIDE_MIN_PX - 0.5, (px, zoom)
