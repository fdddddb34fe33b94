"""A phone (390×844): no page scrolls sideways, the step controls are under the thumb, and
an equation too wide for the screen scrolls inside its own box (issue 9, item 13)."""

import pytest

from pagetools import FORMULA, open_preset

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, bypass_csp=True, has_touch=True, is_mobile=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    yield page
    context.close()
    assert not errors, errors


def _open(page, base_url, name):
    open_preset(page, base_url, name)
    page.wait_for_function(f"document.body.dataset.preset === '{name}'")
    page.wait_for_timeout(300)


WIDTH = """() => ({ doc: document.scrollingElement.scrollWidth,
  wide: [...document.querySelectorAll('body *')].filter((el) => el.getClientRects().length
      && !el.closest('.formula-body, .graph-panel, [data-scroll-x]')
      && el.getBoundingClientRect().right > innerWidth + 1)
    .slice(0, 5).map((el) => el.dataset.testid || el.className?.baseVal || el.className || el.tagName) })"""


def test_no_preset_scrolls_sideways(phone, base_url, api):
    wide = []
    for p in api.get("/api/v1/presets").json():
        _open(phone, base_url, p["name"])
        width = phone.evaluate(WIDTH)
        if width["doc"] > PHONE["width"]:
            wide.append((p["name"], width["doc"], width["wide"]))
    assert not wide, f"(preset, page width, widest): {wide}"


def _thumb_bar(page):
    boxes = {t: page.get_by_test_id(t).bounding_box() for t in ("step-back", "play", "step-forward")}
    for testid, box in boxes.items():
        assert box["width"] >= 44 and box["height"] >= 44, f"{testid} is {box}"
        assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"], f"{testid} at {box}"
        assert box["y"] > PHONE["height"] / 2, f"{testid} is out of the thumb's reach at {box}"
    return boxes


@pytest.mark.parametrize("name", ["tanh-mlp", "two-moons"])
def test_the_step_controls_stay_under_the_thumb(phone, base_url, name):
    _open(phone, base_url, name)
    top = _thumb_bar(phone)
    phone.evaluate("window.scrollTo(0, document.scrollingElement.scrollHeight)")
    phone.wait_for_timeout(100)
    assert _thumb_bar(phone) == top, "the bar moved when the page scrolled"
    before = phone.eval_on_selector(FORMULA, "el => el.dataset.step")
    phone.get_by_test_id("step-forward").tap()
    phone.wait_for_function(f"document.querySelector('{FORMULA}').dataset.step === '{int(before) + 1}'")


def test_a_wide_equation_scrolls_in_its_own_box(phone, base_url):
    # tanh-mlp's first forward steps show matrices wider than a phone.
    _open(phone, base_url, "tanh-mlp")
    for _ in range(3):
        phone.keyboard.press("ArrowRight")
    phone.wait_for_function(f"document.querySelector('{FORMULA}').dataset.step === '4'")
    body = phone.eval_on_selector(".formula-body", """el => ({ overflow: getComputedStyle(el).overflowX,
        scroll: el.scrollWidth, client: el.clientWidth, right: el.getBoundingClientRect().right })""")
    assert body["overflow"] == "auto"
    assert body["right"] <= PHONE["width"]
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    # the equation is not shrunk to dust to fit: it stays readable and scrolls instead
    math_px = phone.eval_on_selector(".formula-body math", "el => parseFloat(getComputedStyle(el).fontSize)")
    assert math_px >= 16


@pytest.mark.parametrize("name", ["linear-warmup", "tanh-mlp", "deep-sigmoid"])
def test_the_network_is_on_the_first_screen_without_a_blank_band(phone, base_url, name):
    # The settings sit two by two and the stage takes the drawing's shape, so the network
    # starts on the first screen, above the step bar, and fills the box it is drawn in.
    _open(phone, base_url, name)
    graph = phone.get_by_test_id("graph").bounding_box()
    bar = phone.get_by_test_id("step-forward").bounding_box()
    assert graph["y"] + graph["height"] / 2 < bar["y"], (graph, bar)
    w, h = (float(v) for v in phone.get_by_test_id("graph").get_attribute("viewBox").split()[2:])
    drawn = min(graph["width"], graph["height"] * w / h) * h / w  # height of the drawing, as fitted
    assert graph["height"] <= drawn * 1.05 + 2, (graph, w, h)
