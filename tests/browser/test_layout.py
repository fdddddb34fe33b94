"""A scene-first layout at 1280×800, and controls that stay put: the header and the toolbar
never reflow while stepping, so a teacher clicking Next without moving the mouse always hits
Next (issue 9, items 5 and the scene-first layout)."""

import pytest

from pagetools import FORMULA, SCENE, open_preset

@pytest.fixture(scope="module")
def scene_presets(api):
    """The presets whose view mounts a panel of their own."""
    return [p["name"] for p in api.get("/api/v1/presets").json()
            if api.get(f"/api/v1/presets/{p['name']}").json().get("view")]


def _loaded(page, base_url, name, query=""):
    open_preset(page, base_url, name, query)
    page.wait_for_function(f"document.body.dataset.preset === '{name}'")


def test_the_scene_panel_starts_on_the_first_screen(page, base_url, scene_presets):
    # 1280×800: the panel's top and at least a heading and a row of it are above the fold,
    # and the stage's graph shares the screen with it.
    assert len(scene_presets) >= 12
    late = []
    for name in scene_presets:
        _loaded(page, base_url, name)
        scene = page.locator(SCENE).bounding_box()
        graph = page.get_by_test_id("graph").bounding_box()
        if scene is None or scene["y"] > 800 - 120 or graph["y"] > 400:
            late.append((name, scene and round(scene["y"]), round(graph["y"])))
    assert not late, f"(preset, panel top, graph top) below the fold: {late}"


def test_without_a_panel_the_whole_stage_and_its_equation_fit_the_first_screen(page, base_url, api, scene_presets):
    # The MLP scenes, where the stage is the point: at 1280×800 nothing is below the fold,
    # the equation included, from the first step to the end of the backward pass.
    plain = [p["name"] for p in api.get("/api/v1/presets").json() if p["name"] not in scene_presets]
    assert {"linear-warmup", "tanh-mlp", "deep-sigmoid"} <= set(plain)
    below = []
    for name in plain:
        _loaded(page, base_url, name)
        for where in ("first step", "end of the forward pass", "end of the backward pass"):
            if where != "first step":
                page.keyboard.press("End")
                page.wait_for_function(f"document.querySelector('{FORMULA}').dataset.phase === "
                                       f"'{'forward' if 'forward' in where else 'backward'}'")
            formula = page.get_by_test_id("formula").bounding_box()
            height = page.evaluate("document.scrollingElement.scrollHeight")
            if formula["y"] + formula["height"] > 800 or height > 800:
                below.append((name, where, round(formula["y"] + formula["height"]), height))
    assert not below, f"(preset, step, equation bottom, page height) past 800 px: {below}"


@pytest.mark.parametrize("name", ["training", "nudge", "hessian", "rnn"])
def test_the_point_of_the_scene_sits_beside_the_stage(page, base_url, name):
    # Where the panel is the point, it is beside the stage, not under it.
    preset = {"training": "two-moons", "nudge": "why-backprop", "hessian": "hessian",
              "rnn": "rnn-vanishing"}[name]
    _loaded(page, base_url, preset)
    stage = page.locator("main.stage").bounding_box()
    scene = page.locator(SCENE).bounding_box()
    assert scene["x"] >= stage["x"] + stage["width"] - 1, (stage, scene)
    assert scene["y"] < 400


def _step_counter(page):
    n, total = (int(v) for v in page.get_by_test_id("step-index").text_content().split(" / "))
    return n, total


def _fixed_boxes(page):
    """Where every control of the header and the toolbar is, to the pixel."""
    return page.evaluate("""() => [...document.querySelectorAll(
        '.top, .top *, .toolbar, .toolbar button, .toolbar select, .toolbar input')]
        .filter((el) => el.getClientRects().length)
        .map((el) => { const r = el.getBoundingClientRect();
          return [el.dataset.testid || el.className || el.tagName,
                  Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)]; })""")


def clicks_stay_put(page, clicks=60):
    """Clicks `clicks` times at Next's first centre without moving; each click is one step,
    and nothing in the header or the toolbar moves or changes size."""
    box = page.get_by_test_id("step-forward").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    boxes = _fixed_boxes(page)
    n, total = _step_counter(page)
    for i in range(clicks):
        page.mouse.click(x, y)
        # N + 1 (M grows as the run records further iterations); where N counts within an
        # iteration, 1 of the next one once an iteration is done
        page.wait_for_function(
            """([n, total]) => {
              const got = Number(document.querySelector('[data-testid=step-index]')
                .textContent.split(' / ')[0]);
              return got === n + 1 || (n === total && got === 1);
            }""", arg=[n, total], timeout=15000)
        new_n, new_total = _step_counter(page)
        assert new_n == n + 1 or (n == total and new_n == 1), f"click {i + 1}: {n} / {total} → {new_n}"
        n, total = new_n, new_total
        moved = [(a, b) for a, b in zip(boxes, _fixed_boxes(page)) if a != b]
        assert not moved and len(boxes) == len(_fixed_boxes(page)), f"click {i + 1} moved {moved[:4]}"
    assert not page.locator("body.presenting").count() or page.get_by_test_id(
        "present-toggle").get_attribute("aria-pressed") == "true"


@pytest.mark.parametrize("name", ["tanh-mlp", "rnn-vanishing"])
def test_sixty_clicks_on_next_at_one_spot_each_step_once(page, base_url, name):
    _loaded(page, base_url, name)
    clicks_stay_put(page)
    # the click never landed on presenter mode
    assert not page.locator("body.presenting").count()


def test_the_loss_readout_keeps_its_width(page, base_url):
    # "f = ? (not computed yet)" and "f = 0.0123 → 0.0119" take the same box.
    _loaded(page, base_url, "tanh-mlp")
    loss = page.get_by_test_id("loss")
    first = loss.bounding_box()
    seen = set()
    for _ in range(30):
        page.get_by_test_id("step-forward").click()
        page.wait_for_timeout(30)
        seen.add(loss.text_content())
        assert loss.bounding_box() == first, loss.text_content()
    assert any("→" in t for t in seen) and any("?" in t for t in seen) or len(seen) > 2


def test_status_lines_never_wrap(page, base_url, api):
    # The header is one line; phase, step index, loss and the claim are one line each, on
    # the preset with the longest claim.
    presets = [api.get(f"/api/v1/presets/{p['name']}").json() for p in api.get("/api/v1/presets").json()]
    longest = max(presets, key=lambda p: len(p.get("claim") or ""))["name"]
    _loaded(page, base_url, longest)
    heights = page.evaluate("""() => ['phase', 'step-index', 'loss', 'claim'].map((t) => {
        const el = document.querySelector(`[data-testid=${t}]`);
        return [t, el.getBoundingClientRect().height, parseFloat(getComputedStyle(el).fontSize)]; })""")
    for testid, height, font in heights:
        assert height < 2.2 * font, f"{testid} runs onto two lines ({height} px at {font} px)"
    top = page.locator("header.top").bounding_box()
    select = page.get_by_test_id("preset-select").bounding_box()
    assert top["height"] < 2 * select["height"], "the header runs onto two lines"


@pytest.mark.parametrize("name", ["skip-connection", "two-branches", "tied-weights"])
def test_a_graph_scenes_sums_sit_right_under_the_stage(page, base_url, name):
    # The sums over paths are the lesson of these scenes: once the backward pass has reached
    # them they start on the first screen at 1280×800, before the graph editor.
    _loaded(page, base_url, name)
    for _ in range(2):
        page.keyboard.press("End")
    page.wait_for_function(f"document.querySelector('{FORMULA}').dataset.phase === 'backward'")
    first_sum = page.locator('[data-testid^="sum-"]:not([data-testid^="sum-pending"])').first
    first_sum.wait_for()
    top = first_sum.bounding_box()["y"]
    editor = page.get_by_test_id("graph-editor").bounding_box()["y"]
    assert top < 800 - 60 and top < editor, (top, editor)


@pytest.mark.parametrize("name", ["why-backprop", "two-moons"])
def test_beside_a_panel_every_forward_equation_shows_whole(page, base_url, name):
    # In the stage's column beside a panel the equation's box is as tall as the first screen
    # allows (10.5rem): a forward step's vector no longer scrolls in an 8rem box.
    _loaded(page, base_url, name)
    # A training scene hands the stage over to its own network once ready: step after that.
    page.wait_for_function("""() => { const scene = document.querySelector('[data-testid=scene]');
      return document.body.dataset.ready === 'true'
        && (scene.dataset.scene !== 'training' || scene.dataset.ready === 'true'); }""")
    scrolled = []
    while True:
        state = page.evaluate("""() => { const f = document.querySelector('[data-testid=formula]');
          const b = f.querySelector('[data-role=body]');
          return [f.dataset.phase, f.dataset.node, f.dataset.step, b.scrollHeight > b.clientHeight + 1]; }""")
        if state[0] != "forward":
            break
        if state[3]:
            scrolled.append(state[1])
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"document.querySelector('{FORMULA}').dataset.step !== '{state[2]}'")
    box = page.get_by_test_id("formula").bounding_box()
    assert box["y"] + box["height"] <= 800, box
    assert not scrolled, f"{name}: forward steps whose equation scrolls in its box: {scrolled}"
