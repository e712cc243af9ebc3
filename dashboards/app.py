"""carealloc planner dashboard: ``streamlit run dashboards/app.py``.

A thin multipage app over the Python API; each page lives in ``dashboards/views``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

if __package__ in (None, ""):  # run as a script by ``streamlit run``
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboards.state import workspace
from dashboards.widgets import history_controls, running_notes


def main() -> None:
    """Configure the page, take in finished solves, draw the sidebar, run the chosen page."""
    st.set_page_config(
        page_title="carealloc planner", page_icon=":material/local_hospital:", layout="wide"
    )
    ws = workspace()
    ws.collect()  # a solve that ended while its page was not shown
    with st.sidebar:
        history_controls(ws)
    pages = [
        st.Page(
            "views/data.py",
            title="Data",
            icon=":material/table_chart:",
            url_path="data",
            default=True,
        ),
        st.Page(
            "views/roster.py", title="Roster", icon=":material/calendar_month:", url_path="roster"
        ),
        st.Page("views/cases.py", title="Cases", icon=":material/schedule:", url_path="cases"),
        st.Page(
            "views/changes.py",
            title="Changes / what-if",
            icon=":material/compare_arrows:",
            url_path="changes",
        ),
        st.Page("views/export.py", title="Export", icon=":material/download:", url_path="export"),
    ]
    page = st.navigation(pages)
    running_notes(ws, page.url_path)
    page.run()


main()
