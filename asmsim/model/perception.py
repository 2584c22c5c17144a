"""Sensing: what every miner knows this month before it acts (ODD 4, Sensing; 7.6).

Computed once a month, after the government has acted and before production:
the per-gram value of each sale channel and of each trader of the miner's town,
the monthly trip to formal buyers, the ore a full month of work would
move, the grade of the miner's site and the gold it can expect, and the share
of licensed and mercury-free miners around each cell. Decisions later in the
month read these from ``model.now``.
"""

from __future__ import annotations

import numpy as np

from asmsim.model import channels, production, teams, traders
from asmsim.model.channels import ChannelCosts
from asmsim.model.enums import Legal, Tech


def update(model) -> None:
    """Fill the perception fields of ``model.now`` for every miner row."""
    m, ctx, sites, now = model.miners, model.config.context, model.sites, model.now
    costs = ChannelCosts.from_context(ctx)
    now.town_distance = sites.dist_town[m.site]  # cells
    now.point_distance = np.minimum(sites.dist_buying_point, 1e6)[m.site]  # 1e6: no point
    now.own_traders = traders.of_town(model, sites.town_of[m.site])
    now.trader_per_gram = channels.trader_per_gram(now.prices, costs, now.own_traders,
                                                   m.tied_trader)
    now.per_gram_utility = channels.per_gram_utilities(now.prices, costs, now.trader_per_gram)
    now.trip_cost = channels.trip_costs(costs, now.town_distance, now.point_distance)
    now.grade_at_site = sites.grade()[m.site]
    now.recovery_share = now.recovery_by_tech.take(m.tech)
    if ctx.teams:  # a member's share of its pit's ore and gold (7.10)
        teams.expect(model)
    else:  # each miner alone
        now.potential_t = production.tonnes_potential(ctx, m.role, m.skill, m.silicosis)
        now.expected_grams = now.grade_at_site * now.potential_t * now.recovery_share
    cells = sites.width * sites.height
    active = m.active
    total = np.bincount(m.site, weights=active, minlength=cells)  # miners per cell
    # (few are licensed or mercury-free: counted from their rows, same whole numbers)
    licensed = np.bincount(m.site[np.flatnonzero(active & (m.legal == Legal.LICENSED.value))],
                           minlength=cells)
    clean = np.bincount(m.site[np.flatnonzero(active & (m.tech == Tech.MERCURY_FREE.value))],
                        minlength=cells)
    now.neighbour_licensed, now.neighbour_mercury_free = sites.neighbourhood_shares(
        total, licensed, clean)
