"""One executor for replicates, comparisons and sensitivity studies.

Local processes by default; ``cluster="tcp://host:port"`` runs the same work on
a Dask distributed cluster through its ``concurrent.futures`` executor. Work is
a picklable function of its arguments only, so results never depend on where
they ran.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor


def default_jobs() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextlib.contextmanager
def make_executor(jobs: int = 0, cluster: str | None = None) -> Iterator[Executor]:
    """A ``concurrent.futures.Executor``: Dask's when ``cluster`` is given, else local.

    ``jobs`` = 0 means all cores; ``jobs`` = 1 runs in this process (a thread
    pool of one, so that errors and profiles stay simple).
    """
    if cluster:
        from distributed import Client

        with Client(cluster, timeout="20s") as client:
            yield client.get_executor()
        return
    jobs = jobs or default_jobs()
    if jobs == 1:
        with ThreadPoolExecutor(max_workers=1) as pool:
            yield pool
        return
    # forkserver: no inherited threads or open files from the parent.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["asmsim.run.api"])  # import once, fork workers from it
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        yield pool
