"""What the page shows besides the formula: the update and the loss, the gradient bars,
the tooltip, the warm-up's closed form, the example selector and the narration."""

import numpy as np

from pagetools import FORMULA, assert_close, expected_trace, fmt, formula_state, open_preset, step
from test_layout import _fixed_boxes
from test_presenter_fit import _assert_slide, _present, projector  # noqa: F401 (a fixture)


def walk_to(page, phase, node):
    """Steps forward until the formula shows (phase, node)."""
    state = formula_state(page)
    for _ in range(500):
        if (state["phase"], state["node"]) == (phase, node):
            return state
        state = step(page)
    raise AssertionError(f"never reached {phase} {node}")


def test_update_applies_the_gradient_and_the_loss_drops_on_tanh_mlp(page, base_url, api):
    preset, trace = expected_trace(api, "tanh-mlp")
    open_preset(page, base_url, "tanh-mlp")
    state = walk_to(page, "update", "W1")
    lr = preset["lr"]
    expected = np.array(trace["params"]["W1"]) - lr * np.array(trace["param_grads"]["W1"])
    assert_close(state["value"], expected.tolist(), rel=1e-12)
    loss = page.get_by_test_id("loss")
    before, after = float(loss.get_attribute("data-value")), float(loss.get_attribute("data-loss-after"))
    assert_close(before, trace["loss"])
    assert after < before
    state = walk_to(page, "forward", "loss")
    assert state["iteration"] == "1"
    assert_close(float(loss.get_attribute("data-value")), after)
    assert float(loss.get_attribute("data-value")) < trace["loss"]


def test_deep_sigmoid_bars_show_early_gradients_orders_smaller(page, base_url, api):
    _, trace = expected_trace(api, "deep-sigmoid")
    open_preset(page, base_url, "deep-sigmoid")
    walk_to(page, "backward", "W1")
    norms = {}
    for i in range(1, 11):
        bar = page.get_by_test_id(f"grad-bar-W{i}")
        norms[i] = float(bar.get_attribute("data-norm"))
        assert_close(norms[i], float(np.linalg.norm(trace["param_grads"][f"W{i}"])), rel=1e-9)
    assert norms[1] < norms[10] / 100
    widths = [page.get_by_test_id(f"grad-bar-W{i}").locator(".bar").evaluate(
        "el => el.getBoundingClientRect().width") for i in (1, 10)]
    assert widths[0] < widths[1] / 2


def test_gradient_bars_appear_only_once_the_backward_pass_computed_them(page, base_url):
    open_preset(page, base_url, "deep-sigmoid")
    walk_to(page, "backward", "W10")
    assert page.get_by_test_id("grad-bar-W10").get_attribute("data-norm") is not None
    assert page.get_by_test_id("grad-bar-W9").get_attribute("data-norm") is None


def test_hovering_a_unit_and_an_edge_shows_their_numbers(page, base_url, api):
    _, trace = expected_trace(api, "tanh-mlp")
    open_preset(page, base_url, "tanh-mlp")
    walk_to(page, "backward", "z1")
    tooltip = page.get_by_test_id("tooltip")
    page.get_by_test_id("unit-a1-1").hover()
    tooltip.wait_for(state="visible")
    cells = {c.get_attribute("data-name"): c.text_content() for c in tooltip.locator("td[data-name]").all()}
    assert cells["a₁"] == fmt(trace["values"]["a1"][0][1])
    assert cells["z₁"] == fmt(trace["values"]["z1"][0][1])
    assert cells["∂f/∂z₁"] == fmt(trace["grads"]["z1"][0][1])
    assert cells["∂f/∂a₁"] == fmt(trace["grads"]["a1"][0][1])
    page.get_by_test_id("edge-W2-0-2").hover(force=True)
    page.wait_for_function("document.querySelector('[data-testid=tooltip] .tooltip-title')"
                           ".textContent.startsWith('weight')")
    cells = {c.get_attribute("data-name"): c.text_content() for c in tooltip.locator("td[data-name]").all()}
    assert cells["W₂[1,3]"] == fmt(trace["params"]["W2"][0][2])
    assert cells["∂f/∂W₂[1,3]"] == fmt(trace["param_grads"]["W2"][0][2])


def test_tooltip_does_not_reveal_gradients_before_the_backward_pass(page, base_url):
    open_preset(page, base_url, "tanh-mlp")
    walk_to(page, "forward", "a1")
    page.get_by_test_id("unit-a1-0").hover()
    page.get_by_test_id("tooltip").wait_for(state="visible")
    assert page.locator('[data-testid=tooltip] td[data-name="∂f/∂z₁"]').text_content() == "not yet computed"


def test_linear_warmup_closed_form_equals_backprop_digit_for_digit(page, base_url, api):
    _, trace = expected_trace(api, "linear-warmup")
    open_preset(page, base_url, "linear-warmup")
    for i in (3, 2, 1):
        state = walk_to(page, "backward", f"W{i}")
        closed = float(state["closedForm"])
        assert_close(closed, trace["param_grads"][f"W{i}"][0][0], rel=1e-12)
        text = page.get_by_test_id("formula").text_content()
        assert f"backprop:{fmt(closed, 12)}" in text.replace(" ", "").replace("\u00a0", "")
        assert f"closedform(3):{fmt(closed, 12)}" in text.replace(" ", "").replace("\u00a0", "")


def test_example_selector_switches_the_per_example_numbers(page, base_url, api):
    _, trace = expected_trace(api, "tanh-mlp")
    open_preset(page, base_url, "tanh-mlp")
    walk_to(page, "forward", "z1")
    page.get_by_test_id("example").select_option("3")
    page.wait_for_function("document.querySelector('[data-testid=narration]').textContent.includes("
                           f"'{fmt(trace['values']['z1'][2][0])}')")
    math_text = page.get_by_test_id("formula").locator("math").nth(1).text_content()
    assert fmt(trace["values"]["z1"][2][0]) in math_text
    assert fmt(trace["values"]["z1"][0][0]) not in math_text
    assert "k=3" in page.url


def test_narration_reads_out_each_step(page, base_url, api):
    _, trace = expected_trace(api, "linear-warmup")
    open_preset(page, base_url, "linear-warmup")
    walk_to(page, "backward", "z2")
    narration = page.get_by_test_id("narration")
    assert narration.get_attribute("aria-live") == "polite"
    assert narration.text_content() == f"∂f/∂z₂ = {fmt(trace['grads']['z2'][0][0])}"


def test_unknown_preset_in_the_link_falls_back_with_a_message(page, base_url):
    open_preset(page, base_url, "no-such-scene")
    assert page.get_by_test_id("preset-select").input_value() == "linear-warmup"
    assert "no-such-scene" in page.get_by_test_id("error").text_content()



def test_the_learning_rate_typed_in_is_the_one_the_update_uses(page, base_url, api):
    _, trace = expected_trace(api, "tanh-mlp")
    open_preset(page, base_url, "tanh-mlp")
    lr = page.get_by_test_id("lr")
    lr.fill("0.5")
    lr.press("Enter")
    lr.blur()
    page.wait_for_function("new URLSearchParams(location.search).get('lr') === '0.5'")
    state = walk_to(page, "update", "b2")
    expected = np.array(trace["params"]["b2"]) - 0.5 * np.array(trace["param_grads"]["b2"])
    assert_close(state["value"], expected.tolist(), rel=1e-12)


def test_units_are_reachable_by_keyboard_and_show_their_tooltip_on_focus(page, base_url, api):
    _, trace = expected_trace(api, "linear-warmup")
    open_preset(page, base_url, "linear-warmup")
    page.get_by_test_id("unit-a1-0").focus()
    page.get_by_test_id("tooltip").wait_for(state="visible")
    assert page.locator('[data-testid=tooltip] td[data-name="z₁"]').text_content() == "not yet computed"
    assert page.evaluate("document.activeElement.dataset.testid") == "unit-a1-0"
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('[data-testid=formula]').dataset.step === '2'")
    assert page.locator('[data-testid=tooltip] td[data-name="z₁"]').text_content() == fmt(trace["values"]["z1"][0][0])


def test_a_graph_that_is_not_an_mlp_is_drawn_op_by_op(page, base_url, api):
    _, trace = expected_trace(api, "skip-connection")
    open_preset(page, base_url, "skip-connection")
    assert page.evaluate("document.body.dataset.view") == "ops"
    for node in trace["graph"]["nodes"]:
        label = page.get_by_test_id(f"node-{node['id']}").locator(".op-sub").text_content()
        assert label == node["op"]
    page.get_by_test_id("unit-s-0").hover()
    page.get_by_test_id("tooltip").wait_for(state="visible")
    assert page.locator('[data-testid=tooltip] td[data-name="shape"]').text_content() == \
        "(" + ", ".join(str(s) for s in next(n["shape"] for n in trace["graph"]["nodes"] if n["id"] == "s")) + ")"


def test_the_formula_panel_names_an_rnn_output_y_hat_as_the_stage_does(page, base_url, api):
    _, trace = expected_trace(api, "rnn-vanishing")
    open_preset(page, base_url, "rnn-vanishing")
    walk_to(page, "forward", "yhat1")
    formula = page.locator(f"{FORMULA} [data-role=body]").text_content()
    label = page.get_by_test_id("node-yhat1").locator(".op-label").text_content()
    assert label == "\u0177\u2081"
    assert "\u0177" in formula and "yhat" not in formula, formula
    assert fmt(trace["values"]["yhat1"][0][0]) in formula
    assert page.get_by_test_id("narration").text_content().startswith("\u0177\u2081 = ")


def test_presenter_mode_holds_the_skip_connection_sum_whole(projector, base_url):
    # ∂f/∂x = (via z1) + (via s): two matrices and their sum are too wide for the slide's
    # formula column at the smallest readable type; the sum continues on a second line.
    _present(projector, base_url, "skip-connection")
    controls = _fixed_boxes(projector)
    walk_to(projector, "backward", "x")
    box = projector.evaluate("""() => {
      const body = document.querySelector('[data-testid=formula] [data-role=body]');
      const r = body.getBoundingClientRect();
      const out = [...body.querySelectorAll('math')].map((m) => m.getBoundingClientRect())
        .filter((m) => m.left < r.left - 1 || m.right > r.right + 1 || m.top < r.top - 1 || m.bottom > r.bottom + 1);
      return { scroll: [body.scrollWidth, body.clientWidth, body.scrollHeight, body.clientHeight],
               out: out.length, lines: body.querySelectorAll('.formula-line').length,
               text: body.textContent };
    }""")
    sw, cw, sh, ch = box["scroll"]
    assert sw <= cw + 1 and sh <= ch + 1, box["scroll"]
    assert box["out"] == 0, "an equation line runs out of its box"
    assert "via z1" in box["text"] and "via s" in box["text"]
    _assert_slide(projector, "skip-connection, backward x")
    assert _fixed_boxes(projector) == controls, "the header or the toolbar moved"
