"""Traders as economic agents (ODD 7.2.1): their value of gold, their smuggling decision and
their prices come from arbitrage and competition, and the recorder only counts them.

Unit tests check the formulas against their definitions (the smuggling option against a
Monte Carlo of route costs, the ζ-map against the first-order condition of a logit
oligopsony); model tests check that the patterns come from these decisions: knocking
the pricing mechanism out (``context.trader_pricing=false``) removes the response of
the traders' smuggled share to the royalty.
"""

from __future__ import annotations

import numpy as np
import pytest

from asmsim.config import load_config
from asmsim.model import ASMModel, traders
from asmsim.run.api import simulate


# ----------------------------------------------------------------- smuggling decision
def test_smuggling_option_matches_a_monte_carlo_of_route_costs():
    """s = P(χ ≤ χ*) and the option value E[(χ* − χ)⁺] for lognormal route costs."""
    rng = np.random.default_rng(1)
    median, sigma, break_even = np.array([0.015, 0.03]), 0.8, 0.04
    share, option = traders.smuggling_option(break_even, median, sigma)
    for j in range(2):
        chi = median[j] * rng.lognormal(0.0, sigma, 400_000)
        assert share[j] == pytest.approx(np.mean(chi <= break_even), abs=0.005)
        assert option[j] == pytest.approx(np.mean(np.maximum(break_even - chi, 0.0)), rel=0.02)


def test_smuggling_responds_to_the_royalty_gap_and_to_the_border():
    """Mechanism: a lower royalty makes declaring pay more, so fewer batches are worth
    smuggling; so does a higher chance of being caught at the border."""
    median = np.array([0.015])

    def smuggled(royalty, interdiction):
        declared = traders.declared_value_share(royalty, 0.03, 0.0)
        chi = traders.smuggling_break_even(declared, interdiction, 0.5, 0.03, 0.05)
        return traders.smuggling_option(chi, median, 1.0)[0][0]

    assert smuggled(0.025, 0.02) < smuggled(0.07, 0.02)
    assert smuggled(0.07, 0.2) < smuggled(0.07, 0.02)
    assert smuggled(0.07, 1.0) == 0.0  # every batch caught: nothing is worth smuggling


# ----------------------------------------------------------------- trader prices
def _equilibrium_margins(lots, values, rival_price=None, lam=1.0, months=60):
    """Iterate the traders' ζ-map on fixed sellers (two traders; an optional third,
    fixed-price option such as an official buyer); return the margins (USD/g)."""
    n = len(lots)
    price = values - 5.0
    margin = values - price
    trader = np.vstack([np.zeros(n, dtype=int), np.ones(n, dtype=int)])
    for _ in range(months):
        options = lots * price[trader]
        if rival_price is not None:
            options = np.vstack([options, lots * rival_price])
        prob = traders.choice_probabilities(options, None, lam)[:2]
        weighted = prob * lots
        rows = [np.bincount(trader.ravel(), weights=x.ravel(), minlength=2)
                for x in (weighted, weighted * (1 - prob), weighted * lots,
                          weighted * lots * prob)]
        margin = traders.zeta_margin(lam, 0.0, np.array(rows), margin, np.zeros(2))
        price = values - margin
    return margin, prob


def test_trader_margin_solves_the_logit_oligopsony_first_order_condition():
    """At the fixed point m = G / (λ Σ g² π(1 − π)), and two identical traders facing one
    lot size g share the sellers with the textbook margin 2 / (λ g)."""
    lots = np.full(200, 4.0)
    margin, prob = _equilibrium_margins(lots, np.array([68.0, 68.0]))
    assert margin == pytest.approx([2 / (1.0 * 4.0)] * 2, rel=1e-4)
    assert prob.mean(axis=1) == pytest.approx([0.5, 0.5], abs=1e-6)


def test_a_competitor_paying_more_narrows_the_traders_margin():
    """Mechanism (competition): an official buyer paying close to the traders' value takes
    sellers unless traders pay more, so their margin falls and their price rises."""
    lots = np.random.default_rng(2).lognormal(1.0, 0.8, 500)
    values = np.array([68.0, 68.0])
    alone, _ = _equilibrium_margins(lots, values, rival_price=None)
    pressed, _ = _equilibrium_margins(lots, values, rival_price=67.5)
    assert (pressed < alone).all()


# ----------------------------------------------------------------- in the model
SMALL = ["miners=800", "months=48", "context.warmup_months=60"]


def _traders_smuggled_share(table):
    late = table[table.month > 24]
    return late["trader_smuggled_kg"].sum() / late["trader_bought_kg"].sum()


@pytest.mark.parametrize("seed", [3, 4])
def test_smuggling_response_to_the_royalty_comes_from_traders_decisions(seed):
    """Pattern 2's mechanism: cutting the royalty lowers the share of their gold traders
    smuggle; with trader pricing knocked out (a fixed margin, the smuggled share frozen)
    the response is gone."""
    cut = ["policy.market.royalty_rate=0.025"]
    with_mechanism = _traders_smuggled_share(simulate([*SMALL, *cut], seed=seed)) \
        - _traders_smuggled_share(simulate(SMALL, seed=seed))
    knocked_out = ["context.trader_pricing=false"]
    without = _traders_smuggled_share(simulate([*SMALL, *knocked_out, *cut], seed=seed)) \
        - _traders_smuggled_share(simulate([*SMALL, *knocked_out], seed=seed))
    assert with_mechanism < -0.02
    assert abs(without) < 0.005


def test_border_enforcement_is_costed_and_cuts_smuggling():
    """More border control costs the state (enforcement spending) and leaves less gold
    worth smuggling."""
    base = simulate(SMALL, seed=5)
    tight = simulate([*SMALL, "policy.market.border_interdiction_prob=0.08"], seed=5)
    late = slice(24, None)
    assert tight["trader_smuggled_kg"][late].sum() < base["trader_smuggled_kg"][late].sum()
    assert tight["spending_enforcement_usd"][late].sum() \
        > base["spending_enforcement_usd"][late].sum()


def test_official_buyer_never_buys_beyond_its_capacity_or_fund():
    """The official buyer's purchases are within ν kg per open point and within its fund."""
    config = load_config(["scenario=official_buying", "miners=800", "months=24",
                          "context.warmup_months=24", "policy.market.royalty_rate=0.0",
                          "policy.market.official_buyer.price_share=0.99",
                          "policy.market.official_buyer.fund_usd_per_1000_miners=20000"])
    model = ASMModel(config, seed=6)
    for _ in range(24):
        fund_before = model.official_buyer.fund_usd
        model.step()
        bought_g = model.last_row["official_buyer_kg"] * 1000
        assert bought_g <= model.official_buyer.capacity_g + 1e-6
        if fund_before is not None:
            assert model.official_buyer.fund_usd >= -1e-6
    assert model.table()["official_buyer_rationed_kg"].sum() > 0


def test_trips_are_per_month_so_small_lots_favour_the_trader():
    """Selling formally costs a trip whatever the lot: of two licensees at the same place,
    the one with the smaller lot gains less from the formal buyer's better price."""
    from asmsim.config.schema import Config
    from asmsim.model.channels import ChannelCosts, trip_costs

    costs = ChannelCosts.from_context(Config().context)
    trip = trip_costs(costs, np.array([4.0, 4.0]), np.array([1e6, 1e6]))[0]
    assert trip[0] == trip[1] > 0
    gap_per_g = 2.0  # the licensed buyer pays 2 USD/g more, net of royalty
    small, large = 1.0, 20.0
    assert small * gap_per_g - trip[0] < 0 < large * gap_per_g - trip[1]


# ----------------------------------------------------------------- audits of licensees
def _licensee_trader_share(config, seed, months=24):
    """Share of licensees' gold sold to informal traders over ``months``, and the audit
    counts and fines of the run."""
    from asmsim.model.enums import Channel, Legal

    model = ASMModel(config, seed=seed)
    to_trader = sold = 0.0
    audits = revoked = fines = audit_fines = revenue = 0.0
    for _ in range(months):
        licensed = model.miners.legal == Legal.LICENSED
        model._simulate_month()  # the month's rows as sold, before any compaction
        m, now = model.miners, model.now
        n = len(now.sold_g)
        mask = np.concatenate([licensed[:n], np.zeros(max(n - len(licensed), 0), dtype=bool)])
        sold += float(now.sold_g[mask].sum())
        to_trader += float(now.sold_g[mask & (m.channel[:n] == Channel.TRADER)].sum())
        audit_fines += now.stats["audit_fines_usd"]
        model._record()
        model._compact_if_sparse()
        row = model.last_row
        audits += row["audits"]
        revoked += row["licences_revoked"]
        fines += row["fines_usd"]
        revenue += row["state_revenue_usd"]
        assert row["fines_usd"] >= now.stats["audit_fines_usd"] - 1e-9
    return to_trader / sold, audits, revoked, audit_fines, fines, revenue


def test_audits_fine_licensees_who_sell_to_traders_and_deter_it():
    """Mechanism (v2 b5): a licensee that sold to a trader is audited with
    ``policy.legal.licensee_audit_prob``, fined (state revenue) and may lose its licence;
    licensees weigh the expected cost, so more audits lower their sales to traders
    (paired runs, common random numbers)."""
    size = ["miners=800", "context.warmup_months=60", "context.initial_licensed_share=0.3"]
    diffs = []
    for seed in (11, 12, 13):
        low = _licensee_trader_share(load_config([*size, "policy.legal.licensee_audit_prob=0.05"]),
                                     seed)
        high = _licensee_trader_share(load_config([*size, "policy.legal.licensee_audit_prob=0.3"]),
                                      seed)
        _, audits, revoked, audit_fines, fines, revenue = low  # some still sell to traders
        assert audits > 0 and revoked > 0 and audit_fines > 0
        assert fines >= audit_fines and revenue >= fines  # audit fines are state revenue
        diffs.append(high[0] - low[0])
    diffs = np.array(diffs)
    assert diffs.max() < 0, f"licensees' trader share, more audits − fewer: {diffs}"


def test_audits_cost_the_enforcement_budget():
    """Each audit costs ``context.audit_cost_usd`` of enforcement spending."""
    size = ["miners=800", "months=12", "context.warmup_months=60",
            "context.initial_licensed_share=0.3", "policy.legal.inspection_prob=0",
            "policy.market.trader_inspection_prob=0", "policy.market.border_interdiction_prob=0"]
    table = simulate([*size, "policy.legal.licensee_audit_prob=0.3"], seed=14)
    late = table[table.month > 0]
    assert late["audits"].sum() > 0
    cost = load_config(size).context.audit_cost_usd
    assert late["spending_enforcement_usd"].sum() == pytest.approx(late["audits"].sum() * cost)


# ----------------------------------------------------------------- trader inspections, licences
def test_inspections_confiscate_fine_and_revoke_trader_licences():
    """Mechanism (issue 10 §1, v2 b6): an inspection confiscates gold a trader was to smuggle
    and fines it (state revenue, costed as enforcement); a licensed trader found smuggling
    loses its licence. Licensing makes declaring pay more: licensed traders smuggle a
    smaller share."""
    common = [*SMALL, "policy.market.trader_licensing_share=0.5"]
    base = simulate(common, seed=8)
    inspected = simulate([*common, "policy.market.trader_inspection_prob=0.1"], seed=8)
    late = slice(1, None)
    assert inspected["trader_fines_usd"][late].sum() > 0
    assert inspected["trader_licences_revoked"][late].sum() > 0
    assert inspected["licensed_traders"][late].min() < base["licensed_traders"][late].max()
    assert (inspected["state_revenue_usd"] >= inspected["trader_fines_usd"] - 1e-6).all()
    assert inspected["spending_enforcement_usd"][late].sum() \
        > base["spending_enforcement_usd"][late].sum()
    assert inspected["trader_smuggled_kg"][late].sum() < base["trader_smuggled_kg"][late].sum()
    model = ASMModel(load_config([*common, "months=2"]), seed=8)
    model.step()
    book = model.trader_book
    licensed = book.licensed.copy()
    assert licensed.any() and not licensed.all()
    assert (book.smuggle_share[licensed].max() < book.smuggle_share[~licensed].min()
            or book.smuggle_share[licensed].mean() < book.smuggle_share[~licensed].mean())
    fines, revoked = traders.penalise(model, np.ones(book.n, dtype=bool))
    assert fines == pytest.approx(book.n * model.config.policy.market.trader_fine_usd)
    assert revoked == int(licensed.sum()) and not book.licensed.any()
    assert (book.licence_lost[licensed] == model.config.context.trader_licence_loss_months).all()
