"""The patterns of spec §1: each asserts a direction with a margin beyond replicate noise.

All scenarios run once per session with the same replicate seeds (common random
numbers); an effect must exceed 3 standard errors of the paired difference.
Measured magnitudes are reported in docs/validation.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from asmsim.analysis.patterns import tied_minus_untied_trader_share, window
from asmsim.config import load_config
from asmsim.model import ASMModel
from asmsim.run import replicate_seeds, run_tasks

SCENARIOS = ("baseline", "legal", "crackdown", "royalty_cut", "official_buying", "price_boom",
             "pandemic_shock", "gender_responsive", "training_only", "clean_tech")
SIZE = ["miners=500", "months=84"]
REPLICATES = 6


@pytest.fixture(scope="module")
def tables() -> dict[str, list[pd.DataFrame]]:
    seeds = replicate_seeds(2024, REPLICATES)
    tasks = [(load_config([f"scenario={s}", *SIZE]), seed) for s in SCENARIOS for seed in seeds]
    results = run_tasks(tasks, jobs=0, progress=False)
    return {s: results[i * REPLICATES:(i + 1) * REPLICATES] for i, s in enumerate(SCENARIOS)}


def beyond_noise(diff: np.ndarray, sigmas: float = 3.0) -> bool:
    """Paired differences whose mean is positive by more than ``sigmas`` standard errors."""
    se = diff.std(ddof=1) / np.sqrt(len(diff))
    return diff.mean() - sigmas * max(se, 1e-12) > 0


def effect(tables, scenario, column, first=73, last=84, than="baseline") -> np.ndarray:
    return window(tables[scenario], column, first, last) - window(tables[than], column, first,
                                                                  last)


def test_pattern1_cheap_fast_licences_raise_licensing(tables):
    assert beyond_noise(effect(tables, "legal", "licensed_share"))
    # Costly, slow licences keep most miners informal even under strong enforcement.
    assert window(tables["crackdown"], "licensed_share", 73, 84).max() < 0.5


def test_pattern2_royalty_cut_moves_gold_to_official_channels(tables):
    """Mechanism: traders declare the batches whose smuggling route no longer pays more
    than the declared value (tests/test_market.py knocks it out), and licensees sell
    more to licensed buyers: official exports rise, the smuggled share falls."""
    assert beyond_noise(effect(tables, "royalty_cut", "official_export_share"))
    assert beyond_noise(-effect(tables, "royalty_cut", "smuggled_share"))


PREMIUM_BUYER = ["scenario=official_buying", "policy.market.official_buyer.price_share=0.99",
                 "policy.market.royalty_rate=0.0"]


@pytest.fixture(scope="module")
def premium_buyer_tables() -> dict[str, list[pd.DataFrame]]:
    """An official buyer paying more than traders (99 % of the world price, no royalty) and
    the same region without it, months 1-24."""
    seeds = replicate_seeds(2024, REPLICATES)
    arms = {"without": [*PREMIUM_BUYER, "policy.market.official_buyer.enabled=false"],
            "with": PREMIUM_BUYER}
    tasks = [(load_config([*overrides, "miners=500", "months=24"]), seed)
             for overrides in arms.values() for seed in seeds]
    results = run_tasks(tasks, jobs=0, progress=False)
    return {arm: results[i * REPLICATES:(i + 1) * REPLICATES] for i, arm in enumerate(arms)}


def test_pattern3_official_buyer_raises_formal_sales_before_licensing(premium_buyer_tables,
                                                                      tables):
    """Mechanism: the official buyer draws the gold of sellers it pays more than their best
    trader (net of royalty and the trip), within a year and before licensing moves. At
    the preset's own terms (97 % of the world price with the 7 % royalty withheld) it pays
    less than traders, who smuggle, for nearly every seller and gains almost nothing
    (docs/validation.md reports both)."""
    early_sales = effect(premium_buyer_tables, "with", "official_sales_share", 1, 12,
                         than="without")
    early_licences = effect(premium_buyer_tables, "with", "licensed_share", 1, 12,
                            than="without")
    assert beyond_noise(early_sales)
    assert early_sales.mean() > 0.05
    assert abs(early_licences.mean()) < early_sales.mean() / 3
    underpaid = window(premium_buyer_tables["with"], "official_underpaid_share", 1, 12)
    assert underpaid.mean() < 0.15
    at_preset_terms = effect(tables, "official_buying", "official_sales_share", 1, 12)
    # Measured with pits and teams: 0.021 (< 0.003 in five seeds; 0.117 in one, where the
    # traders' price dips below the official buyer's net of royalty in three months).
    assert at_preset_terms.mean() < 0.03


def test_pattern4_prefinance_ties_miners_to_traders():
    """Where the official channel pays more, miners owing a trader still sell to traders.
    (The official buyer pays 99 % of the world price, as in pattern 3: with plot capacity
    traders no longer run short of capital and pay ≈ 96.5 %, so at the preset's 97 % the
    tied − untied gap was ≈ 6 pp, against ≈ 17 pp at 99 %.)"""
    model = ASMModel(load_config(["scenario=official_buying", "policy.market.royalty_rate=0.0",
                                  "policy.market.official_buyer.price_share=0.99",
                                  "miners=50"]))
    assert model.now.prices.official > model.now.prices.trader  # the official channel pays more
    # 10 seeds (3 before): the per-seed difference varies by ≈ 0.04, so with 3 the 3-SE
    # margin (≈ 0.07) was about the effect itself (≈ 0.05 above the 0.05 floor).
    tied_minus_free = tied_minus_untied_trader_share(replicate_seeds(7, 10), miners=800)
    assert beyond_noise(tied_minus_free - 0.05)


def test_pattern5_crackdown_cuts_incomes_more_than_mining_and_trust(tables):
    income = window(tables["crackdown"], "income_mean_usd", 13, 84) \
        / window(tables["baseline"], "income_mean_usd", 13, 84)
    gold = window(tables["crackdown"], "gold_kg", 13, 84) \
        / window(tables["baseline"], "gold_kg", 13, 84)
    per_miner_gold = gold / (window(tables["crackdown"], "active_miners", 13, 84)
                             / window(tables["baseline"], "active_miners", 13, 84))
    assert beyond_noise(1 - income)              # incomes fall
    assert beyond_noise(per_miner_gold - income)  # more than mining does
    assert beyond_noise(-effect(tables, "crackdown", "mean_trust"))
    assert window(tables["crackdown"], "displaced", 1, 84).mean() > \
        2 * window(tables["baseline"], "displaced", 1, 84).mean()


def test_pattern6_price_spike_pulls_entrants_and_lockdown_pushes_into_debt(tables):
    assert beyond_noise(effect(tables, "price_boom", "entries", 24, 59))
    assert beyond_noise(effect(tables, "price_boom", "active_miners", 48, 60))
    assert beyond_noise(-effect(tables, "pandemic_shock", "income_mean_usd", 30, 35))
    assert beyond_noise(effect(tables, "pandemic_shock", "debt_mean_usd", 33, 38))


def test_pattern7_women_earn_less_and_targeted_measures_narrow_the_gap(tables):
    assert window(tables["baseline"], "women_men_income_ratio", 73, 84).max() < 0.8
    assert beyond_noise(effect(tables, "gender_responsive", "women_men_income_ratio"))
    assert beyond_noise(effect(tables, "gender_responsive", "women_digger_share"))


def test_pattern8_training_with_equipment_and_finance_cuts_mercury_more(tables):
    assert beyond_noise(-effect(tables, "clean_tech", "mercury_kg"))
    assert beyond_noise(-effect(tables, "clean_tech", "mercury_kg", than="training_only"))
    assert beyond_noise(effect(tables, "clean_tech", "mercury_free_share", than="training_only"))
