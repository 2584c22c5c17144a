"""`asmsim compare`: common random numbers, paired intervals, files, report, errors."""

from __future__ import annotations

import io
import json
import shutil

import numpy as np
import pandas as pd
import pytest
import yaml

from asmsim.analysis.compare import (
    KEY_OUTPUTS,
    OUTCOME_COLUMNS,
    SCALES_WITH_SECTOR,
    per_replicate,
    unpaired_interval,
)
from asmsim.config import config_dir
from asmsim.results.summary import mean_interval
from asmsim.run.api import replicate_seeds
from tests.conftest import run_cli

SMALL = ["miners=200", "months=24", "replicates=4", "seed=7", "jobs=2"]


@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    """One real small comparison (baseline added automatically)."""
    out = tmp_path_factory.mktemp("cmp") / "out"
    result = run_cli("compare", "scenarios=[legal,market]", *SMALL, f"out={out}")
    assert result.returncode == 0, result.stderr
    return out, result


def test_same_seeds_for_every_scenario(comparison):
    out, _ = comparison
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert list(dict.fromkeys(ts["scenario"])) == ["baseline", "legal", "market"]
    seeds = ts.groupby(["scenario", "replicate"])["seed"].first().unstack("replicate")
    expected = replicate_seeds(7, 4)
    for scenario in seeds.index:
        assert list(seeds.loc[scenario]) == expected
    # Same seed → same initial population: month 0 is identical across scenarios.
    month0 = ts[ts["month"] == 0].set_index(["scenario", "replicate"])["active_miners"]
    assert (month0.unstack("scenario").nunique(axis=1) == 1).all()


def test_paired_interval_is_narrower_than_unpaired(comparison):
    out, _ = comparison
    reps = per_replicate(pd.read_parquet(out / "timeseries.parquet"))
    ratios, shuffled = [], []
    for output in OUTCOME_COLUMNS:
        a, b = reps.loc["market"][output].to_numpy(), reps.loc["baseline"][output].to_numpy()
        _, lo, hi = mean_interval(a - b)
        _, ulo, uhi = unpaired_interval(a, b)
        _, slo, shi = mean_interval(a - np.roll(b, 1))  # pairs broken: no common numbers
        if uhi > ulo:
            ratios.append((hi - lo) / (uhi - ulo))
            shuffled.append((shi - slo) / (uhi - ulo))
    # Common random numbers: most outputs get a narrower interval from the pairing, and
    # breaking the pairs (replicate i against baseline replicate i+1) loses that.
    assert np.median(ratios) < 0.95 and np.mean(np.array(ratios) < 1) > 0.5, ratios
    assert np.median(ratios) < np.median(shuffled), (ratios, shuffled)


def test_large_effect_is_significant_with_the_right_sign(comparison):
    out, _ = comparison
    table = pd.read_csv(out / "comparison.csv")
    row = table.set_index(["scenario", "output"]).loc[("legal", "licensed_share")]
    assert row["diff"] > 0.1 and row["diff_ci95_low"] > 0 and bool(row["significant"])
    assert row["verdict"] == "better" and row["rel_diff_pct"] > 100
    base = table.set_index(["scenario", "output"]).loc[("baseline", "licensed_share")]
    assert row["mean"] - base["mean"] == pytest.approx(row["diff"])
    # Lower is better for illicit flows: a significant fall is "better".
    flows = table[(table["output"] == "illicit_flow_usd") & (table["verdict"] == "better")]
    assert (flows["diff"] < 0).all()


def test_files_are_written_and_parseable(comparison):
    out, result = comparison
    table = pd.read_csv(out / "comparison.csv")
    assert {"scenario", "output", "unit", "mean", "mean_ci95_low", "mean_ci95_high", "diff",
            "diff_ci95_low", "diff_ci95_high", "significant", "rel_diff_pct"} <= set(table.columns)
    assert set(table["scenario"]) == {"baseline", "legal", "market"}
    assert set(KEY_OUTPUTS) <= set(table["output"])
    assert (table["mean_ci95_low"] <= table["mean"] + 1e-9).all()
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert len(ts) == 3 * 4 * 25 and {"scenario", "replicate", "seed"} <= set(ts.columns)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["baseline"] == "baseline" and manifest["replicate_seeds"] == replicate_seeds(7, 4)
    configs = yaml.safe_load((out / "config.yaml").read_text())
    assert configs["legal"]["scenario_name"] == "legal" and configs["market"]["miners"] == 200
    for png in ("outcomes.png", "trajectories.png"):
        assert (out / png).read_bytes()[:4] == b"\x89PNG" and (out / png).stat().st_size > 20_000
    assert not list(out.rglob("*.tmp"))
    assert str(out) in result.stdout and "added" in result.stdout


def test_report_has_settings_table_figures_and_sentences(comparison):
    out, _ = comparison
    report = (out / "report.md").read_text()
    assert ", ".join(str(s) for s in replicate_seeds(7, 4)) in report
    assert "outcomes.png" in report and "trajectories.png" in report
    assert report.count("| Licensed share |") == 3
    findings = report.split("## Findings")[1].split("##")[0].strip().splitlines()
    assert len(findings) == len(KEY_OUTPUTS)
    licensed = next(s for s in findings if s.startswith("- Licensed share"))
    assert "legal (+" in licensed and "the baseline beyond replicate noise" in licensed
    assert "95 % CI" in licensed
    assert "lower is better" in next(s for s in findings if "Mercury" in s)


def _refused(tmp_path, *args):
    out = tmp_path / "out"
    result = run_cli("compare", *args, "miners=50", "months=3", f"out={out}", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert not out.exists() and not (tmp_path / "results").exists()
    return lines[0]


def test_unknown_scenario_lists_available(tmp_path):
    line = _refused(tmp_path, "scenarios=[baseline,legall]")
    assert "legall" in line and "integrated" in line and "available" in line


def test_fewer_than_two_replicates(tmp_path):
    assert "at least 2 replicates" in _refused(tmp_path, "scenarios=[baseline,legal]",
                                               "replicates=1")


def test_duplicate_and_self_comparison(tmp_path):
    assert "twice" in _refused(tmp_path, "scenarios=[baseline,legal,legal]")
    assert "besides the baseline" in _refused(tmp_path, "scenarios=[legal]", "baseline=legal")


def test_identical_copy_under_another_name_is_refused(tmp_path, monkeypatch):
    configs = tmp_path / "configs"
    shutil.copytree(config_dir(), configs)
    text = (configs / "scenario" / "baseline.yaml").read_text()
    (configs / "scenario" / "copy.yaml").write_text(
        text.replace("scenario_name: baseline", "scenario_name: copy"))
    monkeypatch.setenv("ASMSIM_CONFIG_DIR", str(configs))
    assert "same configuration" in _refused(tmp_path, "scenarios=[baseline,copy]")


def test_bad_override_and_unknown_baseline(tmp_path):
    assert "licence_fee_usd" in _refused(tmp_path, "policy.legal.licence_fee_usd=cheap")
    assert "available" in _refused(tmp_path, "baseline=nowhere")
    assert "scenarios=" in _refused(tmp_path, "scenario=legal")


def test_python_api_returns_the_cli_tables_and_writes_nothing(comparison, tmp_path, monkeypatch):
    """``asmsim.compare`` with the CLI's settings gives the CLI's tables; out=None writes nothing."""
    import asmsim

    monkeypatch.chdir(tmp_path)
    notes = []
    result = asmsim.compare(["legal", "market"], miners=200, months=24, replicates=4, seed=7,
                            jobs=2, progress=False, notify=notes.append)
    assert not any(tmp_path.iterdir()) and result.folder is None
    assert notes == ["baseline 'baseline' added to the compared scenarios"]
    assert result.scenarios == ["baseline", "legal", "market"] and result.added_baseline
    assert set(result.table["scenario"]) == set(result.scenarios)
    per_miner = {f"{c}_per_miner" for c in SCALES_WITH_SECTOR}
    assert set(result.table["output"]) == set(OUTCOME_COLUMNS) | per_miner
    out, _ = comparison
    as_written = pd.read_csv(io.StringIO(result.table.to_csv(index=False)))
    pd.testing.assert_frame_equal(as_written, pd.read_csv(out / "comparison.csv"))
    pd.testing.assert_frame_equal(result.timeseries, pd.read_parquet(out / "timeseries.parquet"))
    assert result.manifest["overrides"] == ["replicates=4", "seed=7", "months=24", "miners=200",
                                            "jobs=2"]
    assert len(result.findings()) == len(KEY_OUTPUTS)


def test_python_api_writes_the_cli_files(comparison, tmp_path):
    import asmsim

    result = asmsim.compare(["legal"], ["context.price.initial_usd_per_g=80"], replicates=2,
                            miners=100, months=12, jobs=1, out=tmp_path / "api", progress=False)
    assert result.folder == tmp_path / "api"
    cli_out, _ = comparison
    assert sorted(p.name for p in result.folder.iterdir()) == \
        sorted(p.name for p in cli_out.iterdir())
    pd.testing.assert_frame_equal(pd.read_parquet(result.folder / "timeseries.parquet"),
                                  result.timeseries)
    configs = yaml.safe_load((result.folder / "config.yaml").read_text())
    assert configs["legal"]["context"]["price"]["initial_usd_per_g"] == 80


def test_python_api_refuses_before_running(tmp_path):
    import asmsim
    from asmsim.config import ConfigError

    with pytest.raises(ConfigError, match="at least 2 replicates"):
        asmsim.compare(["legal"], replicates=1, out=tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_the_scenarios_of_a_seed_share_its_warm_up():
    """A comparison's runs of one seed go to one process, where they share the seed's
    warm-up (the status quo under the scenario's context), when there are enough seeds
    to keep every worker busy; the tables are those of runs made one by one."""
    from asmsim.config import load_config
    from asmsim.model import warmup
    from asmsim.run.api import run_table
    from asmsim.run.replicates import run_tasks, task_groups

    seeds = [11, 12, 11, 12, 11, 12]  # three scenarios × two replicates, scenario-major
    assert task_groups(seeds, workers=2) == [[0, 2, 4], [1, 3, 5]]
    assert task_groups(seeds, workers=3) == [[i] for i in range(6)]  # a worker would idle
    assert task_groups([1, 2, 3], workers=2) == [[0], [1], [2]]  # nothing to share
    size = ["miners=150", "months=6", "context.warmup_months=24"]
    configs = [load_config([f"scenario={s}", *size]) for s in ("baseline", "royalty_cut")]
    tasks = [(config, seed) for config in configs for seed in (11, 12)]
    tables = run_tasks(tasks, jobs=2, progress=False)
    for (config, seed), table in zip(tasks, tables, strict=True):
        warmup._CACHE.clear()
        pd.testing.assert_frame_equal(table, run_table(config, seed))
