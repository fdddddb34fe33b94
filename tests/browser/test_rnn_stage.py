"""The main stage of an RNN: the unrolled network laid out in time, readable inside its box
at 1280×800, in presenter mode at 1920×1080 and on a phone; the stepped node kept in view;
the collapsed middle steps opened by a click; the PNG export showing what the stage shows
(for the op views of graphs and MLPs too); and the LSTM's chart on the RNN's y-range."""

import base64
import math

import pytest

from pagetools import formula_state, open_preset, step

RNN_PRESETS = ["rnn-vanishing", "rnn-exploding", "rnn-clipping", "rnn-truncated", "lstm-vs-rnn", "remember-first"]

# Each box of the stage: is it inside the stage's rectangle on screen, how wide is it, and
# how large its smallest text is in screen pixels (font size × the viewBox's scale).
BOXES = """() => {
  const svg = document.querySelector('[data-testid="graph"]');
  const s = svg.getBoundingClientRect();
  const [, , vw, vh] = svg.getAttribute('viewBox').split(' ').map(Number);
  const px = Math.min(s.width / vw, s.height / vh);
  return [...svg.querySelectorAll('.units > g')].map((g) => {
    const r = g.querySelector('rect').getBoundingClientRect();
    const text = Math.min(...[...g.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * px));
    const inside = r.left >= s.left - 0.5 && r.right <= s.right + 0.5 && r.top >= s.top - 0.5 && r.bottom <= s.bottom + 0.5;
    return { id: g.dataset.node, inside, width: r.width, text, active: g.classList.contains('active') };
  });
}"""


def readable(page, min_text=12):
    """The ids of the boxes drawn wholly inside the stage, ≥ 40 px wide, with text ≥ min_text px."""
    return [b["id"] for b in page.evaluate(BOXES) if b["inside"] and b["width"] >= 40 and b["text"] >= min_text]


def stage_fits_the_window(page):
    rect = page.get_by_test_id("graph").bounding_box()
    width = page.evaluate("() => document.documentElement.clientWidth")
    return rect["x"] >= 0 and rect["x"] + rect["width"] <= width + 0.5 and rect["height"] >= 150


@pytest.mark.parametrize("name", RNN_PRESETS)
def test_every_rnn_preset_opens_with_ten_readable_nodes_in_the_stage(page, base_url, api, name):
    assert api.get(f"/api/v1/presets/{name}").json()["network"]["kind"] == "rnn"
    open_preset(page, base_url, name)
    shown = readable(page)
    assert len(shown) >= 10, f"only {shown} readable inside the stage"
    assert stage_fits_the_window(page)
    # Laid out in time: the first steps' h_t are among them, side by side along one row.
    assert {"h1", "h2"} <= set(shown)
    assert page.get_by_test_id("node-h1").locator("rect").bounding_box()["y"] == \
        page.get_by_test_id("node-h2").locator("rect").bounding_box()["y"]


def active_box(page):
    boxes = [b for b in page.evaluate(BOXES) if b["active"]]
    assert len(boxes) == 1, f"{len(boxes)} highlighted boxes on the stage"
    return boxes[0]


def test_the_stepped_node_stays_inside_the_stage_forward_and_backward(page, base_url):
    open_preset(page, base_url, "rnn-vanishing")
    for _ in range(30):
        state = step(page, how="key")
    # Step 31 of the forward pass is ŷ₁₀: inside the collapsed steps 6 … 25, so shown alone.
    assert state["node"] == "yhat10"
    box = active_box(page)
    assert box["id"] == "yhat10" and box["inside"] and box["width"] >= 40 and box["text"] >= 12
    assert page.locator('[data-testid="rnn-collapsed"][data-from="11"][data-to="25"]').count() == 1
    while formula_state(page)["phase"] == "forward":
        state = step(page, how="key")
    for _ in range(12):
        state = step(page, how="key")
    assert state["phase"] == "backward"
    box = active_box(page)
    assert box["id"] == state["node"] and box["inside"] and box["text"] >= 12


def test_the_collapsed_steps_open_on_a_click_and_close_again(page, base_url):
    open_preset(page, base_url, "rnn-vanishing")
    block = page.locator('[data-testid="rnn-collapsed"]')
    assert block.count() == 1
    assert (block.get_attribute("data-from"), block.get_attribute("data-to")) == ("6", "25")
    assert page.locator('.folded [data-testid="node-h12"]').count() == 1  # collapsed: not drawn
    page.get_by_test_id("zoom-fit").click()
    block.click()
    assert block.count() == 0
    assert page.locator('.units [data-testid="node-h12"]').count() == 1
    assert page.get_by_test_id("rnn-all-steps").is_checked()
    assert page.locator(".graph .rnn-col-label", has_text="t = 12").count() == 1
    page.get_by_test_id("rnn-all-steps").uncheck()
    assert block.count() == 1
    # By keyboard: the column takes focus and opens on Enter, without stepping the player.
    before = formula_state(page)["step"]
    block.focus()
    page.keyboard.press("Enter")
    assert block.count() == 0 and formula_state(page)["step"] == before


def test_presenter_mode_draws_the_rnn_larger_and_inside_its_box(page, base_url):
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_preset(page, base_url, "lstm-vs-rnn", "&present=1")
    assert page.evaluate("() => document.body.classList.contains('presenting')")
    shown = readable(page, min_text=16)
    assert len(shown) >= 10, shown
    assert stage_fits_the_window(page)
    labels = page.evaluate("""() => { const svg = document.querySelector('[data-testid="graph"]');
      const px = svg.getBoundingClientRect().width / Number(svg.getAttribute('viewBox').split(' ')[2]);
      return parseFloat(getComputedStyle(svg.querySelector('.op-label')).fontSize) * px; }""")
    assert labels >= 22  # the box names, readable from the back row


def test_on_a_phone_the_stage_fits_the_screen_and_stays_readable(page, base_url):
    page.set_viewport_size({"width": 390, "height": 844})
    open_preset(page, base_url, "rnn-vanishing")
    assert stage_fits_the_window(page)
    # Two and a half columns of four rows on a 390 px screen, at the same reading size.
    assert {"x1", "z1", "h1", "yhat1", "h0"} <= set(readable(page))
    for _ in range(20):
        step(page, how="key")
    box = active_box(page)
    assert box["inside"] and box["text"] >= 12


@pytest.mark.parametrize("name, query", [("skip-connection", ""), ("tanh-mlp", "&g=ops")])
def test_graph_and_mlp_op_views_still_draw_inside_the_stage(page, base_url, name, query):
    open_preset(page, base_url, name, query)
    assert page.get_by_test_id("graph").get_attribute("data-layout") == "dagre"
    assert len(readable(page)) >= 5
    assert stage_fits_the_window(page)


# The fraction of pixels that are not white in a PNG, decoded by the browser from its bytes.
INK = """async (b64) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0);
  const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  let ink = 0, dark = 0;
  for (let i = 0; i < data.length; i += 4) {
    const m = Math.min(data[i], data[i + 1], data[i + 2]);
    if (m < 245) ink += 1;
    if (Math.max(data[i], data[i + 1], data[i + 2]) < 80) dark += 1;
  }
  const n = data.length / 4;
  return { width: bitmap.width, height: bitmap.height, ink: ink / n, dark: dark / n };
}"""


def ink_of(page, data):
    return page.evaluate(INK, base64.b64encode(data).decode())


@pytest.mark.parametrize("name, query, steps", [
    ("rnn-vanishing", "", 12), ("lstm-vs-rnn", "", 0), ("remember-first", "", 40),
    ("skip-connection", "", 3), ("tanh-mlp", "&g=ops", 0), ("two-moons", "", 0),
])
def test_the_png_export_shows_what_the_stage_shows(page, base_url, tmp_path, name, query, steps):
    open_preset(page, base_url, name, query)
    for _ in range(steps):
        step(page, how="key")
    stage = page.get_by_test_id("graph")
    box = stage.bounding_box()
    with page.expect_download() as info:
        page.get_by_test_id("export-png").click()
    path = tmp_path / "stage.png"
    info.value.save_as(path)
    exported = ink_of(page, path.read_bytes())
    screen = ink_of(page, stage.screenshot())
    assert (exported["width"], exported["height"]) == (round(box["width"] * 2), round(box["height"] * 2))
    assert exported["ink"] > 0.03 and exported["dark"] > 0.001, f"a blank export: {exported}"
    # The same picture as on screen: about as much of it drawn (2× the pixels, same share).
    assert 0.6 < exported["ink"] / screen["ink"] < 1.6, (exported, screen)


def test_the_lstm_and_rnn_charts_share_one_log_y_range(page, base_url, api):
    open_preset(page, base_url, "lstm-vs-rnn")
    page.wait_for_function("""() => { const f = [...document.querySelectorAll('[data-testid^="compare-"]')];
      return f.length === 2 && f.every((x) => x.dataset.norms); }""")
    page.wait_for_function("""() => { const [a, b] = [...document.querySelectorAll('.compare-chart')]
      .map((c) => c.dataset.yRange); return a && a === b; }""", timeout=10000)
    ranges = page.evaluate("() => [...document.querySelectorAll('.compare-chart')].map((c) => c.dataset.yRange.split(',').map(Number))")
    assert ranges[0] == ranges[1]
    lo, hi = ranges[0]
    norms = page.evaluate("""() => [...document.querySelectorAll('[data-testid^="compare-"]')]
      .map((f) => JSON.parse(f.dataset.norms))""")
    logs = [math.log10(v) for curve in norms for v in curve if isinstance(v, (int, float)) and v > 0]
    # The range holds both curves, in whole decades, and the two curves do differ in range:
    # a chart of its own would have drawn the LSTM on fewer decades.
    assert lo <= min(logs) and max(logs) <= hi and lo == int(lo) and hi == int(hi)
    lstm = [math.log10(v) for v in norms[1] if v > 0]
    assert math.floor(min(lstm)) > lo
