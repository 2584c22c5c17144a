"""Submodel: technology — adoption of processing technology and safety practice (ODD 7.9).

Each option is a binary logit on its value over a 24-month horizon (USD/month
equivalent): the output or health gain, minus the capital cost net of subsidy
spread over the horizon, plus peers' adoption. Mercury-free processing needs
training; untrained miners see only a fraction of the health value of a retort
or dust control. Purchases are paid from cash or formal credit (traders do not
pre-finance equipment).
"""

from __future__ import annotations

import numpy as np

from asmsim.model.choice import choose
from asmsim.model.enums import Tech, TechnologyDraw
from asmsim.model.finance import pay_with_credit

HORIZON_MONTHS = 24


def step(model) -> None:
    """Miners reconsidering technology (``adoption_prob`` a month) buy what is worth it."""
    m, ctx, social = model.miners, model.config.context, model.config.policy.social
    considering = np.flatnonzero(m.active & (model.uniforms("technology/miners")
                                             < ctx.adoption_prob))
    trained = m.trained[considering]
    awareness = np.where(trained, 1.0, ctx.untrained_awareness)  # per considering miner
    price = model.now.prices.world * 0.9
    subsidy_mf, subsidy_ohs = social.mercury_free_subsidy_share, social.ohs_subsidy_share
    recovery = model.now.recovery_by_tech

    # Mercury-free processing: trained miners only; the gain is the extra recovery.
    pick = trained & (m.tech[considering] != Tech.MERCURY_FREE)
    rows = considering[pick]
    if len(rows):
        gain = model.now.expected_grams[rows] * (recovery[Tech.MERCURY_FREE] / recovery[m.tech[rows]]
                                             - 1.0) * price
        capex = ctx.mercury_free_capex_usd * (1 - subsidy_mf)
        peers = ctx.social_weight_usd * model.now.neighbour_mercury_free[m.site[rows]]
        value = gain + peers - capex / HORIZON_MONTHS - ctx.adoption_hassle_usd
        chosen = adopters(model, rows, value, TechnologyDraw.MERCURY_FREE)
        buyers = subsidised(model, chosen, ctx.mercury_free_capex_usd * subsidy_mf)
        paid = pay_with_credit(model, buyers, capex, purpose="equipment")
        buyers = buyers[paid]
        m.tech[buyers] = Tech.MERCURY_FREE
        model.now.spend("subsidies", len(buyers) * ctx.mercury_free_capex_usd
                    * subsidy_mf)

    # Concentrate amalgamation: a sluice, and the know-how to use it.
    pick = m.tech[considering] == Tech.WHOLE_ORE
    rows = considering[pick]
    if len(rows):
        gain = model.now.expected_grams[rows] * (recovery[Tech.CONCENTRATE]
                                             / recovery[Tech.WHOLE_ORE] - 1.0) * price
        capex = ctx.concentrate_capex_usd * (1 - subsidy_mf)
        value = gain * awareness[pick] - capex / HORIZON_MONTHS - ctx.adoption_hassle_usd
        chosen = adopters(model, rows, value, TechnologyDraw.CONCENTRATE)
        buyers = subsidised(model, chosen, ctx.concentrate_capex_usd * subsidy_mf)
        paid = pay_with_credit(model, buyers, capex, purpose="equipment")
        buyers = buyers[paid]
        m.tech[buyers] = Tech.CONCENTRATE
        model.now.spend("subsidies", len(buyers) * ctx.concentrate_capex_usd
                    * subsidy_mf)

    # Retort: cheap; value is health (perceived with training) and peers.
    pick = ~m.retort[considering] & (m.tech[considering] != Tech.MERCURY_FREE)
    rows = considering[pick]
    if len(rows):
        value = ctx.retort_health_value_usd * awareness[pick] - ctx.retort_cost_usd \
            / HORIZON_MONTHS - ctx.retort_hassle_usd
        buyers = adopters(model, rows, value, TechnologyDraw.RETORT)
        paid = pay_with_credit(model, buyers, ctx.retort_cost_usd, purpose="equipment")
        m.retort[buyers[paid]] = True

    # Dust control: health value net of subsidised capital cost.
    pick = ~m.dust_control[considering]
    rows = considering[pick]
    if len(rows):
        capex = ctx.dust_control_capex_usd * (1 - subsidy_ohs)
        value = ctx.dust_health_value_usd * awareness[pick] - capex / HORIZON_MONTHS \
            - ctx.adoption_hassle_usd
        chosen = adopters(model, rows, value, TechnologyDraw.DUST_CONTROL)
        buyers = subsidised(model, chosen, ctx.dust_control_capex_usd * subsidy_ohs)
        paid = pay_with_credit(model, buyers, capex, purpose="equipment")
        buyers = buyers[paid]
        m.dust_control[buyers] = True
        model.now.spend("subsidies", len(buyers) * ctx.dust_control_capex_usd
                    * subsidy_ohs)


def adopters(model, rows: np.ndarray, value: np.ndarray, option: int) -> np.ndarray:
    """The miners among ``rows`` who adopt an option worth ``value`` (USD/month) to them:
    binary logit, each on its own draw (column ``option`` of ``technology/miners``, so a
    miner's draw does not depend on how many others consider the option)."""
    draws = model.uniforms("technology/miners", rows, column=option)
    return rows[choose(value, model.config.context.logit_scale_per_usd, draws)]


def subsidised(model, buyers: np.ndarray, subsidy_usd: float) -> np.ndarray:
    """The buyers whose subsidy (USD each) the budget still pays this month; the others wait."""
    return buyers[: model.government.grant("subsidies", subsidy_usd, len(buyers))]
