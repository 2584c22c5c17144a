"""Levers set per 1,000 miners, so that a preset means the same at any size (ODD 2, Scales).

Counts a programme provides (training slots, licences processed, buying points)
and funds (lending capital, trader credit, the state's transfer) are set per
1,000 miners at month 0 (``config.miners``) and scaled here; the site grid is
sized from the population too (:func:`asmsim.model.sites.grid_shape`).
"""

from __future__ import annotations

import numpy as np


def per_population(model, per_1000_miners: float) -> float:
    """A lever set per 1,000 initial miners, for this region's size (``config.miners``)."""
    return per_1000_miners * model.config.miners / 1000.0


def count_this_month(model, per_1000_miners: float, month: int | None = None) -> int:
    """A monthly count (slots, licences) set per 1,000 initial miners, as a whole number for
    ``month`` (default: the current one):
    ⌊c·t⌋ − ⌊c·(t − 1)⌋ for c per month, so fractions add up over the months, without drift
    or randomness."""
    c = per_population(model, per_1000_miners)
    t = model.month if month is None else month
    return int(np.floor(c * t + 1e-9) - np.floor(c * (t - 1) + 1e-9))


def buying_points(model) -> int:
    """Official buying points for this region (at least one if the lever is above 0)."""
    per_1000 = model.config.policy.market.official_buyer.buying_points_per_1000_miners
    return max(int(np.floor(per_population(model, per_1000) + 0.5)), int(per_1000 > 0))
