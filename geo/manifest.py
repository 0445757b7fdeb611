"""The reference cache's manifest: which build layout the cache holds (no heavy imports, so the app
can check the cache at start without loading GeoPandas)."""

from __future__ import annotations

import json
from pathlib import Path

BUILD_VERSION = 5  # bump when the layout or content of the cache changes (5: map rings clockwise, district outlines)


def cache_is_current(cache_dir: Path) -> bool:
    manifest = Path(cache_dir) / "manifest.json"
    if not manifest.is_file():
        return False
    try:
        return json.loads(manifest.read_text()).get("build_version") == BUILD_VERSION
    except (ValueError, OSError):
        return False
