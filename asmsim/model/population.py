"""Submodel: population — the initial miners, entry, exit, moves and role changes (ODD 5, 7.10).

Exit: a miner whose expected income has stayed below its reservation wage for
three months leaves with probability ``exit_rate`` a month; a small
background rate covers migration and ageing. Entry each month is
``pool · 2·rate · logistic(k · (E[income]/w_out − m))`` new miners (a
binomial draw; ``m`` = ``entry_income_multiple``), so rushes follow prices
while exits stay slow (the ratchet).
"""

from __future__ import annotations

import numpy as np
from scipy.special import betaincinv, ndtr, ndtri

from asmsim.config.schema import ContextConfig
from asmsim.model import finance, formalization, space
from asmsim.model.enums import Channel, EntrantDraw, Legal, Lender, MoveDraw, Role, Tech
from asmsim.model.streams import bin_centres

LOW_INCOME_MONTHS = 3


def draw_roles(context: ContextConfig, woman: np.ndarray, role_access: float,
               u_digger: np.ndarray, u_processor: np.ndarray) -> np.ndarray:
    """Roles for new or re-sorted miners from two uniforms each (digger or not, then
    processor or hauler); women dig less often (``women_role_bias``)."""
    bias = context.women_role_bias * (1.0 - role_access)
    p_dig = np.where(woman, context.digger_share_men * (1.0 - bias), context.digger_share_men)
    roles = np.where(u_digger < p_dig, Role.DIGGER,
                     np.where(u_processor < context.processor_share_nondiggers,
                              Role.PROCESSOR, Role.HAULER))
    return roles.astype(np.int8)


def exits(context: ContextConfig, exp_income, reservation, low_months, silicosis, active,
          uniform) -> np.ndarray:
    """Miners leaving this month (updates ``low_months`` in place); ``uniform``: one draw
    per miner. Silicosis multiplies the background rate (``silicosis_exit_multiplier``)."""
    low = active & (exp_income < reservation)
    low_months[:] = (low_months + 1) * low
    rate = context.background_exit_monthly
    background = np.where(silicosis, rate * context.silicosis_exit_multiplier, rate * 1.0)
    p = context.exit_rate * (low_months >= LOW_INCOME_MONTHS) + background
    return active & (uniform < p)


def entrants(context: ContextConfig, pool: float, mean_expected_income: float,
             rng: np.random.Generator) -> int:
    """Number of new miners this month."""
    w = context.outside_wage_usd_month
    ratio = mean_expected_income / max(w, 1e-9)
    x = context.entry_steepness * (ratio - context.entry_income_multiple)
    pull = 1.0 / (1.0 + np.exp(-np.clip(x, -50, 50)))
    return int(rng.binomial(int(pool), min(2.0 * context.entry_rate * pull, 1.0)))


def initial_reservation(context: ContextConfig, income: np.ndarray, rng: np.random.Generator
                        ) -> np.ndarray:
    """Reservation wages (USD/month) of the miners already mining at month 0.

    ``w_out · lognormal(0, σ)`` truncated above at each miner's ``income``: people
    mine because mining pays them more than their outside option.
    """
    w, sigma = context.outside_wage_usd_month, context.reservation_sigma
    if sigma <= 0:
        return np.full(len(income), w)
    with np.errstate(divide="ignore"):
        z_max = np.log(np.maximum(income, 0.0) / w) / sigma
    u = rng.random(len(income)) * ndtr(z_max)
    return w * np.exp(sigma * ndtri(np.maximum(u, 1e-300)))


# ------------------------------------------------------------------ creation
def add_miners(model, count: int, initial: bool = False) -> np.ndarray:
    """Create ``count`` miners (table rows; Mesa handles follow lazily); return the rows."""
    ctx, policy = model.config.context, model.config.policy
    rows = model.miners.add(count)
    idx = np.arange(rows.start, rows.stop)
    m = model.miners
    m.uid[idx] = np.arange(model.created, model.created + count)
    m.pit[idx] = m.uid[idx]  # each starts alone (7.10)
    model.created += count
    m.active[idx] = True
    # Keyed by (month, place in the month's arrivals), not drawn attribute by attribute:
    # the k-th newcomer of a month is the same person whatever the month's count.
    u = model.stream.per_miner_columns("entrants/miners", np.arange(count),
                                       range(len(EntrantDraw)))
    q = bin_centres(u)  # probabilities for the inverse CDFs
    m.woman[idx] = u[:, EntrantDraw.WOMAN] < ctx.women_share
    m.role[idx] = draw_roles(ctx, m.woman[idx], 0.0 if initial else policy.social.women_role_access,
                             u[:, EntrantDraw.DIGGER], u[:, EntrantDraw.PROCESSOR])
    m.skill[idx] = np.exp(ctx.skill_sigma * ndtri(q[:, EntrantDraw.SKILL]))  # lognormal(0, σ)
    m.reservation[idx] = ctx.outside_wage_usd_month * np.exp(
        ctx.reservation_sigma * ndtri(q[:, EntrantDraw.RESERVATION]))
    cells = model.sites.width * model.sites.height
    m.site[idx] = (q[:, EntrantDraw.SITE] * cells).astype(np.int64)  # q < 1: below cells
    m.cash[idx] = ctx.initial_cash_usd * -np.log1p(-q[:, EntrantDraw.CASH])  # exponential(1)
    m.legal[idx] = Legal.INFORMAL
    m.tech[idx] = np.where(u[:, EntrantDraw.TECH] < (ctx.concentrate_share_initial if initial
                                                     else 0.0), Tech.CONCENTRATE, Tech.WHOLE_ORE)
    m.retort[idx] = u[:, EntrantDraw.RETORT] < (ctx.retort_share_initial if initial else 0.0)
    m.trust[idx] = np.clip(betaincinv(4.0, 4.0, q[:, EntrantDraw.TRUST]) + ctx.initial_trust
                           - 0.5, 0.0, 1.0)  # beta(4, 4) around the initial trust
    m.trust_baseline[idx] = m.trust[idx]
    m.entered_month[idx] = model.month
    m.channel[idx] = Channel.HELD
    if initial:
        initial_formal_status(model, idx)
        space.displace_excess(model, idx)  # beyond a cell's plots: wait for one (7.12)
    model.register_rows(count)
    return idx


def initial_formal_status(model, idx: np.ndarray) -> None:
    """Licences (with their remaining terms) and cooperative membership at month 0."""
    ctx, legal = model.config.context, model.config.policy.legal
    m, rng = model.miners, model.stream("population")
    licensed = idx[rng.random(len(idx)) < ctx.initial_licensed_share]
    zones = model.sites.zone_cells
    if len(zones):
        m.legal[licensed] = Legal.LICENSED
        m.site[licensed] = rng.choice(zones, size=len(licensed))
        m.licence_expiry[licensed] = model.month + rng.integers(
            1, legal.licence_duration_months + 1, size=len(licensed))
    m.coop[idx[rng.random(len(idx)) < ctx.initial_coop_share]] = True


def estimate_initial_income(model) -> None:
    """Month-0 expected income: the value of a normal working month (USD).

    The initial miners are those for whom mining pays: their reservation
    wages are drawn below it, so the region starts near its steady state.
    """
    m, ctx, now = model.miners, model.config.context, model.now
    value = now.expected_grams * now.prices.trader - now.potential_t \
        * ctx.operating_cost_usd_per_t
    m.exp_income[:] = value
    m.income[:] = value
    m.reservation[:] = initial_reservation(ctx, value, model.stream("population"))


# ------------------------------------------------------------------ monthly
def newcomers_expected_income(miners) -> float:
    """What a newcomer expects to earn (USD/month): the mean expected income of the active
    miners without a licence of their own — a newcomer starts informal, so a licence
    holder's income, net of the audit risk it took on for the licence's tenure, is not
    what it can expect; all active miners when none is informal, 0 when none is active."""
    active = miners.active
    informal = np.flatnonzero(active & (miners.legal == Legal.INFORMAL))
    rows = informal if len(informal) else np.flatnonzero(active)
    return float(miners.exp_income[rows].mean()) if len(rows) else 0.0


def entry(model) -> None:
    """New miners join from the labour pool; they expect what informal miners earn now
    (USD/month)."""
    m = model.miners
    mean_income = newcomers_expected_income(m)
    count = entrants(model.config.context, model.pool, mean_income, model.stream("entry"))
    model.now.stats["entries"] = count
    model.entered_total += count
    if count:
        idx = add_miners(model, count)
        m = model.miners
        m.exp_income[idx] = mean_income
        m.income[idx] = 0.0


def step(model) -> None:
    """After the month's decisions: licensees' moves from worked-out sites, role changes,
    exit, and the passing of a month (suspensions, injuries, memory)."""
    move_and_resort(model)
    leave(model)
    pass_month(model)


def leave(model) -> None:
    """Miners whose mining no longer pays (or who age or migrate out) leave."""
    m = model.miners
    leaving = np.flatnonzero(exits(model.config.context, m.exp_income, m.reservation,
                                   m.low_months, m.silicosis, m.active,
                                   model.uniforms("exit/miners")))
    m.active[leaving] = False
    finance.write_off(model, leaving[m.lender[leaving] != Lender.NONE])  # leavers' debts
    model.remove_handles(leaving)
    model.now.left = leaving
    model.now.stats["exits"] = len(leaving)
    model.exited_total += len(leaving)


def pass_month(model) -> None:
    """A month of suspension and of injury passes; trust drifts back towards each miner's
    own baseline over ``context.trust_memory_months`` (events are slowly forgotten)."""
    m = model.miners
    np.subtract(m.suspended, 1, out=m.suspended, where=m.suspended > 0)
    np.subtract(m.injured, 1, out=m.injured, where=m.injured > 0)
    m.trust += (m.trust_baseline - m.trust) / model.config.context.trust_memory_months


def move_and_resort(model) -> None:
    """Licensees on worked-out sites, or waiting for a plot, move their licence (other
    miners on worked-out sites choose a new site in the space step, 7.12); a few miners
    change roles."""
    m, ctx, sites = model.miners, model.config.context, model.sites
    licensed = np.flatnonzero(m.active & (m.legal == Legal.LICENSED) & (m.pit == m.uid)
                              & (sites.exhausted()[m.site] | (m.plotless > 0)))
    if len(licensed) and ctx.site_choice:
        # A licence moves to the richest licensable plot nearby with a free plot (random
        # order); with every plot in reach full the licensee waits without work, with no
        # licensable plot in reach the licence lapses.
        plot = formalization.allot_plots(model, licensed,
                                         model.uniforms("plots/miners", licensed), keep=False)
        _, _, score = formalization.plot_scores(model, m.site[licensed])
        lapsed = ~np.isfinite(score).any(axis=1)
        waits = (plot < 0) & ~lapsed
        m.site[licensed[plot >= 0]] = plot[plot >= 0]
        m.plotless[licensed[plot >= 0]] = 0
        m.plotless[licensed[waits]] += 1
        m.legal[licensed[lapsed]] = Legal.INFORMAL
        m.via_coop[licensed[lapsed]] = False
        space.claim_plots(model)  # informal miners on the plots taken give way
    elif len(licensed):  # a licence moves to the richest licensable plot nearby, or lapses
        plot, _ = formalization.best_plots(model, m.site[licensed])
        m.site[licensed[plot >= 0]] = plot[plot >= 0]
        m.legal[licensed[plot < 0]] = Legal.INFORMAL
        m.via_coop[licensed[plot < 0]] = False
    resort = np.flatnonzero(m.active & (model.uniforms("moves/miners") < ctx.role_change_prob))
    m.role[resort] = draw_roles(ctx, m.woman[resort], model.config.policy.social.women_role_access,
                                model.uniforms("moves/miners", resort, MoveDraw.DIGGER),
                                model.uniforms("moves/miners", resort, MoveDraw.PROCESSOR))
