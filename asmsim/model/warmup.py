"""Initialization: the warm-up that puts the status quo in its own steady state (ODD 5).

The initial miners are drawn at month −W + 1 (``context.warmup_months`` = W) and the
region runs W − 2 unrecorded months under the status-quo policy (the schema's
default policy: no reform, no schedule), the scenario's context, the initial
world price held constant and no shocks. At month 0 the scenario's own policy
takes over (zoning and buying points included), the state's budget and the
counters start from zero, and recording begins. Licence ages, tenures,
exposure, debts and ties are then those the status quo itself produces, so
``baseline`` stands still instead of drifting towards its equilibrium for years
(docs/validation.md measures it). Random numbers of warm-up months come from
their own month blocks (months are negative), so the scenario's months keep
common random numbers.
"""

from __future__ import annotations

import copy
import dataclasses
from collections import OrderedDict

import numpy as np

from asmsim.config.schema import PolicyConfig
from asmsim.model import scale
from asmsim.model.enums import Role


def status_quo(config, price_usd_per_g: float):
    """The warm-up's config: ``config``'s context under the status-quo policy, no schedule,
    no shocks, the world price constant at ``price_usd_per_g`` (USD/g)."""
    warm = copy.deepcopy(config)
    warm.policy = PolicyConfig()
    warm.policy_schedule = []
    warm.context.shocks = []
    warm.context.price.path = "constant"
    warm.context.price.initial_usd_per_g = price_usd_per_g
    return warm


CACHE_SIZE = 32  # warmed-up states kept per process (a comparison's scenarios share one)
_CACHE: OrderedDict[tuple, dict] = OrderedDict()


def begin(model):
    """Before the initial miners are drawn: switch ``model`` to the warm-up's config (its
    land policy too) and to month −W + 1; return the scenario's config (None without a
    warm-up). The initial state then depends only on the seed and the warm-up config."""
    months = model.config.context.warmup_months
    if months <= 1:
        return None
    scenario = model.config
    model.config = status_quo(scenario, model.price_base)
    _apply_land_policy(model)
    model.month = -(months - 1)
    return scenario


def run(model, scenario) -> None:
    """Step the model through the warm-up months (or take the state a model with the same
    seed and warm-up config reached), then hand it the ``scenario`` at month 0."""
    if scenario is None:
        return
    key = (model.seed, model.config.miners, repr(dataclasses.asdict(model.config.context)))
    if key in _CACHE:
        _restore(model, _CACHE[key])
        _CACHE.move_to_end(key)
    else:
        while model.month < -1:
            model.step_unrecorded()
        _CACHE[key] = _snapshot(model)
        if len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    model.config = scenario
    _apply_land_policy(model)
    model.government.reset_budget()
    model.start_month_zero()


def _apply_land_policy(model) -> None:
    """Zoning and buying points of the policy in force."""
    model.sites.apply_zoning(model.config.policy.legal.asm_zone_share)
    model.sites.place_buying_points(scale.buying_points(model))


def long_run_stocks(model) -> None:
    """Slow stocks of the initial state drawn near their long-run values, so the warm-up
    has less to settle: each miner's time in mining (geometric, mean
    ``initial_tenure_mean_months``), its exposure (dry roles: diggers and processors) and
    silicosis (cumulative hazard of that exposure), and each site's deposit age (geometric
    at ``discovery_prob_monthly``) with the ore the region's miners would have taken out
    since (t per site-month, from their work potential)."""
    m, ctx, sites = model.miners, model.config.context, model.sites
    rng = model.stream("population")
    rows = np.flatnonzero(m.active)
    tenure = rng.geometric(1.0 / ctx.initial_tenure_mean_months, len(rows)) - 1  # months
    dry = m.role[rows] != Role.HAULER
    m.exposure_years[rows] = dry * tenure / 12.0
    cumulative_hazard = ctx.silicosis_hazard_per_exposure_year * dry * tenure * (tenure + 1) / 24
    m.silicosis[rows] = rng.random(len(rows)) < 1.0 - np.exp(-cumulative_hazard)
    m.entered_month[rows] = model.month - tenure
    cells = len(sites.ore_t)
    dug_per_cell_month = float(model.now.potential_t[rows].sum()) / cells  # t/month
    age = rng.geometric(max(ctx.discovery_prob_monthly, 1e-6), cells) - 1
    sites.ore_t[:] = np.maximum(sites.ore_initial - dug_per_cell_month * age, 0.0)


def _snapshot(model) -> dict:
    """What the warm-up changed, as copies: miners, sites' stocks, traders' books."""
    sites = model.sites
    return {"miners": copy.deepcopy(model.miners), "created": model.created,
            "month": model.month, "ore_t": sites.ore_t.copy(),
            "land_disturbed_ha": sites.land_disturbed_ha.copy(),
            "mercury_kg": sites.mercury_kg.copy(),
            "trader_defaults_usd": [t.defaults_usd for t in model.traders],
            "trader_book": copy.deepcopy(model.trader_book)}


def _restore(model, state: dict) -> None:
    """Put a warmed-up state into ``model`` (copies, so the cache stays untouched)."""
    model.miners = copy.deepcopy(state["miners"])
    model.created, model.month = state["created"], state["month"]
    model.reset_handles()
    for name in ("ore_t", "land_disturbed_ha", "mercury_kg"):
        getattr(model.sites, name)[:] = state[name]
    for trader, lost in zip(model.traders, state["trader_defaults_usd"], strict=True):
        trader.defaults_usd = lost
    model.trader_book = copy.deepcopy(state["trader_book"])
