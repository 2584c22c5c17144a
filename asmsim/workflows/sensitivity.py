"""A whole sensitivity study: run and analyse it, then draw its figures and report.

Writes into the study folder, after the samples, runs, ``indices.csv`` and
``convergence.csv`` of :func:`asmsim.analysis.sensitivity.run_and_analyse`:
the figures of :func:`asmsim.present.sensitivity_plots.study_figures` and
``report.md`` (:mod:`asmsim.present.sensitivity_report`).
"""

from __future__ import annotations

from pathlib import Path

from asmsim.analysis.sensitivity import Study, StudyResult, run_and_analyse
from asmsim.analysis.sensitivity.evaluate import study_folder
from asmsim.present import plots
from asmsim.present.sensitivity_plots import study_figures
from asmsim.present.sensitivity_report import report_text
from asmsim.results.run_folder import write_folder


def run_study(study: Study, out: str | Path, *, jobs: int = 0, cluster: str | None = None,
              chunk: int = 0, model=None, progress: bool = True) -> StudyResult:
    """Run (or resume) ``study`` into folder ``out`` and write every result file.

    Arguments as for :func:`asmsim.analysis.sensitivity.run_and_analyse`
    (``jobs``: local processes, 0 = all cores; ``cluster``: a Dask scheduler
    address instead; ``model``: replaces the study's model).
    """
    with study_folder(Path(out), cluster):  # one writer, also while the report is written
        result = run_and_analyse(study, out, jobs=jobs, cluster=cluster, chunk=chunk,
                                 model=model, progress=progress)
        write_report(study, result)
    return result


def write_report(study: Study, result: StudyResult) -> None:
    """Draw the study's figures and write them with ``report.md`` into ``result.out``."""
    figures = study_figures(study.method, result.indices, result.convergence, result.units)
    report = report_text(study, result.indices, result.outputs, result.units, list(figures))
    write_folder(result.out, {**figures, "report.md": report})
    plots.close(figures.values())
