"""The running model behind one browser tab: building it, reading its state.

The page holds one model; stepping, lever changes and reading outputs all go
through the model's own API (``step``, ``set_policy``, its DataCollector), so
the dashboard never recomputes an outcome. While playing, months are stepped on
another thread than the one a click is handled on, so the page changes the
model and reads it only under its lock, reading a :class:`View` (a copy) that
the components then show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from asmsim.config import Config, load_config
from asmsim.present.dashboard.levers import get_value, levers
from asmsim.present.dashboard.mapview import MapData, map_data


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


@dataclass(frozen=True)
class Controls:
    """What the lever panel shows; compared by value, so the panel redraws only on a change."""

    levers: tuple[tuple[str, Any], ...]  # (lever key, value in use or last asked for)
    royalty_rate: float  # the royalty rate the model uses now
    changes: tuple[tuple[int, str, Any], ...]  # (month, key, value) as asked for

    def value(self, key: str) -> Any:
        """The value shown for lever ``key``."""
        return dict(self.levers)[key]

    @property
    def change_months(self) -> tuple[int, ...]:
        """The months with a policy change (where the charts draw a dashed line)."""
        return tuple(sorted({month for month, _, _ in self.changes}))


@dataclass(frozen=True, eq=False)  # compared by identity: a new month is a new View
class View:
    """What the page shows of the model at one moment (copied out of it)."""

    month: int
    months: int
    description: str
    table: pd.DataFrame
    sites: MapData
    controls: Controls

    def __repr__(self) -> str:  # short: Solara logs values it sets
        return f"View(month={self.month}, rows={len(self.table)})"


def controls(model) -> Controls:
    """The lever panel's part of :func:`view`."""
    return Controls(
        levers=tuple((item.key, lever_value(model, item.key)) for item in levers()),
        royalty_rate=float(model.config.policy.market.royalty_rate),
        changes=tuple(getattr(model, "policy_changes", [])),
    )


def view(model) -> View:
    """A copy of what the page shows of ``model``; call it holding the page's lock."""
    return View(
        month=int(model.month),
        months=int(model.config.months),
        description=model.config.description or "",
        table=outputs(model),
        sites=map_data(model),
        controls=controls(model),
    )
