"""Run every benchmark: ``python -m bench``."""

from bench import bench_filters

bench_filters.main()
