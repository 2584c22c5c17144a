"""Submodel: the gold market — buyers post prices, sellers choose where to sell (ODD 7.2).

Buyers are Mesa agents: licensed buyers in towns (buy from licensees and
withhold the royalty), informal traders (``context.traders_per_town`` per town;
they buy from anyone at the pit, post prices from arbitrage and competition and
decide what to smuggle: :mod:`asmsim.model.traders`) and the official buyer (a
state buying programme, when enabled, with a purchase fund and a capacity per
buying point). Each month every miner with gold chooses by multinomial logit
among the licensed buyer, the official buyer and each trader of its town, on the
monthly value of its lot (per-gram value × grams − trip; see
:mod:`asmsim.model.channels`). The official buyer serves what its capacity and
fund allow, in random order; sellers it turns away sell to their best trader,
and sellers expect last month's service rate.
"""

from __future__ import annotations

import mesa
import numpy as np

from asmsim.model import channels, finance, traders
from asmsim.model.channels import PostedPrices
from asmsim.model.choice import cumulate_options, inverse_cdf
from asmsim.model.enforcement import (
    audit_licensees,
    border_interdiction_prob,
    expected_audit_cost,
    trader_inspection_prob,
)
from asmsim.model.enums import STATUS_NAMES, Channel, Legal, SaleDraw
from asmsim.model.scale import per_population

HOLD_CASH_MONTHS = 3  # in a market closure, miners with this many months of cash hold gold
FIRST_TRADER_OPTION = 2  # sale options: licensed buyer, official buyer, then the town's traders


class LicensedBuyer(mesa.Agent):
    """A licensed gold buyer in a town: buys from licensed miners, withholds the royalty."""

    def __init__(self, model, town: int):
        super().__init__(model)
        self.town = town
        self.price_per_g = 0.0
        self.open = True

    def post_price(self, world: float, closed: bool) -> None:
        market = self.model.config.policy.market
        self.price_per_g = world * (1 - market.licensed_buyer_margin - market.export_tax_rate)
        self.open = not closed


class InformalTrader(mesa.Agent):
    """An informal trader: buys from anyone at the pit, pre-finances, declares or smuggles.

    Its price, value of gold and smuggled share live in the region's
    :class:`~asmsim.model.traders.TraderBook` (entry ``index``). Its pre-finance comes from
    a credit budget (USD): the traders of the region together lend at most
    ``context.trader_credit_usd_per_1000_miners`` per 1,000 initial miners, each in
    proportion to its capital.
    """

    def __init__(self, model, index: int, town: int):
        super().__init__(model)
        self.index = index
        self.town = town
        capital = model.trader_book.capital_usd
        self.credit_budget_usd = per_population(
            model, model.config.context.trader_credit_usd_per_1000_miners) \
            * capital[index] / capital.sum()
        self.defaults_usd = 0.0  # pre-finance lost to defaults and leavers (USD, cumulative)

    @property
    def price_per_g(self) -> float:
        """This month's posted price (USD/g)."""
        return float(self.model.trader_book.price[self.index])


class OfficialBuyer(mesa.Agent):
    """The state / central-bank buying programme (when enabled).

    It buys at ``price_share`` of the world price, up to ``kg_per_point_month`` per open
    buying point and what its fund can pay; gold settles the next month at the world
    price less ``context.export_cost_share`` (the trading result stays in the fund).
    """

    def __init__(self, model):
        super().__init__(model)
        self.price_per_g = 0.0
        self.open = False
        self.fund_usd: float | None = None  # set from the policy the first month it opens
        self.pending_g = 0.0       # bought last month, settling this month (g)
        self.service_rate = 1.0    # share of last month's demand it served (sellers expect it)
        self.capacity_g = 0.0      # what it can buy this month (g)
        self.trading_result_usd = 0.0  # this month's settlement less its cost
        self.pending_cost_usd = 0.0    # what the pending gold cost (USD)

    def post_price(self, world: float, closed: bool) -> None:
        programme = self.model.config.policy.market.official_buyer
        self.price_per_g = world * programme.price_share
        self.open = programme.enabled and self.model.government.open_buying_points() > 0 \
            and not closed
        if self.open and self.fund_usd is None:
            self.fund_usd = per_population(self.model, programme.fund_usd_per_1000_miners)
        self.settle(world)
        if self.open and programme.recapitalise:
            self.recapitalise(per_population(self.model, programme.fund_usd_per_1000_miners))
        fund = self.fund_usd or 0.0
        points = self.model.government.open_buying_points() if self.open else 0
        self.capacity_g = min(programme.kg_per_point_month * 1000.0 * points,
                              fund / self.price_per_g if self.price_per_g > 0 else 0.0)

    def settle(self, world: float) -> None:
        """Last month's gold is sold at the world price less the export cost (USD)."""
        if self.pending_g <= 0:
            self.trading_result_usd = 0.0
            return
        proceeds = self.pending_g * world * (1 - self.model.config.context.export_cost_share)
        self.trading_result_usd = proceeds - self.pending_cost_usd
        self.fund_usd = (self.fund_usd or 0.0) + proceeds
        self.pending_g = 0.0

    def recapitalise(self, target_usd: float) -> None:
        """The state tops the fund up to ``target_usd`` less the gold still settling (USD),
        as official-buying spending, as far as the budget allows: the programme's trading
        losses fall on the budget."""
        top_up = max(target_usd - (self.fund_usd or 0.0) - self.pending_cost_usd, 0.0)
        top_up = float(self.model.government.grant("official_buying", 1.0, int(top_up)))
        if top_up > 0:
            self.fund_usd = (self.fund_usd or 0.0) + top_up
            self.model.now.spend("official_buying", top_up)

    def buy(self, grams: float, demanded_g: float) -> None:
        """Pay for ``grams`` bought this month (of ``demanded_g`` asked for)."""
        self.pending_cost_usd = grams * self.price_per_g
        self.pending_g = grams
        if grams > 0:
            self.fund_usd -= self.pending_cost_usd
        if demanded_g > 0:
            self.service_rate = grams / demanded_g

    def accepts(self) -> tuple[int, ...]:
        return tuple(int(STATUS_NAMES[s]) for s in
                     self.model.config.policy.market.official_buyer.accepts)


def post_prices(model) -> None:
    """Every buyer posts this month's price (USD/g) from the world price and the shocks;
    traders from their value of gold, their competitors and their cash."""
    now, market = model.now, model.config.policy.market
    for buyer in model.licensed_buyers:
        buyer.post_price(now.world_price, now.closed)
    traders.post_prices(model, now.world_price, trader_inspection_prob(model),
                        border_interdiction_prob(model))
    model.official_buyer.post_price(now.world_price, now.closed)
    book = model.trader_book
    now.prices = PostedPrices(
        world=now.world_price, licensed=model.licensed_buyers[0].price_per_g,
        official=model.official_buyer.price_per_g, trader=float(book.price.mean()),
        licensed_open=model.licensed_buyers[0].open, official_open=model.official_buyer.open,
        official_accepts=model.official_buyer.accepts(), royalty_rate=market.royalty_rate,
        traders=book.price.copy())


def demand(model, lot_g: np.ndarray) -> traders.Demand:
    """What each option is worth to every miner row selling ``lot_g`` grams (USD/month): the
    formal buyers open to someone this month, and each trader of its town as a function
    of the trader's price. A tied miner weighs the expected cost of selling to anyone but
    the trader it owes (:func:`asmsim.model.finance.side_sale_cost`), a licensee that of
    an audit when it sells to a trader
    (:func:`asmsim.model.enforcement.expected_audit_cost`)."""
    m, now = model.miners, model.now
    ok = channels.available(now.prices, m.legal)
    codes = [c for c in channels.FORMAL_CHANNELS if ok[c].any()]
    now.side_sale_cost = finance.side_sale_cost(model)
    formal = now.per_gram_utility[codes] * lot_g - now.trip_cost[codes] - now.side_sale_cost
    audit = expected_audit_cost(model, m.legal == Legal.LICENSED.value)
    return traders.Demand(trader=now.own_traders, lot_g=lot_g,
                          adjust=now.trader_per_gram - now.prices.traders[now.own_traders],
                          fixed=channels.tie_costs(now.side_sale_cost, now.own_traders,
                                                   m.tied_trader) + audit,
                          other_codes=codes, other_values=formal, other_ok=ok[codes],
                          official_row=codes.index(Channel.OFFICIAL_BUYER)
                          if Channel.OFFICIAL_BUYER in codes else -1,
                          official_served=model.official_buyer.service_rate)


def sell(model) -> None:
    """Miners sell this month's gold and their stock through one open option each at the
    posted prices (USD, g); traders note the demand they faced and ship what they bought
    (declared or smuggled); auditors check licensees' sales."""
    m, ctx, now = model.miners, model.config.context, model.now
    grams = m.grams
    sell_g = grams + m.stock_g
    hold = (sell_g <= 0) | ~m.active
    if now.closed:
        hold |= m.cash >= HOLD_CASH_MONTHS * ctx.subsistence_usd_month
    selling = ~hold
    # Masks times non-negative amounts: 0 where the mask is False (cheaper than where).
    sold_g = sell_g * selling
    wanted = demand(model, sold_g)
    prob, values = traders.compete(model, wanted)
    option = draw_options(prob, model.uniforms("sales/miners"))
    option = ration_official_buyer(model, wanted, sold_g, option, prob, selling)
    first = wanted.first_trader
    codes = np.array([*wanted.other_codes, *[Channel.TRADER] * len(wanted.trader)],
                     dtype=np.int8)
    channel = np.where(selling, codes[option], Channel.HELD).astype(np.int8)
    to_trader = channel == Channel.TRADER.value
    rows = np.flatnonzero(to_trader)
    trader_of = np.full(m.n, -1, dtype=np.int64)
    trader_of[rows] = wanted.trader[option[rows] - first, rows]
    m.channel[:] = channel
    now.sold_to_trader = trader_of
    m.last_trader[rows] = trader_of[rows]
    m.stock_g[:] = (m.stock_g + grams) * hold
    to_licensed = channel == Channel.LICENSED_BUYER.value
    to_official = channel == Channel.OFFICIAL_BUYER.value
    gross = paid_per_gram(model, channel, trader_of) * sold_g
    now.ledger.credit(m.cash, "revenue", gross)
    now.ledger.debit(m.cash, "royalties",
                     now.prices.royalty_rate * gross * (to_licensed | to_official))
    now.access_cost = np.zeros(m.n)
    formal_sellers = np.flatnonzero(to_licensed | to_official)
    now.access_cost[formal_sellers] = now.trip_cost[channel[formal_sellers], formal_sellers]
    now.sold_g = sold_g
    now.trader_revenue = gross * to_trader
    now.tied_trader_revenue = now.trader_revenue * (trader_of == m.tied_trader)
    bought_g = np.bincount(trader_of[rows], weights=sold_g[rows], minlength=len(model.traders))
    record_official_underpaid(model, wanted, sold_g, option, values)
    ship_traders_gold(model, bought_g, to_licensed, sold_g)
    audit_licensees(model)  # licensees' sales checked (7.5)


def draw_options(prob: np.ndarray, uniform: np.ndarray) -> np.ndarray:
    """Each seller's option from its choice probabilities (options, sellers) by inverse CDF
    with one uniform per seller, so a seller's draw does not depend on anyone else's
    options (common random numbers)."""
    cumulative = cumulate_options(prob.copy())
    return inverse_cdf(cumulative, uniform * cumulative[-1])


def ration_official_buyer(model, wanted: traders.Demand, lot_g: np.ndarray, option: np.ndarray,
                          prob: np.ndarray, selling: np.ndarray) -> np.ndarray:
    """The official buyer serves sellers in random order up to its capacity (g); those it
    turns away sell to one of their traders, by logit among them (probabilities ``prob``,
    options × sellers). Returns the options after rationing."""
    buyer = model.official_buyer
    if wanted.official_row < 0:
        buyer.buy(0.0, 0.0)
        return option
    chose = np.flatnonzero((option == wanted.official_row) & selling)
    demanded = float(lot_g[chose].sum())
    queue = model.uniforms("sales/miners", chose, SaleDraw.OFFICIAL_QUEUE)  # keyed by miner id
    order = chose[np.argsort(queue, kind="stable")]
    served = np.cumsum(lot_g[order]) <= buyer.capacity_g + 1e-9
    turned_away = order[~served]
    if len(turned_away):  # they choose among their traders (conditional logit)
        to_traders = prob[wanted.first_trader:, turned_away]
        cumulative = np.cumsum(to_traders, axis=0)
        draw = model.uniforms("sales/miners", turned_away, SaleDraw.TURNED_AWAY) \
            * cumulative[-1]
        option = option.copy()
        option[turned_away] = wanted.first_trader + (cumulative[:-1] < draw).sum(axis=0)
    buyer.buy(float(lot_g[order[served]].sum()), demanded)
    model.now.stats["official_rationed_g"] = float(lot_g[turned_away].sum())
    return option


def paid_per_gram(model, channel: np.ndarray, trader_of: np.ndarray) -> np.ndarray:
    """Price actually paid per gram (USD/g, before royalty) for each miner's sale: the buyer's
    price, a trader's less the tie discount where the miner is tied to that trader (never
    below 0, as when a closure has driven a trader's price under the discount)."""
    now, m = model.now, model.miners
    prices = now.prices
    paid = np.array([prices.licensed, prices.official, 0.0, 0.0])[channel]
    to_trader = np.flatnonzero(channel == Channel.TRADER)
    buyer = trader_of[to_trader]
    tied_here = m.tied_trader[to_trader] == buyer
    paid[to_trader] = np.maximum(prices.traders[buyer] - model.config.context
                                 .prefinance_tie_discount * prices.world * tied_here, 0.0)
    return paid


def record_official_underpaid(model, wanted: traders.Demand, sold_g: np.ndarray,
                              option: np.ndarray, values: np.ndarray) -> None:
    """Gold the official buyer gets from sellers it pays less (net of royalty and trip, USD)
    than their best trader would."""
    if wanted.official_row < 0:
        return
    rows = np.flatnonzero((option == wanted.official_row) & (sold_g > 0))
    if len(rows) == 0:
        return
    now = model.now
    official_net = now.per_gram_utility[Channel.OFFICIAL_BUYER, rows] * sold_g[rows] \
        - now.trip_cost[Channel.OFFICIAL_BUYER, rows] - now.side_sale_cost[rows]
    best_trader = values[wanted.first_trader:, rows].max(axis=0)
    now.stats["official_underpaid_g"] = float(sold_g[rows][official_net < best_trader].sum())


def ship_traders_gold(model, bought_g: np.ndarray, to_licensed: np.ndarray,
                      sold_g: np.ndarray) -> None:
    """An inspection finds a share of the gold an inspected trader was to smuggle this month
    and confiscates it, with a fine (a licensed trader also loses its licence,
    :func:`asmsim.model.traders.penalise`); the rest is declared (royalty and export tax
    paid) or smuggled, and the border catches some smuggled batches. The licensed buyers
    pay the export tax, already taken off their price."""
    now, ctx, market = model.now, model.config.context, model.config.policy.market
    stats, world = now.stats, now.prices.world
    book = model.trader_book
    inspected_g = ctx.trader_seizure_share * bought_g * book.smuggle_share \
        * now.traders_inspected
    fines_usd, revoked = traders.penalise(model, inspected_g > 0)
    stats["trader_fines_usd"] = fines_usd
    stats["trader_licences_revoked"] = revoked
    stats["licensed_traders"] = int(np.count_nonzero(book.licensed))
    shipped = traders.ship(model, bought_g, inspected_g, world, now.border_interdiction,
                           blocked=1.0 - now.closure_factor)
    seized_g = float(inspected_g.sum()) + shipped.border_seized_g
    stats["trader_inspection_seized_g"] = float(inspected_g.sum())
    stats["seized_gold_g"] = seized_g
    stats["seized_gold_usd"] = seized_g * now.prices.licensed + shipped.penalties_usd
    stats["trader_declared_g"] = shipped.declared_g
    stats["smuggled_g"] = shipped.smuggled_g
    stats["border_seized_g"] = shipped.border_seized_g
    stats["trader_bought_g"] = float(bought_g.sum())
    stats["trader_stock_g"] = float(model.trader_book.stock_g.sum())
    stats["trader_royalty_usd"] = shipped.royalty_usd
    to_buyers_g = float((sold_g * to_licensed).sum()) + shipped.declared_g
    stats["export_tax_usd"] = market.export_tax_rate * world * to_buyers_g
