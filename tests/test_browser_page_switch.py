"""In a real headless Chromium: settings and pickers show what the server uses after a
page switch (AppTest has no front end, so it cannot see this).

After a visit to another page, the browser draws a page's widgets anew and shows only what
the server sends it; the solve settings once came back at their minimums (1 s, 1 worker,
seed 0) and the pickers showed another choice than the one in use. Needs Debian's
``chromium`` and Playwright's Python package; never ``playwright install``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dashboards.samples import small_ward
from optimizer.io.project import problem_to_json
from tests.test_browser import CHROMIUM, running_app

pytestmark = pytest.mark.browser

WAIT = 15.0  # seconds for the page to show what is expected
SOLVE_WAIT_MS = 90_000


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    with running_app() as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any, app_url: str) -> Iterator[Any]:
    """A new browser tab: a new session of the app, with the demo hospital loaded."""
    tab = browser.new_page(viewport={"width": 1400, "height": 1000})
    tab.set_default_timeout(60_000)
    tab.goto(app_url)  # the Data page
    tab.get_by_role("heading", name="Data").first.wait_for()
    settle(tab)
    try:
        yield tab
    finally:
        tab.close()


def settle(page: Any) -> None:
    """Wait until the app has finished the run the last action started."""
    time.sleep(0.4)  # let the rerun begin
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for()


def go(page: Any, name: str) -> None:
    """Switch pages with the sidebar link, as a planner does (same session)."""
    page.get_by_role("link", name=name).click()
    page.get_by_role("heading", name=name).first.wait_for()
    settle(page)


def enter(page: Any, label: str, value: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(value)
    field.press("Enter")
    settle(page)


def values(page: Any, *labels: str) -> list[str]:
    return [page.get_by_label(label, exact=True).input_value() for label in labels]


def chosen(page: Any, picker: str) -> str:
    """The option the browser shows as chosen in the radio picker labelled ``picker``."""
    group = page.locator('[data-testid="stRadio"]').filter(has_text=picker)
    texts: list[str] = group.locator("input[type=radio]:checked").evaluate_all(
        "els => els.map(e => e.closest('label').innerText.trim())"
    )
    return texts[0] if len(texts) == 1 else f"{len(texts)} chosen"


def pick(page: Any, picker: str, option: str) -> None:
    group = page.locator('[data-testid="stRadio"]').filter(has_text=picker)
    group.get_by_text(option, exact=True).click()
    settle(page)


def eventually(read: Callable[[], Any], expected: Any) -> None:
    """``read()`` equals ``expected`` within WAIT seconds (else the last value is shown)."""
    deadline = time.monotonic() + WAIT
    seen = read()
    while seen != expected and time.monotonic() < deadline:
        time.sleep(0.3)
        seen = read()
    assert seen == expected


def main_text(page: Any) -> str:
    text: str = page.locator('[data-testid="stMain"]').inner_text()
    return text


def test_solve_settings_show_their_values_after_a_page_switch(page: Any) -> None:
    settings = ("Time limit (s)", "Workers", "Seed")
    go(page, "Roster")
    for label, value in zip(settings, ("60", "2", "5"), strict=True):
        enter(page, label, value)
    go(page, "Cases")
    enter(page, "Time limit (s)", "33")
    go(page, "Roster")
    eventually(lambda: values(page, *settings), ["60", "2", "5"])
    # the next run sends what the browser shows back to the server: still the settings
    enter(page, "Seed", "6")
    eventually(lambda: values(page, *settings), ["60", "2", "6"])
    go(page, "Cases")
    eventually(lambda: values(page, "Time limit (s)"), ["33"])
    go(page, "Roster")
    eventually(lambda: values(page, *settings), ["60", "2", "6"])


def test_data_pickers_show_the_part_and_table_in_use_after_a_page_switch(page: Any) -> None:
    pick(page, "Data to edit", "Case schedule")
    pick(page, "Table", "rooms")
    assert "In use: Demo surgical week" in main_text(page)
    go(page, "Roster")
    go(page, "Data")
    eventually(
        lambda: (chosen(page, "Data to edit"), chosen(page, "Table")), ("Case schedule", "rooms")
    )
    assert "In use: Demo surgical week" in main_text(page)
    # the shown choice is the real one, so clicking the other part switches to it
    pick(page, "Data to edit", "Staff roster")
    eventually(lambda: "In use: Ward 7B" in main_text(page), True)
    eventually(lambda: chosen(page, "Table"), "staff")


def test_plan_picker_and_replan_time_limit_survive_a_page_switch(page: Any, tmp_path: Path) -> None:
    small = tmp_path / "small.json"
    small.write_text(problem_to_json(small_ward()), encoding="utf-8")
    page.locator('[data-testid="stFileUploader"] input[type=file]').set_input_files(str(small))
    sidebar_undo = page.locator('[data-testid="stSidebar"]').get_by_role("button").first
    eventually(lambda: "Undo: upload small.json" in sidebar_undo.inner_text(), True)
    go(page, "Roster")
    enter(page, "Time limit (s)", "5")
    enter(page, "Workers", "1")
    page.get_by_role("button", name="Solve").click()
    page.get_by_text("Coverage met").first.wait_for(timeout=SOLVE_WAIT_MS)
    settle(page)
    go(page, "Changes / what-if")
    pick(page, "Plan", "Case schedule")
    go(page, "Data")
    go(page, "Changes / what-if")
    eventually(lambda: chosen(page, "Plan"), "Case schedule")
    pick(page, "Plan", "Staff roster")
    eventually(lambda: chosen(page, "Plan"), "Staff roster")
    page.get_by_role("button", name="Add leave").click()
    page.get_by_text("Changes in this scenario").wait_for()
    settle(page)
    enter(page, "Time limit (s)", "7")
    go(page, "Data")
    go(page, "Changes / what-if")
    eventually(lambda: values(page, "Time limit (s)"), ["7"])
