"""Submodel: space — where miners work: evictions, site choice and local displacement (ODD 7.12).

Each month, after production, sales, decisions and health:

1. **Evictions.** Miners sanctioned on concession or protected land this month
   (:func:`asmsim.model.enforcement.inspect` hands them over with :func:`evict`),
   and miners struck by the eviction hazard of their cell's land status
   (``context.eviction_hazard_*``, stream ``evictions``), are evicted: they lose
   ``relocation_months`` of output, pay the move, and will not return to the cell
   for ``eviction_exclusion_months``.
2. **Site choice.** Deciders are evictees, informal miners on worked-out cells,
   a share ``site_reconsider_prob`` of the other informal miners, and this
   month's entrants (who arrive at a random village cell). Each compares its
   own cell (if it may stay) with ``site_candidates`` cells drawn within a
   Chebyshev radius (``eviction_search_radius_cells`` for evictees, else
   ``site_search_radius_cells``) by multinomial logit on the site value
   (USD/month; spec v2 d1, a miner being its own pit)::

       V(c) = S(c, ĝ(c)·T·rec) − sanction − h(c)·L_ev − m·dist(c)/H

   with ĝ(c) the grade signal (current grade × LogNormal(0, grade_info_sigma),
   one draw per cell a month), T the tonnes of a full month, rec the recovery
   of the miner's technology, S(c, g) the best monthly value of selling g grams
   through the channels open to it from c (its town's traders at the pit, a
   formal buyer after the trip; 7.2), sanction the expected fines, seizures,
   suspension and bribes of an informal miner on c's land (inspections may be
   targeted by land status, ``policy.legal.inspection_weight_*``), h(c) the monthly eviction
   risk on c's land (:func:`eviction_hazard`), L_ev the loss of one eviction
   (:func:`eviction_loss`), m = ``move_cost_usd_per_cell`` and
   H = ``site_horizon_months``. Licensed evictees choose among the licensable
   plots within the eviction radius (their licence moves with them).
3. **Tenure** (the licence's ``tenure`` term, :func:`tenure_value`): the eviction
   risk a licence avoids on the miner's ground.

**Plots.** A cell holds ``plots_per_cell`` miners working it. Full cells are not
candidates (counting the miners who stay), the choosers of a cell are admitted in the
order of a random key up to its free plots (:func:`admit`), and those turned away who
had to move wait without work (``plotless``) and retry next month; entrants turned
away do not enter. A licence is a title to a plot: licensees need a plot no licensee
holds, and informal miners beyond a cell's plots give way (:func:`claim_plots`).
Licensees reconsider their plot as informal miners their site, among licensable plots.

``context.site_choice = false`` (mechanism-removal tests only) restores the
placement the model had before: evictees and miners on worked-out cells go to a
uniformly drawn other cell, entrants stay where they were drawn, no one
reconsiders, plots are unlimited; hazards, lost months and the tenure term remain.
"""

from __future__ import annotations

import functools

import numpy as np

from asmsim.model import channels, production, traders
from asmsim.model.channels import ChannelCosts
from asmsim.model.choice import logit_choice
from asmsim.model.enums import LandStatus, Legal, MoveDraw


# ------------------------------------------------------------- eviction risk
def evict(model, rows: np.ndarray) -> None:
    """Miners ``rows``, sanctioned on concession or protected land, are evicted this month
    (they move in this month's space step)."""
    model.now.evicted.append(np.asarray(rows, dtype=np.int64))


def evicting_land(status: np.ndarray) -> np.ndarray:
    """Land where a sanctioned informal miner is evicted: concessions and protected areas."""
    return (status == LandStatus.LSM_CONCESSION.value) | (status == LandStatus.PROTECTED.value)


def land_hazard(context, status: np.ndarray, legal: np.ndarray) -> np.ndarray:
    """Monthly eviction hazard (0-1) besides inspections: by land status for informal miners
    and applicants, ``eviction_hazard_licensed`` for licensees on their plot."""
    by_status = np.empty(len(LandStatus))
    by_status[LandStatus.ASM_ZONE] = context.eviction_hazard_zone
    by_status[LandStatus.OPEN] = context.eviction_hazard_open
    by_status[LandStatus.LSM_CONCESSION] = context.eviction_hazard_concession
    by_status[LandStatus.PROTECTED] = context.eviction_hazard_protected
    return np.where(legal == Legal.LICENSED.value, context.eviction_hazard_licensed,
                    by_status[status])


def inspection_weights(legal_policy) -> np.ndarray:
    """Inspection targeting: the relative inspection probability by land status (×)."""
    weight = np.empty(len(LandStatus))
    weight[LandStatus.ASM_ZONE] = legal_policy.inspection_weight_zone
    weight[LandStatus.OPEN] = legal_policy.inspection_weight_open
    weight[LandStatus.LSM_CONCESSION] = legal_policy.inspection_weight_concession
    weight[LandStatus.PROTECTED] = legal_policy.inspection_weight_protected
    return weight


def inspection_prob(model, status: np.ndarray, funded: bool = True) -> np.ndarray:
    """Monthly probability (0-1) that an informal miner on land ``status`` is inspected:
    ``inspection_prob`` × the targeting weight × visibility (× the funded share of
    enforcement unless ``funded`` is False). Worked out once per land status and looked
    up (the same arithmetic per status, so the same numbers as per miner)."""
    ctx, legal = model.config.context, model.config.policy.legal
    share = model.government.funded["enforcement"] if funded else 1.0
    by_status = np.minimum(legal.inspection_prob * share * ctx.visibility_informal
                           * inspection_weights(legal), 1.0)
    return by_status.take(status)


def sanction_prob(model, status: np.ndarray) -> np.ndarray:
    """Monthly probability (0-1) that an informal miner on land ``status`` is inspected and
    sanctioned (not bribing), at the funded share of enforcement (7.5)."""
    return inspection_prob(model, status) * (1 - model.config.policy.legal.corruption)


def eviction_hazard(model, status: np.ndarray, legal: np.ndarray) -> np.ndarray:
    """Monthly probability (0-1) of being evicted from land ``status`` as a miner of legal
    status ``legal`` (arrays that broadcast): the land's hazard, plus, for an informal
    miner on concession or protected land, a sanctioned inspection (which evicts).
    Applicants are not inspected. Looked up in :func:`eviction_hazard_table`."""
    return eviction_hazard_table(model).take(status * len(Legal) + legal)


def eviction_hazard_table(model) -> np.ndarray:
    """The monthly eviction probability (0-1) of every pair (land status, legal status),
    flattened status-major (``status · len(Legal) + legal``): the same arithmetic per
    pair as per miner, on 12 numbers instead of every miner × candidate cell."""
    status = np.arange(len(LandStatus))[:, None]
    legal = np.arange(len(Legal))[None, :]
    inspected = (legal == Legal.INFORMAL.value) & evicting_land(status)
    return np.minimum(land_hazard(model.config.context, status, legal)
                      + inspected * sanction_prob(model, status), 1.0).ravel()


def mean_eviction_distance(context) -> float:
    """Mean Chebyshev distance (cells) of a cell drawn uniformly within the eviction radius,
    the cell left excluded: the expected length of an eviction's move."""
    return _mean_chebyshev_distance(context.eviction_search_radius_cells)


@functools.cache
def _mean_chebyshev_distance(radius: int) -> float:
    """Mean Chebyshev distance (cells) of the cells within ``radius`` of a cell, that cell
    excluded (cached: a function of the radius alone, asked for at every decision)."""
    offsets = np.abs(np.arange(-radius, radius + 1))
    distance = np.maximum(offsets[:, None], offsets[None, :])
    return float(distance[distance > 0].mean())


def eviction_loss(model, rows: np.ndarray) -> np.ndarray:
    """L_ev (USD): what one eviction costs miners ``rows`` — the months without output
    (``relocation_months`` × expected income) and the expected move."""
    ctx = model.config.context
    return ctx.relocation_months * np.maximum(model.miners.exp_income[rows], 0.0) \
        + ctx.move_cost_usd_per_cell * mean_eviction_distance(ctx)


def tenure_value(model, rows: np.ndarray) -> np.ndarray:
    """The licence's ``tenure`` term (USD/month) for miners ``rows``: the eviction risk on
    their ground as informal miners less a licensee's, times the loss of an eviction."""
    status = model.sites.land_status[model.miners.site[rows]]
    informal = eviction_hazard(model, status, np.full(len(rows), Legal.INFORMAL))
    return (informal - model.config.context.eviction_hazard_licensed) \
        * eviction_loss(model, rows)


# ---------------------------------------------------------------- site value
def expected_sanction(model, rows: np.ndarray, status: np.ndarray) -> np.ndarray:
    """Expected fines, seizures, suspension and bribes a month (USD) for miners ``rows``
    (n) on land ``status`` (n × k), for informal miners (applicants and licensees are not
    inspected); the eviction that follows a sanction is in the tenure risk."""
    ctx, legal = model.config.context, model.config.policy.legal
    m = model.miners
    sanction = legal.fine_usd + legal.seizure_prob * ctx.equipment_value_usd \
        + ctx.suspension_months * np.maximum(m.exp_income[rows], 0.0)
    per_inspection = (1 - legal.corruption) * sanction \
        + legal.corruption * ctx.bribe_share_of_fine * legal.fine_usd
    informal = m.legal[rows] == Legal.INFORMAL.value
    return inspection_prob(model, status) * (per_inspection * informal)[:, None]


def sale_value(model, rows: np.ndarray, cells: np.ndarray, grams: np.ndarray) -> np.ndarray:
    """USD/month: for each miner of ``rows`` and cell of ``cells`` (one row of cells per
    miner), the best value of selling ``grams`` (same shape) through the channels open to
    it from that cell — the traders of that cell's town at the pit, or a formal buyer
    after the month's trip (7.2)."""
    m, ctx, sites, now = model.miners, model.config.context, model.sites, model.now
    flat = cells.ravel()
    owner = np.repeat(rows, cells.shape[1])
    costs = ChannelCosts.from_context(ctx)
    point = np.minimum(sites.dist_buying_point[flat], 1e6)  # 1e6: no buying point
    own = traders.of_town(model, sites.town_of[flat])
    tied_to = m.tied_trader[owner]
    trader_values = channels.trader_per_gram(now.prices, costs, own, tied_to)
    per_gram = channels.per_gram_utilities(now.prices, costs, trader_values)
    values = per_gram * grams.ravel() - channels.trip_costs(costs, sites.dist_town[flat], point)
    # The channels closed to a miner are closed from every cell: masked per miner, on a
    # (channels, miners, cells) view, rather than per miner × cell.
    closed = ~channels.available(now.prices, m.legal[rows])
    values.reshape(len(values), *cells.shape)[closed] = -np.inf
    return values.max(axis=0).reshape(cells.shape)


def chebyshev(sites, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Chebyshev distance (cells) between cells ``a`` and ``b`` (broadcast)."""
    return np.maximum(np.abs(sites.xs[a] - sites.xs[b]), np.abs(sites.ys[a] - sites.ys[b]))


def site_values(model, rows: np.ndarray, origin: np.ndarray, cells: np.ndarray,
                signal: np.ndarray) -> dict[str, np.ndarray]:
    """Named terms of the value (USD/month) of cells ``cells`` (n × k) to miners ``rows``
    coming from cells ``origin``, with this month's grade ``signal`` per cell (g/t)."""
    m, ctx, sites, now = model.miners, model.config.context, model.sites, model.now
    tonnes = production.tonnes_potential(ctx, m.role[rows], m.skill[rows], m.silicosis[rows])
    grams = signal[cells] * (tonnes * now.recovery_by_tech[m.tech[rows]])[:, None]
    status = sites.land_status[cells]
    risk = eviction_hazard(model, status, m.legal[rows][:, None])
    return {
        "gold": sale_value(model, rows, cells, grams),
        "sanction": -expected_sanction(model, rows, status),
        "tenure_risk": -risk * eviction_loss(model, rows)[:, None],
        "move": -ctx.move_cost_usd_per_cell * chebyshev(sites, origin[:, None], cells)
        / ctx.site_horizon_months,
    }


# --------------------------------------------------------------- the choice
def draw_cells(sites, origin: np.ndarray, radius: np.ndarray, uniform: np.ndarray
               ) -> np.ndarray:
    """Cells drawn uniformly within Chebyshev ``radius`` of each ``origin`` (inside the
    grid): ``uniform`` has shape (origins, draws, 2); returns (origins, draws) cells."""
    y, x = np.divmod(origin, sites.width)
    picked = []
    for axis, (centre, size) in enumerate(((x, sites.width), (y, sites.height))):
        low = np.maximum(centre - radius, 0)[:, None]
        high = np.minimum(centre + radius, size - 1)[:, None]
        picked.append(low + (uniform[..., axis] * (high - low + 1)).astype(np.int64))
    x_new, y_new = picked
    return y_new * sites.width + x_new


def choose(model, rows: np.ndarray, origin: np.ndarray, cells: np.ndarray, valid: np.ndarray,
           signal: np.ndarray, uniform: np.ndarray) -> np.ndarray:
    """Each miner of ``rows`` picks one of its ``valid`` candidate ``cells`` (n × k) by
    multinomial logit on the site value; −1 where it has no valid candidate."""
    if len(rows) == 0:
        return np.zeros(0, dtype=np.int64)
    cells = np.where(valid, cells, origin[:, None])  # any cell: invalid ones are masked
    value = sum(site_values(model, rows, origin, cells, signal).values())
    value = np.where(valid, value, 0.0)
    # (options, miners) as logit_choice wants, copied to C order: it works row by row
    pick = logit_choice(np.ascontiguousarray(value.T), np.ones(len(rows)),
                        np.ascontiguousarray(valid.T), model.config.context.logit_scale_per_usd,
                        uniform)
    chosen = cells[np.arange(len(rows)), pick]
    grade = model.sites.grade()
    model.now.site_decisions.setdefault("choices", []).append(
        {"rows": rows, "grade_candidates": grade[cells], "valid": valid,
         "grade_chosen": grade[chosen]})
    return np.where(valid.any(axis=1), chosen, -1)


# ---------------------------------------------------------------------- plots
def plot_capacity(context) -> float:
    """Plots per cell: ``plots_per_cell``, unlimited (∞) with site choice knocked out."""
    return float(context.plots_per_cell) if context.site_choice else np.inf


def holding_plots(model) -> np.ndarray:
    """Per miner row: active and working a plot (not waiting for one)."""
    m = model.miners
    return m.active & (m.plotless == 0)


def free_plots(model, holding: np.ndarray | None = None) -> np.ndarray:
    """Free plots per cell (∞ without capacity): ``plots_per_cell`` less the miners
    ``holding`` a plot there (default: every active miner not waiting for a plot)."""
    m, sites = model.miners, model.sites
    holding = holding_plots(model) if holding is None else holding
    occupied = np.bincount(m.site[holding], minlength=sites.width * sites.height)
    return np.maximum(plot_capacity(model.config.context) - occupied, 0.0)


def licence_free_plots(model, holding: np.ndarray | None = None) -> np.ndarray:
    """Plots per cell a licence can claim (∞ without capacity): ``plots_per_cell`` less the
    licensees ``holding`` a plot there. Informal miners and applicants working a
    licensable cell give way to a licensee (:func:`claim_plots`): a licence is a title to
    its plot."""
    holding = holding_plots(model) if holding is None else holding
    return free_plots(model, holding & (model.miners.legal == Legal.LICENSED.value))


def reserved_plots(model, excluding: np.ndarray | None = None) -> np.ndarray:
    """Per cell: the plots pending licence applications have reserved (7.12). An
    application reserves the plot it was valued on (``licence_cell``), as a mining
    cadastre's first-come-first-served application reserves its area, so later applicants
    value only what is left, and no other claim on a licensed plot takes them (licensees
    choosing a site, crews following their head, group licences). ``excluding``: rows
    whose reservations are not counted."""
    from asmsim.model.teams import pit_plots  # teams imports this module

    m = model.miners
    pending = m.active & (m.legal == Legal.APPLICANT.value) & (m.licence_cell >= 0)
    if excluding is not None:
        pending[excluding] = False
    rows = np.flatnonzero(pending)
    return np.bincount(m.licence_cell[rows], weights=pit_plots(model, rows),
                       minlength=len(model.sites.ore_t)).astype(np.int64)


def unreserved_plots(model, holding: np.ndarray | None = None) -> np.ndarray:
    """Plots per cell a licence can claim (:func:`licence_free_plots`) that no pending
    application reserved (:func:`reserved_plots`): what any claim on a licensed plot but
    the reserving applicant's own may take."""
    return licence_free_plots(model, holding) - reserved_plots(model)


def claim_plots(model, holding: np.ndarray | None = None) -> np.ndarray:
    """After licensees took plots: on every cell holding more miners than plots, informal
    miners and applicants working there give way, in random order (per-miner stream
    ``plots/miners``), until the cell is within its plots; they wait for a plot (they
    choose one in this month's space step). Returns their rows."""
    m, sites = model.miners, model.sites
    holding = holding_plots(model) if holding is None else holding
    plots = plot_capacity(model.config.context)
    if not np.isfinite(plots):
        return np.zeros(0, dtype=np.int64)
    over = np.bincount(m.site[holding], minlength=sites.width * sites.height) - plots
    rows = np.flatnonzero(holding & (m.legal != Legal.LICENSED.value) & (over[m.site] > 0))
    key = model.uniforms("plots/miners", rows)
    order = cell_key_order(m.site[rows], key)
    cells = m.site[rows][order]
    rank = np.arange(len(cells)) - np.searchsorted(cells, cells, side="left")
    out = rows[order][rank < over[cells]]
    m.plotless[out] = 1
    model.now.stats["plots_claimed"] += len(out)
    return out


_KEY_BITS = np.iinfo(np.int32).bits - 1  # bits of a non-negative int32


def cell_key_order(target: np.ndarray, key: np.ndarray) -> np.ndarray:
    """``np.lexsort((key, target))``: indices by ``target`` (cells or rows, ≥ 0), then
    ``key``, then position. For per-miner uniforms (float32, ≥ 0) one stable sort of an
    int64 key does it, ≈ 2× faster: a non-negative float32 orders as its bits read as an
    int32 (< 2**31), placed below the target's bits."""
    if (key.dtype == np.float32 and len(key) and target.min() >= 0
            and target.max() <= np.iinfo(np.int64).max >> _KEY_BITS
            and key.view(np.int32).min() >= 0):
        joint = target.astype(np.int64) << _KEY_BITS
        joint |= key.view(np.int32)
        return np.argsort(joint, kind="stable")
    return np.lexsort((key, target))


def admit(target: np.ndarray, free: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Which choosers of cells ``target`` get a plot: those of each cell in order of
    ``key`` (lowest first), up to the cell's ``free`` plots. ``free`` is reduced in place
    by the plots taken. Vectorised: choosers sorted by (cell, key), ranked within their
    cell."""
    order = cell_key_order(target, key)
    cells = target[order]
    rank = np.arange(len(cells)) - np.searchsorted(cells, cells, side="left")
    admitted = np.empty(len(target), dtype=bool)
    admitted[order] = rank < free[cells]
    free -= np.bincount(target[admitted], minlength=len(free))
    return admitted


def admit_pits(target: np.ndarray, free: np.ndarray, key: np.ndarray, need: np.ndarray
               ) -> np.ndarray:
    """:func:`admit` for choosers that each take ``need`` plots (a head and its crew): in
    order of ``key`` within each cell, while the plots they need together fit in the
    cell's ``free`` plots. With every need 1 it admits as :func:`admit` does. ``free`` is
    reduced in place by the plots taken."""
    order = cell_key_order(target, key)
    cells, needs = target[order], need[order]
    total = np.cumsum(needs)
    first = np.searchsorted(cells, cells, side="left")
    before = total[first] - needs[first]  # plots needed by earlier cells' choosers
    admitted = np.empty(len(target), dtype=bool)
    admitted[order] = total - before <= free[cells]
    free -= np.bincount(target[admitted], weights=need[admitted],
                        minlength=len(free)).astype(free.dtype)
    return admitted


def allot_best(candidates: np.ndarray, score: np.ndarray, free: np.ndarray, key: np.ndarray,
               need: np.ndarray | None = None) -> np.ndarray:
    """Each chooser (row) gets the best-``score`` candidate cell (n × k, −1: none; score
    −∞: not acceptable) that has a free plot, cells admitting in order of ``key``; a chooser
    turned away from a full cell tries its next best. With ``need`` (plots per chooser: a
    head and its crew), a cell is open to a chooser only with that many free plots, and
    admitting it takes them all (:func:`admit_pits`). Rounds, not a loop over choosers:
    each round fills at least one cell or places everyone. −1 where none is left;
    ``free`` is reduced in place."""
    target = np.full(len(candidates), -1, dtype=np.int64)
    pending = np.arange(len(candidates))
    while len(pending):
        cells = candidates[pending]
        room = free[np.maximum(cells, 0)]
        open_ = (cells >= 0) & (room > 0 if need is None else room >= need[pending][:, None])
        value = np.where(open_, score[pending], -np.inf)
        pick = value.argmax(axis=1)
        rows = np.arange(len(pending))
        found = np.isfinite(value[rows, pick])
        pending, cell = pending[found], cells[rows, pick][found]
        if len(pending) == 0:
            break
        if need is None:
            admitted = admit(cell, free, key[pending])
        else:
            admitted = admit_pits(cell, free, key[pending], need[pending])
        target[pending[admitted]] = cell[admitted]
        pending = pending[~admitted]
    return target


def displace_excess(model, rows: np.ndarray) -> None:
    """Miners ``rows`` (the initial ones) beyond their cell's plots, in random order, wait
    for a plot (they choose one in the first month)."""
    m = model.miners
    if not len(rows) or not model.config.context.site_choice:
        return
    key = model.stream("site_choice").random(len(rows))
    free = np.full(model.sites.width * model.sites.height,
                   plot_capacity(model.config.context))
    m.plotless[rows[~admit(m.site[rows], free, key)]] = 1


# --------------------------------------------------------------------- step
def evictions(model, existing: int) -> np.ndarray:
    """Rows evicted this month (sorted): those sanctioned on concession or protected land
    (7.5), and those struck by their land's hazard (per-miner stream ``evictions/miners``,
    keyed by miner id, so a miner's draw does not depend on its row; miners suspended,
    waiting for a plot or just arrived are not on site)."""
    m, sites = model.miners, model.sites
    draw = model.uniforms("evictions/miners", slice(0, existing))
    site, legal = m.site[:existing], m.legal[:existing]
    at_risk = m.active[:existing] & (m.suspended[:existing] == 0) \
        & (m.plotless[:existing] == 0)
    hazard = land_hazard(model.config.context, sites.land_status[site], legal)
    struck = np.flatnonzero(at_risk & (draw < hazard))
    sanctioned = np.concatenate(model.now.evicted) if model.now.evicted else struck[:0]
    return _sorted_union(m.n, sanctioned[m.active[sanctioned]], struck)


def _sorted_union(n: int, *rows: np.ndarray) -> np.ndarray:
    """The rows (< ``n``) in any of ``rows``, sorted, each once: ``np.union1d`` by marking a
    mask (a few rows out of a table of ``n``: no sort)."""
    marked = np.zeros(n, dtype=bool)
    for some in rows:
        marked[some] = True
    return np.flatnonzero(marked)


def step(model) -> None:
    """Evictions, then site choice for evictees, miners on worked-out cells or waiting for
    a plot, a few others and this month's entrants; moves are paid, evictees lose
    ``relocation_months``; choosers turned away from full cells wait (entrants do not
    enter)."""
    m, ctx, sites, now = model.miners, model.config.context, model.sites, model.now
    existing = len(now.site_at_start)  # rows at the start of the month; entrants follow
    cells_total = sites.width * sites.height
    signal = sites.grade() * model.stream("site_choice").lognormal(0.0, ctx.grade_info_sigma,
                                                                   cells_total)
    evicted = evictions(model, existing)
    draws = SiteDraws(model)
    origin_of_evicted = m.site[evicted].copy()
    m.excluded_cell[evicted] = origin_of_evicted
    m.excluded_until[evicted] = model.month + ctx.eviction_exclusion_months
    licensed = m.legal == Legal.LICENSED.value
    informal_evicted = evicted[~licensed[evicted]]
    not_evicted = np.ones(m.n, dtype=bool)
    not_evicted[evicted] = False
    stranded = np.flatnonzero(m.active[:existing] & sites.exhausted()[m.site[:existing]]
                              & ~licensed[:existing] & (m.plotless[:existing] == 0)
                              & not_evicted[:existing])
    if ctx.site_choice:
        # Evicted licensees first: a licence is a title to a plot (licensees waiting for
        # one retried earlier in the month, population.move_and_resort).
        holding = holding_plots(model)
        holding[evicted] = holding[existing:] = False
        _move_licensed(model, evicted[licensed[evicted]], signal, existing, holding, draws,
                       ctx.eviction_search_radius_cells, may_stay=False)
        # Licensees reconsider their plot as informal miners their site, among licensable
        # plots (their licence moves with them).
        reconsider = holding & (m.legal == Legal.LICENSED.value) & (m.suspended == 0) \
            & (draws.reconsider() < ctx.site_reconsider_prob)
        reconsider[evicted] = False
        _move_licensed(model, np.flatnonzero(reconsider), signal, existing, holding, draws,
                       ctx.site_search_radius_cells, may_stay=True)
        waiting = m.active[:existing] & (m.plotless[:existing] > 0)
        waiting[evicted] = False
        waiting_informal = np.flatnonzero(waiting & (m.legal[:existing] != Legal.LICENSED.value))
        holding = holding_plots(model)
        holding[informal_evicted] = holding[stranded] = holding[existing:] = False
        free = free_plots(model, holding)
        entrants = np.flatnonzero(m.active[existing:]) + existing
        reconsider = holding & (m.legal == Legal.INFORMAL.value) & (m.suspended == 0) \
            & (draws.reconsider() < ctx.site_reconsider_prob)
        movers = np.concatenate([informal_evicted, stranded, waiting_informal])
        holders = np.flatnonzero(reconsider)
        rows = np.concatenate([movers, holders, entrants])
        radius = np.where(np.arange(len(rows)) < len(informal_evicted),
                          ctx.eviction_search_radius_cells, ctx.site_search_radius_cells)
        origin = m.site[rows]
        drawn = draw_cells(sites, origin, radius, draws.candidates(rows))
        cells = np.concatenate([origin[:, None], drawn], axis=1)
        valid = ~sites.exhausted()[cells] & ~excluded(model, rows, cells) & (free[cells] > 0)
        kind = np.repeat([0, 1, 2], [len(movers), len(holders), len(entrants)])
        own = cells == origin[:, None]
        valid |= own & (kind == 1)[:, None]  # a holder may keep its plot
        valid &= ~(own & (kind == 0)[:, None])  # evictees, worked-out and waiting miners move
        chosen = choose(model, rows, origin, cells, valid, signal, draws.column(CHOICE, rows))
        asking = (chosen >= 0) & ~((kind == 1) & (chosen == origin))
        admitted = np.zeros(len(rows), dtype=bool)
        admitted[asking] = admit(chosen[asking], free, draws.column(ADMISSION, rows[asking]))
        _move(model, rows[admitted], chosen[admitted], existing)
        m.plotless[rows[admitted]] = 0
        turned_away = rows[(kind == 0) & ~admitted]
        m.plotless[turned_away] += 1
        _turn_away_entrants(model, rows[(kind == 2) & ~admitted])
    else:
        rows = np.concatenate([informal_evicted, stranded])
        u = model.uniforms("moves/miners", rows, MoveDraw.OTHER_CELL)  # keyed by miner id
        random_cells = 1 + np.minimum((u * (cells_total - 1)).astype(np.int64), cells_total - 2)
        m.site[rows] = (m.site[rows] + random_cells) % cells_total
    m.suspended[evicted] += ctx.relocation_months
    moved = evicted[m.site[evicted] != origin_of_evicted]
    distance = chebyshev(sites, origin_of_evicted, m.site[evicted])
    now.site_decisions["evicted"] = (evicted, origin_of_evicted)
    now.stats["evictions"] += len(evicted)
    now.stats["evictees_moved"] += len(moved)
    now.stats["eviction_distance_cells"] += float(distance.sum())


RECONSIDER, CHOICE, ADMISSION, CANDIDATES = 0, 1, 2, 3  # columns of a miner's draws


class SiteDraws:
    """This month's uniforms for site choice (per-miner stream ``site_choice/miners``,
    keyed by miner id, so that a miner's draws do not depend on who else decides): a block
    of columns — whether it reconsiders, its logit draw, its place in the queue for a
    plot, and two per candidate cell. Each column is keyed separately, so a column is
    computed only for the rows asked for (the same numbers as the whole block's): most
    miners need only the first column."""

    def __init__(self, model):
        self._stream = model.stream
        self._uid = model.miners.uid
        self._candidates = model.config.context.site_candidates
        self._reconsider: np.ndarray | None = None

    def column(self, column: int, rows: np.ndarray) -> np.ndarray:
        """Uniforms (float32, [0, 1)) of ``column`` for miner rows ``rows``."""
        return self._stream.per_miner_column("site_choice/miners", self._uid[rows], column)

    def reconsider(self) -> np.ndarray:
        """The ``RECONSIDER`` uniform of every row (float32; computed once a month)."""
        if self._reconsider is None:
            self._reconsider = self._stream.per_miner_column("site_choice/miners", self._uid,
                                                             RECONSIDER)
        return self._reconsider

    def candidates(self, rows: np.ndarray) -> np.ndarray:
        """Uniforms (rows, candidates, 2) placing each decider's candidate cells, float64
        (columns ``CANDIDATES`` + 2·candidate + axis)."""
        columns = range(CANDIDATES, CANDIDATES + 2 * self._candidates)
        draws = self._stream.per_miner_columns("site_choice/miners", self._uid[rows], columns)
        return draws.reshape(len(rows), self._candidates, 2).astype(np.float64)


def _turn_away_entrants(model, rows: np.ndarray) -> None:
    """Entrants who found no free plot near their village do not enter (they stay in the
    labour pool): their rows are dropped and this month's entries reduced."""
    if len(rows) == 0:
        return
    model.miners.active[rows] = False
    model.entered_total -= len(rows)
    model.now.stats["entries"] -= len(rows)
    model.now.stats["entrants_turned_away"] += len(rows)


def excluded(model, rows: np.ndarray, cells: np.ndarray) -> np.ndarray:
    """Candidate cells a miner will not go back to: the cell it was evicted from, until
    ``eviction_exclusion_months`` after the eviction."""
    m = model.miners
    return (cells == m.excluded_cell[rows][:, None]) \
        & (model.month <= m.excluded_until[rows])[:, None]


def _move_licensed(model, rows: np.ndarray, signal: np.ndarray, existing: int,
                   holding: np.ndarray, draws: SiteDraws, radius: int, may_stay: bool
                   ) -> None:
    """Licensees ``rows`` choose, licence and all, among the licensable plots within
    ``radius`` that are not worked out and not full of licensees (logit on the site
    value; the cell a miner was evicted from excluded). With ``may_stay`` (licensees
    reconsidering) their own plot is a candidate and one turned away from a full cell
    keeps it. Without (evictees), turned away from a full cell or with every plot in
    reach full, they wait where they are (no work; they retry next month with
    :func:`asmsim.model.population.move_and_resort`), and with no licensable plot in
    reach at all the licence lapses and they wait as informal miners. Plots are those a
    licence can claim among the miners ``holding`` one (:func:`licence_free_plots`;
    updated in place); informal miners beyond a cell's plots then give way
    (:func:`claim_plots`); plots pending applications reserved are not free
    (:func:`unreserved_plots`)."""
    m, sites = model.miners, model.sites
    if len(rows) == 0:
        return
    free = unreserved_plots(model, holding)
    near, _ = sites.plots_near(radius, model.config.policy.legal.open_land_licensable)
    origin = m.site[rows]
    cells = near[origin]
    own = cells == origin[:, None]
    valid = (cells >= 0) & (~own if not may_stay else True)
    cells = np.where(valid, cells, origin[:, None])
    valid &= ~sites.exhausted()[cells] & ~excluded(model, rows, cells)
    in_reach = valid.any(axis=1)
    valid &= (free[cells] > 0) | (own & may_stay)
    chosen = choose(model, rows, origin, cells, valid, signal, draws.column(CHOICE, rows))
    asking = (chosen >= 0) & (chosen != origin)
    admitted = np.zeros(len(rows), dtype=bool)
    admitted[asking] = admit(chosen[asking], free, draws.column(ADMISSION, rows[asking]))
    _move(model, rows[admitted], chosen[admitted], existing)
    if not may_stay:
        m.plotless[rows[admitted]] = 0
        m.plotless[rows[~admitted]] += 1
        lapsed = rows[~in_reach]
        m.legal[lapsed] = Legal.INFORMAL
        m.via_coop[lapsed] = False
        holding[rows[admitted]] = True
    claim_plots(model, holding)


def _move(model, rows: np.ndarray, target: np.ndarray, existing: int) -> None:
    """Miners ``rows`` go to ``target``; those already in the table at the start of the
    month pay the move (``move_cost_usd_per_cell`` × distance, up to their cash)."""
    m, sites = model.miners, model.sites
    distance = chebyshev(sites, m.site[rows], target)
    paying = (rows < existing) & (distance > 0)
    payers = rows[paying]
    cost = model.config.context.move_cost_usd_per_cell * distance[paying]
    model.now.ledger.debit_rows(m.cash, "moves", payers, np.minimum(m.cash[payers], cost))
    m.site[rows] = target
