"""Packaging: the wheel's package list, the vendored front-end files against the lock file,
and /vendor exposing exactly those files."""

import importlib.util
import tomllib
from pathlib import Path

from fastapi.testclient import TestClient

from server.app import create_app

ROOT = Path(__file__).resolve().parent.parent


def _vendor_tool():
    spec = importlib.util.spec_from_file_location("vendor_tool", ROOT / "tools" / "vendor.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_wheel_lists_every_package_under_server():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "server").rglob("__init__.py")}
    assert found | {"server.static", "server.templates"} == listed


def test_vendored_files_are_the_lock_files_versions():
    tool = _vendor_tool()
    assert tool.check() == []
    assert set(tool.locked_versions()) == set(tool.FILES)


def test_vendor_serves_what_the_page_loads_and_nothing_else(tmp_path):
    client = TestClient(create_app())
    for path in _vendor_tool().served_paths():
        r = client.get(f"/vendor/{path}")
        assert r.status_code == 200, path
        assert r.content == (ROOT / "static" / "vendor" / path).read_bytes()
    assert client.get("/vendor/uplot/dist/uPlot.esm.js").headers["content-type"].startswith("text/javascript")
    for hidden in (".package-lock.json", "uplot/package.json", "redoc/bundles/redoc.lib.js",
                   "../pyproject.toml", "manifest.json"):
        assert client.get(f"/vendor/{hidden}").status_code == 404, hidden


def test_package_data_takes_every_file_of_static_and_templates():
    """A file the page needs but package-data's patterns miss would be absent once installed."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    for package, folder in config["package-dir"].items():
        root = ROOT / folder
        taken = {p for pattern in config["package-data"][package] for p in root.glob(pattern)}
        every = {p for p in root.rglob("*") if p.is_file()}
        assert every - taken == set(), f"{folder}: add a package-data pattern for these"
