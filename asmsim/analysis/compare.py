"""Scenario comparisons under common random numbers: paired differences and intervals.

Every scenario runs with the same replicate seeds, so replicate *i* of a
scenario and replicate *i* of the baseline share their random draws (initial
population, prices, shocks). The difference of a scenario from the baseline is
therefore estimated from the *paired* per-replicate differences, with a
Student-t 95 % interval — much narrower than the interval of two independent
samples whenever the pairs are positively correlated.

Outcomes are the per-replicate means over the last 12 months
(:func:`asmsim.results.summary.replicate_outcomes`), in the units of
:data:`asmsim.model.recorder.OUTPUTS`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from asmsim.model.recorder import OUTPUTS
from asmsim.results.summary import mean_interval, replicate_outcomes


@dataclass(frozen=True)
class KeyOutput:
    """How a key output is judged and displayed.

    ``direction`` is +1 when higher is better, -1 when lower is better;
    ``scale`` converts the model unit to the display unit (0-1 shares → %),
    ``unit`` is the display unit of a level, ``diff_unit`` of a difference.
    """

    label: str
    direction: int
    scale: float
    unit: str
    diff_unit: str


#: The one direction table: which way is "better" for each key output.
KEY_OUTPUTS: dict[str, KeyOutput] = {
    "licensed_share": KeyOutput("Licensed share", +1, 100.0, "%", "pp"),
    "official_sales_share": KeyOutput("Official sales share", +1, 100.0, "%", "pp"),
    "coop_share": KeyOutput("Cooperative share", +1, 100.0, "%", "pp"),
    "women_income_mean_usd": KeyOutput("Women's mean income", +1, 1.0, "USD/month",
                                       "USD/month"),
    "men_income_mean_usd": KeyOutput("Men's mean income", +1, 1.0, "USD/month", "USD/month"),
    "mercury_kg": KeyOutput("Mercury released", -1, 1.0, "kg/month", "kg/month"),
    "state_net_revenue_usd": KeyOutput("State net revenue", +1, 1.0, "USD/month", "USD/month"),
    "illicit_flow_usd": KeyOutput("Illicit gold flows", -1, 1.0, "USD/month", "USD/month"),
}

OUTCOME_COLUMNS = [c for c in OUTPUTS if c != "month"]


def per_replicate(timeseries: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """Last-12-month mean of every output (or of ``columns``), one row per (scenario,
    replicate)."""
    frames = {name: replicate_outcomes(group, columns=columns)
              for name, group in timeseries.groupby("scenario", sort=False)}
    return pd.concat(frames, names=["scenario", "replicate"])


def output_unit(output: str) -> str:
    """The unit of an output column or of its ``_per_miner`` version."""
    if output.endswith("_per_miner"):
        return f"{OUTPUTS[output.removesuffix('_per_miner')][0]} per miner"
    return OUTPUTS[output][0]


def _intervals(frame: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """Per column of ``frame`` (replicates as rows): mean and 95 % t-interval."""
    rows = {col: mean_interval(frame[col].to_numpy()) for col in frame.columns}
    return pd.DataFrame.from_dict(rows, orient="index",
                                  columns=[prefix, f"{prefix}_ci95_low", f"{prefix}_ci95_high"])


def unpaired_interval(a: np.ndarray, b: np.ndarray, level: float = 0.95
                      ) -> tuple[float, float, float]:
    """(mean(a) − mean(b), low, high): Welch interval treating a and b as independent.

    What the interval would be without common random numbers; used to show
    how much the pairing gains.
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = np.sqrt(va + vb)
    dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1)) if se > 0 else 1.0
    diff = float(a.mean() - b.mean())
    half = float(stats.t.ppf(0.5 + level / 2, dof) * se)
    return diff, diff - half, diff + half


def paired_difference(own: pd.Series, base: pd.Series, level: float = 0.95
                      ) -> tuple[float, float, float]:
    """(mean, low, high) of the paired differences ``own − base``: both indexed by replicate
    (replicate *i* of a scenario and of the baseline share their seeds: common random
    numbers), pairs with a missing side dropped; Student-t interval at ``level``, in the
    unit of ``own``. NaN bounds with fewer than two pairs."""
    return mean_interval((own - base).dropna().to_numpy(), level)


def verdict(significant: bool, diff: float, output: str) -> str:
    """'better', 'worse' or 'no difference' from the baseline ('' if no direction known)."""
    key = KEY_OUTPUTS.get(output)
    if not significant:
        return "no difference"
    if key is None:
        return ""
    return "better" if diff * key.direction > 0 else "worse"


def compare(timeseries: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """The comparison table: one row per scenario × output.

    Columns: ``scenario, output, unit, mean, mean_ci95_low, mean_ci95_high,
    diff, diff_ci95_low, diff_ci95_high, significant, rel_diff_pct, verdict,
    replicates`` (levels and differences in the output's model unit;
    ``rel_diff_pct`` in % of the baseline mean). ``timeseries`` holds every
    scenario with ``scenario`` and ``replicate`` columns; replicates are
    paired by their index.
    """
    scaled = per_miner(timeseries)
    columns = [*OUTCOME_COLUMNS, *scaled.columns]
    reps = per_replicate(pd.concat([timeseries, scaled], axis=1), columns)[columns]
    base = reps.loc[baseline]
    blocks = []
    for scenario in reps.index.get_level_values("scenario").unique():
        own = reps.loc[scenario]
        block = _intervals(own, "mean")
        if scenario == baseline:
            diff = pd.DataFrame(np.nan, index=block.index,
                                columns=["diff", "diff_ci95_low", "diff_ci95_high"])
            diff["diff"] = 0.0
        else:
            paired = own.sub(base).dropna()  # aligned on replicate index
            diff = _intervals(paired, "diff")
        block = block.join(diff)
        block.insert(0, "scenario", scenario)
        block["replicates"] = len(own)
        blocks.append(block)
    table = pd.concat(blocks).rename_axis("output").reset_index()
    table.insert(2, "unit", table["output"].map(output_unit))
    table["significant"] = (table["diff_ci95_low"] > 0) | (table["diff_ci95_high"] < 0)
    base_mean = table["output"].map(table[table["scenario"] == baseline]
                                    .set_index("output")["mean"])
    table["rel_diff_pct"] = 100 * table["diff"] / base_mean.abs().replace(0, np.nan)
    table["verdict"] = [verdict(s, d, o) if sc != baseline else "baseline"
                        for s, d, o, sc in zip(table["significant"], table["diff"],
                                               table["output"], table["scenario"], strict=True)]
    columns = ["scenario", "output", "unit", "mean", "mean_ci95_low", "mean_ci95_high", "diff",
               "diff_ci95_low", "diff_ci95_high", "significant", "rel_diff_pct", "verdict",
               "replicates"]
    return table[columns]


#: Outputs that grow with the sector: the summary also shows them per active miner.
SCALES_WITH_SECTOR = ("gold_kg", "mercury_kg", "state_revenue_usd", "royalty_usd",
                      "illicit_flow_usd", "accidents", "tax_gap_usd")
#: The outcomes a ministry asks about: the summary's "what changed most" is chosen among
#: them (and their per-miner versions), not among programme quantities (inspections,
#: spending) that a policy sets by design.
SUMMARY_OUTCOMES = ("licensed_share", "official_sales_share", "official_export_share",
                    "smuggled_share", "coop_share", "income_mean_usd", "women_men_income_ratio",
                    "poverty_share", "debt_mean_usd", "active_miners", "gold_kg", "mercury_kg",
                    "accidents", "silicosis_prevalence", "displaced", "mean_trust",
                    "state_net_revenue_usd", "illicit_flow_usd", "tax_gap_usd")


def per_miner(timeseries: pd.DataFrame) -> pd.DataFrame:
    """``<output>_per_miner`` columns for the outputs that grow with the sector (per active
    miner, same time unit)."""
    miners = timeseries["active_miners"].replace(0, np.nan)
    return pd.DataFrame({f"{c}_per_miner": timeseries[c] / miners for c in SCALES_WITH_SECTOR
                         if c in timeseries.columns})


def top_changes(table: pd.DataFrame, baseline: str, count: int = 5,
                headline: list[str] | None = None) -> pd.DataFrame:
    """Per scenario, the outputs whose difference from the baseline is beyond noise and
    largest relative to the baseline (or the ``headline`` outputs, in that order)."""
    rows = table[(table["scenario"] != baseline)]
    if headline:
        picked = rows[rows["output"].isin(headline)].copy()
        picked["order"] = picked["output"].map({o: i for i, o in enumerate(headline)})
        return picked.sort_values(["scenario", "order"], kind="stable").drop(columns="order")
    candidates = [*SUMMARY_OUTCOMES, *(f"{c}_per_miner" for c in SCALES_WITH_SECTOR)]
    rows = rows[rows["significant"] & rows["output"].isin(candidates)
                & rows["rel_diff_pct"].notna()].copy()
    rows["size"] = rows["rel_diff_pct"].abs()
    rows = rows.sort_values(["scenario", "size"], ascending=[True, False], kind="stable")
    return rows.groupby("scenario", sort=False).head(count).drop(columns="size")


def per_year(timeseries: pd.DataFrame, baseline: str, outputs: list[str]) -> pd.DataFrame:
    """Per scenario × year × output: the mean over the year's months (mean over
    replicates, 95 % interval) and its paired difference from the baseline."""
    body = timeseries[timeseries["month"] > 0].assign(
        year=lambda t: (t["month"] - 1) // 12 + 1)
    yearly = body.groupby(["scenario", "replicate", "year"], sort=False)[outputs].mean()
    base = yearly.loc[baseline]
    rows = []
    for (scenario, year), group in yearly.groupby(level=["scenario", "year"], sort=False):
        own = group.droplevel(["scenario", "year"])
        ref = base.xs(year, level="year")
        for output in outputs:
            mean, low, high = mean_interval(own[output].to_numpy())
            d, dlow, dhigh = (0.0, np.nan, np.nan) if scenario == baseline \
                else paired_difference(own[output], ref[output])
            rows.append({"scenario": scenario, "year": int(year), "output": output,
                         "unit": OUTPUTS[output][0], "mean": mean, "mean_ci95_low": low,
                         "mean_ci95_high": high, "diff": d, "diff_ci95_low": dlow,
                         "diff_ci95_high": dhigh})
    return pd.DataFrame(rows)
