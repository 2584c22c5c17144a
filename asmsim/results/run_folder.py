"""The run folder: one writer (:func:`write_folder`) for every command's outputs.

A run (``asmsim run``) writes (figures are drawn by the caller, see
:mod:`asmsim.workflows.run`)::

    <out>/config.yaml          fully resolved configuration
    <out>/manifest.json        provenance (versions, commit, seeds, wall time)
    <out>/timeseries.parquet   monthly outputs, all replicates (replicate, seed columns)
    <out>/summary.csv          per output: mean and 95 % interval of last-12-month averages
    <out>/plots/overview.png   key outputs over time with replicate bands
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import pandas as pd
import yaml

from asmsim.config import Config
from asmsim.results import atomic
from asmsim.results.lock import lock_path


def default_folder(kind: str, name: str, base: str | Path = "results") -> Path:
    """``results/<kind>/<name>/<timestamp>``, made unique if it exists or is being written."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = Path(base) / kind / name / stamp
    suffix = 1
    while folder.exists() or lock_path(folder).exists():
        folder = Path(base) / kind / name / f"{stamp}-{suffix}"
        suffix += 1
    return folder


def config_yaml(config: Config) -> str:
    """The resolved configuration as YAML."""
    return yaml.safe_dump(dataclasses.asdict(config), sort_keys=False, allow_unicode=True)


def configs_yaml(configs: Mapping[str, Config]) -> str:
    """Several resolved configurations as one YAML mapping (name → configuration)."""
    return yaml.safe_dump({name: dataclasses.asdict(c) for name, c in configs.items()},
                          sort_keys=False, allow_unicode=True)


def write_folder(folder: Path, files: Mapping[str, object]) -> Path:
    """Write ``files`` (path relative to ``folder`` → content) in order, each atomically.

    Content by type: a DataFrame as parquet or CSV (by the suffix), a str as
    UTF-8 text, a dict as indented JSON, anything else as a matplotlib figure
    (format from the suffix). Returns the folder.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, pd.DataFrame):
            writers = {".parquet": atomic.write_parquet, ".csv": atomic.write_csv}
            writers[path.suffix](path, content)
        elif isinstance(content, str):
            atomic.write_text(path, content)
        elif isinstance(content, dict):
            atomic.write_text(path, json.dumps(content, indent=2, default=str))
        else:
            atomic.save_figure(path, content)
    return folder


def write_run(folder: Path, config: Config, timeseries: pd.DataFrame, summary: pd.DataFrame,
              manifest: dict, figures: Mapping[str, object] | None = None) -> Path:
    """Write every file of a run folder (each atomically); return the folder.

    ``figures`` (path relative to the folder → matplotlib figure, e.g.
    ``plots/overview.png``) are drawn by the caller; the manifest is written last.
    """
    return write_folder(folder, {"config.yaml": config_yaml(config),
                                 "timeseries.parquet": timeseries, "summary.csv": summary,
                                 **(figures or {}), "manifest.json": manifest})
