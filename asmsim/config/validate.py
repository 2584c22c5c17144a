"""Checking values against the schema's ranges and choices; setting keys at run time."""

from __future__ import annotations

import copy
import dataclasses
from functools import cache
from typing import Any

from asmsim.config.params import iter_params
from asmsim.config.schema import Config


class ConfigError(ValueError):
    """A bad key, type or value; its message is one line meant for the user."""


@cache
def leaf_fields() -> dict[str, dataclasses.Field]:
    """Every settable dotted key of the schema and its field (with metadata)."""
    return {key: f for key, f, _ in iter_params(Config())}


def _allowed(f: dataclasses.Field) -> str:
    meta = f.metadata
    if meta.get("choices"):
        return "one of " + ", ".join(meta["choices"])
    lo, hi = meta.get("lo"), meta.get("hi")
    unit = f" {meta['unit']}" if meta.get("unit") not in (None, "-", "0-1", "bool") else ""
    if lo is not None and hi is not None:
        return f"a number in [{lo:g}, {hi:g}]{unit}"
    if lo is not None:
        return f"a number >= {lo:g}{unit}"
    return "a number"


def coerce_value(key: str, value: Any, f: dataclasses.Field) -> Any:
    """Convert ``value`` to the type of field ``f`` and check its range; raise ConfigError."""
    default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
    bad = f"{key}={value!r} is not allowed; expected "
    if isinstance(default, bool):
        if isinstance(value, str) and value.lower() in ("true", "false", "on", "off"):
            value = value.lower() in ("true", "on")
        if not isinstance(value, bool):
            raise ConfigError(bad + "true or false")
    elif isinstance(default, int):
        if isinstance(value, str):
            value = _number(value, bad + "a whole number")
        if isinstance(value, bool) or not float(value).is_integer():
            raise ConfigError(bad + "a whole number")
        value = int(value)
    elif isinstance(default, float):
        if isinstance(value, str):
            value = _number(value, bad + _allowed(f))
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(bad + _allowed(f))
        value = float(value)
    elif isinstance(default, list) and f.metadata.get("choices"):
        if isinstance(value, str):
            value = [v.strip() for v in value.strip("[]").split(",") if v.strip()]
        wrong = [v for v in value if v not in f.metadata["choices"]]
        if wrong:
            raise ConfigError(f"{key}: {wrong[0]!r} is not allowed; items must be one of "
                              + ", ".join(f.metadata["choices"]))
        return list(value)
    _check_range(key, value, f)
    return value


def _number(text: str, message: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ConfigError(message) from None


def _check_range(key: str, value: Any, f: dataclasses.Field) -> None:
    meta = f.metadata
    if meta.get("choices") and isinstance(value, str) and value not in meta["choices"]:
        raise ConfigError(f"{key}={value!r} is not allowed; expected {_allowed(f)}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        lo, hi = meta.get("lo"), meta.get("hi")
        if value != value or (lo is not None and value < lo) or (hi is not None and value > hi):
            raise ConfigError(f"{key}={value!r} is out of range; expected {_allowed(f)}")


def validate(config: Config) -> None:
    """Check every value, shock and scheduled change; raise ConfigError on the first problem."""
    for key, f, value in iter_params(config):
        if key not in ("context.shocks", "policy_schedule"):
            coerce_value(key, value, f)
    for i, shock in enumerate(config.context.shocks):
        for key, f, value in iter_params(shock, f"context.shocks[{i}]."):
            coerce_value(key, value, f)
    for i, change in enumerate(config.policy_schedule):
        if change.month < 1:
            raise ConfigError(f"policy_schedule[{i}].month={change.month} is out of range; "
                              "expected a month >= 1")
        set_key(copy.deepcopy(config), change.key, change.value, where=f"policy_schedule[{i}]")
    land = (config.context.lsm_concession_share + config.context.protected_share
            + config.policy.legal.asm_zone_share)
    if land > 1.0:
        raise ConfigError(f"context.lsm_concession_share + context.protected_share + "
                          f"policy.legal.asm_zone_share = {land:g}; the land shares must sum to "
                          "at most 1")


SETTABLE_PREFIXES = ("policy.", "context.")


def set_key(config: Config, key: str, value: Any, *, where: str = "") -> Any:
    """Set a dotted policy/context key on ``config`` in place, validated; return the value.

    This is the single path for mid-run changes (scheduled reforms, dashboard
    sliders), so they obey the same types and ranges as a scenario file.
    """
    label = f"{where}: " if where else ""
    fields = leaf_fields()
    if key not in fields or not key.startswith(SETTABLE_PREFIXES) or key == "context.shocks":
        raise ConfigError(f"{label}'{key}' is not a policy or context key that can change "
                          "during a run; see docs/parameters.md")
    value = coerce_value(key, value, fields[key])
    *path, last = key.split(".")
    node: Any = config
    for part in path:
        node = getattr(node, part)
    setattr(node, last, value)
    return value
