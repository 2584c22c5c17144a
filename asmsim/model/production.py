"""Submodel: production — ore worked and gold recovered (ODD 7.7).

With pits (``context.teams``, the default) a pit's ore is bounded by its scarcest stage and
each member gets its share of the pit's ore and gold (:mod:`asmsim.model.teams`). With the
knock-out every miner works alone:

grams_i = grade(site_i) · tonnes(role_i) · skill_i · recovery(tech_i) · health_i · flood
"""

from __future__ import annotations

import numpy as np

from asmsim.config.schema import ContextConfig
from asmsim.model import teams
from asmsim.model.enums import Role, Tech


def role_tonnes(context: ContextConfig) -> np.ndarray:
    """Ore handled per month (t) by role, indexed by :class:`Role`."""
    out = np.empty(len(Role))
    out[Role.DIGGER] = context.tonnes_digger
    out[Role.PROCESSOR] = context.tonnes_processor
    out[Role.HAULER] = context.tonnes_hauler
    return out


def recovery(context: ContextConfig) -> np.ndarray:
    """Share of gold in ore recovered (0-1), indexed by :class:`Tech`."""
    out = np.empty(len(Tech))
    out[Tech.WHOLE_ORE] = context.recovery_whole_ore
    out[Tech.CONCENTRATE] = context.recovery_concentrate
    out[Tech.MERCURY_FREE] = context.recovery_mercury_free
    return out


def working_mask(active, suspended, injured, plotless) -> np.ndarray:
    """Miners who work this month: active, not suspended, not injured, on a plot (7.12)."""
    return active & (suspended == 0) & (injured == 0) & (plotless == 0)


def tonnes_potential(context: ContextConfig, role, skill, silicosis) -> np.ndarray:
    """Ore tonnes each miner would handle in a full working month (t)."""
    tonnes = role_tonnes(context).take(role) * skill
    # × the silicosis productivity for the sick (× 1 elsewhere changes nothing)
    np.multiply(tonnes, context.silicosis_productivity, out=tonnes, where=silicosis)
    return tonnes


def grams_produced(tonnes, grade_at_site, recovery_share, output_factor) -> np.ndarray:
    """Gold produced this month (g): ore (t) × grade (g/t) × recovery (0-1) × shock factor."""
    return grade_at_site * tonnes * recovery_share * output_factor


def deplete(ore_t: np.ndarray, site, tonnes) -> None:
    """Remove the ore worked this month from each site (t), in place."""
    ore_t -= np.bincount(site, weights=tonnes, minlength=len(ore_t))
    np.maximum(ore_t, 0.0, out=ore_t)


def step(model) -> None:
    """Every working miner works its site: tonnes (t) and grams (g) this month; sites deplete."""
    m, now = model.miners, model.now
    working = working_mask(m.active, m.suspended, m.injured, m.plotless)
    if model.config.context.teams:
        teams.produce(model, working)
    else:
        now.tonnes = now.potential_t * working
        m.grams[:] = grams_produced(now.tonnes, now.grade_at_site, now.recovery_share,
                                    now.output_factor)
    deplete(model.sites.ore_t, m.site, now.tonnes)
    model.sites.mark_worked(m.site, now.tonnes)
    model.sites.rediscover(model.config.context.discovery_prob_monthly, model.stream("discovery"))
