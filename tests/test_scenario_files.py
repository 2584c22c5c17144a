"""Scenarios where analysts keep them, and the price shocks (issue 12 §3).

A scenario file given by path or found in a user folder runs like a preset; its
mistakes are one line naming the file and line, exit code 2, nothing written.
"""

from __future__ import annotations

import numpy as np
import pytest

from asmsim.cli.main import main as cli_main
from asmsim.config import load_config
from asmsim.config.schema import SHOCK_KINDS
from asmsim.run.api import simulate

HEADER = "# @package _global_\n"
ROYALTY = HEADER + 'scenario_name: royalty3\ndescription: "Royalty 3 %"\n' \
    "policy:\n  market:\n    royalty_rate: 0.03\n"


@pytest.fixture
def folder(tmp_path):
    scenarios = tmp_path / "briefs"
    scenarios.mkdir()
    (scenarios / "royalty3.yaml").write_text(ROYALTY)
    return scenarios


def test_a_scenario_file_by_path_or_folder_is_a_scenario(folder, monkeypatch):
    by_path = load_config([f"scenario={folder / 'royalty3.yaml'}", "miners=50"])
    by_folder = load_config(["scenario=royalty3", f"scenario_dir={folder}", "miners=50"])
    monkeypatch.setenv("ASMSIM_SCENARIOS", str(folder))
    by_env = load_config(["scenario=royalty3", "miners=50"])
    for config in (by_path, by_folder, by_env):
        assert config.policy.market.royalty_rate == 0.03
        assert config.scenario_name == "royalty3"
    assert load_config(["scenario=legal"]).scenario_name == "legal"  # presets still work


def test_compare_takes_scenario_files(folder):
    from asmsim.workflows.compare import compare

    result = compare([str(folder / "royalty3.yaml"), "legal"], miners=80, months=6,
                     replicates=2, jobs=1, progress=False)
    assert result.scenarios == ["baseline", "royalty3", "legal"]
    assert result.configs["royalty3"].policy.market.royalty_rate == 0.03


BAD = [
    ("yaml", HEADER + "policy:\n  market: {royalty_rate: [1\n", ["line", "not valid YAML"]),
    ("key", HEADER + "policy:\n  market:\n    royalty_rat: 0.03\n",
     ["line 4", "policy.market.royalty_rat", "did you mean royalty_rate?"]),
    ("type", HEADER + "policy:\n  market:\n    royalty_rate: three\n",
     ["line 4", "policy.market.royalty_rate='three'", "expected a number"]),
    ("header", "scenario_name: mine\npolicy:\n  market:\n    royalty_rate: 0.03\n",
     ["line 1", "# @package _global_"]),
    ("shock", HEADER + "context:\n  shocks:\n    - {kind: flood, month: 2, size: -0.5}\n",
     ["line 4", "size=-0.5", "kind=price_level"]),
]


@pytest.mark.parametrize("text, words", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_scenario_file_exit_2_one_line_nothing_written(tmp_path, monkeypatch, capsys,
                                                           text, words):
    work = tmp_path / "work"
    work.mkdir()
    path = tmp_path / "mine.yaml"
    path.write_text(text)
    monkeypatch.chdir(work)
    code = cli_main(["run", f"scenario={path}", "miners=50", "months=3"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert str(path) in err, err
    for word in words:
        assert word in err, (word, err)
    assert not list(work.iterdir())


@pytest.mark.parametrize("args, words", [
    (["scenario=missing.yaml"], ["scenario='missing.yaml'", "no such file"]),
    (["scenario=royalty4", "scenario_dir={folder}"], ["'royalty4'", "did you mean royalty3?"]),
    (["scenario=legal", "scenario_dir=/nonexistent/folder"], ["scenario_dir=", "not a folder"]),
], ids=["no-file", "unknown-name", "no-folder"])
def test_bad_scenario_reference_exit_2(folder, tmp_path, monkeypatch, capsys, args, words):
    monkeypatch.chdir(tmp_path)
    before = set(tmp_path.iterdir())
    code = cli_main(["run", *[a.format(folder=folder) for a in args], "miners=50", "months=3"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1, err
    for word in words:
        assert word in err, (word, err)
    assert set(tmp_path.iterdir()) == before


def test_price_level_and_price_series_set_the_world_price(tmp_path):
    prices = tmp_path / "path.csv"
    prices.write_text("month,usd_per_g\n0,60\n4,45\n")
    base = ["miners=60", "months=12", "context.warmup_months=3"]
    fall = simulate([*base, "context.shocks=[{kind: price_level, month: 3, duration: 4, "
                            "size: -0.3}]"], seed=1)["price_usd_per_g"].to_numpy()
    assert np.allclose(fall[3:7], 0.7 * fall[1]) and fall[7] == fall[1]
    series = simulate([*base, f"context.shocks=[{{kind: price_series, month: 2, duration: 8, "
                              f"file: {prices}}}]"], seed=1)["price_usd_per_g"].to_numpy()
    assert list(series[2:10]) == [60, 60, 60, 60, 45, 45, 45, 45]
    assert series[10] == series[1]


@pytest.mark.parametrize("text, words", [
    ("month,price\n0,60\n", ["line 1", "month,usd_per_g"]),
    ("month,usd_per_g\n0,60\n3,abc\n", ["line 3", "'3,abc'"]),
    ("month,usd_per_g\n0,60\n0,50\n", ["line 3", "increasing"]),
    ("month,usd_per_g\n0,-5\n", ["line 2", "usd_per_g=-5"]),
], ids=["header", "number", "order", "price"])
def test_bad_price_file_exit_2_one_line(tmp_path, monkeypatch, capsys, text, words):
    prices = tmp_path / "p.csv"
    prices.write_text(text)
    monkeypatch.chdir(tmp_path)
    code = cli_main(["run", "miners=50", "months=6",
                     f"context.shocks=[{{kind: price_series, month: 1, file: {prices}}}]"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1, err
    for word in [str(prices), *words]:
        assert word in err, (word, err)


def test_shocks_command_lists_every_kind(capsys):
    assert cli_main(["shocks"]) == 0
    out = capsys.readouterr().out
    for kind in SHOCK_KINDS:
        assert f"{kind} " in out and f"kind: {kind}" in out
