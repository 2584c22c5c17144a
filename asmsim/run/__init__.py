"""Running the model: pure functions, replicates, one executor (local processes or Dask).

The names below are imported on first use (PEP 562), so that importing a light
submodule (``asmsim.run.executor``, which every ``asmsim`` command uses to stop
cleanly) does not import the model, Mesa and SciPy: a command refused for bad input
answers before those load.
"""

from __future__ import annotations

import importlib

_WHERE = {"outcomes": "api", "replicate_seeds": "api", "run_table": "api",
          "scalar_outcomes": "api", "simulate": "api",
          "run_replicates": "replicates", "run_tasks": "replicates"}

__all__ = ["outcomes", "replicate_seeds", "run_replicates", "run_table", "run_tasks",
           "scalar_outcomes", "simulate"]


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'asmsim.run' has no attribute {name!r}")
    return getattr(importlib.import_module(f"asmsim.run.{_WHERE[name]}"), name)
