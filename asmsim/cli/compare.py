"""``asmsim compare [scenarios=[a,b,...]] [baseline=NAME] [replicates=20] [months=M] [miners=K]
[seed=N] [jobs=J] [out=DIR] [any.config.key=value ...]``.

Runs every scenario with the same replicate seeds (common random numbers), all
runs in one parallel batch, and writes a comparison folder (default
``results/comparisons/<timestamp>/``)::

    comparison.csv       per scenario × output: mean, 95 % CI, paired difference
                         from the baseline with its 95 % CI, significant, relative %
    timeseries.parquet   monthly outputs of every scenario and replicate
                         (scenario, replicate, seed columns)
    outcomes.png         differences from the baseline with 95 % CIs, key outputs
    trajectories.png     median and 90 % band over time per scenario, key outputs
    config.yaml          resolved configuration of every scenario (scenario → config)
    manifest.json        provenance, seeds, wall time
    report.md            brief-ready report: settings, table, figures, one sentence
                         per key output

The baseline (``baseline=NAME``, default ``baseline``) is added to the compared
scenarios automatically when it is not listed. Everything is validated before
any run; a problem is one line and exit code 2, and nothing is written.
"""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import pandas as pd
import yaml

from asmsim.analysis.compare import compare
from asmsim.cli.args import split_flags
from asmsim.config import Config, ConfigError, group_options, load_config
from asmsim.results import atomic
from asmsim.results.manifest import build_manifest
from asmsim.results.run_folder import default_folder
from asmsim.run.api import replicate_seeds
from asmsim.run.replicates import run_tasks

DEFAULT_SCENARIOS = ["baseline", "legal", "market", "social", "finance", "integrated"]
DEFAULT_BASELINE = "baseline"
DEFAULT_REPLICATES = 20
#: Keys that describe a scenario, not its model: ignored when spotting identical scenarios.
NAME_KEYS = ("scenario_name", "description")


@dataclasses.dataclass
class Plan:
    """A validated comparison: scenario name → Config, the baseline and shared overrides."""

    configs: dict[str, Config]
    baseline: str
    overrides: list[str]
    added_baseline: bool

    @property
    def first(self) -> Config:
        return self.configs[self.baseline]


def parse_names(value: str) -> list[str]:
    """``[a,b]``, ``a,b`` or ``a`` → ``["a", "b"]`` (whitespace ignored)."""
    return [n.strip() for n in value.strip().strip("[]").split(",") if n.strip()]


def plan(args: list[str]) -> Plan:
    """Validate the command line completely (no run, no file); raise ConfigError."""
    _, rest = split_flags(args, ())
    scenarios, baseline, overrides = DEFAULT_SCENARIOS, DEFAULT_BASELINE, []
    for arg in rest:
        key, _, value = arg.partition("=")
        if key == "scenarios":
            scenarios = parse_names(value)
        elif key == "baseline":
            baseline = value.strip()
        elif key == "scenario":
            raise ConfigError("compare takes scenarios=[a,b,...] (and baseline=NAME), "
                              "not scenario=")
        else:
            overrides.append(arg)
    available = group_options("scenario")
    for name in [*scenarios, baseline]:
        if name not in available:
            raise ConfigError(f"unknown scenario '{name}'; available: {', '.join(available)}")
    duplicated = sorted({n for n in scenarios if scenarios.count(n) > 1})
    if duplicated:
        raise ConfigError(f"scenario '{duplicated[0]}' is listed twice; a scenario compared "
                          "with itself shows only noise")
    added = baseline not in scenarios
    scenarios = [baseline, *scenarios] if added else scenarios
    if len(scenarios) < 2:
        raise ConfigError(f"compare needs at least one scenario besides the baseline "
                          f"'{baseline}'; list it in scenarios=[...]")
    if not any(o.startswith("replicates=") for o in overrides):
        overrides = [f"replicates={DEFAULT_REPLICATES}", *overrides]
    configs = {name: load_config([f"scenario={name}", *overrides]) for name in scenarios}
    replicates = configs[baseline].replicates
    if replicates < 2:
        raise ConfigError(f"replicates={replicates}: a comparison needs at least 2 replicates "
                          "to tell a policy effect from noise (20 recommended)")
    _refuse_identical(configs)
    return Plan(configs, baseline, overrides, added)


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


def run_all(p: Plan) -> pd.DataFrame:
    """Every scenario × replicate in one parallel batch; one long table."""
    cfg = p.first
    seeds = replicate_seeds(cfg.seed, cfg.replicates)
    names = list(p.configs)
    tasks = [(p.configs[name], seed) for name in names for seed in seeds]
    tables = run_tasks(tasks, jobs=cfg.jobs, desc=f"compare {len(names)} scenarios")
    for i, table in enumerate(tables):
        table.insert(0, "seed", seeds[i % len(seeds)])
        table.insert(0, "replicate", i % len(seeds))
        table.insert(0, "scenario", names[i // len(seeds)])
    return pd.concat(tables, ignore_index=True)


def output_folder(config: Config) -> Path:
    """``out=`` or ``results/comparisons/<timestamp>``."""
    return Path(config.out) if config.out else default_folder("comparisons", "")


def main(args: list[str]) -> int:
    from asmsim.present.compare_plots import outcomes_figure, trajectories_figure
    from asmsim.present.compare_report import findings, report_markdown

    p = plan(args)
    cfg = p.first
    if p.added_baseline:
        print(f"note: baseline '{p.baseline}' added to the compared scenarios")
    started = time.perf_counter()
    timeseries = run_all(p)
    wall = time.perf_counter() - started
    table = compare(timeseries, p.baseline)
    folder = output_folder(cfg)
    seeds = replicate_seeds(cfg.seed, cfg.replicates)
    manifest = build_manifest(kind="comparison", scenarios=list(p.configs), baseline=p.baseline,
                              seed=cfg.seed, replicate_seeds=seeds, replicates=cfg.replicates,
                              months=cfg.months, miners=cfg.miners, overrides=p.overrides,
                              common_random_numbers=True, wall_time_s=round(wall, 3))
    folder.mkdir(parents=True, exist_ok=True)
    atomic.write_csv(folder / "comparison.csv", table)
    atomic.write_parquet(folder / "timeseries.parquet", timeseries)
    atomic.save_figure(folder / "outcomes.png", outcomes_figure(table, p.baseline))
    atomic.save_figure(folder / "trajectories.png", trajectories_figure(timeseries, p.baseline))
    atomic.write_text(folder / "config.yaml", yaml.safe_dump(
        {n: dataclasses.asdict(c) for n, c in p.configs.items()}, sort_keys=False,
        allow_unicode=True))
    atomic.write_text(folder / "manifest.json", json.dumps(manifest, indent=2, default=str))
    atomic.write_text(folder / "report.md", report_markdown(table, manifest))
    print(f"\n{len(p.configs)} scenarios × {cfg.replicates} replicates (common random numbers), "
          f"{cfg.miners} miners, {cfg.months} months, {wall:.1f} s")
    print(f"differences from '{p.baseline}', last-12-month means, 95 % paired intervals:")
    for sentence in findings(table, p.baseline):
        print(f"  - {sentence}")
    print(f"results: {folder}")
    return 0
