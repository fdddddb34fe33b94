"""Frames per second of the training scene while it trains, in headless Chromium.

Starts the app (uvicorn in a thread, as tests/browser/conftest.py does), opens the two-moons
scene, switches its data to n = 256, trains for about 5 s with the boundary and unit maps
redrawn after every chunk (and the stage following the run), and counts
requestAnimationFrame callbacks in the page: at 1280×800, then in presenter mode at
1920×1080. Prints fps and training steps per second for each, and PASS/FAIL against 30 fps.
Always exits 0: a benchmark reports, the tests decide.

    .venv/bin/python bench/browser_fps.py [--seconds 5]
"""

import argparse
import socket
import sys
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from server.app import create_app  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
TARGET_FPS = 30
SCENE = '[data-testid="scene"]'

# Counts every animation frame the page gets; the training loop shares the main thread.
COUNT_FRAMES = """() => { window.__frames = 0; const tick = () => { window.__frames += 1;
  requestAnimationFrame(tick); }; requestAnimationFrame(tick); }"""
STEP = "() => Number(document.querySelector('[data-testid=train-step]').textContent)"


def start_server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    return server, f"http://127.0.0.1:{port}"


def measure(base_url, seconds, viewport, query=""):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # Playwright's string predicates are eval'd in the page: the app's CSP forbids that.
        page = browser.new_context(viewport=viewport, bypass_csp=True).new_page()
        page.goto(f"{base_url}/?preset=two-moons{query}")
        page.wait_for_selector(f"{SCENE}[data-ready=true]", state="attached")
        first = page.get_attribute(SCENE, "data-session")
        page.get_by_test_id("train-n").fill("256")
        page.get_by_test_id("train-n").press("Tab")
        page.wait_for_function(f"document.querySelector('{SCENE}').dataset.session !== '{first}'")
        page.evaluate(COUNT_FRAMES)
        page.get_by_test_id("train").click()
        start, steps0 = time.perf_counter(), page.evaluate(STEP)
        frames0 = page.evaluate("() => window.__frames")
        page.wait_for_timeout(seconds * 1000)
        frames, steps = page.evaluate("() => window.__frames"), page.evaluate(STEP)
        elapsed = time.perf_counter() - start
        browser.close()
    return (frames - frames0) / elapsed, (steps - steps0) / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    server, base_url = start_server()
    print("training scene, 2-8-8-1 tanh on 256 moons, boundary 40x40 + unit maps redrawn")
    for name, viewport, query in (("1280x800", {"width": 1280, "height": 800}, ""),
                                  ("presenter 1920x1080", {"width": 1920, "height": 1080}, "&present=1")):
        fps, steps_per_s = measure(base_url, args.seconds, viewport, query)
        verdict = "PASS" if fps >= TARGET_FPS else "FAIL"
        print(f"{name}: {fps:.1f} frames/s, {steps_per_s:.0f} training steps/s: {verdict} (target {TARGET_FPS} fps)")
    server.should_exit = True
    return 0


if __name__ == "__main__":
    sys.exit(main())
