"""A tiny Morris study of the ASM model end to end (needs the simulator on main)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from asmsim.analysis.sensitivity import load_study, parse_study
from asmsim.config import ConfigError
from asmsim.workflows.sensitivity import run_study


def test_tiny_morris_study_of_the_asm_model(tmp_path):
    study = load_study("tiny_morris")
    assert study.n_runs == 8
    result = run_study(study, tmp_path / "out", jobs=2, progress=False)
    assert result.runs_now == 8
    runs = pd.concat(pd.read_parquet(f) for f in (tmp_path / "out" / "runs").glob("*.parquet"))
    assert len(runs) == 8 and runs["seed"].nunique() == 8
    shares = runs[["licensed_share", "official_sales_share"]].to_numpy()
    assert np.all((shares >= 0) & (shares <= 1))
    mu_star = result.indices[result.indices["index"] == "mu_star"]
    assert len(mu_star) == 3 * 3 and np.isfinite(mu_star["value"]).all()
    assert (mu_star["value"] >= 0).all()
    report = (tmp_path / "out" / "report.md").read_text()
    assert "policy.market.royalty_rate" in report and "USD" in report


def test_a_morris_study_within_the_posterior_runs_and_says_so(tmp_path):
    study = parse_study({"method": "morris", "n": 2, "seed": 1, "posterior": "status_quo",
                         "overrides": ["miners=200", "months=12", "context.warmup_months=12"],
                         "parameters": {"context.exit_rate": "posterior",
                                        "context.sale_logit_scale_per_usd": "posterior"},
                         "outputs": {"active_miners": "last12"}}, name="within")
    result = run_study(study, tmp_path / "out", jobs=1, progress=False)
    samples = pd.read_parquet(tmp_path / "out" / "samples.parquet")
    for p in study.parameters:
        assert samples[p.key].between(p.low, p.high).all()
    assert result.runs_now == 6
    report = (tmp_path / "out" / "report.md").read_text()
    assert "Within the posterior" in report and "`status_quo`" in report


def test_asm_study_rejects_unknown_output():
    data = {"method": "morris", "n": 2, "parameters": {"policy.market.royalty_rate": [0, 0.1]},
            "outputs": {"licenced_share": "last12"}}
    with pytest.raises(ConfigError, match=r"outputs.licenced_share: unknown output column; "
                                          r"available: .*licensed_share"):
        parse_study(data)


def test_shipped_studies_are_valid():
    assert load_study("sobol_formalization").n_runs == 256 * (2 * 10 + 2)  # N·(2D + 2), S2
    assert load_study("morris_screening").n_runs == 20 * 21


def test_common_seeds_take_seed_noise_out_of_the_elementary_effects(tmp_path):
    """With ``common_seeds`` every point of a Morris trajectory runs on the trajectory's
    seeds, so a parameter that no decision reads (the poverty line: the recorder's
    threshold only) has elementary effects of exactly 0 on formal sales, while with a seed
    per point its effects are seed noise; the royalty's are measured either way."""
    data = {"method": "morris", "n": 3, "seed": 5, "scenario": "baseline",
            "overrides": ["miners=200", "months=12", "context.warmup_months=12"],
            "parameters": {"context.poverty_line_usd_month": [20.0, 40.0],
                           "policy.market.royalty_rate": [0.0, 0.15]},
            "outputs": {"licensed_share": "last12", "official_sales_share": "last12"}}
    mu_star = {}
    for common in (False, True):
        study = parse_study({**data, "common_seeds": common}, name=f"crn_{common}")
        result = run_study(study, tmp_path / str(common), jobs=1, progress=False)
        runs = pd.concat(pd.read_parquet(f) for f in (tmp_path / str(common) / "runs")
                         .glob("*.parquet")).sort_values("point")
        per_trajectory = runs.groupby(runs["point"] // 3)["seed"].nunique()
        assert (per_trajectory == (1 if common else 3)).all()
        table = result.indices[result.indices["index"] == "mu_star"].set_index(
            ["output", "parameter"])["value"]
        mu_star[common] = table
    poverty = ("official_sales_share", "context.poverty_line_usd_month")
    assert mu_star[True][poverty] == 0.0
    assert mu_star[False][poverty] > 0.0
    royalty = ("official_sales_share", "policy.market.royalty_rate")
    assert mu_star[True][royalty] > 0.0
