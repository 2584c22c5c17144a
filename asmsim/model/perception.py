"""Sensing: what every miner knows this month before it acts (ODD 4, Sensing; 7.6).

Computed once a month, after the government has acted and before production:
the per-gram utility of each sale channel, the ore a full month of work would
move, the grade of the miner's site and the gold it can expect, and the share
of licensed and mercury-free miners around each cell. Decisions later in the
month read these from ``model.now``.
"""

from __future__ import annotations

import numpy as np

from asmsim.model import channels, production
from asmsim.model.channels import ChannelCosts
from asmsim.model.enums import Legal, Tech


def update(model) -> None:
    """Fill the perception fields of ``model.now`` for every miner row."""
    m, ctx, sites, now = model.miners, model.config.context, model.sites, model.now
    costs = ChannelCosts(ctx.access_cost_usd_per_g_cell, ctx.prefinance_tie_discount,
                         ctx.tie_switch_penalty, ctx.licensee_trader_penalty_usd_per_g)
    now.town_distance = sites.dist_town[m.site]  # cells
    now.point_distance = np.minimum(sites.dist_buying_point, 1e6)[m.site]  # 1e6: no point
    now.per_gram_utility = channels.per_gram_utilities(
        now.prices, costs, now.town_distance, now.point_distance,
        m.tied_trader >= 0, m.legal == Legal.LICENSED)
    now.potential_t = production.tonnes_potential(ctx, m.role, m.skill, m.silicosis)
    now.grade_at_site = sites.grade()[m.site]
    now.expected_grams = now.grade_at_site * now.potential_t * now.recovery_by_tech[m.tech]
    cells = sites.width * sites.height
    active = m.active
    total = np.bincount(m.site, weights=active, minlength=cells)  # miners per cell
    licensed = np.bincount(m.site, weights=active & (m.legal == Legal.LICENSED),
                           minlength=cells)
    clean = np.bincount(m.site, weights=active & (m.tech == Tech.MERCURY_FREE),
                        minlength=cells)
    now.neighbour_licensed, now.neighbour_mercury_free = sites.neighbourhood_shares(
        total, licensed, clean)
