"""Submodel: context — scheduled reforms, the world price path and shocks (ODD 7.1).

Each month, first the ``policy_schedule`` entries of the month are applied
(through ``model.set_policy``, validated like any lever), then the base price
moves along its path and the shocks in force give this month's world price,
closure factor (market closures: the share of traders' shipments that can
leave) and output factor (floods).
"""

from __future__ import annotations

import csv
import math
from functools import cache
from importlib.resources import files

import numpy as np

from asmsim.config.prices import read_price_series
from asmsim.config.schema import ContextConfig, Shock

GRAMS_PER_TROY_OUNCE = 31.1034768


BASE_YEAR = 2024  # money in the model is constant 2024 US dollars


@cache
def annual_gold_prices() -> dict[int, float]:
    """Shipped annual average gold prices in constant 2024 USD per gram.

    Nominal prices: World Bank Commodity Price Data (Pink Sheet), annual averages,
    rounded to whole dollars per troy ounce; deflated with the US CPI-U (BLS series
    CUUR0000SA0, annual averages; domain-facts-2 §G1): real = nominal × CPI(2024) / CPI(year).
    """
    text = files("asmsim.model").joinpath("data/gold_annual_usd_per_ozt.csv").read_text()
    rows = list(csv.DictReader(text.splitlines()))
    cpi = {int(r["year"]): float(r["cpi_u"]) for r in rows}
    return {int(r["year"]): float(r["price_usd_per_ozt"]) / GRAMS_PER_TROY_OUNCE
            * cpi[BASE_YEAR] / cpi[int(r["year"])] for r in rows}


def base_price(context: ContextConfig, month: int, previous: float,
               rng: np.random.Generator) -> float:
    """World price (USD/g) at ``month`` before shocks, by the configured path."""
    price = context.price
    if price.path == "constant" or month == 0:
        if price.path == "series":
            return _series_price(price.series_start_year, 0)
        return price.initial_usd_per_g
    if price.path == "series":
        return _series_price(price.series_start_year, month)
    # Geometric Brownian motion in monthly steps.
    mu, sigma = price.drift_annual / 12.0, price.volatility_annual / np.sqrt(12.0)
    return previous * float(np.exp(mu - 0.5 * sigma**2 + sigma * rng.standard_normal()))


def _series_price(start_year: int, month: int) -> float:
    series = annual_gold_prices()
    year = min(start_year + month // 12, max(series))
    return series[max(year, min(series))]


def active_shocks(shocks: list[Shock], month: int, kind: str) -> list[Shock]:
    """Shocks of ``kind`` in force at ``month``."""
    return [s for s in shocks if s.kind == kind and s.month <= month < s.month + s.duration]


def shock_multipliers(shocks: list[Shock], month: int) -> tuple[float, float, float]:
    """(price multiplier, closure factor, output factor) for this month.

    price_spike, price_level: world price × (1 + size); market_closure: formal buyers shut
    and traders can ship only (1 − size) of their gold (the closure factor);
    flood: output × (1 − size).
    """
    price = math.prod(1.0 + s.size for s in active_shocks(shocks, month, "price_spike")
                      + active_shocks(shocks, month, "price_level"))
    trader = math.prod(1.0 - min(s.size, 1.0)
                       for s in active_shocks(shocks, month, "market_closure"))
    output = math.prod(1.0 - min(s.size, 1.0) for s in active_shocks(shocks, month, "flood"))
    return float(price), float(trader), float(output)


def step(model) -> None:
    """Apply this month's scheduled changes; set the price and the shock factors in ``model.now``."""
    for change in model.config.policy_schedule:
        if change.month == model.month:
            model.set_policy(change.key, change.value)
    model.price_base = base_price(model.config.context, model.month, model.price_base,
                                  model.stream("price"))
    apply_shocks(model)


def apply_shocks(model) -> None:
    """This month's shocked world price (USD/g), closure and output factors, into ``model.now``."""
    now = model.now
    shocks = model.config.context.shocks
    spike, closure, output = shock_multipliers(shocks, model.month)
    now.output_factor = output
    now.closure_factor = closure
    now.closed = closure < 1.0
    now.world_price = series_price(shocks, model.month, model.price_base) * spike


def series_price(shocks: list[Shock], month: int, base: float) -> float:
    """The world price (USD/g) before multipliers: a price_series shock's price in force
    (the latest-starting one), else ``base``."""
    series = active_shocks(shocks, month, "price_series")
    if not series:
        return base
    shock = max(series, key=lambda s: s.month)
    path = read_price_series(shock.file)
    return float(path[min(month - shock.month, len(path) - 1)])
