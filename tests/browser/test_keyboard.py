"""Keyboard only, never the mouse: every control is reached by Tab with a visible focus
ring and an accessible name; the preset picker, → ← space, number keys and presenter mode
work from the keyboard; the live region narrates each step with the formula's number."""

import re

import pytest
from playwright.sync_api import expect

from pagetools import FORMULA, expected_trace, fmt, formula_state

SCENE = '[data-testid="scene"]'
INTERACTIVE = ("button, select, input, textarea, summary, a[href], [tabindex]:not([tabindex='-1'])")

# What the focused element shows: a ring (outline or box-shadow) and where it is.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  el.dataset.kbVisited = "1";
  const cs = getComputedStyle(el);
  const ring = (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2)
    || (cs.boxShadow !== "none" && cs.boxShadow !== "");
  return { key: el.dataset.testid || el.outerHTML.slice(0, 80), ring };
}"""

# Every visible, enabled control of the page that Tab never reached.
MISSED = """(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => !el.disabled && el.getClientRects().length && !el.closest('[hidden]')
    && getComputedStyle(el).visibility !== 'hidden' && !el.dataset.kbVisited)
  .map((el) => el.dataset.testid || el.outerHTML.slice(0, 80))"""


def walk(page, limit=400):
    """Tabs through the whole page once; returns the focused elements in order."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUSED)
        if info is None:
            continue
        if seen and info["key"] == seen[0]["key"]:
            break
        assert info["ring"], f"no visible focus ring on {info['key']}"
        try:
            expect(page.locator(":focus")).to_have_accessible_name(re.compile(r"\S"), timeout=500)
        except AssertionError:
            raise AssertionError(f"no accessible name: {info['key']}") from None
        seen.append(info)
    return seen


TOOLBAR = ("preset-select", "step-forward", "play", "present-toggle", "copy-link", "export-png")
PANELS = {
    "two-moons": ("train", "train-units-plus-0", "train-unit-a1-0", "train-export-png"),
    "skip-connection": ("graph-run", "unit-a1-0"),
    "conv1d": ("conv-next", "conv-play"),
}


@pytest.mark.parametrize("preset", list(PANELS))
def test_tab_reaches_every_control_with_a_ring_and_a_name(page, base_url, preset):
    page.goto(f"{base_url}/?preset={preset}")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    if preset == "two-moons":
        page.wait_for_selector(f"{SCENE}[data-ready=true]", state="attached")
    else:
        page.get_by_test_id(PANELS[preset][0]).wait_for()
    keys = [s["key"] for s in walk(page)]
    for testid in TOOLBAR + PANELS[preset]:
        assert testid in keys, f"{testid} is not reachable by Tab"
    assert page.evaluate(MISSED, INTERACTIVE) == []


def test_a_unit_thumbnail_opens_from_the_keyboard(page, base_url):
    page.goto(f"{base_url}/?preset=two-moons")
    page.wait_for_selector(f"{SCENE}[data-ready=true]", state="attached")
    page.get_by_test_id("train-unit-a1-2").focus()
    page.keyboard.press("Enter")
    big = page.get_by_test_id("train-unit-big")
    expect(big).to_be_visible()
    assert big.get_attribute("data-unit") == "a1:2"


def test_space_presses_a_panel_button_not_the_player(page, base_url):
    page.goto(f"{base_url}/?preset=two-moons")
    page.wait_for_selector(f"{SCENE}[data-ready=true]", state="attached")
    _focus(page, "train")
    page.keyboard.press(" ")
    page.wait_for_function("Number(document.querySelector('[data-testid=train-step]').textContent) > 0")
    page.keyboard.press(" ")
    page.wait_for_selector(f"{SCENE}[data-running=false][data-busy=false]", state="attached")
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")


def _focus(page, testid):
    for _ in range(60):
        if page.evaluate("document.activeElement?.dataset?.testid") == testid:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {testid}")


def test_keyboard_drives_the_lecture_and_the_live_region_narrates(page, base_url, api):
    presets = [p["name"] for p in api.get("/api/v1/presets").json()]
    page.goto(f"{base_url}/?preset=linear-warmup")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    _focus(page, "preset-select")
    page.keyboard.press("ArrowDown")
    nxt = presets[presets.index("linear-warmup") + 1]
    page.wait_for_function(f"location.search.includes('preset={nxt}')")
    expect(page.get_by_test_id("preset-select")).to_have_value(nxt)
    page.wait_for_function(f"document.querySelector('{FORMULA}').dataset.step === '1'")
    # Leave the picker (where arrows choose a scene) for the play button.
    _focus(page, "play")
    _, trace = expected_trace(api, nxt)
    backward = None
    for n in range(2, 40):
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"document.querySelector('{FORMULA}').dataset.step === '{n}'")
        state = formula_state(page)
        if state["phase"] == "backward" and re.fullmatch(r"z\d+", state["node"]):
            backward = state
            break
    assert backward, "no backward step on a z node"
    node = backward["node"]
    first = trace["grads"][node][0][0]
    narration = page.get_by_test_id("narration").text_content()
    subscript = "".join("₀₁₂₃₄₅₆₇₈₉"[int(d)] for d in node[1:])
    assert narration.startswith(f"∂f/∂z{subscript} = {fmt(first)}"), narration
    assert page.get_by_test_id("narration").get_attribute("aria-live") == "polite"
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"document.querySelector('{FORMULA}').dataset.step === '{n - 1}'")
    page.keyboard.press(" ")
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press(" ")
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    page.keyboard.press("p")
    expect(page.locator("body")).to_have_class(re.compile("presenting"))
    # The hidden toolbar comes back when the keyboard reaches it, not only on hover.
    _focus(page, "step-forward")
    expect(page.locator(".toolbar")).to_have_css("opacity", "1")
    page.keyboard.press("1")
    expect(page.get_by_test_id("preset-select")).to_have_value(presets[0])
    expect(page.get_by_test_id("scene-counter")).to_contain_text(f"1 / {len(presets)}")
    page.keyboard.press("p")
    expect(page.locator("body")).not_to_have_class(re.compile("presenting"))
