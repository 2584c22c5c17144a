"""The sale channels as a table, and what each is worth to a seller (ODD 7.2).

Per-gram prices net of royalty (USD/g) and a monthly trip (USD/month):

- licensed buyer: ``P(1 − m_L − x)(1 − r)``, trip ``c_0 + c_1·d_town``
- official buyer: ``P·s(1 − r)``, trip ``c_0 + c_1·d_point``
- informal trader ``j`` of the seller's town: ``p_j`` (posted by the trader,
  :mod:`asmsim.model.traders`) less the pre-finance discount ``tie·P`` of a miner
  tied to ``j``; traders come to the pit (no trip).

A seller's value of a channel is its per-gram value × the lot (g) less the trip,
so small lots favour the trader who comes to the pit, less the expected cost of
a sale the seller's contracts forbid (:func:`tie_costs`): a tied miner selling to
anyone but its trader risks the loan being called and a ban from pre-finance
(:func:`asmsim.model.finance.side_sale_cost`), and a licensee selling to a trader
the expected cost of an audit (:func:`asmsim.model.enforcement.expected_audit_cost`). Choice is multinomial logit on these monthly
values (:mod:`asmsim.model.choice`; the market, :mod:`asmsim.model.market`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from asmsim.model.enums import Channel, Legal


@dataclass
class PostedPrices:
    """What buyers pay this month, USD per gram before royalty."""

    world: float
    licensed: float
    official: float
    trader: float                       # mean posted trader price (USD/g)
    licensed_open: bool
    official_open: bool
    official_accepts: tuple[int, ...]   # Legal codes the official buyer buys from
    royalty_rate: float
    licensed_accepts: tuple[int, ...] = (Legal.LICENSED,)  # licensed buyers buy from licensees
    traders: np.ndarray | None = None   # each trader's posted price (USD/g)


@dataclass(frozen=True)
class SaleChannel:
    """One row of the channel table: who buys, from whom, at what price, at what access cost."""

    code: Channel
    name: str
    price: str          # attribute of :class:`PostedPrices` holding its price (USD/g)
    formal: bool        # formal sale: royalty withheld, reporting; else informal trade
    access: str | None  # distance the seller travels: "town", "buying_point" or None (comes to the pit)
    open_when: str | None  # attribute of :class:`PostedPrices` saying it buys this month (None: always)
    sellers: str | None    # attribute of :class:`PostedPrices` listing the statuses it buys from
                           # (None: anyone)

    def open_to(self, prices: PostedPrices) -> tuple[int, ...]:
        """Legal statuses (codes) that may sell through this channel this month."""
        if self.open_when is not None and not getattr(prices, self.open_when):
            return ()
        return tuple(Legal) if self.sellers is None else tuple(getattr(prices, self.sellers))


#: The sale channels, in code order. A new channel is one row here (and its code).
CHANNELS: tuple[SaleChannel, ...] = (
    SaleChannel(Channel.LICENSED_BUYER, "licensed buyer", "licensed", formal=True, access="town",
                open_when="licensed_open", sellers="licensed_accepts"),
    SaleChannel(Channel.OFFICIAL_BUYER, "official buyer", "official", formal=True,
                access="buying_point", open_when="official_open", sellers="official_accepts"),
    SaleChannel(Channel.TRADER, "informal trader", "trader", formal=False, access=None,
                open_when=None, sellers=None),
)
FORMAL_CHANNELS = tuple(c.code for c in CHANNELS if c.formal)
N_SALE_CHANNELS = len(CHANNELS)


@dataclass
class ChannelCosts:
    """Per-seller terms of the channel values (context parameters)."""

    trip_fixed_usd: float         # USD per trip
    trip_usd_per_cell: float      # USD per cell of distance
    tie_discount: float           # share of P a tied miner gives up to its trader

    @classmethod
    def from_context(cls, ctx) -> ChannelCosts:
        return cls(ctx.trip_cost_fixed_usd, ctx.trip_cost_usd_per_cell,
                   ctx.prefinance_tie_discount)


def trip_costs(costs: ChannelCosts, dist_town, dist_point) -> np.ndarray:
    """Monthly trip cost (USD) of selling through each channel, shape (channels, sellers);
    traders come to the pit. Distances in cells (``dist_point`` 1e6 where there is no
    buying point)."""
    distance = {"town": dist_town, "buying_point": dist_point}
    trips = np.zeros((N_SALE_CHANNELS, len(dist_town)))
    for channel in CHANNELS:
        if channel.access is not None:
            trips[channel.code] = costs.trip_fixed_usd \
                + costs.trip_usd_per_cell * distance[channel.access]
    return trips


def trader_per_gram(prices: PostedPrices, costs: ChannelCosts, trader: np.ndarray,
                    tied_to: np.ndarray) -> np.ndarray:
    """Per-gram value (USD/g) of selling to each of the seller's traders, shape
    (traders per town, sellers): the trader's price, less the tie discount at the trader
    one is tied to. ``trader`` holds trader indices (traders per town, sellers),
    ``tied_to`` each seller's trader (−1: untied). (A licensee's audit risk is a monthly
    cost, :func:`asmsim.model.enforcement.expected_audit_cost`, added where the sale is
    chosen.)"""
    mine = (trader == tied_to) & (tied_to >= 0)
    return prices.traders[trader] - costs.tie_discount * prices.world * mine


def tie_costs(side_sale_cost: np.ndarray, trader: np.ndarray, tied_to: np.ndarray
              ) -> np.ndarray:
    """Expected monthly cost (USD) of selling to each of the seller's traders against a
    pre-finance tie, shape (traders per town, sellers): ``side_sale_cost`` (per seller, 0
    for the untied) at every trader but the one it owes (``trader``, ``tied_to`` as in
    :func:`trader_per_gram`). A formal channel bears ``side_sale_cost`` whole."""
    return side_sale_cost * (trader != tied_to)


def per_gram_utilities(prices: PostedPrices, costs: ChannelCosts, trader_values: np.ndarray
                       ) -> np.ndarray:
    """Per-gram value (USD/g) of each sale channel, shape (channels, sellers).

    A formal channel pays its price net of royalty; the trader channel is worth the best
    of the seller's traders (``trader_values``, from :func:`trader_per_gram`). Trips
    (:func:`trip_costs`) and the expected cost of a sale a contract forbids
    (:func:`tie_costs`) come on top, per month.
    """
    r = prices.royalty_rate
    u = np.empty((N_SALE_CHANNELS, trader_values.shape[-1]))
    for channel in CHANNELS:
        if channel.formal:
            u[channel.code] = getattr(prices, channel.price) * (1 - r)
        else:
            u[channel.code] = trader_values.max(axis=0)
    return u


def open_by_status(prices: PostedPrices) -> np.ndarray:
    """Which sale channels are open this month to each legal status, shape (channels, statuses)."""
    table = np.zeros((N_SALE_CHANNELS, len(Legal)), dtype=bool)
    for channel in CHANNELS:
        table[channel.code, list(channel.open_to(prices))] = True
    return table


def available(prices: PostedPrices, legal: np.ndarray) -> np.ndarray:
    """Which channels each miner may use given its legal status, shape (3, miners)."""
    return open_by_status(prices).take(legal, axis=1)


def open_channels(prices: PostedPrices, status: int) -> list[int]:
    """Sale channels (codes) open this month to a miner of legal ``status``."""
    return np.flatnonzero(open_by_status(prices)[:, status]).tolist()
