"""First-start preparation shared by the app and the command line: the reference cache and the demo store.

:func:`ensure_cache` builds the reference cache when it is missing or out of date; :func:`ensure_ready`
also fills an absent store with the demo referrals. Progress goes to the caller's callbacks, so the
app shows a progress bar and the command line prints to stderr.
"""

from __future__ import annotations

from collections.abc import Callable

from equity.settings import Settings

Progress = Callable[[float, str], None]
Status = Callable[[str], None]

def _quiet(fraction: float, message: str) -> None:
    return None


def ensure_cache(settings: Settings, progress: Progress | None = None) -> bool:
    """Build the reference cache unless it is current; True when it was built."""
    from geo.build import build_reference
    from geo.manifest import cache_is_current

    if cache_is_current(settings.cache_dir):
        return False
    report = progress or _quiet
    report(0.0, f"First start: building the reference data cache in {settings.cache_dir} ...")
    build_reference(settings.reference_dir, settings.cache_dir, settings.fringe_places, progress=report)
    return True


def ensure_ready(settings: Settings, progress: Progress | None = None, status: Status | None = None) -> None:
    """The reference cache, and the demo store when there is no store yet."""
    ensure_cache(settings, progress)
    from data.backend import store_has_data

    if not settings.store_location.writable or store_has_data(settings.store_location):
        return  # a store with data, or a read-only source (no demo there)
    from data.demo import DEFAULT_REFERRALS, DEFAULT_SEED, generate
    from data.store import replace_all
    from geo.cache import load_areas, load_change_links

    if status:
        status("First start: generating demo referrals ...")
    frame = generate(
        load_areas(settings.cache_dir, 2025), load_change_links(settings.cache_dir),
        referrals=DEFAULT_REFERRALS, seed=DEFAULT_SEED,
    )
    replace_all(
        settings.store_location, frame, kind="demo",
        description=f"Demo data: seed {DEFAULT_SEED}, {DEFAULT_REFERRALS:,} referrals",
    )
