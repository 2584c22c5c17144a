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
from asmsim.run.executor import make_executor


def run_tasks(tasks: Sequence[tuple[Config, int]], jobs: int = 0, cluster: str | None = None,
              desc: str = "runs", progress: bool = True) -> list[pd.DataFrame]:
    """Run every ``(config, seed)`` task; tables in task order."""
    results: list[pd.DataFrame | None] = [None] * len(tasks)
    with make_executor(min(jobs or len(tasks), len(tasks)) if not cluster else jobs,
                       cluster) as pool, \
            tqdm(total=len(tasks), desc=desc, unit="run", disable=not progress,
                 dynamic_ncols=True) as bar:
        futures = {}
        for i, (config, seed) in enumerate(tasks):  # jobs=1 runs each task as it is submitted
            future = pool.submit(run_table, config, seed)
            future.add_done_callback(lambda _: bar.update())
            futures[future] = i
        for future in as_completed(futures):
            results[futures[future]] = future.result()
    return results  # type: ignore[return-value]


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
