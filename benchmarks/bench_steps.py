"""Where a month's time goes: CPU milliseconds per month by schedule step.

Run: ``.venv/bin/python benchmarks/bench_steps.py [--miners 10000] [--months 120]
[--repeats 3] [--scenario baseline]``.

Builds the model (warm-up included, not timed), then wraps every step of
:data:`asmsim.model.model.SCHEDULE`, the recorder and the table compaction with a
``time.process_time`` accumulator and runs ``--months`` recorded months. Prints each
step's CPU milliseconds per month in the fastest of ``--repeats`` runs (each in this
process, same seed) and the total. The wrapping costs a few microseconds a step.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict


def timed_run(miners: int, months: int, scenario: str, seed: int) -> dict[str, float]:
    """CPU seconds per schedule step (and record, compaction) over ``months`` months."""
    from asmsim.config import load_config
    from asmsim.model import ASMModel
    from asmsim.model import model as model_module

    spent: dict[str, float] = defaultdict(float)

    def wrap(function, name):
        def timed(*args, **kwargs):
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.process_time() - start
        return timed

    config = load_config([f"scenario={scenario}", f"miners={miners}", f"months={months}"])
    model = ASMModel(config, seed=seed)
    schedule = model_module.SCHEDULE
    model_module.SCHEDULE = tuple(wrap(step, f"{step.__module__.rsplit('.', 1)[-1]}."
                                             f"{step.__name__}") for step in schedule)
    model._record = wrap(model._record, "record")
    model._compact_if_sparse = wrap(model._compact_if_sparse, "compaction")
    try:
        start = time.process_time()
        for _ in range(months):
            model.step()
        spent["total"] = time.process_time() - start
    finally:
        model_module.SCHEDULE = schedule
    return dict(spent)


def main(argv: list[str] | None = None) -> None:
    """Print CPU ms per month by step, in the fastest of the repeats."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--miners", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    runs = []
    for repeat in range(args.repeats):
        runs.append(timed_run(args.miners, args.months, args.scenario, args.seed))
        print(f"  run {repeat + 1}/{args.repeats}: {runs[-1]['total']:.2f} s CPU", file=sys.stderr)
    best = min(runs, key=lambda run: run["total"])
    print(f"{args.scenario}, {args.miners:,} miners, {args.months} months, CPU ms per month "
          f"(best of {args.repeats}); Python {sys.version.split()[0]}")
    steps = sorted((name for name in best if name != "total"), key=best.get, reverse=True)
    for name in steps:
        print(f"  {name:34s} {1000 * best[name] / args.months:8.2f}")
    accounted = sum(best[name] for name in steps)
    print(f"  {'(not wrapped)':34s} {1000 * (best['total'] - accounted) / args.months:8.2f}")
    print(f"  {'total':34s} {1000 * best['total'] / args.months:8.2f}")


if __name__ == "__main__":
    main()
