"""Models a study can evaluate: the ASM simulator, and the Ishigami test function.

A study model is a picklable object with

- ``check(study) -> Study``: validate parameters/outputs (raise ``ConfigError``)
  and return the study with each parameter's type (float, int, bool) filled in;
- ``units() -> dict[output, unit]``;
- ``run(values: dict[key, value], seed: int, study) -> dict[output, float]``:
  one model run reduced to one number per study output.

The Ishigami function (Ishigami & Homma 1990) has known Sobol indices; it
checks the whole pipeline (sample -> executor -> store -> analyse) in tests.
"""

from __future__ import annotations

import dataclasses
import math
import os
import time
from collections.abc import Mapping

import numpy as np
import pandas as pd

from asmsim.config import ConfigError

from .study import Parameter, Study


def reduce_series(values: np.ndarray, reducer: str) -> float:
    """One monthly series (months 1..T, month 0 excluded) -> one number.

    ``final``: the last month; ``last12``: mean of the last 12 months (all if
    fewer); ``cumulative``: sum over months 1..T (e.g. kg of mercury over the run).
    """
    values = np.asarray(values, dtype=float)
    if reducer == "final":
        return float(values[-1])
    if reducer == "last12":
        return float(np.mean(values[-12:]))
    if reducer == "cumulative":
        return float(np.sum(values))
    raise ConfigError(f"reducer {reducer!r} is unknown; available: final, last12, cumulative")


def reduce_table(table: pd.DataFrame, outputs: tuple[tuple[str, str], ...]) -> dict[str, float]:
    """A monthly table (column ``month``, 0 = initial state) -> {output: scalar}."""
    monthly = table[table["month"] >= 1] if "month" in table else table
    if monthly.empty:
        monthly = table
    return {col: reduce_series(monthly[col].to_numpy(), red) for col, red in outputs}


def _kind(field: dataclasses.Field) -> str:
    default = (field.default_factory() if field.default_factory is not dataclasses.MISSING
               else field.default)
    if isinstance(default, bool):
        return "bool"
    if isinstance(default, int):
        return "int"
    if isinstance(default, float):
        return "float"
    return type(default).__name__


def format_value(value: float | bool) -> str:
    """A parameter value as a CLI override string (Hydra grammar)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return repr(float(value))


def _compose(what: str, overrides: list[str]) -> None:
    """Compose and validate a config; a ConfigError says which part of the study made it."""
    from asmsim.config import load_config

    try:
        load_config(overrides)
    except ConfigError as exc:
        raise ConfigError(f"{what}: {exc}") from None


class AsmModel:
    """The asmsim model through ``asmsim.run.api.simulate`` (monthly table, reduced here)."""

    name = "asm"
    chunk_hint = 2  # points per task: a run takes seconds

    @staticmethod
    def output_units() -> dict[str, str]:
        """{output column: unit} from the recorder's ``OUTPUTS`` (name -> (unit, meaning))."""
        try:
            from asmsim.model.recorder import OUTPUTS
        except ImportError:
            raise ConfigError("model 'asm': asmsim.model.recorder is not available in this "
                              "version; the simulator is needed for this study") from None
        return {name: (spec[0] if isinstance(spec, tuple) else str(spec))
                for name, spec in OUTPUTS.items()}

    @staticmethod
    def output_meanings() -> dict[str, str]:
        """{output column: meaning} for the report."""
        from asmsim.model.recorder import OUTPUTS

        return {name: spec[1] for name, spec in OUTPUTS.items()
                if isinstance(spec, tuple) and len(spec) > 1}

    def units(self) -> dict[str, str]:
        return self.output_units()

    def base_overrides(self, study: Study) -> list[str]:
        """Scenario and fixed overrides every run starts from."""
        return [f"scenario={study.scenario}", *study.overrides]

    def check(self, study: Study) -> Study:
        from asmsim.config import leaf_fields

        fields = leaf_fields()
        typed = []
        for p in study.parameters:
            f = fields.get(p.key)
            if f is None or not p.key.startswith(("policy.", "context.")):
                raise ConfigError(f"parameters.{p.key}: unknown config key; expected a "
                                  "policy.* or context.* key (see docs/parameters.md)")
            kind = _kind(f)
            if kind not in ("float", "int", "bool"):
                raise ConfigError(f"parameters.{p.key}: a {kind} key cannot vary; expected a "
                                  "number or true/false key")
            lo, hi = f.metadata.get("lo"), f.metadata.get("hi")
            if kind == "bool":
                lo, hi = 0, 1
            if (lo is not None and p.low < lo) or (hi is not None and p.high > hi):
                allowed = f"[{'-inf' if lo is None else f'{lo:g}'}, " \
                          f"{'inf' if hi is None else f'{hi:g}'}]"
                raise ConfigError(f"parameters.{p.key}=[{p.low:g}, {p.high:g}] is out of "
                                  f"range; bounds must lie in {allowed}")
            if kind == "int" and not (p.low.is_integer() and p.high.is_integer()):
                raise ConfigError(f"parameters.{p.key}=[{p.low:g}, {p.high:g}]: whole-number "
                                  "key; expected whole-number bounds")
            if kind == "bool" and (p.low, p.high) != (0.0, 1.0):
                raise ConfigError(f"parameters.{p.key}=[{p.low:g}, {p.high:g}]: true/false "
                                  "key; expected bounds [0, 1] (or [false, true])")
            if kind != "float" and p.dist != "unif":
                raise ConfigError(f"parameters.{p.key}.dist={p.dist!r}: only unif for "
                                  f"{kind} keys")
            typed.append(dataclasses.replace(p, kind=kind))
        units = self.output_units()
        for col, _ in study.outputs:
            if col not in units or col == "month":
                raise ConfigError(f"outputs.{col}: unknown output column; available: "
                                  + ", ".join(c for c in units if c != "month"))
        study = dataclasses.replace(study, parameters=tuple(typed))
        # The base and both corners of the box must make valid configs (e.g. land shares).
        base = self.base_overrides(study)
        _compose("scenario, overrides", base)
        for corner in ("low", "high"):
            _compose(f"parameters (all at {corner})",
                     base + [f"{p.key}={format_value(p.to_value(getattr(p, corner)))}"
                             for p in study.parameters])
        return study

    def run(self, values: Mapping[str, object], seed: int, study: Study) -> dict[str, float]:
        from asmsim.run.api import simulate_variant

        table = simulate_variant(self.base_overrides(study), values, seed)
        return reduce_table(table, study.outputs)


class IshigamiModel:
    """y = sin x1 + a sin² x2 + b x3⁴ sin x1 with a = 7, b = 0.1, x_i in [-π, π].

    Analytical indices: S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437.
    The environment variable ``ASMSIM_TEST_DELAY_S`` adds a sleep per run (s) to
    emulate an expensive model (used by the kill-and-resume test); it never
    changes a result.
    """

    name = "ishigami"
    chunk_hint = 256
    a, b = 7.0, 0.1
    keys = ("x1", "x2", "x3")

    def units(self) -> dict[str, str]:
        return {"y": "-"}

    def check(self, study: Study) -> Study:
        for p in study.parameters:
            if p.key not in self.keys:
                raise ConfigError(f"parameters.{p.key}: unknown input of ishigami; available: "
                                  + ", ".join(self.keys))
            if p.low < -math.pi - 1e-9 or p.high > math.pi + 1e-9:
                raise ConfigError(f"parameters.{p.key}=[{p.low:g}, {p.high:g}] is out of range; "
                                  "bounds must lie in [-pi, pi]")
        for col, _ in study.outputs:
            if col != "y":
                raise ConfigError(f"outputs.{col}: unknown output column; available: y")
        return study

    def run(self, values: Mapping[str, object], seed: int, study: Study) -> dict[str, float]:
        delay = float(os.environ.get("ASMSIM_TEST_DELAY_S", "0") or 0)
        if delay > 0:
            time.sleep(delay)
        x1, x2, x3 = (float(values.get(k, 0.0)) for k in self.keys)
        y = math.sin(x1) + self.a * math.sin(x2) ** 2 + self.b * x3 ** 4 * math.sin(x1)
        return {"y": y}


MODELS = {"asm": AsmModel, "ishigami": IshigamiModel}


def model_for(name: str):
    """The study model called ``name`` (``asm`` or ``ishigami``)."""
    if name not in MODELS:
        raise ConfigError(f"model={name!r} is unknown; available: {', '.join(MODELS)}")
    return MODELS[name]()


def typed_values(parameters: tuple[Parameter, ...], row: np.ndarray) -> dict[str, object]:
    """One sample row -> {key: value of the key's type}."""
    return {p.key: p.to_value(x) for p, x in zip(parameters, row, strict=True)}
