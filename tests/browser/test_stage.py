"""The main stage: a 200-node graph laid out by dagre with every node drawn once and no
two boxes overlapping, zoom / fit / fold working, the stepped node kept in view; and the
same MLP drawn neuron by neuron or op by op at the same step."""

import json

from pagetools import formula_state, open_preset, step

BLOCKS = 49  # x, 49 × (W, matmul, tanh, add), a skip add, y, loss: 200 nodes


def ladder():
    nodes = [{"id": "x", "op": "input", "inputs": [], "role": "input", "shape": [1, 4]}]
    h = "x"
    for i in range(BLOCKS):
        nodes += [{"id": f"W{i}", "op": "param", "inputs": [], "role": "param", "shape": [4, 4]},
                  {"id": f"m{i}", "op": "matmul", "inputs": [h, f"W{i}"], "role": "op", "shape": [1, 4]},
                  {"id": f"t{i}", "op": "tanh", "inputs": [f"m{i}"], "role": "op", "shape": [1, 4]},
                  {"id": f"h{i}", "op": "add", "inputs": [h, f"t{i}"], "role": "op", "shape": [1, 4]}]
        h = f"h{i}"
    nodes += [{"id": "s", "op": "add", "inputs": [h, "x"], "role": "op", "shape": [1, 4]},
              {"id": "y", "op": "input", "inputs": [], "role": "input", "shape": [1, 4]},
              {"id": "loss", "op": "mse", "inputs": ["s", "y"], "role": "loss", "shape": []}]
    return nodes


MOUNT = """async (nodes) => {
  const { OpGraphView } = await import("/static/js/views/opgraph.js");
  const box = document.createElement("figure");
  box.id = "stage-test";
  box.style.width = "1200px";
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.classList.add("graph");
  box.append(svg);
  document.body.prepend(box);
  const view = new OpGraphView(svg, { onHover: () => {} });
  view.foldLeaves = false;
  view.build({ graph: { nodes, output: "loss" } });
  window.stageTest = { view, svg };
}"""

VIEWBOX = "() => stageTest.svg.getAttribute('viewBox').split(' ').map(Number)"


def boxes(page):
    return page.evaluate("""() => [...stageTest.svg.querySelectorAll('.units > g rect.unit')].map(r => {
        const b = r.getBBox(); return [r.parentNode.dataset.node, b.x, b.y, b.width, b.height]; })""")


def test_two_hundred_nodes_laid_out_zoomed_folded_and_followed(page, base_url):
    open_preset(page, base_url, "tanh-mlp")
    nodes = ladder()
    assert len(nodes) == 200
    page.evaluate(MOUNT, nodes)
    for node in nodes:
        assert page.locator(f'#stage-test [data-testid="node-{node["id"]}"]').count() == 1
    drawn = boxes(page)
    assert len(drawn) == 200
    drawn.sort(key=lambda b: b[1])
    for i, (a, ax, ay, aw, ah) in enumerate(drawn):
        for b, bx, by, bw, bh in drawn[i + 1:]:
            if bx >= ax + aw:
                break
            assert ay + ah <= by or by + bh <= ay, f"{a} overlaps {b}"
    scale = lambda: float(page.eval_on_selector("#stage-test svg", "s => s.dataset.scale"))  # noqa: E731
    page.locator('#stage-test [data-testid="zoom-fit"]').click()
    assert scale() == 1.0
    x, y, w, h = page.evaluate(VIEWBOX)
    assert all(x <= bx and bx + bw <= x + w and y <= by and by + bh <= y + h for _, bx, by, bw, bh in drawn)
    page.locator('#stage-test [data-testid="zoom-in"]').click()
    page.locator('#stage-test [data-testid="zoom-in"]').click()
    assert abs(scale() - 1.5625) < 1e-3
    page.locator('#stage-test [data-testid="zoom-out"]').click()
    assert abs(scale() - 1.25) < 1e-3
    # Stepping to the far end moves the view until the stepped node is inside it.
    page.evaluate("""() => stageTest.view.update({ trace: { graph: { output: 'loss' }, values: {}, grads: {} },
        revealed: { values: new Set(), grads: new Set() }, k: 0, colourBy: 'value',
        active: new Set(['h48']), sources: new Set() })""")
    x, y, w, h = page.evaluate(VIEWBOX)
    _, bx, by, bw, bh = next(b for b in boxes(page) if b[0] == "h48")
    assert x <= bx and bx + bw <= x + w and y <= by and by + bh <= y + h
    page.locator('#stage-test [data-testid="fold-leaves"]').check()
    assert len(boxes(page)) == 200 - BLOCKS - 2  # the W_i, x and y fold into the ops reading them
    assert page.locator('#stage-test [data-testid="node-W3"]').count() == 1
    page.locator('#stage-test [data-testid="fold-leaves"]').uncheck()
    assert len(boxes(page)) == 200
    print("layout of 200 nodes:", page.eval_on_selector("#stage-test svg", "s => s.dataset.layoutMs"), "ms")


def test_neurons_and_ops_show_the_same_step(page, base_url):
    open_preset(page, base_url, "tanh-mlp")
    for _ in range(13):
        state = step(page)
    assert state["phase"] == "backward"
    page.get_by_test_id("granularity").select_option("ops")
    page.wait_for_selector("body[data-view=ops]", state="attached")
    again = formula_state(page)
    assert again["step"] == state["step"] and again["node"] == state["node"]
    assert page.locator(f'[data-testid="node-{state["node"]}"].active').count() == 1
    assert "g=ops" in page.url
    step(page)
    node = formula_state(page)["node"]
    assert page.locator(f'[data-testid="node-{node}"].active').count() == 1
    page.get_by_test_id("granularity").select_option("neurons")
    page.wait_for_selector("body[data-view=neurons]", state="attached")
    assert formula_state(page)["step"] == state["step"] + 1
    assert page.locator('[data-testid="zoom-in"]').is_hidden()


def test_the_editor_runs_and_draws_a_200_node_graph_with_zoom(page, base_url, api):
    nodes = [{"id": "x", "op": "input", "shape": [None, 4]}]
    h = "x"
    for i in range(BLOCKS):
        w = [[0.1 * ((i + r + c) % 5 - 2) for c in range(4)] for r in range(4)]
        nodes += [{"id": f"W{i}", "op": "param", "value": w},
                  {"id": f"m{i}", "op": "matmul", "inputs": [h, f"W{i}"]},
                  {"id": f"t{i}", "op": "tanh", "inputs": [f"m{i}"]},
                  {"id": f"h{i}", "op": "add", "inputs": [h, f"t{i}"]}]
        h = f"h{i}"
    nodes += [{"id": "s", "op": "add", "inputs": [h, "x"]}, {"id": "y", "op": "input", "shape": [None, 4]},
              {"id": "loss", "op": "mse", "inputs": ["s", "y"]}]
    body = {"network": {"kind": "graph", "output": "loss", "nodes": nodes},
            "inputs": {"x": [[1.0, -0.5, 0.25, 2.0]], "y": [[0.0, 0.5, -1.0, 1.0]]}}
    assert api.post("/api/v1/backprop", json=body).status_code == 200
    open_preset(page, base_url, "skip-connection")
    page.get_by_test_id("graph-editor").fill(json.dumps(body))
    page.get_by_test_id("graph-run").click()
    page.locator('[data-testid="editor-node-W48"]').wait_for(state="attached")
    assert page.locator('[data-testid^="editor-node-"]').count() == 200
    drawing = page.get_by_test_id("editor-graph")
    opened = float(drawing.get_attribute("data-scale"))
    assert opened > 1  # 200 nodes open at reading size, not shrunk to fit
    tools = page.locator('.stage-tools:has(+ [data-testid="editor-graph"])')
    tools.locator('[data-testid="zoom-fit"]').click()
    assert float(drawing.get_attribute("data-scale")) == 1.0
    tools.locator('[data-testid="zoom-in"]').click()
    assert abs(float(drawing.get_attribute("data-scale")) - 1.25) < 1e-3
