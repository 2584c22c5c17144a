"""Running every sample point through the one executor, streaming results to disk.

Output folder layout::

    manifest.json        study definition and its SHA-256 (the folder's identity)
    samples.parquet      the design: point, then one column per parameter
    runs/points-AAAAAA-BBBBBB.parquet
                         finished runs of points AAAAAA..BBBBBB (one row per run:
                         point, replicate, seed, one column per output)

Each chunk file is written atomically as soon as its runs finish, so a study
stopped at any moment (Ctrl-C, SIGKILL, a lost machine) keeps every finished
chunk; started again with the same command it runs only the missing points.
A failed task (e.g. a lost Dask worker) is submitted again, up to ``RETRIES``
times.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Executor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import numpy as np
import pandas as pd

from asmsim.config import ConfigError
from asmsim.results.atomic import write_parquet, write_text

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
            seed = run_seed(study.seed, point, rep)
            out = model.run(values, seed, study)
            records.append({"point": point, "replicate": rep, "seed": seed,
                            **{col: float(out[col]) for col, _ in study.outputs}})
    return pd.DataFrame.from_records(records)


def prepare_folder(study: Study, out: Path) -> np.ndarray:
    """Create or reopen the output folder; return the sample matrix.

    Refuses (``ConfigError``) a folder holding another study's runs.
    """
    from asmsim import __version__ as asmsim_version

    out.mkdir(parents=True, exist_ok=True)
    manifest = out / MANIFEST
    digest = study.digest()
    if manifest.is_file():
        old = json.loads(manifest.read_text(encoding="utf-8"))
        if old.get("digest") != digest:
            raise ConfigError(
                f"out={out} holds another study ({old.get('name', '?')}, digest "
                f"{str(old.get('digest'))[:12]}) than {study.name} (digest {digest[:12]}); "
                "choose another out= or delete that folder")
    elif (out / RUNS).is_dir() and any((out / RUNS).glob("*.parquet")):
        raise ConfigError(f"out={out} holds runs without a {MANIFEST}; choose another out= "
                          "or delete that folder")
    x = draw(study)
    if not manifest.is_file():
        from importlib.metadata import version

        write_parquet(out / "samples.parquet", samples_frame(study, x))
        write_text(manifest, json.dumps({
            "name": study.name, "digest": digest, "definition": study.definition(),
            "n_points": study.n_points, "n_runs": study.n_runs,
            "versions": {"asmsim": asmsim_version, "SALib": version("SALib")},
        }, indent=2, sort_keys=True) + "\n")
    return x


def chunk_files(out: Path) -> list[Path]:
    """Finished chunk files, in name (= point) order; removes leftover temp files."""
    folder = out / RUNS
    if not folder.is_dir():
        return []
    for tmp in folder.glob(".*.tmp"):  # a write cut short by a kill: never a result
        tmp.unlink(missing_ok=True)
    return sorted(folder.glob("points-*.parquet"))


def finished_points(out: Path) -> np.ndarray:
    """Point indices whose runs are all on disk."""
    files = chunk_files(out)
    if not files:
        return np.empty(0, dtype=np.int64)
    parts = [pd.read_parquet(f, columns=["point"])["point"].to_numpy() for f in files]
    return np.unique(np.concatenate(parts))


def load_runs(out: Path) -> pd.DataFrame:
    """Every finished run, sorted by point and replicate."""
    files = chunk_files(out)
    if not files:
        return pd.DataFrame(columns=["point", "replicate", "seed"])
    runs = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
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
