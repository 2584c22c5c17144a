"""How much seed noise is left in paired comparisons: the SD of variant − base over seeds.

Common random numbers make the two runs of a seed differ by the policy, not the draws;
the SD of their paired differences is what the remaining noise costs an analyst (an
interval's half-width is ≈ t · SD / √seeds). Compare it before and after a change to the
model's randomness (docs/validation.md reports such measurements).

Run from the repository root:
``.venv/bin/python experiments/paired_noise.py [--seeds 12] [--miners 1500] [--months 96]
[--warmup 120] [--jobs 2] [--only TEXT] [--json FILE]``. Prints one line per comparison and outcome: the
mean difference over months 1–``months`` and its SD over seeds.
"""

from __future__ import annotations

import argparse
import json
from concurrent.futures import ProcessPoolExecutor

import numpy as np

#: comparison -> overrides of the variant (the base is the default status quo)
COMPARISONS: dict[str, list[str]] = {
    "royalty 7 % -> 2.5 %": ["policy.market.royalty_rate=0.025"],
    "licence fee 600 -> 300 USD": ["policy.legal.licence_fee_usd=300"],
    "inspections 0.02 -> 0.06 a month": ["policy.legal.inspection_prob=0.06"],
    "5 training slots per 1,000 miners": ["policy.social.training_slots_per_1000_miners=5"],
    "finance preset": ["scenario=finance"],
}
#: outcome -> unit (window means of the monthly table)
OUTCOMES = {"income_mean_usd": "USD/month", "active_miners": "people",
            "licensed_share": "0-1", "gold_kg": "kg/month", "trained_share": "0-1",
            "formal_credit_share": "0-1"}


def window_means(task: tuple[list[str], int]) -> dict[str, float]:
    """Means of :data:`OUTCOMES` over the recorded months of one run."""
    import asmsim

    overrides, seed = task
    table = asmsim.simulate(overrides, seed)
    recorded = table[table["month"] > 0]
    return {name: float(recorded[name].mean()) for name in OUTCOMES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=12)
    parser.add_argument("--miners", type=int, default=1500)
    parser.add_argument("--months", type=int, default=96)
    parser.add_argument("--warmup", type=int, default=120, help="warm-up months")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", default="", help="the comparisons whose name contains this")
    parser.add_argument("--json", help="also write {comparison | outcome: [mean, SD]} here")
    args = parser.parse_args()
    comparisons = {name: extra for name, extra in COMPARISONS.items() if args.only in name}
    if not comparisons:
        parser.error(f"--only {args.only!r} matches no comparison; they are: "
                     + ", ".join(COMPARISONS))
    size = [f"miners={args.miners}", f"months={args.months}",
            f"context.warmup_months={args.warmup}"]
    seeds = range(1, args.seeds + 1)
    arms = {"base": size, **{name: [*size, *extra] for name, extra in comparisons.items()}}
    tasks = [(overrides, seed) for overrides in arms.values() for seed in seeds]
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(window_means, tasks))
    by_arm = {arm: results[i * len(seeds):(i + 1) * len(seeds)] for i, arm in enumerate(arms)}
    summary = {}
    for name in comparisons:
        for outcome, unit in OUTCOMES.items():
            diff = np.array([v[outcome] - b[outcome]
                             for v, b in zip(by_arm[name], by_arm["base"], strict=True)])
            summary[f"{name} | {outcome}"] = [float(diff.mean()), float(diff.std(ddof=1))]
            print(f"{name:34s} {outcome:20s} ({unit:9s}) mean {diff.mean():+.4g}  "
                  f"paired SD {diff.std(ddof=1):.4g}", flush=True)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(summary, out, indent=1)


if __name__ == "__main__":
    main()
