"""ABC-SMC calibration of asmsim against a target set (pyabc).

A particle is a draw of the calibrated parameters; it is simulated once under
every scenario its targets need, with one seed (common random numbers across
the scenarios), and summarised by each target's statistic. Its distance to the
field is how far the statistics fall outside their bands, in band widths:

    d = sqrt(mean_k (max(0, low_k − x_k, x_k − high_k) / (high_k − low_k))²)

so ``d = 0`` when every fitted target is inside its band. ABC-SMC (Beaumont et
al. 2009; Toni et al. 2009, as implemented by pyabc, Schälte et al. 2022)
lowers the threshold ε generation by generation (the median of the last
generation's distances) until it reaches 0, stops improving, or the generation
budget is spent. pyabc's database (SQLite) holds every generation, so a
calibration killed part-way resumes from its last finished generation.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from asmsim.analysis.calibration.targets import Target, TargetSet
from asmsim.config import ConfigError
from asmsim.config.posterior import weighted_quantile

#: A generation whose ε is not at least this much (relative) below the last one's ends the run.
MIN_EPS_IMPROVEMENT = 0.02
SEED_LIMIT = 2**31 - 1


# ------------------------------------------------------------------ statistics
def window_mean(table: pd.DataFrame, column: str, first: int, last: int) -> float:
    """Mean of ``column`` over months ``first``..``last`` (inclusive)."""
    months = table["month"].to_numpy()
    inside = (months >= first) & (months <= last)
    return float(table[column].to_numpy()[inside].mean())


def statistic(target: Target, tables: Mapping, values: Mapping[str, float]) -> float:
    """The target's statistic from one particle's tables, keyed by scenario or by
    (scenario, overrides); ``values`` holds the config keys a ``per`` may name."""
    def level(scenario: str, first: int, last: int) -> float:
        table = tables.get((scenario, target.overrides), tables.get(scenario))
        x = window_mean(table, target.output, first, last)
        if target.per is not None:
            per = (window_mean(table, target.per, first, last)
                   if target.per in table.columns else values[target.per])
            x = x / per if per else math.nan
        return x * target.scale

    x = level(target.scenario, target.first, target.last)
    if target.relative_to is not None:
        base = level(target.relative_to, target.first, target.last)
        x = x / base if base else math.nan
    if target.base_months is not None:
        base = level(target.scenario, *target.base_months)
        x = x / base if base else math.nan
    return float(x)


def band_distance(stats: Mapping[str, float], targets: tuple[Target, ...]) -> float:
    """Root mean square of each statistic's distance outside its band, in band widths
    (0 inside every band; infinite if a statistic is missing or not a number)."""
    total = 0.0
    for target in targets:
        x = stats.get(target.name, math.nan)
        if not math.isfinite(x):
            return math.inf
        excess = max(0.0, target.low - x, x - target.high) / target.width
        total += excess * excess
    return math.sqrt(total / len(targets))


# ------------------------------------------------------------------ simulator
def run_config(targets: TargetSet, run: tuple[str, tuple[str, ...]],
               params: Mapping[str, float]):
    """The validated config of one of a particle's runs: ``(scenario, overrides)`` at the
    target file's size, with the calibrated keys set to ``params``."""
    from asmsim.config.validate import set_key, validate
    from asmsim.run.api import base_config

    scenario, extra = run
    config = base_config([f"scenario={scenario}", *targets.overrides, *extra])
    for key, value in params.items():
        set_key(config, key, float(value))
    validate(config)
    return config


@dataclasses.dataclass(frozen=True)
class Simulator:
    """Runs one particle: every scenario ``targets`` need, one seed, the statistics."""

    targets: TargetSet
    measured: tuple[Target, ...]   # the targets to compute (fitted ones, or all)

    def __call__(self, params: Mapping[str, float], seed: int) -> dict[str, float]:
        from asmsim.config.validate import get_value
        from asmsim.run.api import run_table

        tables, values = {}, {}
        for run in self.targets.runs(self.measured):
            config = run_config(self.targets, run, params)
            tables[run] = run_table(config, seed)
            for target in self.measured:
                if target.per is not None and target.per not in tables[run].columns:
                    values[target.per] = float(get_value(config, target.per))
        return {t.name: statistic(t, tables, values) for t in self.measured}


@dataclasses.dataclass(frozen=True)
class PyabcModel:
    """pyabc's model: a parameter draw -> statistics, with a seed from pyabc's generator.

    (pyabc's multicore workers reseed themselves, so a parallel calibration is not
    bit-reproducible; with ``jobs=1`` it is, from the calibration's seed.)"""

    simulator: Simulator

    def __call__(self, parameter) -> dict[str, float]:
        seed = int(np.random.randint(SEED_LIMIT))
        return self.simulator(dict(parameter), seed)


@dataclasses.dataclass(frozen=True)
class BandDistance:
    """pyabc's distance: :func:`band_distance` of the fitted targets (``x_0`` unused: the
    bands are the observation)."""

    targets: tuple[Target, ...]

    def __call__(self, x, x_0) -> float:
        return band_distance(x, self.targets)


def prior(targets: TargetSet):
    """pyabc's prior: independent uniforms on each calibrated key's range."""
    import pyabc

    return pyabc.Distribution(**{p.key: pyabc.RV("uniform", p.low, p.high - p.low)
                                 for p in targets.priors})


def observed(targets: tuple[Target, ...]) -> dict[str, float]:
    """The band centres (what pyabc stores as the observation)."""
    return {t.name: 0.5 * (t.low + t.high) for t in targets}


# ------------------------------------------------------------------ the run
@dataclasses.dataclass(frozen=True)
class Settings:
    """How a calibration runs (not what it fits)."""

    particles: int = 500       # accepted particles per generation
    generations: int = 10      # most generations (including those of an earlier run)
    jobs: int = 0              # local processes (0: every core)
    cluster: str | None = None  # tcp://HOST:PORT of a Dask scheduler instead
    seed: int = 1


@dataclasses.dataclass(frozen=True)
class GenerationReport:
    """One finished generation, as the progress line shows it."""

    t: int
    epsilon: float
    accepted: int
    simulations: int
    seconds: float

    @property
    def acceptance(self) -> float:
        return self.accepted / self.simulations if self.simulations else 0.0


def sampler(settings: Settings):
    """pyabc's sampler: its multicore sampler locally, its Dask sampler on a cluster."""
    import pyabc

    from asmsim.run.executor import connect, default_jobs, simulation_worker_plugin

    logging.getLogger("ABC").setLevel(logging.WARNING)  # our progress line says it
    logging.getLogger("pyabc").setLevel(logging.WARNING)

    if settings.cluster:
        client = connect(settings.cluster)
        client.register_plugin(simulation_worker_plugin())
        return pyabc.sampler.DaskDistributedSampler(dask_client=client)
    jobs = settings.jobs or default_jobs()
    if jobs == 1:
        return pyabc.sampler.SingleCoreSampler()
    return pyabc.sampler.MulticoreEvalParallelSampler(n_procs=jobs)


def db_url(folder: Path) -> str:
    return f"sqlite:///{(folder / 'abc.db').resolve()}"


def open_abc(targets: TargetSet, folder: Path, settings: Settings, pyabc_sampler,
             simulator=None):
    """An ABCSMC on ``folder``'s database: the earlier run of the same targets if there is
    one (to continue), else a new one. Returns ``(abc, resumed)``."""
    import pyabc

    fitted = targets.fitted
    model = PyabcModel(simulator or Simulator(targets, fitted))
    abc = pyabc.ABCSMC(model, prior(targets), BandDistance(fitted),
                       population_size=settings.particles, sampler=pyabc_sampler,
                       eps=pyabc.QuantileEpsilon(alpha=0.5))
    digest = f"{targets.digest()}/{settings.particles}"
    url = db_url(folder)
    if (folder / "abc.db").exists():
        history = pyabc.History(url)
        if history.n_populations > 0:
            stored = history.get_abc().json_parameters or ""
            if digest not in stored:
                raise ConfigError(f"{folder}: holds a calibration of other targets or another "
                                  "particle count; choose another out=")
            abc.load(url, history.id)
            return abc, True
    abc.new(url, observed(fitted), meta_info={"asmsim": digest})
    return abc, False


def stop_reason(history, generations: int) -> str | None:
    """Why the calibration is finished (None: run another generation)."""
    done = history.n_populations
    if done:
        pops = history.get_all_populations()
        eps = pops.loc[pops["t"] >= 0, "epsilon"].to_numpy()
        if eps[-1] <= 0:
            return "every accepted particle has every fitted target inside its band (ε = 0)"
        if len(eps) >= 3 and eps[-1] > (1 - MIN_EPS_IMPROVEMENT) * eps[-2]:
            return f"ε stopped improving ({eps[-2]:.3g} → {eps[-1]:.3g})"
    if done >= generations:
        return f"the generation budget ({generations}) is spent"
    return None


def calibrate(targets: TargetSet, folder: Path, settings: Settings,
              on_generation: Callable[[GenerationReport, float | None], None] = lambda r, e: None,
              simulator=None):
    """Run (or continue) ABC-SMC generation by generation into ``folder/abc.db`` until
    :func:`stop_reason` says it is done. ``on_generation(report, eta_seconds)`` after each
    generation. Returns ``(history, reason)``.

    Each generation reopens the database (pyabc then sets ε from the last stored
    generation exactly as after a kill) and seeds pyabc's generator with (seed, t), so
    with ``jobs=1`` a resumed calibration repeats an uninterrupted one.
    """
    pyabc_sampler = sampler(settings)
    while True:
        abc, _ = open_abc(targets, folder, settings, pyabc_sampler, simulator)
        reason = stop_reason(abc.history, settings.generations)
        if reason is not None:
            return abc.history, reason
        np.random.seed((settings.seed * 1_000_003 + abc.history.n_populations) % SEED_LIMIT)
        started = time.perf_counter()
        abc.run(max_nr_populations=1, minimum_epsilon=0.0)
        seconds = time.perf_counter() - started
        history = abc.history
        pops = history.get_all_populations()
        last = pops[pops["t"] == history.max_t].iloc[0]
        report = GenerationReport(t=int(last["t"]), epsilon=float(last["epsilon"]),
                                  accepted=settings.particles,
                                  simulations=int(last["samples"]), seconds=seconds)
        remaining = settings.generations - history.n_populations
        on_generation(report, seconds * remaining if remaining > 0 else None)


def posterior(history) -> pd.DataFrame:
    """The last generation's particles: one column per parameter, ``weight`` (sums to 1)."""
    frame, weights = history.get_distribution(m=0, t=history.max_t)
    frame = frame.reset_index(drop=True)
    frame["weight"] = weights / weights.sum()
    return frame


def summarise(post: pd.DataFrame, targets: TargetSet) -> pd.DataFrame:
    """Per parameter: prior range, posterior median and 90 % interval (weighted)."""
    rows = []
    w = post["weight"].to_numpy()
    for p in targets.priors:
        x = post[p.key].to_numpy()
        rows.append({"parameter": p.key, "prior_low": p.low, "prior_high": p.high,
                     "median": weighted_quantile(x, w, 0.5),
                     "q05": weighted_quantile(x, w, 0.05), "q95": weighted_quantile(x, w, 0.95),
                     "mean": float(np.sum(w * x))})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ predictive
def resample(post: pd.DataFrame, draws: int, seed: int) -> pd.DataFrame:
    """``draws`` parameter sets resampled from the weighted posterior (with replacement),
    with a ``draw`` index and a ``seed`` per draw."""
    rng = np.random.default_rng(seed)
    picked = rng.choice(len(post), size=draws, p=post["weight"].to_numpy())
    out = post.drop(columns="weight").iloc[picked].reset_index(drop=True)
    out.insert(0, "seed", rng.integers(SEED_LIMIT, size=draws))
    out.insert(0, "draw", np.arange(draws))
    return out


def predictive(targets: TargetSet, draws: pd.DataFrame, jobs: int = 0,
               cluster: str | None = None, progress: bool = True) -> pd.DataFrame:
    """Every target (held-out ones too) simulated at each posterior draw: one row per
    (draw, target) with the value and the band."""
    from concurrent.futures import as_completed

    from tqdm.auto import tqdm

    from asmsim.run.executor import make_executor

    simulator = Simulator(targets, targets.targets)
    keys = [p.key for p in targets.priors]
    rows = []
    with make_executor(min(jobs or len(draws), len(draws)) if not cluster else jobs,
                       cluster) as pool, \
            tqdm(total=len(draws), desc="posterior predictive", unit="draw",
                 disable=not progress, dynamic_ncols=True) as bar:
        futures = {pool.submit(simulator, {k: float(d[k]) for k in keys}, int(d["seed"])):
                   int(d["draw"]) for _, d in draws.iterrows()}
        for future in as_completed(futures):
            bar.update()
            for name, value in future.result().items():
                rows.append({"draw": futures[future], "target": name, "value": value})
    frame = pd.DataFrame(rows).sort_values(["target", "draw"], kind="stable")
    bands = pd.DataFrame([{"target": t.name, "low": t.low, "high": t.high,
                           "held_out": t.held_out} for t in targets.targets])
    frame = frame.merge(bands, on="target")
    frame["inside"] = (frame["value"] >= frame["low"]) & (frame["value"] <= frame["high"])
    return frame.reset_index(drop=True)


def predictive_table(frame: pd.DataFrame, targets: TargetSet) -> pd.DataFrame:
    """Per target: band, simulated median and 5-95 % range, share of draws inside the band."""
    rows = []
    for t in targets.targets:
        x = frame.loc[frame["target"] == t.name, "value"].to_numpy()
        inside = frame.loc[frame["target"] == t.name, "inside"].to_numpy()
        rows.append({"target": t.name, "held_out": t.held_out, "band_low": t.low,
                     "band_high": t.high, "median": float(np.nanmedian(x)),
                     "q05": float(np.nanquantile(x, 0.05)), "q95": float(np.nanquantile(x, 0.95)),
                     "share_inside": float(inside.mean()), "source": t.source})
    return pd.DataFrame(rows)
