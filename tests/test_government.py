"""The government's budget as a ministry of finance would check it."""

from __future__ import annotations

from asmsim.config import load_config
from asmsim.model import ASMModel

REFORM = ["scenario=integrated", "miners=600", "months=36",
          "policy.finance.state_fund.enabled=false", "policy.finance.microfinance.enabled=false",
          "policy.finance.bank_guarantee_share=0"]  # no credit losses: programmes only


def _run(extra: list[str], seed: int = 4):
    model = ASMModel(load_config([*REFORM, *extra]), seed=seed)
    return model, model.run()


def test_a_constrained_budget_never_spends_what_it_does_not_have():
    """Mechanism: programmes are funded in priority order from the budget's balance."""
    _, free = _run(["policy.budget.transfer_usd_per_1000_miners_month=200"])
    _, tight = _run(["policy.budget.transfer_usd_per_1000_miners_month=200",
                     "policy.budget_constrained=true"])
    assert free["state_budget_usd"].min() < 0, "the unconstrained reform should run a deficit"
    assert tight["state_budget_usd"].min() >= -1e-6
    assert tight["state_spending_usd"].sum() < free["state_spending_usd"].sum()
    assert tight["trained_share"].iloc[-1] < free["trained_share"].iloc[-1]


def test_a_budget_that_does_not_bind_changes_nothing():
    """With a transfer far above every programme's cost, the constrained run is the free run."""
    rich = ["policy.budget.transfer_usd_per_1000_miners_month=1000000"]
    _, free = _run(rich)
    _, bound = _run([*rich, "policy.budget_constrained=true"])
    assert free.equals(bound)


def test_each_month_spends_at_most_what_the_budget_held():
    """Programme spending in a month never exceeds the balance it started with plus the
    month's transfer (revenue arrives at the month's end)."""
    _, table = _run(["policy.budget.transfer_usd_per_1000_miners_month=300",
                     "policy.budget_constrained=true"])
    available = (table["state_budget_usd"].shift(1) + table["state_transfer_usd"]).iloc[1:]
    spent = table["state_spending_usd"].iloc[1:]
    assert (spent <= available + 1e-6).all()


def test_a_miner_picked_for_training_is_picked_whoever_else_is_a_candidate():
    """Common random numbers for training: slots go to the candidates with the lowest keys,
    each miner's key its own (``training/miners``, by miner id), so a miner picked among
    many candidates is also picked among fewer (a random order drawn anew for each
    month's candidates picked others as soon as their number changed)."""
    import numpy as np

    config = load_config(["miners=600", "months=1", "context.warmup_months=12",
                          "policy.social.training_slots_per_1000_miners=40",
                          "policy.social.women_priority=0.5"])
    many, few = ASMModel(config, seed=6), ASMModel(config, seed=6)
    candidates = np.flatnonzero(many.miners.active & ~many.miners.trained)
    few.miners.trained[candidates[1::2]] = True  # no longer candidates
    kept = candidates[::2]
    many.government.train()
    few.government.train()
    picked_among_many = kept[many.miners.trained[kept]]
    assert len(picked_among_many) >= 5
    assert few.miners.trained[picked_among_many].all()
    assert few.miners.trained[kept].sum() > len(picked_among_many)  # the slots freed go on
