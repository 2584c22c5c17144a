"""Running one configuration: its replicates in parallel, then its run folder.

The folder (:mod:`asmsim.results.run_folder`) holds the configuration, the
monthly table, the summary, the overview plot (drawn by
:mod:`asmsim.present.plots`) and the manifest. It is checked and locked before
the runs and appears only once complete (:func:`asmsim.results.output.staged_folder`).
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pandas as pd

from asmsim.config import Config
from asmsim.present import plots
from asmsim.results.manifest import build_manifest
from asmsim.results.output import staged_folder
from asmsim.results.run_folder import default_folder, write_run
from asmsim.results.summary import summarise
from asmsim.run.api import replicate_seeds
from asmsim.run.replicates import run_replicates


@dataclasses.dataclass
class RunResult:
    """A finished run: its tables, where they were written and how long the runs took."""

    config: Config
    timeseries: pd.DataFrame
    summary: pd.DataFrame
    folder: Path
    wall_time_s: float


def run_folder(config: Config) -> Path:
    """``out=`` or ``results/runs/<scenario>/<timestamp>``."""
    return Path(config.out) if config.out else default_folder("runs", config.scenario_name)


def run_config(config: Config) -> RunResult:
    """Run the replicates of ``config`` (progress bar when more than one), write its folder."""
    folder = run_folder(config)
    with staged_folder(folder) as stage:
        started = time.perf_counter()
        timeseries = run_replicates(config, progress=config.replicates > 1)
        wall = time.perf_counter() - started
        summary = summarise(timeseries)
        manifest = build_manifest(scenario=config.scenario_name, seed=config.seed,
                                  replicate_seeds=replicate_seeds(config.seed, config.replicates),
                                  replicates=config.replicates, months=config.months,
                                  miners=config.miners, wall_time_s=round(wall, 3))
        figure = plots.overview_figure(timeseries,
                                       title=f"asmsim — scenario '{config.scenario_name}'")
        write_run(stage, config, timeseries, summary, manifest, {"plots/overview.png": figure})
        plots.close([figure])
    return RunResult(config, timeseries, summary, folder, wall)
