"""Speed of the monthly miner pass against Mesa's bundled Boltzmann wealth example.

Run: ``.venv/bin/python benchmarks/bench_model.py [--sizes 1000 10000 100000]
[--months 120] [--repeats 1]``.

Prints, per size, the wall and CPU time of ``ASMModel(config).run()`` (baseline
scenario, the site grid scaled with the miners to keep the default density),
miner-steps per second (active miners summed over the months, so a
shrinking or growing population is counted as simulated) and the peak resident
memory of the process that ran it; then agent-steps per second of Mesa's
Boltzmann wealth model at 10,000 agents (on a 100 × 100 grid, the example's
density of one agent per cell) and the ratio of the two at 10,000. Each
measurement runs in a fresh process, so peak memory is that size's alone.
Targets (issue 2): ratio ≥ 10; time growing no faster than linearly from 10k
to 100k miners; peak memory at 100k under 2 GB.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time

BOLTZMANN_AGENTS = 10_000
BOLTZMANN_STEPS = 20


def _peak_rss_mb() -> float:
    """Peak resident memory of this process (MB; Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_asmsim(miners: int, months: int, seed: int = 0) -> dict[str, float]:
    """Build and run the baseline at ``miners`` × ``months``; seconds and miner-steps."""
    from asmsim.config import load_config
    from asmsim.model import ASMModel

    # The site grid scales with the miners (context.miners_per_cell): a bigger population
    # on the same sites would work the ore out and leave, and the benchmark would time
    # a collapse rather than a region of that size.
    config = load_config([f"miners={miners}", f"months={months}"])
    start = time.perf_counter()
    model = ASMModel(config, seed=seed)
    built = time.perf_counter()
    cpu_start = time.process_time()
    table = model.run()
    done = time.perf_counter()
    miner_steps = float(table.loc[table["month"] > 0, "active_miners"].sum())
    return {"miners": miners, "setup_s": built - start, "run_s": done - built,
            "cpu_s": time.process_time() - cpu_start, "miner_steps": miner_steps,
            "peak_mb": _peak_rss_mb()}


def time_boltzmann(agents: int = BOLTZMANN_AGENTS, steps: int = BOLTZMANN_STEPS
                   ) -> dict[str, float]:
    """Mesa's own Boltzmann wealth example (with its data collection), agent-steps per second."""
    from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth

    side = int(round(agents ** 0.5))
    model = BoltzmannWealth(BoltzmannScenario(n=agents, width=side, height=side, rng=0))
    start = time.perf_counter()
    for _ in range(steps):
        model.step()
    seconds = time.perf_counter() - start
    return {"agents": agents, "run_s": seconds, "agent_steps": agents * steps,
            "peak_mb": _peak_rss_mb()}


def in_fresh_process(function, *args):
    """Run ``function(*args)`` in a new interpreter (own memory peak); return its result."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(function, args)


def main(argv: list[str] | None = None) -> None:
    """Print the benchmark table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--repeats", type=int, default=1, help="best of R runs per size")
    args = parser.parse_args(argv)

    print(f"asmsim baseline, {args.months} months (best of {args.repeats}); Python "
          f"{sys.version.split()[0]}")
    print(f"{'miners':>8} {'setup s':>8} {'run s':>8} {'CPU s':>8} {'miner-steps/s':>14} "
          f"{'peak MB':>8}")
    rates: dict[int, float] = {}
    times: dict[int, float] = {}
    for miners in args.sizes:
        runs = [in_fresh_process(time_asmsim, miners, args.months) for _ in range(args.repeats)]
        best = min(runs, key=lambda r: r["run_s"])
        rates[miners] = best["miner_steps"] / best["run_s"]
        times[miners] = best["run_s"] / best["miner_steps"]
        print(f"{miners:>8,} {best['setup_s']:>8.2f} {best['run_s']:>8.2f} {best['cpu_s']:>8.2f} "
              f"{rates[miners]:>14,.0f} {max(r['peak_mb'] for r in runs):>8.0f}")
    print("(CPU s ≈ run s: one core; CPU s above run s would mean a threaded library helped)")

    boltz = min((in_fresh_process(time_boltzmann) for _ in range(args.repeats)),
                key=lambda r: r["run_s"])
    boltz_rate = boltz["agent_steps"] / boltz["run_s"]
    print(f"\nMesa Boltzmann wealth example, {boltz['agents']:,} agents × {BOLTZMANN_STEPS} "
          f"steps (best of {args.repeats}): {boltz['run_s']:.2f} s → {boltz_rate:,.0f} "
          f"agent-steps/s")
    if 10_000 in rates:
        print(f"ratio asmsim / Boltzmann at 10,000: {rates[10_000] / boltz_rate:.1f}× "
              f"(target ≥ 10×)")
    if 10_000 in times and 100_000 in times:
        print(f"time per miner-step, 100k vs 10k: {times[100_000] / times[10_000]:.2f}× "
              f"(≤ 1 means no worse than linear)")


if __name__ == "__main__":
    main()
