"""A stand-in for ``asmsim.model.ASMModel`` with the same dashboard interface.

Used only while the real model has not landed on this branch (see
``asmsim.present.dashboard.session.model_class``); delete it afterwards.
"""

from __future__ import annotations

import copy
from types import SimpleNamespace

import mesa
import numpy as np

from asmsim.config import Config, set_key

COLUMNS = ("active_miners", "licensed_share", "official_sales_share", "coop_share",
           "income_mean_usd", "women_income_mean_usd", "men_income_mean_usd", "mercury_kg",
           "royalty_usd", "fees_usd", "fines_usd", "state_spending_usd", "illicit_flow_usd")


class FakeModel(mesa.Model):
    """Toy dynamics over numpy columns; responds a little to the royalty rate."""

    def __init__(self, config: Config | None = None, seed: int = 0):
        super().__init__(rng=seed)
        self.config = copy.deepcopy(config or Config())
        self.month = 0
        self.policy_changes: list[tuple[int, str, object]] = []
        self._pending: list[tuple[str, object]] = []
        w, h, n = self.config.context.grid_width, self.config.context.grid_height, self.config.miners
        gen = np.random.default_rng(seed)
        self.sites = SimpleNamespace(width=w, height=h,
                                     land_status=gen.integers(0, 4, w * h).astype(np.int8),
                                     mercury_kg=np.zeros(w * h))
        self.miners = SimpleNamespace(n=n, site=gen.integers(0, w * h, n),
                                      legal=gen.choice(3, n, p=[0.8, 0.1, 0.1]).astype(np.int8),
                                      active=np.ones(n, bool))
        self._gen = gen
        self.datacollector = mesa.DataCollector(
            model_reporters={c: (lambda m, c=c: m._row[c]) for c in COLUMNS})
        self._row = dict.fromkeys(COLUMNS, 0.0)
        self._record()

    def set_policy(self, key: str, value) -> None:
        """Validate now, apply from the next month, remember the change."""
        set_key(copy.deepcopy(self.config), key, value)
        self._pending.append((key, value))
        self.policy_changes.append((self.month, key, value))

    def step(self) -> None:
        for key, value in self._pending:
            set_key(self.config, key, value)
        self._pending.clear()
        self.month += 1
        m = self.miners
        flip = self._gen.random(m.n) < 0.02 * (1.2 - self.config.policy.market.royalty_rate * 5)
        m.legal[flip] = np.minimum(m.legal[flip] + 1, 2)
        np.add.at(self.sites.mercury_kg, m.site, 0.001)
        self._record()

    def _record(self) -> None:
        licensed = float((self.miners.legal == 2).mean())
        self._row.update(active_miners=self.miners.n, licensed_share=licensed,
                         official_sales_share=min(1.0, licensed * 1.1), coop_share=licensed / 2,
                         income_mean_usd=150 + 50 * licensed, women_income_mean_usd=60.0,
                         men_income_mean_usd=190.0, mercury_kg=self.miners.n * 0.001,
                         royalty_usd=1e4 * self.config.policy.market.royalty_rate * licensed,
                         fees_usd=100.0, fines_usd=50.0, state_spending_usd=900.0,
                         illicit_flow_usd=1e5 * (1 - licensed))
        self.datacollector.collect(self)

    def table(self):
        return self.datacollector.get_model_vars_dataframe()
