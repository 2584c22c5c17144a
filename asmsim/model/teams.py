"""Submodel: pits and teams — who works with whom, what a pit produces, how it shares
(ODD 7.10). Its production and sharing are described with production, section 7.7.

The working unit of ASM is the pit: an owner and a crew of diggers, haulers and
processors on one site (domain-facts-2 §A1–A3). Each miner's ``pit`` column holds
the uid of its pit's head, the owner; a solo is a one-member pit that heads itself,
so production, sales and licensing follow one code path for both.

**Production (the scarcest stage binds).** Each working member brings capacity to
every stage (t/month): its own role's stage at the stage rate × skill × health, the
other stages at the helper share σ of their rates (``helper_share``: members lend a
hand). A pit's ore is ``T = min(D, H, P)`` (Leontief): digging, hauling and
processing in series. A digger added to a pit short of haulers adds only the hand it
lends to hauling; more hands in the scarce stage never lower the pit's ore. Gold is
grade(site) × T × recovery × flood, the recovery averaged over the members'
processing capacity (processors process with their own technology).

**Sharing, in kind.** The owner takes ``pit_owner_share`` ω_O of the pit's gold
and ore; the rest goes to the workers (the owner among them when it works) by role
weight (digger 1, ``share_weight_hauler``, ``share_weight_processor``) × skill ×
worked. Each member then sells its own gold (domain-facts-2 §A1: Burkina crews
share the crushed-ore sacks, Tanzanian diggers are paid by division of the rock) and
bears its share of the ore's operating cost: shares of net proceeds, so the owner
bears ω_O of a bad month. Shares add up to the pit's gold and ore. A crew takes its
gold to a formal buyer in one trip: each member bears 1/crew of the trip's cost.

**Licence and tie.** A licence is held by a pit's head and covers the crew: crew
members are counted licensed (``covered``), sell as licensees and are not inspected
as informal miners; only heads apply, renew and move licences. A head that must move
for its licence takes a plot with room for its crew, and the crew comes along at the
grant (:func:`follow_licence`, ODD 7.8). A tied owner's
crew sells under the owner's tie (the team's gold is bound to its sponsor, at the
tie's price); a member's own pre-finance keeps its own tie.

**Membership, each month after entry and exit.** Crew members whose owner left,
moved or waits for a plot, and members who moved, become solos (also checked at
the start of production, as licence grants move licensees before it). A crew member
reconsiders with probability ``team_search_prob``: it stays (binary logit) on its
expected share against what it would produce alone. A solo without a pit considers
joining the pit on its site with the most members and a free slot (a pit holds
at most ``plots_per_cell``: a team works one site), on its expected share there
against working alone; pits admit joiners in random order up to their free slots.
With probability ``reconsider_prob`` a solo considers opening a pit on its site:
the owner's expected share of a team of the solos there, less working alone, less
the set-up cost ``pit_setup_cost_usd`` spread over ``site_horizon_months``; it
needs the land (a woman with probability ``l_w + (1 − l_w)·a``:
``context.women_land_access``, the lever ``policy.social.women_land_access``) and
the set-up cost from cash or credit (formal lenders' bias against women,
``bank_women_factor``, and the credit levers apply). A licence is a title to a plot:
a licensed head holds a pit. A pit closes when its owner leaves.

With ``context.teams = false`` (a knock-out) every miner works alone with its
role's tonnes (the model before pits).
"""

from __future__ import annotations

import functools

import numpy as np

from asmsim.model import finance, space
from asmsim.model.enums import Legal, Lender, Role

STAGES = len(Role)  # one stage per role: digging, processing, hauling (Role codes)


# --------------------------------------------------------------------- production
def stage_rates(context) -> np.ndarray:
    """Ore a member handles in a full month in its role's stage (t/month), by Role."""
    out = np.empty(STAGES)
    out[Role.DIGGER] = context.dig_rate_t
    out[Role.PROCESSOR] = context.process_rate_t
    out[Role.HAULER] = context.haul_rate_t
    return out


def share_weights(context) -> np.ndarray:
    """A worker's weight in the crew's share, by Role (digger 1)."""
    out = np.empty(STAGES)
    out[Role.DIGGER] = 1.0
    out[Role.PROCESSOR] = context.share_weight_processor
    out[Role.HAULER] = context.share_weight_hauler
    return out


def capacities(context, role: np.ndarray, effort_: np.ndarray) -> np.ndarray:
    """Each member's capacity in each stage (stages × members, t/month): its own stage at
    the stage rate × effort, the others at ``helper_share`` of theirs."""
    sigma = context.helper_share
    rates = stage_rates(context)
    out = np.empty((STAGES, len(role)))
    for stage in range(STAGES):
        out[stage] = rates[stage] * effort_ * (sigma + (1.0 - sigma) * (role == stage))
    return out


def stage_capacities(context, by_role: np.ndarray) -> np.ndarray:
    """Pits' stage capacities (stages × pits, t/month) from their members' effort by role
    (pits × roles): a stage's own members at its full rate, every other member at σ."""
    sigma = context.helper_share
    rates = stage_rates(context)
    columns = [np.ascontiguousarray(by_role[:, stage]) for stage in range(STAGES)]
    helpers = sigma * (columns[0] + columns[1] + columns[2])
    out = np.empty((STAGES, len(by_role)))
    for stage in range(STAGES):
        out[stage] = rates[stage] * (helpers + (1.0 - sigma) * columns[stage])
    return out


def pit_ore(stages: np.ndarray) -> np.ndarray:
    """A pit's ore from its stage capacities (stages × …, t/month): the scarcest binds."""
    return np.minimum(np.minimum(stages[0], stages[1]), stages[2])


def pit_weights(context, by_role: np.ndarray) -> np.ndarray:
    """Pits' share weights (Σ role weight × effort) from effort by role (pits × roles)."""
    w = share_weights(context)
    return w[0] * by_role[:, 0] + w[1] * by_role[:, 1] + w[2] * by_role[:, 2]


def solo_rates(context) -> np.ndarray:
    """Ore a miner of effort 1 handles alone (t/month), by Role: every stage itself."""
    return pit_ore(capacities(context, np.arange(STAGES), np.ones(STAGES)))


def balanced_crew(context) -> tuple[float, float]:
    """A complete pit (``plots_per_cell`` members of skill 1, each stage's members in
    inverse proportion to its rate): its ore (t/month) and its crew's share weights."""
    rates = stage_rates(context)
    members = context.plots_per_cell * (1.0 / rates) / (1.0 / rates).sum()
    return (float(pit_ore(stage_capacities(context, members[None, :]))[0]),
            float((share_weights(context) * members).sum()))


def scarcest(stages: np.ndarray) -> np.ndarray:
    """The scarcest stage (Role code, int8) of each column of ``stages`` (stages × …, no
    NaN): ``stages.argmin(axis=0)``, the first on ties, by two comparisons (argmin down a
    column of three is a slow strided loop per column)."""
    pick = (stages[1] < stages[0]).astype(np.int8)
    pick[stages[2] < np.minimum(stages[0], stages[1])] = 2
    return pick


def head_rows(model) -> tuple[np.ndarray, np.ndarray]:
    """Each row's pit head row and whether that head is still in the table (heads are
    their own rows; a crew member's head is found by id: ids ascend with rows, as rows
    are appended in creation order and compaction keeps order).

    The answer depends on the ``uid`` and ``pit`` columns alone: it is kept for the month
    (``now.pit_heads``) with a copy of both, and given again (copies) while they are
    unchanged, as between perception, production, the sale and the accounts."""
    m = model.miners
    kept = model.now.pit_heads
    if kept is not None and np.array_equal(kept[0], m.uid) and np.array_equal(kept[1], m.pit):
        return kept[2].copy(), kept[3].copy()
    head, present = _find_heads(m)
    _keep_heads(model, head, present)
    return head, present


def _keep_heads(model, head: np.ndarray, present: np.ndarray) -> None:
    """Keep ``head_rows``'s answer for the table as it is now (copies)."""
    m = model.miners
    model.now.pit_heads = (m.uid.copy(), m.pit.copy(), head.copy(), present.copy())


def _find_heads(m) -> tuple[np.ndarray, np.ndarray]:
    """``head_rows`` worked out: crew members' heads found by id (``searchsorted``)."""
    head = np.arange(m.n)
    present = np.ones(m.n, dtype=bool)
    crew = np.flatnonzero(m.pit != m.uid)
    if len(crew):
        found = np.minimum(np.searchsorted(m.uid, m.pit[crew]), max(m.n - 1, 0))
        present[crew] = m.uid[found] == m.pit[crew]
        head[crew] = np.where(present[crew], found, crew)
    return head, present


def effort(context, m, working: np.ndarray) -> np.ndarray:
    """Skill × health × worked, per member (silicosis lowers productivity)."""
    out = m.skill * working
    sick = np.flatnonzero(m.silicosis)
    out[sick] *= context.silicosis_productivity
    return out


def effort_by_role(head: np.ndarray, role: np.ndarray, effort_: np.ndarray, pits: int
                   ) -> np.ndarray:
    """Members' effort summed by pit (head row) and role (pits × roles). Laid out role by
    role (the transpose of a roles × pits array), so that a role's column is contiguous;
    every sum adds the same members in the same order as in any other layout."""
    bins = np.multiply(role, pits, dtype=np.intp)
    bins += head
    return np.bincount(bins, weights=effort_, minlength=STAGES * pits).reshape(STAGES, pits).T


def shares(context, head: np.ndarray, is_head: np.ndarray, weight: np.ndarray,
           total: np.ndarray) -> np.ndarray:
    """Each member's share (0-1) of its pit's output: ω_O to the head, the rest to the
    workers by ``weight`` (role weight × skill × worked; ``total`` per head row). Shares of
    each pit add up to 1 (a pit where no one worked, and so produced nothing, is its
    head's)."""
    omega = context.pit_owner_share
    total = total[head]
    # Divide everywhere and keep the quotients where total > 0: the same values as a
    # masked divide, faster (the others, NaN or ∞, are replaced).
    with np.errstate(divide="ignore", invalid="ignore"):
        worker = weight / total
    share = (1.0 - omega) * worker + omega * is_head
    return np.where(total > 0, share, is_head.astype(np.float64))


def output(model, head: np.ndarray, effort_: np.ndarray, flood: float
           ) -> tuple[np.ndarray, np.ndarray]:
    """Each member's ore (t) and gold (g) this month from its pit's, by its share."""
    m, ctx, now = model.miners, model.config.context, model.now
    n = m.n
    by_role = effort_by_role(head, m.role, effort_, n)
    ore = pit_ore(stage_capacities(ctx, by_role))
    # Recovery: the members' own, weighted by their processing effort (own role: 1, σ else).
    recovery = now.recovery_by_tech.take(m.tech)
    sigma = ctx.helper_share
    processing = effort_ * (sigma + (1.0 - sigma) * (m.role == Role.PROCESSOR.value))
    weight = sigma * (by_role[:, 0] + by_role[:, 1] + by_role[:, 2]) \
        + (1.0 - sigma) * by_role[:, Role.PROCESSOR]
    recovered = np.bincount(head, weights=processing * recovery, minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):  # (as in shares)
        pit_recovery = np.where(weight > 0, recovered / weight, recovery)
    share = shares(ctx, head, m.pit == m.uid, share_weights(ctx).take(m.role) * effort_,
                   pit_weights(ctx, by_role))
    tonnes = ore[head] * share
    grams = now.grade_at_site[head] * tonnes * pit_recovery[head] * flood
    return tonnes, grams


def expect(model) -> None:
    """Perception: each member's ore (t) and gold (g) in a full month of its pit; a crew
    takes its gold to a formal buyer in one trip, each member bearing its part of it."""
    m, ctx, now = model.miners, model.config.context, model.now
    head, _ = head_rows(model)
    now.potential_t, now.expected_grams = output(model, head, effort(ctx, m, m.active), 1.0)
    crew = np.bincount(head, weights=m.active, minlength=m.n)[head]
    now.trip_cost = now.trip_cost / np.maximum(crew, 1.0)


def produce(model, working: np.ndarray) -> None:
    """Production: this month's ore (t) and gold (g) of every member (``working``), once
    members no longer with their owner (a licence grant moved it) have become solos."""
    m, ctx, now = model.miners, model.config.context, model.now
    head = split(model)
    now.tonnes, grams = output(model, head, effort(ctx, m, working), now.output_factor)
    m.grams[:] = grams


# --------------------------------------------------------------------- membership
def step(model) -> None:
    """Crews split, reconsider and join; solos open pits; licences and ties cover crews."""
    if not model.config.context.teams:
        return
    pits = _Pits(model, split(model))  # the pits after the splits: every decision reads them
    reconsider(model, pits)
    open_pits(model, pits)
    join(model, pits)
    cover(model, pits.head)  # (pits.head follows the leavers and joiners)


def make_solo(model, rows: np.ndarray) -> None:
    """Miners ``rows`` leave their pit: they head their own; a licence or tie that came
    with the pit does not follow them."""
    m = model.miners
    m.pit[rows] = m.uid[rows]
    covered = rows[m.covered[rows]]
    m.legal[covered] = Legal.INFORMAL
    m.via_coop[covered] = False
    m.covered[covered] = False
    m.tied_trader[rows[m.lender[rows] != Lender.TRADER.value]] = -1


def split(model) -> np.ndarray:
    """Crew members whose owner left or waits for a plot, or who moved or wait for one
    themselves, become solos; leavers' rows head themselves. A crew whose head moved this
    month (a licence granted or moved to another plot, ODD 7.8) follows it as far as the
    head's new cell has free plots (members by seniority); the rest become solos. Returns
    each row's head row after the splits."""
    m = model.miners
    np.copyto(m.pit, m.uid, where=~m.active)
    head, present = head_rows(model)
    members = np.flatnonzero(m.active & (m.pit != m.uid))  # (checked on their rows alone)
    follow_head(model, head, members[present[members]])
    h = head[members]
    gone = ~present[members] | ~m.active[h] | (m.plotless[h] > 0) \
        | (m.site[members] != m.site[h]) | (m.plotless[members] > 0)
    rows = members[gone]
    if len(rows):
        make_solo(model, rows)
        head[rows] = rows
        present[rows] = True  # (now heads: what head_rows would find)
        _keep_heads(model, head, present)
    return head


def follow_head(model, head: np.ndarray, members: np.ndarray) -> None:
    """Crew rows ``members`` who stayed where they started the month while their head
    moved to another cell move with it, up to the free plots there (oldest members
    first)."""
    m = model.miners
    start = model.now.site_at_start
    if len(start) < m.n:  # this month's entrants started where they are
        start = np.concatenate([start, m.site[len(start):]])
    h = head[members]
    rows = members[(m.site[h] != start[h]) & (m.site[members] == start[members])
                   & (m.plotless[members] == 0) & m.active[h] & (m.plotless[h] == 0)]
    if len(rows) == 0:
        return
    target = m.site[head[rows]]
    admitted = space.admit(target, space.free_plots(model), m.uid[rows].astype(float))
    m.site[rows[admitted]] = target[admitted]


def crew_size(model, heads: np.ndarray) -> np.ndarray:
    """Active crew members (the head not counted) of the pits headed by rows ``heads``
    (zeros without teams)."""
    m = model.miners
    if not model.config.context.teams or len(heads) == 0:
        return np.zeros(len(heads), dtype=np.int64)
    head = head_rows(model)[0]
    members = m.active & (m.pit != m.uid)
    return np.bincount(head[members], minlength=m.n)[heads]


def pit_plots(model, heads: np.ndarray) -> np.ndarray:
    """Plots the pits headed by rows ``heads`` need on a licensed cell: the head and the
    crew its licence covers (:func:`crew_size`)."""
    return 1 + crew_size(model, heads)


def follow_licence(model, heads: np.ndarray) -> None:
    """The crews of ``heads``, granted this month a licence for a plot on another cell,
    move there with their head: the licence covers them and is a title to their plots, so
    they claim plots as licensees do (oldest members first, up to the cell's plots no
    licensee holds, which the heads' allotment counted for their crews: an older
    application's claim comes before a newer one's reservation); informal miners working
    there give way
    (:func:`asmsim.model.space.claim_plots`, called after this). Members left without a
    plot stay where they are and become solos at the month's :func:`split`."""
    m = model.miners
    if not model.config.context.teams or len(heads) == 0:
        return
    head, present = head_rows(model)
    granted = np.zeros(m.n, dtype=bool)
    granted[heads] = True
    members = np.flatnonzero(m.active & (m.pit != m.uid))
    h = head[members]
    members = members[present[members] & granted[h] & (m.plotless[members] == 0)
                      & (m.site[members] != m.site[h])]
    if len(members) == 0:
        return
    target = m.site[head[members]]
    admitted = space.admit(target, space.licence_free_plots(model), m.uid[members].astype(float))
    rows, h = members[admitted], head[members[admitted]]
    m.site[rows] = m.site[h]
    m.legal[rows] = Legal.LICENSED
    m.covered[rows] = True
    m.licence_expiry[rows] = m.licence_expiry[h]
    m.via_coop[rows] = m.via_coop[h]


class _Pits:
    """This month's pits at full effort, for decisions: stage capacities and share
    weights per head row, each miner's effort, value of a tonne (USD/t) and of working
    alone (USD/month)."""

    def __init__(self, model, head: np.ndarray):
        m, ctx, now = model.miners, model.config.context, model.now
        n = m.n
        self.head = head
        self.effort = effort(ctx, m, m.active & (m.plotless == 0))
        by_role = effort_by_role(self.head, m.role, self.effort, n)
        self.stages = stage_capacities(ctx, by_role)  # stages × pits
        self.weight = share_weights(ctx).take(m.role) * self.effort
        self.weights = pit_weights(ctx, by_role)
        self.size = np.bincount(self.head, weights=m.active, minlength=n)
        grade = model.sites.grade()[m.site]
        value = grade * now.recovery_by_tech.take(m.tech) * now.prices.trader
        self.per_t = value - ctx.operating_cost_usd_per_t  # USD per tonne of ore
        self.alone = self.per_t * self.effort * solo_rates(ctx).take(m.role)  # USD/month

    def prospect(self, model, rows: np.ndarray, pit: np.ndarray, role: np.ndarray,
                 owner: bool = False) -> np.ndarray:
        """USD/month miners ``rows`` expect in pits (head rows) ``pit`` once the crew is
        complete (``plots_per_cell`` members in the proportions that balance the stages,
        skill 1), in ``role``; an owner adds ω_O of the pit. A pit with free slots fills
        over the months, so a joiner or founder values it at its complete crew."""
        ctx = model.config.context
        omega = ctx.pit_owner_share
        ore, weights = balanced_crew(ctx)
        mine = share_weights(ctx).take(role) * self.effort[rows]
        worker = (1.0 - omega) * mine / weights * ore if weights > 0 else 0.0 * mine
        return self.per_t[pit] * (worker + (omega * ore if owner else 0.0))

    def vacancy(self, pit: np.ndarray, digs: np.ndarray) -> np.ndarray:
        """The role a joiner of pit (head row) ``pit`` takes: the pit's scarcest stage, but
        digging only if ``digs`` (women take a digging vacancy with probability
        1 − women_role_bias·(1 − women_role_access)); else the scarcest other stage."""
        stages = self.stages[:, pit]  # (a fancy-indexed copy)
        stages[Role.DIGGER, ~digs] = np.inf
        return scarcest(stages)

    def worker_share(self, model, rows: np.ndarray, pit: np.ndarray,
                     role: np.ndarray | None = None) -> np.ndarray:
        """USD/month miners ``rows`` expect as workers of pits (head rows) ``pit``; with
        ``role``, as joiners in that role (counting themselves in)."""
        ctx = model.config.context
        stages, weights, mine = self.stages[:, pit], self.weights[pit], self.weight[rows]
        if role is not None:
            mine = share_weights(ctx).take(role) * self.effort[rows]
            stages = stages + capacities(ctx, role, self.effort[rows])
            weights = weights + mine
        share = np.divide(mine, weights, out=np.zeros(len(rows)), where=weights > 0)
        return self.per_t[pit] * pit_ore(stages) * (1.0 - ctx.pit_owner_share) * share


def _logit_yes(model, value: np.ndarray, uniform: np.ndarray) -> np.ndarray:
    """Binary logit at ``context.logit_scale_per_usd`` on values (USD/month)."""
    with np.errstate(over="ignore"):
        prob = 1.0 / (1.0 + np.exp(-model.config.context.logit_scale_per_usd * value))
    return uniform < prob


def _draws(model, stream: str, rows: np.ndarray, first: int, width: int) -> np.ndarray:
    """Columns ``first`` to ``width − 1`` of this month's per-miner uniforms of ``stream``
    for miner rows ``rows`` (a miner's column does not depend on who else is drawn for)."""
    # Each column has its own key: compute only the columns asked for.
    return model.stream.per_miner_columns(stream, model.miners.uid[rows], range(first, width))


def reconsider(model, pits: _Pits) -> None:
    """Crew members reconsider: they stay if their share beats working alone (logit)."""
    m, ctx = model.miners, model.config.context
    members = np.flatnonzero(m.active & (m.pit != m.uid))
    if len(members) == 0:
        return
    rows = members[_draws(model, "teams/miners", members, 0, 1)[:, 0] < ctx.team_search_prob]
    head = pits.head[rows]
    share = pits.worker_share(model, rows, head)
    filling = pits.size[head] < ctx.plots_per_cell
    share = np.where(filling, np.maximum(share, pits.prospect(model, rows, head, m.role[rows])),
                     share)
    stay = _logit_yes(model, share - pits.alone[rows],
                      _draws(model, "teams/miners", rows, 1, 2)[:, 0])
    leave = rows[~stay]
    make_solo(model, leave)
    pits.head[leave] = leave
    model.now.stats["crew_leavers"] += len(leave)


def _solos(model, pits: _Pits, owners: bool = False) -> np.ndarray:
    """Active solos, informal, on a plot, here before this month's entry: without a pit of
    their own (they can open one
    or join one), or with ``owners`` also owners of a pit no one else works (an owner
    whose pit found no crew may close it and join a crew)."""
    m = model.miners
    lone = m.active & (m.pit == m.uid) & (m.legal == Legal.INFORMAL.value) \
        & (m.plotless == 0) & (pits.size <= 1)
    lone[model.now.ledger.n:] = False  # this month's entrants look from next month
    return lone if owners else lone & ~m.owner


def land_access(model) -> float:
    """Chance a woman has the land rights a licence or a pit needs (men have them)."""
    access = model.config.context.women_land_access
    return access + (1.0 - access) * model.config.policy.social.women_land_access


def neighbours(sites, cells: np.ndarray) -> np.ndarray:
    """The 3×3 Moore neighbourhood of each of ``cells`` (own cell first; −1 off the grid),
    cells × 9: one gather from the grid padded with −1."""
    width = sites.width
    padded, offsets = _padded_grid(width, sites.height)
    # Cell (y, x) = y·width + x sits at (y + 1)·(width + 2) + x + 1 in the padded grid,
    # that is cell + 2y + width + 3 (no remainder needed: numpy's int64 divmod is slow).
    at = cells + 2 * (cells // width) + (width + 3)
    return padded[at[:, None] + offsets[None, :]]


@functools.cache
def _padded_grid(width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """The grid's cell numbers padded with a ring of −1 (flat, read-only), and the flat
    offsets of the 3×3 neighbourhood in it (own cell first); kept per grid size."""
    padded = np.full((height + 2, width + 2), -1, dtype=np.intp)
    padded[1:-1, 1:-1] = np.arange(width * height).reshape(height, width)
    offsets = np.array([0] + [dy * (width + 2) + dx for dy in (-1, 0, 1) for dx in (-1, 0, 1)
                              if dy or dx])
    padded = padded.ravel()
    padded.flags.writeable = offsets.flags.writeable = False
    return padded, offsets


def open_pits(model, pits: _Pits) -> None:
    """Solos consider opening a pit on their site: the owner's expected share of a
    complete crew, less working alone and the set-up cost spread over
    ``site_horizon_months``; they need the land and the set-up cost (cash or credit)."""
    m, ctx = model.miners, model.config.context
    candidates = np.flatnonzero(_solos(model, pits))
    if len(candidates) == 0:
        return
    considering = _draws(model, "pits/miners", candidates, 0, 1)[:, 0] < ctx.reconsider_prob
    rows = candidates[considering]
    if len(rows) == 0:
        return
    draw = _draws(model, "pits/miners", rows, 1, 3)
    value = pits.prospect(model, rows, rows, m.role[rows], owner=True) - pits.alone[rows] \
        - ctx.pit_setup_cost_usd / ctx.site_horizon_months
    wants = _logit_yes(model, value, draw[:, 0])
    with_land = ~m.woman[rows] | (draw[:, 1] < land_access(model))
    model.now.stats["pits_no_land"] += int(np.count_nonzero(wants & ~with_land))
    opening = rows[wants & with_land]
    paid = finance.pay_with_credit(model, opening, ctx.pit_setup_cost_usd, purpose="setup")
    m.owner[opening[paid]] = True
    model.now.stats["pits_opened"] += int(np.count_nonzero(paid))


def _keep_reservations(model, slots: np.ndarray) -> None:
    """Licensed pits hire only into plots a licence can claim that no pending application
    reserved: their joiners become licence holders (:func:`cover`), and a reservation
    binds every claim on a licensed plot (:func:`asmsim.model.space.unreserved_plots`).
    ``slots`` per head row, capped in place (left as they are while nothing is reserved)."""
    m = model.miners
    reserved = space.reserved_plots(model)
    if not reserved.any():
        return
    heads = np.flatnonzero((slots > 0) & (m.legal == Legal.LICENSED.value))
    room = space.licence_free_plots(model) - reserved
    slots[heads] = np.minimum(slots[heads], np.maximum(room[m.site[heads]], 0.0))


def hiring_pits(model, pits: _Pits) -> tuple[np.ndarray, np.ndarray]:
    """Free slots per head row (a team works one site: at most ``plots_per_cell``
    members), and per cell the pit that hires there (the one with the most members and a
    free slot; −1: none)."""
    m, ctx, sites = model.miners, model.config.context, model.sites
    slots = np.where(m.active & m.owner & (m.plotless == 0),
                     ctx.plots_per_cell - pits.size, 0.0)
    _keep_reservations(model, slots)
    hiring = np.flatnonzero(slots > 0)
    cells = sites.width * sites.height
    best = np.full(cells, -1, dtype=np.intp)
    if len(hiring):
        site, size = m.site[hiring], pits.size[hiring]
        most = np.zeros(cells)
        np.maximum.at(most, site, size)
        largest = hiring[size == most[site]]
        first = np.full(cells, m.n, dtype=np.intp)  # the lowest row among the largest
        np.minimum.at(first, m.site[largest], largest)
        best = np.where(first < m.n, first, -1)
    return slots, best


def join(model, pits: _Pits) -> None:
    """Solos look for work in the pits of their 3×3 neighbourhood (on each cell the pit
    with the most members and a free slot hires): a solo takes the one where a complete
    crew's share (the value of a tonne there), less the move (``move_cost_usd_per_cell``
    spread over ``site_horizon_months``), is highest. There it takes the vacancy's role
    and joins (logit) if its expected share (the larger of now and once the crew is
    complete) beats working alone. Pits admit joiners in random order up to their free
    slots, those from another cell only up to the site's free plots; movers pay the
    move. An owner whose pit found no crew may join a pit that has one (its own closes)."""
    m, ctx, sites = model.miners, model.config.context, model.sites
    candidates = np.flatnonzero(_solos(model, pits, owners=True))
    if len(candidates) == 0:
        return
    rows = candidates[_draws(model, "teams/miners", candidates, 2, 3)[:, 0]
                      < ctx.team_search_prob]
    slots, best = hiring_pits(model, pits)
    if len(rows) == 0 or not (best >= 0).any():
        return
    near = neighbours(sites, m.site[rows])
    options = np.where(near >= 0, best[np.maximum(near, 0)], -1)  # rows × 9 pits
    # A lone owner joins only a pit with a crew (so two lone owners never join each other).
    options[m.owner[rows][:, None] & (pits.size[np.maximum(options, 0)] < 2)] = -1
    pit_at = np.maximum(options, 0)
    worth = pits.prospect(model, rows, rows, m.role[rows]) / np.where(
        pits.per_t[rows] != 0, pits.per_t[rows], 1.0)  # t/month of a complete crew's share
    move = ctx.move_cost_usd_per_cell / ctx.site_horizon_months * (np.arange(9) > 0)
    score = np.where(options >= 0, pits.per_t[pit_at] * worth[:, None] - move, -np.inf)
    pick = score.argmax(axis=1)
    at = np.arange(len(rows))
    has = np.isfinite(score[at, pick])
    rows, pit, moving = rows[has], pit_at[at, pick][has], pick[has] > 0
    draw = _draws(model, "teams/miners", rows, 3, 6)  # logit, queue key, digging vacancy
    social = model.config.policy.social
    digs = ~m.woman[rows] | (draw[:, 2] >= ctx.women_role_bias * (1 - social.women_role_access))
    role = pits.vacancy(pit, digs)
    share = np.maximum(pits.worker_share(model, rows, pit, role),
                       pits.prospect(model, rows, pit, role))
    value = share - move[1] * moving - pits.alone[rows]
    wants = _logit_yes(model, value, draw[:, 0])
    rows, pit, moving, key, role = rows[wants], pit[wants], moving[wants], draw[wants, 1], \
        role[wants]
    admitted = np.zeros(len(rows), dtype=bool)
    stay = np.flatnonzero(~moving)
    admitted[stay] = space.admit(pit[stay], slots, key[stay])  # slots reduced in place
    movers = np.flatnonzero(moving)
    if len(movers):
        admitted[movers] = space.admit(pit[movers], _room(model, pit[movers], slots),
                                       key[movers])
        moved = rows[movers[admitted[movers]]]
        m.site[moved] = m.site[pit[movers[admitted[movers]]]]
        cost = np.minimum(m.cash[moved], ctx.move_cost_usd_per_cell)
        model.now.ledger.debit_rows(m.cash, "moves", moved, cost)
    m.pit[rows[admitted]] = m.uid[pit[admitted]]
    pits.head[rows[admitted]] = pit[admitted]
    closing = rows[admitted & m.owner[rows]]
    m.owner[closing] = False  # its pit closes (the set-up cost is sunk)
    model.now.stats["pits_closed"] += len(closing)
    m.role[rows[admitted]] = role[admitted]  # the vacancy it fills
    model.now.stats["crew_joiners"] += int(np.count_nonzero(admitted))


def _room(model, pit: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """Per head row, the joiners from another cell a pit can take: its free ``slots`` up to
    its site's free plots, filled in at the pits ``pit`` only (0 elsewhere, never read)."""
    room = np.zeros_like(slots)
    room[pit] = np.minimum(slots[pit], space.free_plots(model)[model.miners.site[pit]])
    return room


def cover(model, head: np.ndarray | None = None) -> None:
    """A head's licence covers its crew (members counted and treated as licensed); a tied
    owner's crew sells under its tie (members without pre-finance of their own); a
    licensed head holds a pit (a licence is a title to a plot)."""
    m = model.miners
    head = head_rows(model)[0] if head is None else head
    is_head = m.pit == m.uid
    m.owner |= is_head & m.active & (m.legal == Legal.LICENSED.value)
    members = np.flatnonzero(m.active & ~is_head)
    if len(members) == 0:
        return
    h = head[members]
    licensed = m.legal[h] == Legal.LICENSED.value
    m.covered[members] = licensed
    m.legal[members] = np.where(licensed, Legal.LICENSED, Legal.INFORMAL)
    m.licence_expiry[members] = m.licence_expiry[h]
    m.via_coop[members] = m.via_coop[h] & licensed
    own_debt = m.lender[members] == Lender.TRADER.value
    m.tied_trader[members[~own_debt]] = m.tied_trader[h[~own_debt]]
