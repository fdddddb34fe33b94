"""A keyboard that never traps: digits open the ten lecture scenes of CLASSROOM.md, `/` the
first, the picker numbers its groups by those keys, → steps after a scene is chosen in the
picker, and Esc leaves presenter mode."""

import re

from playwright.sync_api import expect

from pagetools import FORMULA, open_preset

# CLASSROOM.md's ten scenes: the preset each digit opens.
DIGITS = {"1": "why-backprop", "2": "linear-warmup", "3": "tanh-mlp", "4": "two-moons",
          "5": "deep-sigmoid", "6": "skip-connection", "7": "conv1d", "8": "rnn-vanishing",
          "9": "rnn-clipping", "0": "hessian"}


def _loaded(page, name):
    # (not location.search: the default scene, linear-warmup, leaves preset= out of the URL)
    page.wait_for_function(f"document.body.dataset.preset === '{name}'")
    expect(page.get_by_test_id("preset-select")).to_have_value(name)
    page.wait_for_function(f"document.querySelector('{FORMULA}').dataset.step === '1'")


def test_digits_open_the_ten_lecture_scenes(page, base_url):
    open_preset(page, base_url, "linear-warmup")
    for key, name in DIGITS.items():
        page.keyboard.press(key)
        _loaded(page, name)
    page.keyboard.press("/")
    _loaded(page, "why-backprop")


def test_the_picker_lists_every_preset_under_its_numbered_scene(page, base_url, api):
    open_preset(page, base_url, "linear-warmup")
    groups = page.eval_on_selector_all('[data-testid="preset-select"] optgroup', """gs => gs.map(g =>
        ({label: g.label, names: [...g.querySelectorAll('option')].map(o => o.value)}))""")
    assert [g["label"].split(" · ")[0] for g in groups] == list(DIGITS)
    assert groups[7]["label"] == "8 · RNNs" and groups[7]["names"][0] == "rnn-vanishing"
    listed = [p["name"] for p in api.get("/api/v1/presets").json()]
    assert [n for g in groups for n in g["names"]] == listed  # all 17, in lecture order


def test_arrow_steps_after_choosing_a_scene_in_the_picker(page, base_url):
    open_preset(page, base_url, "linear-warmup")
    page.get_by_test_id("preset-select").select_option("tanh-mlp")
    _loaded(page, "tanh-mlp")
    for n in (2, 3):
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"document.querySelector('{FORMULA}').dataset.step === '{n}'")
    expect(page.get_by_test_id("preset-select")).to_have_value("tanh-mlp")


def test_escape_leaves_presenter_mode(page, base_url):
    open_preset(page, base_url, "tanh-mlp")
    page.keyboard.press("p")
    expect(page.locator("body")).to_have_class(re.compile("presenting"))
    page.keyboard.press("Escape")
    expect(page.locator("body")).not_to_have_class(re.compile("presenting"))
    expect(page.get_by_test_id("present-toggle")).to_have_attribute("aria-pressed", "false")


def test_step_index_counts_the_steps_of_the_iteration(page, base_url):
    open_preset(page, base_url, "tanh-mlp")
    index = page.get_by_test_id("step-index")
    first = index.text_content()
    n, total = (int(v) for v in first.split(" / "))
    assert n == 1 and total > 10
    box = index.bounding_box()
    for step in (2, 3):
        page.keyboard.press("ArrowRight")
        expect(index).to_have_text(f"{step} / {total}")
    assert index.bounding_box() == box  # fixed width: nothing beside it moves
    # The total is the whole iteration (forward, backward, update) from its first step, and
    # the next iteration counts from 1 again with the same total.
    for step in range(4, total + 1):
        page.keyboard.press("ArrowRight")
        expect(index).to_have_text(f"{step} / {total}")
    page.keyboard.press("ArrowRight")
    expect(index).to_have_text(f"1 / {total}")
