"""What the Core20PLUS5 page shows besides its named tables (``publish.tables``, where every count, rate and
ratio is published): the gradient in words, the recorded PLUS flags and the neighbourhoods that change Core20
status between IMD vintages."""

from __future__ import annotations

import pandas as pd

from equity import core20
from equity.dashboard import lsoa_frame
from equity.need import NeedModel
from equity.queries import reading
from equity.queries import recorded_flags as flags_in
from equity.selection import Selection
from equity.settings import Settings


def gradient_sentence(settings: Settings, selection: Selection, measure: str, model: NeedModel) -> str:
    """The deprivation gradient (SII/RII) in words."""
    frame = lsoa_frame(settings, selection)
    try:
        return core20.gradient_sentence(core20.gradient_summary(frame, measure, model), measure)
    except ValueError as exc:
        return str(exc)


def recorded_flags(settings: Settings) -> list[str]:
    with reading(settings.store_location) as referrals:
        return flags_in(referrals)


def vintage_changes(settings: Settings, selection: Selection) -> pd.DataFrame:
    """LSOA 2021 neighbourhoods entering or leaving Core20 between IMD 2019 and IMD 2025 (public data)."""
    from geo.cache import load_areas, load_change_links

    areas25 = load_areas(settings.cache_dir, 2025)
    areas19 = load_areas(settings.cache_dir, 2019)
    changes = core20.vintage_changes(areas25, areas19, load_change_links(settings.cache_dir))
    if selection.places:
        changes = changes[changes["place"].isin(selection.places)]
    return changes.reset_index(drop=True)
