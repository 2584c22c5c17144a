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
from tests.conftest import TEST_JOBS

SCENARIOS = ("baseline", "legal", "crackdown", "royalty_cut", "official_buying", "price_boom",
             "pandemic_shock", "gender_responsive", "training_only", "clean_tech")
SIZE = ["miners=500", "months=84"]
REPLICATES = 6


@pytest.fixture(scope="module")
def tables() -> dict[str, list[pd.DataFrame]]:
    seeds = replicate_seeds(2024, REPLICATES)
    tasks = [(load_config([f"scenario={s}", *SIZE]), seed) for s in SCENARIOS for seed in seeds]
    results = run_tasks(tasks, jobs=TEST_JOBS, progress=False)
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
    results = run_tasks(tasks, jobs=TEST_JOBS, progress=False)
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


FORMAL_CREDIT = ("policy.finance.microfinance.enabled=true",
                 "policy.finance.state_fund.enabled=true",
                 "policy.finance.microfinance.approval=1.0")


@pytest.fixture(scope="module")
def tie_gaps() -> dict[str, np.ndarray]:
    """Pattern 4's tied − untied trader share per seed (6 seeds, 800 miners, months 1-24):
    with the contract, with side-sale detection off, and with formal credit open."""
    seeds = replicate_seeds(7, 6)
    arms = {"contract": (), "no_detection": ("context.side_sell_detection=0",),
            "formal_credit": FORMAL_CREDIT}
    return {arm: tied_minus_untied_trader_share(seeds, miners=800, extra=extra)
            for arm, extra in arms.items()}


def test_pattern4_prefinance_ties_miners_to_traders(tie_gaps):
    """Where the official channel pays more, miners owing a trader still sell to traders,
    because the tie is an enforced debt contract: a side sale is detected
    (``context.side_sell_detection``), the loan called and the miner refused pre-finance,
    and an illiquid miner weighs the income that would cost it. With detection off the
    pattern goes: tied and untied sellers whom the official buyer pays more sell to
    traders alike (paired runs, same seeds). Measured (docs/validation.md, "Pattern 4
    re-measured"): tied − untied trader share +0.326 ± 0.013 with detection, −0.014 ±
    0.006 without (6 seeds)."""
    model = ASMModel(load_config(["scenario=official_buying", "policy.market.royalty_rate=0.0",
                                  "policy.market.official_buyer.price_share=0.99",
                                  "miners=50"]))
    assert model.now.prices.official > model.now.prices.trader  # the official channel pays more
    with_contract, without = tie_gaps["contract"], tie_gaps["no_detection"]
    assert beyond_noise(with_contract - 0.2)
    assert beyond_noise(with_contract - without - 0.2)
    se = without.std(ddof=1) / np.sqrt(len(without))
    # One-sided: without detection tied sellers favour traders slightly less than untied
    # ones (−0.014 ± 0.006), because their own trader pays them the tie discount less;
    # with the discount at 0 too, +0.025 ± 0.011 (docs/validation.md): no tie left.
    assert without.mean() < max(3 * se, 0.03), without


def test_pattern4_formal_credit_loosens_the_tie(tie_gaps):
    """Economic sign (v2 c3): the tie holds an illiquid miner by the income a ban would cost
    it for want of working capital, so a formal line of credit (microfinance and a state
    fund, open to licensees, applicants and cooperative members) loosens it: the tied −
    untied gap falls on average, paired by seed. Measured −10.7 pp (6 of 6 seeds) before
    pits; with pits −1.9 ± 0.4 pp (6 of 6 seeds, 2026-12-02): a crew under its head's tie
    bears the head's expected cost, which the crew member's own credit does not lower
    (docs/validation.md).
    """
    loosening = tie_gaps["contract"] - tie_gaps["formal_credit"]
    assert loosening.mean() > 0 and (loosening > 0).mean() >= 0.5


def test_pattern5_crackdown_cuts_incomes_more_than_mining_and_trust(tables):
    income = window(tables["crackdown"], "income_mean_usd", 13, 84) \
        / window(tables["baseline"], "income_mean_usd", 13, 84)
    gold = window(tables["crackdown"], "gold_kg", 13, 84) \
        / window(tables["baseline"], "gold_kg", 13, 84)
    per_miner_gold = gold / (window(tables["crackdown"], "active_miners", 13, 84)
                             / window(tables["baseline"], "active_miners", 13, 84))
    assert beyond_noise(1 - income)              # incomes fall
    # more than mining does: on average (with pits, 5 of 6 seeds: evictions split crews and
    # a suspended member idles its pit's scarce stage, so in one seed gold per miner falls
    # with incomes; docs/validation.md)
    assert (per_miner_gold - income).mean() > 0
    assert beyond_noise(-effect(tables, "crackdown", "mean_trust"))
    assert window(tables["crackdown"], "displaced", 1, 84).mean() > \
        2 * window(tables["baseline"], "displaced", 1, 84).mean()


def test_pattern6_price_spike_pulls_entrants_and_lockdown_pushes_into_debt(tables):
    assert beyond_noise(effect(tables, "price_boom", "entries", 24, 59))
    assert beyond_noise(effect(tables, "price_boom", "active_miners", 48, 60))
    assert beyond_noise(-effect(tables, "pandemic_shock", "income_mean_usd", 30, 35))
    assert beyond_noise(effect(tables, "pandemic_shock", "debt_mean_usd", 33, 38))


AMPLE_CAPITAL = "context.trader_capital_usd_per_1000_miners=1e6"  # ≈ 100× the default


@pytest.fixture(scope="module")
def lockdown_tables() -> dict[str, list[pd.DataFrame]]:
    """The lockdown (months 30-35) and the status quo, with traders' default capital and with
    capital so ample that gold stuck in unshipped stock never limits what they pay."""
    seeds = replicate_seeds(2024, 4)
    arms = {"baseline": ["scenario=baseline"], "pandemic_shock": ["scenario=pandemic_shock"],
            "baseline_ample": ["scenario=baseline", AMPLE_CAPITAL],
            "pandemic_shock_ample": ["scenario=pandemic_shock", AMPLE_CAPITAL]}
    tasks = [(load_config([*overrides, "miners=500", "months=40"]), seed)
             for overrides in arms.values() for seed in seeds]
    results = run_tasks(tasks, jobs=TEST_JOBS, progress=False)
    return {arm: results[i * 4:(i + 1) * 4] for i, arm in enumerate(arms)}


def test_pattern6_lockdown_price_fall_and_debt_come_from_traders_stuck_capital(lockdown_tables):
    """Mechanism removed: a closure blocks shipments, traders' capital sticks in unshipped
    gold and they cut their prices; miners, paid less, borrow more. With capital too ample
    to bind, the price fall and the debt rise go away (incomes still fall: formal buyers
    are closed)."""
    def ratio(arm, column, first, last):
        return window(lockdown_tables[arm], column, first, last) \
            / window(lockdown_tables[arm.replace("pandemic_shock", "baseline")], column,
                     first, last)

    # in every seed: the price falls by more than 10 %, debt rises by more than 5 %
    debt = ratio("pandemic_shock", "debt_mean_usd", 33, 38)
    assert (ratio("pandemic_shock", "trader_price_usd_per_g", 30, 35) < 0.9).all()
    assert (debt > 1.05).all()
    price_ample = ratio("pandemic_shock_ample", "trader_price_usd_per_g", 30, 35)
    debt_ample = ratio("pandemic_shock_ample", "debt_mean_usd", 33, 38)
    assert np.abs(price_ample - 1).max() < 0.02
    # what is left of the debt rise (the closed formal buyers) is under a quarter of it
    assert (debt_ample - 1 < 0.25 * (debt - 1)).all()
    assert beyond_noise(1 - ratio("pandemic_shock_ample", "income_mean_usd", 30, 35))


def test_pattern7_women_earn_less_and_targeted_measures_narrow_the_gap(tables):
    """Women earn less (the ratio's mean over seeds below 0.8, and below 1 beyond noise),
    and the gender-responsive levers narrow the gap. (Each seed's ratio was held below 0.8
    until a 500-miner region's seed scatter reached it: 0.56-0.81 over these 6 seeds,
    mean 0.71, after the whole-crew change of 2026-12-02; 0.68 at 2,000 miners,
    docs/validation.md.)"""
    ratio = window(tables["baseline"], "women_men_income_ratio", 73, 84)
    assert ratio.mean() < 0.8, ratio
    assert beyond_noise(1.0 - ratio), ratio
    assert beyond_noise(effect(tables, "gender_responsive", "women_men_income_ratio"))
    assert beyond_noise(effect(tables, "gender_responsive", "women_digger_share"))


def test_pattern8_training_with_equipment_and_finance_cuts_mercury_more(tables):
    assert beyond_noise(-effect(tables, "clean_tech", "mercury_kg"))
    assert beyond_noise(-effect(tables, "clean_tech", "mercury_kg", than="training_only"))
    assert beyond_noise(effect(tables, "clean_tech", "mercury_free_share", than="training_only"))
