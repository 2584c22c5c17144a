"""One call for a whole study: sample -> executor -> chunk files -> indices -> report."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from asmsim.run.executor import default_jobs, make_executor

from .evaluate import evaluate, load_runs, prepare_folder
from .indices import analyse, convergence, point_means
from .models import model_for
from .report import write_results
from .study import Study


@dataclasses.dataclass
class StudyResult:
    """What a finished study produced."""

    out: Path
    indices: pd.DataFrame
    runs_now: int
    runs_total: int


def run_study(study: Study, out: str | Path, *, jobs: int = 0, cluster: str | None = None,
              chunk: int = 0, model=None, progress: bool = True) -> StudyResult:
    """Run (or resume) ``study`` into folder ``out`` and write every result file.

    ``jobs``: local processes (0 = all cores); ``cluster``: a Dask scheduler
    address instead. ``model`` replaces the study's model (any object with the
    interface of :mod:`asmsim.analysis.sensitivity.models`).
    """
    out = Path(out)
    model = model if model is not None else model_for(study.model)
    workers = 8 if cluster else (jobs or default_jobs())
    with make_executor(jobs=jobs, cluster=cluster) as executor:
        runs_now = evaluate(study, out, model, executor, chunk=chunk, workers=workers,
                            progress=progress)
    x = prepare_folder(study, out)
    y = point_means(study, load_runs(out))
    indices = analyse(study, x, y)
    write_results(study, out, indices, convergence(study, x, y), y, model.units())
    return StudyResult(out, indices, runs_now, study.n_runs)
