"""The Morris screening over every numeric parameter: ranges from the schema, one study file.

Each numeric ``context.*`` and ``policy.*`` key varies over its ``policy_range`` where the
schema gives one (the span a policy discussion covers), else over its default ± ``spread``
(relative), clipped to its allowed range; a key whose default is 0 and that has no policy
range varies over [0, 0.5] if it is a share, or ±0.05 if it may be negative. Excluded:
true/false keys (mechanism switches, not quantities) and :data:`STRUCTURAL` keys whose 0
means "scaled with the population". The land shares are kept jointly valid (their high
ends sum to at most 0.99).

``python -m asmsim.analysis.sensitivity.screening > experiments/morris_all.yaml`` writes
the study; ``tests/test_sensitivity_study.py`` checks that the shipped file still lists
every key with these ranges, so it cannot go stale when the schema changes.
"""

from __future__ import annotations

import math

from asmsim.config import Config
from asmsim.config.params import iter_params

STRUCTURAL = ("context.grid_width", "context.grid_height", "context.towns")
LAND_SHARES = ("context.lsm_concession_share", "context.protected_share",
               "policy.legal.asm_zone_share")
LAND_LIMIT = 0.99  # most the land shares' high ends may sum to (1 with rounding room)
SPREAD = 0.5
OUTPUTS = {"licensed_share": "last12", "official_sales_share": "last12",
           "official_export_share": "last12", "trader_discount_share": "last12",
           "income_mean_usd": "last12", "women_men_income_ratio": "last12",
           "active_miners": "last12", "silicosis_prevalence": "last12",
           "mercury_kg": "cumulative"}
HEADER = """\
# Morris screening of EVERY numeric parameter (issue 11 §4), generated from the schema by
# `python -m asmsim.analysis.sensitivity.screening > experiments/morris_all.yaml`
# (do not edit by hand; tests check it against the schema). Ranges: each key's policy
# range, else its default ± 50 % within its allowed range (asmsim/analysis/sensitivity/
# screening.py). {n} trajectories x ({d} + 1) = {runs} runs of 1,000 miners x 60 months.
# Common seeds along each trajectory: an elementary effect compares two runs that differ
# only in the parameter that moved, not in their random numbers.
# Run:  asmsim sensitivity experiment=morris_all
"""


def _range(value: float, meta: dict, spread: float) -> tuple[float, float] | None:
    lo, hi = meta.get("lo"), meta.get("hi")
    if meta.get("policy_range") is not None:
        low, high = meta["policy_range"]
    elif value != 0:
        low, high = sorted((value * (1 - spread), value * (1 + spread)))
    elif meta.get("unit") == "0-1":
        low, high = 0.0, 0.5
    elif lo is not None and lo < 0:
        low, high = -0.05, 0.05
    else:
        return None
    low = max(low, lo) if lo is not None else low
    high = min(high, hi) if hi is not None else high
    return (float(low), float(high)) if high > low else None


def screening_ranges(spread: float = SPREAD) -> dict[str, tuple[float, float]]:
    """``{key: (low, high)}`` for every screened numeric key (whole numbers for int keys)."""
    ranges = {}
    for key, f, value in iter_params(Config()):
        if not key.startswith(("context.", "policy.")) or key in STRUCTURAL:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        span = _range(float(value), dict(f.metadata), spread)
        if span is None:
            continue
        if isinstance(value, int):
            span = (math.floor(span[0]), math.ceil(span[1]))
            if span[0] == span[1]:
                continue
        ranges[key] = span
    highs = sum(ranges[k][1] for k in LAND_SHARES if k in ranges)
    if highs > LAND_LIMIT:  # scale the land shares' ranges down: every corner stays valid
        for key in LAND_SHARES:
            if key in ranges:
                low, high = ranges[key]
                ranges[key] = (low * LAND_LIMIT / highs, high * LAND_LIMIT / highs)
    return ranges


def study_yaml(trajectories: int = 10, spread: float = SPREAD) -> str:
    """The study file's text."""
    ranges = screening_ranges(spread)
    lines = [HEADER.format(n=trajectories, d=len(ranges), runs=trajectories * (len(ranges) + 1)),
             "method: morris", f"n: {trajectories}", "num_levels: 4", "seed: 1",
             "scenario: baseline",
             "overrides: [miners=1000, months=60, context.warmup_months=60]",
             "replicates: 1", "common_seeds: true", "parameters:"]
    lines += [f"  {key}: [{low!r}, {high!r}]" for key, (low, high) in ranges.items()]
    lines += ["outputs:"] + [f"  {col}: {how}" for col, how in OUTPUTS.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(study_yaml(), end="")
