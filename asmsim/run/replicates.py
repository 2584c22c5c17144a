"""Running replicates (or any list of configs) in parallel, with a progress bar.

Each task is ``(config, seed)`` → table; the executor is the shared one, so a
serial run, local processes and a Dask cluster give identical tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import as_completed

import pandas as pd
from tqdm.auto import tqdm

from asmsim.config import Config
from asmsim.run.api import replicate_seeds, run_table
from asmsim.run.executor import default_jobs, make_executor


def run_tasks(tasks: Sequence[tuple[Config, int]], jobs: int = 0, cluster: str | None = None,
              desc: str = "runs", progress: bool = True) -> list[pd.DataFrame]:
    """Run every ``(config, seed)`` task; tables in task order.

    Tasks of the same seed run one after another in one process when there are at least
    as many seeds as workers: a comparison's scenarios then share the seed's warm-up
    (:mod:`asmsim.model.warmup` keeps the warmed-up state per process), instead of each
    paying for it. The tables are the same either way."""
    workers = min(jobs or default_jobs(), len(tasks)) if not cluster else (jobs or 8)
    groups = task_groups([seed for _, seed in tasks], workers)
    results: list[pd.DataFrame | None] = [None] * len(tasks)
    with make_executor(min(jobs or len(groups), len(groups)) if not cluster else jobs,
                       cluster) as pool, \
            tqdm(total=len(tasks), desc=desc, unit="run", disable=not progress,
                 dynamic_ncols=True) as bar:
        futures = {}
        for group in groups:  # jobs=1 runs each group as it is submitted
            configs = [tasks[i][0] for i in group]
            future = pool.submit(run_tables, configs, tasks[group[0]][1])
            future.add_done_callback(lambda _, n=len(group): bar.update(n))  # noqa: B008 (n bound now)
            futures[future] = group
        for future in as_completed(futures):
            for i, table in zip(futures[future], future.result(), strict=True):
                results[i] = table
    return results  # type: ignore[return-value]


def task_groups(seeds: Sequence[int], workers: int) -> list[list[int]]:
    """Task indices run together in one process: those of each seed, when there are at
    least as many seeds as ``workers`` (so grouping leaves no worker idle); else each
    task alone."""
    by_seed: dict[int, list[int]] = {}
    for i, seed in enumerate(seeds):
        by_seed.setdefault(seed, []).append(i)
    if workers <= len(by_seed) < len(seeds):
        return list(by_seed.values())
    return [[i] for i in range(len(seeds))]


def run_tables(configs: Sequence[Config], seed: int) -> list[pd.DataFrame]:
    """One replicate (``seed``) of each of ``configs``, in this process, in order."""
    return [run_table(config, seed) for config in configs]


def run_replicates(config: Config, jobs: int | None = None, cluster: str | None = None,
                   progress: bool = True) -> pd.DataFrame:
    """All replicates of ``config`` (seeds from ``config.seed``) as one long table.

    Adds ``replicate`` and ``seed`` columns.
    """
    seeds = replicate_seeds(config.seed, config.replicates)
    tables = run_tasks([(config, s) for s in seeds], config.jobs if jobs is None else jobs,
                       cluster, desc=config.scenario_name, progress=progress)
    for i, (table, seed) in enumerate(zip(tables, seeds, strict=True)):
        table.insert(0, "seed", seed)
        table.insert(0, "replicate", i)
    return pd.concat(tables, ignore_index=True)
