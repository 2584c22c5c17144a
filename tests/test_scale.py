"""Same policy, same answer at any size; money in constant 2024 dollars."""

from __future__ import annotations

import numpy as np
import pytest

from asmsim.config import load_config
from asmsim.model.context import GRAMS_PER_TROY_OUNCE, annual_gold_prices
from asmsim.model.sites import grid_shape
from asmsim.run.api import simulate

HEADLINE_SHARES = ("licensed_share", "official_sales_share", "coop_share", "trained_share",
                   "formal_credit_share", "trader_tied_share", "mercury_free_share")


def _late_shares(miners: int, seeds: range) -> np.ndarray:
    tables = [simulate(["scenario=integrated", f"miners={miners}", "months=96",
                        "context.warmup_months=120"], seed=s)
              for s in seeds]
    return np.mean([[t[t.month > 84][c].mean() for c in HEADLINE_SHARES] for t in tables],
                   axis=0)


def test_a_preset_means_the_same_at_1000_and_8000_miners():
    """Mechanism: programme levers are per 1,000 miners and the site grid grows with the
    population, so the integrated reform's headline shares do not depend on the size.
    (With site choice and no plot capacity the comparison had to start at 2,000 miners:
    at 1,000 miners choosing their sites gathered unevenly; with plots per cell the
    largest gap is ≈ 2 pp again, docs/validation.md.) A 1,000-miner region's official
    sales share scatters by ≈ 0.04 between seeds under this preset, so the small size takes
    6 seeds: with 6 at both sizes the largest gap of the means is 0.009 (official sales
    share, calibrated defaults); with 2 at each it was 0.030. Both sizes warm up for 120
    months, not 360 (the same status quo at both; the test takes 11 s instead of 48 s):
    largest gap 0.013 with 6 + 2 seeds."""
    small, large = _late_shares(1000, range(6)), _late_shares(8000, range(2))
    gaps = dict(zip(HEADLINE_SHARES, np.round(large - small, 3), strict=True))
    assert np.abs(large - small).max() <= 0.03, gaps


@pytest.mark.parametrize("miners, side, towns", [(2000, 30, 4), (8000, 60, 16), (500, 15, 1)])
def test_the_site_grid_grows_with_the_population(miners, side, towns):
    assert grid_shape(load_config([]).context, miners) == (side, side, towns)


def test_historical_gold_prices_are_in_constant_2024_dollars():
    """2005's US$445/oz is US$715/oz in 2024 dollars (CPI-U 313.689 / 195.3)."""
    prices = annual_gold_prices()
    assert prices[2024] * GRAMS_PER_TROY_OUNCE == pytest.approx(2386.0)
    assert prices[2005] * GRAMS_PER_TROY_OUNCE == pytest.approx(445.0 * 313.689 / 195.3)
