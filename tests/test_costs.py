"""Costs, cost-effectiveness and the files an analyst hands on (issue 12 §1-2).

One small comparison (crackdown and legal against the baseline) written to a folder;
the tests check that the fiscal totals add up to the state's budget, that ratios are
shown only where their denominator is clearly above zero, that the workbook matches the
CSVs, and that the summary and per-year tables follow ``headline=``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from asmsim.analysis import costs
from asmsim.cli.main import main as cli_main

SMALL = {"miners": 250, "months": 36, "replicates": 4, "jobs": 2, "progress": False}


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    from asmsim.workflows.compare import compare

    out = tmp_path_factory.mktemp("costs") / "out"
    return compare(["legal", "crackdown"], out=out,
                   headline=["licensed_share", "mercury_kg", "income_mean_usd"], **SMALL)


def test_fiscal_totals_add_up_to_the_budget(result):
    """Spending by category sums to spending; revenue − spending + transfers is the change
    in the state's budget over the horizon, in every replicate."""
    ts = result.timeseries
    totals = costs.fiscal_totals(ts, rate=0.0)
    categories = [c for c in totals.columns if c.startswith("spending_") and not
                  c.endswith("_pv")]
    assert np.allclose(totals[categories].sum(axis=1), totals["state_spending_usd"])
    assert np.allclose(totals["net_fiscal_cost_usd"],
                       totals["state_spending_usd"] - totals["state_revenue_usd"])
    assert np.allclose(totals["net_fiscal_cost_usd_pv"], totals["net_fiscal_cost_usd"])  # r=0
    for (scenario, replicate), run in ts.groupby(["scenario", "replicate"]):
        body = run[run["month"] > 0]
        change = body["state_budget_usd"].iloc[-1] - run["state_budget_usd"].iloc[0]
        flows = (body["state_revenue_usd"] + body["state_transfer_usd"]).sum() \
            - totals.loc[(scenario, replicate), "state_spending_usd"]
        assert change == pytest.approx(flows, rel=1e-9, abs=1e-6), (scenario, replicate)


def test_discounting_lowers_later_flows():
    months = np.arange(1, 25)
    w = costs.discount_weights(months, 0.10)
    assert w[11] == pytest.approx(1.1 ** -1) and w[23] == pytest.approx(1.1 ** -2)
    assert np.all(np.diff(w) < 0)


def test_ratios_only_where_the_gain_is_clearly_above_zero(result):
    totals = costs.fiscal_totals(result.timeseries, result.discount_rate)
    ratios = result.ratios.set_index(["scenario", "ratio"])
    base = totals.loc["baseline"]
    for (scenario, ratio), row in ratios.iterrows():
        denominator, sign, _ = costs.RATIOS[ratio]
        gain = sign * (totals.loc[scenario][denominator] - base[denominator])
        cost = totals.loc[scenario]["net_fiscal_cost_usd_pv"] - base["net_fiscal_cost_usd_pv"]
        if row["gain_ci95_low"] > 0:
            assert row["value"] == pytest.approx(cost.mean() / gain.mean())
            assert row["value_ci95_low"] <= row["value"] <= row["value_ci95_high"]
        else:
            assert np.isnan(row["value"]) and row["note"].startswith("n/a: ")
    # the licensing reform licenses more miners beyond noise: its ratio is a number
    assert np.isfinite(ratios.loc[("legal", "net_cost_per_additional_licensed_miner_usd"),
                                  "value"])


def test_a_gain_within_noise_gives_n_a_with_the_reason_not_a_huge_number():
    """Two replicates pairs whose licensed-miner change straddles zero: the ratio would be
    enormous (cost / ≈ 0); it is n/a with the change's interval instead."""
    index = pd.MultiIndex.from_product([["baseline", "policy"], [0, 1, 2]],
                                       names=["scenario", "replicate"])
    totals = pd.DataFrame({column: 0.0 for column in
                           ["net_fiscal_cost_usd_pv", "licensed_miners", "official_gold_kg",
                            "mercury_kg", "accidents"]}, index=index)
    totals.loc["policy", "net_fiscal_cost_usd_pv"] = 5000.0
    totals.loc["policy", "licensed_miners"] = [0.2, -0.1, 0.001]
    totals.loc["policy", "mercury_kg"] = [-2.0, -2.1, -1.9]  # clearly less mercury
    ratios = costs.cost_effectiveness(totals, "baseline").set_index("ratio")
    licensed = ratios.loc["net_cost_per_additional_licensed_miner_usd"]
    assert np.isnan(licensed["value"])
    assert licensed["note"].startswith("n/a: licensed_miners does not rise clearly")
    mercury = ratios.loc["net_cost_per_kg_mercury_avoided_usd"]
    assert mercury["value"] == pytest.approx(5000.0 / 2.0)


def test_workbook_opens_and_matches_the_csv_files(result):
    book = pd.read_excel(result.folder / "comparison.xlsx", sheet_name=None)
    tables = ("comparison", "per_year", "fiscal", "cost_effectiveness", "distribution")
    assert set(book) == {*tables, "scenarios"}
    for name in tables:
        csv = pd.read_csv(result.folder / f"{name}.csv")
        sheet = book[name]
        assert len(sheet) == len(csv)
        assert [c.split(" [")[0] for c in sheet.columns] == list(csv.columns)
        sheet.columns = csv.columns  # (headers carry units: "income_usd [USD/month]")
        numeric = csv.select_dtypes("number").columns
        assert np.allclose(sheet[numeric].to_numpy(float), csv[numeric].to_numpy(float),
                           equal_nan=True), name
    assert list(book["scenarios"]["scenario"]) == ["baseline", "legal", "crackdown"]


def test_headline_outputs_lead_the_summary_and_the_yearly_table(result):
    assert list(result.top.query("scenario == 'legal'")["output"]) == [
        "licensed_share", "mercury_kg", "income_mean_usd"]
    assert set(result.per_year["output"]) == {"licensed_share", "mercury_kg",
                                              "income_mean_usd"}
    assert sorted(result.per_year["year"].unique()) == [1, 2, 3]
    report = (result.folder / "report.md").read_text()
    summary = report.split("## Summary", 1)[1].split("## Settings", 1)[0]
    assert "`licensed_share`" in summary and "seed noise only" in summary
    assert "## Costs to the state and cost-effectiveness" in report
    assert "present values at 10% a year" in report


def test_sector_outputs_are_also_per_miner(result):
    table = result.table.set_index(["scenario", "output"])
    assert table.loc[("baseline", "gold_kg_per_miner"), "unit"] == "kg/month per miner"


@pytest.mark.parametrize("args, words", [
    (["headline=[licenced_share]"], ["headline", "'licenced_share'"]),
    (["discount_rate=1.5"], ["discount_rate='1.5'", "[0, 1]"]),
], ids=["headline", "discount"])
def test_bad_headline_or_discount_rate_exit_2_one_line(tmp_path, monkeypatch, capsys, args,
                                                       words):
    monkeypatch.chdir(tmp_path)
    code = cli_main(["compare", "scenarios=[legal]", "replicates=2", "miners=50", "months=3",
                     *args])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1, err
    for word in words:
        assert word in err, (word, err)
    assert not list(tmp_path.iterdir())
