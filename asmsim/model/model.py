"""The ASM region as a Mesa model: one ``step()`` is one month (ODD 3).

This module holds only the state, the schedule and the Mesa plumbing. Each
entry of :data:`SCHEDULE` is the monthly step of one submodel module (ODD 7);
submodels exchange this month's values through ``model.now``, a
:class:`~asmsim.model.month.MonthRecord`. A new mechanism is one new module
and one line in the schedule.
"""

from __future__ import annotations

import copy
from typing import Any

import mesa
import numpy as np
import pandas as pd

from asmsim.config.schema import Config
from asmsim.config.validate import set_key, validate
from asmsim.model import (
    context,
    finance,
    formalization,
    government,
    health,
    market,
    perception,
    population,
    production,
    scale,
    space,
    teams,
    technology,
    traders,
    warmup,
)
from asmsim.model.context import base_price
from asmsim.model.enums import Lender
from asmsim.model.finance import LenderAgent
from asmsim.model.government import Government
from asmsim.model.ledger import Ledger
from asmsim.model.market import InformalTrader, LicensedBuyer, OfficialBuyer
from asmsim.model.miners import Miner, MinerTable
from asmsim.model.month import MonthRecord
from asmsim.model.recorder import OUTPUTS, OutputCollector, record
from asmsim.model.sites import Sites
from asmsim.model.streams import RandomStreams

COMPACT_AT_INACTIVE_SHARE = 0.25  # table compaction threshold (speed only, no behaviour)

#: One month, in order (ODD 3): each entry is one submodel's step.
SCHEDULE = (
    context.step,          # 7.1 scheduled reforms, world price, shocks
    market.post_prices,    # 7.2 buyers post prices
    finance.post_terms,    # 7.3 lenders post terms
    government.step,       # 7.4 budget, licence queue (7.8), inspections (7.5), training
    perception.update,     # 7.6 what each miner knows this month
    production.step,       # 7.7 ore and gold
    market.sell,           # 7.2 sale channel choice
    finance.settle_accounts,  # 7.3 costs, debt service, income, consumption
    formalization.step,    # 7.8 renewals, applications, cooperatives
    technology.step,       # 7.9 technology and safety
    population.step,       # 7.10 moves, role changes, exit
    population.entry,      # 7.10 entry
    teams.step,            # 7.10 pits: crews split, leave, join; pits open; licences, ties cover crews
    health.step,           # 7.11 health and environment
    space.step,            # 7.12 evictions, site choice and local displacement
    government.close_accounts,  # 7.4 the budget: revenue and transfer in, spending out
)


class ASMModel(mesa.Model):
    """An artisanal gold-mining region under a policy mix.

    Parameters
    ----------
    config
        A validated :class:`~asmsim.config.Config` (default: the embedded baseline).
    seed
        Seed of the model's random generator; same seed and config ⇒ identical output.
    """

    def __init__(self, config: Config | None = None, seed: int = 0):
        super().__init__(rng=seed)
        self.config = copy.deepcopy(config) if config is not None else Config()
        validate(self.config)
        self.seed = seed
        self.month = 0
        self.stream = RandomStreams(seed)
        ctx, policy = self.config.context, self.config.policy
        self.sites = Sites(ctx, policy.legal.asm_zone_share, self.stream("sites"),
                           self.config.miners)
        self.sites.place_buying_points(scale.buying_points(self))
        self.miners = MinerTable(2 * self.config.miners)
        self.created = 0  # miners created so far (the next miner id)
        self._handles: list[Miner | None] = []  # per row; created when first asked for
        self._handles_upto = 0  # rows below this have their handle (or have exited)
        self.pool = ctx.labour_pool_per_miner * self.config.miners
        self.government = Government(self)
        self.licensed_buyers = [LicensedBuyer(self, int(t)) for t in self.sites.towns]
        self.trader_book = traders.create(self, len(self.sites.towns))
        self.traders = [InformalTrader(self, index, int(town))
                        for index, town in enumerate(self.trader_book.town)]
        self.official_buyer = OfficialBuyer(self)
        self.lenders = {kind: LenderAgent(self, kind)
                        for kind in (Lender.BANK, Lender.MICROFINANCE, Lender.STATE_FUND)}
        self.policy_changes: list[tuple[int, str, Any]] = []
        self.entered_total = 0  # miners who entered after month 0
        self.exited_total = 0
        self.stock_carried_off_g = 0.0  # unsold gold of leavers whose rows were compacted
        self.price_base = base_price(ctx, 0, 0.0, self.stream("price"))
        scenario = warmup.begin(self)  # the status quo, from the initial miners on
        self._open_month()
        population.add_miners(self, self.config.miners, initial=True)
        self._post_and_perceive()
        warmup.long_run_stocks(self)
        self._post_and_perceive()
        population.estimate_initial_income(self)
        warmup.run(self, scenario)  # the status quo's own steady state, unrecorded
        self.government.fund_programmes(1)  # the budget for month 1
        self.datacollector = OutputCollector()
        self.last_row: dict[str, float] = {}
        self._record()

    def _open_month(self) -> None:
        """A fresh month record, before any submodel acts."""
        self.now = self._new_month()
        self.now.traders_inspected = np.zeros(len(self.traders), dtype=bool)
        self.now.site_at_start = self.miners.site.copy()

    def _post_and_perceive(self) -> None:
        """Shocks, posted prices and terms, and what miners know: the state recorded as a
        month without flows (month 0)."""
        context.apply_shocks(self)
        market.post_prices(self)
        finance.post_terms(self)
        perception.update(self)

    def start_month_zero(self) -> None:
        """After the warm-up: month 0 begins (counters at zero, no flows)."""
        self.month = 0
        self.entered_total = self.exited_total = 0
        self.stock_carried_off_g = 0.0
        self.sites.worked[:] = False  # land disturbed is counted from month 0
        self._open_month()
        self._post_and_perceive()

    # ------------------------------------------------------------------ month
    def step(self) -> None:
        """Advance one month: every submodel of :data:`SCHEDULE` in turn, then record."""
        self._simulate_month()
        self._record()
        self._compact_if_sparse()

    def step_unrecorded(self) -> None:
        """Advance one month without recording it (the warm-up's months)."""
        self._simulate_month()
        self._compact_if_sparse()

    def _simulate_month(self) -> None:
        self.month += 1
        self._open_month()
        for submodel in SCHEDULE:
            submodel(self)

    def run(self, months: int | None = None) -> pd.DataFrame:
        """Run ``months`` more months (default: the configured horizon); return the table."""
        for _ in range(self.config.months if months is None else months):
            self.step()
        return self.table()

    def table(self) -> pd.DataFrame:
        """The monthly output table so far (spec §7 columns and extras)."""
        return pd.DataFrame(self.datacollector.model_vars)[list(OUTPUTS)]

    # --------------------------------------------------------------- levers
    def set_policy(self, key: str, value: Any) -> Any:
        """Change a policy or context key, validated; it acts from the next month processed."""
        value = set_key(self.config, key, value)
        self.policy_changes.append((self.month, key, value))
        if key == "policy.legal.asm_zone_share":
            self.sites.apply_zoning(value)
        if key.startswith("policy.market.official_buyer.buying_points"):
            self.sites.place_buying_points(scale.buying_points(self))
        return value

    # -------------------------------------------------------------- helpers
    def _new_month(self) -> MonthRecord:
        """A fresh record for this month; the random streams move to this month's block."""
        self.stream.new_month(self.month)
        return MonthRecord(month=self.month, ledger=Ledger(self.miners.n),
                           recovery_by_tech=production.recovery(self.config.context))

    def uniforms(self, name: str, rows: np.ndarray | slice | None = None,
                 column: int | None = None) -> np.ndarray:
        """This month's uniform (float32, [0, 1)) of per-miner stream ``name`` for miner rows
        ``rows`` (an index array or slice; default: every row); with ``column``, that
        column of the stream's block (a decision of its own, independent of the others).
        Keyed by miner id, so a miner's number does not depend on its row, on table
        compaction or on which rows are asked for (common random numbers); ask only for
        the rows a decision needs."""
        uid = self.miners.uid if rows is None else self.miners.uid[rows]
        if column is None:
            return self.stream.per_miner(name, uid)
        return self.stream.per_miner_column(name, uid, column)

    def _record(self) -> None:
        self.last_row = record(self)
        self.datacollector.collect(self)

    # --------------------------------------------------------- Mesa agents
    @property
    def handles(self) -> list[Miner | None]:
        """One :class:`Miner` agent per table row (``None`` for a miner who has left).

        Handles are created when first asked for (here, or through ``agents`` /
        ``agents_by_type``), so the monthly pass does not pay Mesa's per-agent
        registration for every entrant; each handle keeps its ``unique_id`` for life.
        """
        m = self.__dict__.get("miners")
        if m is None:  # Mesa asking during construction, before the table exists
            return []
        for row in np.flatnonzero(m.active[self._handles_upto:]) + self._handles_upto:
            self._handles[row] = Miner(self, int(row))
        self._handles_upto = m.n
        return self._handles

    @property
    def agents(self):
        """All Mesa agents: buyers, lenders, the government and every active miner."""
        _ = self.handles
        return super().agents

    @property
    def agents_by_type(self):
        """Mesa agents by class (``Miner`` included; see :attr:`handles`)."""
        _ = self.handles
        return super().agents_by_type

    @property
    def agent_types(self) -> list[type]:
        _ = self.handles
        return super().agent_types

    # ----------------------------------------------------------- population
    def _compact_if_sparse(self) -> None:
        """Between months, drop exited miners' rows once they are a quarter of the table."""
        m = self.miners
        inactive = m.n - int(np.count_nonzero(m.active))
        if inactive <= COMPACT_AT_INACTIVE_SHARE * m.n:
            return
        self.stock_carried_off_g += float(m.stock_g[~m.active].sum())
        keep = m.compact()
        if self._handles_upto == 0:  # no handle made yet: nothing to carry over
            self._handles = [None] * len(keep)
        else:
            self._handles = [self._handles[row] for row in keep.tolist()]
        self._handles_upto = int(np.searchsorted(keep, self._handles_upto))
        for row, handle in enumerate(self._handles[: self._handles_upto]):
            handle.row = row

    def reset_handles(self) -> None:
        """No Mesa miner handle yet for any row of a (replaced) miner table."""
        self._handles = [None] * self.miners.n
        self._handles_upto = 0

    def register_rows(self, count: int) -> None:
        """Reserve handle slots for ``count`` new table rows (handles are made lazily)."""
        self._handles.extend([None] * count)

    def remove_handles(self, rows: np.ndarray) -> None:
        """Remove the Mesa agents of miners ``rows`` who left (those that have a handle)."""
        for row in rows[rows < self._handles_upto]:
            handle = self._handles[row]
            if handle is not None:
                handle.remove()
                self._handles[row] = None
