"""``asmsim run [scenario=NAME] [seed=N] [months=M] [miners=K] [replicates=R] [jobs=J] [out=DIR]
[any.config.key=value ...] [--multirun]``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from asmsim.cli.args import expand_sweeps, split_flags
from asmsim.config import load_config

if TYPE_CHECKING:
    from asmsim.workflows.run import RunResult

HEADLINE = ("licensed_share", "official_sales_share", "coop_share", "income_mean_usd",
            "women_men_income_ratio", "mercury_kg", "state_net_revenue_usd", "illicit_flow_usd",
            "active_miners")


def main(args: list[str]) -> int:
    flags, overrides = split_flags(args, ("--multirun", "-m"))
    runs = expand_sweeps(overrides) if flags else [overrides]
    if not flags and any("," in o.split("=", 1)[-1] and "[" not in o for o in overrides):
        print("note: a value with ',' is a sweep only with --multirun", file=sys.stderr)
    configs = [load_config(run) for run in runs]  # validate everything before any run
    # the model, Mesa, SciPy and Matplotlib load only now: bad input is answered in ≈ 1 s
    from asmsim.results.output import check_output
    from asmsim.workflows.run import run_config, run_folder

    if len(configs) > 1:
        outs = [c.out for c in configs]
        if any(outs) and len(set(outs)) < len(outs):
            raise_same_out()
    for config in configs:  # every output folder is checked before any run
        check_output(run_folder(config))
    for config in configs:
        print_summary(run_config(config))
    return 0


def raise_same_out() -> None:
    from asmsim.config import ConfigError

    raise ConfigError("out=... is shared by several --multirun jobs; drop out= (each job gets "
                      "its own folder) or sweep it too")


def print_summary(result: RunResult) -> None:
    """The headline outputs of a finished run (mean and 95 % interval) and its folder."""
    config, folder, wall = result.config, result.folder, result.wall_time_s
    rows = result.summary.set_index("output").loc[list(HEADLINE)]
    print(f"\nscenario '{config.scenario_name}': {config.miners} miners, {config.months} months, "
          f"{config.replicates} replicate(s), {wall:.1f} s")
    print("last-12-month means" + (" with 95 % interval" if config.replicates > 1 else ""))
    width = max(len(name) for name in rows.index)
    for name, row in rows.iterrows():
        interval = "" if row["ci95_low"] != row["ci95_low"] else \
            f"  [{row['ci95_low']:.4g}, {row['ci95_high']:.4g}]"
        print(f"  {name:<{width}}  {row['mean']:>12.4g} {row['unit']:<10}{interval}")
    print(f"results: {folder}")
