"""``asmsim robustness policies=[a,b,...] [futures=100] ['require.OUTPUT>=VALUE' ...]
[posterior=status_quo|none] [jobs=J] [cluster=ADDRESS] [out=DIR] [seed=S]
[progress=true|false] [any.config.key=value ...]``.

Runs every policy (a scenario preset or file) in an ensemble of futures (gold price
level, trust and the calibrated behavioural parameters — within the shipped calibration's
posterior, 5-95 % intervals, or with ``posterior=none`` over their prior ranges — by
Latin hypercube) with common
random numbers, then reports each policy's regret against the best policy in each
future, the share of futures meeting the analyst's requirements, and (PRIM, EMA
Workbench) the conditions under which a policy fails. Resumable with the same ``out=``;
progress with ETA. Examples::

  asmsim robustness policies=[baseline,royalty_cut,official_buying] futures=200 \\
      'require.official_sales_share>=0.1' miners=1000 months=60

(Quote each requirement: an unquoted ``>`` is a redirection in the shell.) A problem in the arguments is one line and exit code 2; nothing is run.
"""

from __future__ import annotations

from asmsim.cli.compare import parse_names
from asmsim.config import ConfigError

KEYS = ("policies", "futures", "jobs", "cluster", "out", "seed", "progress", "posterior")


def main(args: list[str]) -> int:
    from asmsim.analysis.sensitivity.study import whole
    from asmsim.cli.sensitivity import _flag
    from asmsim.workflows.robustness_plan import MAX_FUTURES, check_policies

    opts, requirements, overrides = {}, [], []
    for arg in args:
        if arg.startswith("require."):
            requirements.append(arg)
            continue
        key, sep, value = arg.partition("=")
        if not sep:
            raise ConfigError(f"argument '{arg}' is not key=value")
        if key in KEYS:
            opts[key] = value
        else:
            overrides.append(arg)
    if "policies" not in opts:
        raise ConfigError("missing policies=[a,b,...] (scenario presets or files to compare)")
    policies = parse_names(opts["policies"])
    futures = whole("futures", opts.get("futures", "100"), 2, MAX_FUTURES)
    seed = whole("seed", opts.get("seed", "1"), 0, 2**31 - 1)
    jobs = whole("jobs", opts.get("jobs", "0"), 0, 1024)
    progress = _flag(opts, "progress")
    check_policies(policies, futures, overrides)  # before the model loads
    from asmsim.workflows.robustness import robustness

    result = robustness(policies, futures=futures, requirements=requirements,
                        overrides=overrides, seed=seed, jobs=jobs,
                        cluster=opts.get("cluster") or None, out=opts.get("out") or None,
                        progress=progress, posterior=opts.get("posterior"))
    for row in result.requirements.itertuples(index=False):
        print(f"  {row.policy}: meets all requirements in {row[-2]:.0%} of the futures")
    for box in result.boxes:
        print(f"  {box.policy} fails mostly where {box.description} "
              f"(coverage {box.coverage:.0%}, density {box.density:.0%})")
    print(f"wrote {result.out / 'report.md'}")
    return 0
