"""The nudge, Hessian, graph, conv and RNN-task scenes are views of the store: the settings
each shows are the snapshot's `scene`, a reload of the page's URL (its s=) reopens them with
the same controls and the same numbers, a second page restored from the snapshot does too,
and a link whose setup cannot be read says so in the scene's own status line."""

import json

from pagetools import assert_close, open_preset

SNAPSHOT = "window.backpropViz.snapshot()"
# The URL's s= decoded in the page (share.js is pure: a second copy of it reads the same).
LINKED_SCENE = """async () => {
  const { decodeShare } = await import('/static/js/share.js');
  const text = new URLSearchParams(location.search).get('s');
  return text ? (await decodeShare(text)).setup ?? null : null;
}"""


def dataset(page, testid):
    return page.eval_on_selector(f'[data-testid="{testid}"]', "el => ({...el.dataset})")


def set_range(page, testid, value):
    page.eval_on_selector(f'[data-testid="{testid}"]', """(el, v) => { el.value = v;
        el.dispatchEvent(new Event('input', {bubbles: true})); }""", str(value))


def reload_with_scene(page, scene):
    """Waits until the URL's s= (written from the store, asynchronously) is `scene`, then reloads it."""
    page.wait_for_function(f"({LINKED_SCENE})().then((s) => JSON.stringify(s) === {json.dumps(json.dumps(scene))})")
    page.goto(page.url)
    page.wait_for_selector("body[data-ready=true]", state="attached")


# --- nudge -------------------------------------------------------------------------------

NUDGE = {"param": "W2", "index": [1, 2], "what": "entry", "logDelta": -1, "negative": True, "eps": 0.01}
NUDGE_READY = ('[data-testid="nudge-result"][data-param="W2"][data-index="[1,2]"]',
               '[data-testid="gc-summary"][data-max-error]')


def edit_nudge(page, base_url):
    open_preset(page, base_url, "why-backprop")
    page.wait_for_selector('[data-testid="nudge-result"][data-actual]', state="attached")
    page.get_by_test_id("nudge-param").select_option("W2")
    page.locator('[data-testid="nudge-grid"] button[data-index="1,2"]').click()
    set_range(page, "nudge-log-delta", -1)
    page.get_by_test_id("nudge-negative").check()
    page.get_by_test_id("gc-eps").select_option("1e-2")
    page.wait_for_function("document.querySelector('[data-testid=gc-summary]').textContent.startsWith('ε = 0.01')")
    return nudge_shown(page)


def nudge_shown(page):
    for selector in NUDGE_READY:
        page.wait_for_selector(selector, state="attached")
    # −δ: the change of f along −0.1 in W2[1, 2] (a nudge of +0.1 has the other sign to first order).
    page.wait_for_function("Number(document.querySelector('[data-testid=nudge-result]').dataset.predicted) !== 0")
    result = dataset(page, "nudge-result")
    return {
        "controls": [page.get_by_test_id(t).input_value() for t in ("nudge-param", "nudge-what", "nudge-log-delta", "gc-eps")],
        "negative": page.get_by_test_id("nudge-negative").is_checked(),
        "delta": page.get_by_test_id("nudge-delta-value").text_content(),
        "pressed": page.locator('[data-testid="nudge-grid"] button[aria-pressed="true"]').get_attribute("data-index"),
        "result": (result["actual"], result["predicted"], result["remainder"]),
        "check": dataset(page, "gc-summary")["maxError"],
    }


def test_the_nudge_settings_are_the_snapshot_and_a_reload_reopens_them(page, base_url, api):
    before = edit_nudge(page, base_url)
    assert page.evaluate(SNAPSHOT)["scene"] == NUDGE
    assert before["controls"] == ["W2", "entry", "-1", "0.01"] and before["negative"]
    assert (before["delta"], before["pressed"]) == ("δ = 0.1", "1,2")
    preset = api.get("/api/v1/presets/why-backprop").json()
    body = {"network": preset["network"], "x": preset["x"], "y": preset["y"]}
    expected = api.post("/api/v1/nudge", json={**body, "param": "W2", "delta": -0.1, "index": [1, 2]}).json()
    assert_close(float(before["result"][1]), expected["predicted_change"])
    reload_with_scene(page, NUDGE)
    assert nudge_shown(page) == before
    assert page.evaluate(SNAPSHOT)["scene"] == NUDGE


def test_a_second_page_restored_from_a_nudge_snapshot_shows_the_same(page, student_page, base_url):
    teacher = edit_nudge(page, base_url)
    snap = page.evaluate(SNAPSHOT)
    open_preset(student_page, base_url, "hessian")
    student_page.evaluate("s => window.backpropViz.restore(s)", snap)
    student_page.wait_for_function("document.body.dataset.preset === 'why-backprop'")
    assert nudge_shown(student_page) == teacher


def test_a_nudge_setup_with_foreign_values_opens_the_presets_own_and_says_which(page, base_url):
    open_preset(page, base_url, "why-backprop")
    page.evaluate("window.backpropViz.restore({...window.backpropViz.snapshot(),"
                  " scene: {param: 'W9', logDelta: -1.5, eps: 3, rho: 2}})")
    page.wait_for_selector('[data-testid="nudge-result"][data-actual]', state="attached")
    status = page.get_by_test_id("nudge-status")
    assert status.is_visible()
    text = status.text_content()
    assert '"W9"' in text and "eps is 3" in text and '"rho"' in text
    # The readable field is kept; the others are the preset's own.
    assert page.evaluate(SNAPSHOT)["scene"] == {**NUDGE, "param": "W1", "index": [0, 0], "logDelta": -1.5,
                                               "negative": False, "eps": 1e-6}
    assert page.get_by_test_id("nudge-param").input_value() == "W1"
    assert page.get_by_test_id("nudge-log-delta").input_value() == "-1.5"


# --- Hessian -----------------------------------------------------------------------------

def hessian_shown(page, choice):
    page.wait_for_selector(f'[data-testid="hess-hv"][data-choice="{choice}"]', state="attached")
    table = dataset(page, "hess-hv")
    return {"v": page.get_by_test_id("hess-v").input_value(), "seed": dataset(page, "hess-seed")["seed"],
            "hv": (table["v"], table["hv"]), "curvature": dataset(page, "hess-curvature")["curvature"]}


def test_the_hessian_direction_and_seed_reopen_from_the_link(page, base_url, api):
    open_preset(page, base_url, "hessian")
    page.wait_for_selector('[data-testid="hess-hv"][data-choice="gradient"]', state="attached")
    page.get_by_test_id("hess-reroll").click()
    page.wait_for_selector('[data-testid="hess-seed"][data-seed="1"]', state="attached")
    page.get_by_test_id("hess-reroll").click()
    page.wait_for_selector('[data-testid="hess-seed"][data-seed="2"]', state="attached")
    page.wait_for_function("document.querySelector('[data-testid=hess-hv]').dataset.choice === 'random'")
    before = hessian_shown(page, "random")
    scene = page.evaluate(SNAPSHOT)["scene"]
    assert scene == {"v": "random", "seed": 2}
    preset = api.get("/api/v1/presets/hessian").json()
    expected = api.post("/api/v1/hvp", json={"network": preset["network"], "x": preset["x"], "y": preset["y"],
                                             "direction": "random", "seed": 2, "check": True}).json()
    assert_close(float(before["curvature"]), expected["curvature"])
    reload_with_scene(page, scene)
    after = hessian_shown(page, "random")
    assert after == before and (after["v"], after["seed"]) == ("random", "2")


def test_a_hessian_link_that_cannot_be_decoded_says_so(page, base_url):
    open_preset(page, base_url, "hessian", "&s=9.abc")
    # The page's own error line may say it too; the scene's status line must.
    page.wait_for_selector('[data-testid="hess-hv"][data-choice="gradient"]', state="attached")
    status = page.get_by_test_id("hess-status")
    assert status.is_visible() and "could not be read" in status.text_content()
    assert page.evaluate(SNAPSHOT)["scene"] == {"v": "gradient", "seed": 0}


# --- graph -------------------------------------------------------------------------------

def graph_shown(page):
    page.wait_for_selector('[data-testid="sum-u"]', state="visible")
    panel = page.get_by_test_id("sum-u")
    return {"editor": page.get_by_test_id("graph-editor").input_value(),
            "sum": (panel.get_attribute("data-parts"), panel.get_attribute("data-total")),
            "pending_hidden": page.get_by_test_id("sum-pending-u").is_hidden()}


def test_the_graph_editors_text_and_run_reopen_from_the_link(page, base_url, api):
    preset = api.get("/api/v1/presets/two-branches").json()
    body = {"network": preset["network"], "inputs": {k: [[2 * v for v in row] for row in rows]
                                                     for k, rows in preset["inputs"].items()}}
    text = json.dumps(body)
    open_preset(page, base_url, "two-branches")
    page.wait_for_selector('[data-testid="path-sums"] .path-sum', state="attached")
    page.get_by_test_id("graph-editor").fill(text)
    page.get_by_test_id("graph-run").click()
    before = graph_shown(page)
    scene = page.evaluate(SNAPSHOT)["scene"]
    assert scene == {"text": text, "run": text}
    # The sums are those of the edited network, not of the preset's.
    trace = api.post("/api/v1/backprop", json=body).json()
    assert json.loads(before["sum"][0]) == [c["grad"] for c in trace["branch_contributions"]["u"]]
    assert before["pending_hidden"]  # an edited network's sums are shown whatever the stage's step
    reload_with_scene(page, scene)
    page.wait_for_function(f"document.querySelector('[data-testid=sum-u]')?.dataset.parts === {json.dumps(before['sum'][0])}")
    assert graph_shown(page) == before


def test_typing_without_running_keeps_the_text_but_shows_the_presets_sums(page, base_url):
    open_preset(page, base_url, "two-branches")
    page.wait_for_selector('[data-testid="path-sums"] .path-sum', state="attached")
    own = page.get_by_test_id("sum-u").get_attribute("data-parts")
    page.get_by_test_id("graph-editor").fill('{"network": {}}')
    scene = page.evaluate(SNAPSHOT)["scene"]
    assert scene == {"text": '{"network": {}}'}
    reload_with_scene(page, scene)
    page.wait_for_selector('[data-testid="path-sums"] .path-sum', state="attached")
    assert page.get_by_test_id("graph-editor").input_value() == '{"network": {}}'
    assert page.get_by_test_id("sum-u").get_attribute("data-parts") == own
    assert page.get_by_test_id("sum-u").is_hidden()  # the stage has not reached u


# --- conv --------------------------------------------------------------------------------

def conv_shown(page, patch):
    page.wait_for_selector(f'[data-testid="conv-sum"][data-patch="{patch}"]', state="visible")
    return {"sum": page.get_by_test_id("conv-sum").get_attribute("data-value"),
            "term": page.get_by_test_id("conv-term").get_attribute("data-term"),
            "status": page.get_by_test_id("conv-status").text_content(),
            "lit": page.eval_on_selector_all('[data-testid="conv-x-0"] .lit', "els => els.map(e => e.title)")}


def test_the_conv_patch_reopens_from_the_link(page, base_url, api):
    open_preset(page, base_url, "conv1d")
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")  # the backward pass's first step: ∂f/∂out
    page.wait_for_selector('[data-testid="conv-next"][aria-disabled=false]')
    for _ in range(3):
        page.get_by_test_id("conv-next").click()
    before = conv_shown(page, 2)
    scene = page.evaluate(SNAPSHOT)["scene"]
    assert scene == {"patch": 2}
    preset = api.get("/api/v1/presets/conv1d").json()
    trace = api.post("/api/v1/backprop", json={"network": preset["network"], "inputs": preset["inputs"]}).json()
    rows = trace["patch_contributions"]["out"]
    assert_close(json.loads(before["sum"]), [sum(r[i] for r in rows[:3]) for i in range(3)])
    assert before["lit"] == ["x[1, 3]", "x[1, 4]", "x[1, 5]"] and before["status"] == "patch 3 of 6"
    reload_with_scene(page, scene)
    assert conv_shown(page, 2) == before


# --- RNN task ----------------------------------------------------------------------------

DONE = "document.querySelector('[data-testid=task-train]').textContent.includes('Train all')"


def task_shown(page):
    cards = [dataset(page, f"task-variant-{i}") for i in range(3)]
    return {"curves": json.loads(page.get_by_test_id("task-chart").get_attribute("data-curves")),
            "cards": [(c["steps"], c["accuracy"], c["ratio"], c["ratioStart"], c["diverged"]) for c in cards],
            "steps_text": [page.locator(f'[data-testid="task-variant-{i}"] .task-steps').text_content() for i in range(3)]}


def test_the_rnn_tasks_training_record_replays_on_reload(page, base_url):
    open_preset(page, base_url, "remember-first")
    page.wait_for_selector('[data-testid="task-variant-2"][data-ratio-start]:not([data-ratio-start=""])',
                           state="attached")
    page.get_by_test_id("task-train").click()
    page.wait_for_function("Number(document.querySelector('[data-testid=task-variant-2]').dataset.steps) >= 40")
    page.get_by_test_id("task-train").click()
    page.wait_for_function(DONE)
    page.wait_for_function("document.querySelector('[data-testid=task-variant-2]').dataset.ratio !== "
                           "document.querySelector('[data-testid=task-variant-2]').dataset.ratioStart")
    before = task_shown(page)
    scene = page.evaluate(SNAPSHOT)["scene"]
    steps = int(before["cards"][2][0])
    assert 40 <= steps < 500 and steps % 20 == 0
    assert sum(s for s, _ in scene["segments"]) == steps
    assert scene["segments"][0][1] == 0.2  # the toolbar's η, the preset's own
    reload_with_scene(page, scene)
    page.wait_for_function(f"document.querySelector('[data-testid=task-variant-2]').dataset.steps === '{steps}'"
                           " && document.querySelector('[data-testid=task-variant-2]').dataset.ratio !== ''")
    page.wait_for_function("document.querySelector('[data-testid=task-variant-0]').dataset.ratio !== ''")
    after = task_shown(page)
    assert after["cards"] == before["cards"] and after["steps_text"] == before["steps_text"]
    # Full-batch training is deterministic: one /train per segment gives the chunks' losses.
    assert after["curves"] == before["curves"]
    assert page.evaluate(SNAPSHOT)["scene"] == scene
