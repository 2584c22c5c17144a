"""The running model behind one browser tab: building it, reading its state.

The page holds one model; stepping, lever changes and reading outputs all go
through the model's own API (``step``, ``set_policy``, its DataCollector), so
the dashboard never recomputes an outcome.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from asmsim.config import Config, load_config
from asmsim.present.dashboard.levers import get_value


def model_class() -> type:
    """The model class the page runs (imported late: the page module loads fast)."""
    from asmsim.model import ASMModel

    return ASMModel


def scenario_config(scenario: str) -> Config:
    """The validated config of a scenario preset (raises ConfigError if unknown)."""
    return load_config([f"scenario={scenario}"])


def new_model(config: Config, seed: int = 0):
    """A fresh model at month 0."""
    return model_class()(config=config, seed=seed)


def lever_value(model, key: str) -> Any:
    """What a lever is set to: the latest change asked for, else the model's config."""
    for _, changed, value in reversed(getattr(model, "policy_changes", [])):
        if changed == key:
            return value
    return get_value(model.config, key)


def outputs(model) -> pd.DataFrame:
    """The monthly outputs so far (spec §7 columns), indexed by month."""
    frame = model.datacollector.get_model_vars_dataframe()
    if "month" in frame.columns:
        frame = frame.set_index("month")
    else:
        frame.index = range(len(frame))
    if "royalty_usd" in frame.columns:
        parts = [c for c in ("royalty_usd", "fees_usd", "fines_usd") if c in frame.columns]
        frame = frame.assign(revenue_usd=frame[parts].sum(axis=1))
    return frame
