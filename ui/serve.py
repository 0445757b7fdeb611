"""Start the app server: ``python -m ui.serve [SCRIPT] [streamlit flags]`` is ``streamlit run`` with one
fix, used by ``make run``, the browser tests and the cold-start benchmark (:func:`app_command`).

The fix: Streamlit decides, when its first session starts, whether the app uses the old ``pages/``
folder convention, by whether a ``pages/`` folder exists beside the script; it does (one folder per
sidebar section), so the first run of a fresh server goes through Streamlit's old multipage mode before
``st.navigation`` switches it off. A shared link such as ``/map`` opened as that first request then still
renders the Map, but under a "Page not found" dialog. Deciding "no old-style pages" before the server
starts removes the dialog (tests/e2e/test_fresh_server.py checks both).
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from equity.settings import REPO_ROOT


def app_command(port: int, *extra: str, script: Path = REPO_ROOT / "app.py") -> list[str]:
    """The app server (or another ``script``) on ``port`` with this interpreter, headless, no usage
    statistics, plus ``extra`` flags. Run it with the repository as the working directory."""
    return [
        sys.executable,
        "-m",
        "ui.serve",
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
        return int(s.getsockname()[1])


def main(argv: Sequence[str] | None = None) -> None:
    """``streamlit run`` in this process, with the old ``pages/`` convention switched off first."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli as streamlit_cli

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0].startswith("-"):
        args.insert(0, str(REPO_ROOT / "app.py"))
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", *args]
    streamlit_cli.main()


if __name__ == "__main__":  # pragma: no cover
    main()
