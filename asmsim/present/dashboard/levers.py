"""The policy levers shown on the page and how each maps to a control.

Ranges and units come from the config schema (``leaf_fields()`` metadata); the
only dashboard-specific numbers are upper ends for keys whose allowed range is
far wider than a workshop needs (a fee may be up to 1e6 USD, a slider stops at
5,000) and the slider step.
Shares are shown in percent: the control value is ``100 × config value``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from asmsim.config import Config, leaf_fields
from asmsim.config.validate import get_value

__all__ = ["DIMENSIONS", "Lever", "get_value", "lever", "levers"]


@dataclass(frozen=True)
class Lever:
    """One control on the page for one dotted config key."""

    key: str
    dimension: str  # legal | market | social | finance
    kind: str  # "bool" | "int" | "float"
    lo: float = 0.0
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

    def format(self, value: Any, on: str = "on", off: str = "off") -> str:
        """A config value as a short text with its unit, e.g. ``7 %`` or ``1,500``."""
        if self.kind == "bool":
            return on if value else off
        if self.percent:
            return f"{float(value) * 100:g} %"
        return f"{value:,.0f}" if float(value) >= 100 else f"{value:g}"


# key -> (dimension, the slider's upper end when the allowed range is wider, or None; step in
# control units)
_LAYOUT: dict[str, tuple[str, float | None, float]] = {
    "policy.legal.licence_fee_usd": ("legal", 5000.0, 50.0),
    "policy.legal.licence_processing_months": ("legal", 60.0, 1.0),
    "policy.legal.asm_zone_share": ("legal", None, 1.0),
    "policy.legal.inspection_prob": ("legal", None, 0.5),
    "policy.market.royalty_rate": ("market", None, 0.5),
    "policy.market.official_buyer.enabled": ("market", None, 1.0),
    "policy.market.official_buyer.price_share": ("market", None, 0.5),
    "policy.social.coop_support": ("social", None, 1.0),
    "policy.social.training_slots_per_1000_miners": ("social", 250.0, 5.0),
    "policy.social.women_priority": ("social", None, 5.0),
    "policy.finance.microfinance.enabled": ("finance", None, 1.0),
    "policy.finance.microfinance.rate_monthly": ("finance", None, 0.25),
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
    for key, (dimension, open_hi, step) in _LAYOUT.items():
        meta = fields[key].metadata
        kind = _kind(get_value(Config(), key))
        percent = meta.get("unit") == "0-1"
        lo = float(meta["lo"]) if meta.get("lo") is not None else 0.0
        hi = open_hi if open_hi is not None else meta.get("hi")
        if kind != "bool" and hi is None:
            raise ValueError(f"lever {key} needs an upper end for its slider")
        scale = 100.0 if percent else 1.0
        out.append(Lever(key, dimension, kind, lo * scale, float(hi or 1.0) * scale, step, percent))
    return tuple(out)


def lever(key: str) -> Lever:
    """The lever for ``key``."""
    return next(item for item in levers() if item.key == key)


