"""Graph scenes: every node drawn, the editor's 422 messages, path sums equal the API's
branch contributions, and the conv kernel's running sum ending at ∂f/∂w."""

import json
from pathlib import Path

import numpy as np

import pytest

from pagetools import assert_close, open_preset

SHOTS = Path("/tmp/shots/graph")
SCENE = '[data-testid="scene"]'


def body_of(api, name):
    preset = api.get(f"/api/v1/presets/{name}").json()
    return {"network": preset["network"], "inputs": preset["inputs"]}


@pytest.mark.parametrize("name", ["skip-connection", "two-branches", "tied-weights", "conv1d"])
def test_every_node_drawn(page, base_url, api, name):
    trace = api.post("/api/v1/backprop", json=body_of(api, name)).json()
    open_preset(page, base_url, name)
    for node in trace["graph"]["nodes"]:
        assert page.locator(f'[data-testid="node-{node["id"]}"]').count() == 1
    if name != "conv1d":
        for node in trace["graph"]["nodes"]:
            page.locator(f'[data-testid="editor-node-{node["id"]}"]').wait_for()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def run_editor(page, body):
    page.get_by_test_id("graph-editor").fill(json.dumps(body))
    page.get_by_test_id("graph-run").click()


def test_editor_names_cycle_and_unknown_id(page, base_url, api):
    open_preset(page, base_url, "two-branches")
    page.wait_for_selector('[data-testid="path-sums"] .path-sum', state="attached")
    cyclic = {"network": {"kind": "graph", "output": "b", "nodes": [
        {"id": "x", "op": "input", "shape": [None, 1]},
        {"id": "a", "op": "add", "inputs": ["x", "b"]},
        {"id": "b", "op": "tanh", "inputs": ["a"]}]}, "inputs": {"x": [[1.0]]}}
    run_editor(page, cyclic)
    error = page.get_by_test_id("graph-error")
    error.filter(has_text="cycle").wait_for()
    assert "a -> b -> a" in error.text_content()
    typo = json.loads(json.dumps(cyclic))
    typo["network"]["nodes"] = [cyclic["network"]["nodes"][0],
                                {"id": "b", "op": "tanh", "inputs": ["xx"]}]
    run_editor(page, typo)
    error.filter(has_text="xx").wait_for()
    assert "network.nodes.1.inputs.0" in error.text_content()
    # Chromium logs each expected 422 as a failed resource: exactly these two, and only them.
    expected = [e for e in page.errors if "status of 422" in e]
    assert len(expected) == 2
    page.errors[:] = [e for e in page.errors if e not in expected]


def test_two_branches_sum(page, base_url, api):
    trace = api.post("/api/v1/backprop", json=body_of(api, "two-branches")).json()
    open_preset(page, base_url, "two-branches")
    # Forward step 1: the sum is not revealed yet (issue 9, item 8: it was filled in already).
    page.get_by_test_id("sum-pending-u").wait_for()
    panel = page.get_by_test_id("sum-u")
    assert panel.is_hidden()
    page.keyboard.press("End")  # the end of the forward pass: still hidden
    page.wait_for_function("document.querySelector('[data-testid=formula]').dataset.phase === 'forward'"
                           " && document.querySelector('[data-testid=formula]').dataset.node === 'loss'")
    assert panel.is_hidden()
    page.keyboard.press("End")  # the end of the backward pass: u was reached on the way
    panel.wait_for()
    assert page.get_by_test_id("sum-pending-u").is_hidden()
    parts = json.loads(panel.get_attribute("data-parts"))
    expected = [c["grad"] for c in trace["branch_contributions"]["u"]]
    assert parts == expected
    total = json.loads(panel.get_attribute("data-total"))
    # The panel's sum of the two paths is ∂f/∂u up to the rounding of one addition per entry.
    np.testing.assert_allclose(total, trace["grads"]["u"], rtol=1e-12, atol=1e-15)
    lit = page.eval_on_selector_all(".editor-edge.lit", "els => els.map(e => e.dataset.edge).sort()")
    assert lit == sorted(f"u->{c['via']}" for c in trace["branch_contributions"]["u"])
    flat = lambda v: [x for row in v for x in row] if isinstance(v[0], list) else v
    for i, t in enumerate(flat(total)):
        assert_close(sum(flat(p)[i] for p in parts), t, path=f"u[{i}]")


def test_conv_running_sum_ends_at_grad(page, base_url, api):
    trace = api.post("/api/v1/backprop", json=body_of(api, "conv1d")).json()
    open_preset(page, base_url, "conv1d")
    # Every term multiplies ∂f/∂out: nothing to sum until the backward pass has reached out.
    assert page.get_by_test_id("conv-next").get_attribute("aria-disabled") == "true"
    assert "Step the backward pass" in page.get_by_test_id("conv-status").text_content()
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")  # the backward pass's first step: ∂f/∂out
    page.wait_for_selector('[data-testid="conv-next"][aria-disabled=false]')
    rows = trace["patch_contributions"]["out"]
    x, g = trace["values"]["x"], trace["grads"]["out"]
    for j in range(len(rows)):
        page.get_by_test_id("conv-next").click()
        page.wait_for_selector(f'[data-testid="conv-sum"][data-patch="{j}"]')
        # Both batch rows are lit on their strips, and the term sums both rows' products.
        for b in range(len(x)):
            lit = page.eval_on_selector_all(f'[data-testid="conv-x-{b}"] .lit', "els => els.length")
            assert lit == 3
        term = json.loads(page.get_attribute('[data-testid="conv-term"]', "data-term"))
        for i in range(3):
            assert_close(term[i], rows[j][i], path=f"term[{j}][{i}]")
            assert_close(term[i], sum(g[b][j] * x[b][j + i] for b in range(len(x))), path=f"sum[{j}][{i}]")
        text = page.get_by_test_id("conv-term").text_content()
        # the second row's factor ∂f/∂out[2, j] is on screen (the page writes − for minus)
        assert f"{g[1][j]:.4g}".replace("-", "−") in text
    shown = json.loads(page.get_attribute('[data-testid="conv-sum"]', "data-value"))
    for i, g in enumerate(trace["param_grads"]["w"]):
        assert_close(shown[i], g, path=f"w[{i}]")
    assert page.get_by_test_id("conv-next").get_attribute("aria-disabled") == "true"
    assert "All 6 patches" in page.get_by_test_id("conv-status").text_content()
    page.screenshot(path=str(SHOTS / "conv1d-end.png"), full_page=True)
