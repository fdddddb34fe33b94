"""Helpers for driving the page and reading what it shows, shared by the browser tests."""

import json
import math

PRESETS = ["linear-warmup", "tanh-mlp", "deep-sigmoid"]
FORMULA = '[data-testid="formula"]'
MINUS = "\u2212"
NONFINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def decode(value):
    """The contract's non-finite strings back to floats, through nested lists."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, str):
        return NONFINITE[value]
    return value


def assert_close(shown, expected, rel=1e-9, path="value"):
    """Every number of `shown` equals `expected` to a relative error of `rel`."""
    if isinstance(expected, list):
        assert isinstance(shown, list) and len(shown) == len(expected), f"{path}: shape differs"
        for i, (s, e) in enumerate(zip(shown, expected)):
            assert_close(s, e, rel, f"{path}[{i}]")
        return
    assert math.isclose(shown, expected, rel_tol=rel, abs_tol=1e-300), f"{path}: {shown} != {expected}"


def open_preset(page, base_url, name, query=""):
    page.goto(f"{base_url}/?preset={name}{query}")
    page.wait_for_selector("body[data-ready=true]", state="attached")


def formula_state(page):
    """What the formula panel says about the current step (its data attributes)."""
    data = page.eval_on_selector(FORMULA, "el => ({...el.dataset})")
    data["value"] = decode(json.loads(data["value"])) if data.get("value") else None
    data["step"] = int(data["step"])
    return data


def step(page, how="button"):
    """One step forward by the Next button or the → key; waits until it is shown."""
    before = formula_state(page)["step"]
    if how == "button":
        page.get_by_test_id("step-forward").click()
    else:
        page.keyboard.press("ArrowRight")
    page.wait_for_function(f"document.querySelector('{FORMULA}').dataset.step === '{before + 1}'")
    return formula_state(page)


def step_back(page, how="button"):
    before = formula_state(page)["step"]
    if how == "button":
        page.get_by_test_id("step-back").click()
    else:
        page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"document.querySelector('{FORMULA}').dataset.step === '{before - 1}'")
    return formula_state(page)


def expected_trace(api, name):
    """The preset's stateless /backprop answer: the numbers the page's session must show."""
    preset = api.get(f"/api/v1/presets/{name}").json()
    body = {"network": preset["network"]}
    body.update({key: preset[key] for key in ("x", "y", "inputs") if key in preset})
    trace = api.post("/api/v1/backprop", json=body).json()
    return preset, trace


def expected_steps(trace):
    """(phase, node) of every step of one pass, derived from the API's orders and roles."""
    role = {n["id"]: n["role"] for n in trace["graph"]["nodes"]}
    first_input = next(i for i in trace["forward_order"] if role[i] == "input")
    steps = [("forward", first_input)]
    steps += [("forward", i) for i in trace["forward_order"] if role[i] in ("op", "loss")]
    readers = {}
    for n in trace["graph"]["nodes"]:
        for i in set(n["inputs"]):
            readers[i] = readers.get(i, 0) + 1
    # An input read by several ops (x in a skip connection) is stepped: its gradient sums paths.
    steps += [("backward", i) for i in trace["backward_order"]
              if role[i] in ("op", "param") or (role[i] == "input" and readers.get(i, 0) > 1)]
    return steps


def expected_value(trace, phase, node):
    if phase == "forward":
        return trace["loss"] if node == "loss" else trace["values"][node]
    if node in trace["param_grads"]:
        return trace["param_grads"][node]
    return trace["grads"][node]


def fmt(value, digits=4):
    """The page's number format (static/js/format.js), for matching displayed text."""
    value = decode(value)
    if value == 0:
        return "0"
    if math.isnan(value):
        return "NaN"
    a = abs(value)
    if 1e-3 <= a < 1e5:
        text = repr(float(f"{a:.{digits}g}"))
        text = text[:-2] if text.endswith(".0") else text
    else:
        mantissa, exponent = f"{a:.{digits - 1}e}".split("e")
        mantissa = repr(float(mantissa))
        mantissa = mantissa[:-2] if mantissa.endswith(".0") else mantissa
        exp = int(exponent)
        text = f"{mantissa}e{MINUS if exp < 0 else ''}{abs(exp)}"
    return (MINUS if value < 0 else "") + text


SCENE = '[data-testid="scene"]'


def train_until(page, steps):
    """Plays until the counter reaches `steps`, pauses, and waits for the loop to finish."""
    page.get_by_test_id("train").click()
    page.wait_for_function(
        f"Number(document.querySelector('[data-testid=train-step]').textContent) >= {steps}")
    page.get_by_test_id("train").click()
    page.wait_for_selector(f"{SCENE}[data-running=false][data-busy=false]", state="attached")
