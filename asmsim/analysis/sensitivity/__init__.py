"""Sensitivity studies (Sobol, Morris) over any config key, resumable, local or on Dask.

``study`` (the YAML schema) -> ``sampling`` (SALib designs, per-run seeds) ->
``evaluate`` (the executor, chunk files, resume) -> ``indices`` (SALib analysis,
convergence; indices.csv, convergence.csv). ``pipeline.run_and_analyse`` chains
them; :func:`asmsim.workflows.sensitivity.run_study` adds the plots and report.md.
"""

from .pipeline import StudyResult, run_and_analyse
from .study import Parameter, Study, load_study, parse_study

__all__ = ["Parameter", "Study", "StudyResult", "load_study", "parse_study", "run_and_analyse"]
