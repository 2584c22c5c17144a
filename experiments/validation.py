"""Measure the pattern magnitudes and baseline levels reported in docs/validation.md.

Run: ``.venv/bin/python experiments/validation.py [--replicates 8] [--miners 2000]
[--months 120] [--jobs 0]``. Prints two markdown tables (patterns, baseline
levels) with the mean and 95 % interval across replicates; all scenarios use
the same replicate seeds (common random numbers), so differences are paired.
The directions are asserted, at a smaller size, by tests/test_patterns.py.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from asmsim.analysis.patterns import tied_minus_untied_trader_share, window
from asmsim.config import load_config
from asmsim.results.summary import mean_interval
from asmsim.run import replicate_seeds, run_tasks

SCENARIOS = ("baseline", "legal", "crackdown", "royalty_cut", "official_buying", "price_boom",
             "pandemic_shock", "gender_responsive", "training_only", "clean_tech")
PREMIUM = ["scenario=official_buying", "policy.market.official_buyer.price_share=0.99",
           "policy.market.royalty_rate=0.0"]
KNOCKOUT = ["context.trader_pricing=false"]
#: arm name -> overrides: the presets, and the arms that test mechanisms
ARMS: dict[str, list[str]] = {
    **{s: [f"scenario={s}"] for s in SCENARIOS},
    "premium_buyer": PREMIUM,
    "premium_buyer_off": [*PREMIUM, "policy.market.official_buyer.enabled=false"],
    "baseline_knockout": ["scenario=baseline", *KNOCKOUT],
    "royalty_cut_knockout": ["scenario=royalty_cut", *KNOCKOUT],
}


def fmt(values: np.ndarray, scale: float = 1.0, unit: str = "") -> str:
    """'mean [low, high] unit' of a per-replicate array."""
    mean, low, high = mean_interval(np.asarray(values) * scale)
    return f"{mean:,.3g} [{low:,.3g}, {high:,.3g}]{unit}"


def measurements(tabs: dict[str, list[pd.DataFrame]], months: int, tied_minus_free: np.ndarray
                 ) -> list[tuple[str, str]]:
    """(pattern row label, measured text) for each pattern of spec §1."""
    last = (months - 11, months)

    def diff(scenario, column, first=last[0], end=last[1], than="baseline"):
        return window(tabs[scenario], column, first, end) - window(tabs[than], column, first, end)

    def ratio(scenario, column, first=last[0], end=last[1], than="baseline"):
        return window(tabs[scenario], column, first, end) / window(tabs[than], column, first, end)

    return [
        ("1", f"licensed share `legal` − `baseline`: "
              f"{fmt(diff('legal', 'licensed_share'), 100, ' pp')}; `crackdown` licensed: "
              f"{fmt(window(tabs['crackdown'], 'licensed_share', *last), 100, ' %')}"),
        ("2", f"`royalty_cut` − `baseline`: official export share "
              f"{fmt(diff('royalty_cut', 'official_export_share'), 100, ' pp')} "
              f"(×{fmt(ratio('royalty_cut', 'official_export_share'))}); official sales share "
              f"{fmt(diff('royalty_cut', 'official_sales_share'), 100, ' pp')}; smuggled share "
              f"{fmt(diff('royalty_cut', 'smuggled_share'), 100, ' pp')}; royalty revenue "
              f"×{fmt(ratio('royalty_cut', 'royalty_usd'))}; with trader pricing knocked out "
              f"(fixed margin, smuggled share frozen) the smuggled share moves "
              f"{fmt(diff('royalty_cut_knockout', 'smuggled_share', than='baseline_knockout'), 100, ' pp')}"),
        ("3", f"months 1–12, official buyer paying more than traders (99 %, no royalty) − "
              f"the same without it: official sales share "
              f"{fmt(diff('premium_buyer', 'official_sales_share', 1, 12, than='premium_buyer_off'), 100, ' pp')}, "
              f"licensed share "
              f"{fmt(diff('premium_buyer', 'licensed_share', 1, 12, than='premium_buyer_off'), 100, ' pp')}, "
              f"its gold from sellers it pays less "
              f"{fmt(window(tabs['premium_buyer'], 'official_underpaid_share', 1, 12), 100, ' %')}, "
              f"trader price (last 12 months) "
              f"{fmt(diff('premium_buyer', 'trader_price_usd_per_g', than='premium_buyer_off'), 1, ' USD/g')}; "
              f"the `official_buying` preset (97 %, 7 % royalty withheld) − `baseline`, months "
              f"1–12: official sales share "
              f"{fmt(diff('official_buying', 'official_sales_share', 1, 12), 100, ' pp')}"),
        ("4", f"`official_buying` with the royalty waived (the official channel pays more), "
              f"months 1–24: share of sales to traders, tied − untied sellers "
              f"{fmt(tied_minus_free, 100, ' pp')}"),
        ("5", f"`crackdown` / `baseline`, months 13–{months}: income "
              f"×{fmt(ratio('crackdown', 'income_mean_usd', 13, months))}, gold "
              f"×{fmt(ratio('crackdown', 'gold_kg', 13, months))}, miners "
              f"×{fmt(ratio('crackdown', 'active_miners', 13, months))}; displaced "
              f"{fmt(window(tabs['crackdown'], 'displaced', 1, months))} vs "
              f"{fmt(window(tabs['baseline'], 'displaced', 1, months))} per month; trust "
              f"{fmt(diff('crackdown', 'mean_trust'))}"),
        ("6", f"`price_boom` (+60 %, months 24–59): entries "
              f"×{fmt(ratio('price_boom', 'entries', 24, 59))}, active miners at months 48–60 "
              f"×{fmt(ratio('price_boom', 'active_miners', 48, 60))}; `pandemic_shock` months "
              f"30–35: income ×{fmt(ratio('pandemic_shock', 'income_mean_usd', 30, 35))}, trader "
              f"price ×{fmt(ratio('pandemic_shock', 'trader_price_usd_per_g', 30, 35))} "
              f"(lowest month ×{fmt(lowest_price_ratio(tabs))}), debt "
              f"(33–38) ×{fmt(ratio('pandemic_shock', 'debt_mean_usd', 33, 38))}"),
        ("7", f"women/men income ratio: `baseline` "
              f"{fmt(window(tabs['baseline'], 'women_men_income_ratio', *last))}, "
              f"`gender_responsive` − `baseline` "
              f"{fmt(diff('gender_responsive', 'women_men_income_ratio'))}"),
        ("8", f"mercury `clean_tech` / `baseline` ×{fmt(ratio('clean_tech', 'mercury_kg'))}, "
              f"`training_only` / `baseline` ×{fmt(ratio('training_only', 'mercury_kg'))}; "
              f"mercury-free share `clean_tech` "
              f"{fmt(window(tabs['clean_tech'], 'mercury_free_share', *last), 100, ' %')}"),
    ]


def lowest_price_ratio(tabs: dict[str, list[pd.DataFrame]]) -> np.ndarray:
    """Per replicate: the lowest monthly trader price of the lockdown (months 30–38) over the
    baseline's in the same month."""
    ratios = []
    for shock, base in zip(tabs["pandemic_shock"], tabs["baseline"], strict=True):
        months = (shock.month >= 30) & (shock.month <= 38)
        ratios.append((shock.loc[months, "trader_price_usd_per_g"].to_numpy()
                       / base.loc[months, "trader_price_usd_per_g"].to_numpy()).min())
    return np.array(ratios)


def baseline_levels(tables: list[pd.DataFrame], months: int, outside_wage: float
                    ) -> list[tuple[str, str]]:
    """(output, measured) for the calibration checks, last 12 months of the baseline."""
    last = (months - 11, months)
    accidents = window(tables, "accidents", *last) / window(tables, "active_miners", *last) * 1200
    return [
        ("official_sales_share", fmt(window(tables, "official_sales_share", *last), 100, " %")),
        ("licensed_share", fmt(window(tables, "licensed_share", *last), 100, " %")),
        ("smuggled_share", fmt(window(tables, "smuggled_share", *last), 100, " %")),
        ("official_export_share", fmt(window(tables, "official_export_share", *last), 100, " %")),
        ("trader_discount_share", fmt(window(tables, "trader_discount_share", *last), 100, " %")),
        ("silicosis_prevalence", fmt(window(tables, "silicosis_prevalence", *last), 100, " %")),
        ("accidents per 100 person-years", fmt(accidents)),
        ("income_mean_usd (USD/month)", fmt(window(tables, "income_mean_usd", *last))),
        ("income_mean_usd / outside wage",
         fmt(window(tables, "income_mean_usd", *last) / outside_wage)),
        ("women_men_income_ratio", fmt(window(tables, "women_men_income_ratio", *last))),
    ]


def main(argv: list[str] | None = None) -> None:
    """Run every pattern scenario and print the two tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=8)
    parser.add_argument("--miners", type=int, default=2000)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--jobs", type=int, default=0)
    args = parser.parse_args(argv)
    seeds = replicate_seeds(args.seed, args.replicates)
    size = [f"miners={args.miners}", f"months={args.months}"]
    tasks = [(load_config([*overrides, *size]), seed) for overrides in ARMS.values()
             for seed in seeds]
    results = run_tasks(tasks, jobs=args.jobs, progress=True)
    r = args.replicates
    tabs = {arm: results[i * r:(i + 1) * r] for i, arm in enumerate(ARMS)}
    print(f"\n{args.replicates} replicates (seed {args.seed}), {args.miners} miners × "
          f"{args.months} months; mean [95 % interval]\n")
    print("| # | measured |\n|---|---|")
    tied = tied_minus_untied_trader_share(seeds, args.miners)
    for label, text in measurements(tabs, args.months, tied):
        print(f"| {label} | {text} |")
    wage = load_config(size).context.outside_wage_usd_month
    print("\n| output | measured (baseline, last 12 months) |\n|---|---|")
    for label, text in baseline_levels(tabs["baseline"], args.months, wage):
        print(f"| `{label}` | {text} |")


if __name__ == "__main__":
    main()
