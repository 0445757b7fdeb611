"""The gap to parity: how many more children a year an area would need to reach for need-adjusted access to
reach 1, and what closing the gap would cost at the unit costs the user enters.

Observed: people accessing (the Overview's access count) in the selected period. Expected: children expected
to access under the need model at the L&SC rate per child in need (``equity.need``; the whole ICB under the
same non-geographic filters). Additional children over the period = max(0, expected - observed); a year =
that x 12 / the selection's months. Its 95% interval treats the expected count as fixed and the observed
count as Poisson: the area's underlying access lies between the Byar limits L and U of the observed count,
so the additional children lie between max(0, E - U) and max(0, E - L) (zero where the area is already at
or above parity).

Costs: nothing is assumed. The user enters a unit cost (GBP per child supported) for each support element
the additional children would receive, the share of the additional children in each, and the source of the
costs; optionally a return per GBP 1 with its source. All of it is shown beside the result and saved with
the board-pack item (:meth:`Assumptions.to_dict`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from equity.stats import byar_interval

DAYS_PER_MONTH = 365.25 / 12
MAX_TEXT = 500


class AssumptionError(ValueError):
    """An entered cost, share or return cannot be used; the message names the field."""


def months_covered(
    date_from: dt.date | None, date_to: dt.date | None, first_referral: dt.date, data_date: dt.date
) -> float:
    """Months of the selection's period that the data cover (inclusive of both ends)."""
    start = max(date_from or first_referral, first_referral)
    end = min(date_to or data_date, data_date)
    if end < start:
        raise ValueError(f"the selected period {start:%d/%m/%Y} to {end:%d/%m/%Y} has no data")
    return ((end - start).days + 1) / DAYS_PER_MONTH


def gap(observed: np.ndarray, expected: np.ndarray, months: float, level: float = 0.95) -> pd.DataFrame:
    """Additional children a year for the ratio to reach 1, with its interval; NaN where observed or expected
    is missing (a hidden count)."""
    if months <= 0:
        raise ValueError("months must be positive")
    o = np.asarray(observed, dtype=float)
    e = np.asarray(expected, dtype=float)
    missing = np.isnan(o) | np.isnan(e)
    lower_o, upper_o = (np.asarray(v, dtype=float) for v in byar_interval(np.nan_to_num(o), level))
    per_year = 12.0 / months
    return pd.DataFrame(
        {
            "additional_in_period": np.where(missing, np.nan, np.maximum(0.0, e - o)),
            "additional_per_year": np.where(missing, np.nan, np.maximum(0.0, e - o) * per_year),
            "additional_lower_95": np.where(missing, np.nan, np.maximum(0.0, e - upper_o) * per_year),
            "additional_upper_95": np.where(missing, np.nan, np.maximum(0.0, e - lower_o) * per_year),
        }
    )


def _number(value: object, what: str, *, allow_none: bool = True) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        raise AssumptionError(f"{what}: a number is needed")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise AssumptionError(f"{what}: {value!r} is not a number") from None
    if not np.isfinite(number) or number < 0:
        raise AssumptionError(f"{what}: must be zero or more, got {value!r}")
    return number


def _text(value: object, what: str) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > MAX_TEXT:
        raise AssumptionError(f"{what}: longer than {MAX_TEXT} characters")
    return text


@dataclass(frozen=True)
class Assumptions:
    """What the user entered: GBP per child supported by support element, the share of the additional children
    in each element (fractions summing to 1), the source of the costs, and an optional return per GBP 1."""

    unit_costs: Mapping[int, float] = field(default_factory=dict)
    mix: Mapping[int, float] = field(default_factory=dict)
    cost_source: str = ""
    return_per_pound: float | None = None
    return_source: str = ""

    @classmethod
    def from_dict(cls, raw: Mapping) -> Assumptions:
        """Validated assumptions from entered or saved values (shares as fractions; names the bad field)."""
        from data.schema import SUPPORT_ELEMENTS

        costs: dict[int, float] = {}
        mix: dict[int, float] = {}
        for name, target in (("unit_costs", costs), ("mix", mix)):
            entries = raw.get(name) or {}
            if not isinstance(entries, Mapping):
                raise AssumptionError(f"{name} must map support elements to numbers")
            for key, value in entries.items():
                try:
                    element = int(key)
                except (TypeError, ValueError):
                    raise AssumptionError(f"{name}: {key!r} is not a support element (1-6)") from None
                if element not in SUPPORT_ELEMENTS:
                    raise AssumptionError(f"{name}: {key!r} is not a support element (1-6)")
                number = _number(value, f"{name} of element {element}")
                if number is not None:
                    target[element] = number
        out = cls(
            unit_costs=costs,
            mix=mix,
            cost_source=_text(raw.get("cost_source"), "cost_source"),
            return_per_pound=_number(raw.get("return_per_pound"), "return_per_pound"),
            return_source=_text(raw.get("return_source"), "return_source"),
        )
        out.check()
        return out

    def check(self) -> None:
        if self.unit_costs and not self.cost_source:
            raise AssumptionError("cost_source: say where the unit costs come from")
        if self.return_per_pound is not None and not self.return_source:
            raise AssumptionError("return_source: say where the return per GBP 1 comes from")
        if self.mix and any(e not in self.unit_costs for e, share in self.mix.items() if share > 0):
            missing = sorted(e for e, share in self.mix.items() if share > 0 and e not in self.unit_costs)
            raise AssumptionError(f"mix: element(s) {', '.join(map(str, missing))} have a share but no unit cost")
        if self.mix and abs(sum(self.mix.values()) - 1) > 0.005:
            raise AssumptionError(f"mix: the shares must add up to 100%, they add up to {sum(self.mix.values()):.1%}")

    def shares(self) -> dict[int, float]:
        """The mix used: as entered, or all in the one costed element when only one is costed and no mix given."""
        if self.mix:
            return dict(self.mix)
        if len(self.unit_costs) == 1:
            return {next(iter(self.unit_costs)): 1.0}
        return {}

    @property
    def cost_per_child(self) -> float | None:
        """GBP per additional child under the mix, or None until the costs and mix are complete."""
        shares = self.shares()
        if not self.unit_costs or not shares:
            return None
        return float(sum(share * self.unit_costs[e] for e, share in shares.items() if share > 0))

    def missing(self) -> str:
        """What still has to be entered for a cost (empty when the cost can be computed)."""
        if not self.unit_costs:
            return ("Enter a unit cost (GBP per child supported) for the support element(s) the additional children "
                    "would receive, and the source of the costs.")
        if not self.shares():
            return "Enter the share of the additional children in each costed support element (adding up to 100%)."
        return ""

    def to_dict(self) -> dict:
        """JSON-serialisable (the board-pack item's spec)."""
        return {
            "unit_costs": {str(k): v for k, v in sorted(self.unit_costs.items())},
            "mix": {str(k): v for k, v in sorted(self.mix.items())},
            "cost_source": self.cost_source,
            "return_per_pound": self.return_per_pound,
            "return_source": self.return_source,
        }

    def describe(self) -> list[str]:
        """The assumptions as sentences (shown beside the result and on the slide)."""
        from data.schema import SUPPORT_ELEMENTS

        lines = []
        for element, cost in sorted(self.unit_costs.items()):
            share = self.shares().get(element)
            part = f" for {share:.0%} of the additional children" if share is not None else ""
            lines.append(f"Element {element} ({SUPPORT_ELEMENTS[element][0]}): GBP {cost:,.0f} per child{part}.")
        if self.cost_source:
            lines.append(f"Unit costs: {self.cost_source}")
        if self.return_per_pound is not None:
            lines.append(f"Return: GBP {self.return_per_pound:,.2f} per GBP 1 spent. Source: {self.return_source}")
        return lines or ["No unit costs entered: the gap is shown in children, not in money."]


def costed(table: pd.DataFrame, assumptions: Assumptions) -> pd.DataFrame:
    """``table`` (additional_per_year and its limits) with the yearly cost and return, where entered."""
    out = table.copy()
    per_child = assumptions.cost_per_child
    for suffix, column in (("", "additional_per_year"), ("_lower_95", "additional_lower_95"),
                           ("_upper_95", "additional_upper_95")):
        additional = pd.to_numeric(out[column], errors="coerce").astype(float)
        cost = additional * per_child if per_child is not None else np.nan
        out[f"cost_per_year{suffix}"] = cost
        ret = assumptions.return_per_pound
        out[f"return_per_year{suffix}"] = cost * ret if per_child is not None and ret is not None else np.nan
    return out


def display(table: pd.DataFrame, assumptions: Assumptions, label: str) -> pd.DataFrame:
    """The gap table as labelled strings for screen and slides (costs only where entered)."""
    from equity import formatting as fmt

    def money(value: object) -> str:
        return "" if value is None or pd.isna(value) else f"£{float(value):,.0f}"  # type: ignore[arg-type]

    rows = []
    for row in table.itertuples(index=False):
        entry = {
            label: row.group,
            "Children accessing": fmt.count(row.observed),
            "Expected from need": fmt.rate(row.expected, 0),
            "Ratio (O/E)": fmt.rate(row.ratio, 2),
            "95% CI": fmt.interval(row.lower_95, row.upper_95, 2),
            "Additional children a year": fmt.rate(row.additional_per_year, 0),
            "Additional: 95% CI": fmt.interval(row.additional_lower_95, row.additional_upper_95, 0),
        }
        if assumptions.cost_per_child is not None:
            entry["Cost a year"] = money(row.cost_per_year)
            entry["Cost: 95% CI"] = (
                f"{money(row.cost_per_year_lower_95)} to {money(row.cost_per_year_upper_95)}"
                if pd.notna(row.cost_per_year_lower_95) else ""
            )
            if assumptions.return_per_pound is not None:
                entry["Return a year"] = money(row.return_per_year)
        rows.append(entry)
    return pd.DataFrame(rows)
