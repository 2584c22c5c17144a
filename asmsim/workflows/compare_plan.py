"""A comparison validated before anything runs: :func:`plan` (``asmsim compare``'s checks).

Only the configuration layer is imported here, not the model, Mesa or the analysis,
so that ``asmsim compare`` refuses bad input before those load (the comparison
itself is :func:`asmsim.workflows.compare.compare`).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path

from asmsim.config import Config, ConfigError, load_config

DEFAULT_SCENARIOS = ["baseline", "legal", "market", "social", "finance", "integrated"]
DEFAULT_BASELINE = "baseline"
DEFAULT_REPLICATES = 20
DEFAULT_DRAWS = 50  # posterior draws (replicates) when a comparison carries a posterior
#: Keys that describe a scenario, not its model: ignored when spotting identical scenarios.
NAME_KEYS = ("scenario_name", "description")


@dataclasses.dataclass
class Plan:
    """A validated comparison: scenario name → Config, the baseline and shared overrides."""

    configs: dict[str, Config]
    baseline: str
    overrides: list[str]
    added_baseline: bool
    posterior: str | None = None  # the calibration whose parameter draws the replicates use
    draws: list[dict[str, float]] | None = None  # replicate i's parameters (config key -> value)

    @property
    def first(self) -> Config:
        return self.configs[self.baseline]

    @property
    def seeds(self) -> list[int]:
        """The replicate seeds every scenario runs with (common random numbers)."""
        from asmsim.run.api import replicate_seeds

        return replicate_seeds(self.first.seed, self.first.replicates)


def label(scenario: str) -> str:
    """A scenario's name in tables: a preset's name, or a scenario file's name (its stem)."""
    from asmsim.config.scenarios import is_path

    return Path(scenario).stem if is_path(scenario) else scenario


def check_headline(headline: Sequence[str] | None) -> None:
    """Every headline output is an output column (or its ``_per_miner`` version)."""
    from asmsim.analysis.compare import OUTCOME_COLUMNS, SCALES_WITH_SECTOR
    from asmsim.config.validate import unknown_key

    allowed = [*OUTCOME_COLUMNS, *(f"{c}_per_miner" for c in SCALES_WITH_SECTOR)]
    for name in headline or []:
        if name not in allowed:
            raise unknown_key(name, allowed, where="headline")


def plan(scenarios: Sequence[str], baseline: str, overrides: Sequence[str],
         posterior: str | Path | None = None, draws: int | None = None) -> Plan:
    """Validate a comparison completely (no run, no file); raise ConfigError.

    With ``posterior`` (a calibration, see :mod:`asmsim.config.posterior`),
    replicate *i* of every scenario runs posterior draw *i* with seed *i*: ``draws``
    replicates (default 50) whose spread covers parameter uncertainty and seed noise."""
    if draws is not None and posterior is None:
        raise ConfigError("draws= needs posterior=NAME (a calibration's posterior)")
    if posterior is not None:
        if any(o.startswith("replicates=") for o in overrides):
            raise ConfigError("with posterior=, each replicate is one posterior draw: give "
                              "draws=N instead of replicates=")
        overrides = [*overrides, f"replicates={DEFAULT_DRAWS if draws is None else draws}"]
    if any(o.partition("=")[0] == "scenario" for o in overrides):
        raise ConfigError("compare takes scenarios=[a,b,...] (and baseline=NAME), not scenario=")
    overrides = list(overrides)
    scenarios = list(scenarios)
    duplicated = sorted({n for n in scenarios if scenarios.count(n) > 1})
    if duplicated:
        raise ConfigError(f"scenario '{duplicated[0]}' is listed twice; a scenario compared "
                          "with itself shows only noise")
    added = baseline not in scenarios
    scenarios = [baseline, *scenarios] if added else list(scenarios)
    if len(scenarios) < 2:
        raise ConfigError(f"compare needs at least one scenario besides the baseline "
                          f"'{baseline}'; list it in scenarios=[...]")
    if not any(o.startswith("replicates=") for o in overrides):
        overrides = [f"replicates={DEFAULT_REPLICATES}", *overrides]
    configs = {label(name): load_config([f"scenario={name}", *overrides]) for name in scenarios}
    if len(configs) < len(scenarios):
        raise ConfigError("two scenario files have the same name "
                          f"({', '.join(scenarios)}); rename one")
    baseline = label(baseline)
    replicates = configs[baseline].replicates
    if replicates < 2:
        raise ConfigError(f"replicates={replicates}: a comparison needs at least 2 replicates "
                          "to tell a policy effect from noise (20 recommended)")
    _refuse_identical(configs)
    if posterior is None:
        return Plan(configs, baseline, overrides, added)
    from asmsim.config.posterior import draws as posterior_draws
    from asmsim.config.posterior import load_posterior

    values = posterior_draws(load_posterior(posterior), replicates)
    for config in configs.values():  # every draw must be valid in every scenario
        for drawn in values:
            with_values(config, drawn)
    return Plan(configs, baseline, overrides, added, str(posterior), values)


def with_values(config: Config, values: dict[str, float]) -> Config:
    """A copy of ``config`` with config keys set to ``values`` (validated)."""
    import copy

    from asmsim.config.validate import set_key, validate

    out = copy.deepcopy(config)
    for key, value in values.items():
        set_key(out, key, value)
    validate(out)
    return out


def _refuse_identical(configs: dict[str, Config]) -> None:
    """Two scenarios with the same model configuration would be compared with themselves."""
    seen: dict[str, str] = {}
    for name, config in configs.items():
        body = {k: v for k, v in dataclasses.asdict(config).items() if k not in NAME_KEYS}
        key = json.dumps(body, sort_keys=True, default=str)
        if key in seen:
            raise ConfigError(f"scenarios '{seen[key]}' and '{name}' have the same configuration;"
                              " a scenario compared with itself shows only noise")
        seen[key] = name
