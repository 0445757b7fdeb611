"""Benchmark: app cold start to the first rendered page, once the reference cache is built.

Run: ``.venv/bin/python -m bench.bench_app_start [--referrals N] [--runs N]``. Fills a temporary store
with 1,000,000 demo referrals (as the issue asks; never the user's store), then, for each run and
each page, starts ``streamlit run app.py`` on a free port and opens the page in a new headless
Chromium (a first visit: nothing cached in the browser). Times are from starting the server process:

* **Overview** (the page the app opens on): complete, meaning the script reached the footer, every
  chart is drawn and every table shows;
* **Map**: the neighbourhood shapes drawn (the page's table may still be arriving);
* a second visitor opening the Map on the server that is now running;
* a returning browser: the server restarted cold, the page opened by a browser that has visited the
  app before and so holds Streamlit's script files (the everyday case of a bookmarked dashboard).

With ``--floor`` it also times, the same way, a bare Streamlit page holding only a title, one small
Plotly chart, one small table and a caption (none of the app's code or data): what Streamlit and
the browser alone cost on this machine, for reading the app's times against.

The browser is launched before the server so that its own start-up is not counted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from equity.settings import REPO_ROOT
from ui.serve import app_command, free_port

MAP_RENDERED = """() => document.querySelectorAll('[data-testid=stMain] .js-plotly-plot path.choroplethlocation')
  .length"""

PAGE_COMPLETE = """(footer) => { const main = document.querySelector('[data-testid=stMain]');
  if (!main || !main.innerText.includes(footer)) return false;
  const charts = [...main.querySelectorAll('.js-plotly-plot')];
  if (!charts.length || !charts.every(g => g._fullLayout && g.querySelector('.main-svg .trace'))) return false;
  return [...main.querySelectorAll('[data-testid=stDataFrame]')].every(t => t.querySelector('canvas')); }"""


FLOOR_APP = """
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="Floor", layout="wide")
st.title("A bare Streamlit page")
st.plotly_chart(go.Figure(go.Bar(x=[3, 1, 2, 4], y=["A", "B", "C", "D"], orientation="h")))
st.dataframe(pd.DataFrame({"a": range(5), "b": list("abcde")}))
st.caption(FOOTER)
"""


def _start_server(store: Path, port: int, script: Path) -> subprocess.Popen:
    return subprocess.Popen(
        app_command(port, script=script),
        cwd=REPO_ROOT,
        env=dict(os.environ, EQUITY_STORE=str(store)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_healthy(port: int) -> None:
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return
        except OSError:
            time.sleep(0.05)


def one_start(
    store: Path,
    path: str,
    condition: str,
    arg: object = None,
    second_visitor: bool = False,
    returning: bool = False,
    script: Path = REPO_ROOT / "app.py",
) -> dict:
    """Seconds from ``streamlit run`` to the health check and to ``condition`` true on ``path``, in a new
    browser. ``second_visitor``: also a second tab on the running server. ``returning``: then restart the
    server on the same address and time it again from the restart, in a new tab of the same browser,
    which keeps Streamlit's script files (served as immutable for a year) in its cache."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        tab = browser.new_page(viewport={"width": 1280, "height": 720})
        t0 = time.perf_counter()
        proc = _start_server(store, port, script)
        try:
            _wait_healthy(port)
            result = {"healthy": time.perf_counter() - t0}
            tab.goto(f"http://127.0.0.1:{port}/{path}", wait_until="commit")
            tab.wait_for_function(condition, arg=arg, timeout=60_000, polling=50)
            result["rendered"] = time.perf_counter() - t0
            if second_visitor:
                other = browser.new_page(viewport={"width": 1280, "height": 720})
                t1 = time.perf_counter()
                other.goto(f"http://127.0.0.1:{port}/{path}", wait_until="commit")
                other.wait_for_function(condition, arg=arg, timeout=60_000, polling=50)
                result["second"] = time.perf_counter() - t1
            if returning:
                proc.terminate()
                proc.wait(timeout=20)
                again = browser.new_page(viewport={"width": 1280, "height": 720})
                t2 = time.perf_counter()
                proc = _start_server(store, port, script)
                _wait_healthy(port)
                again.goto(f"http://127.0.0.1:{port}/{path}", wait_until="commit")
                again.wait_for_function(condition, arg=arg, timeout=60_000, polling=50)
                result["returning"] = time.perf_counter() - t2
        finally:
            proc.terminate()
            proc.wait(timeout=20)
            browser.close()
    return result


def _summary(label: str, values: list[float]) -> str:
    runs = ", ".join(f"{v:.2f}" for v in values)
    return f"{label}: median {statistics.median(values):.2f} s (runs {runs})"


def main() -> None:
    from data.demo import generate
    from data.store import replace_all
    from equity.settings import load_settings
    from geo.cache import load_areas, load_change_links
    from ui.common import ATTRIBUTION

    parser = argparse.ArgumentParser()
    parser.add_argument("--referrals", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--floor", action="store_true", help="also time a bare Streamlit page (see above)")
    args = parser.parse_args()
    cfg = load_settings()
    footer = ATTRIBUTION[:60]
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "bench.duckdb"
        frame = generate(load_areas(cfg.cache_dir, 2025), load_change_links(cfg.cache_dir), referrals=args.referrals)
        replace_all(store, frame, kind="demo", description="bench")
        del frame
        floor_app = Path(tmp) / "floor.py"
        floor_app.write_text(FLOOR_APP.replace("FOOTER", repr(footer)))
        overview, maps, floor = [], [], []
        for _ in range(args.runs):
            overview.append(one_start(store, "", PAGE_COMPLETE, footer, returning=True))
            maps.append(one_start(store, "map", f"({MAP_RENDERED})() > 0", second_visitor=True, returning=True))
            if args.floor:
                floor.append(one_start(store, "", PAGE_COMPLETE, footer, script=floor_app))
    print(f"{args.referrals:,} referrals in the store; {args.runs} cold starts per page; target < 3 s")
    print(_summary("server healthy", [r["healthy"] for r in overview + maps]))
    print(_summary("cold start to the Overview (opening page) complete", [r["rendered"] for r in overview]))
    print(_summary("cold start to the Map page's shapes rendered", [r["rendered"] for r in maps]))
    print(_summary("a second visitor on the running server to the Map rendered", [r["second"] for r in maps]))
    print(_summary("server restarted, returning browser: Overview complete", [r["returning"] for r in overview]))
    print(_summary("server restarted, returning browser: Map rendered", [r["returning"] for r in maps]))
    if floor:
        print(_summary("bare Streamlit page (title, chart, table) complete", [r["rendered"] for r in floor]))


if __name__ == "__main__":
    main()
