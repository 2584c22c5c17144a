"""One executor for replicates, comparisons and sensitivity studies.

Local processes by default; ``cluster="tcp://host:port"`` runs the same work on
a Dask distributed cluster through its ``concurrent.futures`` executor. Work is
a picklable function of its arguments only, so results never depend on where
they ran.

Local worker processes never outlive their owner: each asks Linux for a
signal when its parent ends (``prctl(PR_SET_PDEATHSIG)``) and watches the
owner's PID, they ignore Ctrl-C, and an exception in the owner (Ctrl-C, a
SIGTERM turned into :class:`Terminated`, an error) kills them at once instead
of waiting for their runs to finish.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor

from asmsim.config import ConfigError
from asmsim.results.lock import pid_alive

#: Seconds to wait for a Dask scheduler to answer.
CONNECT_TIMEOUT_S = 20.0
#: Seconds between two looks of a worker's watchdog at its owner.
WATCH_INTERVAL_S = 0.5
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


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


class Terminated(SystemExit):
    """SIGTERM received: unwinds like Ctrl-C so that workers, locks and staging are cleaned."""


def _raise_terminated(signum, frame) -> None:
    raise Terminated(128 + signum)


@contextlib.contextmanager
def sigterm_raises() -> Iterator[None]:
    """Within the block, SIGTERM raises :class:`Terminated` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def parent_death_signal(sig: int = signal.SIGKILL) -> bool:
    """Ask Linux to send ``sig`` to this process when its parent ends; False elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0


def end_with_parent() -> None:
    """``preexec_fn`` for a child process (e.g. the dashboard server): SIGTERM when we end."""
    parent_death_signal(signal.SIGTERM)


def watch_owner(pid: int, interval: float = WATCH_INTERVAL_S) -> threading.Thread:
    """A daemon thread that ends this process as soon as process ``pid`` has ended."""
    def watch() -> None:
        while pid_alive(pid):
            time.sleep(interval)
        os._exit(1)

    thread = threading.Thread(target=watch, name="asmsim-owner-watchdog", daemon=True)
    thread.start()
    return thread


def _init_worker(owner: int) -> None:
    """Set up a local worker: Ctrl-C is the owner's to handle; end when the owner ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent_death_signal(signal.SIGKILL)  # the parent is the forkserver, which ends with us
    watch_owner(owner)


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a local pool at once: cancel what waits, kill the worker processes."""
    kill = getattr(pool, "kill_workers", None)  # Python >= 3.14
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    if kill is not None:
        kill()
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.kill()
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.join(timeout=5)


class SerialExecutor(Executor):
    """Runs each task at once, in the calling thread (``jobs=1``).

    Nothing to orphan and nothing to wait for: Ctrl-C or SIGTERM interrupt the
    run in progress at once.
    """

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        future.set_running_or_notify_cancel()
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - handed to the caller like any executor
            future.set_exception(exc)
        else:
            future.set_result(result)
        return future


def check_address(address: str, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """Fail at once, in one line, when nothing listens at a ``tcp://`` or ``tls://`` address."""
    from distributed.comm import parse_address
    from distributed.comm.addressing import parse_host_port

    try:
        scheme, location = parse_address(address, strict=True)
        if scheme not in ("tcp", "tls"):
            return
        host, port = parse_host_port(location)
    except (ValueError, TypeError):
        raise ConfigError(f"cluster={address!r} is not a scheduler address; expected "
                          "tcp://HOST:PORT") from None
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as exc:
        reason = exc.strerror or str(exc) or "timed out"
        raise ConfigError(f"cluster={address}: no Dask scheduler answers there ({reason}); "
                          "start one or check the address") from None


def connect(address: str, timeout: float = CONNECT_TIMEOUT_S):
    """A Dask ``Client`` of the scheduler at ``address``; a one-line ConfigError if unreachable."""
    from distributed import Client

    check_address(address, timeout)
    try:
        return Client(address, timeout=f"{timeout}s")
    except (OSError, TimeoutError) as exc:
        raise ConfigError(f"cluster={address}: the Dask scheduler did not answer within "
                          f"{timeout:g} s ({exc.__class__.__name__})") from None


@contextlib.contextmanager
def make_executor(jobs: int = 0, cluster: str | None = None, *, isolated: bool = False
                  ) -> Iterator[Executor]:
    """A ``concurrent.futures.Executor``: Dask's when ``cluster`` is given, else local.

    ``jobs`` = 0 means all cores; ``jobs`` = 1 runs in this process (a
    :class:`SerialExecutor`, so that errors and profiles stay simple) unless
    ``isolated``, which runs it in one worker process like the others (for
    timing).
    """
    if cluster:
        with connect(cluster) as client:
            client.register_plugin(simulation_worker_plugin())
            _warn_if_scheduler_queues(client)
            yield client.get_executor()
        return
    jobs = jobs or default_jobs()
    if jobs == 1 and not isolated:
        yield SerialExecutor()
        return
    # forkserver: no inherited threads or open files from the parent.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["asmsim.run.api"])  # import once, fork workers from it
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                               initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        stop_workers(pool)
        raise
    pool.shutdown(wait=True)
