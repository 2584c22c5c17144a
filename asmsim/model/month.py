"""The per-month record the submodels hand each other (ODD §3).

One :class:`MonthRecord` is created at the start of every month (``model.now``)
and filled in schedule order: the context sets the shock factors, the market
posts prices, perception computes what miners expect, production the tonnes,
sales the grams sold, and so on. A submodel reads what an earlier one wrote and
writes its own fields; nothing of one month survives into the next except the
state of agents and sites. The recorder reads it to build the output row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from asmsim.model.channels import PostedPrices
from asmsim.model.ledger import Ledger


def _zeros() -> np.ndarray:
    return np.zeros(0)


def _no_rows() -> np.ndarray:
    return np.zeros(0, dtype=np.intp)


@dataclass
class MonthRecord:
    """What one month's submodels exchange. Money in USD, mass in grams, per miner row."""

    month: int
    ledger: Ledger                        # every change of a miner's cash this month
    recovery_by_tech: np.ndarray          # share of gold recovered (0-1) by Tech code
    stats: defaultdict = field(default_factory=lambda: defaultdict(float))  # counts, totals
    spending: defaultdict = field(default_factory=lambda: defaultdict(float))  # USD by category
    # context and market
    world_price: float = 0.0              # USD/g after price shocks
    closure_factor: float = 1.0           # market closures: share of traders' shipments that leave
    output_factor: float = 1.0            # flood shocks: share of output kept
    closed: bool = False                  # a market closure shuts formal buyers
    prices: PostedPrices | None = None    # what buyers pay (USD/g)
    licensed_credit_value: float = 0.0    # USD/month a licensee gains from formal credit
    traders_inspected: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    border_interdiction: float = 0.0      # chance a smuggled batch is caught this month (0-1)
    loan_offers: dict = field(default_factory=dict)  # purpose group -> [LoanTerms]
    # perception (what every decision reads)
    town_distance: np.ndarray = field(default_factory=_zeros)     # cells
    point_distance: np.ndarray = field(default_factory=_zeros)    # cells (1e6: no point)
    per_gram_utility: np.ndarray = field(default_factory=_zeros)  # USD/g, (channels, miners)
    own_traders: np.ndarray = field(default_factory=_zeros)       # trader index, (per town, miners)
    trader_per_gram: np.ndarray = field(default_factory=_zeros)   # USD/g, (per town, miners)
    trip_cost: np.ndarray = field(default_factory=_zeros)         # USD/month, (channels, miners)
    usual_traders: np.ndarray = field(default_factory=_zeros)     # trader for credit, per miner
    pit_heads: tuple | None = None  # teams.head_rows's last answer and the ids it was for
    potential_t: np.ndarray = field(default_factory=_zeros)       # t/month in a full month
    grade_at_site: np.ndarray = field(default_factory=_zeros)     # g/t
    recovery_share: np.ndarray = field(default_factory=_zeros)    # 0-1, of each miner's Tech
    expected_grams: np.ndarray = field(default_factory=_zeros)    # g/month
    neighbour_licensed: np.ndarray = field(default_factory=_zeros)      # per cell, 0-1
    neighbour_mercury_free: np.ndarray = field(default_factory=_zeros)  # per cell, 0-1
    # production, sales, accounts
    tonnes: np.ndarray = field(default_factory=_zeros)            # ore worked this month (t)
    sold_g: np.ndarray = field(default_factory=_zeros)            # gold sold (g)
    trader_revenue: np.ndarray = field(default_factory=_zeros)    # USD from sales to traders
    tied_trader_revenue: np.ndarray = field(default_factory=_zeros)  # USD from sales to the trader owed
    sold_to_trader: np.ndarray = field(default_factory=_zeros)   # trader sold to (−1: none)
    side_sale_cost: np.ndarray = field(default_factory=_zeros)   # USD, a tie's expected cost
    access_cost: np.ndarray = field(default_factory=_zeros)       # USD trip to formal buyers
    interest_paid: np.ndarray = field(default_factory=_zeros)     # USD of formal interest
    audit_fines: np.ndarray = field(default_factory=_zeros)       # USD audit fines paid, per row
    audit_exposure: np.ndarray = field(default_factory=_zeros)    # USD expected audit cost of
    #                                                               the month's sale, per row
    # people (counted by the recorder's per-group outputs)
    hurt: np.ndarray = field(default_factory=_no_rows)  # rows injured this month (health)
    left: np.ndarray = field(default_factory=_no_rows)  # rows that left mining this month
    # space (site choice and evictions)
    site_at_start: np.ndarray = field(default_factory=_zeros)     # cell of each row at month start
    evicted: list = field(default_factory=list)   # arrays of rows evicted after an inspection
    site_decisions: dict = field(default_factory=dict)  # this month's site choices (diagnostics)

    def spend(self, category: str, usd: float) -> None:
        """Record state spending (USD) this month under ``category``."""
        self.spending[category] += float(usd)
