"""One store: the page's state is one JSON snapshot (window.backpropViz.snapshot()), and a page
restored from it (restore(snapshot), as a class following its teacher will) shows the same
scene, step, η and settings as the page it came from; the URL follows the store."""

from pagetools import formula_state, open_preset, step, train_until

SNAPSHOT = "window.backpropViz.snapshot()"


def _teacher_state(page, base_url):
    open_preset(page, base_url, "tanh-mlp")
    for _ in range(5):
        step(page)
    page.get_by_test_id("lr").fill("0.05")
    page.get_by_test_id("lr").press("Tab")
    page.get_by_test_id("example").select_option("2")
    page.get_by_test_id("granularity").select_option("ops")
    return page.evaluate(SNAPSHOT)


def test_the_snapshot_holds_every_setting_the_page_shows(page, base_url):
    snap = _teacher_state(page, base_url)
    assert snap["v"] == 1 and snap["preset"] == "tanh-mlp"
    assert (snap["step"], snap["lr"], snap["k"], snap["g"]) == (5, 0.05, 2, "ops")
    # The URL is written from the same state.
    for part in ("preset=tanh-mlp", "step=5", "lr=0.05", "k=2", "g=ops"):
        assert part in page.url


def test_a_page_restored_from_a_snapshot_shows_the_same_step(page, student_page, base_url):
    snap = _teacher_state(page, base_url)
    shown = formula_state(page)
    open_preset(student_page, base_url, "linear-warmup")
    student_page.evaluate("s => window.backpropViz.restore(s)", snap)
    student_page.wait_for_function(
        "document.body.dataset.preset === 'tanh-mlp' && document.querySelector('[data-testid=formula]').dataset.step === '6'")
    again = formula_state(student_page)
    assert (again["step"], again["value"]) == (shown["step"], shown["value"])
    assert student_page.get_by_test_id("step-index").text_content() == page.get_by_test_id("step-index").text_content()
    assert student_page.get_by_test_id("lr").input_value() == "0.05"
    assert student_page.get_by_test_id("example").input_value() == "2"
    assert student_page.get_by_test_id("granularity").input_value() == "ops"
    assert student_page.evaluate(SNAPSHOT) == snap


def test_a_snapshot_from_another_version_is_refused_with_its_reason(page, base_url):
    open_preset(page, base_url, "tanh-mlp")
    message = page.evaluate("window.backpropViz.restore({v: 99}).then(() => 'restored', (e) => e.message)")
    assert "version 99" in message
    assert page.evaluate(SNAPSHOT)["preset"] == "tanh-mlp"


def test_hide_numbers_is_part_of_the_state_and_the_link(page, base_url):
    open_preset(page, base_url, "tanh-mlp")
    page.get_by_test_id("hide-numbers").check()
    assert page.evaluate(SNAPSHOT)["hide"] == 1
    assert "hide=1" in page.url
    page.reload()
    page.wait_for_selector("body[data-ready=true]", state="attached")
    assert page.get_by_test_id("hide-numbers").is_checked()


SCENE = '[data-testid="scene"]'


def _trained(page):
    return (int(page.get_by_test_id("train-step").text_content()),
            float(page.get_by_test_id("train-loss").get_attribute("data-value")),
            page.get_attribute(SCENE, "data-network"))


def test_a_training_scene_restored_from_a_snapshot_replays_the_same_run(page, student_page, base_url):
    open_preset(page, base_url, "two-moons")
    page.wait_for_selector(f"{SCENE}[data-ready=true]", state="attached")
    page.get_by_test_id("train-units-plus-0").click()
    page.wait_for_function(f"JSON.parse(document.querySelector('{SCENE}').dataset.network).sizes[1] === 9")
    page.get_by_test_id("train-batch").select_option("16")
    train_until(page, 30)
    step, loss, network = _trained(page)
    snap = page.evaluate(SNAPSHOT)
    # The setup and its record are the store's scene settings: one copy, in the snapshot.
    assert snap["scene"]["hidden"][0] == 9 and snap["scene"]["batch"] == 16
    assert sum(segment[0] for segment in snap["scene"]["segments"]) == step
    open_preset(student_page, base_url, "tanh-mlp")
    student_page.evaluate("s => window.backpropViz.restore(s)", snap)
    student_page.wait_for_function(f"document.body.dataset.preset === 'two-moons'"
                              f" && document.querySelector('{SCENE}').dataset.ready === 'true'")
    student_page.wait_for_function("Number(document.querySelector('[data-testid=train-step]').textContent) > 0")
    again = _trained(student_page)
    # The same requests in the same order on the same server: the same numbers, up to
    # the summation order of a replay in other chunk sizes (far below any visible digit).
    assert again[0] == step and again[2] == network
    assert abs(again[1] - loss) <= 1e-9 * max(1.0, abs(loss))
    assert student_page.get_by_test_id("train-batch").input_value() == "16"
