"""Who gains and who loses: a comparison's outcomes by gender, role and legal status.

From a comparison's monthly table (every scenario × replicate, common random numbers)
and the per-group outputs of :data:`asmsim.model.recorder.GROUPS`, one row per
scenario × group (``all``: every miner, then each group):

- over the last 12 months: ``people`` (mean active people), ``income_usd`` (mean of the
  group's monthly mean net income, USD per month), ``poverty_share`` (mean share of the
  group's active people below the poverty line, 0-1), ``below_poverty_people`` (mean
  people below it), ``debt_usd`` (debt per person,
  USD: debt held over person-months), ``injuries_per_100_person_years`` (accidents per
  100 years of active people);
- over the horizon (months 1..T): ``left_mining_people`` (people who left mining, by their
  status when leaving) and ``below_poverty_person_months`` (people below the poverty line,
  summed over months);

each a mean over replicates, and for every other scenario ``<measure>_diff`` with its
paired 95 % interval (``_ci95_low``, ``_ci95_high``) against the baseline
(:func:`asmsim.analysis.compare.paired_difference`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from asmsim.analysis.compare import paired_difference
from asmsim.model.recorder import GROUPS, INCOME_COLUMNS
from asmsim.run.api import OUTCOME_WINDOW_MONTHS

#: measure -> unit (the workbook's header units).
MEASURES: dict[str, str] = {
    "people": "people",
    "income_usd": "USD/month",
    "poverty_share": "0-1",
    "below_poverty_people": "people",
    "debt_usd": "USD per person",
    "injuries_per_100_person_years": "per 100 person-years",
    "left_mining_people": "people",
    "below_poverty_person_months": "person-months",
}
#: The measures the report judges a group by (a change beyond noise is a gain or a loss).
INCOME_AND_POVERTY = ("income_usd", "poverty_share")
ALL = "all"


def group_dimension(group: str) -> str:
    """'all', 'gender', 'role' or 'legal status'."""
    return ALL if group == ALL else GROUPS[group].dimension


def group_label(group: str) -> str:
    """A group in words: 'all miners', 'women', 'licensed miners'..."""
    return "all miners" if group == ALL else GROUPS[group].label


def group_months(timeseries: pd.DataFrame, group: str) -> pd.DataFrame:
    """One group's monthly columns (months ≥ 1): ``people``, ``income_usd``,
    ``poverty_share``, ``debt_usd`` (total held), ``accidents``, ``exits``, ``poor`` (people
    below the poverty line), with ``scenario``, ``replicate`` and ``month``."""
    t = timeseries[timeseries["month"] > 0]
    if group == ALL:
        people = t["active_miners"]
        columns = {"income_usd": t["income_mean_usd"], "poverty_share": t["poverty_share"],
                   "debt_usd": t["debt_mean_usd"] * people, "accidents": t["accidents"],
                   "exits": t["exits"], "poor": t["miners_below_poverty_line"]}
    else:
        people = t[f"miners_{group}"]
        share = t[f"poverty_share_{group}"]
        columns = {"income_usd": t[INCOME_COLUMNS[group]], "poverty_share": share,
                   "debt_usd": t[f"debt_{group}_usd"], "accidents": t[f"accidents_{group}"],
                   "exits": t[f"exits_{group}"], "poor": np.rint(share * people)}
    return pd.DataFrame({"scenario": t["scenario"], "replicate": t["replicate"],
                         "month": t["month"], "people": people, **columns})


def replicate_measures(months: pd.DataFrame, window: int = OUTCOME_WINDOW_MONTHS
                       ) -> pd.Series:
    """The :data:`MEASURES` of one replicate's months of one group (see
    :func:`group_months`)."""
    tail = months[months["month"] > months["month"].max() - window]
    person_months = float(tail["people"].sum())
    return pd.Series({
        "people": float(tail["people"].mean()),
        "income_usd": float(tail["income_usd"].mean()),
        "poverty_share": float(tail["poverty_share"].mean()),
        "below_poverty_people": float(tail["poor"].mean()),
        "debt_usd": float(tail["debt_usd"].sum()) / person_months if person_months else 0.0,
        "injuries_per_100_person_years": 100.0 * 12.0 * float(tail["accidents"].sum())
        / person_months if person_months else 0.0,
        "left_mining_people": float(months["exits"].sum()),
        "below_poverty_person_months": float(months["poor"].sum()),
    })


def per_replicate(timeseries: pd.DataFrame) -> pd.DataFrame:
    """:func:`replicate_measures` of every group, indexed by (group, scenario, replicate)."""
    frames = {group: group_months(timeseries, group)
              .groupby(["scenario", "replicate"], sort=False).apply(replicate_measures)
              for group in (ALL, *GROUPS)}
    return pd.concat(frames, names=["group"]).sort_index()


def distribution(timeseries: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """The distribution table: one row per scenario × group (see the module docstring).

    Columns: ``scenario, dimension, group``, the :data:`MEASURES` (means over replicates),
    ``<measure>_diff``, ``<measure>_diff_ci95_low``, ``<measure>_diff_ci95_high`` (NaN for
    the baseline), ``replicates``.
    """
    reps = per_replicate(timeseries)
    rows = []
    for scenario in timeseries["scenario"].unique():
        for group in (ALL, *GROUPS):
            own, base = reps.loc[(group, scenario)], reps.loc[(group, baseline)]
            row = {"scenario": scenario, "dimension": group_dimension(group), "group": group,
                   **own.mean().to_dict()}
            for measure in MEASURES:
                diff = (np.nan,) * 3 if scenario == baseline \
                    else paired_difference(own[measure], base[measure])
                row |= dict(zip(_diff_columns(measure), diff, strict=True))
            rows.append(row | {"replicates": len(own)})
    return pd.DataFrame(rows)


def _diff_columns(measure: str) -> tuple[str, str, str]:
    return f"{measure}_diff", f"{measure}_diff_ci95_low", f"{measure}_diff_ci95_high"


def units() -> dict[str, str]:
    """Column -> unit of the distribution table (differences in the measure's unit)."""
    return {column: unit for measure, unit in MEASURES.items()
            for column in (measure, *_diff_columns(measure))}


def changes(table: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """The groups' income and poverty changes beyond noise in ``scenario``: rows ``group,
    measure, diff, low, high`` (the 95 % interval excludes 0)."""
    rows = []
    for row in table[table["scenario"] == scenario].itertuples(index=False):
        for measure in INCOME_AND_POVERTY:
            diff, low, high = (getattr(row, c) for c in _diff_columns(measure))
            if low > 0 or high < 0:
                rows.append({"group": row.group, "measure": measure, "diff": diff,
                             "low": low, "high": high})
    return pd.DataFrame(rows, columns=["group", "measure", "diff", "low", "high"])
