"""Running the model: pure functions, replicates, one executor (local processes or Dask)."""

from asmsim.run.api import outcomes, replicate_seeds, run_table, scalar_outcomes, simulate
from asmsim.run.replicates import run_replicates, run_tasks

__all__ = ["outcomes", "replicate_seeds", "run_replicates", "run_table", "run_tasks",
           "scalar_outcomes", "simulate"]
