"""The non-miner agents: buyers, lenders and the government (spec §2.3–2.5).

They are ordinary Mesa agents with their own behaviour; they act on the miner
columns with array operations, never one miner at a time.
"""

from __future__ import annotations

import mesa
import numpy as np

from asmsim.model import enforcement, formalization
from asmsim.model.enums import STATUS_NAMES, Lender
from asmsim.model.finance import LoanTerms

TRADER_EQUIVALENT_RATE = 0.10  # monthly cost of pre-finance a licensee escapes (assumption)


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
    """An informal trader: buys from anyone at the site, pre-finances, smuggles a share."""

    def __init__(self, model, town: int):
        super().__init__(model)
        self.town = town
        self.price_per_g = 0.0

    def post_price(self, world: float, closure_factor: float) -> None:
        self.price_per_g = world * (1 - self.model.config.context.trader_margin) * closure_factor


class OfficialBuyer(mesa.Agent):
    """The state / central-bank buying programme (when enabled)."""

    def __init__(self, model):
        super().__init__(model)
        self.price_per_g = 0.0
        self.open = False

    def post_price(self, world: float, closed: bool) -> None:
        programme = self.model.config.policy.market.official_buyer
        self.price_per_g = world * programme.price_share
        self.open = programme.enabled and programme.buying_points > 0 and not closed

    def accepts(self) -> tuple[int, ...]:
        return tuple(int(STATUS_NAMES[s]) for s in
                     self.model.config.policy.market.official_buyer.accepts)


class LenderAgent(mesa.Agent):
    """A formal lender (bank, microfinance, state fund) posting terms each month."""

    def __init__(self, model, kind: Lender):
        super().__init__(model)
        self.kind = kind
        self.defaults_usd = 0.0
        self.terms: LoanTerms | None = None

    def post_terms(self, outstanding_usd: float) -> LoanTerms | None:
        """This month's offer, or None when the lender is not operating."""
        cfg = self.model.config
        ctx, fin = cfg.context, cfg.policy.finance
        quota = fin.women_credit_quota
        if self.kind == Lender.BANK:
            women = ctx.bank_women_factor + (1 - ctx.bank_women_factor) * min(1.0, 2 * quota)
            self.terms = LoanTerms(Lender.BANK, ctx.bank_rate_monthly, 2000.0, np.inf,
                                   min(1.0, ctx.bank_approval * (1 + 2 * fin.bank_guarantee_share)),
                                   women, collateral_usd=ctx.bank_collateral_usd,
                                   women_first=quota > 0)
        elif self.kind == Lender.MICROFINANCE and fin.microfinance.enabled:
            mf = fin.microfinance
            self.terms = LoanTerms(Lender.MICROFINANCE, mf.rate_monthly, mf.max_loan_usd,
                                   max(0.0, mf.fund_usd - outstanding_usd), mf.approval,
                                   accepts_applicants=True, women_first=quota > 0)
        elif self.kind == Lender.STATE_FUND and fin.state_fund.enabled:
            sf = fin.state_fund
            women = ctx.bank_women_factor + (1 - ctx.bank_women_factor) * min(1.0, 2 * quota)
            self.terms = LoanTerms(Lender.STATE_FUND, sf.rate_monthly, sf.max_loan_usd,
                                   max(0.0, sf.fund_usd - outstanding_usd), 0.8, women,
                                   women_first=quota > 0)
        else:
            self.terms = None
        return self.terms


def trader_terms(model) -> LoanTerms:
    """Pre-finance offered by traders: anyone, small, implicit interest via the discount."""
    ctx = model.config.context
    return LoanTerms(Lender.TRADER, TRADER_EQUIVALENT_RATE, ctx.prefinance_max_usd, np.inf, 0.9,
                     needs_licence=False)


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
        slots = social.training_slots_per_month
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
        model.spend("training", len(chosen) * ctx.training_cost_usd)

    def run_programmes(self) -> None:
        """Running costs of the official buying programme."""
        programme = self.model.config.policy.market.official_buyer
        if programme.enabled:
            self.model.spend("official_buyer", programme.buying_points
                             * self.model.config.context.buying_point_cost_usd_month)

    def licensed_credit_value(self, offers: list[LoanTerms]) -> float:
        """USD/month a licensee gains from cheaper formal credit (named term 'credit')."""
        value = 0.0
        for terms in offers:
            if terms.needs_licence:
                value += terms.approval * max(0.0, TRADER_EQUIVALENT_RATE - terms.rate_monthly) \
                    * 0.5 * terms.max_loan_usd / 12.0
        return value

