"""Classroom features: presenter mode, scene keys, and a share link that reopens the same step."""

from playwright.sync_api import expect


def _open(page, base_url, query=""):
    page.goto(f"{base_url}/{query}")
    page.wait_for_selector("body[data-ready=true]")


def test_presenter_hides_controls_and_number_keys_jump(page, base_url, api):
    presets = api.get("/api/v1/presets").json()
    _open(page, base_url, "?present=1")
    toolbar = page.locator(".toolbar")
    expect(toolbar).to_have_css("opacity", "0")
    page.keyboard.press("3")
    expect(page.get_by_test_id("preset-select")).to_have_value(presets[2]["name"])
    expect(page.get_by_test_id("scene-counter")).to_contain_text(f"3 / {len(presets)}")
    toolbar.hover()
    expect(toolbar).to_have_css("opacity", "1")


def test_shared_link_reopens_the_same_step(page, base_url, browser):
    _open(page, base_url, "?preset=tanh-mlp")
    for _ in range(12):
        page.get_by_test_id("step-forward").click()
    page.wait_for_function("location.search.includes('step=12')")
    phase = page.get_by_test_id("phase").text_content()
    read = "e => [e.dataset.value, e.dataset.phase, e.dataset.iteration, e.dataset.node]"
    values = page.get_by_test_id("formula").evaluate(read)
    assert values[0] and values[1] in ("forward", "backward", "update")
    other = browser.new_page()
    other.goto(page.url)
    other.wait_for_selector("body[data-ready=true]")
    assert other.get_by_test_id("phase").text_content() == phase
    assert other.get_by_test_id("formula").evaluate(read) == values
    other.close()


def test_numpy_export_prints_the_api_loss(page, base_url, api, tmp_path):
    import re
    import subprocess
    import sys

    _open(page, base_url, "?preset=tanh-mlp")
    with page.expect_download() as info:
        page.get_by_test_id("export-numpy").click()
    script = tmp_path / "run.py"
    info.value.save_as(script)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True).stdout
    preset = api.get("/api/v1/presets/tanh-mlp").json()
    want = api.post("/api/v1/backprop", json={"network": preset["network"], "x": preset["x"], "y": preset["y"]}).json()
    got = float(re.search(r"^loss = (\S+)", out, re.M).group(1))
    assert abs(got - want["loss"]) <= 1e-12


def test_svg_and_trace_exports_are_valid(page, base_url, tmp_path):
    import json
    import xml.etree.ElementTree as ET

    _open(page, base_url, "?preset=tanh-mlp")
    with page.expect_download() as info:
        page.get_by_test_id("export-svg").click()
    info.value.save_as(tmp_path / "g.svg")
    root = ET.parse(tmp_path / "g.svg").getroot()
    assert any((el.get("data-testid") or "").startswith("node-") for el in root.iter())
    with page.expect_download() as info:
        page.get_by_test_id("export-trace").click()
    info.value.save_as(tmp_path / "t.json")
    assert json.loads((tmp_path / "t.json").read_text())["iterations"][0]["trace"]["loss"] > 0
