"""Submodel: health and environment (ODD 7.11).

- Exposure (years of unprotected dry work) grows for working diggers and
  processors, less with dust control; silicosis hazard per month is
  proportional to cumulative exposure.
- Accidents: a monthly rate, multiplied for unlicensed sites, untrained
  miners and women; an injured miner is off work for ``injury_months``.
- Mercury released (kg) = gold amalgamated (kg) × Hg:Au ratio of the
  technology × (1 − retort capture if a retort is used).
- Land disturbed (ha) = tonnes × ha per tonne; licensed miners restore a share.
"""

from __future__ import annotations

import numpy as np

from asmsim.config.schema import ContextConfig
from asmsim.model.enums import Legal, Role, Tech
from asmsim.model.production import working_mask


def hg_au_ratio(context: ContextConfig) -> np.ndarray:
    """kg mercury lost per kg gold produced, indexed by :class:`Tech`."""
    out = np.zeros(len(Tech))
    out[Tech.WHOLE_ORE] = context.hg_au_whole_ore
    out[Tech.CONCENTRATE] = context.hg_au_concentrate
    return out


def mercury_released_kg(context: ContextConfig, grams, tech, retort) -> np.ndarray:
    """Mercury released this month per miner (kg)."""
    kept = np.where(retort, 1.0 - context.retort_capture, 1.0)  # (1 − capture), capture 0 or r
    return grams / 1000.0 * hg_au_ratio(context).take(tech) * kept


def update_exposure(context: ContextConfig, exposure_years, role, dust_control, working) -> None:
    """Add this month's unprotected dry-work exposure (years), in place."""
    dry = working & (role != Role.HAULER.value)
    protection = np.where(dust_control, 1.0 - context.dust_control_effect, 1.0)
    exposure_years += dry * protection / 12.0


def new_silicosis(context: ContextConfig, exposure_years, silicosis, active, uniform
                  ) -> np.ndarray:
    """Miners diagnosed with silicosis this month (``uniform``: one draw per miner)."""
    hazard = np.minimum(context.silicosis_hazard_per_exposure_year * exposure_years, 1.0)
    return active & ~silicosis & (uniform < hazard)


def accidents(context: ContextConfig, legal, trained, woman, working, uniform) -> np.ndarray:
    """Miners injured this month (``uniform``: one draw per miner)."""
    # The monthly rate (capped at 1) for each combination informal × untrained × woman.
    rates = np.empty(8)
    for code in range(8):
        informal, untrained, is_woman = code & 1, code & 2, code & 4
        rates[code] = min(context.accident_rate_monthly
                          * (context.accident_informal_factor if informal else 1.0)
                          * (context.accident_untrained_factor if untrained else 1.0)
                          * (context.accident_women_factor if is_woman else 1.0), 1.0)
    code = (legal != Legal.LICENSED.value).view(np.int8) + 2 * (~trained).view(np.int8) \
        + 4 * woman.view(np.int8)
    return working & (uniform < rates.take(code))


def land_disturbed_ha(context: ContextConfig, tonnes, legal) -> np.ndarray:
    """Net land newly disturbed per miner this month (ha)."""
    # (1 − restored share), by legal status: licensees restore a share
    unrestored = np.ones(len(Legal))
    unrestored[Legal.LICENSED] = 1.0 - context.restoration_share_licensed
    return tonnes * context.land_ha_per_t * unrestored.take(legal)


def step(model) -> None:
    """Exposure, silicosis, accidents, mercury and land of the miners who worked this month."""
    m, ctx, sites, now = model.miners, model.config.context, model.sites, model.now
    n = len(now.tonnes)  # miners that existed during the pass
    working = working_mask(m.active, m.suspended, m.injured, m.plotless)[:n] & (now.tonnes > 0)
    update_exposure(ctx, m.exposure_years[:n], m.role[:n], m.dust_control[:n], working)
    sick = new_silicosis(ctx, m.exposure_years, m.silicosis, m.active,
                         model.uniforms("silicosis/miners"))
    m.silicosis[sick] = True
    hurt = accidents(ctx, m.legal[:n], m.trained[:n], m.woman[:n], working,
                     model.uniforms("accidents/miners", slice(0, n)))
    m.injured[:n][hurt] = ctx.injury_months
    now.hurt = np.flatnonzero(hurt)
    mercury = mercury_released_kg(ctx, m.grams[:n], m.tech[:n], m.retort[:n])
    sites.mercury_kg += np.bincount(m.site[:n], weights=mercury, minlength=len(sites.ore_t))
    land = land_disturbed_ha(ctx, now.tonnes, m.legal[:n])
    sites.land_disturbed_ha += np.bincount(m.site[:n], weights=land, minlength=len(sites.ore_t))
    stats = now.stats
    stats["silicosis_new"] = int(sick.sum())
    stats["accidents"] = int(hurt.sum())
    stats["mercury_kg"] = float(mercury.sum())
    stats["land_ha"] = float(land.sum())
