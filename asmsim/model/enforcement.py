"""Submodel: enforcement — inspections, audits, sanctions, displacement and trust (ODD 7.5).

An informal miner is inspected with probability ``inspection_prob · visibility`` times
the targeting weight of its land status (``inspection_weight_*``);
a share ``corruption`` of inspections end in a bribe instead of a sanction.
Applicants are exempt while their file is pending (as Peru's REINFO registrants
are). A sanction is a fine (paid up to the cash at hand), possible seizure of
equipment, a suspension, and eviction from concession or protected land to a
site nearby (:mod:`asmsim.model.space`) — displacement, not exit. Trust falls
with every sanction, less when the government also supports miners (training or
cooperative support).
"""

from __future__ import annotations

import numpy as np

from asmsim.model.enums import AuditDraw, Channel, EnforcementDraw, Legal, Tech
from asmsim.model.scale import per_population
from asmsim.model.space import evict, evicting_land, inspection_prob


def inspect(model) -> None:
    """Inspectors visit informal miners: bribes or sanctions (fine, seizure, suspension, eviction)."""
    m, ctx, cfg = model.miners, model.config.context, model.config.policy
    legal_cfg = cfg.legal
    if legal_cfg.inspection_prob * model.government.funded["enforcement"] <= 0:
        return
    exposed = np.flatnonzero(m.active & (m.legal == Legal.INFORMAL.value) & (m.suspended == 0)
                             & (m.plotless == 0))
    # targeted (7.12)
    probability = inspection_prob(model, model.sites.land_status[m.site[exposed]])
    rows = exposed[model.uniforms("enforcement/miners", exposed) < probability]
    rows = rows[: model.government.grant("enforcement", ctx.inspection_cost_usd, len(rows))]
    model.now.spend("enforcement", len(rows) * ctx.inspection_cost_usd)
    if len(rows) == 0:
        return
    bribe = model.uniforms("enforcement/miners", rows, EnforcementDraw.BRIBE) < legal_cfg.corruption
    bribers, sanctioned = rows[bribe], rows[~bribe]
    bribe_paid = np.minimum(m.cash[bribers], ctx.bribe_share_of_fine * legal_cfg.fine_usd)
    model.now.ledger.debit_rows(m.cash, "bribes", bribers, bribe_paid)

    fine_paid = np.minimum(m.cash[sanctioned], legal_cfg.fine_usd)
    model.now.ledger.debit_rows(m.cash, "fines", sanctioned, fine_paid)
    draw = model.uniforms("enforcement/miners", sanctioned, EnforcementDraw.SEIZE)
    seized = sanctioned[draw < legal_cfg.seizure_prob]
    # Seized tools are lost: the miner replaces them out of its cash, and loses its
    # processing equipment.
    model.now.ledger.debit_rows(m.cash, "seizures", seized,
                                np.minimum(m.cash[seized], ctx.equipment_value_usd))
    m.tech[seized] = np.where(m.tech[seized] == Tech.MERCURY_FREE, Tech.WHOLE_ORE,
                              m.tech[seized])
    m.retort[seized] = False
    m.dust_control[seized] = False
    m.suspended[sanctioned] = ctx.suspension_months

    evicted = sanctioned[evicting_land(model.sites.land_status[m.site[sanctioned]])]
    evict(model, evicted)  # they move in the space step (7.12)
    supported = cfg.social.training_slots_per_1000_miners > 0 or cfg.social.coop_support
    loss = ctx.trust_loss_sanction * (0.3 if supported else 1.0)
    m.trust[sanctioned] = np.maximum(0.0, m.trust[sanctioned] - loss)
    m.trust[bribers] = np.maximum(0.0, m.trust[bribers] - 0.3 * ctx.trust_loss_sanction)
    stats = model.now.stats
    stats["inspections"] += len(rows)
    stats["sanctions"] += len(sanctioned)
    stats["displaced"] += len(evicted)


def audit_prob(model) -> float:
    """Monthly probability (0-1) that a licensee's sales are audited, as funded."""
    return model.config.policy.legal.licensee_audit_prob \
        * model.government.funded["enforcement"]


def expected_audit_cost(model, licensed: np.ndarray | bool) -> np.ndarray | float:
    """Expected cost (USD) of a month's sale to an informal trader for miners whose licence
    status is ``licensed`` (bool): the pit's licence is audited with :func:`audit_prob`; a
    pit that sold to a trader is fined ``policy.legal.audit_fine_usd`` and loses its
    licence with ``context.audit_revoke_prob``, which costs what a new one would (fee and
    office travel; model-spec-v2 §9.3 b5 with the licence valued at its replacement cost).
    A covered crew member's sale exposes the whole pit: it weighs the same cost (the
    licence holder, liable for the pit's sales, passes the fine on or dismisses it)."""
    legal, ctx = model.config.policy.legal, model.config.context
    travel = 0.0 if legal.decentralised_offices else ctx.office_travel_cost_usd
    loss = legal.audit_fine_usd + ctx.audit_revoke_prob * (legal.licence_fee_usd + travel)
    return audit_prob(model) * loss * licensed


def audit_licensees(model) -> None:
    """After the sale, each active licence holder (a pit head holding a licence; its crew
    is covered by it, ODD 7.10) is audited with :func:`audit_prob` (stream
    ``audits/miners``), as far as the enforcement budget allows, each audit costing
    ``context.audit_cost_usd``. A pit any of whose licensed members sold to an informal
    trader this month pays the fine ``policy.legal.audit_fine_usd`` (from the head's cash,
    up to it; state revenue), and the head loses its licence with probability
    ``context.audit_revoke_prob`` (stream ``enforcement``): it is informal again, as at a
    lapse, and its crew loses the cover."""
    from asmsim.model.teams import head_rows

    m, ctx, now = model.miners, model.config.context, model.now
    probability = audit_prob(model)
    if probability <= 0:
        return
    n = len(now.sold_g)
    licensed = m.active[:n] & (m.legal[:n] == Legal.LICENSED.value)
    holders = np.flatnonzero(licensed & ~m.covered[:n])
    audited = holders[model.uniforms("audits/miners", holders) < probability]
    audited = audited[: model.government.grant("enforcement", ctx.audit_cost_usd, len(audited))]
    now.spend("enforcement", len(audited) * ctx.audit_cost_usd)
    to_trader = np.flatnonzero(licensed & (m.channel[:n] == Channel.TRADER.value)
                               & (now.sold_g > 0))
    head, _ = head_rows(model)
    pits_selling = np.zeros(m.n, dtype=bool)
    pits_selling[head[to_trader]] = True
    caught = audited[pits_selling[audited]]
    fine = np.minimum(np.maximum(m.cash[caught], 0.0), model.config.policy.legal.audit_fine_usd)
    now.ledger.debit_rows(m.cash, "fines", caught, fine)
    # What the heads chose to risk this month (their expectations count this, not the
    # luck of the draw: finance.expected_income).
    now.audit_fines = np.zeros(m.n)
    now.audit_fines[caught] = fine
    now.audit_exposure = np.zeros(m.n)
    holders_selling = holders[pits_selling[holders]]
    now.audit_exposure[holders_selling] = expected_audit_cost(model, True)
    revoked = caught[model.uniforms("audits/miners", caught, AuditDraw.REVOKE)
                     < ctx.audit_revoke_prob]
    m.legal[revoked] = Legal.INFORMAL
    m.via_coop[revoked] = False
    now.stats["audits"] += len(audited)
    now.stats["audit_fines_usd"] += float(fine.sum())
    now.stats["licences_revoked"] += len(revoked)


def inspect_traders(model) -> None:
    """Each trader's stock is inspected with ``policy.market.trader_inspection_prob`` a month
    (times the funded share of enforcement): an inspected trader loses the gold it buys
    this month to the state (see :func:`asmsim.model.market.sell`)."""
    ctx, now = model.config.context, model.now
    probability = trader_inspection_prob(model)
    draw = model.stream("trader_inspections").random(len(model.traders))
    inspected = np.flatnonzero(draw < probability)
    inspected = inspected[: model.government.grant("enforcement", ctx.trader_inspection_cost_usd,
                                                   len(inspected))]
    now.traders_inspected = np.zeros(len(model.traders), dtype=bool)
    now.traders_inspected[inspected] = True
    now.spend("enforcement", len(inspected) * ctx.trader_inspection_cost_usd)


def trader_inspection_prob(model) -> float:
    """Monthly probability (0-1) that a trader's stock is inspected, as funded."""
    return model.config.policy.market.trader_inspection_prob \
        * model.government.funded["enforcement"]


def border_interdiction_prob(model) -> float:
    """Probability (0-1) that a smuggled batch is caught at the border this month, as funded."""
    return model.config.policy.market.border_interdiction_prob \
        * model.government.funded["enforcement"]


def border_control_cost_usd(model, probability: float) -> float:
    """Monthly cost (USD) of border control catching batches with ``probability``."""
    per_point = model.config.policy.market.border_control_cost_usd_per_1000_miners
    return per_population(model, per_point) * 100.0 * probability


def patrol_border(model) -> None:
    """The state pays for this month's border control, as far as the enforcement budget
    allows (in steps of 0.001 of interdiction probability): it sets the probability that
    a smuggled batch is caught this month (``model.now.border_interdiction``)."""
    wanted = model.config.policy.market.border_interdiction_prob
    steps = round(wanted * 1000)
    unit_usd = border_control_cost_usd(model, 0.001)
    granted = model.government.grant("enforcement", unit_usd, steps)
    model.now.border_interdiction = wanted * granted / steps if steps else 0.0
    model.now.spend("enforcement", granted * unit_usd)
