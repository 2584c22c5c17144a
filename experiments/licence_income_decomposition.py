"""Why a cheaper licence lowers mean income: a shift-share split by legal status.

Paired runs (common random numbers) of the baseline at two licence fees, the settings
of `cheap_licence_income` in tests/test_economics.py (1,500 miners, 96 months after the
default warm-up, months 61–96). Mean income (USD/month) is Σ_g s_g·y_g over the legal
statuses g (informal, applicant, licensed) with shares s_g and mean incomes y_g, so its
change splits into

    within       Σ_g s_g(base) · (y_g(variant) − y_g(base))   incomes within each status
    composition  Σ_g (s_g(variant) − s_g(base)) · y_g(base)   who holds which status

plus a small interaction. Prints each output's paired difference (mean ± 1.96 SE over
seeds) and the split.

    .venv/bin/python experiments/licence_income_decomposition.py --seeds 12 --fees 600 300
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from asmsim.run.api import replicate_seeds, simulate_variant

BASE = ["miners=1500", "months=96", "scenario=baseline"]
WINDOW = (61, 96)
STATUSES = ("informal", "applicant", "licensed")
OUTPUTS = ("income_mean_usd", "active_miners", "displaced_waiting", "team_size_mean", "pits")


def window_means(seed: int, fee: float) -> dict[str, float]:
    """Each output's mean over the window, and miners and mean income by legal status."""
    table = simulate_variant(BASE, {"policy.legal.licence_fee_usd": fee}, seed=seed)
    inside = table[(table.month >= WINDOW[0]) & (table.month <= WINDOW[1])]
    row = {column: inside[column].mean() for column in OUTPUTS}
    for status in STATUSES:
        row[f"miners_{status}"] = inside[f"miners_{status}"].mean()
        row[f"income_{status}_usd"] = inside[f"income_{status}_usd"].mean()
    return row


def shift_share(base: pd.DataFrame, variant: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per seed: the within-status and composition parts of the mean-income change."""
    def shares(frame: pd.DataFrame) -> dict[str, pd.Series]:
        total = sum(frame[f"miners_{s}"] for s in STATUSES)
        return {s: frame[f"miners_{s}"] / total for s in STATUSES}

    s_base, s_variant = shares(base), shares(variant)
    within = sum(s_base[s] * (variant[f"income_{s}_usd"] - base[f"income_{s}_usd"])
                 for s in STATUSES)
    composition = sum((s_variant[s] - s_base[s]) * base[f"income_{s}_usd"] for s in STATUSES)
    return within, composition


def interval(values: pd.Series) -> str:
    """Mean ± 1.96 standard errors."""
    return f"{values.mean():+.3f} ± {1.96 * values.std(ddof=1) / np.sqrt(len(values)):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=12)
    parser.add_argument("--fees", type=float, nargs=2, default=(600.0, 300.0),
                        help="base and variant licence fees (USD)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    seeds = replicate_seeds(2024, args.seeds)
    runs = Parallel(n_jobs=args.jobs)(delayed(window_means)(seed, fee)
                                      for seed in seeds for fee in args.fees)
    base = pd.DataFrame(runs[0::2], index=seeds)
    variant = pd.DataFrame(runs[1::2], index=seeds)
    print(f"licence fee {args.fees[0]:g} -> {args.fees[1]:g} USD, {len(seeds)} paired seeds, "
          f"months {WINDOW[0]}-{WINDOW[1]} (variant - base, mean ± 1.96 SE)")
    for column in base.columns:
        print(f"  {column:24s} base {base[column].mean():10.3f}   "
              f"change {interval(variant[column] - base[column])}")
    within, composition = shift_share(base, variant)
    print(f"  mean income: within statuses {interval(within)} USD/month, composition "
          f"{interval(composition)}, total {interval(variant.income_mean_usd - base.income_mean_usd)}")


if __name__ == "__main__":
    main()
