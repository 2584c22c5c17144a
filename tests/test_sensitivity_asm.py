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


def test_asm_study_rejects_unknown_output():
    data = {"method": "morris", "n": 2, "parameters": {"policy.market.royalty_rate": [0, 0.1]},
            "outputs": {"licenced_share": "last12"}}
    with pytest.raises(ConfigError, match=r"outputs.licenced_share: unknown output column; "
                                          r"available: .*licensed_share"):
        parse_study(data)


def test_shipped_studies_are_valid():
    assert load_study("sobol_formalization").n_runs == 256 * (2 * 10 + 2)  # N·(2D + 2), S2
    assert load_study("morris_screening").n_runs == 20 * 21
