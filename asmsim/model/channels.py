"""Process 4b: sales channel choice and sale proceeds (spec §6.3).

Per-gram utilities (USD/g):

- licensed buyer: ``P(1 − m_L − x)(1 − r) − a·d_town``
- official buyer: ``P·s(1 − r) − a·d_point``
- informal trader: ``P(1 − m_T)·c − q·P/2 − tie·P``

with royalty ``r``, export tax ``x``, access cost ``a`` per cell of distance,
closure factor ``c``, trader-inspection risk ``q`` (half passed to miners) and
the pre-finance discount ``tie`` for tied miners; a licensee selling to a
trader also bears the expected cost of breaking its reporting duty. A tied miner selling elsewhere
bears a switching penalty (lost pre-finance and goodwill; not a cash flow).
Choice is multinomial logit on the monthly value (per-gram utility × grams).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from asmsim.model.enums import Channel, Legal

N_SALE_CHANNELS = 3  # licensed buyer, official buyer, trader


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


@dataclass
class ChannelCosts:
    """Per-miner terms of the channel utilities (context parameters)."""

    access_usd_per_g_cell: float
    trader_inspection_prob: float
    tie_discount: float
    tie_penalty: float
    licensee_trader_penalty: float


def per_gram_utilities(prices: PostedPrices, costs: ChannelCosts, dist_town, dist_point,
                       tied, licensed) -> np.ndarray:
    """Utility per gram (USD/g) of each sale channel, shape (3, miners): one row per channel.

    Distances are in cells; ``dist_point`` is capped (1e6) where there is no buying point.
    """
    p, r = prices.world, prices.royalty_rate
    penalty = costs.tie_penalty * p * tied
    u = np.empty((N_SALE_CHANNELS, len(dist_town)))
    u[Channel.LICENSED_BUYER] = prices.licensed * (1 - r) - costs.access_usd_per_g_cell \
        * dist_town - penalty
    u[Channel.OFFICIAL_BUYER] = prices.official * (1 - r) - costs.access_usd_per_g_cell \
        * dist_point - penalty
    u[Channel.TRADER] = prices.trader - costs.trader_inspection_prob * 0.5 * p \
        - costs.tie_discount * p * tied - costs.licensee_trader_penalty * licensed
    return u


def open_by_status(prices: PostedPrices) -> np.ndarray:
    """Which sale channels are open this month to each legal status, shape (3, statuses)."""
    table = np.zeros((N_SALE_CHANNELS, len(Legal)), dtype=bool)
    table[Channel.LICENSED_BUYER, Legal.LICENSED] = prices.licensed_open
    table[Channel.OFFICIAL_BUYER, list(prices.official_accepts)] = prices.official_open
    table[Channel.TRADER] = True
    return table


def available(prices: PostedPrices, legal: np.ndarray) -> np.ndarray:
    """Which channels each miner may use given its legal status, shape (3, miners)."""
    return open_by_status(prices).take(legal, axis=1)


def _count_true(mask: np.ndarray) -> np.ndarray:
    """Per miner (column), how many rows of a boolean (options, miners) array hold."""
    return mask.view(np.int8).sum(axis=0, dtype=np.int8)


def _only_and_several(ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per miner: the first open option (channel code), and the miners with more than one."""
    only = np.zeros(ok.shape[1], dtype=np.int8)
    for option in range(len(ok) - 1, -1, -1):
        only[ok[option]] = option
    several = np.flatnonzero(_count_true(ok) > 1)
    return only, several


def _weights(scored: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """exp(λU − max λU) per option and the max λU, per miner (column), from ``scored`` = λU
    (−inf where an option is closed; overwritten)."""
    top = scored.max(axis=0)
    scored -= top
    return np.exp(scored, out=scored), top


def logit_choice(per_unit: np.ndarray, units: np.ndarray, ok: np.ndarray, scale: float,
                 rng: np.random.Generator) -> np.ndarray:
    """Multinomial-logit choice among the open options on values ``per_unit × units``.

    ``per_unit`` and ``ok`` have shape (options, miners); ``units`` one entry per miner.
    Inverse-CDF draw with one uniform per miner, so a miner's draw does not depend on
    how many options it (or anyone else) has: common random numbers across scenarios.
    Miners with a single open option take it without any arithmetic.
    """
    u = rng.random(per_unit.shape[1])
    choice, several = _only_and_several(ok)
    if len(several):
        scored = scale * (per_unit[:, several] * units[several])
        scored[~ok[:, several]] = -np.inf
        weights, _ = _weights(scored)
        cumulative = np.cumsum(weights, axis=0, out=weights)
        target = u[several] * cumulative[-1]
        choice[several] = _count_true(cumulative[:-1] < target)
    return choice


def open_channels(prices: PostedPrices, status: int) -> list[int]:
    """Sale channels (codes) open this month to a miner of legal ``status``."""
    return np.flatnonzero(open_by_status(prices)[:, status]).tolist()


def inclusive_value(values: np.ndarray, channels: list[int], scale: float) -> np.ndarray:
    """Expected maximum utility (USD) over the open ``channels``: (1/λ)·log Σ exp(λ U), per miner.

    ``values`` has one row per channel (shape (3, miners)); with one open channel it is
    that channel's value.
    """
    if len(channels) == 1:
        return values[channels[0]]
    chosen = values[channels]
    if scale <= 0:
        return chosen.max(axis=0)
    weights, top = _weights(scale * chosen)
    return (top + np.log(weights.sum(axis=0))) / scale


def gross_price(prices: PostedPrices, channel: np.ndarray, tied: np.ndarray,
                tie_discount: float) -> np.ndarray:
    """Price actually paid per gram (USD/g, before royalty) for each miner's channel."""
    table = np.array([prices.licensed, prices.official, prices.trader, 0.0])
    paid = table[channel]
    return paid - tie_discount * prices.world * (tied & (channel == Channel.TRADER))


def smuggled_share(trader_export_share_base: float, sensitivity: float, royalty_rate: float,
                   neighbour_rate: float) -> float:
    """Share of traders' gold exported informally: rises with the royalty gap to the neighbour."""
    gap = royalty_rate - neighbour_rate
    return min(max(trader_export_share_base + sensitivity * gap, 0.0), 1.0)
