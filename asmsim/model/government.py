"""Submodel: government — budget, licence office, inspections, extension, programmes
(ODD 7.4).

The government is a Mesa agent holding the levers (``model.config.policy``) and
a budget (USD). Each month it first funds its programmes: at full scale, or,
when ``policy.budget_constrained`` is set, in ``policy.budget.priority`` order
from what the budget holds (each programme then acts in proportion to its
funded share: licences processed, inspection probability, training slots,
buying points open, subsidy rates). It then processes the licence queue, sends
inspectors to miners and traders, fills training slots and pays for the
official buying points. Every cost is booked in ``model.now.spending`` by
category; at the end of the month (:func:`close_accounts`) revenue and the
central or donor transfer come in and spending goes out of the budget.
"""

from __future__ import annotations

import mesa
import numpy as np

from asmsim.config.schema import BUDGET_PROGRAMMES
from asmsim.model import enforcement, formalization, space
from asmsim.model.enums import Legal
from asmsim.model.scale import buying_points, count_this_month, per_population

#: Output categories of state spending (``spending_<category>_usd``), programmes first.
SPENDING_CATEGORIES = (*BUDGET_PROGRAMMES, "credit_losses")


class Government(mesa.Agent):
    """Holds the levers (in ``model.config.policy``), the licence queue and the budget."""

    def __init__(self, model):
        super().__init__(model)
        self.reset_budget()

    def reset_budget(self) -> None:
        """The budget at month 0: ``policy.budget.initial_months`` of transfer (USD)."""
        budget = self.model.config.policy.budget
        self.budget_usd = budget.initial_months * self.transfer_usd()
        self.funded = dict.fromkeys(BUDGET_PROGRAMMES, 1.0)  # share of each programme funded
        self.envelope: dict[str, float] = {}  # USD each programme may still spend this month
        self.constrained = False
        self.last_spending: dict[str, float] = {}  # last month's spending by category (USD)
        self.last_coop_grants_usd = 0.0

    def transfer_usd(self) -> float:
        """Central or donor transfer to the budget this month (USD)."""
        return per_population(self.model, self.model.config.policy.budget
                              .transfer_usd_per_1000_miners_month)

    def step(self) -> None:
        formalization.process_queue(self.model)
        enforcement.inspect(self.model)
        enforcement.inspect_traders(self.model)
        enforcement.patrol_border(self.model)
        self.train()
        self.run_programmes()

    # ----------------------------------------------------------------- budget
    def requested_usd(self, month: int) -> dict[str, float]:
        """What each programme would cost in ``month`` at full scale (USD)."""
        model, m = self.model, self.model.miners
        cfg, ctx = model.config.policy, model.config.context
        informal = m.active & (m.legal == Legal.INFORMAL.value)
        inspected = float((space.inspection_prob(model, model.sites.land_status[m.site],
                                                 funded=False) * informal).sum())
        last = self.last_spending
        official = cfg.market.official_buyer
        licensees = np.count_nonzero(m.active & (m.legal == Legal.LICENSED.value))
        return {
            "licensing": count_this_month(model, cfg.legal.office_capacity_per_1000_miners, month)
            * ctx.licence_processing_cost_usd,
            "enforcement": inspected * ctx.inspection_cost_usd + cfg.market.trader_inspection_prob
            * len(model.traders) * ctx.trader_inspection_cost_usd
            + enforcement.border_control_cost_usd(model, cfg.market.border_interdiction_prob)
            + cfg.legal.licensee_audit_prob * licensees * ctx.audit_cost_usd,
            "extension": count_this_month(model, cfg.social.training_slots_per_1000_miners, month)
            * ctx.training_cost_usd + self.last_coop_grants_usd,
            "official_buying": buying_points(model) * ctx.buying_point_cost_usd_month
            if official.enabled else 0.0,
            "subsidies": last.get("subsidies", 0.0),
        }

    def fund_programmes(self, month: int) -> None:
        """The funded share (0-1) and envelope (USD) of each programme in ``month``, set at
        the end of the month before (so prices and programmes of a month see the same).

        Unconstrained, every programme is funded in full. Under ``budget_constrained``,
        programmes are served in ``policy.budget.priority`` order from the balance plus
        this month's transfer, each up to its expected cost (subsidies and cooperative
        grants: last month's); what is left is a spare any programme may draw on. A
        programme spends only what :meth:`grant` lets it.
        """
        policy = self.model.config.policy
        self.constrained = policy.budget_constrained
        self.funded = dict.fromkeys(BUDGET_PROGRAMMES, 1.0)
        if not self.constrained:
            return
        available = max(self.budget_usd + self.transfer_usd(), 0.0)
        requested = self.requested_usd(month)
        self.envelope = {}
        for programme in (*policy.budget.priority,
                          *(p for p in BUDGET_PROGRAMMES if p not in policy.budget.priority)):
            want = requested[programme]
            share = 1.0 if want <= 0 else min(1.0, max(available / want, 0.0))
            self.funded[programme] = share
            self.envelope[programme] = share * want
            available = max(available - share * want, 0.0)
        self.envelope["spare"] = available

    def grant(self, programme: str, unit_usd: float, count: int) -> int:
        """How many of ``count`` units (``unit_usd`` each) of ``programme`` the budget pays
        for this month (all of them when the budget does not bind); spends the envelope."""
        if not self.constrained or unit_usd <= 0 or count <= 0:
            return count
        own = min(count, int(self.envelope[programme] / unit_usd + 1e-9))
        spare = min(count - own, int(self.envelope["spare"] / unit_usd + 1e-9))
        self.envelope[programme] -= own * unit_usd
        self.envelope["spare"] -= spare * unit_usd
        return own + spare

    # ------------------------------------------------------------- programmes
    def train(self) -> None:
        """Fill this month's funded training slots, reserving ``women_priority`` for women."""
        model, m = self.model, self.model.miners
        social, ctx = model.config.policy.social, model.config.context
        slots = self.grant("extension", ctx.training_cost_usd,
                           count_this_month(model, social.training_slots_per_1000_miners))
        if slots <= 0:
            return
        candidates = np.flatnonzero(m.active & ~m.trained)
        if len(candidates) == 0:
            return
        # Lowest keys first: a miner's key is its own (per-miner stream, by miner id), so
        # whether it is trained does not depend on how many others are candidates.
        key = model.uniforms("training/miners", candidates)
        woman = m.woman[candidates]
        reserved = min(int(woman.sum()), int(round(slots * social.women_priority)))
        chosen_women = candidates[woman][np.argsort(key[woman], kind="stable")[:reserved]]
        others = ~np.isin(candidates, chosen_women, assume_unique=True)
        rest = candidates[others][np.argsort(key[others], kind="stable")[: slots - reserved]]
        chosen = np.concatenate([chosen_women, rest])
        m.trained[chosen] = True
        m.trust[chosen] = np.minimum(1.0, m.trust[chosen] + ctx.trust_gain_support)
        model.now.spend("extension", len(chosen) * ctx.training_cost_usd)

    def open_buying_points(self) -> int:
        """Official buying points open this month: those the budget funds."""
        return int(buying_points(self.model) * self.funded["official_buying"] + 1e-9)

    def run_programmes(self) -> None:
        """Running costs of the official buying points open this month."""
        model = self.model
        if model.config.policy.market.official_buyer.enabled:
            points = self.open_buying_points()
            if points != model.sites.buying_points:
                model.sites.place_buying_points(points)
            model.now.spend("official_buying",
                            points * model.config.context.buying_point_cost_usd_month)


def step(model) -> None:
    """The government's month (a schedule entry)."""
    model.government.step()


def state_revenue_usd(now) -> float:
    """The state's revenue this month (USD): royalties (miners' formal sales and traders'
    declared gold) and export tax, licence fees, fines (miners' and traders') and
    confiscated gold."""
    ledger = now.ledger
    return ledger.total("royalties") + now.stats["trader_royalty_usd"] \
        + now.stats["export_tax_usd"] + ledger.total("fees") + ledger.total("fines") \
        + now.stats["seized_gold_usd"] + now.stats["trader_fines_usd"]


def close_accounts(model) -> None:
    """End of month: revenue and the transfer come into the budget, spending goes out (USD)."""
    gov, now = model.government, model.now
    now.stats["state_revenue_usd"] = state_revenue_usd(now)
    gov.last_spending = dict(now.spending)
    gov.last_coop_grants_usd = now.stats["coop_grants_usd"]
    gov.budget_usd += now.stats["state_revenue_usd"] + gov.transfer_usd() \
        - sum(now.spending.values())
    gov.fund_programmes(model.month + 1)  # next month's programmes, before prices are posted
