"""The ASM region as a Mesa model: one ``step()`` is one month (spec §3).

Processes, in order: context (price, shocks, scheduled reforms) → government
(licence queue, inspections, training, programmes) → buyers and lenders post
prices and terms → the vectorised miner pass (produce, sell, pay, expect,
decide) → entry → health and environment → record.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from typing import Any

import mesa
import numpy as np
import pandas as pd

from asmsim.config.schema import Config
from asmsim.config.validate import set_key, validate
from asmsim.model import channels, formalization, health, population, production, technology
from asmsim.model.agents import (
    Government,
    InformalTrader,
    LenderAgent,
    LicensedBuyer,
    OfficialBuyer,
    trader_terms,
)
from asmsim.model.channels import ChannelCosts, PostedPrices
from asmsim.model.context import base_price, shock_multipliers
from asmsim.model.enums import Channel, Legal, Lender, Tech
from asmsim.model.finance import CREDIT_BAN_MONTHS, formal_instalment, grant_loans
from asmsim.model.ledger import Ledger
from asmsim.model.miners import Miner, MinerTable
from asmsim.model.recorder import OUTPUTS, OutputCollector, record
from asmsim.model.sites import Sites
from asmsim.model.streams import RandomStreams

COMPACT_AT_INACTIVE_SHARE = 0.25  # table compaction threshold (speed only, no behaviour)
HOLD_CASH_MONTHS = 3  # in a market closure, miners with this many months of cash hold gold


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
        self.sites = Sites(ctx, policy.legal.asm_zone_share, self.stream("sites"))
        self.sites.place_buying_points(policy.market.official_buyer.buying_points)
        self.miners = MinerTable(2 * self.config.miners)
        self._handles: list[Miner | None] = []  # per row; created when first asked for
        self._handles_upto = 0  # rows below this have their handle (or have exited)
        self.pool = ctx.labour_pool_per_miner * self.config.miners
        self.government = Government(self)
        self.licensed_buyers = [LicensedBuyer(self, int(t)) for t in self.sites.towns]
        self.traders = [InformalTrader(self, int(t)) for t in self.sites.towns]
        self.official_buyer = OfficialBuyer(self)
        self.lenders = {kind: LenderAgent(self, kind)
                        for kind in (Lender.BANK, Lender.MICROFINANCE, Lender.STATE_FUND)}
        self.policy_changes: list[tuple[int, str, Any]] = []
        self.entered_total = 0  # miners who entered after month 0
        self.exited_total = 0
        self.stock_carried_off_g = 0.0  # unsold gold of leavers whose rows were compacted
        self.price_base = base_price(ctx, 0, 0.0, self.stream("price"))
        self._new_month()
        self._add_miners(self.config.miners, initial=True)
        self._post_prices()
        self._update_miner_views()
        self._estimate_initial_income()
        self.datacollector = OutputCollector()
        self.last_row: dict[str, float] = {}
        self._record()

    # ------------------------------------------------------------------ month
    def step(self) -> None:
        """Advance one month."""
        self.month += 1
        self._new_month()
        self._context()
        self._post_prices()
        self.government.step()
        self._miner_pass()
        self._entry()
        self._health_and_environment()
        self._record()
        self._compact_if_sparse()

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
            self.sites.place_buying_points(value)
        return value

    # -------------------------------------------------------------- helpers
    def _new_month(self) -> None:
        self.stream.new_month(self.month)
        self.recovery_by_tech = production.recovery(self.config.context)  # levers may change it
        self.ledger = Ledger(self.miners.n)
        self.month_stats: dict[str, float] = defaultdict(float)
        self.spending: dict[str, float] = defaultdict(float)

    def spend(self, category: str, usd: float) -> None:
        """Record state spending (USD) this month."""
        self.spending[category] += float(usd)

    def debit_rows(self, rows: np.ndarray, key: str, amounts) -> None:
        """Take ``amounts`` (USD) from the cash of miners ``rows`` (distinct) under ledger ``key``."""
        self.ledger.debit_rows(self.miners.cash, key, rows, amounts)

    def loan_offers(self, purpose: str) -> list:
        """Offers open this month for ``purpose`` (consumption | fee | equipment)."""
        return self._offers["equipment" if purpose == "equipment" else "cash"]

    def borrow(self, rows: np.ndarray, need: np.ndarray, purpose: str) -> np.ndarray:
        """Miners ``rows`` borrow up to ``need`` (USD); returns the amounts received."""
        m = self.miners
        amount, kind, rate = grant_loans(rows, need, self.loan_offers(purpose), m,
                                         self.stream("finance"))
        granted = amount > 0
        if granted.any():
            got, amount_got, kind_got = rows[granted], amount[granted], kind[granted]
            self.ledger.credit_rows(m.cash, "loans", got, amount_got)
            m.debt[got] += amount_got
            m.lender[got] = kind_got
            m.debt_rate[got] = rate[granted]
            to_trader = got[kind_got == Lender.TRADER]
            m.tied_trader[to_trader] = self.sites.town_of[m.site[to_trader]]
            self.month_stats["loans_usd"] += float(amount_got.sum())
        return amount

    def pay_with_credit(self, rows: np.ndarray, cost, purpose: str) -> np.ndarray:
        """Miners ``rows`` pay ``cost`` (USD) from cash, borrowing what they lack.

        Returns a boolean mask over ``rows`` of those who paid. Fees go to the state.
        """
        m = self.miners
        if len(rows) == 0:
            return np.zeros(0, dtype=bool)
        cost = np.full(len(rows), cost) if np.ndim(cost) == 0 else np.asarray(cost, dtype=float)
        short = cost - m.cash[rows]
        lacking = short > 0
        if lacking.any():
            self.borrow(rows[lacking], short[lacking], purpose)
        cash = m.cash[rows]
        paid = cash >= cost - 1e-9
        key = "fees" if purpose == "fee" else "equipment"
        self.debit_rows(rows[paid], key, np.minimum(cost[paid], cash[paid]))
        return paid

    def relocate(self, rows: np.ndarray) -> None:
        """Move miners to a random other site (displacement)."""
        cells = self.sites.width * self.sites.height
        offset = self.stream("moves").integers(1, cells, size=len(rows))
        self.miners.site[rows] = (self.miners.site[rows] + offset) % cells

    def expected_wait_months(self) -> float:
        """Months a new applicant expects to wait for a licence."""
        legal = self.config.policy.legal
        queue = int(np.count_nonzero(self.miners.active & (self.miners.legal == Legal.APPLICANT)))
        if legal.office_capacity_per_month == 0:
            return float("inf")
        return max(legal.licence_processing_months, queue / legal.office_capacity_per_month)

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
        self._handles = [self._handles[row] for row in keep]
        self._handles_upto = int(np.searchsorted(keep, self._handles_upto))
        for row, handle in enumerate(self._handles[: self._handles_upto]):
            handle.row = row

    def _add_miners(self, count: int, initial: bool = False) -> np.ndarray:
        """Create ``count`` miners (table rows; Mesa handles follow lazily); return the rows."""
        ctx, policy = self.config.context, self.config.policy
        rng = self.stream("population" if initial else "entry")
        rows = self.miners.add(count)
        idx = np.arange(rows.start, rows.stop)
        m = self.miners
        m.active[idx] = True
        m.woman[idx] = rng.random(count) < ctx.women_share
        m.role[idx] = population.draw_roles(ctx, m.woman[idx],
                                            0.0 if initial else policy.social.women_role_access,
                                            rng)
        m.skill[idx] = rng.lognormal(0.0, ctx.skill_sigma, count)
        m.reservation[idx] = ctx.outside_wage_usd_month * rng.lognormal(0.0, ctx.reservation_sigma,
                                                                         count)
        cells = self.sites.width * self.sites.height
        m.site[idx] = rng.integers(0, cells, size=count)
        m.cash[idx] = ctx.initial_cash_usd * rng.exponential(1.0, count)
        m.legal[idx] = Legal.INFORMAL
        m.tech[idx] = np.where(rng.random(count) < (ctx.concentrate_share_initial if initial
                                                    else 0.0), Tech.CONCENTRATE, Tech.WHOLE_ORE)
        m.trust[idx] = np.clip(rng.beta(4.0, 4.0, count) + ctx.initial_trust - 0.5, 0.0, 1.0)
        m.entered_month[idx] = self.month
        m.channel[idx] = Channel.HELD
        if initial:
            self._initial_formal_status(idx)
        self._handles.extend([None] * count)
        return idx

    def _initial_formal_status(self, idx: np.ndarray) -> None:
        ctx, legal = self.config.context, self.config.policy.legal
        m, rng = self.miners, self.stream("population")
        licensed = idx[rng.random(len(idx)) < ctx.initial_licensed_share]
        zones = self.sites.zone_cells
        if len(zones):
            m.legal[licensed] = Legal.LICENSED
            m.site[licensed] = rng.choice(zones, size=len(licensed))
            m.licence_expiry[licensed] = rng.integers(1, legal.licence_duration_months + 1,
                                                      size=len(licensed))
        m.coop[idx[rng.random(len(idx)) < ctx.initial_coop_share]] = True

    def _estimate_initial_income(self) -> None:
        """Month-0 expected income: the value of a normal working month (USD).

        The initial miners are those for whom mining pays: their reservation
        wages are drawn below it, so the region starts near its steady state.
        """
        m, ctx = self.miners, self.config.context
        value = self.expected_grams * self.prices.trader - self.potential_t \
            * ctx.operating_cost_usd_per_t
        m.exp_income[:] = value
        m.income[:] = value
        m.reservation[:] = population.initial_reservation(ctx, value, self.stream("population"))

    def _entry(self) -> None:
        m = self.miners
        active = m.active
        mean_income = float(m.exp_income[active].mean()) if active.any() else 0.0
        count = population.entrants(self.config.context, self.pool, mean_income,
                                     self.stream("entry"))
        self.month_stats["entries"] = count
        self.entered_total += count
        if count:
            idx = self._add_miners(count)
            # Newcomers expect what miners like them earn now.
            m = self.miners
            m.exp_income[idx] = mean_income
            m.income[idx] = 0.0

    def _exit(self) -> None:
        m = self.miners
        leaving = np.flatnonzero(population.exits(self.config.context, m.exp_income,
                                                  m.reservation, m.low_months, m.active,
                                                  self.stream("exit")))
        m.active[leaving] = False
        for row in leaving[leaving < self._handles_upto]:  # leavers who have a Mesa handle
            handle = self._handles[row]
            if handle is not None:
                handle.remove()
                self._handles[row] = None
        self.month_stats["exits"] = len(leaving)
        self.exited_total += len(leaving)

    # -------------------------------------------------------------- context
    def _context(self) -> None:
        for change in self.config.policy_schedule:
            if change.month == self.month:
                self.set_policy(change.key, change.value)
        self.price_base = base_price(self.config.context, self.month, self.price_base,
                                     self.stream("price"))

    def _post_prices(self) -> None:
        """Buyers post prices and lenders post terms for this month."""
        ctx, market = self.config.context, self.config.policy.market
        spike, closure, output = shock_multipliers(ctx.shocks, self.month)
        self.output_factor = output
        self.closed = closure < 1.0
        world = self.price_base * spike
        for buyer in self.licensed_buyers:
            buyer.post_price(world, self.closed)
        for trader in self.traders:
            trader.post_price(world, closure)
        self.official_buyer.post_price(world, self.closed)
        self.prices = PostedPrices(
            world=world, licensed=self.licensed_buyers[0].price_per_g,
            official=self.official_buyer.price_per_g, trader=self.traders[0].price_per_g,
            licensed_open=self.licensed_buyers[0].open, official_open=self.official_buyer.open,
            official_accepts=self.official_buyer.accepts(), royalty_rate=market.royalty_rate)
        outstanding = np.bincount(self.miners.lender, weights=self.miners.debt,
                                  minlength=len(Lender))
        offers = [lender.post_terms(float(outstanding[kind]))
                  for kind, lender in self.lenders.items()]
        formal = [o for o in offers if o is not None]
        self.licensed_credit_value = self.government.licensed_credit_value(formal)
        # Traders pre-finance needs for cash (consumption, fees), not equipment.
        self._offers = {"equipment": formal, "cash": [*formal, trader_terms(self)]}

    def _update_miner_views(self) -> None:
        """Per-miner quantities every decision reads: utilities, expected output, neighbours."""
        m, ctx, sites = self.miners, self.config.context, self.sites
        costs = ChannelCosts(ctx.access_cost_usd_per_g_cell,
                             self.config.policy.market.trader_inspection_prob,
                             ctx.prefinance_tie_discount, ctx.tie_switch_penalty,
                             ctx.licensee_trader_penalty_usd_per_g)
        self.town_distance = sites.dist_town[m.site]  # cells
        self.point_distance = np.minimum(sites.dist_buying_point, 1e6)[m.site]  # 1e6: no point
        self.per_gram_utility = channels.per_gram_utilities(
            self.prices, costs, self.town_distance, self.point_distance,
            m.tied_trader >= 0, m.legal == Legal.LICENSED)
        self.potential_t = production.tonnes_potential(ctx, m.role, m.skill, m.silicosis)
        self.grade_at_site = sites.grade()[m.site]
        self.expected_grams = self.grade_at_site * self.potential_t * self.recovery_by_tech[m.tech]
        cells = sites.width * sites.height
        active = m.active
        total = np.bincount(m.site, weights=active, minlength=cells)  # miners per cell
        licensed = np.bincount(m.site, weights=active & (m.legal == Legal.LICENSED),
                               minlength=cells)
        clean = np.bincount(m.site, weights=active & (m.tech == Tech.MERCURY_FREE),
                            minlength=cells)
        self.neighbour_licensed, self.neighbour_mercury_free = sites.neighbourhood_shares(
            total, licensed, clean)

    # ----------------------------------------------------------- miner pass
    def _miner_pass(self) -> None:
        """Every active miner at once: produce, sell, pay, expect, decide (spec §3.4)."""
        m = self.miners
        self._update_miner_views()
        working = production.working_mask(m.active, m.suspended, m.injured)
        tonnes = self.potential_t * working
        grams = production.grams_produced(tonnes, self.grade_at_site, self.recovery_by_tech[m.tech],
                                          self.output_factor)
        production.deplete(self.sites.ore_t, m.site, tonnes)
        m.grams[:] = grams
        self.tonnes = tonnes
        self._sell(grams)
        self._pay_costs(tonnes)
        self._service_debt()
        self._earn_and_consume()
        self._decide()
        np.subtract(m.suspended, 1, out=m.suspended, where=m.suspended > 0)
        np.subtract(m.injured, 1, out=m.injured, where=m.injured > 0)

    def _sell(self, grams: np.ndarray) -> None:
        m, ctx = self.miners, self.config.context
        sell_g = grams + m.stock_g
        hold = (sell_g <= 0) | ~m.active
        if self.closed:
            hold |= m.cash >= HOLD_CASH_MONTHS * ctx.subsistence_usd_month
        ok = channels.available(self.prices, m.legal)
        channel = channels.logit_choice(self.per_gram_utility, sell_g, ok,
                                        ctx.logit_scale_per_usd, self.stream("sales"))
        channel[hold] = Channel.HELD
        selling = ~hold
        m.channel[:] = channel
        # Masks times non-negative amounts: 0 where the mask is False (cheaper than where).
        m.stock_g[:] = (m.stock_g + grams) * hold
        sold_g = sell_g * selling
        to_licensed = channel == Channel.LICENSED_BUYER
        to_official = channel == Channel.OFFICIAL_BUYER
        to_trader = channel == Channel.TRADER
        gross = channels.gross_price(self.prices, channel, m.tied_trader >= 0,
                                     ctx.prefinance_tie_discount) * sold_g
        self.ledger.credit(m.cash, "revenue", gross)
        self.ledger.debit(m.cash, "royalties",
                          self.prices.royalty_rate * gross * (to_licensed | to_official))
        distance = self.town_distance * to_licensed + self.point_distance * to_official
        self.access_cost = ctx.access_cost_usd_per_g_cell * distance * sold_g
        self.sold_g = sold_g
        self.trader_revenue = gross * to_trader
        # The licensed buyers' export tax, already taken off their price, goes to the state.
        to_buyers_g = float((sold_g * to_licensed).sum())
        self.month_stats["export_tax_usd"] = self.config.policy.market.export_tax_rate \
            * self.prices.world * to_buyers_g

    def _pay_costs(self, tonnes: np.ndarray) -> None:
        """Inputs and transport, bought with what the miner has (USD)."""
        m, ctx = self.miners, self.config.context
        operating = np.minimum(tonnes * ctx.operating_cost_usd_per_t, m.cash)
        self.ledger.debit(m.cash, "operating", operating)
        self.ledger.debit(m.cash, "access", np.minimum(self.access_cost, m.cash))

    def _service_debt(self) -> None:
        """Borrowers repay: traders out of sales to them, formal lenders by instalment."""
        m, ctx = self.miners, self.config.context
        self.interest_paid = np.zeros(m.n)
        np.subtract(m.credit_ban, 1, out=m.credit_ban, where=m.credit_ban > 0)
        rows = np.flatnonzero(m.lender != Lender.NONE)  # a miner without a lender owes nothing
        lender, debt, cash = m.lender[rows], m.debt[rows], m.cash[rows]
        # Traders keep a share of what a tied miner sells them.
        tied = lender == Lender.TRADER
        repay = np.where(tied, np.minimum(np.minimum(debt, cash), ctx.prefinance_repay_share
                                          * self.trader_revenue[rows]), 0.0)
        # Formal loans: interest plus principal over the term.
        formal = ~tied
        interest, due = formal_instalment(debt, m.debt_rate[rows], ctx.loan_term_months)
        pay_formal = np.where(formal, np.minimum(due, cash), 0.0)
        self.debit_rows(rows, "debt_service", repay + pay_formal)
        self.interest_paid[rows] = np.where(formal, np.minimum(interest, pay_formal), 0.0)
        debt = np.where(formal, debt + interest - pay_formal, debt - repay)
        behind = formal & (pay_formal < due - 1e-9)
        arrears = np.where(behind, m.arrears[rows] + 1, 0)
        defaulted = behind & (arrears >= ctx.default_after_months)
        for kind, lender_agent in self.lenders.items():
            loss = float(debt[defaulted & (lender == kind)].sum())
            lender_agent.defaults_usd += loss
            if kind == Lender.BANK:
                self.spend("guarantees", loss * self.config.policy.finance.bank_guarantee_share)
        debt[defaulted] = 0.0
        m.credit_ban[rows[defaulted]] = CREDIT_BAN_MONTHS
        self.month_stats["defaults"] = int(np.count_nonzero(defaulted))
        ended = (debt <= 0.01) | defaulted
        debt[ended] = 0.0
        lender[ended] = Lender.NONE
        arrears[ended] = 0
        m.debt[rows], m.lender[rows], m.arrears[rows] = debt, lender, arrears
        m.tied_trader[rows[ended]] = -1

    def _earn_and_consume(self) -> None:
        m, ctx = self.miners, self.config.context
        flows = self.ledger.flows
        income = flows["revenue"] - flows["royalties"] - flows["operating"] - flows["access"] \
            - flows["fines"] - flows["bribes"] - self.interest_paid
        m.income[:] = np.where(m.active, income, 0.0)
        w = ctx.expectation_weight
        m.exp_income[:] = np.where(m.active, (1 - w) * m.exp_income + w * income, m.exp_income)
        desired = ctx.subsistence_usd_month + ctx.consumption_share_of_surplus \
            * np.maximum(income - ctx.subsistence_usd_month, 0.0)
        desired = np.where(m.active, desired + ctx.savings_drawdown * np.maximum(m.cash - desired,
                                                                                  0.0), 0.0)
        short = np.flatnonzero(desired > m.cash)
        if len(short):
            self.borrow(short, desired[short] - m.cash[short], "consumption")
        self.ledger.debit(m.cash, "consumption", np.minimum(desired, m.cash))

    def _decide(self) -> None:
        formalization.renew_or_lapse(self)
        formalization.apply_for_licences(self)
        formalization.update_cooperatives(self)
        technology.adopt(self)
        self._move_and_resort()
        self._exit()

    def _move_and_resort(self) -> None:
        """Miners on worked-out sites move; a few change roles."""
        m, ctx, sites = self.miners, self.config.context, self.sites
        stranded = np.flatnonzero(m.active & sites.exhausted()[m.site])
        licensed = stranded[m.legal[stranded] == Legal.LICENSED]
        others = stranded[m.legal[stranded] != Legal.LICENSED]
        if len(licensed) and len(sites.zone_cells):
            m.site[licensed] = self.stream("moves").choice(sites.zone_cells, size=len(licensed))
        self.relocate(others)
        resort = np.flatnonzero(m.active & (self.stream("moves").random(m.n) < ctx.role_change_prob))
        m.role[resort] = population.draw_roles(ctx, m.woman[resort],
                                               self.config.policy.social.women_role_access,
                                               self.stream("moves"))

    # --------------------------------------------------- health, environment
    def _health_and_environment(self) -> None:
        m, ctx, sites = self.miners, self.config.context, self.sites
        n = len(self.tonnes)  # miners that existed during the pass
        working = production.working_mask(m.active, m.suspended, m.injured)[:n] & (self.tonnes > 0)
        health.update_exposure(ctx, m.exposure_years[:n], m.role[:n], m.dust_control[:n], working)
        sick = health.new_silicosis(ctx, m.exposure_years, m.silicosis, m.active,
                                   self.stream("health"))
        m.silicosis[sick] = True
        hurt = health.accidents(ctx, m.legal[:n], m.trained[:n], m.woman[:n], working,
                                self.stream("health"))
        m.injured[:n][hurt] = ctx.injury_months
        mercury = health.mercury_released_kg(ctx, m.grams[:n], m.tech[:n], m.retort[:n])
        sites.mercury_kg += np.bincount(m.site[:n], weights=mercury, minlength=len(sites.ore_t))
        land = health.land_disturbed_ha(ctx, self.tonnes, m.legal[:n])
        sites.land_disturbed_ha += np.bincount(m.site[:n], weights=land,
                                               minlength=len(sites.ore_t))
        stats = self.month_stats
        stats["silicosis_new"] = int(sick.sum())
        stats["accidents"] = int(hurt.sum())
        stats["mercury_kg"] = float(mercury.sum())
        stats["land_ha"] = float(land.sum())

    # ---------------------------------------------------------------- record
    def _record(self) -> None:
        self.last_row = record(self)
        self.datacollector.collect(self)


