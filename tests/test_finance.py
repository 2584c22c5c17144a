"""Credit as a lender and a ministry would check it: loans end on time, debts stay capped,
nobody keeps a loan taken for a payment that failed."""

from __future__ import annotations

import numpy as np
import pytest

from asmsim.config import load_config
from asmsim.model import ASMModel
from asmsim.model import finance
from asmsim.model.enums import Lender


def _model_with_loans(term: int, rate: float, principal: float, cash: float, seed: int = 5):
    """A small model in which 20 miners have just taken a formal loan, with ``cash`` in hand."""
    config = load_config(["miners=200", "months=40", f"context.loan_term_months={term}",
                          "context.exit_rate=0", "context.background_exit_monthly=0"])
    model = ASMModel(config, seed=seed)
    model.step()  # a month's record (and ledger) over the initial miners' rows
    m = model.miners
    rows = np.flatnonzero(m.active & (m.lender == Lender.NONE))[:20]
    m.cash[rows] = cash
    finance.book_loans(model, rows, np.full(len(rows), principal),
                       np.full(len(rows), Lender.MICROFINANCE, dtype=np.int8),
                       np.full(len(rows), rate))
    return model, rows


@pytest.mark.parametrize("term, rate", [(12, 0.03), (6, 0.0), (24, 0.01)])
def test_a_serviced_loan_ends_at_its_term(term, rate, monkeypatch):
    """Mechanism: formal loans amortise their principal over the term (annuity)."""
    monkeypatch.setattr("asmsim.model.model.COMPACT_AT_INACTIVE_SHARE", 1.0)  # rows stay put
    model, rows = _model_with_loans(term, rate, principal=500.0, cash=50_000.0)
    m = model.miners
    for month in range(1, term + 1):
        model.step()
        still = m.lender[rows] == Lender.MICROFINANCE
        assert m.active[rows].all()
        if month < term:
            assert still.all(), f"loan ended early, in month {month} of {term}"
    assert (m.lender[rows] == Lender.NONE).all(), \
        f"after {term} instalments {int(still.sum())} of 20 loans still run " \
        f"(balances {m.debt[rows][still][:3]} USD)"
    assert np.allclose(m.debt[rows], 0.0)


def test_annuity_instalments_repay_principal_and_interest():
    """A 12-month annuity at 3 %/month: 12 equal payments of L·r/(1 − (1 + r)^−12)."""
    payment = finance.annuity_payment(1000.0, 0.03, 12)
    assert payment == pytest.approx(1000.0 * 0.03 / (1 - 1.03 ** -12))
    assert finance.annuity_payment(1200.0, 0.0, 12) == pytest.approx(100.0)


def test_no_loan_is_kept_for_a_payment_that_failed(monkeypatch):
    """Mechanism: affordability is checked before borrowing (cash + approved credit line ≥ cost).

    A licence fee far above any miner's cash and credit line: those who want a licence
    cannot pay it, and none of them may end up with a loan (or a trader tie) for it.
    """
    calls = []
    original = finance.pay_with_credit

    def spy(model, rows, cost, purpose, **kwargs):
        debt_before = model.miners.debt[rows].copy()
        paid = original(model, rows, cost, purpose, **kwargs)
        calls.append((model.miners.debt[rows] - debt_before, paid))
        return paid

    monkeypatch.setattr(finance, "pay_with_credit", spy)
    for module in ("formalization", "technology"):
        monkeypatch.setattr(f"asmsim.model.{module}.pay_with_credit", spy)
    config = load_config(["miners=400", "months=36", "policy.legal.licence_fee_usd=4000",
                          "context.initial_cash_usd=20"])
    ASMModel(config, seed=2).run()
    failed = sum(int((~paid).sum()) for _, paid in calls)
    borrowed_and_failed = sum(int(((debt > 0) & ~paid).sum()) for debt, paid in calls)
    assert failed > 0, "the test needs payments that fail"
    assert borrowed_and_failed == 0, \
        f"{borrowed_and_failed} of {failed} failed payments left the miner with a new loan"


def test_debts_stay_within_their_caps():
    """Mechanism: trader pre-finance is capped per miner (top-ups included) and per trader
    (its credit budget); a formal loan is at most the lender's largest loan plus the
    interest of the months in arrears before a default."""
    config = load_config(["scenario=integrated", "miners=400", "months=60"])
    model = ASMModel(config, seed=7)
    ctx = model.config.context
    worst_formal = 0.0
    for _ in range(60):
        model.step()
        m = model.miners
        trader = m.active & (m.lender == Lender.TRADER)
        assert m.debt[trader].max(initial=0.0) <= ctx.prefinance_max_usd + 1e-6, \
            f"a tied miner owes {m.debt[trader].max():.0f} USD > cap {ctx.prefinance_max_usd}"
        lent = np.bincount(m.tied_trader[trader], weights=m.debt[trader],
                           minlength=len(model.traders))
        budgets = np.array([t.credit_budget_usd for t in model.traders])
        assert (lent <= budgets + 1e-6).all(), f"traders lent {lent} USD > budgets {budgets}"
        for kind, lender in model.lenders.items():
            owing = m.active & (m.lender == kind)
            if lender.terms is not None and owing.any():
                cap = lender.terms.max_loan_usd * (1 + lender.terms.rate_monthly) \
                    ** ctx.default_after_months
                worst_formal = max(worst_formal, float((m.debt[owing] / cap).max()))
    assert worst_formal <= 1.0 + 1e-9
