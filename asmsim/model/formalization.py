"""Submodel: formalization — licences and cooperatives, the legal and social dimensions (ODD 7.8).

The monthly value of holding a licence (USD/month) is a sum of named terms,
one per mechanism, so every lever acts through a visible term::

    market_access      better channels open to a licensee (logit inclusive value; royalty inside)
    avoided_sanctions  expected fines, seizures and lost months avoided
    credit             cheaper formal credit open to a licensee
    tenure             eviction risk avoided on the miner's ground (space.tenure_value)
    site_change        moving to the licensed plot: gold gained or lost there, minus the move
                       (0 for a miner already on licensable land; −∞ if no plot is in reach)
    fee                − (fee + office travel) spread over the licence term
    compliance         − reporting, safety and environmental duties
    waiting            − the share of the term lost in the queue × the gains above
    social             neighbours already licensed
    trust              trust in government (− below 0.5, + above)
    inertia            status-quo bias: − to change status, + to keep a licence at renewal
"""

from __future__ import annotations

import numpy as np

from asmsim.model import space, teams
from asmsim.model.channels import open_by_status
from asmsim.model.choice import choose, inclusive_value
from asmsim.model.enforcement import expected_audit_cost
from asmsim.model.enums import Channel, FormalizationDraw, Legal
from asmsim.model.finance import pay_with_credit
from asmsim.model.scale import count_this_month, per_population


def licence_terms(model, rows: np.ndarray, fee_usd: float, *, renewal: bool = False,
                  site_change: np.ndarray | float = 0.0) -> dict[str, np.ndarray]:
    """Named terms of the monthly value of a licence (USD/month) for miners ``rows``.

    Each term is an array over ``rows``, or a float where it is the same for all of them;
    ``site_change`` is the value of moving to the licensed plot (see :func:`licence_sites`).
    """
    cfg, ctx, m = model.config, model.config.context, model.miners
    legal_cfg = cfg.policy.legal
    scale = ctx.logit_scale_per_usd
    g = model.now.expected_grams[rows]
    # Channel values as an informal miner and as a licensee (who risks an audit when it
    # sells to a trader, enforcement.expected_audit_cost), whatever the miner's status now.
    as_informal = model.now.per_gram_utility[:, rows] * g - model.now.trip_cost[:, rows]
    as_licensee = as_informal.copy()
    as_licensee[Channel.TRADER] -= expected_audit_cost(model, True)
    open_to = open_by_status(model.now.prices)  # (channels, statuses), built once for both
    now = inclusive_value(as_informal, np.flatnonzero(open_to[:, Legal.INFORMAL]).tolist(), scale)
    licensed = inclusive_value(as_licensee, np.flatnonzero(open_to[:, Legal.LICENSED]).tolist(),
                               scale)
    market_access = licensed - now

    inspected = space.inspection_prob(model, model.sites.land_status[m.site[rows]], funded=False)
    p_caught = inspected * (1 - legal_cfg.corruption)
    p_bribe = inspected * legal_cfg.corruption
    sanction = legal_cfg.fine_usd + legal_cfg.seizure_prob * ctx.equipment_value_usd \
        + ctx.suspension_months * np.maximum(m.exp_income[rows], 0.0)
    avoided_sanctions = p_caught * sanction + p_bribe * ctx.bribe_share_of_fine * legal_cfg.fine_usd

    credit = model.now.licensed_credit_value
    tenure = space.tenure_value(model, rows)  # eviction risk avoided (7.12)
    travel = 0.0 if legal_cfg.decentralised_offices or renewal else ctx.office_travel_cost_usd
    fee = -(fee_usd + travel) / legal_cfg.licence_duration_months
    compliance = -ctx.compliance_cost_usd_month
    gains = np.maximum(market_access + avoided_sanctions + tenure, 0.0)
    wait = 0.0 if renewal else expected_wait_months(model)
    waiting = -min(wait / legal_cfg.licence_duration_months, 1.0) * gains
    social = ctx.social_weight_usd * model.now.neighbour_licensed[m.site[rows]]
    trust = ctx.trust_weight_usd * 2.0 * (m.trust[rows] - 0.5)
    # Status-quo bias: changing one's status costs it, keeping a licence gains it.
    inertia = ctx.formalization_inertia_usd * (1.0 if renewal else -1.0)
    return {"market_access": market_access, "avoided_sanctions": avoided_sanctions,
            "credit": credit, "tenure": tenure, "site_change": site_change, "fee": fee,
            "compliance": compliance,
            "waiting": waiting, "social": social, "trust": trust, "inertia": inertia}


def step(model) -> None:
    """Miners' formal-status decisions this month: renewals, applications, cooperatives."""
    renew_or_lapse(model)
    apply_for_licences(model)
    update_cooperatives(model)


def expected_wait_months(model) -> float:
    """Months a new applicant expects to wait for a licence."""
    legal = model.config.policy.legal
    m = model.miners
    queue = int(np.count_nonzero(m.active & (m.legal == Legal.APPLICANT.value)))
    capacity = per_population(model, legal.office_capacity_per_1000_miners)  # licences/month
    if capacity <= 0:
        return float("inf")
    return max(legal.licence_processing_months, queue / capacity)


def licence_sites(model, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The cell each miner of ``rows`` would hold a licence for, and the monthly value
    (USD/month) of working there instead of where it works now.

    A licence is granted for the ground the miner works where that ground is licensable
    (no move, value 0). Elsewhere (concession, protected or open land) the miner looks for
    the richest licensable plot within ``context.licence_search_radius_cells``: the value
    is the gold gained or lost there at the licensee's net price, minus the move
    (``move_cost_usd_per_cell`` × distance, spread over the licence term). Cell −1 and value
    −∞ where no licensable plot is in reach.
    """
    m, ctx, sites, now = model.miners, model.config.context, model.sites, model.now
    legal_cfg = model.config.policy.legal
    licensable = sites.licensable(legal_cfg.open_land_licensable)
    own = m.site[rows]
    target, distance = own.copy(), np.zeros(len(rows), dtype=np.int64)
    away = np.flatnonzero(~licensable[own])
    target[away], distance[away] = best_plots(model, own[away],
                                              need=teams.pit_plots(model, rows[away]))
    grade = sites.grade()
    reach = target >= 0
    grams_gained = (grade[np.where(reach, target, own)] - grade[own]) * now.potential_t[rows] \
        * now.recovery_by_tech[m.tech[rows]]
    net_price = now.prices.licensed * (1 - now.prices.royalty_rate)
    value = grams_gained * net_price - ctx.move_cost_usd_per_cell * distance \
        / legal_cfg.licence_duration_months
    return target, np.where(reach, value, -np.inf)


def licence_plots_near(model) -> tuple[np.ndarray, np.ndarray]:
    """Per cell, the licensable cells within ``context.licence_search_radius_cells`` and
    their distances (cells): :meth:`asmsim.model.sites.Sites.plots_near`'s tables."""
    return model.sites.plots_near(model.config.context.licence_search_radius_cells,
                                  model.config.policy.legal.open_land_licensable)


def grade_scores(model, candidates: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """The grade (g/t) of each candidate cell (n × k, −1 padded), −∞ where there is no
    candidate or the cell is not ``usable`` (a mask over cells). Scored once per cell of
    the grid, then gathered: the same numbers as scoring every candidate."""
    per_cell = np.where(usable, model.sites.grade(), -np.inf)
    return np.where(candidates >= 0, per_cell[np.maximum(candidates, 0)], -np.inf)


def plot_scores(model, origins: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For miners on cells ``origins``: the licensable cells within
    ``context.licence_search_radius_cells`` (n × k, −1 padded), their distances (cells) and
    their grades (g/t; −∞ where there is no cell or it is worked out)."""
    near, distance = licence_plots_near(model)
    candidates = near[origins]
    return candidates, distance[origins], grade_scores(model, candidates,
                                                       ~model.sites.exhausted())


def best_plots(model, origins: np.ndarray, need: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
    """For miners on cells ``origins``: the richest licensable plot not worked out and not
    full of licensees (7.12) within ``context.licence_search_radius_cells`` (−1 if none) and its
    distance (cells). ``need``: the plots each miner's pit needs there (its head and the
    crew the licence covers, :func:`asmsim.model.teams.pit_plots`; default 1). A
    valuation: the plot is not taken (see :func:`allot_plots`)."""
    if len(origins) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    near, distance = licence_plots_near(model)
    candidates = near[origins]
    room = space.unreserved_plots(model)
    usable = ~model.sites.exhausted() & (room > 0)
    score = grade_scores(model, candidates, usable)
    if need is not None:
        score[room[np.maximum(candidates, 0)] < need[:, None]] = -np.inf
    pick = score.argmax(axis=1)
    rows = np.arange(len(origins))
    found = np.isfinite(score[rows, pick])
    return (np.where(found, candidates[rows, pick], -1),
            np.where(found, distance[origins, pick], 0))


def allot_plots(model, rows: np.ndarray, key: np.ndarray, keep: bool = True,
                reserved: np.ndarray | None = None, need: np.ndarray | None = None
                ) -> np.ndarray:
    """The plot each miner of ``rows`` takes with a licence: with ``keep``, the plot it
    works if that ground is licensable; otherwise the richest licensable plot, not worked
    out, with a plot no licensee holds, within ``context.licence_search_radius_cells`` —
    plots allotted in order of ``key`` (lowest first; one turned away from a full cell takes its next
    best; the cell a miner was evicted from is excluded as in site choice). With
    ``reserved`` (a cell per row, −1: none), a miner first takes the plot its application
    reserved if it is still free, and the plots other pending applications reserved are
    not free to the rest. With ``need`` (plots per row: a head and the crew its licence
    covers), a miner that moves only takes a cell (its reserved one too) with that many
    plots no licensee holds, and takes them all, so that the pits allotted after it in the
    queue count only what is left (:func:`asmsim.model.space.admit_pits`).
    −1 where no plot is free in reach. Informal miners working a
    plot a licensee takes give way (:func:`asmsim.model.space.claim_plots`, called once
    the licensees have moved)."""
    m, sites = model.miners, model.sites
    licensable = sites.licensable(model.config.policy.legal.open_land_licensable)
    own = m.site[rows]
    stays = keep & licensable[own] & (m.plotless[rows] == 0)
    target = np.where(stays, own, -1)
    away = np.flatnonzero(~stays)
    if len(away):
        candidates = licence_plots_near(model)[0][own[away]]
        score = grade_scores(model, candidates, ~sites.exhausted())
        score[space.excluded(model, rows[away], candidates)] = -np.inf
        free = space.licence_free_plots(model)
        free -= np.bincount(own[stays], minlength=len(free))  # plots of those who stay
        pit = None if need is None else need[away]
        if reserved is not None:
            own_reservation = reserved[away][:, None]
            target[away] = space.allot_best(own_reservation, np.where(
                own_reservation >= 0, 0.0, -np.inf), free, key[away], pit)
            left = target[away] < 0  # its reserved plot was taken, too small or none
            away, candidates, score = away[left], candidates[left], score[left]
            pit = None if pit is None else pit[left]
        free -= space.reserved_plots(model, excluding=rows)  # others' reservations
        target[away] = space.allot_best(candidates, score, free, key[away], pit)
    return target


def draws(model, rows: np.ndarray, decision: FormalizationDraw) -> np.ndarray:
    """This month's uniforms (float32, [0, 1)) of miners ``rows`` for ``decision``, its
    column of the per-miner stream ``formalization/miners``: keyed by miner id, so a
    miner's draw does not depend on how many others decide (common random numbers)."""
    return model.uniforms("formalization/miners", rows, column=decision)


def apply_for_licences(model) -> None:
    """Informal miners reconsider; those who value a licence (on the plot they would hold)
    apply and pay the fee, if they can; they keep mining where they are until the grant."""
    m, ctx, legal_cfg = model.miners, model.config.context, model.config.policy.legal
    if legal_cfg.office_capacity_per_1000_miners <= 0:
        return
    informal = np.flatnonzero(m.active & (m.legal == Legal.INFORMAL.value) & (m.pit == m.uid))
    rows = informal[model.uniforms("apply/miners", informal) < ctx.reconsider_prob]
    if len(rows) == 0:
        return
    target, site_change = licence_sites(model, rows)
    terms = licence_terms(model, rows, legal_cfg.licence_fee_usd, site_change=site_change)
    value = sum(terms.values())
    chosen = choose(value, ctx.logit_scale_per_usd, draws(model, rows, FormalizationDraw.APPLY))
    wants, target = rows[chosen], target[chosen]
    with_land = has_land_rights(model, wants)
    model.now.stats["applications_no_land"] += int(np.count_nonzero(~with_land))
    wants, target = wants[with_land], target[with_land]
    travel = 0.0 if legal_cfg.decentralised_offices else ctx.office_travel_cost_usd
    paid = pay_with_credit(model, wants, legal_cfg.licence_fee_usd, purpose="fee", travel=travel)
    applicants = wants[paid]
    model.now.stats["applications"] += len(applicants)
    model.now.stats["applications_unaffordable"] += len(wants) - len(applicants)
    m.legal[applicants] = Legal.APPLICANT
    m.applied_month[applicants] = model.month
    m.licence_cell[applicants] = target[paid]


def has_land_rights(model, rows: np.ndarray) -> np.ndarray:
    """Whether miners ``rows`` can show the land rights a licence application needs: men
    can; a woman can with probability ``l_w + (1 − l_w)·a``, ``l_w`` =
    ``context.women_land_access``, ``a`` = ``policy.social.women_land_access`` (a lever)."""
    m = model.miners
    access = model.config.context.women_land_access
    access += (1.0 - access) * model.config.policy.social.women_land_access
    women = m.woman[rows]
    if access >= 1.0 or not women.any():
        return np.ones(len(rows), dtype=bool)
    return ~women | (draws(model, rows, FormalizationDraw.LAND_RIGHTS) < access)


def process_queue(model) -> None:
    """The licensing office grants up to its capacity, oldest eligible applications first."""
    m, ctx, legal_cfg = model.miners, model.config.context, model.config.policy.legal
    waiting = m.active & (m.legal == Legal.APPLICANT.value)
    rows = np.flatnonzero(waiting)
    if len(rows) == 0:
        return
    waited = model.month - m.applied_month[rows]
    ready = rows[waited >= legal_cfg.licence_processing_months]
    ready = ready[np.lexsort((ready, m.applied_month[ready]))]
    if ctx.site_choice:  # the plot: its own ground if licensable, else the richest free one
        plot = allot_plots(model, ready, np.arange(len(ready)),  # in queue order (7.12)
                           reserved=m.licence_cell[ready],
                           need=teams.pit_plots(model, ready))
        ready, plot = ready[plot >= 0], plot[plot >= 0]  # no free plot in reach: not yet
    else:
        plot = m.licence_cell[ready]  # chosen at the application
    capacity = count_this_month(model, legal_cfg.office_capacity_per_1000_miners)
    granted = ready[: model.government.grant("licensing", ctx.licence_processing_cost_usd,
                                             capacity)]
    model.now.spend("licensing", len(granted) * ctx.licence_processing_cost_usd)
    moved = granted[m.site[granted] != plot[: len(granted)]]
    m.site[granted] = plot[: len(granted)]  # the licensed plot
    m.plotless[granted] = 0
    m.legal[granted] = Legal.LICENSED
    m.licence_cell[granted] = -1
    m.licence_expiry[granted] = model.month + legal_cfg.licence_duration_months
    m.via_coop[granted] = False
    teams.follow_licence(model, moved)  # the crews the licence covers come along
    space.claim_plots(model)  # informal miners on the plots taken give way
    m.trust[granted] = np.minimum(1.0, m.trust[granted] + ctx.trust_gain_support)
    # Those still waiting past the statutory time may give up (the fee is lost).
    overdue = waited > legal_cfg.licence_processing_months
    overdue[np.searchsorted(rows, granted)] = False  # rows is sorted and holds every grantee
    still = rows[overdue]
    quits = still[draws(model, still, FormalizationDraw.GIVE_UP) < ctx.applicant_giveup_prob]
    m.legal[quits] = Legal.INFORMAL
    m.licence_cell[quits] = -1
    m.trust[quits] = np.maximum(0.0, m.trust[quits] - 0.5 * ctx.trust_loss_sanction)
    model.now.stats["licences_granted"] += len(granted)


def renew_or_lapse(model) -> None:
    """At expiry a licence is renewed (fee paid) if still worth it, else it lapses."""
    m, ctx, cfg = model.miners, model.config.context, model.config.policy
    expiring = np.flatnonzero(m.active & (m.legal == Legal.LICENSED.value)
                              & (m.licence_expiry <= model.month) & (m.pit == m.uid))
    if len(expiring) == 0:
        return
    group = m.via_coop[expiring] & m.coop[expiring] & cfg.legal.group_licences \
        & cfg.social.coop_support
    renewal_fee = cfg.legal.licence_fee_usd * cfg.legal.renewal_fee_share
    fee = np.where(group, renewal_fee * ctx.coop_fee_share, renewal_fee)
    value = sum(licence_terms(model, expiring, 0.0, renewal=True).values()) \
        - fee / cfg.legal.licence_duration_months
    renewed = choose(value, ctx.logit_scale_per_usd,
                     draws(model, expiring, FormalizationDraw.RENEW))
    renewed[renewed] = pay_with_credit(model, expiring[renewed], fee[renewed], purpose="fee")
    m.licence_expiry[expiring[renewed]] = model.month + cfg.legal.licence_duration_months
    lapsed = expiring[~renewed]
    m.legal[lapsed] = Legal.INFORMAL
    m.via_coop[lapsed] = False
    model.now.stats["licences_lapsed"] += len(lapsed)


def coop_value(model, rows: np.ndarray) -> np.ndarray:
    """Monthly value (USD) of cooperative membership for miners ``rows``."""
    m, ctx, cfg = model.miners, model.config.context, model.config.policy
    support = cfg.social.coop_support
    value = np.full(len(rows), ctx.coop_benefit_usd_month - (0.0 if support else 10.0))
    value += ctx.trust_weight_usd * 2.0 * (m.trust[rows] - 0.5)
    if support and cfg.legal.group_licences:
        _, site_change = licence_sites(model, rows)
        terms = licence_terms(model, rows, cfg.legal.licence_fee_usd * ctx.coop_fee_share,
                              renewal=True, site_change=site_change)
        group_value = np.maximum(sum(terms.values()), 0.0)
        value += np.where((m.legal[rows] == Legal.LICENSED) & ~m.via_coop[rows], 0.0,
                          group_value)
    if support and cfg.social.women_priority > 0:
        value += np.where(m.woman[rows], ctx.coop_benefit_usd_month * cfg.social.women_priority,
                          0.0)
    return value


def update_cooperatives(model) -> None:
    """Members and non-members reconsider: join if membership is worth more than inertia, leave
    if it is worth less than nothing. Support and group licences make it worth more."""
    m, ctx, cfg = model.miners, model.config.context, model.config.policy
    draw = model.uniforms("coops/miners")
    rows = np.flatnonzero(m.active & (draw < ctx.reconsider_prob))
    if len(rows) == 0:
        return
    value = coop_value(model, rows)
    member = m.coop[rows]
    stay_or_join = choose(value - np.where(member, 0.0, ctx.formalization_inertia_usd),
                          ctx.logit_scale_per_usd, draws(model, rows, FormalizationDraw.COOP))
    joins = rows[~member & stay_or_join]
    leaves = rows[member & ~stay_or_join]
    m.coop[joins] = True
    m.coop[leaves] = False
    group_members = leaves[m.via_coop[leaves] & ~m.covered[leaves]]
    m.legal[group_members] = Legal.INFORMAL  # a group licence does not follow a leaver
    m.via_coop[group_members] = False
    support = cfg.social.coop_support
    if support:
        grants = model.government.grant("extension", ctx.coop_grant_usd, len(joins)) \
            * ctx.coop_grant_usd
        model.now.spend("extension", grants)
        model.now.stats["coop_grants_usd"] += grants
    if support and cfg.legal.group_licences:
        newly = joins[(m.legal[joins] != Legal.LICENSED) & (m.pit[joins] == m.uid[joins])]
        if model.config.context.site_choice:  # a free plot, allotted in random order (7.12)
            target = allot_plots(model, newly, model.uniforms("plots/miners", newly))
        else:
            target, _ = licence_sites(model, newly)
        newly, target = newly[target >= 0], target[target >= 0]  # a licensable plot in reach
        fee = cfg.legal.licence_fee_usd * ctx.coop_fee_share
        paid = pay_with_credit(model, newly, fee, purpose="fee")
        members = newly[paid]
        m.site[members] = target[paid]
        m.plotless[members] = 0
        m.legal[members] = Legal.LICENSED
        space.claim_plots(model)  # informal miners on the plots taken give way
        m.licence_cell[members] = -1
        m.via_coop[members] = True
        m.licence_expiry[members] = model.month + cfg.legal.licence_duration_months
