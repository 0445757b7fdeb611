"""Streamlit helpers for the Reach and pathway page: cached loaders of sites, distances, referral
sources, conversion and waits; the screen tables; the site forms. Everything computed lives in
``equity.sites``, ``equity.reach`` and ``equity.pathway``."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import streamlit as st

from data.schema import SUPPORT_ELEMENTS
from data.store import StoreError
from equity import pathway, reach, sites
from equity.selection import Selection
from equity.settings import PLACES, Settings
from geo.mapassets import Bounds, outlines
from ui import format as fmt
from ui.auth import audit, current_access
from ui.forms import FLASH_KEY, STORE_BUSY, element_label
from ui.loaders import REFERENCE_HASH


def map_view(cfg: Settings, selection: Selection) -> tuple[Bounds, tuple[list, list]]:
    """Extent (lon/lat box) and Place outline for the selection's Places (all four when none are chosen)."""
    lines = outlines(cfg.cache_dir, selection.vintage)
    shown = sorted(set(selection.places) & set(lines.places)) or sorted(lines.places)
    return lines.extent(shown), lines.place_lines(shown)


def total_label(selection: Selection) -> str:
    return "L&SC ICB" if selection.is_whole_icb else "Total of selected areas"


@st.cache_data(hash_funcs=REFERENCE_HASH, show_spinner="Placing GP practices by postcode ...")
def gp_sites(cfg: Settings) -> pd.DataFrame:
    return sites.gp_sites(cfg.reference_dir)


def all_sites(cfg: Settings) -> pd.DataFrame:
    """GP practices and the store's active user sites, with lon/lat for the map (as the reach tables use)."""
    return sites.with_lonlat(sites.combine_sites(gp_sites(cfg), sites.user_sites(cfg.store_location)))


def _table(cfg: Settings, name: str, selection: Selection, **options: str) -> pd.DataFrame:
    from ui.loaders import table

    return table(cfg, name, selection, **options)


def source_mix(cfg: Settings, selection: Selection) -> pd.DataFrame:
    return _table(cfg, "pathway_source_mix", selection)


def conversion(cfg: Settings, selection: Selection, by: str) -> pd.DataFrame:
    return _table(cfg, "pathway_conversion", selection, by=by)


def median_wait(cfg: Settings, selection: Selection, by: str) -> pd.DataFrame:
    return _table(cfg, "pathway_waits", selection, by=by)


def user_sites(cfg: Settings) -> pd.DataFrame:
    return sites.user_sites(cfg.store_location)


def site_history(cfg: Settings) -> pd.DataFrame:
    return sites.site_history(cfg.store_location)


def types_present(all_sites_frame: pd.DataFrame) -> tuple[str, ...]:
    return sites.types_present(all_sites_frame)


def nearest(cfg: Settings, selection: Selection, site_type: str) -> pd.DataFrame:
    return _table(cfg, "reach_nearest", selection, site_type=site_type)


def all_types(cfg: Settings, selection: Selection) -> pd.DataFrame:
    return _table(cfg, "reach_all_types", selection)


def coverage(cfg: Settings, selection: Selection, site_type: str) -> pd.DataFrame:
    return _table(cfg, "reach_coverage", selection, site_type=site_type)


def access_by_band(cfg: Settings, selection: Selection, site_type: str) -> pd.DataFrame:
    return _table(cfg, "reach_access_by_band", selection, site_type=site_type)


def farthest(cfg: Settings, selection: Selection) -> pd.DataFrame:
    return _table(cfg, "reach_farthest", selection)


PATHWAY_NOTE = (
    "Who refers (MHSDS source of referral) and how referrals turn into a first attended contact. Conversion and "
    f"waits leave out referrals received in the last {pathway.FOLLOW_UP_DAYS} days before the latest referral in "
    "the store, because many of them cannot have been seen yet. Median waits have distribution-free 95% intervals "
    "from order statistics (ranks from the binomial distribution). Counts below ICB level are rounded to 5 (1-4 "
    "hidden), and shares are worked out from the rounded counts."
)


def distance_hover(near: pd.DataFrame, type_label: str) -> list[str]:
    """Hover text of each row of the ``reach_nearest`` table."""
    return [
        f"<b>{r.lsoa_name}</b> ({r.lsoa_code}) · {r.place}<br>IMD decile {r.imd_decile}"
        f"{' · Core20' if r.core20 else ''}<br>Children aged 0-5: {r.population_0_5:,.0f}<br>"
        f"Nearest {type_label}: {r.site_name} ({r.site_postcode}), {r.distance_km:,.1f} km in a straight line"
        for r in near.itertuples(index=False)
    ]


def user_sites_table(frame: pd.DataFrame) -> pd.DataFrame:
    rows = [
        {
            "Id": int(r.site_id),
            "Name": r.name,
            "Type": sites.SITE_TYPES.get(r.site_type, r.site_type),
            "Support elements": r.support_elements,
            "Postcode": r.postcode,
            "In L&SC": "yes" if isinstance(r.lsoa21_code, str) else "no",
            "Added by": r.added_by,
            "Added (UTC)": pd.Timestamp(r.added_at).strftime("%d/%m/%Y %H:%M"),
            "From": r.origin,
        }
        for r in frame.itertuples(index=False)
    ]
    return pd.DataFrame(
        rows,
        columns=["Id", "Name", "Type", "Support elements", "Postcode", "In L&SC", "Added by", "Added (UTC)", "From"],
    )


def site_history_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "#": frame["change_id"].astype("int64"),
            "When (UTC)": pd.to_datetime(frame["changed_at"]).dt.strftime("%d/%m/%Y %H:%M"),
            "Who": frame["changed_by"],
            "Action": frame["action"],
            "Site": frame["name"],
            "Type": frame["site_type"].map(lambda t: sites.SITE_TYPES.get(t, t)),
            "Postcode": frame["postcode"],
            "Detail": frame["detail"],
        }
    )


def site_count_table(all_sites_frame: pd.DataFrame) -> pd.DataFrame:
    counts = sites.site_counts(all_sites_frame)
    return pd.DataFrame({"Site type": counts["type_label"], "Sites": counts["sites"]})


def coverage_table(table: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for _, row in table.iterrows():
        entry = {"Area": row["area"], "Children aged 0-5": f"{row['children_0_5']:,.0f}"}
        for km in reach.THRESHOLDS_KM:
            entry[f"Within {km:g} km"] = fmt.share(row[f"share_within_{km:g}km"])
        for km in reach.THRESHOLDS_KM:
            entry[f"Core20 within {km:g} km"] = fmt.share(row[f"core20_share_within_{km:g}km"])
        entry["Median distance (km)"] = fmt.rate(row["median_distance_km"])
        entry["Core20 median distance (km)"] = fmt.rate(row["core20_median_distance_km"])
        rows.append(entry)
    return pd.DataFrame(rows)


def all_types_table(table: pd.DataFrame) -> pd.DataFrame:
    if table.empty:
        return pd.DataFrame()
    out = pd.DataFrame(
        {
            "Site type": table["site_type"].map(sites.SITE_TYPES),
            "Sites": table["sites"],
        }
    )
    for km in reach.THRESHOLDS_KM:
        out[f"Children within {km:g} km"] = table[f"share_within_{km:g}km"].map(fmt.share)
        out[f"Core20 within {km:g} km"] = table[f"core20_share_within_{km:g}km"].map(fmt.share)
    out["Median distance (km)"] = table["median_distance_km"].map(fmt.rate)
    return out


def band_table(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Straight-line distance band": table["band"],
            "Neighbourhoods": table["neighbourhoods"].map(lambda v: f"{int(v):,}"),
            "Children aged 0-5": table["denominator"].map(lambda v: f"{int(v):,}"),
            "People accessing": table["people_accessing"].map(fmt.count),
            "Access per 1,000 aged 0-5": [
                "no children" if int(n) == 0 else fmt.rate(r)
                for n, r in zip(table["denominator"], table["rate_per_1000"], strict=True)
            ],
            "95% CI": [
                "" if int(n) == 0 else fmt.interval(lo, hi)
                for n, lo, hi in zip(table["denominator"], table["lower_95"], table["upper_95"], strict=True)
            ],
        }
    )


def farthest_table(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Neighbourhood": table["lsoa_name"] + " (" + table["lsoa_code"] + ")",
            "Area": table["msoa_name"],
            "District": table["lad_name"],
            "Place": table["place"],
            "IMD decile": table["imd_decile"],
            "Children aged 0-5": table["population_0_5"].map(lambda v: f"{v:,.0f}"),
            "Straight-line km": table["distance_km"].map(lambda v: f"{v:,.1f}"),
            "Nearest site": table["site_name"]
            + " ("
            + table["site_type"].map(sites.SITE_TYPES)
            + ", "
            + table["site_postcode"]
            + ")",
        }
    )


def mix_table(mix: pd.DataFrame) -> pd.DataFrame:
    shown = mix[pd.to_numeric(mix["referrals"], errors="coerce").fillna(-1) != 0]
    return pd.DataFrame(
        {
            "Place": shown["place"],
            "Source of referral": shown["source_label"] + " (" + shown["referral_source"] + ")",
            "Referrals": shown["referrals"].map(fmt.count),
            "Share of the Place's referrals": shown["share"].map(fmt.share),
            "95% CI": [
                fmt.percent_interval(lo, hi) for lo, hi in zip(shown["lower_95"], shown["upper_95"], strict=True)
            ],
        }
    )


def conversion_table(table: pd.DataFrame, heading: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            heading: table["label"],
            "Referrals": table["referrals"].map(fmt.count),
            "With a first attended contact": table["referrals_accessed"].map(fmt.count),
            "Conversion": table["share"].map(fmt.share),
            "95% CI (Wilson)": [
                fmt.percent_interval(lo, hi) for lo, hi in zip(table["lower_95"], table["upper_95"], strict=True)
            ],
        }
    )


def wait_table(table: pd.DataFrame, heading: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            heading: table["label"],
            "Waits (first contacts)": table["waits"].map(fmt.count),
            "Median days to first contact": table["median_days"].map(lambda v: fmt.rate(v, 1)),
            "95% CI (order statistics)": [
                fmt.SUPPRESSED if pd.isna(lo) or pd.isna(hi) else f"{lo:,.0f} to {hi:,.0f}"
                for lo, hi in zip(table["lower_95"], table["upper_95"], strict=True)
            ],
        }
    )


def _place_of_lsoa(cfg: Settings) -> dict[str, str]:
    from geo.cache import load_areas

    areas = load_areas(cfg.cache_dir, 2025)
    return dict(zip(areas["lsoa_code"], areas["place"], strict=True))


def _locator(cfg: Settings) -> sites.LsoaLocate:
    """The postcode -> LSOA locator, refusing a site outside the Places the signed-in user manages (a data
    manager changes sites of their own Places only)."""
    locate = sites.lsoa_locator(cfg.cache_dir)
    managed = current_access().manage_places
    if managed == PLACES:
        return locate
    place_of = _place_of_lsoa(cfg)

    def scoped(easting: np.ndarray, northing: np.ndarray) -> np.ndarray:
        codes = locate(easting, northing)
        for code in codes:
            place = place_of.get(str(code))
            if place not in managed:
                where = f"in {place}" if place else "outside L&SC"
                raise sites.SiteError(f"a site {where} is outside the Places you manage ({', '.join(managed)})")
        return codes

    return scoped


def add_site_form(cfg: Settings) -> None:
    with st.form("site_add", clear_on_submit=False):
        name = st.text_input("Site name", key="site_name", max_chars=sites.MAX_NAME)
        cols = st.columns(2)
        site_type = cols[0].selectbox("Type", sites.USER_SITE_TYPES, format_func=sites.SITE_TYPES.get, key="site_type")
        postcode = cols[1].text_input("Postcode", key="site_postcode", max_chars=10)
        elements = st.multiselect(
            "Support elements offered", tuple(SUPPORT_ELEMENTS), format_func=element_label, key="site_elements"
        )
        who = current_access().display_name
        st.caption(f"Added as **{who}** (signed in).")
        added = st.form_submit_button("Add site", type="primary", key="site_add_button")
    if added:
        try:
            site_id, warnings = sites.add_site(
                cfg.store_location,
                name=name,
                site_type=site_type,
                support_elements=tuple(elements),
                postcode=postcode,
                added_by=who,
                locate_lsoa=_locator(cfg),
            )
        except sites.SiteError as exc:
            st.error(f"The site was not added: {exc}")
            return
        except StoreError as exc:  # not a store, read-only, a directory: the true reason
            st.error(f"The site was not added: {exc}")
            return
        except duckdb.Error:
            st.error(f"The site was not added: {STORE_BUSY}.")
            return
        message = f"Added site #{site_id}: {name.strip()}."
        if warnings:
            message += " " + " ".join(w.split(": ", 1)[-1] for w in warnings)
        st.session_state[FLASH_KEY] = message
        audit(cfg, "site_edit", {"change": message})
        st.rerun()


def import_sites_form(cfg: Settings) -> None:
    st.caption(
        "CSV columns: `name`, `site_type` (Family Hub, Health-visiting base, PAIRS or other specialist base, "
        "VCFSE venue, Other site), `support_elements` (e.g. `3;4`) and `postcode`. Valid rows are added; rows with "
        "problems are listed and left out."
    )
    upload = st.file_uploader("Sites CSV", type=["csv"], key="sites_csv")
    who = current_access().display_name
    if upload is None:
        return
    data = upload.getvalue()
    try:
        checked, _ = sites.import_sites_csv(
            cfg.store_location,
            data,
            file_name=upload.name,
            added_by=who,
            locate_lsoa=_locator(cfg),
            apply=False,
        )
    except sites.SiteError as exc:
        st.error(str(exc))
        return
    st.write(checked.describe())
    for warning in checked.warnings:
        st.warning(warning)
    if len(checked.rejected):
        st.dataframe(
            checked.rejected.rename(columns={"row": "Row", "column": "Column", "value": "Value", "problem": "Problem"}),
            hide_index=True,
            width="stretch",
        )
    if len(checked.accepted) and st.button(f"Add {len(checked.accepted):,} site(s)", key="sites_csv_add"):
        try:
            _, ids = sites.import_sites_csv(
                cfg.store_location,
                data,
                file_name=upload.name,
                added_by=who,
                locate_lsoa=_locator(cfg),
                apply=True,
            )
        except sites.SiteError as exc:
            st.error(str(exc))
            return
        except StoreError as exc:  # not a store, read-only, a directory: the true reason
            st.error(f"The sites were not added: {exc}")
            return
        except duckdb.Error:
            st.error(f"The sites were not added: {STORE_BUSY}.")
            return
        st.session_state[FLASH_KEY] = f"Added {len(ids):,} site(s) from {upload.name}."
        audit(cfg, "site_edit", {"change": f"added {len(ids):,} site(s)", "file": upload.name})
        st.rerun()


def remove_site_form(cfg: Settings, user_sites: pd.DataFrame) -> None:
    managed = current_access().manage_places
    if managed != PLACES:  # only sites in the Places the user manages
        place_of = _place_of_lsoa(cfg)
        user_sites = user_sites[user_sites["lsoa21_code"].map(lambda c: place_of.get(str(c)) in managed)]
    if user_sites.empty:
        return
    options = {int(r.site_id): f"#{int(r.site_id)} {r.name} ({r.postcode})" for r in user_sites.itertuples()}
    with st.form("site_remove"):
        site_id = st.selectbox("Site to remove", tuple(options), format_func=options.get, key="site_remove_id")
        who = current_access().display_name
        removed = st.form_submit_button("Remove site", key="site_remove_button")
    if removed:
        try:
            name = sites.remove_site(cfg.store_location, int(site_id), removed_by=who)
        except sites.SiteError as exc:
            st.error(str(exc))
            return
        except StoreError as exc:  # not a store, read-only, a directory: the true reason
            st.error(f"The site was not removed: {exc}")
            return
        except duckdb.Error:
            st.error(f"The site was not removed: {STORE_BUSY}.")
            return
        st.session_state[FLASH_KEY] = f"Removed site #{site_id}: {name}."
        audit(cfg, "site_edit", {"change": f"removed site #{site_id}: {name}"})
        st.rerun()
