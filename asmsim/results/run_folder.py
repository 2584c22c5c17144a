"""The run folder: one writer for every command's outputs.

::

    <out>/config.yaml          fully resolved configuration
    <out>/manifest.json        provenance (versions, commit, seeds, wall time)
    <out>/timeseries.parquet   monthly outputs, all replicates (replicate, seed columns)
    <out>/summary.csv          per output: mean and 95 % interval of last-12-month averages
    <out>/plots/overview.png   key outputs over time with replicate bands
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from pathlib import Path

import pandas as pd
import yaml

from asmsim.config import Config
from asmsim.results import atomic


def default_folder(kind: str, name: str, base: str | Path = "results") -> Path:
    """``results/<kind>/<name>/<timestamp>``, made unique if it already exists."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = Path(base) / kind / name / stamp
    suffix = 1
    while folder.exists():
        folder = Path(base) / kind / name / f"{stamp}-{suffix}"
        suffix += 1
    return folder


def config_yaml(config: Config) -> str:
    """The resolved configuration as YAML."""
    return yaml.safe_dump(dataclasses.asdict(config), sort_keys=False, allow_unicode=True)


def write_run(folder: Path, config: Config, timeseries: pd.DataFrame, summary: pd.DataFrame,
              manifest: dict) -> Path:
    """Write every file of a run folder (each atomically); return the folder."""
    from asmsim.present.plots import overview_figure

    folder.mkdir(parents=True, exist_ok=True)
    atomic.write_text(folder / "config.yaml", config_yaml(config))
    atomic.write_parquet(folder / "timeseries.parquet", timeseries)
    atomic.write_csv(folder / "summary.csv", summary)
    figure = overview_figure(timeseries, title=f"asmsim — scenario '{config.scenario_name}'")
    atomic.save_figure(folder / "plots" / "overview.png", figure)
    atomic.write_text(folder / "manifest.json", json.dumps(manifest, indent=2, default=str))
    return folder
