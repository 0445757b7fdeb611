"""Benchmark: app cold start to the first rendered page, once the reference cache is built.

Run: ``.venv/bin/python -m bench.bench_app_start``. Starts ``streamlit run app.py`` on a free port
with a temporary demo store, opens the Map page in headless Chromium and reports the time from
process start to (a) the server answering its health check and (b) the map's shapes rendered.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from equity.settings import REPO_ROOT

RENDERED = """() => { const gd = [...document.querySelectorAll('.js-plotly-plot')]
  .find(g => g._fullLayout && g._fullLayout.map);
  if (!gd) return 0; return gd._fullLayout.map._subplot.map.queryRenderedFeatures()
  .filter(f => f.layer.id.endsWith('-fill')).length; }"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_start(store: Path, page: str) -> tuple[float, float, float]:
    """Seconds from `streamlit run` to the health check, and to the page's map shapes rendered.
    The browser is launched before the server so that its own start-up is not counted."""
    from playwright.sync_api import sync_playwright

    port = _port()
    env = dict(os.environ, EQUITY_STORE=str(store))
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        tab = browser.new_page(viewport={"width": 1280, "height": 720})
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(REPO_ROOT / "app.py"),
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.05)
            healthy = time.perf_counter() - t0
            tab.goto(f"http://127.0.0.1:{port}/{page}")
            tab.wait_for_function(f"({RENDERED})() > 0", timeout=60_000, polling=50)
            rendered = time.perf_counter() - t0
            second = browser.new_page(viewport={"width": 1280, "height": 720})
            t1 = time.perf_counter()
            second.goto(f"http://127.0.0.1:{port}/{page}")
            second.wait_for_function(f"({RENDERED})() > 0", timeout=60_000, polling=50)
            warm = time.perf_counter() - t1
        finally:
            proc.terminate()
            proc.wait(timeout=20)
            browser.close()
    return healthy, rendered, warm


def main() -> None:
    from data.demo import generate
    from data.store import replace_all
    from equity.settings import load_settings
    from geo.cache import load_areas, load_change_links

    cfg = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "demo.duckdb"
        replace_all(
            store,
            generate(load_areas(cfg.cache_dir, 2025), load_change_links(cfg.cache_dir)),
            kind="demo",
            description="bench",
        )
        runs = [one_start(store, "map") for _ in range(3)]
    print(f"cold start, server healthy: median {statistics.median(r[0] for r in runs):.2f} s")
    print(
        f"cold start to Map page rendered in Chromium: median {statistics.median(r[1] for r in runs):.2f} s, "
        f"runs {', '.join(f'{r[1]:.2f}' for r in runs)} (target < 3 s)"
    )
    print(
        f"a second visitor on the running server to Map page rendered: median "
        f"{statistics.median(r[2] for r in runs):.2f} s"
    )


if __name__ == "__main__":
    main()
