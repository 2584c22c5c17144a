"""``asmsim run [scenario=NAME] [seed=N] [months=M] [miners=K] [replicates=R] [jobs=J] [out=DIR]
[any.config.key=value ...] [--multirun]``."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from asmsim.cli.args import expand_sweeps, split_flags
from asmsim.config import load_config
from asmsim.results.manifest import build_manifest
from asmsim.results.run_folder import default_folder, write_run
from asmsim.results.summary import summarise
from asmsim.run.api import replicate_seeds
from asmsim.run.replicates import run_replicates

HEADLINE = ("licensed_share", "official_sales_share", "coop_share", "income_mean_usd",
            "women_men_income_ratio", "mercury_kg", "state_net_revenue_usd", "illicit_flow_usd",
            "active_miners")


def main(args: list[str]) -> int:
    flags, overrides = split_flags(args, ("--multirun", "-m"))
    runs = expand_sweeps(overrides) if flags else [overrides]
    if not flags and any("," in o.split("=", 1)[-1] and "[" not in o for o in overrides):
        print("note: a value with ',' is a sweep only with --multirun", file=sys.stderr)
    configs = [load_config(run) for run in runs]  # validate everything before any run
    if len(configs) > 1:
        outs = [c.out for c in configs]
        if any(outs) and len(set(outs)) < len(outs):
            raise_same_out()
    for config in configs:
        run_one(config)
    return 0


def raise_same_out() -> None:
    from asmsim.config import ConfigError

    raise ConfigError("out=... is shared by several --multirun jobs; drop out= (each job gets "
                      "its own folder) or sweep it too")


def run_one(config) -> Path:
    """Run the replicates of one config, write its folder, print the summary."""
    started = time.perf_counter()
    timeseries = run_replicates(config, progress=config.replicates > 1)
    wall = time.perf_counter() - started
    summary = summarise(timeseries)
    folder = Path(config.out) if config.out else default_folder("runs", config.scenario_name)
    manifest = build_manifest(scenario=config.scenario_name, seed=config.seed,
                              replicate_seeds=replicate_seeds(config.seed, config.replicates),
                              replicates=config.replicates, months=config.months,
                              miners=config.miners, wall_time_s=round(wall, 3))
    write_run(folder, config, timeseries, summary, manifest)
    print_summary(config, summary, folder, wall)
    return folder


def print_summary(config, summary, folder: Path, wall: float) -> None:
    rows = summary.set_index("output").loc[list(HEADLINE)]
    print(f"\nscenario '{config.scenario_name}': {config.miners} miners, {config.months} months, "
          f"{config.replicates} replicate(s), {wall:.1f} s")
    print("last-12-month means" + (" with 95 % interval" if config.replicates > 1 else ""))
    width = max(len(name) for name in rows.index)
    for name, row in rows.iterrows():
        interval = "" if row["ci95_low"] != row["ci95_low"] else \
            f"  [{row['ci95_low']:.4g}, {row['ci95_high']:.4g}]"
        print(f"  {name:<{width}}  {row['mean']:>12.4g} {row['unit']:<10}{interval}")
    print(f"results: {folder}")
