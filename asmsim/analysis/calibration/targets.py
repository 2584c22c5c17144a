"""The target file: what the model is calibrated to, and what it is validated against.

A target file is YAML under ``configs/targets/`` (see ``docs/calibration.md``)::

    description: "..."
    simulation:
      overrides: [miners=1000, months=60]   # every run of a particle
    parameters:                              # calibrated keys; prior [low, high] (uniform)
      context.sale_logit_scale_per_usd: [0.3, 3.0]
    targets:
      official_sales_share:                 # a name of the target
        output: official_sales_share        # an output column
        months: [13, 60]                    # mean over these months (inclusive)
        scenario: baseline                  # the preset it is measured under
        band: [0.02, 0.04]                  # the field's range
        source: "domain-facts §5.2"
        per: active_miners                  # optional: divided by another output's mean,
        scale: 1200                         #   or by a config key; times scale
        relative_to: baseline               # optional: ratio to the same statistic there
        base_months: [1, 12]                # optional: ratio to the same statistic over
                                            #   these months of the same run (a trend)
        overrides: [context.price.path=series]  # optional: this target's runs only
        held_out: false                     # true: validation only, never fitted

Every problem raises :class:`asmsim.config.ConfigError` with one line naming the
file, the key, the bad value and what is allowed (the CLI exits with code 2).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from asmsim.config import ConfigError
from asmsim.config.validate import leaf_fields, unknown_key

TOP_KEYS = ("description", "simulation", "parameters", "targets")
SIMULATION_KEYS = ("overrides",)
TARGET_KEYS = ("output", "months", "scenario", "band", "source", "per", "scale",
               "relative_to", "base_months", "overrides", "held_out")
REQUIRED_TARGET_KEYS = ("output", "months", "band", "source")


@dataclasses.dataclass(frozen=True)
class Target:
    """One summary statistic of the model and the field's band for it."""

    name: str
    output: str
    first: int                 # first month of the window (inclusive)
    last: int                  # last month of the window (inclusive)
    low: float
    high: float
    source: str
    scenario: str = "baseline"
    per: str | None = None     # output column or config key dividing the statistic
    scale: float = 1.0
    relative_to: str | None = None  # scenario whose statistic divides this one
    base_months: tuple[int, int] | None = None  # window whose statistic divides this one
    overrides: tuple[str, ...] = ()  # config overrides of this target's runs
    held_out: bool = False

    @property
    def width(self) -> float:
        """The band's width (same unit as the statistic)."""
        return self.high - self.low

    def scenarios(self) -> tuple[str, ...]:
        """Scenarios a particle must run to measure this target."""
        return (self.scenario,) if self.relative_to is None else (self.scenario,
                                                                  self.relative_to)

    def runs(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The (scenario, overrides) runs a particle needs for this target."""
        return tuple((scenario, self.overrides) for scenario in self.scenarios())


@dataclasses.dataclass(frozen=True)
class Prior:
    """A calibrated config key and its uniform prior ``[low, high]`` (the key's unit)."""

    key: str
    low: float
    high: float


@dataclasses.dataclass(frozen=True)
class TargetSet:
    """A validated target file."""

    name: str
    description: str
    overrides: tuple[str, ...]
    priors: tuple[Prior, ...]
    targets: tuple[Target, ...]

    @property
    def fitted(self) -> tuple[Target, ...]:
        """The targets the calibration is fitted to."""
        return tuple(t for t in self.targets if not t.held_out)

    @property
    def held_out(self) -> tuple[Target, ...]:
        """The targets kept out of the fitting (validation only)."""
        return tuple(t for t in self.targets if t.held_out)

    def runs(self, targets: tuple[Target, ...] | None = None
             ) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Every (scenario, overrides) run the ``targets`` (default: the fitted ones) need,
        in first-use order."""
        seen: dict[tuple[str, tuple[str, ...]], None] = {}
        for target in self.fitted if targets is None else targets:
            for run in target.runs():
                seen.setdefault(run, None)
        return tuple(seen)

    def scenarios(self, targets: tuple[Target, ...] | None = None) -> tuple[str, ...]:
        """Every scenario the ``targets`` (default: the fitted ones) need, in first-use order."""
        return tuple(dict.fromkeys(scenario for scenario, _ in self.runs(targets)))

    def select(self, keys: list[str]) -> TargetSet:
        """The same targets with only the priors of ``keys`` calibrated."""
        known = [p.key for p in self.priors]
        for key in keys:
            if key not in known:
                raise unknown_key(key, known, where=f"targets {self.name}: parameters")
        return dataclasses.replace(self, priors=tuple(p for p in self.priors if p.key in keys))

    def digest(self) -> str:
        """SHA-256 of the definition: a calibration folder belongs to one target set."""
        data = dataclasses.asdict(self)
        text = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def _fail(where: str, message: str) -> None:
    raise ConfigError(f"{where}: {message}")


def _number(where: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        _fail(where, f"{key}={value!r} is not allowed; expected a finite number")
    return float(value)


def _pair(where: str, key: str, value: Any, whole: bool = False) -> tuple[float, float]:
    """``[low, high]`` with low < high (``low <= high`` for whole month windows)."""
    what = "[first, last] months" if whole else "[low, high]"
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        _fail(where, f"{key}={value!r} is not allowed; expected {what}")
    low, high = (_number(where, key, v) for v in value)
    if whole and not (low.is_integer() and high.is_integer() and 1 <= low <= high):
        _fail(where, f"{key}={list(value)!r} is not allowed; expected whole months "
                     "1 <= first <= last")
    if not whole and low >= high:
        _fail(where, f"{key}={list(value)!r} is not allowed; expected low < high")
    return low, high


def _mapping(where: str, key: str, value: Any, what: str) -> Mapping:
    if not isinstance(value, Mapping) or not value:
        _fail(where, f"{key} is not allowed as {value!r}; expected {what}")
    return value


def parse_priors(where: str, data: Any) -> tuple[Prior, ...]:
    """``parameters:`` -> priors, each key a numeric context/policy key and the range inside
    the key's allowed range."""
    fields = leaf_fields()
    priors = []
    for key, spec in _mapping(where, "parameters", data, "a mapping key: [low, high]").items():
        key = str(key)
        if key not in fields or not key.startswith(("context.", "policy.")):
            raise unknown_key(key, [k for k in fields if k.startswith(("context.", "policy."))],
                              where=f"{where}: parameters")
        meta = fields[key].metadata
        if fields[key].type not in (float, "float"):
            _fail(where, f"parameters.{key}: only real-valued keys can be calibrated")
        low, high = _pair(where, f"parameters.{key}", spec)
        lo, hi = meta.get("lo"), meta.get("hi")
        if (lo is not None and low < lo) or (hi is not None and high > hi):
            _fail(where, f"parameters.{key}={[low, high]!r} is outside the key's allowed "
                         f"range [{lo}, {hi}]")
        priors.append(Prior(key, low, high))
    return tuple(priors)


def parse_target(where: str, name: str, spec: Any, outputs: tuple[str, ...],
                 scenarios: tuple[str, ...]) -> Target:
    """One ``targets:`` entry -> :class:`Target`."""
    here = f"{where}: targets.{name}"
    spec = _mapping(where, f"targets.{name}", spec, "a mapping of " + ", ".join(TARGET_KEYS))
    extra = [k for k in spec if k not in TARGET_KEYS]
    if extra:
        raise unknown_key(str(extra[0]), TARGET_KEYS, where=here)
    for key in REQUIRED_TARGET_KEYS:
        if key not in spec:
            _fail(here, f"missing key '{key}'")
    output = str(spec["output"])
    if output not in outputs:
        raise unknown_key(output, outputs, where=f"{here}.output")
    first, last = _pair(here, "months", spec["months"], whole=True)
    low, high = _pair(here, "band", spec["band"])
    for key in ("scenario", "relative_to"):
        if key in spec and spec[key] not in scenarios:
            raise unknown_key(str(spec[key]), scenarios, where=f"{here}.{key}")
    per = spec.get("per")
    if per is not None and per not in outputs and per not in leaf_fields():
        _fail(here, f"per={per!r} is neither an output column nor a config key")
    base = spec.get("base_months")
    if base is not None:
        base = tuple(int(x) for x in _pair(here, "base_months", base, whole=True))
    overrides = spec.get("overrides", [])
    if not isinstance(overrides, list) or not all(isinstance(o, str) for o in overrides):
        _fail(here, f"overrides={overrides!r} is not allowed; expected a list of key=value "
                    "strings")
    held_out = spec.get("held_out", False)
    if not isinstance(held_out, bool):
        _fail(here, f"held_out={held_out!r} is not allowed; expected true or false")
    source = spec["source"]
    if not isinstance(source, str) or not source.strip():
        _fail(here, f"source={source!r} is not allowed; expected the field source (text)")
    return Target(name=name, output=output, first=int(first), last=int(last), low=low,
                  high=high, source=source, scenario=str(spec.get("scenario", "baseline")),
                  per=per, scale=_number(here, "scale", spec.get("scale", 1.0)),
                  relative_to=spec.get("relative_to"), base_months=base,
                  overrides=tuple(overrides), held_out=held_out)


def parse_targets(data: Any, name: str, where: str) -> TargetSet:
    """Validate a parsed target file (``where``: the file, for messages)."""
    from asmsim.config import group_options
    from asmsim.model.recorder import OUTPUTS

    if not isinstance(data, Mapping):
        _fail(where, "expected a mapping of keys (" + ", ".join(TOP_KEYS) + ")")
    extra = [k for k in data if k not in TOP_KEYS]
    if extra:
        raise unknown_key(str(extra[0]), TOP_KEYS, where=where)
    for key in ("parameters", "targets"):
        if key not in data:
            _fail(where, f"missing key '{key}'")
    simulation = data.get("simulation", {}) or {}
    if not isinstance(simulation, Mapping):
        _fail(where, f"simulation={simulation!r} is not allowed; expected a mapping")
    extra = [k for k in simulation if k not in SIMULATION_KEYS]
    if extra:
        raise unknown_key(str(extra[0]), SIMULATION_KEYS, where=f"{where}: simulation")
    overrides = simulation.get("overrides", [])
    if not isinstance(overrides, list) or not all(isinstance(o, str) for o in overrides):
        _fail(where, f"simulation.overrides={overrides!r} is not allowed; expected a list of "
                     "key=value strings")
    scenarios = tuple(group_options("scenario"))
    targets = tuple(parse_target(where, str(k), v, tuple(OUTPUTS), scenarios)
                    for k, v in _mapping(where, "targets", data["targets"],
                                         "a mapping name: {output, months, band, source}")
                    .items())
    if not any(not t.held_out for t in targets):
        _fail(where, "every target is held_out; at least one must be fitted")
    result = TargetSet(name=name, description=str(data.get("description", "")),
                       overrides=tuple(overrides), priors=parse_priors(where, data["parameters"]),
                       targets=targets)
    _check_overrides(where, result)
    return result


def _check_overrides(where: str, targets: TargetSet) -> None:
    """The simulation overrides (and each target's) compose with every scenario needed."""
    from asmsim.config import load_config

    for scenario, extra in targets.runs(targets.targets):
        try:
            load_config([f"scenario={scenario}", *targets.overrides, *extra])
        except ConfigError as exc:
            _fail(where, f"{'overrides' if extra else 'simulation.overrides'}: {exc}")


def targets_dir() -> Path:
    """``configs/targets/`` beside the package (or of the working folder)."""
    here = Path.cwd() / "configs" / "targets"
    return here if here.is_dir() else Path(__file__).resolve().parents[3] / "configs" / "targets"


def resolve_targets(ref: str) -> Path:
    """``targets=`` value -> a file: a path, or a name under ``configs/targets/``."""
    path = Path(ref)
    for candidate in (path, path.with_suffix(".yaml"), targets_dir() / f"{ref}.yaml"):
        if candidate.is_file():
            return candidate
    folder = targets_dir()
    names = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
    raise ConfigError(f"targets={ref!r} is unknown; available: {', '.join(names) or '(none)'} "
                      "or a path to a target YAML")


def load_targets(ref: str) -> TargetSet:
    """Read, parse and validate a target file (name under ``configs/targets/`` or path)."""
    from asmsim.config.files import read_yaml

    path = resolve_targets(ref)
    return parse_targets(read_yaml(path, "targets"), name=path.stem, where=str(path))


def target_unit(target: Target) -> str:
    """The unit of a target's statistic, in words."""
    from asmsim.model.recorder import OUTPUTS

    if target.relative_to is not None:
        return f"ratio to {target.relative_to}"
    if target.base_months is not None:
        return f"ratio to months {target.base_months[0]}–{target.base_months[1]}"
    if target.per is not None:
        return f"{target.output} per {target.per}" + (f" × {target.scale:g}"
                                                       if target.scale != 1 else "")
    return OUTPUTS[target.output][0]
