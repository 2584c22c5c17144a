"""Process 5 and 4f: entry, exit, moves and role changes (spec §6.8).

Exit: a miner whose expected income has stayed below its reservation wage for
three months leaves with probability ``exit_rate`` a month; a small
background rate covers migration and ageing. Entry each month is
``pool · 2·rate · logistic(k · (E[income]/w_out − m))`` new miners (a
binomial draw; ``m`` = ``entry_income_multiple``), so rushes follow prices
while exits stay slow (the ratchet).
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr, ndtri

from asmsim.config.schema import ContextConfig
from asmsim.model.enums import Role

LOW_INCOME_MONTHS = 3
BACKGROUND_EXIT_MONTHLY = 0.004  # migration, ageing, other jobs (assumption)


def draw_roles(context: ContextConfig, woman: np.ndarray, role_access: float,
               rng: np.random.Generator) -> np.ndarray:
    """Roles for new or re-sorted miners; women dig less often (``women_role_bias``)."""
    bias = context.women_role_bias * (1.0 - role_access)
    p_dig = np.where(woman, context.digger_share_men * (1.0 - bias), context.digger_share_men)
    u = rng.random(len(woman))
    roles = np.where(u < p_dig, Role.DIGGER,
                     np.where(rng.random(len(woman)) < context.processor_share_nondiggers,
                              Role.PROCESSOR, Role.HAULER))
    return roles.astype(np.int8)


def exits(context: ContextConfig, exp_income, reservation, low_months, active, rng
          ) -> np.ndarray:
    """Miners leaving this month (updates ``low_months`` in place)."""
    low = active & (exp_income < reservation)
    low_months[:] = (low_months + 1) * low
    p = context.exit_rate * (low_months >= LOW_INCOME_MONTHS) + BACKGROUND_EXIT_MONTHLY
    return active & (rng.random(len(active)) < p)


def entrants(context: ContextConfig, pool: float, mean_expected_income: float,
             rng: np.random.Generator) -> int:
    """Number of new miners this month."""
    w = context.outside_wage_usd_month
    ratio = mean_expected_income / max(w, 1e-9)
    x = context.entry_steepness * (ratio - context.entry_income_multiple)
    pull = 1.0 / (1.0 + np.exp(-np.clip(x, -50, 50)))
    return int(rng.binomial(int(pool), min(2.0 * context.entry_rate * pull, 1.0)))


def initial_reservation(context: ContextConfig, income: np.ndarray, rng: np.random.Generator
                        ) -> np.ndarray:
    """Reservation wages (USD/month) of the miners already mining at month 0.

    ``w_out · lognormal(0, σ)`` truncated above at each miner's ``income``: people
    mine because mining pays them more than their outside option.
    """
    w, sigma = context.outside_wage_usd_month, context.reservation_sigma
    if sigma <= 0:
        return np.full(len(income), w)
    with np.errstate(divide="ignore"):
        z_max = np.log(np.maximum(income, 0.0) / w) / sigma
    u = rng.random(len(income)) * ndtr(z_max)
    return w * np.exp(sigma * ndtri(np.maximum(u, 1e-300)))
