"""One call for a study's numbers: sample -> executor -> chunk files -> indices.

Figures and ``report.md`` are drawn from the result by
:mod:`asmsim.workflows.sensitivity`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd

from asmsim.results.run_folder import write_folder
from asmsim.run.executor import default_jobs, make_executor

from .evaluate import evaluate, load_runs, prepare_folder, study_folder
from .indices import analyse, convergence, point_means
from .models import model_for
from .study import Study


@dataclasses.dataclass
class StudyResult:
    """What a finished study produced.

    ``indices`` and ``convergence`` are the tables of ``indices.csv`` and
    ``convergence.csv``; ``outputs`` holds one row per sample point and one
    column per study output (replicate means, in the output's unit);
    ``units`` maps each output to its unit.
    """

    out: Path
    indices: pd.DataFrame
    runs_now: int
    runs_total: int
    convergence: pd.DataFrame
    outputs: np.ndarray
    units: dict[str, str]


def run_and_analyse(study: Study, out: str | Path, *, jobs: int = 0, cluster: str | None = None,
                    chunk: int = 0, model=None, progress: bool = True) -> StudyResult:
    """Run (or resume) ``study`` into folder ``out``; write ``indices.csv`` and ``convergence.csv``.

    ``jobs``: local processes (0 = all cores); ``cluster``: a Dask scheduler
    address instead. ``model`` replaces the study's model (any object with the
    interface of :mod:`asmsim.analysis.sensitivity.models`).

    Before any run the folder is checked and locked (see
    :func:`~asmsim.analysis.sensitivity.evaluate.study_folder`).
    """
    out = Path(out)
    model = model if model is not None else model_for(study.model)
    workers = 8 if cluster else (jobs or default_jobs())
    with study_folder(out, cluster):
        with make_executor(jobs=jobs, cluster=cluster) as executor:
            runs_now = evaluate(study, out, model, executor, chunk=chunk, workers=workers,
                                progress=progress)
        x = prepare_folder(study, out)
        y = point_means(study, load_runs(out))
        indices = analyse(study, x, y)
        conv = convergence(study, x, y)
        write_folder(out, {"indices.csv": indices, "convergence.csv": conv})
    return StudyResult(out, indices, runs_now, study.n_runs, conv, y,
                       reduced_units(study, model.units()))


def reduced_units(study: Study, units: dict[str, str]) -> dict[str, str]:
    """Each output's unit once reduced as the study says: a monthly flow summed over the
    months (``cumulative``) loses its "per month" ("kg/month" -> "kg, summed over months")."""
    reduced = dict(units)
    for col, reducer in study.outputs:
        unit = units.get(col, "")
        if reducer == "cumulative" and unit:
            total = unit.replace("/month", "").replace(" per month", "").strip()
            reduced[col] = f"{total or unit}, summed over months"
    return reduced
