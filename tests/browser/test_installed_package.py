"""`pip install .` and go: a fresh venv, the checkout installed as a wheel (not editable)
with no node or npm on the PATH, the `backprop-viz` command on a free loopback port, and
two scenes driven in Chromium with every non-loopback request aborted."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from offline import loopback_only

ROOT = Path(__file__).resolve().parents[2]
TEST_ONLY = {"pytest", "hypothesis", "playwright", "httpx"}


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _copy_checkout(target):
    """The files git tracks or would track (the work tree as it is), without .venv etc."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for rel in filter(None, (p.decode() for p in listed)):
        source = ROOT / rel
        if source.is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(the venv's bin dir, an environment whose PATH holds only it)."""
    tmp = tmp_path_factory.mktemp("installed")
    _copy_checkout(tmp / "src")
    subprocess.run([sys._base_executable, "-m", "venv", str(tmp / "venv")], check=True)
    bin_dir = tmp / "venv" / "bin"
    env = {**os.environ, "PATH": str(bin_dir), "HOME": str(tmp / "home"),
           "XDG_DATA_HOME": str(tmp / "data")}
    env.pop("BPV_DATA_DIR", None)
    assert shutil.which("node", path=env["PATH"]) is None and shutil.which("npm", path=env["PATH"]) is None
    subprocess.run([str(bin_dir / "pip"), "install", "--disable-pip-version-check", "-q",
                    str(tmp / "src")], env=env, cwd=tmp, check=True, timeout=600)
    return tmp, bin_dir, env


@pytest.fixture(scope="module")
def served(installed):
    tmp, bin_dir, env = installed
    port = _free_port()
    server = subprocess.Popen([str(bin_dir / "backprop-viz"), "--host", "127.0.0.1", "--port", str(port)],
                              env=env, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert server.poll() is None and time.monotonic() < deadline, server.stderr.read().decode()
        time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(timeout=10)


def test_the_install_holds_no_test_package(installed):
    _, bin_dir, env = installed
    listed = subprocess.run([str(bin_dir / "pip"), "list", "--format=json"], env=env,
                            capture_output=True, check=True).stdout
    names = {p["name"].lower() for p in json.loads(listed)}
    assert "backprop-viz" in names and not names & TEST_ONLY


def test_the_graph_is_laid_out_offline(page, served):
    blocked = loopback_only(page)
    page.goto(f"{served}/?preset=skip-connection")
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30_000)
    nodes = page.locator('[data-testid="graph"] [data-testid^="node-"]')
    assert nodes.count() >= 10  # every op of the graph, placed by dagre
    boxes = [nodes.nth(i).bounding_box() for i in range(nodes.count())]
    assert len({(round(b["x"]), round(b["y"])) for b in boxes}) == len(boxes)  # none on another
    assert blocked == []


def test_the_loss_chart_is_drawn_offline(page, served, installed):
    blocked = loopback_only(page)
    page.goto(f"{served}/?preset=two-moons")
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30_000)
    page.wait_for_selector('[data-testid="scene"] .uplot canvas', state="attached", timeout=30_000)
    assert blocked == []
    # Sessions went to the per-user data directory, not into the working directory.
    tmp, _, _ = installed
    assert list((tmp / "data" / "backprop-viz").glob("sessions.sqlite3*"))
