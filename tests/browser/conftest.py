"""Fixtures for real-browser tests: the dashboard server and Chromium with no network.

Chromium is Debian's ``/usr/bin/chromium`` driven by Playwright. Without it the
tests skip with a message, except in CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from asmsim.present.dashboard import assets, server

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("ASMSIM_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(f"browser tests skipped: {reason} (apt-get install -y chromium)")


def _no_chromium() -> str:
    """Why there is no Chromium to drive ("" if there is one)."""
    return "" if Path(CHROMIUM).is_file() or shutil.which(CHROMIUM) else f"no Chromium at {CHROMIUM}"


def _require_chromium() -> None:
    """Skip (fail in CI) when there is no Chromium to drive."""
    if _no_chromium():
        _unavailable(_no_chromium())


def pytest_collection_modifyitems(config, items):
    """Without Chromium (outside CI), mark the tests that need it skipped: one line in the summary.

    (Skipped from a fixture, each test would get a line of its own.)
    """
    reason = _no_chromium()
    if not reason or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason=f"browser tests skipped: {reason} (apt-get install -y chromium)")
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind((server.HOST, 0))
        return sock.getsockname()[1]


def answers(url: str) -> bool:
    """Whether a server answers ``url`` with 200."""
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return reply.status == 200
    except OSError:
        return False


def wait_until_served(proc: subprocess.Popen, url: str, log: Path, seconds: float = 60) -> None:
    """Wait for ``url`` to answer; fail with the end of ``log`` if ``proc`` exits first."""
    deadline = time.monotonic() + seconds
    while not answers(url):
        if proc.poll() is not None:
            pytest.fail(f"dashboard server exited: {log.read_text()[-2000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"dashboard server did not answer within {seconds:g} s")
        time.sleep(0.3)


@pytest.fixture(scope="session")
def assets_dir() -> Path:
    """The offline front-end files (fetched once if missing)."""
    try:
        return assets.ensure_assets()
    except assets.AssetsError as exc:
        _unavailable(str(exc))


@pytest.fixture(scope="session")
def server_log(tmp_path_factory) -> Path:
    """Where the dashboard server writes its output (a file: a pipe nobody reads fills up)."""
    return tmp_path_factory.mktemp("dashboard") / "server.log"


@pytest.fixture(scope="session")
def dashboard_url(assets_dir, server_log):
    """Start ``asmsim``'s dashboard server on a free loopback port; always stop it."""
    _require_chromium()
    port = free_port()
    env = server.server_env(assets_dir, scenario="baseline", lang="en")
    with server_log.open("w") as log:
        proc = subprocess.Popen(server.server_command(port), env=env, cwd=REPO, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
    url = server.url(port)
    try:
        wait_until_served(proc, url, server_log)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


class OfflinePage:
    """A Chromium page that may reach 127.0.0.1 only, recording what went wrong."""

    def __init__(self, page):
        self.page = page
        self.blocked: list[str] = []
        self.failed: list[str] = []
        self.console_errors: list[str] = []
        page.route("**/*", self._route)
        page.on("console", lambda m: self.console_errors.append(m.text)
                if m.type == "error" else None)
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("requestfailed", self._request_failed)
        page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}")
                if r.status >= 400 else None)

    def _request_failed(self, request) -> None:
        """Record a failed request, except one the browser itself cancelled.

        Chromium cancels the requests still in flight when the page navigates
        (a reload, say) and reports them as ``net::ERR_ABORTED``; the server did
        not fail them. Server errors arrive as responses (status >= 400) and a
        refused or reset connection has its own error text: both are recorded.
        """
        if request.failure != "net::ERR_ABORTED":
            self.failed.append(f"{request.failure} {request.url}")

    def _route(self, route):
        if route.request.url.startswith(f"http://{server.HOST}"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright."""
    _require_chromium()
    try:
        from playwright import sync_api
    except ImportError:
        _unavailable("no playwright package")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS,
                                              timeout=30_000)
        yield chromium
        chromium.close()


@pytest.fixture
def open_dashboard(browser, dashboard_url):
    """Opens the dashboard in a fresh offline tab (a new tab = new runs), 1280 × 720 by default.

    ``open_dashboard(query, month_text)`` loads ``dashboard_url + query`` and waits
    for the month counter to read ``month_text``.
    """
    contexts = []

    def open_page(query: str = "", month_text: str = "Month 0 of 120",
                  viewport=(1280, 720)) -> OfflinePage:
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                      accept_downloads=True)
        contexts.append(context)
        context.set_default_timeout(60_000)  # a loaded CI machine answers slowly
        offline = OfflinePage(context.new_page())
        offline.page.goto(dashboard_url + query)
        offline.page.locator(".month-counter", has_text=month_text).wait_for(timeout=60_000)
        # the page has read its address and written its state back: it is live
        offline.page.wait_for_function("() => location.search.includes('scenario=')")
        return offline

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def dashboard(open_dashboard):
    """The dashboard freshly loaded at 1280 × 720, the size of a workshop projector."""
    return open_dashboard()
