"""Sensitivity studies (Sobol, Morris) over any config key, resumable, local or on Dask.

``study`` (the YAML schema) -> ``sampling`` (SALib designs, per-run seeds) ->
``evaluate`` (the executor, chunk files, resume) -> ``indices`` (SALib analysis,
convergence) -> ``report`` (indices.csv, plots, report.md). ``pipeline.run_study``
chains them.
"""

from .pipeline import StudyResult, run_study
from .study import Parameter, Study, load_study, parse_study

__all__ = ["Parameter", "Study", "StudyResult", "load_study", "parse_study", "run_study"]
