"""Comparing scenarios under common random numbers: ``asmsim compare`` and :func:`asmsim.compare`.

Every scenario runs with the same replicate seeds, all runs in one parallel
batch; :func:`asmsim.analysis.compare.compare` makes the comparison table
(paired differences from the baseline with 95 % intervals). Given a folder,
the tables are written through :mod:`asmsim.results` with the figures of
:mod:`asmsim.present.compare_plots` and the ``report.md`` of
:mod:`asmsim.present.compare_report` (the files are listed in docs/compare.md).
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from asmsim.analysis import costs
from asmsim.analysis import distribution as dist
from asmsim.analysis.compare import compare as compare_table
from asmsim.analysis.compare import per_year, top_changes
from asmsim.config import Config, ConfigError
from asmsim.present.compare_report import findings, report_markdown
from asmsim.results.manifest import build_manifest
from asmsim.results.output import staged_folder
from asmsim.results.run_folder import configs_yaml, default_folder, write_folder
from asmsim.run.replicates import run_tasks
from asmsim.workflows.compare_plan import (  # noqa: F401 (the validation, re-exported)
    DEFAULT_BASELINE,
    DEFAULT_DRAWS,
    DEFAULT_REPLICATES,
    DEFAULT_SCENARIOS,
    NAME_KEYS,
    Plan,
    check_headline,
    label,
    plan,
    with_values,
)

#: Outputs the per-year table always holds (with the summary's headline outputs).
DEFAULT_YEARLY = ("licensed_share", "official_sales_share", "income_mean_usd", "active_miners",
                  "mercury_kg", "state_net_revenue_usd")


@dataclasses.dataclass
class Comparison:
    """A finished comparison: the tables a comparison folder holds, and that folder.

    ``table`` is ``comparison.csv`` (one row per scenario × output, see
    :func:`asmsim.analysis.compare.compare`); ``timeseries`` is
    ``timeseries.parquet`` (every month of every scenario and replicate, with
    ``scenario``, ``replicate`` and ``seed`` columns); ``configs`` the resolved
    configuration of each scenario; ``folder`` is None when nothing was written.
    """

    table: pd.DataFrame
    timeseries: pd.DataFrame
    baseline: str
    configs: dict[str, Config]
    manifest: dict
    folder: Path | None
    wall_time_s: float
    added_baseline: bool
    fiscal: pd.DataFrame | None = None       # fiscal.csv: totals over the horizon
    ratios: pd.DataFrame | None = None       # cost_effectiveness.csv
    per_year: pd.DataFrame | None = None     # per_year.csv: yearly means of the headlines
    top: pd.DataFrame | None = None          # what changed most (or the headline outputs)
    discount_rate: float = costs.DEFAULT_DISCOUNT_RATE
    distribution: pd.DataFrame | None = None  # distribution.csv: by gender, role, legal status

    @property
    def scenarios(self) -> list[str]:
        return list(self.configs)

    def findings(self) -> list[str]:
        """One plain sentence per key output (as in ``report.md``)."""
        return findings(self.table, self.baseline)


def run_all(p: Plan, progress: bool = True) -> pd.DataFrame:
    """Every scenario × replicate in one parallel batch; one long table."""
    seeds = p.seeds
    names = list(p.configs)
    if p.draws is None:
        tasks = [(p.configs[name], seed) for name in names for seed in seeds]
    else:  # replicate i: posterior draw i, seed i (paired across scenarios)
        tasks = [(with_values(p.configs[name], p.draws[i]), seed) for name in names
                 for i, seed in enumerate(seeds)]
    tables = run_tasks(tasks, jobs=p.first.jobs, desc=f"compare {len(names)} scenarios",
                       progress=progress)
    for i, table in enumerate(tables):
        table.insert(0, "seed", seeds[i % len(seeds)])
        table.insert(0, "replicate", i % len(seeds))
        table.insert(0, "scenario", names[i // len(seeds)])
    return pd.concat(tables, ignore_index=True)


def output_folder(out: str | Path | bool | None, config: Config) -> Path | None:
    """Where to write: ``out`` itself; with ``out=True`` the ``out=`` key or
    ``results/comparisons/<timestamp>``; None (nothing written) when ``out`` is None or False.
    """
    if out is None or out is False:
        return None
    if out is True:
        return Path(config.out) if config.out else default_folder("comparisons", "")
    return Path(out)


def manifest_of(p: Plan, wall_time_s: float) -> dict:
    """The comparison's ``manifest.json``: provenance, scenarios, seeds, wall time (s)."""
    cfg = p.first
    return build_manifest(kind="comparison", scenarios=list(p.configs), baseline=p.baseline,
                          seed=cfg.seed, replicate_seeds=p.seeds, replicates=cfg.replicates,
                          months=cfg.months, miners=cfg.miners, overrides=p.overrides,
                          common_random_numbers=True, posterior=p.posterior,
                          posterior_draws=p.draws, wall_time_s=round(wall_time_s, 3))


def scenario_definitions(configs: dict[str, Config], overrides: list[str]) -> pd.DataFrame:
    """One row per scenario: its name, description and the overrides shared by all."""
    return pd.DataFrame([{"scenario": name, "description": config.description,
                          "shared_overrides": " ".join(overrides)}
                         for name, config in configs.items()])


def write_comparison(folder: Path, result: Comparison) -> Path:
    """Write the comparison folder: tables, workbook, figures, configurations, manifest,
    report.md."""
    # matplotlib (Agg backend) is imported only when figures are drawn.
    from asmsim.present import plots
    from asmsim.present.compare_plots import outcomes_figure, trajectories_figure
    from asmsim.present.compare_report import distribution_markdown, fiscal_markdown
    from asmsim.results.excel import write_workbook

    figures = {"outcomes.png": outcomes_figure(result.table, result.baseline),
               "trajectories.png": trajectories_figure(result.timeseries, result.baseline)}
    fiscal = fiscal_markdown(result.fiscal, result.ratios, result.baseline,
                             result.discount_rate)
    tables = {"comparison": result.table, "per_year": result.per_year, "fiscal": result.fiscal,
              "cost_effectiveness": result.ratios, "distribution": result.distribution}
    tables = {name: table for name, table in tables.items() if table is not None}
    who = "" if result.distribution is None else \
        distribution_markdown(result.distribution, result.baseline, result.manifest["months"])
    write_folder(folder, {**{f"{name}.csv": t for name, t in tables.items()},
                          "timeseries.parquet": result.timeseries, **figures,
                          "config.yaml": configs_yaml(result.configs)})
    write_workbook(folder / "comparison.xlsx",
                   {**tables, "scenarios": scenario_definitions(result.configs,
                                                                result.manifest["overrides"])},
                   units={"distribution": dist.units()})
    write_folder(folder, {"manifest.json": result.manifest,
                          "report.md": report_markdown(result.table, result.manifest,
                                                       result.top, fiscal, who)})
    plots.close(figures.values())
    return folder


def compare(scenarios: Sequence[str] | str | None = None, overrides: Sequence[str] = (), *,
            baseline: str = DEFAULT_BASELINE, replicates: int | None = None,
            seed: int | None = None, months: int | None = None, miners: int | None = None,
            jobs: int | None = None, out: str | Path | bool | None = None,
            progress: bool = True, notify: Callable[[str], None] | None = None,
            posterior: str | Path | None = None, draws: int | None = None,
            discount_rate: float = costs.DEFAULT_DISCOUNT_RATE,
            headline: Sequence[str] | None = None) -> Comparison:
    """Compare scenario presets with common random numbers; write a folder if ``out`` is given.

    ``scenarios``: preset names (default: the six main presets); ``baseline``
    is added to them when missing. ``overrides``: ``key=value`` config
    overrides applied to every scenario. ``replicates`` (default 20, at least
    2), ``seed`` (master seed), ``months``, ``miners`` (at month 0) and
    ``jobs`` (worker processes, 0 = all cores) are shorthands for the
    overrides of the same name; None keeps the config default.

    ``out``: None writes nothing; a path writes the comparison folder there
    (the files of ``asmsim compare``); True writes it to the ``out=`` override
    or ``results/comparisons/<timestamp>/``. ``progress`` shows a progress
    bar; ``notify`` is called with a one-line note before the runs start
    (the baseline was added). ``posterior`` (a calibration name or folder) and
    ``draws`` (default 50) run replicate *i* of every scenario with posterior draw
    *i*, so the intervals include parameter uncertainty (see :func:`plan`).
    ``discount_rate`` (a year, default 10 %) discounts the fiscal totals;
    ``headline`` names the outputs the summary leads with (default: the 5 that changed
    most beyond noise). Everything is validated before any run: a problem raises
    :class:`asmsim.config.ConfigError` and writes nothing.

    >>> result = compare(["legal"], miners=300, months=24, replicates=2)
    >>> result.table.query("output == 'licensed_share'")[["scenario", "diff"]]
    """
    names = (DEFAULT_SCENARIOS if scenarios is None else
             [scenarios] if isinstance(scenarios, str) else list(scenarios))
    shorthands = {"replicates": replicates, "seed": seed, "months": months, "miners": miners,
                  "jobs": jobs}
    p = plan(names, baseline, [*overrides, *(f"{key}={value}" for key, value in
                                             shorthands.items() if value is not None)],
             posterior, draws)
    check_headline(headline)
    if not (isinstance(discount_rate, (int, float)) and 0 <= discount_rate <= 1):
        raise ConfigError(f"discount_rate={discount_rate!r} is not allowed; expected a number "
                          "in [0, 1] (a year; 0.1 = 10 %)")
    if p.added_baseline and notify is not None:
        notify(f"baseline '{p.baseline}' added to the compared scenarios")
    folder = output_folder(out, p.first)
    # the folder is checked and locked before any run, and appears only once complete
    with staged_folder(folder) if folder is not None else contextlib.nullcontext() as stage:
        started = time.perf_counter()
        timeseries = run_all(p, progress)
        wall = time.perf_counter() - started
        table = compare_table(timeseries, p.baseline)
        totals = costs.fiscal_totals(timeseries, discount_rate)
        manifest = manifest_of(p, wall) | {"discount_rate": discount_rate,
                                           "headline": list(headline or [])}
        top = top_changes(table, p.baseline, headline=list(headline or []) or None)
        yearly = per_year(timeseries, p.baseline,
                          list(headline or []) or list(dict.fromkeys(
                              [*top["output"].str.removesuffix("_per_miner"),
                               *DEFAULT_YEARLY])))
        result = Comparison(table, timeseries, p.baseline, p.configs, manifest, folder, wall,
                            p.added_baseline, costs.fiscal_table(totals, p.baseline),
                            costs.cost_effectiveness(totals, p.baseline), yearly, top,
                            discount_rate, dist.distribution(timeseries, p.baseline))
        if stage is not None:
            write_comparison(stage, result)
    return result
