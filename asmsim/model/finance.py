"""Process 4e: credit — who lends to whom, debt service and defaults (spec §6.6).

A miner with a need (consumption below subsistence, a licence fee, equipment)
takes the cheapest offer it is approved for. Offers come from the lender
agents' posted terms; approval is a random draw with the lender's probability,
times its factor for women. Trader pre-finance is open to anyone, ties the
miner's sales to that trader and is repaid out of sales to it; its interest is
the price discount (see :mod:`asmsim.model.channels`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from asmsim.model.enums import Legal, Lender

CREDIT_BAN_MONTHS = 24  # exclusion from formal credit after a default (assumption)


@dataclass
class LoanTerms:
    """A lender's posted terms for this month."""

    kind: Lender
    rate_monthly: float
    max_loan_usd: float
    funds_usd: float               # lending capital left (inf if unconstrained)
    approval: float                # approval probability for an eligible miner
    women_factor: float = 1.0      # women's approval relative to men
    needs_licence: bool = True     # licensed miners or cooperative members only
    accepts_applicants: bool = False
    collateral_usd: float = 0.0    # cash a miner must show
    women_first: bool = False      # women served first from limited funds (credit quota)


def eligible(terms: LoanTerms, legal, coop, cash, credit_ban, lender) -> np.ndarray:
    """Miners this lender would consider."""
    status_ok = ~np.zeros(len(legal), dtype=bool)
    if terms.needs_licence:
        status_ok = (legal == Legal.LICENSED) | coop
        if terms.accepts_applicants:
            status_ok |= legal == Legal.APPLICANT
    free = (lender == Lender.NONE) | (lender == terms.kind)
    if terms.kind != Lender.TRADER:
        free &= (lender == Lender.NONE) & (credit_ban == 0)
    return status_ok & free & (cash >= terms.collateral_usd)


def grant_loans(rows: np.ndarray, need: np.ndarray, offers: list[LoanTerms], miners,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Loans for miners ``rows`` needing ``need`` (USD), cheapest approved offer first.

    Returns (amount USD, lender code, monthly rate) per entry of ``rows``; amount
    is 0 where nothing was granted. Limited funds go in random order (women
    first under a credit quota).
    """
    n = len(rows)
    amount = np.zeros(n)
    kind = np.full(n, Lender.NONE, dtype=np.int8)
    rate = np.zeros(n)
    open_need = need > 0
    woman = miners.woman[rows]
    legal, coop, cash = miners.legal[rows], miners.coop[rows], miners.cash[rows]
    credit_ban, lender = miners.credit_ban[rows], miners.lender[rows]
    for terms in sorted(offers, key=lambda t: t.rate_monthly):
        if not open_need.any() or terms.funds_usd <= 0:
            continue
        factor = np.where(woman, terms.women_factor, 1.0)
        draw = rng.random(n)
        approved = open_need & eligible(terms, legal, coop, cash, credit_ban, lender) \
            & (draw < terms.approval * factor)
        if not approved.any():
            continue
        want = np.where(approved, np.minimum(need, terms.max_loan_usd), 0.0)
        if np.isfinite(terms.funds_usd):
            want = _ration(want, approved, terms, woman, rng)
        granted = want > 0
        amount[granted], kind[granted], rate[granted] = want[granted], terms.kind, \
            terms.rate_monthly
        open_need &= ~granted
    return amount, kind, rate


def _ration(want, approved, terms: LoanTerms, woman, rng) -> np.ndarray:
    """Cut requests to the lender's funds, serving in random order (women first if quota)."""
    idx = np.flatnonzero(approved)
    key = rng.random(len(idx)) - (woman[idx] if terms.women_first else 0)
    idx = idx[np.argsort(key, kind="stable")]
    cum = np.cumsum(want[idx])
    served = cum <= terms.funds_usd
    out = np.zeros_like(want)
    out[idx[served]] = want[idx[served]]
    return out


def formal_instalment(debt, rate, term_months: int) -> tuple[np.ndarray, np.ndarray]:
    """(interest, instalment due) this month for formal loans (USD)."""
    interest = debt * rate
    due = np.minimum(debt + interest, interest + debt / term_months)
    return interest, due
