"""Stepping through a preset: phases, numbers equal to the API's, step back, keyboard."""

import pytest

from pagetools import (PRESETS, assert_close, decode, expected_steps, expected_trace,
                        expected_value, formula_state, open_preset, step, step_back)


@pytest.mark.parametrize("name", PRESETS)
def test_preset_draws_one_element_per_graph_node(page, base_url, api, name):
    _, trace = expected_trace(api, name)
    open_preset(page, base_url, name)
    assert page.get_by_test_id("preset-select").input_value() == name
    assert page.get_by_test_id("graph").evaluate("el => el.tagName") == "svg"
    for node in trace["graph"]["nodes"]:
        assert page.get_by_test_id(f"node-{node['id']}").count() == 1, node["id"]
    assert page.get_by_test_id("phase").text_content() == "forward"


@pytest.mark.parametrize("name", PRESETS + ["skip-connection"])
def test_every_formula_shows_the_apis_numbers_in_graph_order(page, base_url, api, name):
    _, trace = expected_trace(api, name)
    open_preset(page, base_url, name)
    shown = [formula_state(page)]
    for _ in expected_steps(trace)[1:]:
        shown.append(step(page))
    assert [(s["phase"], s["node"]) for s in shown] == expected_steps(trace)
    for s in shown:
        assert_close(s["value"], decode(expected_value(trace, s["phase"], s["node"])),
                     path=f"{s['phase']} {s['node']}")
    assert page.get_by_test_id("phase").text_content() == "backward"
    after = step(page)
    assert (after["phase"], page.get_by_test_id("phase").text_content()) == ("update", "update")


def test_keyboard_walks_forward_backward_update_and_back(page, base_url, api):
    _, trace = expected_trace(api, "linear-warmup")
    open_preset(page, base_url, "linear-warmup")
    page.get_by_test_id("graph").click()
    phases = [page.get_by_test_id("phase").text_content()]
    for _ in range(len(expected_steps(trace))):
        step(page, how="key")
        phases.append(page.get_by_test_id("phase").text_content())
    distinct = [p for i, p in enumerate(phases) if i == 0 or p != phases[i - 1]]
    assert distinct == ["forward", "backward", "update"]
    state = step_back(page, how="key")
    assert (state["phase"], state["node"]) == ("backward", "W1")
    assert page.get_by_test_id("phase").text_content() == "backward"


def test_step_back_shows_exactly_the_previous_formula(page, base_url):
    open_preset(page, base_url, "tanh-mlp")
    for _ in range(8):
        step(page)
    formula = page.get_by_test_id("formula")
    before = (formula.inner_html(), formula_state(page))
    step(page)
    assert formula.inner_html() != before[0]
    step_back(page)
    assert (formula.inner_html(), formula_state(page)) == before


def test_space_plays_and_pauses(page, base_url):
    open_preset(page, base_url, "tanh-mlp", "&speed=4")
    page.keyboard.press("Space")
    page.wait_for_function("Number(document.querySelector('[data-testid=formula]').dataset.step) >= 3")
    assert page.get_by_test_id("play").get_attribute("aria-pressed") == "true"
    page.keyboard.press("Space")
    assert page.get_by_test_id("play").get_attribute("aria-pressed") == "false"
    paused_at = formula_state(page)["step"]
    page.wait_for_timeout(600)  # two intervals at 4 steps/s: a running player would move
    assert formula_state(page)["step"] == paused_at


def test_reset_returns_to_the_first_step_with_the_initial_weights(page, base_url, api):
    _, trace = expected_trace(api, "linear-warmup")
    open_preset(page, base_url, "linear-warmup")
    first = formula_state(page)
    for _ in range(len(expected_steps(trace)) + 3):
        step(page)
    page.get_by_test_id("reset").click()
    page.wait_for_function("document.querySelector('[data-testid=formula]').dataset.step === '1'"
                           " && document.querySelector('[data-testid=formula]').dataset.iteration === '0'")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    again = formula_state(page)
    assert (again["node"], again["value"]) == (first["node"], first["value"])
    assert page.get_by_test_id("phase").text_content() == "forward"


def test_every_listed_preset_opens_and_steps_without_errors(page, base_url, api):
    for preset in api.get("/api/v1/presets").json():
        open_preset(page, base_url, preset["name"])
        assert page.get_by_test_id("preset-select").input_value() == preset["name"]
        state = step(page)
        assert state["phase"] == "forward"
        assert not page.errors, (preset["name"], page.errors)
