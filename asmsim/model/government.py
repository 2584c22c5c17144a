"""Submodel: government — licence office, inspections, extension, programmes (ODD 7.10, 7.11).

The government is a Mesa agent holding the levers (``model.config.policy``).
Each month it processes the licence queue, sends inspectors, fills training
slots and pays for its programmes; every cost is booked in ``model.now.spending``.
"""

from __future__ import annotations

import mesa
import numpy as np

from asmsim.model import enforcement, formalization
from asmsim.model.scale import buying_points, count_this_month


class Government(mesa.Agent):
    """Holds the levers (in ``model.config.policy``), the licence queue and the budget."""

    def step(self) -> None:
        formalization.process_queue(self.model)
        enforcement.inspect(self.model)
        self.train()
        self.run_programmes()

    def train(self) -> None:
        """Fill this month's training slots, reserving ``women_priority`` of them for women."""
        model, m = self.model, self.model.miners
        social, ctx = model.config.policy.social, model.config.context
        slots = count_this_month(model, social.training_slots_per_1000_miners)
        if slots <= 0:
            return
        candidates = np.flatnonzero(m.active & ~m.trained)
        if len(candidates) == 0:
            return
        key = model.stream("training").random(len(candidates))
        women = candidates[m.woman[candidates]]
        reserved = min(len(women), int(round(slots * social.women_priority)))
        chosen_women = women[np.argsort(key[m.woman[candidates]])[:reserved]]
        rest = np.setdiff1d(candidates, chosen_women, assume_unique=True)
        rest = rest[np.argsort(model.stream("training").random(len(rest)))[: slots - reserved]]
        chosen = np.concatenate([chosen_women, rest])
        m.trained[chosen] = True
        m.trust[chosen] = np.minimum(1.0, m.trust[chosen] + ctx.trust_gain_support)
        model.now.spend("training", len(chosen) * ctx.training_cost_usd)

    def run_programmes(self) -> None:
        """Running costs of the official buying programme."""
        programme = self.model.config.policy.market.official_buyer
        if programme.enabled:
            self.model.now.spend("official_buyer", buying_points(self.model)
                                 * self.model.config.context.buying_point_cost_usd_month)


def step(model) -> None:
    """The government's month (a schedule entry)."""
    model.government.step()
