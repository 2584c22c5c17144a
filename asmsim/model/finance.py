"""Submodel: finance — lenders, loans, debt service, miners' accounts (ODD 7.3).

Each month lenders post terms (:func:`post_terms`); after the sale, miners pay
their operating and access costs, service their debts, earn and consume
(:func:`settle_accounts`), borrowing when short (:func:`borrow`,
:func:`pay_with_credit`, used by every submodel that makes a miner pay).

A miner with a need (consumption below subsistence, a licence fee, equipment)
takes the cheapest offer it is approved for. Offers come from the lender
agents' posted terms; approval is a random draw with the lender's probability,
times its factor for women. Trader pre-finance is open to anyone, ties the
miner's sales to that trader and is repaid out of sales to it; its interest is
the price discount (see :mod:`asmsim.model.channels`). The tie is an enforced
contract: a sale to anyone else is detected with ``context.side_sell_detection``,
and the trader then calls the loan and refuses the miner pre-finance for
``context.trader_ban_months`` (:func:`call_loans`); a tied miner choosing where to
sell weighs that expected cost (:func:`side_sale_cost`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mesa
import numpy as np

from asmsim.model import traders
from asmsim.model.enums import Channel, Legal, Lender, LoanDraw
from asmsim.model.scale import per_population

#: What miners borrow for; each has its own loan draws (:func:`loan_uniforms`).
LOAN_PURPOSES = ("consumption", "fee", "setup", "equipment")

CREDIT_BAN_MONTHS = 24  # exclusion from formal credit after a default (assumption)
TRADER_EQUIVALENT_RATE = 0.10  # monthly cost of pre-finance a licensee escapes (assumption)


@dataclass
class LoanTerms:
    """A lender's posted terms for this month."""

    kind: Lender
    rate_monthly: float
    max_loan_usd: float
    funds_usd: float | np.ndarray  # lending capital left (inf: unconstrained); traders: each one's
    approval: float                # approval probability for an eligible miner
    women_factor: float = 1.0      # women's approval relative to men
    needs_licence: bool = True     # licensed miners or cooperative members only
    accepts_applicants: bool = False
    collateral_usd: float = 0.0    # cash a miner must show
    women_first: bool = False      # women served first from limited funds (credit quota)

    def has_funds(self) -> bool:
        funds = self.funds_usd
        return bool((funds > 0).any()) if isinstance(funds, np.ndarray) else funds > 0

    def limited(self) -> bool:
        funds = self.funds_usd
        if isinstance(funds, np.ndarray):
            return not np.isinf(funds).all()
        return not math.isinf(funds)


class _Borrowers:
    """Miners ``rows`` (usual traders ``trader``) asking for loans: what a lender checks is read
    from the miner table for the candidates it considers (those its approval draw passed),
    not for every borrower."""

    def __init__(self, rows: np.ndarray, miners, trader: np.ndarray):
        self.rows, self.miners = rows, miners
        self.trader = trader  # the trader each would borrow from (its usual trader)

    def approved(self, terms: LoanTerms, draw: np.ndarray, asking: np.ndarray) -> np.ndarray:
        """Positions of the borrowers ``asking`` whose uniform ``draw`` is below the lender's
        approval probability (times its factor for women): the larger of the two
        probabilities first picks the candidates, women's or men's then applies to them."""
        women = terms.approval * terms.women_factor
        candidates = np.flatnonzero(asking & (draw < max(terms.approval, women)))
        if terms.women_factor == 1.0:
            return candidates
        woman = self.miners.woman[self.rows[candidates]]
        return candidates[draw[candidates] < np.where(woman, women, terms.approval)]

    def woman(self, among: np.ndarray) -> np.ndarray:
        return self.miners.woman[self.rows[among]]

    def eligible(self, terms: LoanTerms, among: np.ndarray) -> np.ndarray:
        """Which borrowers ``among`` (positions) this lender would consider: status, no other
        lender, no ban, collateral."""
        m, rows = self.miners, self.rows[among]
        lender = m.lender[rows]
        if terms.kind == Lender.TRADER:  # its usual trader; it tops up its own ties
            ok = ((lender == Lender.NONE.value) | (lender == Lender.TRADER.value)) \
                & (m.trader_ban[rows] == 0)
        else:
            ok = (lender == Lender.NONE.value) & (m.credit_ban[rows] == 0)
        if terms.needs_licence:
            legal = m.legal[rows]
            status_ok = (legal == Legal.LICENSED.value) | m.coop[rows]
            if terms.accepts_applicants:
                status_ok |= legal == Legal.APPLICANT.value
            ok &= status_ok
        return ok & (m.cash[rows] >= terms.collateral_usd)

    def headroom(self, terms: LoanTerms, approved: np.ndarray) -> np.ndarray:
        """Largest new loan (USD) for borrowers ``approved``: the cap less what they owe it."""
        if terms.kind == Lender.TRADER:
            rows = self.rows[approved]
            owed = np.where(self.miners.lender[rows] == Lender.TRADER.value,
                            self.miners.debt[rows], 0.0)
            return np.maximum(terms.max_loan_usd - owed, 0.0)
        return np.full(len(approved), terms.max_loan_usd)


def grant_loans(rows: np.ndarray, need: np.ndarray, offers: list[LoanTerms], miners,
                trader: np.ndarray, uniforms: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Loans for miners ``rows`` (usual traders ``trader``) needing ``need`` (USD), cheapest approved
    offer first.

    Returns (amount USD, lender code, monthly rate) per entry of ``rows``; amount
    is 0 where nothing was granted. Limited funds go in random order (women
    first under a credit quota). ``uniforms[:, lender, draw]``: one uniform per entry of
    ``rows`` for that lender's approval or place in its queue (:func:`loan_uniforms`).
    """
    n = len(rows)
    amount = np.zeros(n)
    kind = np.zeros(n, dtype=np.int8)  # Lender.NONE
    rate = np.zeros(n)
    open_need = need > 0
    borrowers = _Borrowers(rows, miners, trader)
    for terms in sorted(offers, key=lambda t: t.rate_monthly):
        if not terms.has_funds() or not open_need.any():
            continue
        draw = uniforms[:, terms.kind, LoanDraw.APPROVE]
        approved = borrowers.approved(terms, draw, open_need)
        approved = approved[borrowers.eligible(terms, approved)]
        if len(approved) == 0:
            continue
        want = np.minimum(need[approved], borrowers.headroom(terms, approved))
        if terms.limited():
            key = uniforms[approved, terms.kind, LoanDraw.QUEUE]
            approved, want = _ration(approved, want, terms, borrowers, key)
        approved, want = approved[want > 0], want[want > 0]
        amount[approved], kind[approved], rate[approved] = want, terms.kind, terms.rate_monthly
        open_need[approved] = False
    return amount, kind, rate


def _ration(approved: np.ndarray, want: np.ndarray, terms: LoanTerms, borrowers: _Borrowers,
            key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Serve requests from the lender's funds in random order (ascending uniforms ``key``,
    one per entry of ``approved``; women first under a quota); traders' funds are each
    trader's own, each trader's requests served from them.

    Returns the served subset of ``approved`` and their amounts (USD).
    """
    key = key.astype(np.float64)
    if terms.women_first:
        key -= borrowers.woman(approved)
    if np.ndim(terms.funds_usd) == 0:
        order = _ascending(key)
        served = order[np.cumsum(want[order]) <= terms.funds_usd]
        return approved[served], want[served]
    trader = borrowers.trader[approved]
    order = _ascending(key, by=trader, groups=len(terms.funds_usd))  # by trader, then at random
    trader = trader[order]
    spent = np.cumsum(want[order])
    served = order[spent - _spent_before_group(trader, spent) <= terms.funds_usd[trader]]
    return approved[served], want[served]


def _ascending(key: np.ndarray, by: np.ndarray | None = None, groups: int = 0) -> np.ndarray:
    """Positions sorting ``key`` ascending (equal keys by position), grouped by ``by``
    (codes 0 to ``groups`` − 1) ascending if given: ``np.lexsort((key, by))``, faster.
    Unstable quicksort on the random keys, then a stable radix sort on the small group
    codes; equal keys (which random doubles practically never have) fall back to lexsort
    for the same order."""
    order = np.argsort(key)
    sorted_key = key[order]
    if np.any(sorted_key[1:] == sorted_key[:-1]):
        return np.lexsort((key,) if by is None else (key, by))
    if by is None:
        return order
    codes = by[order]
    if groups <= 2**15:
        codes = codes.astype(np.int16)  # radix sort
    return order[np.argsort(codes, kind="stable")]


def _spent_before_group(group: np.ndarray, spent: np.ndarray) -> np.ndarray:
    """For requests sorted by ``group`` (a trader) with running total ``spent`` (USD), the
    running total at the end of the previous group's requests (0 for the first), per request."""
    if len(group) == 0:
        return np.zeros(0)
    runs = np.bincount(group)  # requests per group; the groups with some, in order, are the runs
    runs = runs[runs > 0]
    before = np.empty(len(runs))  # running total at each run's start
    before[0] = 0.0
    before[1:] = spent[np.cumsum(runs[:-1]) - 1]
    return np.repeat(before, runs)


def annuity_payment(principal, rate, term_months: int):
    """Fixed monthly payment (USD/month) that repays ``principal`` (USD) with interest at
    monthly ``rate`` in ``term_months`` payments: L·r / (1 − (1 + r)^−n), or L/n at r = 0."""
    principal, rate = np.asarray(principal, dtype=float), np.asarray(rate, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        annuity = principal * rate / (1.0 - (1.0 + rate) ** -term_months)
    return np.where(rate > 0, annuity, principal / term_months)[()]


def formal_instalment(debt, rate, instalment) -> tuple[np.ndarray, np.ndarray]:
    """(interest, amount due) this month on formal loans (USD): the fixed annuity
    ``instalment``, or the whole balance with interest if that is less."""
    interest = debt * rate
    return interest, np.minimum(instalment, debt + interest)


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
                                   max(0.0, per_population(self.model, mf.fund_usd_per_1000_miners)
                                       - outstanding_usd), mf.approval,
                                   accepts_applicants=True, women_first=quota > 0)
        elif self.kind == Lender.STATE_FUND and fin.state_fund.enabled:
            sf = fin.state_fund
            women = ctx.bank_women_factor + (1 - ctx.bank_women_factor) * min(1.0, 2 * quota)
            self.terms = LoanTerms(Lender.STATE_FUND, sf.rate_monthly, sf.max_loan_usd,
                                   max(0.0, per_population(self.model, sf.fund_usd_per_1000_miners)
                                       - outstanding_usd), 0.8, women,
                                   women_first=quota > 0)
        else:
            self.terms = None
        return self.terms


def trader_offers(model) -> LoanTerms:
    """Pre-finance offered by the traders: to anyone, by its usual trader, up to
    ``prefinance_max_usd`` owed per miner (top-ups included), from what is left of that
    trader's credit budget (USD, by trader); its interest is the price discount a tied miner
    accepts."""
    ctx, m = model.config.context, model.miners
    owing = np.flatnonzero(m.active & (m.lender == Lender.TRADER.value))
    lent = np.bincount(m.tied_trader[owing], weights=m.debt[owing], minlength=len(model.traders))
    budgets = np.array([trader.credit_budget_usd for trader in model.traders])
    return LoanTerms(Lender.TRADER, TRADER_EQUIVALENT_RATE, ctx.prefinance_max_usd,
                     np.maximum(budgets - lent, 0.0), 0.9, needs_licence=False)


def licensed_credit_value(offers: list[LoanTerms]) -> float:
    """USD/month a licensee gains from cheaper formal credit (licence term 'credit')."""
    value = 0.0
    for terms in offers:
        if terms.needs_licence:
            value += terms.approval * max(0.0, TRADER_EQUIVALENT_RATE - terms.rate_monthly) \
                * 0.5 * terms.max_loan_usd / 12.0
    return value


def post_terms(model) -> None:
    """Lenders post this month's terms; traders offer pre-finance for cash needs."""
    m, now = model.miners, model.now
    outstanding = np.bincount(m.lender.astype(np.intp), weights=m.debt, minlength=len(Lender))
    offers = [lender.post_terms(float(outstanding[kind]))
              for kind, lender in model.lenders.items()]
    formal = [o for o in offers if o is not None]
    now.licensed_credit_value = licensed_credit_value(formal)
    # Traders pre-finance needs for cash (consumption, fees), not equipment.
    now.loan_offers = {"equipment": formal, "cash": [*formal, trader_offers(model)]}


def loan_offers(model, purpose: str) -> list[LoanTerms]:
    """Offers open this month for ``purpose`` (consumption | fee | equipment)."""
    return model.now.loan_offers["equipment" if purpose == "equipment" else "cash"]


def loan_uniforms(model, rows: np.ndarray, purpose: str) -> np.ndarray:
    """This month's uniforms of miners ``rows`` for loans for ``purpose`` (rows × lender
    code × :class:`LoanDraw`): one column of the per-miner stream ``loans/miners`` for each
    purpose, lender and draw (approval, place in a rationed queue), so a miner's approval
    does not depend on who else asks."""
    width = len(Lender) * len(LoanDraw)
    first = LOAN_PURPOSES.index(purpose) * width
    block = model.stream.per_miner_columns("loans/miners", model.miners.uid[rows],
                                           range(first, first + width))
    return block.reshape(len(rows), len(Lender), len(LoanDraw))


def borrow(model, rows: np.ndarray, need: np.ndarray, purpose: str) -> np.ndarray:
    """Miners ``rows`` borrow up to ``need`` (USD); returns the amounts received."""
    m = model.miners
    amount, kind, rate = grant_loans(rows, need, loan_offers(model, purpose), m,
                                     traders.usual_trader(model, rows),
                                     loan_uniforms(model, rows, purpose))
    granted = amount > 0
    if granted.any():
        book_loans(model, rows[granted], amount[granted], kind[granted], rate[granted])
    return amount


def book_loans(model, rows: np.ndarray, amount: np.ndarray, kind: np.ndarray,
               rate: np.ndarray) -> None:
    """Miners ``rows`` (distinct) receive loans of ``amount`` (USD) from lenders ``kind`` at
    monthly ``rate``; a trader's loan ties the miner to its usual trader."""
    m, now = model.miners, model.now
    now.ledger.credit_rows(m.cash, "loans", rows, amount)
    m.debt[rows] += amount
    m.lender[rows] = kind
    m.debt_rate[rows] = rate
    to_trader = kind == Lender.TRADER.value
    formal = ~to_trader  # formal borrowers hold no other loan: amount = principal
    trader = traders.usual_trader(model, rows)
    if formal.any():
        m.instalment[rows[formal]] = annuity_payment(amount[formal], rate[formal],
                                                     model.config.context.loan_term_months)
        m.tied_trader[rows[to_trader]] = trader[to_trader]
    else:  # all from traders
        m.tied_trader[rows] = trader
    now.stats["loans_usd"] += float(amount.sum())
    draw_down(now.loan_offers, kind, trader, amount)


def draw_down(offers: dict, kind: np.ndarray, trader: np.ndarray, amount: np.ndarray) -> None:
    """Take loans just made (USD, by lender ``kind``; a trader's by ``trader``) off the funds the
    month's offers have left, so that later loans this month see what remains."""
    posted = {id(t): t for group in offers.values() for t in group}.values()
    for terms in posted:
        if not terms.limited():
            continue
        mine = kind == terms.kind
        if not mine.any():  # nothing lent: its funds stay as they are
            continue
        if np.ndim(terms.funds_usd):
            used = np.bincount(trader[mine], weights=amount[mine], minlength=len(terms.funds_usd))
            terms.funds_usd = np.maximum(terms.funds_usd - used, 0.0)
        else:
            terms.funds_usd = max(0.0, terms.funds_usd - float(amount[mine].sum()))


def pay_with_credit(model, rows: np.ndarray, cost, purpose: str, *, travel: float = 0.0
                    ) -> np.ndarray:
    """Miners ``rows`` pay ``cost`` (USD; a fee to the state, or equipment) and ``travel``
    (USD, a private cost) from cash, borrowing what they lack — but only if what they
    can borrow covers it: affordability is checked before any loan is taken.

    Returns a boolean mask over ``rows`` of those who paid.
    """
    m = model.miners
    if len(rows) == 0:
        return np.zeros(0, dtype=bool)
    if np.ndim(cost):
        cost = np.asarray(cost, dtype=float)
    total = cost + travel
    short = total - m.cash[rows]
    lacking = np.flatnonzero(short > 0)
    if len(lacking):
        borrowers = rows[lacking]
        amount, kind, rate = grant_loans(borrowers, short[lacking], loan_offers(model, purpose),
                                         m, traders.usual_trader(model, borrowers),
                                         loan_uniforms(model, borrowers, purpose))
        take = (amount >= short[lacking] - 1e-9) & (amount > 0)  # it covers the shortfall
        if take.any():
            book_loans(model, rows[lacking[take]], amount[take], kind[take], rate[take])
    cash = m.cash[rows]
    paid = cash >= total - 1e-9
    ledger = model.now.ledger
    ledger.debit_rows(m.cash, "fees" if purpose == "fee" else "equipment", rows[paid],
                      cost[paid] if np.ndim(cost) else cost)
    if travel:
        ledger.debit_rows(m.cash, "travel", rows[paid], travel)
    return paid


def settle_accounts(model) -> None:
    """After the sale: costs, debt service, income, expectation and consumption."""
    pay_costs(model)
    service_debt(model)
    earn_and_consume(model)


def pay_costs(model) -> None:
    """Inputs and transport, bought with what the miner has (USD)."""
    m, ctx, now = model.miners, model.config.context, model.now
    operating = np.minimum(now.tonnes * ctx.operating_cost_usd_per_t, m.cash)
    now.ledger.debit(m.cash, "operating", operating)
    now.ledger.debit(m.cash, "access", np.minimum(now.access_cost, m.cash))


def service_debt(model) -> None:
    """Borrowers repay: traders out of sales to them, formal lenders by instalment.

    A loan unpaid for ``default_after_months`` months defaults: the lender loses the
    balance (:func:`write_off`), a formal borrower is barred from formal credit for
    ``CREDIT_BAN_MONTHS`` and a trader's debtor from every trader for
    ``context.trader_ban_months``.
    """
    m, ctx, now = model.miners, model.config.context, model.now
    now.interest_paid = np.zeros(m.n)
    np.subtract(m.credit_ban, 1, out=m.credit_ban, where=m.credit_ban > 0)
    np.subtract(m.trader_ban, 1, out=m.trader_ban, where=m.trader_ban > 0)
    call_loans(model, debtors_of(model, detect_side_sales(model)))
    rows = np.flatnonzero(m.lender != Lender.NONE.value)  # a miner without a lender owes nothing
    tied = m.lender[rows] == Lender.TRADER.value
    formal = ~tied
    debt = m.debt[rows]  # becomes each balance after this month's payment (USD)
    paid = np.empty(len(rows))  # debt service paid (USD)
    behind = np.empty(len(rows), dtype=bool)
    # A trader keeps a share of what a miner tied to it sells it (not to another trader). A
    # tied miner is behind when it produced but repaid nothing (it sold elsewhere or held).
    at, who = np.flatnonzero(tied), rows[tied]
    repay = np.minimum(np.minimum(debt[at], m.cash[who]), ctx.prefinance_repay_share
                       * now.tied_trader_revenue[who])
    paid[at] = repay + 0.0  # (+ its formal payment, none)
    debt[at] -= repay
    behind[at] = (repay <= 0) & (debt[at] > 0.01) & (m.grams[who] > 0)
    # Formal loans: the annuity fixed when the loan was made.
    at, who = np.flatnonzero(formal), rows[formal]
    interest, due = formal_instalment(debt[at], m.debt_rate[who], m.instalment[who])
    pay_formal = np.minimum(due, m.cash[who])
    paid[at] = 0.0 + pay_formal  # (a trader's repayment, none, + its payment)
    now.interest_paid[who] = np.minimum(interest, pay_formal)
    debt[at] = debt[at] + interest - pay_formal
    behind[at] = pay_formal < due - 1e-9
    now.ledger.debit_rows(m.cash, "debt_service", rows, paid)
    arrears = np.where(behind, m.arrears[rows] + 1, 0)
    defaulted = behind & (arrears >= ctx.default_after_months)
    m.debt[rows], m.arrears[rows] = debt, arrears
    write_off(model, rows[defaulted])
    m.credit_ban[rows[defaulted & formal]] = CREDIT_BAN_MONTHS
    m.trader_ban[rows[defaulted & tied]] = ctx.trader_ban_months
    now.stats["defaults"] += int(np.count_nonzero(defaulted))
    ended = rows[~defaulted & (debt <= 0.01)]
    close_loans(m, ended)


def side_sellers(model) -> np.ndarray:
    """Rows of miners bound by a pre-finance tie (their own debt, or their pit head's: the
    tie binds the pit's sales) who sold this month to anyone else (a formal buyer or
    another trader)."""
    m, now = model.miners, model.now
    tied = np.flatnonzero(m.tied_trader[:len(now.sold_to_trader)] >= 0)
    sold = (m.channel[tied] != Channel.HELD) & (now.sold_g[tied] > 0)
    return tied[sold & (now.sold_to_trader[tied] != m.tied_trader[tied])]


def debtors_of(model, rows: np.ndarray) -> np.ndarray:
    """The rows whose trader loan answers for the sales of ``rows``: a miner's own loan, or
    for a crew member under its head's tie, the head's (unique rows, owing a trader)."""
    from asmsim.model.teams import head_rows

    m = model.miners
    head, present = head_rows(model)
    owes = m.lender[rows] == Lender.TRADER.value
    through_head = rows[~owes & present[rows]]
    debtors = np.union1d(rows[owes], head[through_head])
    return debtors[m.lender[debtors] == Lender.TRADER.value]


def detect_side_sales(model) -> np.ndarray:
    """Rows of side-sellers (:func:`side_sellers`) whose trader detects the sale this month,
    each with probability ``context.side_sell_detection`` (stream ``side_sales/miners``)."""
    rows = side_sellers(model)
    stats = model.now.stats
    stats["side_sales"] += len(rows)
    if len(rows) == 0:
        return rows
    detected = rows[model.uniforms("side_sales/miners", rows)
                    < model.config.context.side_sell_detection]
    stats["side_sales_detected"] += len(detected)
    return detected


def call_loans(model, rows: np.ndarray) -> None:
    """Traders call the loans of miners ``rows`` (detected side-sellers): the balance is due
    now and paid from cash (this month's sale proceeds included); what cash does not cover
    defaults as any default does (:func:`write_off`, counted in ``defaults``). Every trader
    then refuses the miner pre-finance for ``context.trader_ban_months``."""
    if len(rows) == 0:
        return
    m, now = model.miners, model.now
    paid = np.minimum(m.debt[rows], np.maximum(m.cash[rows], 0.0))
    now.ledger.debit_rows(m.cash, "debt_service", rows, paid)
    m.debt[rows] -= paid
    now.stats["loans_called_usd"] += float(paid.sum())
    unpaid = m.debt[rows] > 0.01
    write_off(model, rows[unpaid])
    now.stats["defaults"] += int(np.count_nonzero(unpaid))
    close_loans(m, rows[~unpaid])
    m.trader_ban[rows] = model.config.context.trader_ban_months


def working_capital_need(ctx, potential_t: np.ndarray) -> np.ndarray:
    """USD a miner advances in a month before its sale (W): inputs for the ore it can move
    (``operating_cost_usd_per_t``) and food (``subsistence_usd_month``)."""
    return ctx.operating_cost_usd_per_t * potential_t + ctx.subsistence_usd_month


def formal_credit_line(model, rows: np.ndarray | None = None) -> np.ndarray:
    """USD of formal credit each miner of ``rows`` (default: all) could expect if its trader
    called its loan: the best posted formal offer it is eligible for by status, formal
    credit ban and collateral, at the offer's approval probability (× its factor for
    women) times its largest loan (within the funds left)."""
    m, now = model.miners, model.now
    rows = np.arange(m.n) if rows is None else rows
    line = np.zeros(len(rows))
    legal, coop = m.legal[rows], m.coop[rows]
    free = m.credit_ban[rows] == 0
    for terms in now.loan_offers.get("equipment", []):
        if terms.kind == Lender.TRADER or not terms.has_funds():
            continue
        ok = free & (m.cash[rows] >= terms.collateral_usd)
        if terms.needs_licence:
            status = (legal == Legal.LICENSED.value) | coop
            if terms.accepts_applicants:
                status |= legal == Legal.APPLICANT.value
            ok &= status
        approval = terms.approval * np.where(m.woman[rows], terms.women_factor, 1.0)
        loan = min(terms.max_loan_usd, float(np.max(terms.funds_usd)))
        np.maximum(line, ok * approval * loan, out=line)
    return line


def side_sale_cost(model) -> np.ndarray:
    """Expected cost (USD) to each miner row of selling this month to anyone but the trader
    it owes (0 for the untied; model-spec-v2 §9.4 c3):
    ``T = d·B·max(0, 1 − (cash + formal line)/W)·max(E[income], 0)`` — with detection
    probability ``d`` (``context.side_sell_detection``), the ban of ``B`` months
    (``context.trader_ban_months``) and the income lost for want of working capital ``W``
    (:func:`working_capital_need`) that cash and formal credit (:func:`formal_credit_line`)
    do not cover: large for illiquid miners without formal credit, 0 for those who can
    finance themselves."""
    m, ctx, now = model.miners, model.config.context, model.now
    cost = np.zeros(m.n)
    tied = np.flatnonzero(m.lender == Lender.TRADER.value)
    if len(tied) == 0 or ctx.side_sell_detection <= 0:
        return cost
    need = working_capital_need(ctx, now.potential_t[tied])
    liquid = np.maximum(m.cash[tied], 0.0) + formal_credit_line(model, tied)
    short = np.clip(1.0 - liquid / need, 0.0, 1.0)
    cost[tied] = ctx.side_sell_detection * ctx.trader_ban_months * short \
        * np.maximum(m.exp_income[tied], 0.0)
    # A crew member under its head's tie risks the pit's pre-finance: its head's cost.
    from asmsim.model.teams import head_rows

    crew = np.flatnonzero((m.tied_trader >= 0) & (m.lender != Lender.TRADER.value))
    if len(crew):
        head, present = head_rows(model)
        crew = crew[present[crew]]
        cost[crew] = cost[head[crew]]
    return cost


def close_loans(m, rows: np.ndarray) -> None:
    """Loans of miners ``rows`` end (repaid or written off): no debt, no lender, no tie."""
    m.debt[rows] = 0.0
    m.lender[rows] = Lender.NONE
    m.arrears[rows] = 0
    m.instalment[rows] = 0.0
    m.tied_trader[rows] = -1


def write_off(model, rows: np.ndarray) -> None:
    """The debts of miners ``rows`` (a default, or a borrower who left) are lost to their
    lenders: a trader's capital, a formal lender's book. The state bears its own
    programmes' losses (state fund, microfinance line) and its guarantee share of
    banks' losses, as spending on credit losses (USD)."""
    m, now = model.miners, model.now
    if len(rows) == 0:
        return
    loss_by_kind = np.bincount(m.lender[rows], weights=m.debt[rows], minlength=len(Lender))
    traders = rows[m.lender[rows] == Lender.TRADER]
    trader_loss = np.bincount(m.tied_trader[traders], weights=m.debt[traders],
                              minlength=len(model.traders))
    for trader in np.flatnonzero(trader_loss):
        model.traders[trader].defaults_usd += float(trader_loss[trader])
    now.stats["trader_defaults_usd"] += float(loss_by_kind[Lender.TRADER])
    guarantee = model.config.policy.finance.bank_guarantee_share
    for kind, lender_agent in model.lenders.items():
        lender_agent.defaults_usd += float(loss_by_kind[kind])
        state_share = guarantee if kind == Lender.BANK else 1.0
        now.spend("credit_losses", state_share * float(loss_by_kind[kind]))
    close_loans(m, rows)


def net_income(now) -> np.ndarray:
    """This month's net income per miner row (USD): revenue less royalties, operating and
    access costs, fines, seizures, bribes and formal interest."""
    flows = now.ledger.flows
    income = flows["revenue"] - flows["royalties"]
    for outflow in ("operating", "access", "fines", "seizures", "bribes"):
        if outflow in flows:  # (x − 0 is x: a flow never booked changes nothing)
            income -= flows[outflow]
    income -= now.interest_paid
    return income


def expected_income(now, income: np.ndarray) -> np.ndarray:
    """The month's income as it informs expectations (USD): a licence holder whose pit
    sold to a trader counts the expected cost of an audit (its chosen risk) instead of the
    fine it did or did not pay — a rare fine is not news about next month's income."""
    n = len(income)
    fines, exposure = now.audit_fines[:n], now.audit_exposure[:n]
    if len(fines) < n:  # no audit this month
        return income
    return income + fines - exposure


def desired_consumption(ctx, income: np.ndarray, cash: np.ndarray) -> np.ndarray:
    """Consumption wanted this month (USD): subsistence plus a share of the surplus over it,
    plus a share of the cash held beyond that."""
    subsistence = ctx.subsistence_usd_month
    desired = income - subsistence
    np.maximum(desired, 0.0, out=desired)
    desired *= ctx.consumption_share_of_surplus
    desired += subsistence
    drawdown = cash - desired
    np.maximum(drawdown, 0.0, out=drawdown)
    drawdown *= ctx.savings_drawdown
    drawdown += desired
    return drawdown


def earn_and_consume(model) -> None:
    """Net income (USD/month), its expectation, and consumption (borrowing if short)."""
    m, ctx, now = model.miners, model.config.context, model.now
    income = net_income(now)
    m.income[:] = np.where(m.active, income, 0.0)
    w = ctx.expectation_weight
    expected = (1 - w) * m.exp_income
    expected += w * expected_income(now, income)
    np.copyto(m.exp_income, expected, where=m.active)
    desired = np.where(m.active, desired_consumption(ctx, income, m.cash), 0.0)
    short = np.flatnonzero(desired > m.cash)
    if len(short):
        borrow(model, short, desired[short] - m.cash[short], "consumption")
    now.ledger.debit(m.cash, "consumption", np.minimum(desired, m.cash))
