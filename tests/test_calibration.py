"""`asmsim calibrate`: target files, known-answer recovery, resuming after a kill, bad input.

The calibrations here are tiny (120 miners, 24 months, 16-30 particles) so that the
whole file runs in about a minute; the method is the one the shipped calibration uses.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml

from asmsim.analysis.calibration import load_targets
from asmsim.analysis.calibration.abc import (
    Settings,
    Simulator,
    band_distance,
    calibrate,
    posterior,
    statistic,
    summarise,
)
from asmsim.analysis.calibration.targets import target_unit
from asmsim.cli.main import main as cli_main
from tests.conftest import REPO

TINY = ["miners=120", "months=24", "context.warmup_months=12"]
TRUTH = {"context.accident_rate_monthly": 0.006}


def target_file(folder, targets: dict, parameters: dict | None = None, **top) -> str:
    data = {"simulation": {"overrides": TINY},
            "parameters": parameters or {"context.accident_rate_monthly": [0.001, 0.012]},
            "targets": targets, **top}
    path = folder / "targets.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return str(path)


INJURIES = {"output": "accidents", "per": "active_miners", "scale": 1200, "months": [7, 24],
            "source": "test"}


def test_shipped_target_file_is_valid_and_cites_its_sources():
    targets = load_targets("status_quo")
    assert len(targets.priors) >= 8
    assert len(targets.fitted) >= 8 and targets.held_out
    assert all("§" in t.source for t in targets.targets)
    assert {"price_boom", "baseline"} <= set(targets.scenarios())
    by_name = {t.name: t for t in targets.targets}
    assert target_unit(by_name["mongolia_2014_royalty_cut"]) == "ratio to months 1–12"
    assert target_unit(by_name["lockdown_price_fall"]) == "ratio to baseline"


def test_statistic_and_distance_follow_the_target_definition():
    table = pd.DataFrame({"month": [0, 1, 2, 3], "accidents": [9.0, 1.0, 2.0, 3.0],
                          "active_miners": [100.0, 100.0, 100.0, 100.0]})
    base = table.assign(accidents=table["accidents"] / 2)
    targets = load_targets("status_quo")
    t = targets.fitted[0].__class__(name="x", output="accidents", first=1, last=3, low=10,
                                    high=30, source="s", per="active_miners", scale=1200)
    assert statistic(t, {"baseline": table}, {}) == pytest.approx(2.0 / 100 * 1200)
    rel = t.__class__(**{**t.__dict__, "relative_to": "price_boom", "scenario": "baseline"})
    assert statistic(rel, {"baseline": table, "price_boom": base}, {}) == pytest.approx(2.0)
    assert band_distance({"x": 20.0}, (t,)) == 0.0
    assert band_distance({"x": 40.0}, (t,)) == pytest.approx(0.5)  # half a band width out
    assert band_distance({"x": float("nan")}, (t,)) == float("inf")


def test_known_answer_true_value_inside_the_posterior_90_percent(tmp_path):
    """Targets the model produces at a known accident rate (band: the mean over 6 seeds
    ± 2 of their standard deviations) are fitted; the truth lies in the 90 % interval
    and the prior's range shrinks."""
    probe = load_targets(target_file(tmp_path, {"injuries": {**INJURIES, "band": [0, 1]}}))
    simulate = Simulator(probe, probe.fitted)
    values = np.array([simulate(TRUTH, seed)["injuries"] for seed in range(6)])
    band = [float(values.mean() - 2 * values.std()), float(values.mean() + 2 * values.std())]
    targets = load_targets(target_file(tmp_path, {"injuries": {**INJURIES, "band": band}}))
    history, _ = calibrate(targets, tmp_path, Settings(particles=30, generations=4, jobs=1))
    row = summarise(posterior(history), targets).iloc[0]
    assert row.q05 <= TRUTH["context.accident_rate_monthly"] <= row.q95, row
    assert row.q95 - row.q05 < 0.6 * (0.012 - 0.001), row


def _calibrate_cli(target: str, out, extra=()) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "asmsim.cli.main", "calibrate",
                             f"targets={target}", "particles=12", "generations=2", "jobs=1",
                             "draws=4", "progress=true", f"out={out}", *extra],
                            env=env, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def test_a_calibration_killed_part_way_resumes_and_ends_as_an_uninterrupted_one(tmp_path):
    """SIGKILL after the first generation; the same command continues from the database
    (the next generation is 1, not 0) and, with jobs=1, gives the uninterrupted posterior.
    (Two generations of 12 particles: the resumed run samples the last one.)"""
    target = target_file(tmp_path, {"injuries": {**INJURIES, "band": [8.0, 14.0]},
                                    "discount": {"output": "trader_discount_share",
                                                 "months": [7, 24], "band": [0.03, 0.05],
                                                 "source": "test"}},
                         parameters={"context.accident_rate_monthly": [0.001, 0.012],
                                     "context.sale_logit_scale_per_usd": [0.3, 3.0]})
    killed = _calibrate_cli(target, tmp_path / "a")
    line = killed.stderr.readline()
    while line and not line.startswith("generation 0"):
        line = killed.stderr.readline()
    assert line.startswith("generation 0"), line
    killed.send_signal(signal.SIGKILL)
    killed.wait(30)
    assert not (tmp_path / "a" / "report.md").exists()
    resumed = _calibrate_cli(target, tmp_path / "a")
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert "generation 0" not in err and "generation 1" in err, err
    whole = _calibrate_cli(target, tmp_path / "b")
    _, err_b = whole.communicate(timeout=300)
    assert whole.returncode == 0, err_b
    a = pd.read_parquet(tmp_path / "a" / "posterior.parquet")
    b = pd.read_parquet(tmp_path / "b" / "posterior.parquet")
    pd.testing.assert_frame_equal(a, b)
    report = (tmp_path / "a" / "report.md").read_text()
    assert "posterior predictive check" in report and "draws in band" in report


BAD = [
    ("yaml", "targets:\n  x: {output: accidents\n", ["line", "not valid YAML"]),
    ("top-key", {"simulation": {"overrides": TINY}, "parameters": {}, "targets": {},
                 "targtes": {}}, ["unknown key 'targtes'"]),
    ("output", {"parameters": {"context.accident_rate_monthly": [0.001, 0.01]},
                "targets": {"x": {"output": "acidents", "months": [1, 2], "band": [0, 1],
                                  "source": "s"}}}, ["targets.x.output", "'acidents'"]),
    ("band", {"parameters": {"context.accident_rate_monthly": [0.001, 0.01]},
              "targets": {"x": {"output": "accidents", "months": [1, 2], "band": [2, 1],
                                "source": "s"}}}, ["targets.x", "band=[2, 1]", "low < high"]),
    ("source", {"parameters": {"context.accident_rate_monthly": [0.001, 0.01]},
                "targets": {"x": {"output": "accidents", "months": [1, 2], "band": [0, 1]}}},
     ["targets.x", "missing key 'source'"]),
    ("prior-range", {"parameters": {"context.accident_rate_monthly": [0.001, 2.0]},
                     "targets": {"x": {"output": "accidents", "months": [1, 2],
                                       "band": [0, 1], "source": "s"}}},
     ["parameters.context.accident_rate_monthly", "allowed range"]),
    ("prior-key", {"parameters": {"context.acident_rate_monthly": [0.001, 0.01]},
                   "targets": {"x": {"output": "accidents", "months": [1, 2], "band": [0, 1],
                                     "source": "s"}}}, ["'context.acident_rate_monthly'"]),
    ("months", {"parameters": {"context.accident_rate_monthly": [0.001, 0.01]},
                "targets": {"x": {"output": "accidents", "months": [0.5, 2], "band": [0, 1],
                                  "source": "s"}}}, ["months=[0.5, 2]", "whole months"]),
]


@pytest.mark.parametrize("content, words", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_target_file_exit_2_one_line_nothing_written(tmp_path, monkeypatch, capsys,
                                                          content, words):
    work = tmp_path / "work"
    work.mkdir()
    path = tmp_path / "targets.yaml"
    path.write_text(content if isinstance(content, str) else yaml.safe_dump(content))
    monkeypatch.chdir(work)
    code = cli_main(["calibrate", f"targets={path}", "particles=4"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "targets.yaml" in err, err
    for word in words:
        assert word in err, (word, err)
    assert not list(work.iterdir()), "something was written"


@pytest.mark.parametrize("args, words", [
    (["targets=nope"], ["targets='nope' is unknown", "status_quo"]),
    (["targets=status_quo", "particles=1"], ["particles=1", "[2, 100000]"]),
    (["targets=status_quo", "parameters=[context.nope]"], ["'context.nope'"]),
    (["targets=status_quo", "particels=5"], ["unknown key 'particels'"]),
], ids=["unknown-targets", "particles", "parameters", "key"])
def test_bad_calibrate_arguments_exit_2_one_line(tmp_path, monkeypatch, capsys, args, words):
    monkeypatch.chdir(tmp_path)
    code = cli_main(["calibrate", *args])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1, err
    for word in words:
        assert word in err, (word, err)
    assert not list(tmp_path.iterdir())


def test_check_simulates_the_fit_again_on_the_current_model(tmp_path, monkeypatch, capsys):
    """``check=true`` re-simulates a finished calibration's predictive draws (same draws,
    same seeds): on an unchanged model it reproduces the fit's predictive values exactly,
    and check.md sets each target's share in band now beside the share at the fit."""
    from asmsim.analysis.calibration.abc import Settings
    from asmsim.workflows.calibrate import run_calibration

    target = target_file(tmp_path, {"injuries": {**INJURIES, "band": [8.0, 14.0]}})
    out = tmp_path / "cal"
    run_calibration(load_targets(target), out, Settings(particles=6, generations=1, jobs=1),
                    draws=5, progress=False)
    fit = (tmp_path / "cal" / "report.md").read_text()
    monkeypatch.chdir(tmp_path)
    code = cli_main(["calibrate", f"targets={target}", f"out={out}", "check=true", "jobs=1",
                     "progress=false"])
    printed = capsys.readouterr().out
    assert code == 0 and "check.md" in printed, printed
    then = pd.read_csv(out / "predictive.csv")
    now = pd.read_csv(out / "check" / "predictive.csv")
    pd.testing.assert_frame_equal(then, now)
    text = (out / "check" / "check.md").read_text()
    share = pd.read_csv(out / "predictive_summary.csv").set_index("target")["share_inside"]
    assert f"| {share['injuries']:.0%} | " in text and "at the fit" in text, text
    assert (out / "check" / "plots" / "predictive.png").stat().st_size > 10_000
    assert (out / "report.md").read_text() == fit  # the fit's own record is untouched


def test_check_without_a_finished_calibration_is_one_line(tmp_path, monkeypatch, capsys):
    target = target_file(tmp_path, {"injuries": {**INJURIES, "band": [8.0, 14.0]}})
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(tmp_path)
    code = cli_main(["calibrate", f"targets={target}", f"out={empty}", "check=true"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1, err
    assert "no finished calibration" in err and "posterior.parquet" in err, err
    assert not list(empty.iterdir())
    code = cli_main(["calibrate", f"targets={target}", f"out={empty}", "check=maybe"])
    err = capsys.readouterr().err
    assert code == 2 and "check='maybe'" in err, err


def _posterior_folder(tmp_path, rates=(0.002, 0.009), weights=(0.5, 0.5)):
    folder = tmp_path / "cal"
    folder.mkdir()
    pd.DataFrame({"context.accident_rate_monthly": list(rates),
                  "weight": list(weights)}).to_parquet(folder / "posterior.parquet")
    return folder


def test_posterior_draws_are_fixed_weighted_and_prefix_stable(tmp_path):
    from asmsim.config.posterior import draw, draws, load_posterior

    post = load_posterior(_posterior_folder(tmp_path, weights=(0.2, 0.8)))
    many = draws(post, 2000)
    assert draws(post, 7) == many[:7]
    assert draw(post, 5) == many[5]
    high = np.mean([d["context.accident_rate_monthly"] == 0.009 for d in many])
    assert 0.77 < high < 0.83  # weights are honoured


def test_compare_with_a_posterior_pairs_draws_and_widens_intervals(tmp_path):
    """Replicate i of every scenario runs posterior draw i with seed i; the report says
    what its intervals cover; a posterior that spans the accident rate widens the
    accidents interval against fixed parameters."""
    from asmsim.workflows.compare import compare

    folder = _posterior_folder(tmp_path)
    args = {"scenarios": ["legal"], "miners": 120, "months": 12, "progress": False, "jobs": 1,
            "overrides": ["context.warmup_months=12"]}
    fixed = compare(replicates=6, **args)
    carried = compare(posterior=folder, draws=6, out=tmp_path / "out", **args)
    assert carried.manifest["posterior"] == str(folder)
    rates = [d["context.accident_rate_monthly"] for d in carried.manifest["posterior_draws"]]
    assert set(rates) == {0.002, 0.009}
    ts = carried.timeseries
    # paired: the baseline and legal replicate i ran the same draw
    assert (ts.groupby(["scenario", "replicate"])["seed"].first().unstack(0).nunique(axis=1)
            == 1).all()

    def spread(result):
        row = result.table.query("scenario == 'baseline' and output == 'accidents'").iloc[0]
        return row["mean_ci95_high"] - row["mean_ci95_low"]

    assert spread(carried) > 2 * spread(fixed)
    report = (tmp_path / "out" / "report.md").read_text()
    assert "parameter uncertainty" in report and "What the intervals cover" in report


def test_simulate_takes_a_posterior_draw(tmp_path):
    from asmsim.config.posterior import draw, load_posterior
    from asmsim.run.api import simulate

    folder = _posterior_folder(tmp_path)
    args = (["miners=60", "months=3", "context.warmup_months=3"],)
    rate = draw(load_posterior(folder), 2)["context.accident_rate_monthly"]
    a = simulate(*args, seed=1, posterior=str(folder), draw=2)
    b = simulate([*args[0], f"context.accident_rate_monthly={rate}"], seed=1)
    pd.testing.assert_frame_equal(a, b)
