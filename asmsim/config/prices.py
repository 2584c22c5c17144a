"""A price path from a CSV file (the ``price_series`` shock): read once, checked line by line.

The file has a header ``month,usd_per_g`` and one row per month where the price changes:
``month`` counts from the shock's first month (0), whole and increasing; ``usd_per_g`` is
the world gold price in constant 2024 US dollars per gram (deflate a nominal series first,
e.g. with the US CPI-U). Between rows the price holds; after the last row it holds to the
shock's end. Every problem is one line naming the file, the line and what is allowed.
"""

from __future__ import annotations

import csv
import math
from functools import lru_cache
from pathlib import Path

import numpy as np

from asmsim.config.validate import ConfigError

COLUMNS = ("month", "usd_per_g")
MAX_PRICE = 1000.0  # USD/g, the schema's bound on the initial price


def read_price_series(path: str) -> np.ndarray:
    """Price (USD/g) for months 0..last row of the file at ``path``; see the module doc."""
    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"price_series file {path!r} not found (a CSV of "
                          f"{','.join(COLUMNS)})")
    return _read(str(file.resolve()), file.stat().st_mtime_ns).copy()


@lru_cache(maxsize=16)
def _read(path: str, _mtime: int) -> np.ndarray:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    rows = list(csv.reader(lines))
    if not rows or tuple(c.strip() for c in rows[0]) != COLUMNS:
        raise ConfigError(f"{path}, line 1: expected the header {','.join(COLUMNS)}")
    months, prices = [], []
    for number, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip():
            continue
        try:
            month, price = (float(x) for x in row)
        except ValueError:
            raise ConfigError(f"{path}, line {number}: {','.join(row)!r} is not two numbers "
                              "(month,usd_per_g)") from None
        if not (month.is_integer() and month >= 0) or (months and month <= months[-1]):
            raise ConfigError(f"{path}, line {number}: month={month:g} is not allowed; "
                              "expected whole months from 0, increasing")
        if not (math.isfinite(price) and 0 < price <= MAX_PRICE):
            raise ConfigError(f"{path}, line {number}: usd_per_g={price:g} is not allowed; "
                              f"expected a price in (0, {MAX_PRICE:g}] USD/g")
        months.append(int(month))
        prices.append(price)
    if not months or months[0] != 0:
        raise ConfigError(f"{path}: the first row must be month 0 (the shock's first month)")
    path_prices = np.empty(months[-1] + 1)
    for i, start in enumerate(months):
        path_prices[start:] = prices[i]
    return path_prices
