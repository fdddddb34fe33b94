"""The RNN scene is a view of the store: ρ, T, the backward walk's position and the fixes'
panel settings are the snapshot's `scene`, a reload of the page's URL reopens every one of
them (controls and chart), and so does a second page restored from the snapshot."""

import json

from pagetools import open_preset

SNAPSHOT = "window.backpropViz.snapshot()"
CHART = '[data-testid="rnn-chart"]'
# The URL's s= decoded in the page (share.js is pure: a second copy of it reads the same).
LINKED_SCENE = """async () => {
  const { decodeShare } = await import('/static/js/share.js');
  const text = new URLSearchParams(location.search).get('s');
  return text ? (await decodeShare(text)).setup ?? null : null;
}"""


def wait_chart(page, **attrs):
    sel = "".join(f'[data-{k}="{v}"]' for k, v in attrs.items())
    page.wait_for_selector(f'{CHART}[data-state="ready"]{sel}', state="attached")


def set_range(page, testid, value):
    page.eval_on_selector(f'[data-testid="{testid}"]', """(el, v) => { el.value = v;
        el.dispatchEvent(new Event('input', {bubbles: true})); }""", str(value))


def wait_url_holds(page, scene):
    """Waits until the URL's s= (written from the store, asynchronously) is `scene`."""
    page.wait_for_function(f"({LINKED_SCENE})().then((s) => JSON.stringify(s) === {json.dumps(json.dumps(scene))})")


def edit_clipping_scene(page, base_url):
    """ρ 1.5, T 45, clipping by value at c = 0.1, and the walk three steps back from T."""
    open_preset(page, base_url, "rnn-clipping")
    wait_chart(page, steps="30")
    page.get_by_test_id("rnn-rho").fill("1.5")
    page.get_by_test_id("rnn-steps-value").fill("45")
    wait_chart(page, rho="1.5", steps="45")
    set_range(page, "clip-threshold", -1)
    page.get_by_test_id("clip-mode").select_option("value")
    page.wait_for_selector('[data-testid="clip-summary"][data-mode="value"][data-threshold="0.1"]', state="attached")
    for t in (45, 44, 43):
        page.get_by_test_id("rnn-anim-step").click()
        page.wait_for_selector(f'[data-testid="rnn-anim-readout"][data-t="{t}"]', state="attached")


def shown(page):
    """What the scene shows: its controls, the chart's answer, the walk and the clip panel."""
    wait_chart(page)
    page.wait_for_selector('[data-testid="rnn-anim-readout"][data-t]', state="attached")
    page.wait_for_selector('[data-testid="clip-summary"][data-threshold]', state="attached")
    chart = page.eval_on_selector(CHART, "el => ({...el.dataset})")
    clip = page.eval_on_selector('[data-testid="clip-summary"]', "el => ({...el.dataset})")
    return {
        "rho": page.get_by_test_id("rnn-rho").input_value(),
        "rho_label": page.get_by_test_id("rnn-rho-value").text_content(),
        "steps": page.get_by_test_id("rnn-steps-value").input_value(),
        "chart": (chart["rho"], chart["activation"], chart["steps"], chart["norms"]),
        "t": page.get_by_test_id("rnn-anim-readout").get_attribute("data-t"),
        "current": page.locator(".rnn-chain circle.rnn-h.current").get_attribute("data-t"),
        "clip_mode": page.get_by_test_id("clip-mode").input_value(),
        "clip_label": page.get_by_test_id("clip-threshold-value").text_content(),
        "clip": (clip["mode"], clip["threshold"], clip["normBefore"], clip["maxAfter"]),
    }


EXPECTED_SCENE = {"rho": 1.5, "activation": "identity", "steps": 45, "t": 43,
                  "clip": {"mode": "value", "c": 0.1, "norm": 2}}


def test_the_snapshot_holds_rho_T_the_walk_and_the_clipping_setting(page, base_url):
    edit_clipping_scene(page, base_url)
    snap = page.evaluate(SNAPSHOT)
    assert snap["preset"] == "rnn-clipping"
    assert snap["scene"] == EXPECTED_SCENE
    # The link is written from the same state.
    wait_url_holds(page, EXPECTED_SCENE)


def test_a_reload_of_the_url_reopens_every_setting(page, base_url):
    edit_clipping_scene(page, base_url)
    wait_url_holds(page, EXPECTED_SCENE)
    before = shown(page)
    assert before["t"] == before["current"] == "43"
    assert float(before["clip"][3]) <= 0.1  # clipped by value at 0.1: no entry above it
    page.goto(page.url)
    page.wait_for_selector("body[data-ready=true]", state="attached")
    wait_chart(page, rho="1.5", steps="45")
    after = shown(page)
    assert after == before
    assert (after["rho"], after["rho_label"], after["steps"], after["t"]) == ("1.5", "1.50", "45", "43")
    assert (after["clip_mode"], after["clip_label"]) == ("value", "c = 0.1")
    assert page.evaluate(SNAPSHOT)["scene"] == EXPECTED_SCENE


def test_a_second_page_restored_from_the_snapshot_shows_the_same(page, student_page, base_url):
    edit_clipping_scene(page, base_url)
    snap = page.evaluate(SNAPSHOT)
    teacher = shown(page)
    # Opened on the same preset with its own settings first: the restore must replace them.
    open_preset(student_page, base_url, "rnn-clipping")
    wait_chart(student_page, steps="30")
    student_page.evaluate("s => window.backpropViz.restore(s)", snap)
    wait_chart(student_page, rho="1.5", steps="45")
    assert shown(student_page) == teacher
    assert student_page.evaluate(SNAPSHOT)["scene"] == EXPECTED_SCENE


def test_the_truncation_window_and_T_reopen_from_the_link(page, base_url):
    open_preset(page, base_url, "rnn-truncated")
    page.wait_for_selector('[data-testid="trunc-summary"][data-k="5"]', state="attached")
    set_range(page, "trunc-k", 12)
    page.wait_for_selector('[data-testid="trunc-summary"][data-k="12"]', state="attached")
    relative = page.get_by_test_id("trunc-summary").get_attribute("data-relative")
    scene = page.evaluate(SNAPSHOT)["scene"]
    assert scene["truncate"] == 12 and scene["steps"] == 30
    wait_url_holds(page, scene)
    page.goto(page.url)
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.wait_for_selector('[data-testid="trunc-summary"][data-k="12"]', state="attached")
    assert page.get_by_test_id("trunc-k").input_value() == "12"
    assert page.get_by_test_id("trunc-k-value").text_content() == "k = 12"
    assert page.get_by_test_id("trunc-summary").get_attribute("data-relative") == relative


def test_a_store_change_from_outside_redraws_the_controls_and_the_chart(page, base_url):
    open_preset(page, base_url, "rnn-vanishing")
    wait_chart(page, steps="30")
    # What a class following its teacher would do between two snapshots: set the scene's state.
    page.evaluate("window.backpropViz.restore({...window.backpropViz.snapshot(),"
                  " scene: {rho: 2, activation: 'tanh', steps: 20, t: 7}})")
    wait_chart(page, rho="2", activation="tanh", steps="20")
    page.wait_for_selector('[data-testid="rnn-anim-readout"][data-t="7"]', state="attached")
    assert page.get_by_test_id("rnn-rho").input_value() == "2"
    assert page.get_by_test_id("rnn-activation").input_value() == "tanh"
    assert page.get_by_test_id("rnn-steps").input_value() == "20"


def test_a_link_whose_setup_cannot_be_read_says_so_and_opens_the_presets_own(page, base_url):
    open_preset(page, base_url, "rnn-vanishing")
    wait_chart(page, steps="30")
    page.evaluate("window.backpropViz.restore({...window.backpropViz.snapshot(),"
                  " scene: {rho: 1.5, steps: 30, t: 31}})")
    page.wait_for_selector('[data-testid="rnn-error"]:not([hidden])', state="attached")
    wait_chart(page, rho="0.5", steps="30")
    error = page.get_by_test_id("rnn-error").text_content()
    assert error == ("This link's setup could not be read: t is 31, not null or a whole step "
                     "from 1 to T = 30. Showing the scene's own.")
    # The message stays once the chart has answered; the store holds the preset's own.
    assert page.get_by_test_id("rnn-error").is_visible()
    assert page.evaluate(SNAPSHOT)["scene"]["rho"] == 0.5


def test_a_link_from_before_the_store_still_reopens_its_rho_activation_and_T(page, base_url):
    open_preset(page, base_url, "rnn-clipping")
    # The setup an older page wrote into s=: ρ, b and T only.
    text = page.evaluate("""async () => (await import('/static/js/share.js'))
        .encodeShare({rho: 1.5, activation: 'tanh', steps: 45})""")
    open_preset(page, base_url, "rnn-clipping", f"&s={text}")
    wait_chart(page, rho="1.5", activation="tanh", steps="45")
    assert page.get_by_test_id("rnn-error").is_hidden()
    # What the link leaves out is the preset's own: the walk idle, clipping by norm at c = 1.
    assert page.evaluate(SNAPSHOT)["scene"] == {"rho": 1.5, "activation": "tanh", "steps": 45, "t": None,
                                                "clip": {"mode": "norm", "c": 1, "norm": 2}}
    page.wait_for_selector('[data-testid="clip-summary"][data-mode="norm"][data-threshold="1"]', state="attached")


def test_a_damaged_link_says_so_and_the_sentence_stays_after_the_chart_answers(page, base_url):
    open_preset(page, base_url, "rnn-vanishing", "&s=1.@@@")
    wait_chart(page, rho="0.5", steps="30")
    error = page.get_by_test_id("rnn-error")
    assert error.is_visible()
    text = error.text_content()
    assert text.startswith("This link's setup could not be read: ") and text.endswith(". Showing the scene's own.")
    # An edit makes the settings the user's own: the sentence goes.
    page.get_by_test_id("rnn-rho").fill("1")
    wait_chart(page, rho="1")
    assert error.is_hidden()


def test_a_paused_walk_leaves_its_step_in_the_store(page, base_url):
    open_preset(page, base_url, "rnn-vanishing")
    wait_chart(page, steps="30")
    page.get_by_test_id("rnn-anim-play").click()
    page.wait_for_function("Number(document.querySelector('[data-testid=rnn-anim-readout]').dataset.t) <= 27")
    page.get_by_test_id("rnn-anim-play").click()
    page.wait_for_selector('[data-testid="rnn-anim-play"][aria-pressed="false"]', state="attached")
    t = int(page.get_by_test_id("rnn-anim-readout").get_attribute("data-t"))
    assert 1 <= t <= 27
    assert page.evaluate(SNAPSHOT)["scene"]["t"] == t
    # Show all: the walk goes idle, and so does the store.
    page.get_by_test_id("rnn-anim-reset").click()
    assert page.evaluate(SNAPSHOT)["scene"]["t"] is None
