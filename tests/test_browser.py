"""End to end in a real headless Chromium: start the app, load the demo, solve, see the roster.

Needs Debian's ``chromium`` (``.ci/run`` installs it) and Playwright's Python package;
never ``playwright install``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
START_TIMEOUT = 60.0
NAV_TRIES = 3
"""Clicks on a sidebar link before giving up: one that lands while the page is still
re-running (a loaded machine) can be dropped by Streamlit."""

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"streamlit exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200 and response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"no health answer from {url} within {START_TIMEOUT:.0f} s")


@contextmanager
def running_app(extra_env: Mapping[str, str] | None = None) -> Iterator[str]:
    """The dashboard served on a free 127.0.0.1 port (its URL); stopped on exit."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "dashboards" / "app.py"),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
    ]
    env = {**os.environ, **(extra_env or {})}
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    with running_app({"CAREALLOC_DASHBOARD_TEST": "1"}) as url:
        yield url


def _open_page(page: Page, link: str, marker: str) -> None:
    """Open the sidebar page ``link`` and wait until ``marker`` shows (bounded retries)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(NAV_TRIES - 1):
        page.get_by_role("link", name=link).click()
        try:
            page.get_by_text(marker).first.wait_for(timeout=20_000)
            return
        except PlaywrightTimeout:
            continue
    page.get_by_role("link", name=link).click()
    page.get_by_text(marker).first.wait_for()


def test_health_endpoint_answers(app_url: str) -> None:
    with urllib.request.urlopen(f"{app_url}/_stcore/health", timeout=5) as response:
        assert response.status == 200
        assert response.read().strip() == b"ok"


def test_load_demo_solve_and_see_roster_grid_and_kpi(app_url: str, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto(app_url)  # the Data page is the default page
            page.get_by_role("button", name="Load demo hospital").click()
            page.get_by_text("Ward 7B").first.wait_for()
            _open_page(page, "Roster", "Not solved yet")  # same session
            limit = page.get_by_label("Time limit (s)")
            limit.fill("120")
            limit.press("Enter")
            page.get_by_role("button", name="Solve").click()
            # the live progress shows the first roster's penalty; then stop the solver,
            # which keeps that roster (and proves the UI stayed responsive meanwhile)
            page.get_by_text("improving solutions · penalty").wait_for(timeout=90_000)
            page.get_by_role("button", name="Cancel").click()
            page.get_by_text("Coverage met").first.wait_for(timeout=30_000)
            page.locator(".js-plotly-plot").first.wait_for()
            assert page.get_by_text("Roster grid").count() >= 1
            assert page.locator('[data-testid="stMetricValue"]').count() >= 5
            page.screenshot(path=str(tmp_path / "roster.png"), full_page=True)
        finally:
            browser.close()
    assert (tmp_path / "roster.png").stat().st_size > 10_000
