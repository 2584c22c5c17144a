"""Configuration: composition, validation and the one-line errors of the CLI."""

from __future__ import annotations

import pytest

from asmsim.config import ConfigError, group_options, leaf_fields, load_config, set_key
from asmsim.config.schema import Config
from tests.conftest import run_cli


def test_every_scenario_composes_and_validates():
    for name in group_options("scenario"):
        config = load_config([f"scenario={name}"])
        assert config.scenario_name == name
        assert config.description


def test_scenarios_change_the_levers_they_claim():
    base, legal = load_config([]), load_config(["scenario=legal"])
    assert legal.policy.legal.licence_fee_usd < base.policy.legal.licence_fee_usd
    assert legal.policy.legal.licence_processing_months < base.policy.legal.licence_processing_months
    integrated = load_config(["scenario=integrated"])
    assert integrated.policy.market.official_buyer.enabled
    assert integrated.policy.social.coop_support and integrated.policy.finance.microfinance.enabled


def test_overrides_reach_the_config():
    config = load_config(["scenario=market", "policy.market.royalty_rate=0.01", "miners=123",
                          "policy.legal.group_licences=true"])
    assert config.policy.market.royalty_rate == 0.01
    assert config.miners == 123
    assert config.policy.legal.group_licences is True


def test_every_parameter_has_unit_doc_and_source():
    for key, field in leaf_fields().items():
        meta = field.metadata
        assert meta.get("unit"), key
        assert meta.get("doc"), key
        assert meta.get("source"), key


@pytest.mark.parametrize("override, fragment", [
    ("policy.market.royalty_rat=0.1", "did you mean policy.market.royalty_rate"),
    ("policy.market.royalty_rate=1.5", "out of range"),
    ("policy.market.royalty_rate=abc", "expected a number"),
    ("months=0", "out of range"),
    ("miners=2.5", "whole number"),
    ("scenario=nope", "available: baseline"),
    ("+policy.new_key=1", "not allowed"),
    ("policy.legal.group_licences=maybe", "true or false"),
    ("policy.market.official_buyer.accepts=[martians]", "informal, applicant, licensed"),
])
def test_bad_input_is_one_clear_line(override, fragment):
    with pytest.raises(ConfigError) as info:
        load_config([override])
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message


def test_land_shares_cannot_exceed_one():
    with pytest.raises(ConfigError, match="land shares"):
        load_config(["policy.legal.asm_zone_share=0.9"])


def test_scheduled_changes_are_validated():
    config = Config()
    set_key(config, "policy.market.royalty_rate", "0.02")
    assert config.policy.market.royalty_rate == 0.02
    with pytest.raises(ConfigError, match="policy.market.royalty_rate"):
        set_key(config, "policy.market.royalty_rate", 2.0)
    with pytest.raises(ConfigError, match="cannot|can change"):
        set_key(config, "miners", 10)


@pytest.mark.parametrize("override", ["policy.market.royalty_rat=0.1", "months=-3",
                                      "scenario=atlantis", "policy.legal.fine_usd=cheap"])
def test_cli_config_error_exit_2_one_line_nothing_written(tmp_path, override):
    out = tmp_path / "run"
    result = run_cli("run", override, f"out={out}", "miners=50", "months=2")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_cli_multirun_validates_every_job_before_running(tmp_path):
    result = run_cli("run", "--multirun", "scenario=baseline,atlantis", "miners=50", "months=2",
                     cwd=tmp_path)
    assert result.returncode == 2
    assert "atlantis" in result.stderr
    assert not (tmp_path / "results").exists()


def test_every_number_has_a_finite_range():
    """Every numeric key, in the config and in shock and schedule entries, has both bounds."""
    import math

    from asmsim.config.params import iter_params
    from asmsim.config.schema import ScheduledChange, Shock

    for node in (Config(), Shock(), ScheduledChange()):
        for key, field, value in iter_params(node):
            if isinstance(value, (int, float)) and not isinstance(value, bool) \
                    and key != "value":
                lo, hi = field.metadata.get("lo"), field.metadata.get("hi")
                assert lo is not None and hi is not None, key
                assert math.isfinite(lo) and math.isfinite(hi) and lo <= value <= hi, key


def test_text_values_with_any_characters_reach_the_config():
    """Hydra cannot read ``out=résultats/étude`` unquoted; asmsim quotes it for Hydra."""
    config = load_config(["out=résultats/étude", "description=une étude, deux scénarios"])
    assert config.out == "résultats/étude"
    assert config.description == "une étude, deux scénarios"


def test_environment_interpolation_is_never_resolved(monkeypatch):
    monkeypatch.setenv("ASMSIM_SECRET", "hunter2")
    for text in ("description=${oc.env:ASMSIM_SECRET}", "out='${oc.env:ASMSIM_SECRET}'"):
        with pytest.raises(ConfigError, match="interpolation") as info:
            load_config([text])
        assert "hunter2" not in str(info.value)


def test_shocks_and_changes_inside_the_run_are_accepted():
    config = load_config(["months=24", "context.shocks=[{kind: flood, month: 24}]",
                          ("policy_schedule=[{month: 24, key: policy.market.royalty_rate, "
                          "value: 0.02}]")])
    assert config.context.shocks[0].month == 24 and config.policy_schedule[0].value == 0.02
