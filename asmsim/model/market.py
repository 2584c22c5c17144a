"""Submodel: the gold market — buyers post prices, miners choose a sale channel (ODD 7.2).

Buyers are Mesa agents: licensed buyers in towns (buy from licensees and
withhold the royalty), informal traders (buy from anyone at the pit) and the
official buyer (a state buying programme, when enabled). Each month they post
a price per gram; each miner with gold then sells it through one open channel
of :data:`~asmsim.model.channels.CHANNELS`, by multinomial logit on the value
of the month's gold (see :mod:`asmsim.model.channels`).
"""

from __future__ import annotations

import mesa
import numpy as np

from asmsim.model import channels
from asmsim.model.channels import PostedPrices
from asmsim.model.choice import logit_choice
from asmsim.model.enforcement import trader_inspection_prob
from asmsim.model.enums import STATUS_NAMES, Channel
from asmsim.model.scale import per_population

HOLD_CASH_MONTHS = 3  # in a market closure, miners with this many months of cash hold gold


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
    """An informal trader: buys from anyone at the site, pre-finances, smuggles a share.

    Its pre-finance comes from a credit budget (USD): the traders of the region together
    lend at most ``context.trader_credit_usd_per_1000_miners`` per 1,000 initial miners.
    """

    def __init__(self, model, town: int):
        super().__init__(model)
        self.town = town
        self.price_per_g = 0.0
        ctx = model.config.context
        self.credit_budget_usd = per_population(model, ctx.trader_credit_usd_per_1000_miners) \
            / len(model.sites.towns)
        self.defaults_usd = 0.0  # pre-finance lost to defaults and leavers (USD, cumulative)

    def post_price(self, world: float, closure_factor: float) -> None:
        """World price less the margin, times a closure's factor, less the share of its
        expected confiscation losses it passes to miners (USD/g)."""
        ctx = self.model.config.context
        risk = ctx.trader_risk_passthrough * trader_inspection_prob(self.model) \
            * ctx.trader_seizure_share * world
        self.price_per_g = world * (1 - ctx.trader_margin) * closure_factor - risk


class OfficialBuyer(mesa.Agent):
    """The state / central-bank buying programme (when enabled)."""

    def __init__(self, model):
        super().__init__(model)
        self.price_per_g = 0.0
        self.open = False

    def post_price(self, world: float, closed: bool) -> None:
        programme = self.model.config.policy.market.official_buyer
        self.price_per_g = world * programme.price_share
        self.open = programme.enabled and self.model.government.open_buying_points() > 0 \
            and not closed

    def accepts(self) -> tuple[int, ...]:
        return tuple(int(STATUS_NAMES[s]) for s in
                     self.model.config.policy.market.official_buyer.accepts)


def post_prices(model) -> None:
    """Every buyer posts this month's price (USD/g) from the world price and the shocks."""
    now, market = model.now, model.config.policy.market
    for buyer in model.licensed_buyers:
        buyer.post_price(now.world_price, now.closed)
    for trader in model.traders:
        trader.post_price(now.world_price, now.closure_factor)
    model.official_buyer.post_price(now.world_price, now.closed)
    now.prices = PostedPrices(
        world=now.world_price, licensed=model.licensed_buyers[0].price_per_g,
        official=model.official_buyer.price_per_g, trader=model.traders[0].price_per_g,
        licensed_open=model.licensed_buyers[0].open, official_open=model.official_buyer.open,
        official_accepts=model.official_buyer.accepts(), royalty_rate=market.royalty_rate)


def sell(model) -> None:
    """Miners sell this month's gold and their stock through one open channel each (USD, g)."""
    m, ctx, now = model.miners, model.config.context, model.now
    grams = m.grams
    sell_g = grams + m.stock_g
    hold = (sell_g <= 0) | ~m.active
    if now.closed:
        hold |= m.cash >= HOLD_CASH_MONTHS * ctx.subsistence_usd_month
    ok = channels.available(now.prices, m.legal)
    channel = logit_choice(now.per_gram_utility, sell_g, ok, ctx.logit_scale_per_usd,
                           model.uniforms("sales/miners"))
    channel[hold] = Channel.HELD
    selling = ~hold
    m.channel[:] = channel
    # Masks times non-negative amounts: 0 where the mask is False (cheaper than where).
    m.stock_g[:] = (m.stock_g + grams) * hold
    sold_g = sell_g * selling
    to_licensed = channel == Channel.LICENSED_BUYER
    to_official = channel == Channel.OFFICIAL_BUYER
    to_trader = channel == Channel.TRADER
    gross = channels.gross_price(now.prices, channel, m.tied_trader >= 0,
                                 ctx.prefinance_tie_discount) * sold_g
    now.ledger.credit(m.cash, "revenue", gross)
    now.ledger.debit(m.cash, "royalties",
                     now.prices.royalty_rate * gross * (to_licensed | to_official))
    distance = now.town_distance * to_licensed + now.point_distance * to_official
    now.access_cost = ctx.access_cost_usd_per_g_cell * distance * sold_g
    now.sold_g = sold_g
    now.trader_revenue = gross * to_trader
    # Gold the official buyer gets from sellers it pays less (net, USD/g) than a trader would.
    sellers = np.flatnonzero(to_official)
    if len(sellers):
        official_net = now.prices.official * (1 - now.prices.royalty_rate) \
            - ctx.access_cost_usd_per_g_cell * now.point_distance[sellers]
        trader_net = channels.gross_price(now.prices, np.full(len(sellers), Channel.TRADER),
                                          m.tied_trader[sellers] >= 0,
                                          ctx.prefinance_tie_discount)
        now.stats["official_underpaid_g"] = float(sold_g[sellers][official_net < trader_net]
                                                  .sum())
    # Inspected traders lose a share of the gold they buy this month to the state.
    seized_g = 0.0
    if now.traders_inspected.any():  # rare: skip the per-miner lookup in other months
        trader_town = model.sites.town_of[m.site]
        seized_g = ctx.trader_seizure_share \
            * float((sold_g * to_trader * now.traders_inspected[trader_town]).sum())
    now.stats["seized_gold_g"] = seized_g
    now.stats["seized_gold_usd"] = seized_g * now.prices.licensed
    # The licensed buyers' export tax, already taken off their price, goes to the state.
    to_buyers_g = float((sold_g * to_licensed).sum())
    now.stats["export_tax_usd"] = model.config.policy.market.export_tax_rate \
        * now.prices.world * to_buyers_g
