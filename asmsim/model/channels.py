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
    """Utility per gram (USD/g) of each sale channel, shape (miners, 3)."""
    p, r = prices.world, prices.royalty_rate
    penalty = np.where(tied, costs.tie_penalty * p, 0.0)
    u = np.empty((len(dist_town), N_SALE_CHANNELS))
    u[:, Channel.LICENSED_BUYER] = prices.licensed * (1 - r) - costs.access_usd_per_g_cell \
        * dist_town - penalty
    u[:, Channel.OFFICIAL_BUYER] = prices.official * (1 - r) - costs.access_usd_per_g_cell \
        * np.minimum(dist_point, 1e6) - penalty
    u[:, Channel.TRADER] = prices.trader - costs.trader_inspection_prob * 0.5 * p \
        - np.where(tied, costs.tie_discount * p, 0.0) \
        - np.where(licensed, costs.licensee_trader_penalty, 0.0)
    return u


def available(prices: PostedPrices, legal: np.ndarray, as_status: int | None = None) -> np.ndarray:
    """Which channels each miner may use, shape (miners, 3).

    ``as_status`` evaluates the choice set a miner *would* have with that legal
    status (used to value a licence).
    """
    status = legal if as_status is None else np.full_like(legal, as_status)
    ok = np.zeros((len(legal), N_SALE_CHANNELS), dtype=bool)
    ok[:, Channel.LICENSED_BUYER] = prices.licensed_open & (status == Legal.LICENSED)
    accepted = np.zeros(len(Legal), dtype=bool)
    accepted[list(prices.official_accepts)] = True
    ok[:, Channel.OFFICIAL_BUYER] = prices.official_open & accepted[status]
    ok[:, Channel.TRADER] = True
    return ok


def logit_choice(values: np.ndarray, ok: np.ndarray, scale: float,
                 rng: np.random.Generator) -> np.ndarray:
    """Multinomial-logit choice by the Gumbel-max trick: argmax(λ·U + Gumbel noise)."""
    noise = rng.gumbel(size=values.shape)
    scored = np.where(ok, scale * values + noise, -np.inf)
    return scored.argmax(axis=1).astype(np.int8)


def inclusive_value(values: np.ndarray, ok: np.ndarray, scale: float) -> np.ndarray:
    """Expected maximum utility (USD) of a choice set: (1/λ)·log Σ exp(λ U)."""
    if scale <= 0:
        return np.where(ok, values, -np.inf).max(axis=1)
    scored = np.where(ok, scale * values, -np.inf)
    top = scored.max(axis=1)
    return (top + np.log(np.exp(scored - top[:, None]).sum(axis=1))) / scale


def gross_price(prices: PostedPrices, channel: np.ndarray, tied: np.ndarray,
                tie_discount: float) -> np.ndarray:
    """Price actually paid per gram (USD/g, before royalty) for each miner's channel."""
    table = np.array([prices.licensed, prices.official, prices.trader, 0.0])
    paid = table[channel]
    return paid - np.where(tied & (channel == Channel.TRADER), tie_discount * prices.world, 0.0)


def smuggled_share(trader_export_share_base: float, sensitivity: float, royalty_rate: float,
                   neighbour_rate: float) -> float:
    """Share of traders' gold exported informally: rises with the royalty gap to the neighbour."""
    gap = royalty_rate - neighbour_rate
    return float(np.clip(trader_export_share_base + sensitivity * gap, 0.0, 1.0))
