"""Who loses under a cheaper licence: the same miners followed in both arms.

Paired runs (common random numbers) of the baseline at two licence fees, the settings
of `cheap_licence_income` in tests/test_economics.py (1,500 miners, 96 months after the
default warm-up, months 61–96). The warm-up is the same in both arms, so the miners
active at month 0 are the same people with the same random numbers; each is put in a
group by whether it applied for a licence (was ever an applicant, months 1–96) at each
fee: ``both``, ``variant_only`` (the marginal applicants the cheaper fee admits),
``base_only`` and ``never``. Per group it prints, in each arm, the mean income per
active month of its members active in both arms' window (USD/month), the share of their
active months licensed, the grade of the cell they work (g/t) and the size of their pit
(members including its head), as mean ± 1.96 SE over seeds. ``--set KEY=VALUE`` adds
an override to both arms (a knockout: e.g. ``context.site_choice=false``).

    .venv/bin/python experiments/licence_income_cohort.py --seeds 8 --fees 600 300
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from asmsim.model import ASMModel
from asmsim.model.enums import Legal
from asmsim.run.api import replicate_seeds, variant_config

BASE = ["miners=1500", "months=96", "scenario=baseline"]
WINDOW = (61, 96)
GROUPS = ("both", "variant_only", "base_only", "never")
MEASURES = ("income", "licensed", "grade", "pit_size")


def follow(seed: int, fee: float, extra: dict[str, str]) -> pd.DataFrame:
    """Per miner id of the month-0 cohort: whether it ever applied, and its window sums
    (income, months active, months licensed, grade, pit size)."""
    config = variant_config(BASE, {"policy.legal.licence_fee_usd": fee, **extra})
    model = ASMModel(config, seed=seed)
    cohort_end = int(model.created)  # ids below this were active at month 0 or before
    applied = np.zeros(cohort_end, dtype=bool)
    sums = np.zeros((cohort_end, 5))  # per id: income, active, licensed, grade, pit size
    for month in range(1, config.months + 1):
        model.step()
        m = model.miners
        rows = np.flatnonzero(m.active & (m.uid < cohort_end))
        uid, legal = m.uid[rows], m.legal[rows]
        applied[uid[legal == Legal.APPLICANT.value]] = True
        if WINDOW[0] <= month <= WINDOW[1]:
            pits, size = np.unique(m.pit[m.active], return_counts=True)
            sums[uid] += np.column_stack([  # an id holds one row: no repeated index
                m.income[rows], np.ones(len(rows)), legal == Legal.LICENSED.value,
                model.sites.grade()[m.site[rows]], size[np.searchsorted(pits, m.pit[rows])]])
    seen = np.flatnonzero(sums[:, 1] > 0)  # active in the window
    frame = pd.DataFrame(sums[seen], index=seen,
                         columns=["income", "active", "licensed", "grade", "pit_size"])
    frame["applied"] = applied[seen]
    return frame


def group_means(base: pd.DataFrame, variant: pd.DataFrame) -> dict[str, float]:
    """Per group and arm: each measure per active month, over miners active in both."""
    both = base.join(variant, how="inner", lsuffix="_b", rsuffix="_v")
    group = np.select([both.applied_b & both.applied_v, both.applied_v, both.applied_b],
                      GROUPS[:3], GROUPS[3])
    out = {}
    for name in GROUPS:
        members = both[group == name]
        out[f"{name} miners"] = float(len(members))
        for arm in ("b", "v"):
            for measure in MEASURES:
                out[f"{name} {measure} {arm}"] = (members[f"{measure}_{arm}"].sum()
                                                   / max(members[f"active_{arm}"].sum(), 1))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--fees", type=float, nargs=2, default=(600.0, 300.0),
                        help="base and variant licence fees (USD)")
    parser.add_argument("--set", dest="extra", action="append", default=[],
                        metavar="KEY=VALUE", help="an override of both arms")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    extra = dict(item.split("=", 1) for item in args.extra)
    seeds = replicate_seeds(2024, args.seeds)
    runs = Parallel(n_jobs=args.jobs)(delayed(follow)(seed, fee, extra)
                                      for seed in seeds for fee in args.fees)
    table = pd.DataFrame([group_means(runs[i], runs[i + 1]) for i in range(0, len(runs), 2)])
    print(f"licence fee {args.fees[0]:g} -> {args.fees[1]:g} USD, {len(seeds)} paired seeds, "
          f"months {WINDOW[0]}-{WINDOW[1]}, the month-0 cohort {' '.join(args.extra)}")
    print(f"{'group':13s} {'miners':>7s} " + " ".join(
        f"{measure + ' ' + arm:>18s}" for measure in MEASURES for arm in ("base", "variant")))
    for name in GROUPS:
        cells = []
        for measure in MEASURES:
            for arm in ("b", "v"):
                column = table[f"{name} {measure} {arm}"]
                half = 1.96 * column.std(ddof=1) / np.sqrt(len(column))
                cells.append(f"{column.mean():10.3f} ± {half:5.2f}")
        print(f"{name:13s} {table[f'{name} miners'].mean():7.0f} " + " ".join(cells))
    print("income USD/month per active month; licensed: share of active months; grade g/t; "
          "pit_size: members of the miner's pit, head included")


if __name__ == "__main__":
    main()
