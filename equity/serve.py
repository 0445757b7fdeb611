"""The command line that starts the app server on a port, shared by the browser tests and the
cold-start benchmark so both measure the app as `make run` starts it (headless, no usage statistics)."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

from equity.settings import REPO_ROOT


def app_command(port: int, *extra: str, script: Path = REPO_ROOT / "app.py") -> list[str]:
    """``python -m streamlit run app.py`` (or another ``script``) on ``port`` with this interpreter,
    plus ``extra`` flags."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        *extra,
    ]


def free_port() -> int:
    """A TCP port on localhost that nothing is listening on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
