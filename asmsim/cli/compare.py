"""``asmsim compare [scenarios=[a,b,...]] [baseline=NAME] [replicates=20] [months=M] [miners=K]
[seed=N] [jobs=J] [out=DIR] [posterior=NAME draws=50] [headline=[a,b,...]]
[discount_rate=0.1] [any.config.key=value ...]``.

Runs every scenario with the same replicate seeds (common random numbers), all
runs in one parallel batch, and writes a comparison folder (default
``results/comparisons/<timestamp>/``)::

    comparison.csv       per scenario × output: mean, 95 % CI, paired difference
                         from the baseline with its 95 % CI, significant, relative %
                         (outputs that grow with the sector also ``_per_miner``)
    per_year.csv         yearly means of the headline outputs, paired differences
    fiscal.csv           totals over the horizon: revenue, spending by category, net
                         fiscal cost (also discounted), tax gap, gold sold officially,
                         mercury, accidents, people licensed / in poverty / who left
    cost_effectiveness.csv  net cost per additional licensed miner, per additional kg
                         sold officially, per kg of mercury and per accident avoided
                         ("n/a" with the reason where the gain is not clearly > 0)
    distribution.csv     per scenario × group (gender, role, legal status): income,
                         poverty, debt, injuries, people who left mining or are poor,
                         paired differences from the baseline
    comparison.xlsx      the tables above, one sheet each, and the scenario definitions
    timeseries.parquet   monthly outputs of every scenario and replicate
                         (scenario, replicate, seed columns)
    outcomes.png         differences from the baseline with 95 % CIs, key outputs
    trajectories.png     median and 90 % band over time per scenario, key outputs
    config.yaml          resolved configuration of every scenario (scenario → config)
    manifest.json        provenance, seeds, wall time
    report.md            brief-ready report: a summary of what changed most (or the
                         ``headline=`` outputs), settings, what the intervals cover,
                         findings, tables, who gains and who loses, costs and
                         cost-effectiveness, figures

With ``posterior=NAME`` (a calibration under ``results/calibration/`` or its
folder), replicate *i* of every scenario runs posterior draw *i* with seed *i*
(``draws=N`` replicates, default 50): the intervals then cover parameter
uncertainty as well as seed noise.

The baseline (``baseline=NAME``, default ``baseline``) is added to the compared
scenarios automatically when it is not listed. Everything is validated before
any run; a problem is one line and exit code 2, and nothing is written.
"""

from __future__ import annotations

from asmsim.analysis.sensitivity.study import whole
from asmsim.cli.args import split_flags
from asmsim.config import ConfigError
from asmsim.config.posterior import MAX_DRAWS
from asmsim.workflows.compare_plan import DEFAULT_BASELINE, DEFAULT_SCENARIOS, plan


def parse_names(value: str) -> list[str]:
    """``[a,b]``, ``a,b`` or ``a`` → ``["a", "b"]`` (whitespace ignored)."""
    return [n.strip() for n in value.strip().strip("[]").split(",") if n.strip()]


def rate(text: str) -> float:
    """``discount_rate=`` as a number in [0, 1]."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0.0 <= value <= 1.0:
        raise ConfigError(f"discount_rate={text!r} is not allowed; expected a number in [0, 1] "
                          "(a year; 0.1 = 10 %)")
    return value


def parse(args: list[str]) -> tuple[list[str] | None, str, list[str], dict]:
    """The command line → (scenarios or None for the default, baseline, shared overrides,
    the posterior's keys)."""
    _, rest = split_flags(args, ())
    scenarios, baseline, overrides, uncertainty = None, DEFAULT_BASELINE, [], {}
    for arg in rest:
        key, _, value = arg.partition("=")
        if key == "scenarios":
            scenarios = parse_names(value)
        elif key == "baseline":
            baseline = value.strip()
        elif key == "posterior":
            uncertainty["posterior"] = value.strip()
        elif key == "draws":
            uncertainty["draws"] = whole("draws", value, 2, MAX_DRAWS)
        elif key == "headline":
            uncertainty["headline"] = parse_names(value)
        elif key == "discount_rate":
            uncertainty["discount_rate"] = rate(value)
        else:
            overrides.append(arg)
    return scenarios, baseline, overrides, uncertainty


def main(args: list[str]) -> int:
    """Compare, write the folder (``out=`` or the default), print the findings."""
    scenarios, baseline, overrides, uncertainty = parse(args)
    # validated before the model, Mesa and the analysis load (compare validates it again)
    plan(DEFAULT_SCENARIOS if scenarios is None else scenarios, baseline, overrides,
         uncertainty.get("posterior"), uncertainty.get("draws"))
    from asmsim.present.compare_report import intervals_cover
    from asmsim.workflows.compare import compare

    result = compare(scenarios, overrides, baseline=baseline, out=True,
                     notify=lambda note: print(f"note: {note}"), **uncertainty)
    cfg = result.configs[result.baseline]
    print(f"\n{len(result.configs)} scenarios × {cfg.replicates} replicates (common random "
          f"numbers), {cfg.miners} miners, {cfg.months} months, {result.wall_time_s:.1f} s")
    print(f"intervals cover: {intervals_cover(result.manifest)}")
    print(f"differences from '{result.baseline}', last-12-month means, 95 % paired intervals:")
    for sentence in result.findings():
        print(f"  - {sentence}")
    print(f"results: {result.folder}")
    return 0
