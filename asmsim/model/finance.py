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


class _Borrowers:
    """What lenders check about miners ``rows`` (read once per round of loans)."""

    def __init__(self, rows: np.ndarray, miners):
        self.legal = miners.legal[rows]
        self.cash = miners.cash[rows]
        self.woman = miners.woman[rows]
        lender = miners.lender[rows]
        self.unattached = lender == Lender.NONE
        self.with_trader = lender == Lender.TRADER
        self.no_ban = miners.credit_ban[rows] == 0
        self.licensed_or_member = (self.legal == Legal.LICENSED) | miners.coop[rows]

    def eligible(self, terms: LoanTerms) -> np.ndarray:
        """Miners this lender would consider: status, no other lender, no ban, collateral."""
        if terms.kind == Lender.TRADER:
            ok = self.unattached | self.with_trader  # a trader tops up its own ties
        else:
            ok = self.unattached & self.no_ban
        if terms.needs_licence:
            status_ok = self.licensed_or_member
            if terms.accepts_applicants:
                status_ok = status_ok | (self.legal == Legal.APPLICANT)
            ok &= status_ok
        return ok & (self.cash >= terms.collateral_usd)


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
    borrowers = _Borrowers(rows, miners)
    for terms in sorted(offers, key=lambda t: t.rate_monthly):
        if terms.funds_usd <= 0 or not open_need.any():
            continue
        draw = rng.random(n)
        approval = terms.approval if terms.women_factor == 1.0 else \
            np.where(borrowers.woman, terms.approval * terms.women_factor, terms.approval)
        approved = np.flatnonzero(open_need & borrowers.eligible(terms) & (draw < approval))
        if len(approved) == 0:
            continue
        want = np.minimum(need[approved], terms.max_loan_usd)
        if np.isfinite(terms.funds_usd):
            approved, want = _ration(approved, want, terms, borrowers.woman, rng)
        approved, want = approved[want > 0], want[want > 0]
        amount[approved], kind[approved], rate[approved] = want, terms.kind, terms.rate_monthly
        open_need[approved] = False
    return amount, kind, rate


def _ration(approved: np.ndarray, want: np.ndarray, terms: LoanTerms, woman: np.ndarray,
            rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Serve requests from the lender's funds in random order (women first under a quota).

    Returns the served subset of ``approved`` and their amounts (USD).
    """
    key = rng.random(len(approved)) - (woman[approved] if terms.women_first else 0)
    order = np.argsort(key, kind="stable")
    served = order[np.cumsum(want[order]) <= terms.funds_usd]
    return approved[served], want[served]


def formal_instalment(debt, rate, term_months: int) -> tuple[np.ndarray, np.ndarray]:
    """(interest, instalment due) this month for formal loans (USD)."""
    interest = debt * rate
    due = np.minimum(debt + interest, interest + debt / term_months)
    return interest, due
