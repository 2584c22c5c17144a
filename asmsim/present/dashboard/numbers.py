"""Numbers as each language of the page writes them, and read back from a number field.

English ``1,500.5`` and ``46%``; French ``1 500,5`` (narrow no-break space) and
``46 %``; Spanish ``1500,5`` but ``15.000`` (a four-digit number is not grouped)
and ``46 %``. A number field shows a plain number in the language's decimal
mark (no thousands separator), and :func:`parse` reads either decimal mark.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

NBSP, NNBSP = "\u00a0", "\u202f"


@dataclass(frozen=True)
class NumberFormat:
    """How one language writes numbers."""

    decimal: str
    group: str
    percent: str  # pattern around the number
    min_group_digits: int = 4  # the shortest number whose thousands are grouped


FORMATS = {
    "en": NumberFormat(".", ",", "{}%"),
    "fr": NumberFormat(",", NNBSP, "{}" + NBSP + "%"),
    "es": NumberFormat(",", ".", "{}" + NBSP + "%", min_group_digits=5),
}


def number(value: float, lang: str, decimals: int = 0) -> str:
    """``value`` rounded to ``decimals`` with the language's marks (``–`` if not a number)."""
    if value is None or not math.isfinite(value):
        return "–"
    fmt = FORMATS[lang]
    text = f"{abs(value):.{decimals}f}"
    whole, _, fraction = text.partition(".")
    if len(whole) >= fmt.min_group_digits:
        whole = f"{int(whole):,}".replace(",", fmt.group)
    sign = "−" if value < 0 and float(text) != 0 else ""
    return sign + whole + (fmt.decimal + fraction if fraction else "")


def percent(share: float, lang: str, decimals: int = 0) -> str:
    """A 0-1 share as a percentage, e.g. ``46 %`` in French."""
    if share is None or not math.isfinite(share):
        return "–"
    return FORMATS[lang].percent.format(number(share * 100.0, lang, decimals))


def smart(value: float, lang: str) -> str:
    """A number with as many decimals as it needs to be read (up to 2): 600, 2.5, 0.25."""
    if value is None or not math.isfinite(value):
        return "–"
    for decimals in range(3):
        if abs(value - round(value, decimals)) < 1e-9:
            return number(value, lang, decimals)
    return number(value, lang, 2)


def significant(value: float, lang: str, digits: int = 2) -> str:
    """``value`` to ``digits`` significant digits, for small amounts: ``0.001``, ``0.29``, ``12``.

    Below 0.001 (but not 0) it is ``<0.001``: no exponents for a room.
    """
    if value is None or not math.isfinite(value):
        return "–"
    if 0 < abs(value) < 0.001:
        return "<" + "0.001".replace(".", FORMATS[lang].decimal)
    return f"{value:.{digits}g}".replace(".", FORMATS[lang].decimal)


def plain(value: float, lang: str) -> str:
    """``value`` for a number field: no thousands separator, the language's decimal mark."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text.replace(".", FORMATS[lang].decimal)


def parse(text: str) -> float:
    """A number typed in any of the page's languages: ``2,5``, ``2.5``, ``1 500`` (ValueError if not).

    A comma is a decimal mark unless a dot follows it (``1,500.5``); spaces are dropped.
    """
    cleaned = "".join(text.split()).replace(NNBSP, "").replace("−", "-")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(",", "") if cleaned.rfind(".") > cleaned.rfind(",") \
            else cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", ".")
    return float(cleaned)


def compact(value: float, lang: str) -> str:
    """An axis tick: 350000 → ``350k``, 2500000 → ``2.5M`` (``2,5M`` in French), 12.5 → ``12.5``."""
    size = abs(value)
    if size >= 1e6:
        return f"{smart(value / 1e6, lang)}M"
    if size >= 1e4:
        return f"{smart(value / 1e3, lang)}k"
    return smart(value, lang)
