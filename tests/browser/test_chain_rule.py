"""Graph scenes show the chain rule on every backward step: the op's rule, then its
factors with the numbers, then the result; x of a skip connection is stepped in the
backward pass, as the sum of its two paths (issue 9, item 8)."""

from pagetools import FORMULA, expected_trace, formula_state, open_preset, step


def _step_to(page, phase, node, limit=40):
    state = formula_state(page)
    for _ in range(limit):
        if state["phase"] == phase and state["node"] == node:
            return state
        state = step(page, "key")
    raise AssertionError(f"never reached {phase} {node}")


def _formula_text(page):
    return page.eval_on_selector(FORMULA, "el => el.textContent.replace(/\\s+/g, ' ')")


def test_skip_connection_steps_x_as_the_sum_of_its_two_paths(page, base_url, api):
    _, trace = expected_trace(api, "skip-connection")
    open_preset(page, base_url, "skip-connection")
    assert page.get_by_test_id("sum-x").is_hidden()
    state = _step_to(page, "backward", "x")
    text = _formula_text(page)
    assert "via z1" in text and "via s" in text and "2 ops read this node" in text
    # The shown result is ∂f/∂x, the sum of the API's two branch terms.
    flat = [v for row in state["value"] for v in row]
    want = [v for row in trace["grads"]["x"] for v in row]
    assert all(abs(a - b) <= 1e-12 * max(1.0, abs(b)) for a, b in zip(flat, want))
    page.get_by_test_id("sum-x").wait_for()  # its path-sum panel, revealed now


def test_a_tanh_step_writes_the_rule_and_both_factors(page, base_url, api):
    _, trace = expected_trace(api, "skip-connection")
    open_preset(page, base_url, "skip-connection")
    _step_to(page, "backward", "z1")
    text = _formula_text(page)
    assert "tanh′" in text.replace(" ", "") and "⊙" in text
    # The local derivative tanh′(z₁) of the first example appears with its numbers.
    first = trace["local_derivatives"]["a1"][0][0]
    assert f"{first:.4g}" in text


def test_add_says_it_passes_the_gradient_to_both_inputs(page, base_url):
    open_preset(page, base_url, "skip-connection")
    _step_to(page, "backward", "a1")
    assert "add passes" in _formula_text(page)
