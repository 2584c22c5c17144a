"""Does a policy hold up? Regret, requirements and scenario discovery over futures.

An ensemble of ``N`` futures is drawn by Latin hypercube over uncertain factors: the
gold price (a level change for the whole horizon) and the behavioural parameters (the
calibration's parameter ranges, ``configs/targets/status_quo.yaml``; or, with a
posterior, its draws). Every policy runs in every future with that future's seed
(common random numbers), through the sensitivity pipeline's executor (local or Dask,
resumable chunk files, progress with ETA).

- **Regret** (Savage 1951; Lempert et al. 2003): per future and outcome, how far a
  policy falls short of the best policy in that future, in the outcome's unit.
- **Requirements** (``require.official_sales_share>=0.2``): the share of futures in
  which a policy meets each, and all.
- **Scenario discovery** with PRIM (Friedman & Fisher 1999; Bryant & Lempert 2010) from
  EMA Workbench: for a policy that fails in some futures, a box of the uncertain factors
  where failures concentrate, in words ("gold_price_change below −0.12 and
  context.initial_trust below 0.31"), with its coverage and density.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from asmsim.analysis.compare import KEY_OUTPUTS
from asmsim.analysis.sensitivity.study import ENSEMBLE, Parameter, Study
from asmsim.config import ConfigError

PRICE_FACTOR = "gold_price_change"  # relative world-price level for the whole horizon
DEFAULT_FACTORS = {PRICE_FACTOR: (-0.4, 0.4), "context.initial_trust": (0.2, 0.6)}
REQUIREMENT = re.compile(r"^require\.([A-Za-z0-9_]+)\s*(>=|<=)\s*(.+)$")
#: PRIM: the box reported is the densest on the peeling trajectory restricting at most
#: this many factors and covering at least MIN_COVERAGE of the failures.
MAX_RESTRICTED = 3
MIN_COVERAGE = 0.5


@dataclasses.dataclass(frozen=True)
class Requirement:
    """An outcome an analyst needs: ``output >= value`` or ``output <= value``."""

    output: str
    op: str
    value: float

    def met(self, x: np.ndarray) -> np.ndarray:
        return x >= self.value if self.op == ">=" else x <= self.value

    def __str__(self) -> str:
        return f"{self.output} {self.op} {self.value:g}"


def parse_requirement(text: str, outputs: Sequence[str]) -> Requirement:
    """``require.OUTPUT>=VALUE`` (or ``<=``) -> :class:`Requirement`; a ConfigError if not."""
    match = REQUIREMENT.match(text.strip())
    if not match:
        hint = ("; in a shell, quote it ('require.X>=V'): an unquoted > is a redirection"
                if "=" not in text else "")
        raise ConfigError(f"'{text}' is not a requirement; expected require.OUTPUT>=VALUE or "
                          f"require.OUTPUT<=VALUE, e.g. require.official_sales_share>=0.2{hint}")
    output, op, value = match.groups()
    if output not in outputs:
        from asmsim.config.validate import unknown_key

        raise unknown_key(output, outputs, where="require")
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise ConfigError(f"require.{output}{op}{value!r}: expected a finite number")
    return Requirement(output, op, number)


#: ``posterior=`` default: the shipped calibration if there is one, else the prior ranges
AUTO_POSTERIOR = "status_quo"


def default_factors(posterior: str | None = None) -> dict[str, tuple[float, float]]:
    """The uncertain factors and ranges: the price level, trust, and the calibrated keys —
    within ``posterior`` (a calibration's name, folder or ``posterior.parquet``: each key's
    weighted 5-95 % interval) or, with ``posterior`` None, over their prior ranges (the
    target file's)."""
    from asmsim.analysis.calibration import load_targets

    priors = {p.key: (p.low, p.high) for p in load_targets("status_quo").priors}
    if posterior is None:
        return {**DEFAULT_FACTORS, **priors}
    from asmsim.config.posterior import load_posterior, marginal

    post = load_posterior(posterior)
    keys = [c for c in post.columns if c != "weight"]
    within = {}
    for key in keys:
        low, _, high = marginal(post, key)
        if not high > low:
            raise ConfigError(f"posterior={posterior!r}: {key}'s 5-95 % interval [{low:g}, "
                              f"{high:g}] is a point; use posterior=none for the prior ranges")
        within[key] = (low, high)
    return {**DEFAULT_FACTORS, **priors, **within}


def posterior_choice(value: str | None) -> str | None:
    """``posterior=`` of a robustness run -> the posterior to sample within (None: the prior
    ranges). Default (``value`` None): the shipped ``status_quo`` calibration if present."""
    from asmsim.config.posterior import resolve_posterior

    if value is None:
        try:
            resolve_posterior(AUTO_POSTERIOR)
        except ConfigError:
            return None
        return AUTO_POSTERIOR
    if value.strip().lower() in ("none", "prior", ""):
        return None
    resolve_posterior(value)  # one line if unknown
    return value


def ensemble_study(policies: Sequence[str], futures: int, outputs: Sequence[str],
                   factors: Mapping[str, tuple[float, float]], overrides: Sequence[str] = (),
                   seed: int = 1, name: str = "robustness", posterior: str | None = None,
                   posterior_keys: Sequence[str] = ()) -> Study:
    """The ensemble as a study of the sensitivity pipeline (method ``ensemble``);
    ``posterior``/``posterior_keys``: the calibration whose 5-95 % intervals gave those
    factors' ranges (said in the report)."""
    parameters = (Parameter("policy", 0, len(policies) - 1, kind="int"),
                  Parameter("future", 0, futures - 1, kind="int"),
                  *(Parameter(key, lo, hi) for key, (lo, hi) in factors.items()))
    return Study(name=name, method=ENSEMBLE, n=futures, seed=seed, parameters=parameters,
                 outputs=tuple((o, "last12") for o in outputs), scenario="baseline",
                 overrides=tuple(overrides), model="robustness", policies=tuple(policies),
                 posterior=posterior, posterior_keys=tuple(posterior_keys))


class RobustnessModel:
    """Runs one (policy, future): the policy's scenario, the future's factors and seed."""

    name = "robustness"
    chunk_hint = 2

    def units(self) -> dict[str, str]:
        from asmsim.model.recorder import OUTPUTS

        return {k: v[0] for k, v in OUTPUTS.items()}

    def check(self, study: Study) -> Study:
        return study

    def overrides(self, values: Mapping, study: Study) -> tuple[list[str], dict[str, float]]:
        """(CLI overrides, config values) of one run."""
        from asmsim.run.api import base_config  # composed once per process

        scenario = study.policies[int(values["policy"])]
        months = base_config([f"scenario={scenario}", *study.overrides]).months
        price = float(values.get(PRICE_FACTOR, 0.0))
        shock = (f"context.shocks=[{{kind: price_level, month: 1, duration: {months}, "
                 f"size: {price!r}}}]")
        keys = {k: float(v) for k, v in values.items()
                if k not in ("policy", "future", PRICE_FACTOR)}
        return [f"scenario={scenario}", *study.overrides, shock], keys

    def run(self, values: Mapping, seed: int, study: Study) -> dict[str, float]:
        from asmsim.analysis.sensitivity.models import reduce_table
        from asmsim.analysis.sensitivity.sampling import run_seed
        from asmsim.run.api import simulate_variant

        base, keys = self.overrides(values, study)
        future_seed = run_seed(study.seed, int(values["future"]), 0)  # same for every policy
        table = simulate_variant(base, keys, future_seed)
        return reduce_table(table, study.outputs)


def outcomes_table(samples: pd.DataFrame, runs: pd.DataFrame, study: Study) -> pd.DataFrame:
    """One row per (policy, future): the factors and the outcomes."""
    frame = samples.merge(runs.drop(columns=["replicate", "seed"]), on="point")
    from asmsim.config.scenarios import is_path

    names = [Path(p).stem if is_path(p) else p for p in study.policies]
    frame.insert(1, "policy_name", [names[int(i)] for i in frame["policy"]])
    return frame.sort_values(["future", "policy"], kind="stable").reset_index(drop=True)


def directions(outputs: Sequence[str], requirements: Sequence[Requirement]) -> dict[str, int]:
    """+1 (higher is better) or −1 per outcome with a known direction."""
    out = {o: KEY_OUTPUTS[o].direction for o in outputs if o in KEY_OUTPUTS}
    for r in requirements:
        out.setdefault(r.output, +1 if r.op == ">=" else -1)
    return out


def regret(frame: pd.DataFrame, outputs_directions: Mapping[str, int]) -> pd.DataFrame:
    """Per (policy, future, outcome): the shortfall from the best policy of that future."""
    rows = []
    for output, sign in outputs_directions.items():
        wide = frame.pivot(index="future", columns="policy_name", values=output)
        best = (wide * sign).max(axis=1)
        short = best.to_numpy()[:, None] - (wide * sign).to_numpy()
        for j, policy in enumerate(wide.columns):
            rows.append(pd.DataFrame({"policy": policy, "future": wide.index, "output": output,
                                      "regret": short[:, j]}))
    return pd.concat(rows, ignore_index=True)


def regret_summary(regrets: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """Per policy and outcome: mean outcome, median, 90th-percentile and largest regret."""
    rows = []
    for (policy, output), group in regrets.groupby(["policy", "output"], sort=False):
        values = frame.loc[frame["policy_name"] == policy, output]
        rows.append({"policy": policy, "output": output, "mean": float(values.mean()),
                     "regret_median": float(group["regret"].median()),
                     "regret_p90": float(group["regret"].quantile(0.9)),
                     "regret_max": float(group["regret"].max())})
    return pd.DataFrame(rows)


def satisfaction(frame: pd.DataFrame, requirements: Sequence[Requirement]) -> pd.DataFrame:
    """Per policy: the share of futures meeting each requirement and all of them."""
    rows = []
    for policy, group in frame.groupby("policy_name", sort=False):
        met = {str(r): r.met(group[r.output].to_numpy()) for r in requirements}
        all_met = np.logical_and.reduce(list(met.values())) if met else np.ones(len(group), bool)
        rows.append({"policy": policy, **{k: float(v.mean()) for k, v in met.items()},
                     "all requirements": float(all_met.mean()), "futures": len(group)})
    return pd.DataFrame(rows)


@dataclasses.dataclass
class FailureBox:
    """A PRIM box: where a policy fails, in words, with its statistics."""

    policy: str
    description: str
    coverage: float      # share of the failures inside the box
    density: float       # share of the futures inside the box that fail
    restricted: int      # factors the box restricts
    failures: int
    futures: int
    trajectory: pd.DataFrame  # PRIM's peeling trajectory (coverage, density, res_dim)
    chosen: int          # the chosen box's row of the trajectory


def describe_box(limits: pd.DataFrame, full: pd.DataFrame) -> str:
    """Restricted factors of a box in words, each with the share of its range the box keeps
    ("x below 0.3 (lowest 40 % of its range) and y between 1 and 2 (…)"): a restriction
    that keeps most of a range says little about where a policy fails."""
    parts = []
    for factor in limits.columns:
        low, high = (float(v) for v in limits[factor])
        flow, fhigh = (float(v) for v in full[factor])
        lower, upper = low > flow + 1e-12, high < fhigh - 1e-12
        kept = (high - low) / (fhigh - flow) if fhigh > flow else 1.0
        if lower and upper:
            parts.append(f"{factor} between {low:.3g} and {high:.3g} ({kept:.0%} of its range)")
        elif upper:
            parts.append(f"{factor} below {high:.3g} (lowest {kept:.0%} of its range)")
        elif lower:
            parts.append(f"{factor} above {low:.3g} (highest {kept:.0%} of its range)")
    return " and ".join(parts) if parts else "anywhere (no factor separates the failures)"


def discover(x: pd.DataFrame, fails: np.ndarray, policy: str) -> FailureBox | None:
    """PRIM (EMA Workbench) on the futures ``x`` where ``fails``; None if a policy never or
    always fails (there is nothing to separate)."""
    import warnings

    with warnings.catch_warnings():  # EMA Workbench notes optional parallel back-ends
        warnings.simplefilter("ignore", UserWarning)
        from ema_workbench.analysis import prim

    n_fail = int(fails.sum())
    if n_fail == 0 or n_fail == len(fails):
        return None
    finder = prim.Prim(x.reset_index(drop=True).astype(float), fails.astype(int),
                       mass_min=0.05)
    box = finder.find_box()
    trajectory = box.peeling_trajectory.reset_index(drop=True)
    ok = (trajectory["res_dim"] <= MAX_RESTRICTED) & (trajectory["coverage"] >= MIN_COVERAGE)
    candidates = trajectory[ok] if ok.any() else trajectory
    chosen = int(candidates["density"].idxmax())
    stats = trajectory.iloc[chosen]
    return FailureBox(policy, describe_box(box.box_lims[chosen], box.box_lims[0]),
                      float(stats["coverage"]), float(stats["density"]),
                      int(stats["res_dim"]), n_fail, len(fails), trajectory, chosen)


def failure_boxes(frame: pd.DataFrame, requirements: Sequence[Requirement],
                  factors: Sequence[str]) -> list[FailureBox]:
    """A PRIM box per policy that fails some (not all) futures' requirements."""
    boxes = []
    if not requirements:
        return boxes
    for policy, group in frame.groupby("policy_name", sort=False):
        met = np.logical_and.reduce([r.met(group[r.output].to_numpy()) for r in requirements])
        box = discover(group[list(factors)], ~met, policy)
        if box is not None:
            boxes.append(box)
    return boxes
