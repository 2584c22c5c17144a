"""The study file: what to vary, what to measure, how to sample — parsed and validated.

A study is a YAML file under ``experiments/`` (see ``docs/sensitivity.md``)::

    method: sobol            # sobol | morris
    n: 256                   # SALib's base sample size N (Morris: trajectories)
    seed: 1
    scenario: baseline
    overrides: [miners=2000, months=120]
    replicates: 1            # model runs per sample point, averaged
    common_seeds: false      # true: every point of a Morris trajectory / Sobol block shares seeds
    posterior: status_quo    # optional: a calibration whose keys may vary "within the posterior"
    parameters:              # config key: [low, high]  or  {low, high, dist, peak}  or  posterior
      policy.market.royalty_rate: [0.0, 0.15]
      context.exit_rate: posterior   # the posterior's 5-95 % interval (Sobol: peaked at its median)
    outputs:                 # output column: final | last12 | cumulative
      licensed_share: last12

Every problem raises :class:`asmsim.config.ConfigError` with one line naming
the key, the bad value and what is allowed (the CLI turns it into exit code 2).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from asmsim.config import ConfigError
from asmsim.config.params import MAX_SEED
from asmsim.config.validate import unknown_key

METHODS = ("sobol", "morris")
ENSEMBLE = "ensemble"  # a robustness ensemble (asmsim robustness), not read from study files
REDUCERS = ("final", "last12", "cumulative")
DISTS = ("unif", "triang", "logunif")
TOP_KEYS = ("method", "n", "seed", "scenario", "overrides", "replicates", "parameters",
            "outputs", "model", "second_order", "num_levels", "num_resamples", "conf_level",
            "common_seeds", "posterior")
PARAM_KEYS = ("low", "high", "dist", "peak")
#: (lowest, highest) allowed whole number of each numeric top-level key.
LIMITS = {"n": (1, 2**20), "seed": (0, MAX_SEED), "replicates": (1, 10_000),
          "num_levels": (2, 100), "num_resamples": (10, 100_000)}


@dataclasses.dataclass(frozen=True)
class Parameter:
    """One varied input: a config key (or a test-function input) and its distribution.

    ``low``/``high`` are in the key's own unit. ``kind`` is ``float``, ``int``
    or ``bool``: SALib samples a real number, which :meth:`to_value` maps to the
    key's type (ints: ``floor`` on ``[low, high + 1)``, so every whole number in
    the range is equally likely; bools: ``x >= 0.5`` on ``[0, 1]``).
    """

    key: str
    low: float
    high: float
    dist: str = "unif"
    peak: float = 0.5
    kind: str = "float"

    def salib_bounds(self) -> list[float]:
        """Bounds in SALib's form for this distribution."""
        if self.kind == "int":
            return [self.low, self.high + 1.0]
        if self.dist == "triang":
            return [self.low, self.high, self.peak]
        return [self.low, self.high]

    def to_value(self, x: float) -> float | int | bool:
        """Map one sampled real number to the key's type."""
        if self.kind == "int":
            return int(min(self.high, max(self.low, int(x // 1))))
        if self.kind == "bool":
            return bool(x >= 0.5)
        return float(x)


@dataclasses.dataclass(frozen=True)
class Study:
    """A validated study definition (see the module docstring for the file form)."""

    name: str
    method: str
    n: int
    seed: int
    parameters: tuple[Parameter, ...]
    outputs: tuple[tuple[str, str], ...]  # (output column, reducer)
    scenario: str = "baseline"
    overrides: tuple[str, ...] = ()
    replicates: int = 1
    model: str = "asm"
    second_order: bool = False
    num_levels: int = 4
    num_resamples: int = 100
    conf_level: float = 0.95
    policies: tuple[str, ...] = ()  # ensemble (robustness): each future runs every policy
    #: every point of a Morris trajectory (Sobol: of a base point's block) runs with the
    #: same seeds, so an elementary effect or a block's differences carry no seed noise
    common_seeds: bool = False
    #: the calibration whose posterior gave the ranges of the parameters ``posterior_keys``
    posterior: str | None = None
    posterior_keys: tuple[str, ...] = ()

    @property
    def dimension(self) -> int:
        """D: how many parameters vary."""
        return len(self.parameters)

    @property
    def n_points(self) -> int:
        """Sample points SALib will draw: N(2D+2) or N(D+2) for Sobol, N(D+1) for Morris."""
        d = self.dimension
        if self.method == "sobol":
            return self.n * (2 * d + 2 if self.second_order else d + 2)
        if self.method == ENSEMBLE:
            return self.n * len(self.policies)
        return self.n * (d + 1)

    @property
    def n_runs(self) -> int:
        """Model runs: sample points × replicates."""
        return self.n_points * self.replicates

    def seed_group(self, point: int) -> int:
        """The design index a point's seeds derive from: the point itself, or with
        ``common_seeds`` its Morris trajectory / Sobol base block (``n_points / n`` rows)."""
        return point // (self.n_points // self.n) if self.common_seeds else point

    def problem(self) -> dict[str, Any]:
        """SALib's problem dictionary."""
        problem: dict[str, Any] = {
            "num_vars": self.dimension,
            "names": [p.key for p in self.parameters],
            "bounds": [p.salib_bounds() for p in self.parameters],
        }
        if any(p.dist != "unif" for p in self.parameters):
            problem["dists"] = [p.dist for p in self.parameters]
        return problem

    def definition(self) -> dict[str, Any]:
        """Everything that determines the results, as plain JSON-able data."""
        data = dataclasses.asdict(self)
        data.pop("name")
        if not self.common_seeds:  # the key is newer than studies already run: same identity
            data.pop("common_seeds")
        if self.posterior is None:  # likewise
            data.pop("posterior")
            data.pop("posterior_keys")
        return data

    def digest(self) -> str:
        """SHA-256 of :meth:`definition` — the identity of a study's output folder."""
        text = json.dumps(self.definition(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def _fail(message: str) -> None:
    raise ConfigError(message)


def whole(key: str, value: Any, lo: int, hi: int) -> int:
    """``value`` (a whole number, or its text) checked to lie in ``[lo, hi]``."""
    if isinstance(value, str):
        try:
            value = int(value)
        except ValueError:
            pass
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        _fail(f"{key}={value!r} is not allowed; expected a whole number in [{lo}, {hi}]")
    return int(value)


def _limited(key: str, value: Any) -> int:
    """A numeric top-level key checked against :data:`LIMITS`."""
    return whole(key, value, *LIMITS[key])


def _parse_parameter(key: str, spec: Any) -> Parameter:
    """``[low, high]`` or ``{low, high, dist, peak}`` -> :class:`Parameter` (unchecked kind)."""
    where = f"parameters.{key}"
    if isinstance(spec, Mapping):
        extra = sorted(set(spec) - set(PARAM_KEYS))
        if extra:
            raise unknown_key(str(extra[0]), PARAM_KEYS, where=where)
        if "low" not in spec or "high" not in spec:
            _fail(f"{where}={dict(spec)!r} needs both low and high")
        low, high = spec["low"], spec["high"]
        dist, peak = spec.get("dist", "unif"), spec.get("peak", 0.5)
    elif isinstance(spec, (list, tuple)) and len(spec) == 2:
        (low, high), dist, peak = spec, "unif", 0.5
    else:
        _fail(f"{where}={spec!r} is not allowed; expected [low, high] or "
              "{low: .., high: .., dist: unif|triang|logunif}")
    bounds = []
    for b in (low, high):
        if isinstance(b, bool):
            b = int(b)
        if not isinstance(b, (int, float)) or not math.isfinite(b):
            _fail(f"{where}={[low, high]!r}: bounds must be finite numbers")
        bounds.append(float(b))
    if bounds[0] >= bounds[1]:
        _fail(f"{where}={[low, high]!r}: low must be below high")
    if dist not in DISTS:
        _fail(f"{where}.dist={dist!r} is unknown; available: {', '.join(DISTS)}")
    if not isinstance(peak, (int, float)) or not 0.0 <= peak <= 1.0:
        _fail(f"{where}.peak={peak!r} is not allowed; expected a fraction in [0, 1] of the range")
    if dist == "logunif" and bounds[0] <= 0:
        _fail(f"{where}={[low, high]!r}: dist logunif needs low > 0")
    return Parameter(key, bounds[0], bounds[1], str(dist), float(peak))


def _within_posterior(key: str, posterior: str, post, method: str) -> Parameter:
    """A parameter written ``posterior``: the marginal 5-95 % interval of the study's
    ``posterior`` (a calibration name, folder or ``posterior.parquet``; its particles
    ``post``), triangular with its peak at the posterior median for Sobol, uniform for
    Morris (which allows no other distribution). The marginals are independent: the
    posterior's correlations between keys are not kept."""
    from asmsim.config.posterior import marginal

    where = f"parameters.{key}"
    calibrated = [c for c in post.columns if c != "weight"]
    if key not in calibrated:
        _fail(f"{where}='posterior': posterior {posterior!r} does not calibrate {key}; "
              f"it calibrates {', '.join(calibrated)}")
    low, median, high = marginal(post, key)
    if not low < high:
        _fail(f"{where}='posterior': the posterior's 5-95 % interval [{low:g}, {high:g}] "
              "is empty")
    if method == "morris":
        return Parameter(key, low, high)
    return Parameter(key, low, high, "triang", (median - low) / (high - low))


def parse_study(data: Any, name: str = "study", *, n: int | None = None,
                check=None) -> Study:
    """Validate a parsed YAML mapping into a :class:`Study`.

    ``n`` overrides the file's sample size. ``check(study) -> Study`` validates
    parameters and outputs against the model (see ``models.model_for``); it
    defaults to the model the study names.
    """
    if not isinstance(data, Mapping):
        _fail(f"study {name}: expected a mapping of keys ({', '.join(TOP_KEYS)})")
    unknown = [k for k in data if k not in TOP_KEYS]
    if unknown:
        raise unknown_key(str(unknown[0]), TOP_KEYS, where=f"study {name}")
    for required in ("method", "n", "parameters", "outputs"):
        if required not in data:
            _fail(f"study {name}: missing key '{required}'")
    method = data["method"]
    if method not in METHODS:
        _fail(f"method={method!r} is unknown; available: {', '.join(METHODS)}")
    size = _limited("n", data["n"] if n is None else n)
    if method == "sobol" and size & (size - 1):
        _fail(f"n={size} is not allowed for sobol; expected a power of 2 (e.g. 64, 256, 1024)")
    seed = _limited("seed", data.get("seed", 0))
    replicates = _limited("replicates", data.get("replicates", 1))
    num_levels = _limited("num_levels", data.get("num_levels", 4))
    num_resamples = _limited("num_resamples", data.get("num_resamples", 100))
    conf = data.get("conf_level", 0.95)
    if not isinstance(conf, float) or not 0.5 <= conf < 1.0:
        _fail(f"conf_level={conf!r} is not allowed; expected a number in [0.5, 1)")
    second = data.get("second_order", False)
    if not isinstance(second, bool):
        _fail(f"second_order={second!r} is not allowed; expected true or false")
    common = data.get("common_seeds", False)
    if not isinstance(common, bool):
        _fail(f"common_seeds={common!r} is not allowed; expected true or false")
    overrides = data.get("overrides", [])
    if not isinstance(overrides, (list, tuple)) or not all(isinstance(o, str) for o in overrides):
        _fail(f"overrides={overrides!r} is not allowed; expected a list of key=value strings")
    scenario = data.get("scenario", "baseline")
    model = data.get("model", "asm")
    params = data["parameters"]
    if not isinstance(params, Mapping) or not params:
        _fail(f"parameters={params!r} is not allowed; expected a mapping key: [low, high]")
    posterior = data.get("posterior")
    if posterior is not None and not isinstance(posterior, str):
        _fail(f"posterior={posterior!r} is not allowed; expected a calibration name, folder "
              "or posterior.parquet path")
    within = tuple(str(k) for k, v in params.items() if v == "posterior")
    if within and posterior is None:
        _fail(f"parameters.{within[0]}='posterior' needs a top-level posterior: (a "
              "calibration, e.g. status_quo)")
    if posterior is not None and not within:
        _fail(f"posterior={posterior!r} is set but no parameter is written 'posterior' "
              "(e.g. context.exit_rate: posterior)")
    if within:
        from asmsim.config.posterior import load_posterior

        post = load_posterior(posterior)
    parameters = tuple(_within_posterior(str(k), posterior, post, method) if v == "posterior"
                       else _parse_parameter(str(k), v) for k, v in params.items())
    if method == "morris" and any(p.dist != "unif" for p in parameters):
        bad = next(p for p in parameters if p.dist != "unif")
        _fail(f"parameters.{bad.key}.dist={bad.dist!r} is not allowed with morris; "
              "expected unif")
    outs = data["outputs"]
    if not isinstance(outs, Mapping) or not outs:
        _fail(f"outputs={outs!r} is not allowed; expected a mapping column: "
              + " | ".join(REDUCERS))
    for col, reducer in outs.items():
        if reducer not in REDUCERS:
            _fail(f"outputs.{col}={reducer!r} is unknown; available: {', '.join(REDUCERS)}")
    study = Study(name=name, method=method, n=size, seed=seed, parameters=parameters,
                  outputs=tuple((str(c), str(r)) for c, r in outs.items()),
                  scenario=str(scenario), overrides=tuple(overrides), replicates=replicates,
                  model=str(model), second_order=second, num_levels=num_levels,
                  num_resamples=num_resamples, conf_level=float(conf), common_seeds=common,
                  posterior=posterior, posterior_keys=within)
    if check is None:
        from asmsim.analysis.sensitivity.models import model_for

        check = model_for(study.model).check
    return check(study)


def experiments_dir() -> Path:
    """``experiments/`` of the working folder if present, else the one beside the package."""
    here = Path.cwd() / "experiments"
    return here if here.is_dir() else Path(__file__).resolve().parents[3] / "experiments"


def resolve_experiment(ref: str) -> Path:
    """``experiment=`` value -> a study file: a path, or a name under ``experiments/``."""
    path = Path(ref)
    for candidate in (path, path.with_suffix(".yaml"), experiments_dir() / f"{ref}.yaml"):
        if candidate.is_file():
            return candidate
    folder = experiments_dir()
    names = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
    _fail(f"experiment={ref!r} is unknown; available: {', '.join(names) or '(none)'} "
          "or a path to a study YAML")


def load_study(ref: str, *, n: int | None = None) -> Study:
    """Read, parse and validate a study file (name under ``experiments/`` or path)."""
    from asmsim.config.files import read_yaml

    path = resolve_experiment(ref)
    return parse_study(read_yaml(path, "study"), name=path.stem, n=n)
