"""Start the real app with `streamlit run` and a headless Chromium (Debian's, installed by `make test`)."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from equity.serve import app_command, free_port
from equity.settings import REPO_ROOT

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def app_url(demo_store: Path, tmp_path_factory):
    port = free_port()
    env = dict(os.environ, EQUITY_STORE=str(demo_store))
    log_path = tmp_path_factory.mktemp("server") / "streamlit.log"
    log = log_path.open("w")
    proc = subprocess.Popen(
        app_command(port, "--server.address", "127.0.0.1"),
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
    yield url
    if proc.poll() is not None:  # the server died during the tests: show why
        print("streamlit exited early:\n" + log_path.read_text(errors="replace")[-4000:])
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


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
