"""What a policy costs the state and what it buys: fiscal totals and cost-effectiveness.

From a comparison's monthly table (every scenario × replicate, common random numbers):

- :func:`fiscal_totals`: per scenario and replicate, totals over the horizon, undiscounted
  and discounted at ``discount_rate`` a year (a month ``m`` weighs ``(1 + r)^(−m/12)``):
  state revenue, spending by category, net fiscal cost (spending − revenue), the tax gap
  (royalty lost to smuggled gold), gold sold through official channels, mercury released,
  accidents; and at the end (last 12 months) licensed miners, people in mining and people
  below the poverty line;
- :func:`fiscal_table`: their means, paired differences from the baseline and 95 %
  intervals;
- :func:`cost_effectiveness`: net fiscal cost per additional licensed miner, per
  additional kg of gold sold officially, per kg of mercury avoided and per accident
  avoided. A ratio is shown only where its denominator is clearly above zero (the 95 %
  interval of the paired change lies above 0); otherwise it is "n/a" with the reason,
  never a huge number from a change that is noise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from asmsim.analysis.compare import paired_difference
from asmsim.results.summary import mean_interval

DEFAULT_DISCOUNT_RATE = 0.10  # a year: a common public-investment rate in low/middle-income
#                               countries (6-12 %); state it in every report
LAST_MONTHS = 12

#: (name, unit, how it is built from a replicate's monthly table)
TOTALS = {
    "state_revenue_usd": "USD",
    "state_spending_usd": "USD",
    "net_fiscal_cost_usd": "USD",
    "tax_gap_usd": "USD",
    "official_gold_kg": "kg",
    "mercury_kg": "kg",
    "accidents": "count",
}
END_LEVELS = {"licensed_miners": "people", "active_miners": "people",
              "miners_below_poverty_line": "people"}

#: cost-effectiveness ratio -> (denominator, sign: +1 more is the aim, −1 less is the aim,
#: its unit in words)
RATIOS = {
    "net_cost_per_additional_licensed_miner_usd": ("licensed_miners", +1,
                                                   "USD per additional licensed miner"),
    "net_cost_per_additional_official_kg_usd": ("official_gold_kg", +1,
                                                "USD per additional kg sold officially"),
    "net_cost_per_kg_mercury_avoided_usd": ("mercury_kg", -1, "USD per kg of mercury avoided"),
    "net_cost_per_accident_avoided_usd": ("accidents", -1, "USD per accident avoided"),
}


def spending_columns(table: pd.DataFrame) -> list[str]:
    """The ``spending_<category>_usd`` columns (the state's spending by category)."""
    return [c for c in table.columns if c.startswith("spending_") and c.endswith("_usd")]


def discount_weights(months: np.ndarray, rate: float) -> np.ndarray:
    """Weight of each month's flow in a present value: ``(1 + rate)^(−month/12)``."""
    return (1.0 + rate) ** (-np.asarray(months, float) / 12.0)


def replicate_totals(table: pd.DataFrame, rate: float) -> dict[str, float]:
    """Totals of one replicate's months 1..T (undiscounted, and ``*_pv`` discounted)."""
    body = table[table["month"] > 0]
    w = discount_weights(body["month"].to_numpy(), rate)
    spending = spending_columns(body)
    flows = {
        "state_revenue_usd": body["state_revenue_usd"].to_numpy(),
        "state_spending_usd": body[spending].to_numpy().sum(axis=1),
        "tax_gap_usd": body["tax_gap_usd"].to_numpy(),
        **{c: body[c].to_numpy() for c in spending},
    }
    flows["net_fiscal_cost_usd"] = flows["state_spending_usd"] - flows["state_revenue_usd"]
    out = {}
    for name, x in flows.items():
        out[name] = float(x.sum())
        out[f"{name}_pv"] = float((w * x).sum())
    out["official_gold_kg"] = float((body["licensed_buyer_kg"] + body["official_buyer_kg"]).sum())
    out["mercury_kg"] = float(body["mercury_kg"].sum())
    out["accidents"] = float(body["accidents"].sum())
    tail = body.tail(LAST_MONTHS)
    active = tail["active_miners"].to_numpy()
    out["licensed_miners"] = float((tail["licensed_share"].to_numpy() * active).mean())
    out["active_miners"] = float(active.mean())
    out["miners_below_poverty_line"] = float((tail["poverty_share"].to_numpy() * active).mean())
    out["miners_who_left"] = float(body["exits"].sum())
    return out


def fiscal_totals(timeseries: pd.DataFrame, rate: float = DEFAULT_DISCOUNT_RATE
                  ) -> pd.DataFrame:
    """One row per (scenario, replicate): :func:`replicate_totals`."""
    rows = {key: replicate_totals(group, rate)
            for key, group in timeseries.groupby(["scenario", "replicate"], sort=False)}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index = pd.MultiIndex.from_tuples(frame.index, names=["scenario", "replicate"])
    return frame


def unit_of(total: str) -> str:
    """The unit of a total's column."""
    base = total.removesuffix("_pv")
    if base in TOTALS:
        return TOTALS[base] + (" (present value)" if total.endswith("_pv") else "")
    if base in END_LEVELS:
        return END_LEVELS[base] + " (mean of the last 12 months)"
    if base == "miners_who_left":
        return "people"
    return "USD" + (" (present value)" if total.endswith("_pv") else "")


def fiscal_table(totals: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Per scenario × total: mean, 95 % interval, paired difference from the baseline."""
    base = totals.loc[baseline]
    rows = []
    for scenario in totals.index.get_level_values("scenario").unique():
        own = totals.loc[scenario]
        for column in totals.columns:
            mean, low, high = mean_interval(own[column].to_numpy())
            if scenario == baseline:
                diff, dlow, dhigh = 0.0, np.nan, np.nan
            else:
                diff, dlow, dhigh = paired_difference(own[column], base[column])
            rows.append({"scenario": scenario, "total": column, "unit": unit_of(column),
                         "mean": mean, "mean_ci95_low": low, "mean_ci95_high": high,
                         "diff": diff, "diff_ci95_low": dlow, "diff_ci95_high": dhigh})
    return pd.DataFrame(rows)


def _bootstrap_ratio(cost: np.ndarray, gain: np.ndarray, seed: int = 0, draws: int = 2000
                     ) -> tuple[float, float]:
    """95 % percentile interval of mean(cost)/mean(gain) over resampled replicate pairs."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(cost), size=(draws, len(cost)))
    gains = gain[idx].mean(axis=1)
    ratios = cost[idx].mean(axis=1) / np.where(gains > 0, gains, np.nan)
    ratios = ratios[np.isfinite(ratios)]
    if len(ratios) < draws // 2:
        return np.nan, np.nan
    return float(np.quantile(ratios, 0.025)), float(np.quantile(ratios, 0.975))


def cost_effectiveness(totals: pd.DataFrame, baseline: str, *, discounted: bool = True
                       ) -> pd.DataFrame:
    """Per scenario × ratio: the net fiscal cost (present value if ``discounted``) per unit of
    gain against the baseline, with a bootstrap 95 % interval, or n/a and why."""
    cost_column = "net_fiscal_cost_usd_pv" if discounted else "net_fiscal_cost_usd"
    base = totals.loc[baseline]
    rows = []
    for scenario in totals.index.get_level_values("scenario").unique():
        if scenario == baseline:
            continue
        own = totals.loc[scenario]
        cost = (own[cost_column] - base[cost_column]).to_numpy()
        for ratio, (denominator, sign, unit) in RATIOS.items():
            gain = sign * (own[denominator] - base[denominator]).to_numpy()
            mean, low, high = mean_interval(gain)
            row = {"scenario": scenario, "ratio": ratio, "unit": unit,
                   "net_cost_usd": float(cost.mean()), "gain": mean, "gain_ci95_low": low,
                   "gain_ci95_high": high, "value": np.nan, "value_ci95_low": np.nan,
                   "value_ci95_high": np.nan, "note": ""}
            if not low > 0:
                word = "does not rise" if sign > 0 else "does not fall"
                change = (low, high) if sign > 0 else (-high, -low)
                row["note"] = (f"n/a: {denominator} {word} clearly (95 % CI of the change "
                               f"{change[0]:+.3g} to {change[1]:+.3g})")
            else:
                row["value"] = float(cost.mean() / mean)
                row["value_ci95_low"], row["value_ci95_high"] = _bootstrap_ratio(cost, gain)
                if row["value"] < 0:
                    row["note"] = "the state gains: the policy raises net revenue and the outcome"
            rows.append(row)
    return pd.DataFrame(rows)
