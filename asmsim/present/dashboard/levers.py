"""The policy levers shown on the page, how each maps to a control, and how a value is checked.

Slider ranges are each key's *policy range* in the config schema
(``param(policy_range=...)``, also in the parameter table): the span a policy
discussion covers, e.g. 0-15 % for a royalty. The number field beside a slider
takes any value; what is typed goes through :func:`check_value`, the very check
``asmsim run key=value`` makes, so a value the command line refuses is refused
with the same message. Shares are shown in percent: the control shows
``100 × config value``.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from functools import cache
from typing import Any

from asmsim.config import Config, leaf_fields, set_key, validate
from asmsim.config.load import parse_override
from asmsim.config.validate import coerce_value, get_value
from asmsim.present.dashboard import numbers

__all__ = ["DIMENSIONS", "Lever", "check_value", "get_value", "lever", "levers"]


@dataclass(frozen=True)
class Lever:
    """One control on the page for one dotted config key."""

    key: str
    dimension: str  # legal | market | social | finance
    kind: str  # "bool" | "int" | "float"
    lo: float = 0.0  # the slider's range, in control units (percent for shares)
    hi: float = 1.0
    step: float = 1.0
    percent: bool = False  # a 0-1 share shown as 0-100 %

    def to_control(self, value: Any) -> Any:
        """Config value → what the control shows."""
        if self.kind == "bool":
            return bool(value)
        if self.percent:
            return round(float(value) * 100.0, 6)
        return int(value) if self.kind == "int" else float(value)

    def to_config(self, shown: Any) -> Any:
        """What the control shows → config value."""
        if self.kind == "bool":
            return bool(shown)
        if self.percent:
            return round(float(shown) / 100.0, 6)
        return round(shown) if self.kind == "int" else float(shown)

    def format(self, value: Any, lang: str, on: str = "on", off: str = "off") -> str:
        """A config value as the page writes it: ``7 %``, ``1,500``, ``on``."""
        if self.kind == "bool":
            return on if value else off
        if self.percent:
            return numbers.FORMATS[lang].percent.format(numbers.smart(float(value) * 100, lang))
        return numbers.smart(float(value), lang)

    def field_text(self, value: Any, lang: str) -> str:
        """A config value as the number field shows it (control units, no separators)."""
        return numbers.plain(self.to_control(value), lang)

    def cli_text(self, typed: str) -> str:
        """What was typed in the number field, as the command line would get it (``key=TEXT``).

        ``2,5`` in a percent field is ``0.025``; text that is no number is passed as it is.
        """
        try:
            shown = numbers.parse(typed)
        except ValueError:
            return typed.strip()
        return config_text(shown / 100.0 if self.percent else shown)


def config_text(value: float) -> str:
    """A number as a config override writes it: ``0.025``, ``600``."""
    return f"{value:.10g}"


def override_text(value: Any) -> str:
    """Any lever value as a config override writes it: ``true``, ``0.025``, ``600``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return config_text(value) if isinstance(value, (int, float)) else str(value)


# key -> (dimension, slider step in control units)
_LAYOUT: dict[str, tuple[str, float]] = {
    "policy.legal.licence_fee_usd": ("legal", 50.0),
    "policy.legal.licence_processing_months": ("legal", 1.0),
    "policy.legal.office_capacity_per_1000_miners": ("legal", 5.0),
    "policy.legal.asm_zone_share": ("legal", 1.0),
    "policy.legal.inspection_prob": ("legal", 0.5),
    "policy.market.royalty_rate": ("market", 0.5),
    "policy.market.official_buyer.enabled": ("market", 1.0),
    "policy.market.official_buyer.price_share": ("market", 0.5),
    "policy.market.official_buyer.buying_points_per_1000_miners": ("market", 0.5),
    "policy.social.coop_support": ("social", 1.0),
    "policy.social.training_slots_per_1000_miners": ("social", 5.0),
    "policy.social.women_priority": ("social", 5.0),
    "policy.finance.microfinance.enabled": ("finance", 1.0),
    "policy.finance.microfinance.rate_monthly": ("finance", 0.25),
}
DIMENSIONS = ("legal", "market", "social", "finance")


def _kind(default: Any) -> str:
    if isinstance(default, bool):
        return "bool"
    return "int" if isinstance(default, int) else "float"


@cache
def levers() -> tuple[Lever, ...]:
    """The page's levers in display order, built from the schema metadata."""
    fields = leaf_fields()
    out = []
    for key, (dimension, step) in _LAYOUT.items():
        meta = fields[key].metadata
        kind = _kind(get_value(Config(), key))
        percent = meta.get("unit") == "0-1"
        span = meta.get("policy_range")
        if kind != "bool" and span is None:
            raise ValueError(f"lever {key} needs a policy_range in the config schema")
        lo, hi = span or (0.0, 1.0)
        scale = 100.0 if percent else 1.0
        out.append(Lever(key, dimension, kind, lo * scale, hi * scale, step, percent))
    return tuple(out)


def lever(key: str) -> Lever | None:
    """The lever for ``key`` (None for a key that is not on the page)."""
    return next((item for item in levers() if item.key == key), None)


def check_value(config: Config, key: str, text: Any) -> Any:
    """The value ``key=text`` gives, checked as ``asmsim run`` checks it; ConfigError if refused.

    First the key's own type and range (as the command line checks an
    override), then the whole config with the new value (as it validates a
    loaded config: e.g. the land shares must sum to at most 1). ``config`` is
    not changed.
    """
    _, override = parse_override(f"{key}={text}")  # read as the command line reads it
    value = coerce_value(key, override.value(), leaf_fields()[key])
    trial = copy.deepcopy(config)
    if "." in key:
        set_key(trial, key, value)
    else:  # a run setting: miners, months, seed
        trial = dataclasses.replace(trial, **{key: value})
    validate(trial)
    return value
