"""`asmsim run`: the run folder and what it holds."""

from __future__ import annotations

import json

import pandas as pd
import yaml

from asmsim.model import OUTPUTS
from tests.conftest import run_cli


def test_run_writes_a_complete_folder(tmp_path):
    out = tmp_path / "run"
    result = run_cli("run", "scenario=legal", "miners=150", "months=18", "replicates=3", "jobs=2",
                     "seed=4", f"out={out}")
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout and "licensed_share" in result.stdout
    table = pd.read_parquet(out / "timeseries.parquet")
    assert set(OUTPUTS) <= set(table.columns) and {"replicate", "seed"} <= set(table.columns)
    assert table["replicate"].nunique() == 3 and len(table) == 3 * 19
    summary = pd.read_csv(out / "summary.csv")
    row = summary.set_index("output").loc["licensed_share"]
    assert row["ci95_low"] <= row["mean"] <= row["ci95_high"] and row["unit"] == "0-1"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 4 and len(manifest["replicate_seeds"]) == 3
    assert manifest["packages"]["mesa"].startswith("3.")
    config = yaml.safe_load((out / "config.yaml").read_text())
    assert config["policy"]["legal"]["licence_fee_usd"] == 150
    assert (out / "plots" / "overview.png").stat().st_size > 10_000
    assert not list(out.rglob("*.tmp"))


def test_multirun_over_scenarios(tmp_path):
    result = run_cli("run", "--multirun", "scenario=baseline,market", "miners=60", "months=6",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for name in ("baseline", "market"):
        folders = list((tmp_path / "results" / "runs" / name).iterdir())
        assert len(folders) == 1 and (folders[0] / "summary.csv").exists()


def test_every_command_explains_its_keys(tmp_path):
    """``asmsim COMMAND --help`` prints the command's usage and runs nothing."""
    for command, key in (("run", "replicates=R"), ("compare", "baseline=NAME"),
                         ("sensitivity", "cluster"), ("dashboard", "lang=")):
        result = run_cli(command, "--help", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"usage: asmsim {command}") and key in result.stdout
    assert not any(tmp_path.iterdir())
