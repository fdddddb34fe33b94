"""Browser test fixtures: the real app served by uvicorn in a thread, and a Chromium page
(Debian's /usr/bin/chromium through Playwright) that fails the test on any console error
or uncaught page error.

The browser tests are skipped only when Chromium is absent on a developer machine; in CI
(the CI environment variable is set) a missing Chromium is a failure.
"""

import os
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from server.app import create_app
from server.config import Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 800}


def _require_chromium():
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing, and the browser tests must run in CI")
    pytest.skip(f"{CHROMIUM} is not installed (set CI=1 to make this a failure)")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def base_url(tmp_path_factory):
    """The app on a free port of 127.0.0.1, for the whole session."""
    port = _free_port()
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("data")))  # never ./.data
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def api(base_url):
    """An httpx client on the same server, to fetch the numbers the page must show."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser, bypass_csp):
    context = browser.new_context(viewport=VIEWPORT, bypass_csp=bypass_csp)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: page.errors.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" else None)
    page.on("pageerror", lambda err: page.errors.append(f"page error: {err}"))
    return context, page


@pytest.fixture
def page(browser):
    """A fresh page at a projector-like 1280×800; `page.errors` collects console errors.

    It bypasses the app's Content-Security-Policy, because Playwright's own string
    predicates (wait_for_function) are evaluated as script in the page, which the CSP
    refuses; tests/browser/test_csp.py checks the page under the CSP with `strict_page`."""
    context, page = _page(browser, bypass_csp=True)
    yield page
    context.close()


@pytest.fixture
def strict_page(browser):
    """A page under the app's Content-Security-Policy, as a browser sees it."""
    context, page = _page(browser, bypass_csp=False)
    yield page
    context.close()


@pytest.fixture
def student_page(browser):
    """A second page in its own browser context (another student's browser), at 1280×800,
    for tests that open one page's state on another; its errors fail the test too."""
    context, page = _page(browser, bypass_csp=True)
    yield page
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """Fails (not errors) a browser test whose page logged a console or page error."""
    outcome = yield
    pages = [item.funcargs.get(name) for name in ("page", "strict_page", "student_page")]
    errors = [e for page in pages if page is not None for e in page.errors]
    if outcome.excinfo is None and errors:
        outcome.force_exception(AssertionError("errors in the browser:\n" + "\n".join(errors)))
