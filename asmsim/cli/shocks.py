"""``asmsim shocks``: the kinds of context shock a scenario can schedule, with examples.

Shocks go in a scenario file under ``context.shocks`` (or on the command line as
``context.shocks=[{kind: price_level, month: 12, duration: 24, size: -0.3}]``); each
has ``kind``, ``month`` (first month), ``duration`` (months) and ``size`` or ``file``.
"""

from __future__ import annotations

from asmsim.config.schema import SHOCK_DOCS


def main(args: list[str]) -> int:
    width = max(len(kind) for kind in SHOCK_DOCS)
    for kind, (what, example) in SHOCK_DOCS.items():
        print(f"{kind:<{width}}  {what}")
        print(f"{'':<{width}}  e.g. {example}")
    print("\nin a scenario file:\n  context:\n    shocks:\n"
          "      - {kind: price_level, month: 12, duration: 24, size: -0.3}")
    return 0
