"""Dashboard responsiveness: first render with the demo, reruns during a solve, 60 × 42 roster.

Run: ``.venv/bin/python scripts/bench_dashboard.py`` (prints a Markdown table).
Times are wall-clock seconds of the Streamlit script run (what the server does
before the browser can draw), measured with ``streamlit.testing`` in this process.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COLD_FIRST_RENDER = """
import time
start = time.perf_counter()
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({app!r}, default_timeout=60).run()
first = time.perf_counter() - start
assert not at.exception, at.exception
start = time.perf_counter()
at.run()
print(first, time.perf_counter() - start)
"""


def cold_first_render() -> tuple[float, float, float]:
    """Fresh interpreter: imports + demo load + Data page; then one rerun.

    Returns (wall seconds of the first run, wall seconds of a rerun, CPU seconds of the
    whole child process: less sensitive to other load on a shared machine).
    """
    code = COLD_FIRST_RENDER.format(app=str(ROOT / "dashboards" / "app.py"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return float(out[-2]), float(out[-1]), cpu


def big_ward(staff: int = 60, days: int = 42) -> object:
    """The demo ward scaled to ``staff`` people and ``days`` days (cover repeated weekly)."""
    from optimizer.demo.ward import generate_ward
    from optimizer.model.roster import CoverDemand, RosterProblem

    base = generate_ward()
    people = []
    for i in range(staff):
        model = base.staff[i % len(base.staff)]
        people.append(
            model.model_copy(update={"id": f"S{i + 1:03d}", "name": f"{model.name} {i + 1}"})
        )
    cover = [
        CoverDemand(
            day=d,
            shift=c.shift,
            skill=c.skill,
            required=c.required * 2,
            under_weight=c.under_weight,
            over_weight=c.over_weight,
        )
        for d in range(days)
        for c in base.cover
        if c.day == d % 7
    ]
    return RosterProblem(
        name=f"Scaled ward ({staff} staff, {days} days)",
        start_date=base.start_date,
        num_days=days,
        shifts=base.shifts,
        staff=tuple(people),
        cover=tuple(cover),
    )


def patterned_roster(problem: object) -> object:
    """A plausible roster (E/L/N rotation, two days off a week) to draw, not optimal."""
    from optimizer.model.result import Assignment, Result, RosterSolution, SolveStatus

    assert hasattr(problem, "staff") and hasattr(problem, "num_days")
    cycle = ["E", "E", "L", "L", "N", None, None]
    rows = [
        Assignment(staff=p.id, day=d, shift=s)
        for i, p in enumerate(problem.staff)
        for d in range(problem.num_days)
        if (s := cycle[(d + i) % 7]) is not None
    ]
    return Result(
        status=SolveStatus.FEASIBLE, objective=0, roster=RosterSolution(assignments=tuple(rows))
    )


def roster_page_times(repeats: int = 5) -> tuple[float, float, int]:
    """(first render with a new result, median rerun, cells) for the 60 × 42 roster page."""
    from streamlit.testing.v1 import AppTest

    from dashboards.state import Workspace

    problem = big_ward()
    result = patterned_roster(problem)
    ws = Workspace()
    ws.roster.set_problem(problem)
    ws.roster.set_result(result)  # type: ignore[arg-type]
    at = AppTest.from_string(
        "from dashboards.views import roster\nroster.render()", default_timeout=120
    )
    at.session_state["workspace"] = ws
    start = time.perf_counter()
    at.run()
    first = time.perf_counter() - start
    assert not at.exception, at.exception
    reruns = []
    for _ in range(repeats):
        start = time.perf_counter()
        at.run()
        reruns.append(time.perf_counter() - start)
    return first, statistics.median(reruns), 60 * 42


def rerun_during_solve(repeats: int = 10) -> tuple[float, float]:
    """Median and max page rerun while the demo ward solves in the background."""
    from streamlit.testing.v1 import AppTest

    from dashboards.state import Workspace, demo_roster

    ws = Workspace()
    ws.roster.set_problem(demo_roster())
    at = AppTest.from_string(
        "from dashboards.views import roster\nroster.render()", default_timeout=60
    )
    at.session_state["workspace"] = ws
    at.run()
    at.number_input(key="limit_roster").set_value(60)
    at.button(key="solve_roster").click().run()
    times = []
    try:
        for _ in range(repeats):
            time.sleep(0.5)
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
    finally:
        if ws.roster.job is not None:
            ws.roster.job.cancel()
            ws.roster.job.wait(15)
    return statistics.median(times), max(times)


def browser_first_render() -> tuple[float, float] | None:
    """(cold, warm) seconds from page request to the demo's tables on screen in Chromium.

    Cold: the first session of a fresh ``streamlit run`` (the app imports happen then).
    None when Chromium or Playwright is missing.
    """
    chromium = Path("/usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not chromium.exists():
        return None
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboards" / "app.py"),
         "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        times = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(chromium),
                args=["--headless", "--no-sandbox", "--disable-gpu",
                      "--disable-background-networking"],
            )  # fmt: skip
            for _ in range(2):
                page = browser.new_page()
                start = time.perf_counter()
                page.goto(url)
                page.get_by_text("In use:").wait_for(timeout=60_000)
                page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=60_000)
                times.append(time.perf_counter() - start)
                page.close()
            browser.close()
        return times[0], times[1]
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    load_before = os.getloadavg()
    first, rerun, cpu = cold_first_render()
    big_first, big_rerun, cells = roster_page_times()
    solve_median, solve_max = rerun_during_solve()
    browser = browser_first_render()
    load = os.getloadavg()
    print(
        f"date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, load average (1/5/15 min) "
        f"{load_before[0]:.2f}/{load_before[1]:.2f}/{load_before[2]:.2f} before and "
        f"{load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f} after, {os.cpu_count()} cores "
        "(shared machine)"
    )
    print()
    print("| measurement | seconds |")
    print("| --- | ---: |")
    print(
        f"| first render, demo loaded (fresh process: imports + demo + Data page) | {first:.2f} |"
    )
    print(f"| same, CPU time of the whole fresh process (user + system) | {cpu:.2f} |")
    print(f"| Data page rerun with the demo | {rerun:.2f} |")
    if browser is not None:
        print(
            f"| Chromium: page request → demo tables on screen, fresh server | {browser[0]:.2f} |"
        )
        print(f"| Chromium: the same, second session | {browser[1]:.2f} |")
    print(
        f"| Roster page, 60 staff × 42 days, first render of a result ({cells} cells) | "
        f"{big_first:.2f} |"
    )
    print(f"| Roster page, 60 × 42, rerun (median of 5) | {big_rerun:.2f} |")
    print(
        f"| Roster page rerun while the demo solves (median / max of 10) | "
        f"{solve_median:.2f} / {solve_max:.2f} |"
    )


if __name__ == "__main__":
    main()
