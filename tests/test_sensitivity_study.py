"""Study files: validation errors (one line, exit code 2), sample-count algebra, seeds."""

from __future__ import annotations

import math

import numpy as np
import pytest
import yaml

from asmsim.analysis.sensitivity import parse_study
from asmsim.analysis.sensitivity.sampling import draw, run_seed, samples_frame
from asmsim.analysis.sensitivity.study import Parameter
from asmsim.cli.main import main as cli_main
from asmsim.config import ConfigError
from tests.conftest import REPO

PI = math.pi


def ishigami(**changes) -> dict:
    data = {"model": "ishigami", "method": "sobol", "n": 8, "seed": 3,
            "parameters": {k: [-PI, PI] for k in ("x1", "x2", "x3")}, "outputs": {"y": "final"}}
    data.update(changes)
    return data


def asm(**changes) -> dict:
    data = {"method": "morris", "n": 2, "seed": 1, "scenario": "baseline",
            "overrides": ["miners=200", "months=24"],
            "parameters": {"policy.market.royalty_rate": [0.0, 0.15]},
            "outputs": {"licensed_share": "last12"}}
    data.update(changes)
    return data


@pytest.mark.parametrize(("data", "words"), [
    (ishigami(sample_size=8), ["unknown key 'sample_size'", "allowed"]),
    (ishigami(method="fast99"), ["method='fast99'", "sobol, morris"]),
    (ishigami(n=100), ["n=100", "power of 2"]),
    (ishigami(n=0), ["n=0", "whole number"]),
    (ishigami(parameters={"x1": [1.0, 1.0]}), ["parameters.x1", "low must be below high"]),
    (ishigami(parameters={"x1": [2.0, -1.0]}), ["parameters.x1", "low must be below high"]),
    (ishigami(parameters={"x1": [0, 5]}), ["parameters.x1", "out of range"]),
    (ishigami(parameters={"x9": [0, 1]}), ["parameters.x9", "x1, x2, x3"]),
    (ishigami(parameters={"x1": {"low": 0, "high": 1, "dist": "beta"}}),
     ["dist='beta'", "unif, triang, logunif"]),
    (ishigami(outputs={"z": "final"}), ["outputs.z", "available: y"]),
    (ishigami(outputs={"y": "median"}), ["outputs.y='median'", "final, last12, cumulative"]),
    (ishigami(model="sir"), ["model='sir'", "asm, ishigami"]),
    (ishigami(common_seeds="yes"), ["common_seeds='yes'", "true or false"]),
    (asm(parameters={"policy.market.royalty": [0, 0.1]}),
     ["parameters.policy.market.royalty", "unknown config key"]),
    (asm(parameters={"policy.market.royalty_rate": [0.0, 1.5]}),
     ["policy.market.royalty_rate", "out of range", "[0, 1]"]),
    (asm(parameters={"policy.legal.licence_fee_usd": [-10, 500]}),
     ["policy.legal.licence_fee_usd", "out of range"]),
    (asm(parameters={"context.exit_rate": "posterior"}),
     ["parameters.context.exit_rate", "needs a top-level posterior"]),
    (asm(posterior="status_quo", parameters={"context.initial_trust": "posterior"}),
     ["does not calibrate context.initial_trust", "context.exit_rate"]),
    (asm(posterior="no_such_calibration", parameters={"context.exit_rate": "posterior"}),
     ["posterior='no_such_calibration'", "status_quo"]),
    (asm(posterior="status_quo"), ["posterior='status_quo'", "no parameter is written"]),
    (asm(posterior=3, parameters={"context.exit_rate": "posterior"}),
     ["posterior=3", "calibration name"]),
])
def test_bad_study_raises_one_line(data, words):
    with pytest.raises(ConfigError) as err:
        parse_study(data, name="bad")
    message = str(err.value)
    assert "\n" not in message
    for word in words:
        assert word in message, message


def test_cli_exit_code_2_names_the_key(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(ishigami(outputs={"y": "mean"})))
    assert cli_main(["sensitivity", f"experiment={path}", f"out={tmp_path / 'o'}"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: outputs.y='mean'") and "\n" not in err
    assert cli_main(["sensitivity", "experiment=no_such_study"]) == 2
    assert "experiment='no_such_study' is unknown" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(("method", "second", "rows"), [
    ("sobol", False, lambda n, d: n * (d + 2)),
    ("sobol", True, lambda n, d: n * (2 * d + 2)),
    ("morris", False, lambda n, d: n * (d + 1)),
])
@pytest.mark.parametrize("d", [1, 3])
def test_sample_count_algebra(method, second, rows, d):
    keys = ("x1", "x2", "x3")[:d]
    study = parse_study(ishigami(method=method, n=16, second_order=second,
                                 parameters={k: [-1, 1] for k in keys}))
    x = draw(study)
    assert study.n_points == rows(16, d) == x.shape[0]
    assert x.shape[1] == d
    assert np.all((x >= -1) & (x <= 1))


def test_sobol_sample_prefix_is_the_smaller_design():
    """The first k blocks of the N design are the k design: convergence plots rely on it."""
    big = draw(parse_study(ishigami(n=64)))
    small = draw(parse_study(ishigami(n=16)))
    np.testing.assert_array_equal(big[:len(small)], small)


def test_seeds_are_deterministic_and_distinct():
    seeds = {run_seed(7, p, r) for p in range(200) for r in range(3)}
    assert len(seeds) == 600
    assert run_seed(7, 5, 1) == run_seed(7, 5, 1) != run_seed(8, 5, 1)
    assert all(0 <= s < 2**63 for s in seeds)


def test_int_and_bool_parameters_are_rounded_uniformly():
    whole = Parameter("k", 1, 4, kind="int")
    assert whole.salib_bounds() == [1, 5]
    assert [whole.to_value(v) for v in (1.0, 1.99, 2.0, 4.999, 5.0)] == [1, 1, 2, 4, 4]
    flag = Parameter("b", 0, 1, kind="bool")
    assert [flag.to_value(v) for v in (0.1, 0.5, 0.9)] == [False, True, True]
    study = parse_study(asm(parameters={"policy.legal.licence_processing_months": [1, 6],
                                        "policy.legal.decentralised_offices": [False, True]},
                            method="sobol", n=256),
                        check=_typed_for_test)
    frame = samples_frame(study, draw(study))
    counts = frame["policy.legal.licence_processing_months"].value_counts()
    assert sorted(counts.index) == [1, 2, 3, 4, 5, 6]
    assert counts.min() > 0.8 * counts.max()  # each whole number equally likely
    assert frame["policy.legal.decentralised_offices"].dtype == bool


def _typed_for_test(study):
    """The ASM check of parameters only (outputs need the model, tested elsewhere)."""
    import dataclasses

    from asmsim.analysis.sensitivity.models import _kind
    from asmsim.config import leaf_fields

    fields = leaf_fields()
    return dataclasses.replace(study, parameters=tuple(
        dataclasses.replace(p, kind=_kind(fields[p.key])) for p in study.parameters))


def test_digest_changes_with_what_matters_only():
    a = parse_study(ishigami(), name="a")
    assert a.digest() == parse_study(ishigami(), name="renamed").digest()
    assert a.digest() != parse_study(ishigami(n=16)).digest()
    assert a.digest() != parse_study(ishigami(seed=4)).digest()
    # common seeds change the runs; studies from before the key keep their identity
    assert a.digest() != parse_study(ishigami(common_seeds=True)).digest()
    assert a.digest() == parse_study(ishigami(common_seeds=False)).digest()


@pytest.mark.parametrize("method", ["sobol", "morris"])
def test_a_study_can_vary_calibrated_keys_within_the_posterior(method):
    """``key: posterior`` varies a calibrated key over its posterior's 5-95 % interval
    (Sobol: triangular, peaked at the median; Morris: uniform), from the shipped
    calibration; the digest records it, and a study without the key keeps its digest."""
    import pandas as pd

    summary = pd.read_csv(REPO / "results" / "calibration" / "status_quo"
                          / "posterior_summary.csv").set_index("parameter")
    data = asm(method=method, n=2 if method == "morris" else 4, posterior="status_quo",
               parameters={"policy.market.royalty_rate": [0.0, 0.15],
                           "context.exit_rate": "posterior"})
    study = parse_study(data, name="within")
    royalty, exit_rate = study.parameters
    row = summary.loc["context.exit_rate"]
    assert (royalty.low, royalty.high, royalty.dist) == (0.0, 0.15, "unif")
    assert exit_rate.low == pytest.approx(row["q05"]) and exit_rate.high == pytest.approx(
        row["q95"])
    if method == "sobol":
        assert exit_rate.dist == "triang"
        assert exit_rate.low + exit_rate.peak * (exit_rate.high - exit_rate.low) == \
            pytest.approx(row["median"])
    else:
        assert exit_rate.dist == "unif"
    assert study.posterior_keys == ("context.exit_rate",)
    explicit = dict(data, parameters={"policy.market.royalty_rate": [0.0, 0.15],
                                      "context.exit_rate": [exit_rate.low, exit_rate.high]})
    explicit.pop("posterior")
    assert parse_study(explicit).digest() != study.digest()
    assert "posterior" not in parse_study(explicit).definition()


def test_the_screening_study_lists_every_numeric_parameter_with_the_schema_ranges():
    """experiments/morris_all.yaml is generated from the schema: every numeric context and
    policy key (but the structural ones) varies, over the ranges the generator gives now."""
    from asmsim.analysis.sensitivity import load_study
    from asmsim.analysis.sensitivity.screening import STRUCTURAL, screening_ranges, study_yaml
    from asmsim.config import Config
    from asmsim.config.params import iter_params

    shipped = (REPO / "experiments" / "morris_all.yaml").read_text()
    assert shipped == study_yaml(), "regenerate: python -m asmsim.analysis.sensitivity.screening"
    study = load_study(str(REPO / "experiments" / "morris_all.yaml"))
    varied = {p.key for p in study.parameters}
    numeric = {k for k, _, v in iter_params(Config()) if k.startswith(("context.", "policy."))
               and isinstance(v, (int, float)) and not isinstance(v, bool)}
    assert varied == set(screening_ranges())
    assert numeric - varied == set(STRUCTURAL), sorted(numeric - varied)


def test_a_summed_monthly_flow_is_reported_without_per_month():
    from asmsim.analysis.sensitivity.pipeline import reduced_units

    study = parse_study(asm(outputs={"mercury_kg": "cumulative", "income_mean_usd": "last12"}))
    units = reduced_units(study, {"mercury_kg": "kg/month", "income_mean_usd": "USD/month"})
    assert units == {"mercury_kg": "kg, summed over months", "income_mean_usd": "USD/month"}
