"""Drawing the pages must not load the cache builder's heavy libraries (GeoPandas, pyproj, shapely):
each adds to every cold start of the app (`python -m bench.bench_app_start`)."""

import os
import subprocess
import sys

from equity.settings import REPO_ROOT

DRAW_THE_OPENING_PAGE_AND_THE_MAP = """
import sys
from equity.settings import load_settings
from equity.selection import Selection
from publish import tables
from publish.mapview import explorer_map
cfg = load_settings()
assert len(tables.get("overview_headline", cfg, Selection())) == 5  # L&SC and its four Places
table = tables.get("map_areas", cfg, Selection(), {"level": "lsoa"})
fig = explorer_map(cfg, Selection(), metric_key="access_ratio", level="lsoa", highlight=True, source="s",
                   table=table, geometry_url="app/static/geo/x.json")
assert len(table) == 1060, len(table)
print(" ".join(sorted(m for m in ("geopandas", "pyproj", "shapely") if m in sys.modules)))
"""


def test_drawing_pages_does_not_import_the_cache_builder_libraries(settings, demo_store):
    env = dict(os.environ, EQUITY_STORE=str(demo_store), PYTHONPATH=str(REPO_ROOT))
    result = subprocess.run(
        [sys.executable, "-c", DRAW_THE_OPENING_PAGE_AND_THE_MAP],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == ""
