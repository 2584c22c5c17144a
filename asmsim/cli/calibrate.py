"""``asmsim calibrate targets=NAME [parameters=[KEY,...]] [particles=N] [generations=G]
[jobs=J] [cluster=ADDRESS] [out=DIR] [draws=D] [seed=S] [progress=true|false]
[check=true]``.

Calibrates the model to the field targets of a target file by ABC-SMC (pyabc)
and writes the posterior, its predictive check against every target (held-out
ones too), figures and report.md. Keys:

  targets      a target file under configs/targets/ or the path of one
  parameters   the calibrated keys, a subset of the file's (default: all of them)
  particles    accepted particles per generation (default 500)
  generations  most generations (default 10); it stops earlier when every accepted
               particle is inside every band or the threshold stops improving
  jobs         local worker processes (default: all cores)
  cluster      tcp://HOST:PORT of a running Dask scheduler (instead of local processes)
  out          output folder (default results/calibration/<targets>/); started again
               with the same targets and particles it continues from the last
               finished generation (pyabc's database)
  draws        posterior draws simulated again for the predictive check (default 50)
  seed         seed of the sampling (default 1); with jobs=1 a calibration repeats
               exactly, in parallel it does not (pyabc's workers reseed)
  progress     false hides the progress lines
  check        true: fit nothing; simulate the finished calibration in out= again on the
               current model (its posterior draws and seeds) and write out/check/
               (check.md: each target's share of draws in band now and at the fit).
               Run it after a change to the model, before trusting the posterior

A problem in the target file or the arguments is one line and exit code 2.
"""

from __future__ import annotations

from pathlib import Path

from asmsim.cli.args import parse_keys
from asmsim.cli.sensitivity import _flag
from asmsim.config import ConfigError
from asmsim.config.params import MAX_SEED

KEYS = ("targets", "parameters", "particles", "generations", "jobs", "cluster", "out",
        "draws", "seed", "progress", "check")
#: (lowest, highest) whole number of each numeric argument.
ARG_LIMITS = {"particles": (2, 100_000), "generations": (1, 1000), "jobs": (0, 1024),
              "draws": (1, 100_000), "seed": (0, MAX_SEED)}
DEFAULTS = {"particles": 500, "generations": 10, "jobs": 0, "draws": 50, "seed": 1}


def _parse(args: list[str]) -> dict[str, str]:
    return parse_keys(args, KEYS, "targets", "missing targets=NAME (a file under configs/targets/ or a path)")


def _whole(opts: dict[str, str], key: str) -> int:
    from asmsim.analysis.sensitivity.study import whole

    return whole(key, opts[key], *ARG_LIMITS[key]) if key in opts else DEFAULTS[key]


def _keys(text: str) -> list[str]:
    """``[a,b]`` or ``a,b`` -> ``["a", "b"]``."""
    inner = text.strip()
    if inner.startswith("[") and inner.endswith("]"):
        inner = inner[1:-1]
    keys = [k.strip() for k in inner.split(",") if k.strip()]
    if not keys:
        raise ConfigError(f"parameters={text!r} is not allowed; expected [key,key,...]")
    return keys


def main(args: list[str]) -> int:
    """Run the calibration; print the posterior medians and the output folder."""
    from asmsim.analysis.calibration import load_targets
    from asmsim.analysis.calibration.abc import Settings

    opts = _parse(args)
    settings = Settings(particles=_whole(opts, "particles"),
                        generations=_whole(opts, "generations"), jobs=_whole(opts, "jobs"),
                        cluster=opts.get("cluster") or None, seed=_whole(opts, "seed"))
    draws = _whole(opts, "draws")
    targets = load_targets(opts["targets"])  # checks outputs against the model's
    if "parameters" in opts:
        targets = targets.select(_keys(opts["parameters"]))
    out = Path(opts.get("out") or Path("results") / "calibration" / targets.name)
    # the model, Mesa and the plots load only now: bad input is answered before them
    from asmsim.workflows.calibrate import check_calibration, run_calibration

    if _flag({"check": opts.get("check", "false")}, "check"):
        result = check_calibration(targets, out, settings,
                                   draws=draws if "draws" in opts else None,
                                   progress=_flag(opts, "progress"))
        fitted = result.predictive[~result.predictive["held_out"]]
        print(f"posterior draws inside each fitted band on the current model: at worst "
              f"{fitted['share_inside'].min():.0%}, median {fitted['share_inside'].median():.0%}")
        print(f"wrote {result.out / 'check.md'}")
        return 0
    print(f"{targets.name}: {len(targets.priors)} parameters, {len(targets.fitted)} fitted and "
          f"{len(targets.held_out)} not fitted (held out), {settings.particles} particles per "
          f"generation, at most {settings.generations} generations -> {out}", flush=True)
    result = run_calibration(targets, out, settings, draws=draws,
                             progress=_flag(opts, "progress"))
    print(f"stopped: {result.reason}")
    for row in result.summary.itertuples():
        print(f"  {row.parameter}: median {row.median:.4g} (90 %: {row.q05:.4g}–{row.q95:.4g})")
    worst = result.predictive[~result.predictive["held_out"]]["share_inside"].min()
    print(f"posterior draws inside every fitted band: at worst {worst:.0%} per target")
    print(f"wrote {out / 'report.md'}")
    return 0
