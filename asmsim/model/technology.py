"""Process 4d: adoption of processing technology and safety practice (spec §6.5).

Each option is a binary logit on its value over a 24-month horizon (USD/month
equivalent): the output or health gain, minus the capital cost net of subsidy
spread over the horizon, plus peers' adoption. Mercury-free processing needs
training; untrained miners see only a fraction of the health value of a retort
or dust control. Purchases are paid from cash or formal credit (traders do not
pre-finance equipment).
"""

from __future__ import annotations

import numpy as np

from asmsim.model.enums import Tech
from asmsim.model.formalization import choose

HORIZON_MONTHS = 24


def adopt(model) -> None:
    m, ctx, social = model.miners, model.config.context, model.config.policy.social
    scale = ctx.logit_scale_per_usd
    rng = model.stream("technology")
    considering = m.active & (rng.random(m.n) < ctx.adoption_prob)
    awareness = np.where(m.trained, 1.0, ctx.untrained_awareness)
    price = model.prices.world * 0.9

    # Mercury-free processing: trained miners only; the gain is the extra recovery.
    rows = np.flatnonzero(considering & m.trained & (m.tech != Tech.MERCURY_FREE))
    if len(rows):
        recovery = model.recovery_by_tech
        gain = model.expected_grams[rows] * (recovery[Tech.MERCURY_FREE] / recovery[m.tech[rows]]
                                             - 1.0) * price
        capex = ctx.mercury_free_capex_usd * (1 - social.mercury_free_subsidy_share)
        peers = ctx.social_weight_usd * model.neighbour_mercury_free[m.site[rows]]
        value = gain + peers - capex / HORIZON_MONTHS - ctx.adoption_hassle_usd
        buyers = rows[choose(value, scale, rng)]
        paid = model.pay_with_credit(buyers, capex, purpose="equipment")
        buyers = buyers[paid]
        m.tech[buyers] = Tech.MERCURY_FREE
        model.spend("subsidies", len(buyers) * ctx.mercury_free_capex_usd
                    * social.mercury_free_subsidy_share)

    # Concentrate amalgamation: a sluice, and the know-how to use it.
    rows = np.flatnonzero(considering & (m.tech == Tech.WHOLE_ORE))
    if len(rows):
        recovery = model.recovery_by_tech
        gain = model.expected_grams[rows] * (recovery[Tech.CONCENTRATE]
                                             / recovery[Tech.WHOLE_ORE] - 1.0) * price
        capex = ctx.concentrate_capex_usd * (1 - social.mercury_free_subsidy_share)
        value = gain * awareness[rows] - capex / HORIZON_MONTHS - ctx.adoption_hassle_usd
        buyers = rows[choose(value, scale, rng)]
        paid = model.pay_with_credit(buyers, capex, purpose="equipment")
        buyers = buyers[paid]
        m.tech[buyers] = Tech.CONCENTRATE
        model.spend("subsidies", len(buyers) * ctx.concentrate_capex_usd
                    * social.mercury_free_subsidy_share)

    # Retort: cheap; value is health (perceived with training) and peers.
    rows = np.flatnonzero(considering & ~m.retort & (m.tech != Tech.MERCURY_FREE))
    if len(rows):
        value = ctx.retort_health_value_usd * awareness[rows] - ctx.retort_cost_usd \
            / HORIZON_MONTHS - ctx.retort_hassle_usd
        buyers = rows[choose(value, scale, rng)]
        paid = model.pay_with_credit(buyers, ctx.retort_cost_usd, purpose="equipment")
        m.retort[buyers[paid]] = True

    # Dust control: health value net of subsidised capital cost.
    rows = np.flatnonzero(considering & ~m.dust_control)
    if len(rows):
        capex = ctx.dust_control_capex_usd * (1 - social.ohs_subsidy_share)
        value = ctx.dust_health_value_usd * awareness[rows] - capex / HORIZON_MONTHS \
            - ctx.adoption_hassle_usd
        buyers = rows[choose(value, scale, rng)]
        paid = model.pay_with_credit(buyers, capex, purpose="equipment")
        buyers = buyers[paid]
        m.dust_control[buyers] = True
        model.spend("subsidies", len(buyers) * ctx.dust_control_capex_usd
                    * social.ohs_subsidy_share)
