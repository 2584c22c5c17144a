"""Throughput of sensitivity sweeps: runs per hour per core and parallel efficiency.

    .venv/bin/python benchmarks/bench_sweep.py                 # the ASM model, 2,000 x 120
    .venv/bin/python benchmarks/bench_sweep.py --miners 500 --months 60
    .venv/bin/python benchmarks/bench_sweep.py --busy 0.5       # synthetic CPU-bound model

Three measurements of the same runs (one Morris design, the same points and
seeds), each through the study pipeline (sample -> executor -> chunk files):
one worker process gives seconds per run; then all local cores (forkserver
processes) and a 2-worker Dask LocalCluster on 127.0.0.1 (scheduler with
``worker-saturation: inf``, as docs/sensitivity.md recommends for studies).
Parallel efficiency = serial seconds / (wall seconds x workers).
``--busy S`` replaces the model by a pure-Python CPU loop of about S seconds per
run, to measure the pipeline's own overhead without the simulator.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import tempfile
import time
from pathlib import Path

from asmsim.analysis.sensitivity import parse_study
from asmsim.analysis.sensitivity.evaluate import evaluate
from asmsim.run.executor import default_jobs, make_executor


class BusyModel:
    """A CPU-bound stand-in: ``loops`` iterations of float arithmetic per run."""

    name, chunk_hint = "busy", 1

    def __init__(self, loops: int):
        self.loops = loops

    def units(self):
        return {"y": "-"}

    def run(self, values, seed, study):
        acc, x = 0.0, float(values["x1"]) + seed % 7
        for i in range(self.loops):
            acc += (x * i) % 3.7
        return {"y": acc}


def _study(args, runs: int):
    if args.busy:
        block = 2  # Morris with D = 1: D + 1 rows per trajectory
        data = {"model": "ishigami", "method": "morris", "n": math.ceil(runs / block),
                "seed": 1, "parameters": {"x1": [-1, 1]}, "outputs": {"y": "final"}}
        return parse_study(data, name="bench_busy")
    data = {"method": "morris", "n": math.ceil(runs / 3), "seed": 1, "scenario": "baseline",
            "overrides": [f"miners={args.miners}", f"months={args.months}"],
            "parameters": {"policy.market.royalty_rate": [0.0, 0.15],
                           "policy.legal.licence_fee_usd": [0, 3000]},
            "outputs": {"licensed_share": "last12", "mercury_kg": "cumulative"}}
    return parse_study(data, name="bench_asm")


def _warm(base_overrides: tuple[str, ...]) -> int:
    """Import the worker-side modules and compose the base config once (start-up, not a run).

    The short sleep keeps each warm-up task busy long enough for every worker
    to get one (Dask would otherwise run them all on the first free worker).
    """
    import asmsim.analysis.sensitivity.evaluate  # noqa: F401
    from asmsim.run.api import base_config

    if base_overrides:
        base_config(base_overrides)
    time.sleep(0.5)
    return os.getpid()


def _timed(study, model, *, jobs=0, cluster=None, workers=1, chunk=0
           ) -> tuple[float, int, float]:
    """(wall seconds of the runs, runs, seconds to start and warm the executor).

    Every measurement runs in worker processes (one for the serial figure), so
    they differ only in how many run at once.
    """
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with make_executor(jobs=jobs, cluster=cluster, isolated=True) as ex:
            base = tuple(model.base_overrides(study)) if hasattr(model, "base_overrides") else ()
            list(ex.map(_warm, [base] * (2 * workers)))
            warm = time.perf_counter() - start
            start = time.perf_counter()
            runs = evaluate(study, Path(tmp), model, ex, chunk=chunk, workers=workers,
                            progress=False)
            return time.perf_counter() - start, runs, warm


def _calibrate(seconds: float) -> int:
    model, loops = BusyModel(200_000), 200_000
    start = time.perf_counter()
    model.run({"x1": 0.1}, 1, None)
    return max(1000, int(loops * seconds / (time.perf_counter() - start)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--miners", type=int, default=2000)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--busy", type=float, default=0.0,
                        help="synthetic CPU-bound model of about this many seconds per run")
    parser.add_argument("--runs-per-worker", type=int, default=8)
    parser.add_argument("--chunk", type=int, default=0,
                        help="sample points per task (0: chosen as in a study)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved rounds of the three measurements (median reported)")
    args = parser.parse_args()
    cores = default_jobs()
    model = BusyModel(_calibrate(args.busy)) if args.busy else None
    if model is None:
        from asmsim.analysis.sensitivity.models import AsmModel

        model = AsmModel()
    what = (f"synthetic CPU-bound model, {args.busy:g} s/run" if args.busy
            else f"ASM model, {args.miners:,} miners x {args.months} months")
    print(f"{what}; {cores} local cores")

    # One design for every measurement: run costs depend on the parameter values, so
    # serial and parallel timings are comparable only over the same runs. Rounds
    # interleave the three, so that a slow spell of the machine hits all of them.
    study = _study(args, max(cores, 2) * args.runs_per_worker)
    local_eff, dask_eff, per_runs = [], [], []
    for round_no in range(1, args.rounds + 1):
        print(f"round {round_no}:")
        serial, runs, _ = _timed(study, model, jobs=1, chunk=args.chunk)
        per_runs.append(serial / runs)
        print(f"  serial   : {runs} runs in {serial:6.1f} s -> {serial / runs:6.2f} s/run, "
              f"{3600 * runs / serial:8.0f} runs per hour per core")

        wall, runs, warm = _timed(study, model, jobs=cores, workers=cores, chunk=args.chunk)
        local_eff.append(serial / (wall * cores))
        print(f"  local x{cores} : {runs} runs in {wall:6.1f} s -> {runs / wall * 3600:8.0f} "
              f"runs/h, parallel efficiency {local_eff[-1]:5.1%} (+{warm:.1f} s start-up)")

        import dask
        from distributed import LocalCluster

        # The scheduler setting recommended for studies (docs/sensitivity.md): no
        # scheduler-side queue, each worker holds its next run.
        with dask.config.set({"distributed.scheduler.worker-saturation": "inf"}), \
                LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                             host="127.0.0.1", dashboard_address=":0") as cluster:
            wall, runs, warm = _timed(study, model, cluster=cluster.scheduler_address,
                                      workers=2, chunk=args.chunk)
        dask_eff.append(serial / (wall * 2))
        print(f"  dask x2  : {runs} runs in {wall:6.1f} s -> {runs / wall * 3600:8.0f} "
              f"runs/h, parallel efficiency {dask_eff[-1]:5.1%} (+{warm:.1f} s start-up)")

    per_run = statistics.median(per_runs)
    print(f"median of {args.rounds} round(s): {per_run:.2f} s/run "
          f"({3600 / per_run:,.0f} runs per hour per core); parallel efficiency local x{cores} "
          f"{statistics.median(local_eff):.1%}, dask x2 {statistics.median(dask_eff):.1%}")
    sobol_runs = 256 * (2 * 10 + 2)
    minutes = sobol_runs * per_run / cores / 60
    print(f"a Sobol study of 10 parameters at N = 256 ({sobol_runs:,} runs) would take "
          f"about {minutes:.0f} min on {cores} cores at 100 % parallel efficiency")


if __name__ == "__main__":
    main()
