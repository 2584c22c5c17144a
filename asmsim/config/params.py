"""Declaring a parameter: default, unit, allowed range and source in one place.

Every schema field is built with :func:`param`, so validation, the parameter
table in ``docs/parameters.md`` and the dashboard's slider ranges all read the
same metadata and cannot drift apart.
"""

from __future__ import annotations

import dataclasses
from dataclasses import field
from typing import Any

ASSUMPTION = "assumption"
#: How the source of a key calibrated by the shipped ABC-SMC posterior begins
#: (``asmsim.config.schema.calibrated``).
CALIBRATED = "calibrated: ABC-SMC"


def param(
    default: Any,
    unit: str,
    doc: str,
    *,
    lo: float | None = None,
    hi: float | None = None,
    source: str = ASSUMPTION,
    choices: tuple[str, ...] | None = None,
    pattern: tuple[str, str] | None = None,
    policy_range: tuple[float, float] | None = None,
) -> Any:
    """A dataclass field carrying the parameter's documentation.

    ``lo``/``hi`` are inclusive bounds checked by validation; ``choices`` lists
    the allowed strings (or, for list fields, the allowed items); ``pattern``
    is ``(regular expression, what it allows in words)`` for a text that must
    match it whole; ``source`` is a citation from the domain facts or
    ``"assumption"``. ``policy_range`` (optional, not checked) is the span a policy
    discussion usually covers, e.g. 0-15 % for a royalty: the dashboard's sliders run
    over it.
    """
    meta = {"unit": unit, "doc": doc, "lo": lo, "hi": hi, "source": source, "choices": choices,
            "pattern": pattern, "policy_range": policy_range}
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


def share(default: float, doc: str, *, source: str = ASSUMPTION,
          policy_range: tuple[float, float] | None = None) -> Any:
    """A share or probability in [0, 1]."""
    return param(default, "0-1", doc, lo=0.0, hi=1.0, source=source, policy_range=policy_range)


#: Upper bound of an amount of money per miner, unit or month (a plausibility
#: limit, far above any real value, that keeps every computation finite).
MAX_USD = 1e6
#: Upper bound of any number of months: a century.
MAX_MONTHS = 1200
#: Upper bound of a seed (it is stored as a 64-bit integer).
MAX_SEED = 2**63 - 1


#: A name that becomes part of a folder name: no '/', no leading '.', so it
#: can never point outside the folder it is written in.
NAME = (r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}",
        "a name of 1-64 letters, digits, '_', '.' or '-' starting with a letter or digit")


def name(default: str, doc: str) -> Any:
    """A text that names a folder (see :data:`NAME`)."""
    return param(default, "-", doc, pattern=NAME)


def usd(default: float, doc: str, *, unit: str = "USD", hi: float = MAX_USD,
        source: str = ASSUMPTION, policy_range: tuple[float, float] | None = None) -> Any:
    """A non-negative amount of money, at most ``hi``."""
    return param(default, unit, doc, lo=0.0, hi=hi, source=source, policy_range=policy_range)


def months(default: int, doc: str, *, lo: int = 1, source: str = ASSUMPTION,
           policy_range: tuple[float, float] | None = None) -> Any:
    """A whole number of months (at least ``lo``, at most :data:`MAX_MONTHS`)."""
    return param(default, "months", doc, lo=lo, hi=MAX_MONTHS, source=source,
                 policy_range=policy_range)


def flag(default: bool, doc: str, *, source: str = ASSUMPTION) -> Any:
    """A yes/no switch."""
    return param(default, "bool", doc, source=source)


def iter_params(node: Any, prefix: str = ""):
    """Yield ``(dotted_key, dataclass_field, value)`` for every leaf of a config tree."""
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        key = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(value):
            yield from iter_params(value, key + ".")
        else:
            yield key, f, value
