"""Measure the economic-sign properties of tests/test_economics.py for docs/validation.md.

Run from the repository root: ``.venv/bin/python experiments/economic_signs.py``. Prints one
markdown row per property (the test's own runs: paired seeds with common random numbers,
its window and statistic): the mean difference variant − base with its 95 % interval and
the base level, and whether the asserted sign holds.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.test_economics import PROPERTIES, holds  # noqa: E402


def main() -> None:
    """Print the table (slow: every property's paired runs, shared runs cached)."""
    print("| property | mechanism | outcome | direction | variant − base, mean [95 % interval]"
          " | base level |\n|---|---|---|---|---|---|")
    for prop in PROPERTIES:
        effect = prop.effect()
        mark = "" if holds(effect, prop.direction) else " **(fails)**"
        statistic = "window mean" if prop.statistic == "window_mean" else "total"
        print(f"| `{prop.id}` | {prop.mechanism} | `{prop.outcome}` ({statistic}, months "
              f"{prop.window[0]}–{prop.window[1]}) | {prop.direction.replace('_', ' ')}{mark} | "
              f"{effect.mean:+.4g} [{effect.low:+.4g}, {effect.high:+.4g}] | "
              f"{effect.base_level:.4g} |", flush=True)


if __name__ == "__main__":
    main()
