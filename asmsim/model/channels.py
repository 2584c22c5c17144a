"""The sale channels as a table, and their per-gram utilities (ODD 7.2).

Per-gram utilities (USD/g):

- licensed buyer: ``P(1 − m_L − x)(1 − r) − a·d_town``
- official buyer: ``P·s(1 − r) − a·d_point``
- informal trader: ``p_T − tie·P``, with ``p_T = P(1 − m_T)·c − κ·q·P``

with royalty ``r``, export tax ``x``, access cost ``a`` per cell of distance,
closure factor ``c``, trader-inspection probability ``q`` (a share ``κ`` of the
expected confiscation passed to miners in the trader's price) and the
pre-finance discount ``tie`` for tied miners; a licensee selling to a trader
also bears the expected cost of breaking its reporting duty. A tied miner
selling elsewhere bears a switching penalty (lost pre-finance and goodwill; not
a cash flow). Choice is multinomial logit on the monthly value (per-gram
utility × grams; :mod:`asmsim.model.choice`).
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
    trader: float
    licensed_open: bool
    official_open: bool
    official_accepts: tuple[int, ...]   # Legal codes the official buyer buys from
    royalty_rate: float
    licensed_accepts: tuple[int, ...] = (Legal.LICENSED,)  # licensed buyers buy from licensees


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
    """Per-miner terms of the channel utilities (context parameters)."""

    access_usd_per_g_cell: float
    tie_discount: float
    tie_penalty: float
    licensee_trader_penalty: float


def per_gram_utilities(prices: PostedPrices, costs: ChannelCosts, dist_town, dist_point,
                       tied, licensed) -> np.ndarray:
    """Utility per gram (USD/g) of each sale channel, shape (channels, miners).

    A formal channel pays its price net of royalty, minus the trip (``access`` per cell
    of distance) and, for a tied miner, the switching penalty; an informal channel
    pays its price minus the expected inspection loss, the tie discount of a tied
    miner and a licensee's reporting risk. Distances are in cells; ``dist_point`` is
    capped (1e6) where there is no buying point.
    """
    p, r = prices.world, prices.royalty_rate
    distance = {"town": dist_town, "buying_point": dist_point}
    penalty = costs.tie_penalty * p * tied
    u = np.empty((N_SALE_CHANNELS, len(dist_town)))
    for channel in CHANNELS:
        price = getattr(prices, channel.price)
        if channel.formal:
            u[channel.code] = price * (1 - r) - costs.access_usd_per_g_cell \
                * distance[channel.access] - penalty
        else:
            u[channel.code] = price - costs.tie_discount * p * tied \
                - costs.licensee_trader_penalty * licensed
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


def gross_price(prices: PostedPrices, channel: np.ndarray, tied: np.ndarray,
                tie_discount: float) -> np.ndarray:
    """Price actually paid per gram (USD/g, before royalty) for each miner's channel."""
    table = np.array([*(getattr(prices, c.price) for c in CHANNELS), 0.0])  # last: held
    paid = table[channel]
    return paid - tie_discount * prices.world * (tied & (channel == Channel.TRADER))


def smuggled_share(trader_export_share_base: float, sensitivity: float, royalty_rate: float,
                   neighbour_rate: float) -> float:
    """Share of traders' gold exported informally: rises with the royalty gap to the neighbour."""
    gap = royalty_rate - neighbour_rate
    return min(max(trader_export_share_base + sensitivity * gap, 0.0), 1.0)
