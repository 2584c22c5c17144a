"""Credit as a lender and a ministry would check it: loans end on time, debts stay capped,
nobody keeps a loan taken for a payment that failed."""

from __future__ import annotations

import numpy as np
import pytest

from asmsim.config import load_config
from asmsim.model import ASMModel, finance, market, perception, traders
from asmsim.model.enums import Channel, Legal, Lender


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


# ----------------------------------------------------------------- the pre-finance tie
def _model_with_ties(detection: float, seed: int = 3):
    """A small model a month in, with the miners owing a trader at hand."""
    config = load_config(["miners=400", "months=12", "context.warmup_months=36",
                          f"context.side_sell_detection={detection}"])
    model = ASMModel(config, seed=seed)
    model.step()
    perception.update(model)  # this month's perception over every row (entrants included)
    m = model.miners
    rows = np.flatnonzero(m.active & (m.lender == Lender.TRADER))[:20]
    assert len(rows) >= 10, "the test needs miners owing a trader"
    return model, rows


def _side_sell(model, rows, cash):
    """Miners ``rows`` sold their month's gold to a licensed buyer, not the trader they owe."""
    m, now = model.miners, model.now
    m.channel[rows] = Channel.LICENSED_BUYER
    now.sold_g[rows] = 2.0
    now.sold_to_trader[rows] = -1
    now.tied_trader_revenue[rows] = 0.0
    m.arrears[rows] = 0
    m.cash[rows] = cash


@pytest.mark.parametrize("detection", [1.0, 0.0])
def test_a_detected_side_sale_calls_the_loan_and_bans(detection):
    """Mechanism (the tie as a debt contract): a tied miner's sale to anyone else, once its
    trader detects it, makes the balance due at once — paid from cash, the rest written
    off as a default — and every trader refuses the miner for ``trader_ban_months``. With
    detection 0 the loan runs on."""
    model, rows = _model_with_ties(detection)
    m, ctx = model.miners, model.config.context
    debt = m.debt[rows].copy()
    cash = np.where(np.arange(len(rows)) % 2 == 0, debt + 50.0, 0.5 * debt)  # half can pay
    _side_sell(model, rows, cash)
    trader = m.tied_trader[rows].copy()
    # Nobody else side-sells or reaches a default this month: the traders' losses are ours.
    others = np.setdiff1d(np.flatnonzero(m.tied_trader[:len(model.now.sold_g)] >= 0), rows)
    model.now.sold_g[others] = 0.0
    m.arrears[np.setdiff1d(np.flatnonzero(m.lender == Lender.TRADER), rows)] = 0
    losses_before = sum(t.defaults_usd for t in model.traders)
    finance.service_debt(model)
    stats = model.now.stats
    if detection == 0.0:
        assert (m.lender[rows] == Lender.TRADER).all() and (m.trader_ban[rows] == 0).all()
        assert stats["side_sales_detected"] == 0 and stats["side_sales"] >= len(rows)
        return
    assert stats["side_sales_detected"] >= len(rows)
    assert (m.lender[rows] == Lender.NONE).all() and (m.tied_trader[rows] == -1).all()
    assert np.allclose(m.debt[rows], 0.0)
    assert (m.trader_ban[rows] == ctx.trader_ban_months).all()
    can_pay = cash >= debt
    assert np.allclose(m.cash[rows][can_pay], (cash - debt)[can_pay])  # repaid from cash
    assert np.allclose(m.cash[rows][~can_pay], 0.0)  # all it had went to the trader
    unpaid = float((debt - cash)[~can_pay].sum())
    assert sum(t.defaults_usd for t in model.traders) - losses_before \
        == pytest.approx(unpaid)  # the rest is the trader's loss
    assert stats["defaults"] >= int((~can_pay).sum())
    assert len(set(trader.tolist())) >= 1
    # A banned miner gets no pre-finance from any trader.
    offers = finance.trader_offers(model)
    amount, _, _ = finance.grant_loans(rows, np.full(len(rows), 50.0), [offers], m,
                                       np.maximum(trader, 0),
                                       np.random.default_rng(0).random((len(rows), len(Lender), 2)))
    assert (amount == 0).all()


def test_liquidity_and_formal_credit_lower_the_ties_hold():
    """Economic sign (v2 c3): the expected cost of side-selling is the income lost for want
    of working capital while banned, so a tied miner with cash to finance itself, or a line
    of formal credit, risks less by selling elsewhere, and sells elsewhere more often at
    the same prices."""
    model, rows = _model_with_ties(0.5)
    m, now = model.miners, model.now
    m.cash[rows] = 0.0
    m.exp_income[rows] = 200.0
    illiquid = finance.side_sale_cost(model)[rows]
    assert (illiquid > 0).all()
    m.cash[rows] = 0.5 * finance.working_capital_need(model.config.context,
                                                      now.potential_t[rows])
    half = finance.side_sale_cost(model)[rows]
    assert (half < illiquid).all() and (half > 0).all()
    m.cash[rows] = 10_000.0
    assert (finance.side_sale_cost(model)[rows] == 0).all()  # self-financing: no hold
    # A formal line (licensed miners, with a state fund that lends to them).
    m.cash[rows] = 0.0
    m.legal[rows] = Legal.LICENSED
    model.config.policy.finance.state_fund.enabled = True
    finance.post_terms(model)
    assert (finance.formal_credit_line(model, rows) > 0).all()
    assert (finance.side_sale_cost(model)[rows] < illiquid).all()
    # In the sale: the same lots and prices, a lower hold, fewer sales to the trader owed.
    lot = np.zeros(m.n)
    lot[rows] = 5.0

    def own_trader_probability():
        wanted = market.demand(model, lot)
        values, ok = traders.option_values(wanted, model.trader_book.price)
        prob = traders.choice_probabilities(values, ok, 1.0)
        own = wanted.trader[:, rows] == m.tied_trader[rows]
        return (prob[wanted.first_trader:, rows] * own).sum(axis=0)

    with_line = own_trader_probability()
    model.config.policy.finance.state_fund.enabled = False
    finance.post_terms(model)
    without_line = own_trader_probability()
    assert (with_line <= without_line + 1e-12).all() and with_line.mean() < without_line.mean()


def test_a_miners_loan_does_not_depend_on_who_else_asks():
    """Common random numbers for credit: where the lenders' funds do not bind, whether a
    miner's request is approved (and by whom) is its own draw, keyed by miner id for each
    purpose and lender (``loans/miners``), not the n-th draw of a stream shared by every
    borrower of the month, which moved with the number asking before it."""
    config = load_config(["miners=500", "months=1", "context.warmup_months=24"])
    everyone, half = ASMModel(config, seed=4), ASMModel(config, seed=4)
    rows = np.flatnonzero(everyone.miners.active & (everyone.miners.lender == Lender.NONE))
    kept = rows[::2]
    need = 1.0  # USD: too little for any lender's funds to bind
    got_all = finance.borrow(everyone, rows, np.full(len(rows), need), "consumption")
    got_half = finance.borrow(half, kept, np.full(len(kept), need), "consumption")
    granted = got_half > 0
    assert 0 < granted.sum() < len(kept)  # the draws decide some requests, not all
    np.testing.assert_array_equal(got_all[::2], got_half)
    np.testing.assert_array_equal(everyone.miners.lender[kept], half.miners.lender[kept])
