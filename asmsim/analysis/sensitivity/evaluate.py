"""Running every sample point through the one executor, streaming results to disk.

Output folder layout::

    manifest.json        study definition and its SHA-256 (the folder's identity)
    samples.parquet      the design: point, then one column per parameter
    runs/points-AAAAAA-BBBBBB.parquet
                         finished runs of points AAAAAA..BBBBBB (one row per run:
                         point, replicate, seed, one column per output)

Each chunk file is written atomically and flushed to disk as soon as its runs
finish, so a study stopped at any moment (Ctrl-C, SIGKILL, a lost machine, a
power cut) keeps every finished chunk; started again with the same command it
runs only the missing points. A chunk that cannot be read (e.g. cut short by
a power cut under an older version) is removed, with one line saying so, and
its points run again. Temporary files of writers that are gone are removed on
each start. A failed task (e.g. a lost Dask worker) is submitted again, up to
``RETRIES`` times.
"""

from __future__ import annotations

import contextlib
import json
import math
import sys
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import numpy as np
import pandas as pd

from asmsim.config import ConfigError
from asmsim.results.atomic import remove_stale_temps, write_parquet, write_text
from asmsim.results.lock import folder_lock
from asmsim.results.output import probe_folder
from asmsim.run.executor import check_address

from .models import typed_values
from .sampling import draw, run_seed, samples_frame
from .study import Study

RETRIES = 3
MANIFEST = "manifest.json"
RUNS = "runs"


def run_chunk(model, study: Study, points: np.ndarray, rows: np.ndarray,
              attempt: int = 0) -> pd.DataFrame:
    """Evaluate the runs of some sample points (in a worker); one row per run.

    ``attempt`` only makes a resubmitted task distinct for Dask (pure tasks
    are keyed by their arguments); it never changes a result.
    """
    records = []
    for point, row in zip(points.tolist(), rows, strict=True):
        values = typed_values(study.parameters, row)
        for rep in range(study.replicates):
            seed = run_seed(study.seed, study.seed_group(point), rep)
            out = model.run(values, seed, study)
            records.append({"point": point, "replicate": rep, "seed": seed,
                            **{col: float(out[col]) for col, _ in study.outputs}})
    return pd.DataFrame.from_records(records)


def prepare_folder(study: Study, out: Path) -> np.ndarray:
    """Create or reopen the output folder; return the sample matrix.

    Refuses (``ConfigError``) a folder holding another study's runs, or runs
    whose manifest cannot be read.
    """
    from asmsim import __version__ as asmsim_version

    out.mkdir(parents=True, exist_ok=True)
    digest = study.digest()
    old = read_manifest(out)
    if old is not None and old.get("digest") != digest:
        raise ConfigError(
            f"out={out} holds another study ({old.get('name', '?')}, digest "
            f"{str(old.get('digest'))[:12]}) than {study.name} (digest {digest[:12]}); "
            "choose another out= or delete that folder")
    if old is None and (out / RUNS).is_dir() and any((out / RUNS).glob("*.parquet")):
        raise ConfigError(f"out={out} holds runs without a readable {MANIFEST}; choose another "
                          "out= or delete that folder")
    x = draw(study)
    if old is None:
        from importlib.metadata import version

        write_parquet(out / "samples.parquet", samples_frame(study, x))
        write_text(out / MANIFEST, json.dumps({
            "name": study.name, "digest": digest, "definition": study.definition(),
            "n_points": study.n_points, "n_runs": study.n_runs,
            "versions": {"asmsim": asmsim_version, "SALib": version("SALib")},
        }, indent=2, sort_keys=True) + "\n")
    return x


def read_manifest(out: Path) -> dict | None:
    """The study folder's manifest; None if it has none or one that cannot be read (noted)."""
    path = out / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        reason = _reason(exc)
    else:
        if isinstance(data, dict):
            return data
        reason = "not a JSON object"
    print(f"note: {path} cannot be read ({reason})", file=sys.stderr, flush=True)
    return None


def _reason(exc: object) -> str:
    """The first line of an error, for a one-line message."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


@contextlib.contextmanager
def study_folder(out: Path, cluster: str | None = None) -> Iterator[Path]:
    """Hold a study folder: check ``cluster``, probe ``out`` and lock it, clear leftovers.

    A bad cluster address, an unwritable ``out`` or a folder another process
    holds is a one-line ConfigError before any run. Re-entrant in one process.
    """
    if cluster:
        check_address(cluster)
    probe_folder(out)
    with folder_lock(out):
        remove_leftovers(out)
        yield out


def remove_leftovers(out: Path) -> list[Path]:
    """Remove temporary files left in the study folder by writers that are gone.

    Call it holding the folder's lock: then every temporary file of an older
    version (which names no owner) is a leftover too.
    """
    return [*remove_stale_temps(out, legacy=True), *remove_stale_temps(out / RUNS, legacy=True)]


def chunk_files(out: Path) -> list[Path]:
    """Finished chunk files, in name (= point) order."""
    folder = out / RUNS
    if not folder.is_dir():
        return []
    return sorted(folder.glob("points-*.parquet"))


def read_chunk(path: Path, columns: list[str] | None = None) -> pd.DataFrame | None:
    """A chunk file's runs; None, the file removed and one line on stderr if it is unreadable."""
    try:
        return pd.read_parquet(path, columns=columns)
    except Exception as exc:  # noqa: BLE001 - empty, truncated or corrupt: run it again
        print(f"note: {path} cannot be read ({_reason(exc)}); its runs will be done again",
              file=sys.stderr, flush=True)
        path.unlink(missing_ok=True)
        return None


def _chunks_read(out: Path, columns: list[str] | None = None) -> list[pd.DataFrame]:
    frames = (read_chunk(f, columns) for f in chunk_files(out))
    return [frame for frame in frames if frame is not None]


def finished_points(out: Path) -> np.ndarray:
    """Point indices whose runs are all on disk."""
    parts = [frame["point"].to_numpy() for frame in _chunks_read(out, ["point"])]
    if not parts:
        return np.empty(0, dtype=np.int64)
    return np.unique(np.concatenate(parts))


def load_runs(out: Path) -> pd.DataFrame:
    """Every finished run, sorted by point and replicate."""
    frames = _chunks_read(out)
    if not frames:
        return pd.DataFrame(columns=["point", "replicate", "seed"])
    runs = pd.concat(frames, ignore_index=True)
    return runs.sort_values(["point", "replicate"], kind="stable").reset_index(drop=True)


def _chunks(todo: np.ndarray, size: int) -> Iterable[np.ndarray]:
    for start in range(0, len(todo), size):
        yield todo[start:start + size]


def _chunk_name(points: np.ndarray) -> str:
    return f"points-{int(points[0]):06d}-{int(points[-1]):06d}.parquet"


def evaluate(study: Study, out: Path, model, executor: Executor, *, chunk: int = 0,
             workers: int = 2, progress: bool = True) -> int:
    """Run every missing point of ``study`` on ``executor``; return runs done now.

    ``chunk`` = sample points per task (0: chosen from the model's cost and
    ``workers``). Each finished task becomes one chunk file at once. At most
    ``2 × workers`` tasks are in flight, so memory stays flat for any N.
    """
    from tqdm import tqdm

    out = Path(out)
    x = prepare_folder(study, out)
    done = finished_points(out)
    todo = np.setdiff1d(np.arange(study.n_points, dtype=np.int64), done)
    if chunk <= 0:
        chunk = max(1, min(model.chunk_hint, math.ceil(len(todo) / (4 * max(1, workers)))))
    pending = list(_chunks(todo, chunk))[::-1]  # pop() from the end = ascending order
    bar = tqdm(total=study.n_runs, initial=len(done) * study.replicates, unit="run",
               desc=f"{study.name}", disable=not progress, smoothing=0.1, dynamic_ncols=True)
    in_flight: dict = {}
    attempts: dict[int, int] = {}
    started = time.perf_counter()
    runs_now = 0

    def submit(points: np.ndarray) -> None:
        key = int(points[0])
        future = executor.submit(run_chunk, model, study, points, x[points],
                                 attempts.get(key, 0))
        in_flight[future] = points

    try:
        while pending or in_flight:
            while pending and len(in_flight) < 2 * max(1, workers):
                submit(pending.pop())
            finished, _ = wait(list(in_flight), return_when=FIRST_COMPLETED)
            for future in finished:
                points = in_flight.pop(future)
                try:
                    frame = future.result()
                except (ConfigError, BrokenProcessPool, KeyboardInterrupt):
                    raise
                except Exception:
                    key = int(points[0])
                    attempts[key] = attempts.get(key, 0) + 1
                    if attempts[key] > RETRIES:
                        raise
                    submit(points)  # e.g. a lost Dask worker: run it again
                    continue
                write_parquet(out / RUNS / _chunk_name(points), frame)
                bar.update(len(frame))
                runs_now += len(frame)
    finally:
        for future in in_flight:
            future.cancel()
        bar.close()
    if progress and runs_now:
        rate = runs_now / max(time.perf_counter() - started, 1e-9)
        print(f"{runs_now} runs in this session, {rate:.2f} runs/s", flush=True)
    return runs_now
