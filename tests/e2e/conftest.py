"""Start the real app as `make run` does (`python -m ui.serve`) and a headless Chromium (Debian's,
installed by `make test`)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from equity.settings import REPO_ROOT
from ui.serve import app_command, free_port

CHROMIUM = "/usr/bin/chromium"


@contextlib.contextmanager
def running_app(
    store: Path, log_dir: Path, *extra: str, env: dict[str, str] | None = None, port: int | None = None
) -> Iterator[str]:
    """A new app server (`python -m ui.serve`, as `make run` starts it) on a free port with ``store``;
    yields its URL once it is healthy
    (the health check loads no page, so the first page request is still the first one)."""
    port = port or free_port()
    env = dict(os.environ, EQUITY_STORE=str(store), **(env or {}))
    log_path = log_dir / "streamlit.log"
    log = log_path.open("w")
    proc = subprocess.Popen(
        app_command(port, "--server.address", "127.0.0.1", *extra),
        cwd=REPO_ROOT,
        env=env,
        stdout=log,  # a file, not a pipe: a full pipe would stall the server
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("streamlit did not start: " + log_path.read_text(errors="replace")[-2000:])
    try:
        yield url
    finally:
        if proc.poll() is not None:  # the server died during the tests: show why
            print("streamlit exited early:\n" + log_path.read_text(errors="replace")[-4000:])
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def app_url(demo_store: Path, tmp_path_factory):
    with running_app(demo_store, tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    pg = context.new_page()
    yield pg
    context.close()
