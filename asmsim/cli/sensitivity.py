"""``asmsim sensitivity experiment=NAME [n=..] [jobs=..] [cluster=ADDRESS] [out=DIR] [chunk=..]
[progress=true|false]``.

Runs (or resumes) a Sobol or Morris study and writes samples, runs, indices,
plots and a report. Keys:

  experiment  a study name under experiments/ or the path of a study YAML file
  n           overrides the study's base sample size N (Morris: trajectories)
  jobs        local worker processes (default: all cores)
  cluster     tcp://HOST:PORT of a running Dask scheduler (instead of local processes)
  out         output folder (default results/studies/<study name>/); started again
              with the same study it continues from the finished runs
  chunk       sample points per task (default: chosen from the run count)
  progress    false hides the progress bar

A problem in the study file or the arguments is one line and exit code 2.
"""

from __future__ import annotations

from pathlib import Path

from asmsim.analysis.sensitivity.study import LIMITS, whole
from asmsim.cli.args import parse_keys
from asmsim.config import ConfigError

KEYS = ("experiment", "n", "jobs", "cluster", "out", "chunk", "progress")
#: (lowest, highest) whole number of each numeric argument.
ARG_LIMITS = {"n": LIMITS["n"], "jobs": (0, 1024), "chunk": (0, 1_000_000)}


def _parse(args: list[str]) -> dict[str, str]:
    return parse_keys(args, KEYS, "experiment", "missing experiment=NAME (a name under experiments/ or a path)")


def _whole(opts: dict[str, str], key: str) -> int | None:
    """A numeric argument checked against :data:`ARG_LIMITS`; None if not given."""
    return whole(key, opts[key], *ARG_LIMITS[key]) if key in opts else None


def _flag(opts: dict[str, str], key: str) -> bool:
    """A true/false argument (default true)."""
    text = opts.get(key, "true").lower()
    if text not in ("true", "false", "1", "0", "on", "off", "yes", "no"):
        raise ConfigError(f"{key}={opts[key]!r} is not allowed; expected true or false")
    return text in ("true", "1", "on", "yes")


def main(args: list[str]) -> int:
    """Run the study; print a short summary and the output folder."""
    from asmsim.analysis.sensitivity import load_study

    opts = _parse(args)
    study = load_study(opts["experiment"], n=_whole(opts, "n"))
    out = Path(opts.get("out") or Path("results") / "studies" / study.name)
    progress = _flag(opts, "progress")
    jobs, chunk = _whole(opts, "jobs") or 0, _whole(opts, "chunk") or 0
    # the model, Mesa and the plots load only now: bad input is answered before them
    from asmsim.workflows.sensitivity import run_study

    print(f"{study.name}: {study.method}, N = {study.n}, D = {study.dimension}, "
          f"{study.n_runs} runs -> {out}", flush=True)
    result = run_study(study, out, jobs=jobs, cluster=opts.get("cluster") or None, chunk=chunk,
                       progress=progress)
    key = "ST" if study.method == "sobol" else "mu_star"
    top = (result.indices[result.indices["index"] == key]
           .sort_values("value", ascending=False).groupby("output", sort=False).head(1))
    for row in top.itertuples():
        print(f"  {row.output}: largest {key} = {row.value:.3g} ({row.parameter})")
    print(f"wrote {out / 'indices.csv'} and {out / 'report.md'}")
    return 0
