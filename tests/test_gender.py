"""Gender (issue 10 §2, pattern 7): the gap between women's and men's incomes comes from
roles, land and credit — context barriers that policy levers can lower: women rarely take
digging vacancies, and opening a pit needs land and set-up capital — and the
`gender_responsive` preset acts only through those levers.

- the preset leaves the context as the baseline's (only policy keys differ);
- removing the barriers from the context (no role bias, full land access, no bank bias)
  closes most of the gap: the pattern disappears with its mechanisms;
- a licence application needs land rights: without them women who want a licence are
  turned back; the land-access lever removes that barrier.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from asmsim.config import load_config
from asmsim.run import replicate_seeds
from asmsim.run.api import simulate

SIZE = ["miners=800", "months=48", "context.warmup_months=60"]
NO_BARRIERS = ["context.women_role_bias=0", "context.women_land_access=1",
               "context.bank_women_factor=1"]


def _late_mean(table, column: str) -> float:
    return float(table.loc[table.month > 24, column].mean())


def test_gender_responsive_acts_only_through_policy_levers():
    base = load_config(["scenario=baseline"])
    preset = load_config(["scenario=gender_responsive"])
    assert dataclasses.asdict(preset.context) == dataclasses.asdict(base.context)
    assert preset.policy.social.women_role_access > 0
    assert preset.policy.social.women_land_access > 0


def test_without_its_barriers_the_gender_gap_closes():
    """Mechanism removal: the gap comes from the role bias, land access and bank bias."""
    gaps = []
    for seed in replicate_seeds(31, 6):
        with_barriers = _late_mean(simulate(SIZE, seed=seed), "women_men_income_ratio")
        without = _late_mean(simulate([*SIZE, *NO_BARRIERS], seed=seed),
                             "women_men_income_ratio")
        gaps.append((with_barriers, without))
    with_barriers, without = np.array(gaps).T
    # Measured at the calibrated defaults (6 seeds): 0.65-0.77 with the barriers (mean
    # 0.69), 0.84-1.04 without (mean 0.97); a seed's ratio at 800 miners scatters by
    # ≈ 0.1, so the levels are asserted on the mean and the closing on every seed.
    assert with_barriers.mean() < 0.75
    assert without.mean() > 0.85
    assert (without - with_barriers).mean() > 0.2
    assert (without - with_barriers).min() > 0.1


def test_a_licence_needs_land_rights_and_the_lever_grants_them():
    seed = 8
    status_quo = simulate(SIZE, seed=seed)
    titled = simulate([*SIZE, "policy.social.women_land_access=1"], seed=seed)
    assert status_quo["applications_no_land"].sum() > 0
    assert titled["applications_no_land"].sum() == 0
