"""Checking values against the schema's ranges and choices; setting keys at run time.

Every message is one line that names the full key path, the bad value and what
is allowed, with a close-match suggestion for a misspelt key.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from asmsim.config.params import iter_params
from asmsim.config.schema import Config, ScheduledChange, Shock


class ConfigError(ValueError):
    """A bad key, type or value; its message is one line meant for the user."""


#: List-valued keys whose entries are mappings with their own keys.
ENTRY_TYPES: dict[str, type] = {"context.shocks": Shock, "policy_schedule": ScheduledChange}
#: At most this many allowed keys are listed in a message; beyond, it points to the docs.
LISTED_KEYS = 16


@cache
def leaf_fields() -> dict[str, dataclasses.Field]:
    """Every settable dotted key of the schema and its field (with metadata)."""
    return {key: f for key, f, _ in iter_params(Config())}


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """`` (did you mean X?)`` for the closest of ``options``, or an empty string."""
    guess = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean {guess[0]}?)" if guess else ""


def allowed_keys(keys: list[str], section: str = "") -> str:
    """``allowed: a, b, c`` — or, for long lists, where the keys are documented."""
    if len(keys) <= LISTED_KEYS:
        return "allowed: " + ", ".join(keys)
    where = f" under {section}" if section else ""
    return f"allowed: the {len(keys)} keys{where} listed in docs/parameters.md"


def unknown_key(key: str, options: Iterable[str], *, where: str = "", word: str = "",
                section: str = "") -> ConfigError:
    """The error for a key not in ``options``: where, the key, a suggestion, the allowed keys.

    ``word`` (default: ``key``) is what is matched against ``options``, e.g.
    the last part of a dotted key when ``options`` are the names of a section.
    """
    options = list(options)
    label = f"{where}: " if where else ""
    return ConfigError(f"{label}unknown key '{key}'{did_you_mean(word or key, options)}; "
                       + allowed_keys(options, section))


def check_text(key: str, text: str) -> None:
    """Refuse ``${...}`` in user input: Hydra would resolve it (``${oc.env:SECRET}``)."""
    if "${" in text:
        raise ConfigError(f"{key}={text!r}: interpolation with ${{...}} is not allowed in "
                          "asmsim input; write the value itself")


def _number_text(x: float) -> str:
    """A bound as text: whole numbers in full, others short (``1e+06``)."""
    return f"{x:g}" if isinstance(x, float) else str(x)


def _allowed(f: dataclasses.Field) -> str:
    meta = f.metadata
    if meta.get("choices"):
        return "one of " + ", ".join(meta["choices"])
    if meta.get("pattern"):
        return meta["pattern"][1]
    lo, hi = meta.get("lo"), meta.get("hi")
    unit = f" {meta['unit']}" if meta.get("unit") not in (None, "-", "0-1", "bool") else ""
    default = _default(f)
    kind = "a whole number" if isinstance(default, int) and not isinstance(default, bool) \
        else "a number"
    if lo is not None and hi is not None:
        return f"{kind} in [{_number_text(lo)}, {_number_text(hi)}]{unit}"
    if lo is not None:
        return f"{kind} >= {_number_text(lo)}{unit}"
    return kind


def _default(f: dataclasses.Field) -> Any:
    return f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default


def coerce_value(key: str, value: Any, f: dataclasses.Field) -> Any:
    """Convert ``value`` to the type of field ``f`` and check its range; raise ConfigError."""
    default = _default(f)
    bad = f"{key}={value!r} is not allowed; expected "
    if isinstance(value, str):
        check_text(key, value)
    if isinstance(default, bool):
        if isinstance(value, str) and value.lower() in ("true", "false", "on", "off"):
            value = value.lower() in ("true", "on")
        if not isinstance(value, bool):
            raise ConfigError(bad + "true or false")
    elif isinstance(default, int):
        if isinstance(value, str):
            value = _number(value, bad + _allowed(f))
        if (isinstance(value, bool) or not isinstance(value, (int, float))
                or not float(value).is_integer()):
            raise ConfigError(bad + _allowed(f))
        value = int(value)
    elif isinstance(default, float):
        if isinstance(value, str):
            value = _number(value, bad + _allowed(f))
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(bad + _allowed(f))
        if not math.isfinite(value):
            raise ConfigError(bad + "a finite " + _allowed(f).removeprefix("a "))
        value = float(value)
    elif isinstance(default, list) and f.metadata.get("choices"):
        return _choice_list(key, value, f.metadata["choices"])
    elif isinstance(default, str):
        value = _text(key, value, bad)
    _check_range(key, value, f)
    return value


def _choice_list(key: str, value: Any, choices: tuple[str, ...]) -> list[str]:
    if isinstance(value, str):
        value = [v.strip() for v in value.strip("[]").split(",") if v.strip()]
    if not isinstance(value, (list, tuple)):
        raise ConfigError(f"{key}={value!r} is not allowed; expected a list of "
                          + ", ".join(choices))
    wrong = [v for v in value if v not in choices]
    if wrong:
        raise ConfigError(f"{key}: {wrong[0]!r} is not allowed; items must be one of "
                          + ", ".join(choices))
    return list(value)


def _text(key: str, value: Any, bad: str) -> str:
    """A text value: numbers become their text, anything else is refused."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ConfigError(bad + "a text")
    check_text(key, value)
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
    if meta.get("pattern") and not re.fullmatch(meta["pattern"][0], value):
        raise ConfigError(f"{key}={value!r} is not allowed; expected {_allowed(f)}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        lo, hi = meta.get("lo"), meta.get("hi")
        if math.isnan(value) or (lo is not None and value < lo) or (hi is not None and value > hi):
            raise ConfigError(f"{key}={value!r} is out of range; expected {_allowed(f)}")


def check_entries(key: str, entries: Any) -> None:
    """Check a ``context.shocks`` or ``policy_schedule`` list given as plain data."""
    cls = ENTRY_TYPES[key]
    names = [f.name for f in dataclasses.fields(cls)]
    if not isinstance(entries, (list, tuple)):
        raise ConfigError(f"{key}={entries!r} is not allowed; expected a list of "
                          f"{{{', '.join(names)}}} entries")
    for i, entry in enumerate(entries):
        check_entry(f"{key}[{i}]", entry, cls)


def check_entry(where: str, entry: Any, cls: type) -> None:
    """One shock or scheduled change as a mapping: known keys, valid values."""
    fields = {f.name: f for f in dataclasses.fields(cls)}
    if not isinstance(entry, Mapping):
        raise ConfigError(f"{where}={entry!r} is not allowed; expected a mapping with keys "
                          + ", ".join(fields))
    for name in entry:
        if name not in fields:
            raise unknown_key(str(name), fields, where=where)
    for name, value in entry.items():
        if name != "value":
            coerce_value(f"{where}.{name}", value, fields[name])
    if cls is Shock:
        check_shock(where, entry)
    if cls is ScheduledChange:
        key = entry.get("key", ScheduledChange.key)
        coerce_value(f"{where}: {key}", entry.get("value", ScheduledChange.value),
                     settable_field(key, where))


def check_shock(where: str, entry: Mapping) -> None:
    """What a shock's kind needs: a negative size only for price_level; a readable price
    file for price_series."""
    kind = entry.get("kind", Shock.kind)
    size = entry.get("size", Shock.size)
    if kind != "price_level" and isinstance(size, (int, float)) and size < 0:
        raise ConfigError(f"{where}.size={size!r} is not allowed for kind={kind}; expected a "
                          "number in [0, 5] (a fall is kind=price_level with a negative size)")
    if kind == "price_series":
        if not entry.get("file"):
            raise ConfigError(f"{where}: kind=price_series needs file=PATH (a CSV of "
                              "month,usd_per_g)")
        from asmsim.config.prices import read_price_series

        read_price_series(str(entry["file"]))
    elif entry.get("file"):
        raise ConfigError(f"{where}.file is only for kind=price_series (kind={kind})")


def _check_horizon(config: Config) -> None:
    """Shocks and scheduled changes must start within the run (``months``)."""
    events = [(f"context.shocks[{i}] (kind={s.kind}, month={s.month}) starts", s.month)
              for i, s in enumerate(config.context.shocks)]
    events += [(f"policy_schedule[{i}] (month={c.month}, key={c.key}) comes", c.month)
               for i, c in enumerate(config.policy_schedule)]
    for what, month in events:
        if month > config.months:
            raise ConfigError(f"{what} after the last month (months={config.months}); "
                              f"expected month <= {config.months}")


def validate(config: Config) -> None:
    """Check every value, shock and scheduled change; raise ConfigError on the first problem."""
    for key, f, value in iter_params(config):
        if key not in ENTRY_TYPES:
            coerce_value(key, value, f)
    for key in ENTRY_TYPES:
        check_entries(key, [dataclasses.asdict(e) for e in get_value(config, key)])
    _check_horizon(config)
    land = (config.context.lsm_concession_share + config.context.protected_share
            + config.policy.legal.asm_zone_share)
    if land > 1.0:
        raise ConfigError(f"context.lsm_concession_share + context.protected_share + "
                          f"policy.legal.asm_zone_share = {land:g}; the land shares must sum to "
                          "at most 1")


def get_value(config: Config, key: str) -> Any:
    """The value of dotted ``key`` in ``config``."""
    node: Any = config
    for part in key.split("."):
        node = getattr(node, part)
    return node


SETTABLE_PREFIXES = ("policy.", "context.")


def settable_field(key: Any, where: str = "") -> dataclasses.Field:
    """The field of a policy/context key that may change during a run; else ConfigError."""
    label = f"{where}: " if where else ""
    fields = leaf_fields()
    if (not isinstance(key, str) or key not in fields or not key.startswith(SETTABLE_PREFIXES)
            or key in ENTRY_TYPES):
        settable = [k for k in fields if k.startswith(SETTABLE_PREFIXES) and k not in ENTRY_TYPES]
        raise ConfigError(f"{label}'{key}' is not a policy or context key that can change "
                          f"during a run{did_you_mean(str(key), settable)}; see "
                          "docs/parameters.md")
    return fields[key]


def set_key(config: Config, key: str, value: Any, *, where: str = "") -> Any:
    """Set a dotted policy/context key on ``config`` in place, validated; return the value.

    This is the single path for mid-run changes (scheduled reforms, dashboard
    sliders), so they obey the same types and ranges as a scenario file.
    """
    f = settable_field(key, where)
    value = coerce_value(f"{where}: {key}" if where else key, value, f)
    *path, last = key.split(".")
    setattr(get_value(config, ".".join(path)) if path else config, last, value)
    return value
