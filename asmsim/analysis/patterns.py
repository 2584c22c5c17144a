"""Measurements behind the patterns of spec §1 (used by the pattern tests and validation)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from asmsim.config import load_config
from asmsim.model import ASMModel
from asmsim.model.enums import Channel, Lender


def window(tables: list[pd.DataFrame], column: str, first: int, last: int) -> np.ndarray:
    """Per replicate: mean of ``column`` over months first..last."""
    return np.array([t.set_index("month").loc[first:last, column].mean() for t in tables])


#: Bins (USD/month) of how much more the official buyer pays a seller than its best trader.
ADVANTAGE_BINS_USD = np.array([0.0, 2.0, 5.0, 10.0, 20.0, 40.0, np.inf])


def tied_minus_untied_trader_share(seeds: list[int], miners: int, months: int = 24,
                                   extra: tuple[str, ...] = ()) -> np.ndarray:
    """Per seed: among sellers the official buyer pays more, the share of sales to traders of
    miners tied by pre-finance minus untied miners' (pattern 4).

    The ``official_buying`` scenario with the royalty waived and the official buyer paying
    99 % of the world price (as pattern 3's premium buyer), ``months`` months, ``extra``
    overrides on top (e.g. side-sale detection off). A seller counts where the official
    buyer pays it more than its best trader this month, net of the trip and at the price
    it would be paid (a tied miner's own trader less the tie discount), before any tie's
    expected cost. Tied miners sell smaller lots than untied ones, and a small lot gains
    less from the official price than the trip costs, so the raw tied − untied gap mixes
    the tie with lot size; the difference is taken within bins of the official buyer's
    advantage (``ADVANTAGE_BINS_USD``) and weighted by tied sellers. A miner counts as
    tied if it owed a trader when it sold.
    """
    overrides = ["scenario=official_buying", "policy.market.royalty_rate=0.0",
                 "policy.market.official_buyer.price_share=0.99", f"miners={miners}", *extra]
    bins = len(ADVANTAGE_BINS_USD) - 1
    out = []
    for seed in seeds:
        model = ASMModel(load_config(overrides), seed=seed)
        to_trader, sold = np.zeros((2, bins)), np.zeros((2, bins))
        for _ in range(months):
            tied = model.miners.lender == Lender.TRADER
            # The month's rows as sold: measured before the table is compacted.
            model._simulate_month()
            m, now = model.miners, model.now
            n = len(now.sold_g)
            tied = np.concatenate([tied[:n], np.zeros(max(n - len(tied), 0), dtype=bool)])
            lot = now.sold_g
            official = Channel.OFFICIAL_BUYER
            advantage = now.per_gram_utility[official, :n] * lot \
                - now.trip_cost[official, :n] - (now.trader_per_gram[:, :n] * lot).max(axis=0)
            counted = (m.channel[:n] != Channel.HELD) & (lot > 0) & (advantage > 0)
            where = np.clip(np.digitize(advantage, ADVANTAGE_BINS_USD) - 1, 0, bins - 1)
            to_trader_now = counted & (m.channel[:n] == Channel.TRADER)
            for k, group in enumerate((tied, ~tied)):
                sold[k] += np.bincount(where[counted & group], minlength=bins)
                to_trader[k] += np.bincount(where[to_trader_now & group], minlength=bins)
            model._record()
            model._compact_if_sparse()
        both = (sold[0] > 0) & (sold[1] > 0)
        gap = to_trader[0][both] / sold[0][both] - to_trader[1][both] / sold[1][both]
        out.append(float((gap * sold[0][both]).sum() / sold[0][both].sum()))
    return np.array(out)
