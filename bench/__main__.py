"""Run every benchmark: ``python -m bench``."""

import sys

from bench import bench_filters, bench_import

sys.argv = sys.argv[:1]
bench_filters.main()
bench_import.main()
