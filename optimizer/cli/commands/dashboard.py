"""``carealloc dashboard``: start the Streamlit planner dashboard."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from optimizer.cli.console import out
from optimizer.cli.errors import clean_errors
from optimizer.errors import CareallocError, InputError


@clean_errors
def dashboard_command(
    port: Annotated[int, typer.Option(help="port to serve on", min=1, max=65535)] = 8501,
    address: Annotated[str, typer.Option(help="address to bind")] = "127.0.0.1",
    headless: Annotated[bool, typer.Option(help="do not open a browser window")] = True,
) -> None:
    """Start the planner dashboard (Streamlit) with the demo hospital loaded."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("dashboards")
    if spec is None or not spec.submodule_search_locations:
        raise CareallocError("the dashboards package is not installed")
    if importlib.util.find_spec("streamlit") is None:
        raise CareallocError("the dashboard needs: pip install 'carealloc[dashboard]'")
    app_path = Path(next(iter(spec.submodule_search_locations))) / "app.py"
    _check_port_free(address, port)
    out.print(f"carealloc dashboard: http://{address}:{port}  (Ctrl+C stops it)")
    command = [
        sys.executable, "-m", "streamlit", "run", str(app_path),
        "--server.headless", str(headless).lower(), "--server.address", address,
        "--server.port", str(port), "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    sys.stdout.flush()
    os.execv(sys.executable, command)  # streamlit replaces this process (signals reach it)


def _check_port_free(address: str, port: int) -> None:
    """Fail with one message if the dashboard could not listen on ``address:port``."""
    import socket

    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            probe.bind((address, port))
        except OSError as exc:
            raise InputError(
                f"cannot listen on {address}:{port} ({exc.strerror or exc}); "
                "pick another --port or --address",
                field="--port",
            ) from None
