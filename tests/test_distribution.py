"""Distribution by gender, role and legal status: the recorder's per-group outputs add up
to the totals, the paired differences are the hand-computed ones, a gold-price fall
raises poverty, and the workbook's distribution sheet is the CSV."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import asmsim
from asmsim.analysis.compare import paired_difference
from asmsim.analysis.distribution import MEASURES, distribution
from asmsim.model.recorder import GROUPS, INCOME_COLUMNS, OUTPUTS, group_columns

SMALL = ["miners=200", "months=24", "context.warmup_months=24"]
T_975_1, T_975_2 = 12.706204736174698, 4.302652729749464  # Student t 97.5 % (1 and 2 dof)


def _dimensions() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, group in GROUPS.items():
        out.setdefault(group.dimension, []).append(name)
    return out


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    # integrated licenses miners, so every legal status has people
    return asmsim.simulate(["scenario=integrated", *SMALL], seed=3)


def test_group_columns_are_declared_outputs():
    assert set(_dimensions()) == {"gender", "role", "legal status"}
    assert len(GROUPS) == 8 and set(group_columns()) <= set(OUTPUTS)
    assert all(INCOME_COLUMNS[g] in OUTPUTS for g in GROUPS)


@pytest.mark.parametrize("dimension", ["gender", "role", "legal status"])
def test_groups_sum_to_totals(table, dimension):
    names = _dimensions()[dimension]
    for stem, total in (("miners_{}", "active_miners"), ("exits_{}", "exits"),
                        ("accidents_{}", "accidents")):
        summed = sum(table[stem.format(g)] for g in names)
        assert (summed == table[total]).all(), (stem, dimension)
    assert table["exits"].sum() > 0 and table["accidents"].sum() > 0  # something was counted
    debt = sum(table[f"debt_{g}_usd"] for g in names)
    np.testing.assert_allclose(debt, table["debt_mean_usd"] * table["active_miners"],
                               rtol=1e-9, atol=1e-6)
    poor = sum(np.rint(table[f"poverty_share_{g}"] * table[f"miners_{g}"]) for g in names)
    assert (poor == table["miners_below_poverty_line"]).all()
    assert all(table[f"miners_{g}"].max() > 0 for g in names)  # no empty group


def test_people_below_poverty_line_is_the_share_times_people(table):
    people = table["poverty_share"] * table["active_miners"]
    assert (np.rint(people) == table["miners_below_poverty_line"]).all()
    assert table["miners_below_poverty_line"].max() > 0


def test_paired_difference_by_hand():
    own = pd.Series([3.0, 5.0, 7.0, 9.0], index=[0, 1, 2, 3])
    base = pd.Series([4.0, 2.0, 1.0], index=[2, 1, 0])  # shuffled; replicate 3 has no pair
    diff, low, high = paired_difference(own, base)
    # pairs: 3−1, 5−2, 7−4 = 2, 3, 3: mean 8/3, sd √(1/3), half-width t · sd / √3
    half = T_975_2 * np.sqrt(1 / 3) / np.sqrt(3)
    assert diff == pytest.approx(8 / 3)
    assert (low, high) == pytest.approx((8 / 3 - half, 8 / 3 + half))


def _hand_made(scenario: str, replicate: int, exits: float, poverty: float) -> pd.DataFrame:
    """Months 0..13 of every column the distribution reads; women with ``exits`` leavers
    and 1 accident a month among 100 people, ``poverty`` their poverty share."""
    months = np.arange(14)
    columns = {"active_miners": 300.0, "income_mean_usd": 200.0, "poverty_share": 0.1,
               "debt_mean_usd": 10.0, "accidents": 3.0, "exits": 3.0,
               "miners_below_poverty_line": 30.0}
    for g in GROUPS:
        columns |= {f"miners_{g}": 100.0, INCOME_COLUMNS[g]: 200.0,
                    f"poverty_share_{g}": 0.1, f"debt_{g}_usd": 500.0,
                    f"accidents_{g}": 1.0, f"exits_{g}": 1.0}
    columns |= {"exits_women": exits, "poverty_share_women": poverty}
    frame = pd.DataFrame({name: np.full(len(months), value) for name, value in columns.items()})
    return frame.assign(scenario=scenario, replicate=replicate, month=months)


def test_distribution_of_a_hand_made_table():
    timeseries = pd.concat([_hand_made("base", 0, 1.0, 0.10), _hand_made("base", 1, 1.0, 0.10),
                            _hand_made("policy", 0, 2.0, 0.20),
                            _hand_made("policy", 1, 3.0, 0.30)])
    table = distribution(timeseries, "base").set_index(["scenario", "group"])
    women = table.loc[("policy", "women")]
    # 13 months (1..13): 13 leavers in the baseline, 26 and 39 under the policy
    assert women["left_mining_people"] == pytest.approx(32.5)
    half = T_975_1 * np.std([13.0, 26.0], ddof=1) / np.sqrt(2)
    assert (women["left_mining_people_diff"], women["left_mining_people_diff_ci95_low"],
            women["left_mining_people_diff_ci95_high"]) == pytest.approx((19.5, 19.5 - half,
                                                                          19.5 + half))
    # 12 accidents among 100 people over the last 12 months: 12 per 100 person-years
    assert women["injuries_per_100_person_years"] == pytest.approx(12.0)
    assert women["debt_usd"] == pytest.approx(5.0)  # 500 USD held by 100 people
    assert women["poverty_share_diff"] == pytest.approx(0.15)
    assert women["below_poverty_person_months"] == pytest.approx(13 * 25.0)
    assert np.isnan(table.loc[("base", "women"), "poverty_share_diff"])
    assert table.loc[("policy", "men"), "poverty_share_diff"] == 0.0
    assert set(MEASURES) <= set(table.columns)


def test_poverty_rises_when_the_gold_price_falls():
    fall = "context.shocks=[{kind: price_level, month: 1, duration: 24, size: -0.5}]"
    runs = []
    for replicate, seed in enumerate((1, 2, 3)):
        for scenario, extra in (("baseline", []), ("price_fall", [fall])):
            run = asmsim.simulate(["miners=150", "months=18", "context.warmup_months=24",
                                   *extra], seed=seed)
            runs.append(run.assign(scenario=scenario, replicate=replicate))
    table = distribution(pd.concat(runs, ignore_index=True), "baseline")
    row = table.set_index(["scenario", "group"]).loc[("price_fall", "all")]
    assert row["poverty_share_diff_ci95_low"] > 0
    assert row["below_poverty_person_months_diff_ci95_low"] > 0
    assert row["income_usd_diff_ci95_high"] < 0


def test_workbook_distribution_sheet_matches_csv(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "cmp"
    result = asmsim.compare(["legal"], ["context.warmup_months=6"], miners=80, months=13,
                            replicates=2, jobs=1, progress=False, out=out)
    csv = pd.read_csv(out / "distribution.csv")
    pd.testing.assert_frame_equal(csv, result.distribution, check_dtype=False)
    rows = list(load_workbook(out / "comparison.xlsx")["distribution"].values)
    header = [label.split(" [")[0] for label in rows[0]]
    assert header == list(csv.columns)
    assert "income_usd [USD/month]" in rows[0]
    sheet = pd.DataFrame(rows[1:], columns=header).astype(csv.dtypes.to_dict())
    pd.testing.assert_frame_equal(sheet, csv)
    assert "## Who gains and who loses" in (out / "report.md").read_text()
