"""Licence applicants against informal heads with the same ore share: what moves, and when.

Why: `experiments/licence_income_panel.py` matches licensees with informal heads of the
same *income* and finds that licensees lose income; this script matches each applicant
(an informal pit head applying in months 13–60) with up to five informal heads whose
share of their pit's ore (t/month at full effort, ``potential_t``) is within ±10 % of
its own in the month it applies, and follows both by months since the application:

    ore_share   the head's share of its pit's ore (t/month)
    own_ore     what the head alone would handle (t/month: role, skill, silicosis)
    crew        active crew members (the head not counted)
    digger      share of heads digging
    silicosis   share of heads with silicosis
    grade       grade of the ground worked (g/t)
    income      net income (USD/month)
    licensed    share of applicants holding a licence (applicants only)

    .venv/bin/python experiments/licence_ore_share.py --seeds 4 --fee 300

Prints one table (applicants' columns ``app_*``, controls' ``ctl_*``); no files written.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from asmsim.config import load_config
from asmsim.model import ASMModel, teams
from asmsim.model.enums import Legal, Role
from asmsim.model.production import tonnes_potential
from asmsim.run.api import replicate_seeds

MINERS, MONTHS = 1_500, 96
APPLIED = (13, 60)                       # months an application is followed from
MONTHS_SINCE = (0, 6, 12, 24, 27, 30, 36)
MATCH = 0.10                             # controls' ore share within ±10 % of the applicant's
CONTROLS = 5                             # controls per applicant, at most
COLUMNS = ("ore_share", "own_ore", "crew", "digger", "silicosis", "grade", "income")


def heads_this_month(model) -> pd.DataFrame:
    """Every active pit head this month (index: miner id) with the columns above."""
    m, now = model.miners, model.now
    rows = np.flatnonzero(m.active[: len(now.potential_t)])
    heads = rows[m.pit[rows] == m.uid[rows]]
    return pd.DataFrame({
        "ore_share": now.potential_t[heads],
        "own_ore": tonnes_potential(model.config.context, m.role[heads], m.skill[heads],
                                    m.silicosis[heads]),
        "crew": teams.crew_size(model, heads), "digger": m.role[heads] == Role.DIGGER,
        "silicosis": m.silicosis[heads], "grade": now.grade_at_site[heads],
        "income": m.income[heads], "legal": m.legal[heads]}, index=m.uid[heads])


def run(seed: int, fee: float) -> pd.DataFrame:
    """One run: per application and month since it, the applicant's columns and its
    controls' means."""
    model = ASMModel(load_config([f"miners={MINERS}", f"policy.legal.licence_fee_usd={fee}"]),
                     seed=seed)
    rng = np.random.default_rng(seed)
    history, applications = [], []
    for _ in range(MONTHS):
        model.step()
        heads = heads_this_month(model)
        history.append(heads)
        if not APPLIED[0] <= model.month <= APPLIED[1]:
            continue
        m = model.miners
        new = heads.index[(heads.legal == Legal.APPLICANT.value).to_numpy()
                          & np.isin(heads.index, m.uid[m.applied_month == model.month])]
        informal = heads[heads.legal == Legal.INFORMAL.value]
        for uid in new:
            share = heads.at[uid, "ore_share"]
            near = informal.index[np.abs(informal.ore_share / share - 1) < MATCH]
            controls = rng.choice(near, min(CONTROLS, len(near)), replace=False)
            applications.append((model.month, uid, controls))
    rows = []
    for month, uid, controls in applications:
        for since in MONTHS_SINCE:
            at = month - 1 + since
            if at >= len(history) or uid not in history[at].index:
                continue
            now = history[at]
            present = [c for c in controls if c in now.index]
            row = {"months_since": since,
                   "licensed": now.at[uid, "legal"] == Legal.LICENSED.value}
            for column in COLUMNS:
                row[f"app_{column}"] = float(now.at[uid, column])
                row[f"ctl_{column}"] = float(now.loc[present, column].mean()) if present \
                    else np.nan
            rows.append(row)
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--fee", type=float, default=300.0, help="licence fee (USD)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    frames = Parallel(n_jobs=args.jobs)(delayed(run)(seed, args.fee)
                                        for seed in replicate_seeds(2024, args.seeds))
    table = pd.concat(frames).groupby("months_since").mean()
    with pd.option_context("display.width", 200):
        print(table.round(3).to_string())


if __name__ == "__main__":
    main()
