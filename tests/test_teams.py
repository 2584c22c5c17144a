"""Pits and teams (issue 10 §2; ODD 7.7, 7.10): a pit's ore is bounded by its scarcest
stage, shares add up to the pit's output, a head's licence and tie cover its crew, women
can own pits and hold licences, and the land lever raises their share with the context
unchanged. The knock-out ``context.teams = false`` shows which patterns come from teams.
"""

from __future__ import annotations

import numpy as np
import pytest

from asmsim.config import load_config
from asmsim.model import ASMModel, teams
from asmsim.model.enums import Channel, Legal, Lender, Role
from asmsim.run import replicate_seeds, run_tasks
from asmsim.run.api import simulate
from tests.conftest import TEST_JOBS

D, P, H = Role.DIGGER, Role.PROCESSOR, Role.HAULER


def _ore(context, members: dict[Role, float]) -> float:
    """Ore (t/month) of one pit with ``members`` (effort by role)."""
    by_role = np.zeros((1, 3))
    for role, effort in members.items():
        by_role[0, role] += effort
    return float(teams.pit_ore(teams.stage_capacities(context, by_role))[0])


def test_the_scarcest_stage_binds():
    """Leontief: with no help across stages, a digger added to a pit short of haulers
    adds nothing; a hauler adds what the haulage stage gains."""
    context = load_config(["context.helper_share=0"]).context
    short = {D: 6.0, P: 3.0, H: 1.0}  # haulage binds: 13 t < 39 (dig) and 39 (process)
    assert _ore(context, short) == pytest.approx(13.0)
    assert _ore(context, {**short, D: 7.0}) == _ore(context, short)
    assert _ore(context, {**short, H: 2.0}) == pytest.approx(26.0)
    # With the default help a digger lends a hand (σ of the hauling rate), a hauler more.
    default = load_config([]).context
    base = _ore(default, short)
    more_diggers = _ore(default, {**short, D: 7.0})
    more_haulers = _ore(default, {**short, H: 2.0})
    assert base < more_diggers < more_haulers
    assert more_diggers - base == pytest.approx(default.helper_share * default.haul_rate_t)


def test_more_hands_never_lower_a_pits_ore():
    """Economic sign: adding effort in any role, above all in the scarce stage, does not
    lower a pit's ore (random pits)."""
    context = load_config([]).context
    rng = np.random.default_rng(0)
    by_role = rng.exponential(1.0, (500, 3)) * rng.integers(0, 2, (500, 3))
    ore = teams.pit_ore(teams.stage_capacities(context, by_role))
    for role in range(3):
        more = by_role.copy()
        more[:, role] += rng.exponential(1.0, 500)
        assert (teams.pit_ore(teams.stage_capacities(context, more)) >= ore - 1e-12).all()
    scarce = teams.stage_capacities(context, by_role).argmin(axis=0)
    more = by_role.copy()
    more[np.arange(500), scarce] += 1.0
    gained = teams.pit_ore(teams.stage_capacities(context, more)) - ore
    assert (gained >= -1e-12).all() and (gained > 0).mean() > 0.9


def test_shares_add_up_to_each_pits_output(monkeypatch):
    """Accounts close in every pit, every month: members' ore and gold add up to the pit's
    ore (its scarcest stage) and gold; shares are ω_O to the owner plus the workers'."""
    produce = teams.produce
    checked = []

    def audited(model, working):
        produce(model, working)
        m, ctx, now = model.miners, model.config.context, model.now
        head, _ = teams.head_rows(model)
        effort = teams.effort(ctx, m, working)
        by_role = teams.effort_by_role(head, m.role, effort, m.n)
        ore = teams.pit_ore(teams.stage_capacities(ctx, by_role))
        np.testing.assert_allclose(np.bincount(head, weights=now.tonnes, minlength=m.n), ore,
                                   rtol=1e-9, atol=1e-9)
        share = np.divide(now.tonnes, ore[head], out=np.zeros(m.n), where=ore[head] > 0)
        total = np.bincount(head, weights=share, minlength=m.n)
        np.testing.assert_allclose(total[ore > 0], 1.0, rtol=1e-9)
        # Gold: every member's grams per tonne is its pit's (grade × recovery × flood).
        producing = np.flatnonzero(now.tonnes > 0)
        per_t = m.grams[producing] / now.tonnes[producing]
        np.testing.assert_allclose(per_t, (m.grams / np.where(now.tonnes > 0, now.tonnes, 1.0))
                                   [head[producing]], rtol=1e-9)
        # The owner of a producing crew takes at least ω_O.
        crews = np.flatnonzero((ore > 0) & (np.bincount(head, minlength=m.n) > 1))
        assert (share[crews] >= ctx.pit_owner_share - 1e-9).all()
        checked.append(len(crews))

    monkeypatch.setattr(teams, "produce", audited)
    config = load_config(["miners=600", "months=12", "context.warmup_months=24"])
    ASMModel(config, seed=4).run()
    assert len(checked) >= 12 and max(checked) > 0


def _model(seed: int = 6, *overrides: str) -> ASMModel:
    config = load_config(["miners=1000", "months=12", "context.warmup_months=60", *overrides])
    model = ASMModel(config, seed=seed)
    model.run()
    return model


def test_a_licensed_owners_crew_is_covered_and_counted_licensed():
    model = _model()
    m = model.miners
    head, _ = teams.head_rows(model)
    crew = np.flatnonzero(m.active & (m.pit != m.uid))
    licensed_owner = m.legal[head[crew]] == Legal.LICENSED
    assert licensed_owner.any(), "no licensed pit with a crew to check"
    assert (m.legal[crew[licensed_owner]] == Legal.LICENSED).all()
    assert m.covered[crew[licensed_owner]].all()
    assert not m.covered[crew[~licensed_owner]].any()
    assert (m.legal[crew[~licensed_owner]] == Legal.INFORMAL).all()
    # The output counts the covered crew as licensed, and not as licence holders.
    active = m.active
    assert model.last_row["licensed_share"] == pytest.approx(
        np.count_nonzero(active & (m.legal == Legal.LICENSED)) / np.count_nonzero(active))
    # Only heads apply, renew or hold: a lapsed owner's crew loses its cover.
    owner = head[crew[licensed_owner][0]]
    m.legal[owner] = Legal.INFORMAL
    teams.cover(model)
    members = np.flatnonzero(m.active & (head == owner) & (m.pit != m.uid))
    assert (m.legal[members] == Legal.INFORMAL).all() and not m.covered[members].any()


def test_a_head_values_only_licence_plots_with_room_for_its_crew():
    """ODD 7.8: a head that must move for a licence weighs only cells where its pit fits
    (the head and the crew its licence covers); a pit that fits nowhere finds no plot."""
    from asmsim.model import formalization, space

    model = _model()
    m = model.miners
    heads = np.flatnonzero(m.active & (m.pit == m.uid))
    crew = teams.crew_size(model, heads)
    assert (crew > 0).any() and (crew == 0).any()
    room = space.unreserved_plots(model)
    target, _ = formalization.best_plots(model, m.site[heads], need=1 + crew)
    placed = target >= 0
    assert placed.any()
    assert (room[target[placed]] >= 1 + crew[placed]).all()
    too_big = np.full(len(heads), int(model.config.context.plots_per_cell) + 1)
    assert (formalization.best_plots(model, m.site[heads], need=too_big)[0] == -1).all()


def test_a_licence_granted_elsewhere_brings_the_crew_along():
    """ODD 7.8: the crew of a head granted a plot on another cell moves with it, covered,
    as far as the cell has plots no licensee holds; informal miners there give way."""
    from asmsim.model import space

    model = _model()
    m = model.miners
    head = teams.head_rows(model)[0]
    crew = np.flatnonzero(m.active & (m.pit != m.uid) & (m.plotless == 0))
    h = head[crew[m.legal[head[crew]] == Legal.INFORMAL]][0]
    members = crew[head[crew] == h]
    free = space.licence_free_plots(model)
    cell = int(np.flatnonzero((free >= len(members) + 1)
                              & (np.arange(len(free)) != m.site[h]))[0])
    m.site[h], m.legal[h] = cell, Legal.LICENSED
    m.licence_expiry[h] = model.month + 48
    teams.follow_licence(model, np.array([h]))
    assert (m.site[members] == cell).all()
    assert (m.legal[members] == Legal.LICENSED).all() and m.covered[members].all()
    assert (m.licence_expiry[members] == m.licence_expiry[h]).all()


def test_every_granted_head_keeps_its_whole_crew(monkeypatch):
    """ODD 7.8, over runs with many grants: a head granted a licence for a plot on
    another cell takes a plot where its whole pit fits — its reserved plot only if the
    crew fits there too, counting the pits granted before it in the queue and the plots
    that applications not yet due reserved — so no member with a plot is left behind.
    (Before this was asserted, 24 % of the members of heads granted elsewhere stayed
    behind as solos: a head took its reserved plot whatever the room, and heads granted
    the same month were each checked against the same free plots; licensees then earned
    ≈ 40 USD/month less than matched informal heads, docs/validation.md. Until
    2026-12-03 a head's allotment ignored reservations where its crew's did not: 6 of 706
    members over 12 seeds stayed behind.)"""
    from asmsim.model import formalization

    granted_heads, left_behind, members_seen = 0, 0, 0
    process_queue = formalization.process_queue

    def checked(model) -> None:
        nonlocal granted_heads, left_behind, members_seen
        m = model.miners
        head, _ = teams.head_rows(model)
        waiting = m.active & (m.legal == Legal.APPLICANT)
        crew = np.flatnonzero(m.active & (m.pit != m.uid) & (m.plotless == 0)
                              & waiting[head])
        crew_uid, head_uid = m.uid[crew].copy(), m.uid[head[crew]].copy()
        process_queue(model)
        m = model.miners
        row = {int(u): r for r, u in enumerate(m.uid)}
        heads = np.array([row[int(u)] for u in head_uid], dtype=np.int64)
        members = np.array([row[int(u)] for u in crew_uid], dtype=np.int64)
        granted = m.legal[heads] == Legal.LICENSED if len(heads) else np.zeros(0, bool)
        granted_heads += len(np.unique(head_uid[granted]))
        members_seen += int(granted.sum())
        left_behind += int(np.count_nonzero(m.site[members[granted]]
                                            != m.site[heads[granted]]))

    monkeypatch.setattr(formalization, "process_queue", checked)
    config = load_config(["miners=1000", "months=48", "context.warmup_months=60",
                          "policy.legal.licence_processing_months=6"])
    for seed in range(3, 9):
        ASMModel(config, seed=seed).run()
    assert granted_heads >= 60 and members_seen >= 200, (granted_heads, members_seen)
    assert left_behind == 0, f"{left_behind} of {members_seen} crew members left behind"


def test_a_tied_owners_crew_sells_to_its_trader():
    """A tie binds the pit's sales: a crew member of a tied owner carries the owner's tie,
    an untied owner's crew none, and next month the crew's gold goes to the owner's trader
    (members still in the pit, whose owner kept the same tie over the month; pooled over
    seeds, since a region of 1,000 miners has only a few tied crews)."""
    to_owners_trader, sales = 0, 0
    for seed in range(5, 12):
        model = _model(seed)
        m = model.miners
        head, _ = teams.head_rows(model)
        crew = np.flatnonzero(m.active & (m.pit != m.uid) & (m.lender != Lender.TRADER))
        tied = crew[m.tied_trader[head[crew]] >= 0]
        assert (m.tied_trader[tied] == m.tied_trader[head[tied]]).all()
        untied = crew[m.tied_trader[head[crew]] < 0]
        assert (m.tied_trader[untied] == -1).all()
        owners_trader = m.tied_trader[head[tied]].copy()
        uids, owner_uids = m.uid[tied].copy(), m.uid[head[tied]].copy()
        model.step()
        m = model.miners
        rows, owners = np.searchsorted(m.uid, uids), np.searchsorted(m.uid, owner_uids)
        kept = (m.pit[rows] == owner_uids) & (m.tied_trader[owners] == owners_trader)
        sold = kept & m.active[rows] & (m.channel[rows] == Channel.TRADER)
        sales += int(sold.sum())
        to_owners_trader += int((m.last_trader[rows[sold]] == owners_trader[sold]).sum())
    assert sales >= 5, f"only {sales} sales of tied crews to check"
    assert to_owners_trader / sales > 0.9, (to_owners_trader, sales)


def test_women_own_pits_and_hold_licences_and_the_land_lever_raises_their_share():
    """Paired runs (common random numbers), context unchanged: closing women's land-access
    gap (policy.social.women_land_access = 1) raises the share of women among pit owners
    in every replicate and beyond noise, and among licence holders on average. (Measured
    over 6 seeds, months 13-48: owners +6.4 ± 0.4 pp, licence holders +1.0 ± 0.4 pp — few
    heads apply for licences since audits came, so the second effect is small.) Women
    hold licences in the status quo on average; with ≈ 20 licence holders in a
    1,200-miner region a seed can have none (1 of these 6 after crews came to follow
    their licence, 2026-12-02)."""
    size = ["miners=1200", "months=48", "context.warmup_months=120"]
    seeds = replicate_seeds(5, 6)
    tasks = [(load_config([*size, f"policy.social.women_land_access={lever}"]), seed)
             for seed in seeds for lever in (0, 1)]
    tables = run_tasks(tasks, jobs=TEST_JOBS, progress=False)
    effects, today = [], []
    for status_quo, titled in zip(tables[::2], tables[1::2], strict=True):
        late = [(t.loc[t.month > 12, "women_owner_share"].mean(),
                 t.loc[t.month > 12, "women_licence_holder_share"].mean())
                for t in (status_quo, titled)]
        today.append(late[0])
        effects.append(np.subtract(late[1], late[0]))
    owning, holding = np.array(today).T  # women own pits and hold licences today
    assert (owning > 0).all() and holding.mean() > 0 and (holding > 0).sum() >= 4
    owners, holders = np.array(effects).T
    assert (owners > 0).all()
    assert owners.mean() - 3 * owners.std(ddof=1) / np.sqrt(len(owners)) > 0
    assert holders.mean() > 0


def test_without_teams_everyone_works_alone_and_owners_vanish():
    """The knock-out: one-member pits, no owners, no crew; with teams there are crews and
    owners earn more than crew members, who earn more than solos."""
    size = ["miners=800", "months=24", "context.warmup_months=60"]
    alone = simulate([*size, "context.teams=false"], seed=2)
    assert (alone["solo_share"] == 1.0).all() and (alone["pit_owners"] == 0).all()
    assert (alone["pits"] == alone["active_miners"]).all()
    with_teams = simulate(size, seed=2).iloc[1:]
    assert (with_teams["team_size_mean"] > 1.2).all()
    assert (with_teams["income_owner_usd"] > with_teams["income_crew_usd"]).mean() > 0.9
    assert (with_teams["income_crew_usd"] > with_teams["income_solo_usd"]).mean() > 0.9


def test_scarcest_is_the_first_argmin():
    """teams.scarcest picks what argmin down the stages picks, ties and ∞ included."""
    rng = np.random.default_rng(2)
    stages = rng.integers(0, 3, (3, 2000)).astype(float)
    stages[0, rng.random(2000) < 0.2] = np.inf
    np.testing.assert_array_equal(teams.scarcest(stages), stages.argmin(axis=0))
    assert teams.scarcest(stages).dtype == np.int8
