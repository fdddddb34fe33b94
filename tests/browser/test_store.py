"""One store: the page's state is one JSON snapshot (window.backpropViz.snapshot()), and a page
restored from it (restore(snapshot), as a class following its teacher will) shows the same
scene, step, η and settings as the page it came from; the URL follows the store."""

from pagetools import formula_state, open_preset, step

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


def test_a_page_restored_from_a_snapshot_shows_the_same_step(page, browser, base_url):
    snap = _teacher_state(page, base_url)
    shown = formula_state(page)
    student = browser.new_page(viewport={"width": 1280, "height": 800})
    errors = []
    student.on("pageerror", lambda e: errors.append(str(e)))
    student.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        open_preset(student, base_url, "linear-warmup")
        student.evaluate("s => window.backpropViz.restore(s)", snap)
        student.wait_for_function(
            "document.body.dataset.preset === 'tanh-mlp' && document.querySelector('[data-testid=formula]').dataset.step === '6'")
        again = formula_state(student)
        assert (again["step"], again["value"]) == (shown["step"], shown["value"])
        assert student.get_by_test_id("step-index").text_content() == page.get_by_test_id("step-index").text_content()
        assert student.get_by_test_id("lr").input_value() == "0.05"
        assert student.get_by_test_id("example").input_value() == "2"
        assert student.get_by_test_id("granularity").input_value() == "ops"
        assert student.evaluate(SNAPSHOT) == snap
    finally:
        student.close()
    assert errors == []


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
