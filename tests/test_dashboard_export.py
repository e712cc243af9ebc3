"""Export page and the whole app: navigation, first render with the demo, downloads."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboards.samples import small_ward
from dashboards.state import Workspace
from tests.verify import solve_verified

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"
TIMEOUT = 60


def page_script() -> None:
    from dashboards.views import export

    export.render()


def test_app_first_render_has_the_demo_and_every_page() -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.title[0].value == "Data"
    ws: Workspace = at.session_state["workspace"]
    assert ws.roster.problem is not None and len(ws.roster.problem.staff) >= 20
    for page in ("roster", "cases", "changes", "export"):
        at.switch_page(f"views/{page}.py")
        at.run()
        assert not at.exception, (page, at.exception)


def test_export_page_offers_csv_xlsx_and_calendars_after_a_solve() -> None:
    ws = Workspace()
    problem = small_ward()
    ws.roster.set_problem(problem)
    result, _ = solve_verified(problem, time_limit=5)
    ws.roster.set_result(result)
    at = AppTest.from_function(page_script, default_timeout=TIMEOUT)
    at.session_state["workspace"] = ws
    at.run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Roster (.csv: staff,day,shift)" in labels
    assert "Workbook (.xlsx, one sheet per view)" in labels
    assert "Calendars (.zip of 4 .ics)" in labels
    assert "Download .ics" in labels
    assert "Input bundle (.xlsx)" in labels


def test_cli_dashboard_command_prints_the_url_and_serves() -> None:
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-m", "optimizer.cli", "dashboard", "--port", str(port)]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith(f"carealloc dashboard: http://127.0.0.1:{port}")
        deadline = time.monotonic() + TIMEOUT
        body = b""
        while time.monotonic() < deadline and body != b"ok":
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health") as answer:
                    body = answer.read().strip()
            except OSError:
                time.sleep(0.3)
        assert body == b"ok"
    finally:
        process.terminate()
        process.wait(timeout=15)
