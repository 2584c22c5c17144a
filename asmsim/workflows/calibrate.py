"""A whole calibration: ABC-SMC generations, the posterior, its predictive check, the
figures and the report, written into one folder (each file atomically).

    <out>/abc.db                   pyabc's database (resumable)
    <out>/posterior.parquet        last generation's particles and weights
    <out>/posterior_summary.csv    per parameter: prior, median, 90 % interval
    <out>/predictive.csv           every target at each of ``draws`` posterior draws
    <out>/predictive_summary.csv   per target: band, median, 5-95 %, share in band
    <out>/plots/predictive.png, plots/posterior.png
    <out>/report.md, manifest.json

:func:`check_calibration` simulates a finished calibration's predictive draws again on
the current model (after a model change) into ``<out>/check/``: the same parameter
draws and seeds as the fit's check, so what moved is the model, not the draws.

    <out>/check/predictive.csv, predictive_summary.csv, plots/predictive.png
    <out>/check/check.md, manifest.json
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from pathlib import Path

import pandas as pd

from asmsim.analysis.calibration import abc
from asmsim.analysis.calibration.targets import TargetSet, target_unit
from asmsim.analysis.sensitivity.evaluate import study_folder
from asmsim.config.validate import ConfigError
from asmsim.present import plots
from asmsim.present.calibration_plots import marginals_figure, predictive_figure
from asmsim.present.calibration_report import check_text, report_text
from asmsim.results.manifest import build_manifest
from asmsim.results.run_folder import write_folder


@dataclasses.dataclass(frozen=True)
class CalibrationResult:
    out: Path
    reason: str
    summary: object      # posterior_summary (DataFrame)
    predictive: object   # predictive_summary (DataFrame)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def progress_line(report: abc.GenerationReport, eta: float | None) -> None:
    """One line per finished generation on stderr: ε, acceptance, time and ETA."""
    tail = f", at most {_duration(eta)} more" if eta is not None else ""
    print(f"generation {report.t}: ε = {report.epsilon:.3g} band widths, acceptance "
          f"{report.acceptance:.0%} ({report.accepted} of {report.simulations:,} simulations), "
          f"{_duration(report.seconds)}{tail}", file=sys.stderr, flush=True)


def run_calibration(targets: TargetSet, out: str | Path, settings: abc.Settings, *,
                    draws: int = 50, progress: bool = True, simulator=None) -> CalibrationResult:
    """Run (or continue) the calibration of ``targets`` into ``out`` and write every file."""
    out = Path(out)
    started = time.perf_counter()
    with study_folder(out, settings.cluster):
        history, reason = abc.calibrate(targets, out, settings,
                                        progress_line if progress else (lambda r, e: None),
                                        simulator)
        post = abc.posterior(history)
        summary = abc.summarise(post, targets)
        drawn = abc.resample(post, draws, settings.seed)
        frame = abc.predictive(targets, drawn, settings.jobs, settings.cluster, progress)
        table = abc.predictive_table(frame, targets)
        units = {t.name: target_unit(t) for t in targets.targets}
        figures = {"plots/predictive.png": predictive_figure(frame, table, units),
                   "plots/posterior.png": marginals_figure(post, summary, {})}
        generations = history.get_all_populations()
        report = report_text(targets, settings, reason, generations, summary, table, draws,
                             list(figures))
        manifest = build_manifest(targets=targets.name,
                                  digest=targets.digest(), settings=dataclasses.asdict(settings),
                                  draws=draws, stop_reason=reason,
                                  simulations=int(generations["samples"].sum()),
                                  wall_seconds=round(time.perf_counter() - started, 1))
        write_folder(out, {"posterior.parquet": post, "posterior_summary.csv": summary,
                           "predictive.csv": frame, "predictive_summary.csv": table,
                           **figures, "report.md": report, "manifest.json": manifest})
        plots.close(figures.values())
    return CalibrationResult(out, reason, summary, table)


CHECK = "check"  # subfolder of a calibration folder with the re-check of its fit


def _fitted_folder(targets: TargetSet, out: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """A finished calibration in ``out``: its posterior, its predictive summary at the fit
    and its manifest; a missing or mismatched one is a one-line ConfigError."""
    files = {name: out / name for name in ("posterior.parquet", "predictive_summary.csv",
                                           "manifest.json")}
    missing = [name for name, path in files.items() if not path.is_file()]
    if missing:
        raise ConfigError(f"check=true: {out} holds no finished calibration (missing "
                          f"{', '.join(missing)}); run asmsim calibrate targets={targets.name} "
                          f"out={out} first")
    post = pd.read_parquet(files["posterior.parquet"])
    keys = sorted(p.key for p in targets.priors)
    if sorted(c for c in post.columns if c != "weight") != keys:
        raise ConfigError(f"check=true: the posterior in {out} calibrates "
                          f"{sorted(c for c in post.columns if c != 'weight')}, the target file "
                          f"{targets.name} {keys}; pass the same parameters= as the fit")
    manifest = json.loads(files["manifest.json"].read_text())
    return post, pd.read_csv(files["predictive_summary.csv"]), manifest


def check_calibration(targets: TargetSet, out: str | Path, settings: abc.Settings, *,
                      draws: int | None = None, progress: bool = True) -> CalibrationResult:
    """Simulate the predictive draws of the calibration in ``out`` again on the current
    model and write ``out/check/``: each target's share of draws inside its band now and
    at the fit. Draws and seeds are the fit's (its ``draws`` and sampling ``seed`` unless
    given), so the difference is the model's."""
    out = Path(out)
    started = time.perf_counter()
    with study_folder(out, settings.cluster):
        post, at_fit, manifest = _fitted_folder(targets, out)
        draws = draws or int(manifest.get("draws", 50))
        seed = int(manifest.get("settings", {}).get("seed", settings.seed))
        drawn = abc.resample(post, draws, seed)
        frame = abc.predictive(targets, drawn, settings.jobs, settings.cluster, progress)
        table = abc.predictive_table(frame, targets)
        units = {t.name: target_unit(t) for t in targets.targets}
        figure = predictive_figure(frame, table, units)
        check_manifest = build_manifest(targets=targets.name, digest=targets.digest(),
                                        fit_commit=manifest.get("git_commit"),
                                        fit_created_utc=manifest.get("created_utc"),
                                        draws=draws, seed=seed,
                                        wall_seconds=round(time.perf_counter() - started, 1))
        text = check_text(targets, table, at_fit, manifest, draws,
                          same_targets=manifest.get("digest") == targets.digest(),
                          commit=check_manifest["git_commit"])
        write_folder(out / CHECK, {"predictive.csv": frame, "predictive_summary.csv": table,
                                   "plots/predictive.png": figure, "check.md": text,
                                   "manifest.json": check_manifest})
        plots.close([figure])
    return CalibrationResult(out / CHECK, "re-check of the fit", abc.summarise(post, targets),
                             table)
