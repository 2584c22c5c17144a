"""Pure functions from (config, seed) to results — the seam for notebooks, studies, EMA Workbench.

Nothing here writes files.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from asmsim.config import Config, load_config
from asmsim.config.validate import set_key, validate
from asmsim.model import ASMModel

OUTCOME_WINDOW_MONTHS = 12


def run_table(config: Config, seed: int) -> pd.DataFrame:
    """Run one replicate of ``config`` with ``seed``; the monthly output table."""
    return ASMModel(config, seed=seed).run(config.months)


def simulate(overrides: Sequence[str] = (), seed: int = 0, *, posterior: str | None = None,
             draw: int = 0) -> pd.DataFrame:
    """The monthly table (spec §7 columns) of one run configured by CLI-style overrides.

    With ``posterior`` (a calibration's name or folder), the calibrated parameters take
    the values of posterior draw ``draw`` (the same draw as replicate ``draw`` of
    ``asmsim compare posterior=...``).

    >>> table = simulate(["scenario=legal", "miners=300", "months=24"], seed=1)
    >>> table = simulate(["scenario=legal"], seed=1, posterior="status_quo", draw=3)
    """
    config = load_config(list(overrides))
    if posterior is not None:
        from asmsim.config.posterior import draw as posterior_draw
        from asmsim.config.posterior import load_posterior

        for key, value in posterior_draw(load_posterior(posterior), draw).items():
            set_key(config, key, value)
        validate(config)
    return run_table(config, seed)


@functools.lru_cache(maxsize=16)
def _composed(overrides: tuple[str, ...]) -> Config:
    return load_config(list(overrides))


def base_config(overrides: Sequence[str] = ()) -> Config:
    """The validated config of CLI-style ``overrides``, composed once per process.

    Hydra composition costs a few hundred milliseconds; studies that run
    thousands of variations of one base config compose it once and change keys
    with :func:`simulate_variant`. Returns a copy: changing it is safe.
    """
    return copy.deepcopy(_composed(tuple(overrides)))


def simulate_variant(base: Sequence[str], values: Mapping[str, Any], seed: int = 0
                     ) -> pd.DataFrame:
    """The monthly table of ``base`` overrides with policy/context ``values`` set.

    Gives the same table as :func:`simulate` with ``key=value`` overrides, without
    composing the config again (keys are validated like a mid-run change).
    """
    return run_table(variant_config(base, values), seed)


def variant_config(base: Sequence[str], values: Mapping[str, Any]) -> Config:
    """The config of ``base`` overrides (:func:`base_config`) with policy/context
    ``values`` set and validated like a mid-run change."""
    config = base_config(base)
    for key, value in values.items():
        set_key(config, key, value)
    validate(config)
    return config


def scalar_outcomes(table: pd.DataFrame, window: int = OUTCOME_WINDOW_MONTHS) -> dict[str, float]:
    """Mean of each output over the last ``window`` months (fewer if the run is shorter)."""
    tail = table[table["month"] > 0].tail(window)
    return {col: float(tail[col].mean()) for col in table.columns if col != "month"}


def outcomes(overrides: Sequence[str] = (), seed: int = 0, *, posterior: str | None = None,
             draw: int = 0) -> dict[str, float]:
    """Scalar outcomes (last-12-month means) of one run; a model function for EMA Workbench.
    ``posterior``/``draw`` as for :func:`simulate`."""
    return scalar_outcomes(simulate(overrides, seed, posterior=posterior, draw=draw))


def replicate_seeds(seed: int, count: int) -> list[int]:
    """Independent seeds for ``count`` replicates, derived from ``seed`` (SeedSequence.spawn)."""
    children = np.random.SeedSequence(seed).spawn(count)
    return [int(child.generate_state(1, dtype=np.uint32)[0]) for child in children]
