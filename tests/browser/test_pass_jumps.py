"""Getting around a long pass: End (or Shift+→) jumps to the end of the current pass, and
from there through the next; Home (or Shift+←) back to its start (issue 9, item 10: 62
presses of → reached the end of deep-sigmoid's backward pass, 188 an RNN's)."""

import pytest

from pagetools import FORMULA, expected_steps, expected_trace, formula_state, open_preset


def _press(page, key):
    before = formula_state(page)["step"]
    page.keyboard.press(key)
    page.wait_for_function(f"document.querySelector('{FORMULA}').dataset.step !== '{before}'")
    state = formula_state(page)
    return state["phase"], state["node"], state["step"]


@pytest.mark.parametrize("name,end,start", [("deep-sigmoid", "End", "Home"),
                                            ("rnn-vanishing", "Shift+ArrowRight", "Shift+ArrowLeft")])
def test_end_and_home_jump_over_whole_passes(page, base_url, api, name, end, start):
    _, trace = expected_trace(api, name)
    steps = expected_steps(trace)
    n_forward = sum(1 for phase, _ in steps if phase == "forward")
    open_preset(page, base_url, name)
    assert _press(page, end) == ("forward", steps[n_forward - 1][1], n_forward)
    assert _press(page, end) == ("backward", steps[-1][1], len(steps))
    params = list(trace["params"])  # the update's steps, one per parameter
    # The update is fetched (one /step), then End lands on its last parameter.
    assert _press(page, end) == ("update", params[-1], len(steps) + len(params))
    assert _press(page, start) == ("update", params[0], len(steps) + 1)
    assert _press(page, start) == ("backward", steps[n_forward][1], n_forward + 1)
    assert _press(page, start) == ("forward", steps[0][1], 1)
