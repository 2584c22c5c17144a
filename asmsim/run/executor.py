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
import sys
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor


def default_jobs() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def simulation_worker_plugin():
    """A Dask worker plugin that readies workers for many short simulation runs.

    It stops the worker's statistical profiler, which samples every thread's
    stack every 10 ms and slowed a run made of many short numpy calls by about
    40 % (measured: 0.79 s against 0.45 s per 2,000 × 120 run), and its
    event-loop tick and system monitor (diagnostics only), and freezes the
    objects the worker already holds out of the garbage collector's full
    passes. Runs give the same results with or without it.
    """
    from distributed.diagnostics.plugin import WorkerPlugin

    class SimulationWorker(WorkerPlugin):
        name = "asmsim-simulation-worker"

        def setup(self, worker) -> None:
            import gc

            for key in ("profile", "profile-cycle", "tick", "monitor"):
                callback = worker.periodic_callbacks.get(key)
                if callback is not None:
                    callback.stop()
            gc.freeze()

    return SimulationWorker()


def _warn_if_scheduler_queues(client) -> None:
    """One line on stderr when the scheduler holds tasks back (worker-saturation < inf).

    Each run then waits for a scheduler round trip before it starts; on a busy
    machine that cost a 2-worker cluster 15-20 points of parallel efficiency.
    """
    try:
        saturation = client.run_on_scheduler(lambda dask_scheduler:
                                             dask_scheduler.WORKER_SATURATION)
    except Exception:  # noqa: BLE001 - another distributed version: no advice
        return
    if saturation != float("inf"):
        print(f"note: the Dask scheduler queues tasks (worker-saturation={saturation}); for "
              "studies start it with DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION=inf "
              "(docs/sensitivity.md)", file=sys.stderr)


@contextlib.contextmanager
def make_executor(jobs: int = 0, cluster: str | None = None, *, isolated: bool = False
                  ) -> Iterator[Executor]:
    """A ``concurrent.futures.Executor``: Dask's when ``cluster`` is given, else local.

    ``jobs`` = 0 means all cores; ``jobs`` = 1 runs in this process (a thread
    pool of one, so that errors and profiles stay simple) unless ``isolated``,
    which runs it in one worker process like the others (for timing).
    """
    if cluster:
        from distributed import Client

        with Client(cluster, timeout="20s") as client:
            client.register_plugin(simulation_worker_plugin())
            _warn_if_scheduler_queues(client)
            yield client.get_executor()
        return
    jobs = jobs or default_jobs()
    if jobs == 1 and not isolated:
        with ThreadPoolExecutor(max_workers=1) as pool:
            yield pool
        return
    # forkserver: no inherited threads or open files from the parent.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["asmsim.run.api"])  # import once, fork workers from it
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        yield pool
