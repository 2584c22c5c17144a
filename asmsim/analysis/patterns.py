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


def tied_minus_untied_trader_share(seeds: list[int], miners: int, months: int = 24
                                   ) -> np.ndarray:
    """Per seed: trader share of sales by miners tied by pre-finance minus untied miners'.

    Pattern 4, where the official channel pays more than traders: the
    ``official_buying`` scenario with the royalty waived and the official buyer
    paying 99 % of the world price (as pattern 3's premium buyer: traders who
    compete pay ≈ 96.5 %, so at the preset's 97 % the official channel pays more by
    only ≈ 0.5 %), ``months`` months. A miner counts as tied if it owed a trader
    when it sold.
    """
    overrides = ["scenario=official_buying", "policy.market.royalty_rate=0.0",
                 "policy.market.official_buyer.price_share=0.99", f"miners={miners}"]
    out = []
    for seed in seeds:
        model = ASMModel(load_config(overrides), seed=seed)
        to_trader, sold = np.zeros(2), np.zeros(2)
        for _ in range(months):
            was_tied = model.miners.uid[model.miners.lender == Lender.TRADER]
            model.step()
            m = model.miners
            tied = np.isin(m.uid, was_tied)  # by miner id: rows move when the table is compacted
            selling = m.active & (m.channel != Channel.HELD)
            for k, group in enumerate((tied, ~tied)):
                to_trader[k] += np.count_nonzero(selling & group & (m.channel == Channel.TRADER))
                sold[k] += np.count_nonzero(selling & group)
        out.append(to_trader[0] / sold[0] - to_trader[1] / sold[1])
    return np.array(out)
