"""Submodel: formalization — licences and cooperatives, the legal and social dimensions (ODD 7.6, 7.7).

The monthly value of holding a licence (USD/month) is a sum of named terms,
one per mechanism, so every lever acts through a visible term::

    market_access      better channels open to a licensee (logit inclusive value; royalty inside)
    avoided_sanctions  expected fines, seizures and lost months avoided
    credit             cheaper formal credit open to a licensee
    tenure             security of tenure
    fee                − (fee + office travel) spread over the licence term
    compliance         − reporting, safety and environmental duties
    waiting            − the share of the term lost in the queue × the gains above
    social             neighbours already licensed
    trust              trust in government (− below 0.5, + above)
    inertia            status-quo bias: − to change status, + to keep a licence at renewal
"""

from __future__ import annotations

import numpy as np

from asmsim.model.channels import open_channels
from asmsim.model.choice import choose, inclusive_value
from asmsim.model.enums import Channel, LandStatus, Legal
from asmsim.model.finance import pay_with_credit


def licence_terms(model, rows: np.ndarray, fee_usd: float, *, renewal: bool = False
                  ) -> dict[str, np.ndarray]:
    """Named terms of the monthly value of a licence (USD/month) for miners ``rows``.

    Each term is an array over ``rows``, or a float where it is the same for all of them.
    """
    cfg, ctx, m = model.config, model.config.context, model.miners
    legal_cfg = cfg.policy.legal
    scale = ctx.logit_scale_per_usd
    g = model.now.expected_grams[rows]
    # Per-gram utilities as an informal miner and as a licensee (who bears a duty to sell
    # formally), whatever the miner's status now.
    penalty = ctx.licensee_trader_penalty_usd_per_g
    as_informal = model.now.per_gram_utility[:, rows] * g
    as_informal[Channel.TRADER] += penalty * g * (m.legal[rows] == Legal.LICENSED)
    as_licensee = as_informal.copy()
    as_licensee[Channel.TRADER] -= penalty * g
    now = inclusive_value(as_informal, open_channels(model.now.prices, Legal.INFORMAL), scale)
    licensed = inclusive_value(as_licensee, open_channels(model.now.prices, Legal.LICENSED), scale)
    market_access = licensed - now

    p_caught = legal_cfg.inspection_prob * ctx.visibility_informal * (1 - legal_cfg.corruption)
    p_bribe = legal_cfg.inspection_prob * ctx.visibility_informal * legal_cfg.corruption
    sanction = legal_cfg.fine_usd + legal_cfg.seizure_prob * ctx.equipment_value_usd \
        + ctx.suspension_months * np.maximum(m.exp_income[rows], 0.0)
    avoided_sanctions = p_caught * sanction + p_bribe * ctx.bribe_share_of_fine * legal_cfg.fine_usd

    credit = model.now.licensed_credit_value
    tenure = ctx.tenure_value_usd_month
    travel = 0.0 if legal_cfg.decentralised_offices else ctx.office_travel_cost_usd
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
            "credit": credit, "tenure": tenure, "fee": fee, "compliance": compliance,
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
    queue = int(np.count_nonzero(m.active & (m.legal == Legal.APPLICANT)))
    if legal.office_capacity_per_month == 0:
        return float("inf")
    return max(legal.licence_processing_months, queue / legal.office_capacity_per_month)


def licensable_cells(model) -> np.ndarray:
    """Cells where a licence can be granted (ASM zones)."""
    return model.sites.zone_cells


def apply_for_licences(model) -> None:
    """Informal miners reconsider; those who value a licence apply and pay the fee."""
    m, ctx, legal_cfg = model.miners, model.config.context, model.config.policy.legal
    zones = licensable_cells(model)
    if len(zones) == 0 or legal_cfg.office_capacity_per_month == 0:
        return
    draw = model.stream("formalization").random(m.n)
    reconsider = m.active & (m.legal == Legal.INFORMAL) & (draw < ctx.reconsider_prob)
    rows = np.flatnonzero(reconsider)
    if len(rows) == 0:
        return
    terms = licence_terms(model, rows, legal_cfg.licence_fee_usd)
    value = sum(terms.values())
    wants = rows[choose(value, ctx.logit_scale_per_usd, model.stream("formalization"))]
    travel = 0.0 if legal_cfg.decentralised_offices else ctx.office_travel_cost_usd
    paid = pay_with_credit(model, wants, legal_cfg.licence_fee_usd, purpose="fee", travel=travel)
    applicants = wants[paid]
    model.now.stats["applications"] += len(applicants)
    model.now.stats["applications_unaffordable"] += len(wants) - len(applicants)
    m.legal[applicants] = Legal.APPLICANT
    m.applied_month[applicants] = model.month
    outside = applicants[model.sites.land_status[m.site[applicants]] != LandStatus.ASM_ZONE]
    m.site[outside] = model.stream("formalization").choice(zones, size=len(outside))


def process_queue(model) -> None:
    """The licensing office grants up to its capacity, oldest eligible applications first."""
    m, ctx, legal_cfg = model.miners, model.config.context, model.config.policy.legal
    waiting = m.active & (m.legal == Legal.APPLICANT)
    rows = np.flatnonzero(waiting)
    if len(rows) == 0:
        return
    waited = model.month - m.applied_month[rows]
    ready = rows[waited >= legal_cfg.licence_processing_months]
    ready = ready[np.lexsort((ready, m.applied_month[ready]))]
    granted = ready[: legal_cfg.office_capacity_per_month]
    m.legal[granted] = Legal.LICENSED
    m.licence_expiry[granted] = model.month + legal_cfg.licence_duration_months
    m.via_coop[granted] = False
    m.trust[granted] = np.minimum(1.0, m.trust[granted] + ctx.trust_gain_support)
    # Those still waiting past the statutory time may give up (the fee is lost).
    overdue = waited > legal_cfg.licence_processing_months
    overdue[np.searchsorted(rows, granted)] = False  # rows is sorted and holds every grantee
    still = rows[overdue]
    quits = still[model.stream("formalization").random(len(still)) < ctx.applicant_giveup_prob]
    m.legal[quits] = Legal.INFORMAL
    m.trust[quits] = np.maximum(0.0, m.trust[quits] - 0.5 * ctx.trust_loss_sanction)
    model.now.stats["licences_granted"] += len(granted)


def renew_or_lapse(model) -> None:
    """At expiry a licence is renewed (fee paid) if still worth it, else it lapses."""
    m, ctx, cfg = model.miners, model.config.context, model.config.policy
    expiring = np.flatnonzero(m.active & (m.legal == Legal.LICENSED)
                              & (m.licence_expiry <= model.month))
    if len(expiring) == 0:
        return
    group = m.via_coop[expiring] & m.coop[expiring] & cfg.legal.group_licences \
        & cfg.social.coop_support
    renewal_fee = cfg.legal.licence_fee_usd * cfg.legal.renewal_fee_share
    fee = np.where(group, renewal_fee * ctx.coop_fee_share, renewal_fee)
    value = sum(licence_terms(model, expiring, 0.0, renewal=True).values()) \
        - fee / cfg.legal.licence_duration_months
    renewed = choose(value, ctx.logit_scale_per_usd, model.stream("formalization"))
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
        terms = licence_terms(model, rows, cfg.legal.licence_fee_usd * ctx.coop_fee_share,
                              renewal=True)
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
    draw = model.stream("formalization").random(m.n)
    rows = np.flatnonzero(m.active & (draw < ctx.reconsider_prob))
    if len(rows) == 0:
        return
    value = coop_value(model, rows)
    member = m.coop[rows]
    stay_or_join = choose(value - np.where(member, 0.0, ctx.formalization_inertia_usd),
                          ctx.logit_scale_per_usd, model.stream("formalization"))
    joins = rows[~member & stay_or_join]
    leaves = rows[member & ~stay_or_join]
    m.coop[joins] = True
    m.coop[leaves] = False
    group_members = leaves[m.via_coop[leaves]]
    m.legal[group_members] = Legal.INFORMAL  # a group licence does not follow a leaver
    m.via_coop[group_members] = False
    support = cfg.social.coop_support
    if support:
        model.now.spend("coop_grants", len(joins) * ctx.coop_grant_usd)
    if support and cfg.legal.group_licences:
        newly = joins[m.legal[joins] != Legal.LICENSED]
        fee = cfg.legal.licence_fee_usd * ctx.coop_fee_share
        paid = pay_with_credit(model, newly, fee, purpose="fee")
        members = newly[paid]
        m.legal[members] = Legal.LICENSED
        m.via_coop[members] = True
        m.licence_expiry[members] = model.month + cfg.legal.licence_duration_months
        zones = licensable_cells(model)
        outside = members[model.sites.land_status[m.site[members]] != LandStatus.ASM_ZONE]
        if len(zones):
            m.site[outside] = model.stream("formalization").choice(zones, size=len(outside))
