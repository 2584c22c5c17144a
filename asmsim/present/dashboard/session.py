"""The runs behind one browser tab: the run shown, its counterfactual, and what the page reads.

A :class:`Run` holds the model the levers act on and, beside it, a twin: the
comparison preset (the status quo unless chosen otherwise) at the same size,
horizon and seed, so both draw the same random numbers (common random
numbers: a difference between them is the policy's, not chance's). Every
month steps both. Stepping, lever changes and reading outputs go through the
models' own API (``step``, ``set_policy``, the DataCollector), so the
dashboard never recomputes an outcome. While playing, months are stepped on
another thread than the one a click is handled on, so the page changes the
models and reads them only under the run's lock, reading a :class:`View` (a
copy) that the components then show.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import pandas as pd

from asmsim.config import Config, ConfigError, load_config, validate
from asmsim.present.dashboard.levers import check_value, get_value, levers
from asmsim.present.dashboard.mapview import MapData, map_data

YEAR = 12
MAX_MINERS = 20_000  # the live page steps a month in < 250 ms up to about here


def model_class() -> type:
    """The model class the page runs (imported late: the page module loads fast)."""
    from asmsim.model import ASMModel

    return ASMModel


@cache
def _preset(scenario: str) -> Config:
    return load_config([f"scenario={scenario}"])


def scenario_config(scenario: str) -> Config:
    """The validated config of a scenario preset (a fresh copy; ConfigError if unknown)."""
    return copy.deepcopy(_preset(scenario))


def new_model(config: Config, seed: int = 0):
    """A fresh model at month 0."""
    return model_class()(config=config, seed=seed)


@dataclass(frozen=True)
class Settings:
    """What a run is built from: set before it starts (a change starts it again)."""

    scenario: str = "baseline"
    compare: str = "baseline"  # the counterfactual's preset; "" for none
    seed: int = 0
    miners: int | None = None  # None: the preset's
    months: int | None = None

    def config(self, scenario: str) -> Config:
        """``scenario``'s preset at this size, horizon and seed."""
        config = scenario_config(scenario)
        config = replace(config, seed=self.seed, miners=self.miners or config.miners,
                         months=self.months or config.months)
        validate(config)
        return config


def check_setting(settings: Settings, key: str, text: str) -> Settings:
    """``settings`` with run setting ``key`` (miners, months, seed) set from ``text``.

    Checked as the command line checks ``key=text`` (same message), and the live
    page runs at most :data:`MAX_MINERS` miners.
    """
    value = check_value(settings.config(settings.scenario), key, text)
    if key == "miners" and value > MAX_MINERS:
        raise ConfigError(f"miners={value} is more than the live page runs ({MAX_MINERS:,}); "
                          "use asmsim run for larger runs")
    return replace(settings, **{key: value})


@dataclass(frozen=True)
class Event:
    """A policy change as the charts label it: ``key`` went from ``before`` to ``after``."""

    month: int
    key: str
    before: Any
    after: Any


@dataclass(frozen=True)
class ShockBand:
    """A scheduled shock of the run shown: ``kind`` from ``month`` for ``duration`` months."""

    kind: str
    month: int
    duration: int
    size: float


def events(config: Config, changes) -> tuple[Event, ...]:
    """The policy changes ``(month, key, value)`` made on a run of ``config``, one per month and key.

    The value before is the config's or the previous change's; several changes of
    one key in one month are one event, and none if it ends where it started.
    """
    current: dict[str, Any] = {}
    merged: dict[tuple[int, str], list[Any]] = {}
    for month, key, value in changes:
        before = current.get(key, get_value(config, key))
        merged.setdefault((month, key), [before, value])[1] = value
        current[key] = value
    return tuple(Event(month, key, before, after)
                 for (month, key), (before, after) in merged.items() if before != after)


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
    """What changes only with a lever or a new run; compared by value, so its readers redraw then."""

    settings: Settings
    months: int  # the horizon
    miners: int  # at month 0
    started: bool  # a month has been stepped: the run's settings are fixed
    done: bool  # the horizon is reached: no more steps
    levers: tuple[tuple[str, Any], ...]  # (lever key, value in use)
    events: tuple[Event, ...]  # every policy change so far (the page's and the preset's)
    shocks: tuple[ShockBand, ...]

    def value(self, key: str) -> Any:
        """The value of lever ``key``."""
        return dict(self.levers)[key]


@dataclass(frozen=True, eq=False)  # compared by identity: a new month is a new View
class View:
    """What the page shows of the runs at one moment (copied out of them)."""

    month: int
    months: int
    table: pd.DataFrame
    twin: pd.DataFrame | None  # the counterfactual's outputs, same months
    sites: MapData
    controls: Controls

    @property
    def done(self) -> bool:
        """The run has reached its horizon."""
        return self.month >= self.months

    def __repr__(self) -> str:  # short: Solara logs values it sets
        return f"View(month={self.month}, rows={len(self.table)})"


class Run:
    """The run shown and its counterfactual, stepped together; every method takes the lock."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.lock = threading.RLock()
        self.config = settings.config(settings.scenario)  # as it started: levers apply on top
        self.model = new_model(self.config, settings.seed)
        self.twin = (new_model(settings.config(settings.compare), settings.seed)
                     if settings.compare else None)
        self.log: list[tuple[int, str, Any]] = []  # the changes asked for on the page

    @property
    def month(self) -> int:
        """The month shown (0 before the first step)."""
        return int(self.model.month)

    @property
    def done(self) -> bool:
        """The run has reached its horizon: no more steps."""
        return self.month >= self.config.months

    def step(self, months: int = 1) -> int:
        """Step both models ``months`` months, never past the horizon; return how many."""
        with self.lock:
            stepped = 0
            while stepped < months and not self.done:
                self.model.step()
                if self.twin is not None:
                    self.twin.step()
                stepped += 1
            return stepped

    def to_end_of_year(self) -> int:
        """Step to the end of the current year of months (12, 24, …) or the horizon."""
        return self.step(YEAR - self.month % YEAR)

    def change(self, key: str, text: Any) -> Any:
        """Set lever ``key`` from ``text`` (checked as the command line checks it); from next month."""
        with self.lock:
            value = check_value(self.model.config, key, text)
            self.model.set_policy(key, value)
            self.log.append((self.month, key, value))
            return value

    def replay(self, log, month: int) -> None:
        """Redo the page's lever changes ``(month, key, text)`` up to ``month`` (a reload)."""
        with self.lock:
            pending = sorted(log, key=lambda entry: entry[0])
            while True:
                for entry in [e for e in pending if e[0] == self.month]:
                    self.change(entry[1], entry[2])
                if self.month >= month or not self.step():
                    return

    def controls(self) -> Controls:
        """The part of :meth:`view` that changes only with a lever."""
        model = self.model
        return Controls(
            settings=self.settings,
            months=int(self.config.months),
            miners=int(self.config.miners),
            started=self.month > 0,
            done=self.done,
            levers=tuple((item.key, get_value(model.config, item.key)) for item in levers()),
            events=events(self.config, model.policy_changes),
            shocks=tuple(ShockBand(s.kind, int(s.month), int(s.duration), float(s.size))
                         for s in self.config.context.shocks),
        )

    def view(self) -> View:
        """A copy of what the page shows."""
        with self.lock:
            return View(month=self.month, months=int(self.config.months),
                        table=outputs(self.model),
                        twin=outputs(self.twin) if self.twin is not None else None,
                        sites=map_data(self.model), controls=self.controls())
