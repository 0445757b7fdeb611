"""Run every benchmark: ``python -m bench``."""

import sys
from pathlib import Path

from bench import bench_app_start, bench_filters, bench_import, bench_store

sys.argv = sys.argv[:1]
bench_filters.main()
bench_import.main()
bench_store.main(["--rows", "1000000"])  # DuckDB and PostgreSQL (the scripts/postgres-up server)
if Path("/usr/bin/chromium").exists():
    sys.argv = [sys.argv[0], "--floor"]  # with the bare Streamlit page, to read the app's times against
    bench_app_start.main()
else:
    print("app cold start: not measured (needs Debian's chromium, which `make test` installs)")
