"""A whole robustness analysis: the ensemble's runs, regret, requirements, PRIM boxes,
figures and report, written into one folder (resumable like a sensitivity study).

    <out>/manifest.json, samples.parquet, runs/      the ensemble (as a study folder)
    <out>/outcomes.csv        one row per (policy, future): factors and outcomes
    <out>/regret.csv          per policy and outcome: mean, median/p90/max regret
    <out>/requirements.csv    per policy: share of futures meeting each requirement
    <out>/failure_boxes.csv   per failing policy: the PRIM box in words, coverage, density
    <out>/plots/regret.png, plots/prim.png, report.md
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from asmsim.analysis import robustness as rb
from asmsim.analysis.compare import KEY_OUTPUTS
from asmsim.analysis.sensitivity.evaluate import evaluate, load_runs, study_folder
from asmsim.analysis.sensitivity.sampling import draw, samples_frame
from asmsim.present import plots
from asmsim.present.robustness_plots import prim_figure, regret_figure
from asmsim.results.run_folder import write_folder
from asmsim.run.executor import default_jobs, make_executor
from asmsim.workflows.robustness_plan import check_policies

EXTRA_OUTPUTS = ("income_mean_usd", "active_miners", "licensed_share")


@dataclasses.dataclass
class RobustnessResult:
    out: Path
    outcomes: pd.DataFrame
    regret: pd.DataFrame
    requirements: pd.DataFrame
    boxes: list


def plan(policies: Sequence[str], futures: int, requirements: Sequence[str],
         overrides: Sequence[str], factors: Mapping[str, tuple[float, float]] | None,
         seed: int, posterior: str | None = None):
    """Validate everything before any run: the study, the requirements and the outputs.
    ``posterior``: as :func:`asmsim.analysis.robustness.posterior_choice`."""
    from asmsim.model.recorder import OUTPUTS

    policies = list(policies)
    check_policies(policies, futures, overrides)
    reqs = [rb.parse_requirement(r, [o for o in OUTPUTS if o != "month"]) for r in requirements]
    outputs = list(dict.fromkeys([*KEY_OUTPUTS, *EXTRA_OUTPUTS, *(r.output for r in reqs)]))
    within = rb.posterior_choice(posterior) if factors is None else None
    factors = dict(factors or rb.default_factors(within))
    keys = [k for k in factors if k not in rb.DEFAULT_FACTORS] if within else []
    name = "robustness-" + "-".join(Path(p).stem for p in policies)[:80]
    study = rb.ensemble_study(policies, futures, outputs, factors, overrides, seed, name,
                              posterior=within, posterior_keys=keys)
    return study, reqs


def robustness(policies: Sequence[str], futures: int = 100, requirements: Sequence[str] = (),
               overrides: Sequence[str] = (), *, factors=None, seed: int = 1, jobs: int = 0,
               cluster: str | None = None, out: str | Path | None = None,
               progress: bool = True, model=None, posterior: str | None = None
               ) -> RobustnessResult:
    """Run (or resume) every policy in every future; write the folder; return the tables.

    ``requirements``: texts ``require.OUTPUT>=VALUE`` / ``<=``; ``factors``: uncertain
    factor -> (low, high) (default :func:`asmsim.analysis.robustness.default_factors`);
    ``posterior``: the calibration the calibrated keys vary within (default: the shipped
    ``status_quo`` if present; ``"none"``: their prior ranges); ``overrides``: shared
    config overrides (``miners=``, ``months=``...)."""
    study, reqs = plan(policies, futures, requirements, overrides, factors, seed, posterior)
    out = Path(out) if out else Path("results") / "robustness" / study.name
    model = model or rb.RobustnessModel()
    workers = 8 if cluster else (jobs or default_jobs())
    with study_folder(out, cluster):
        with make_executor(jobs=jobs, cluster=cluster) as executor:
            evaluate(study, out, model, executor, workers=workers, progress=progress)
        samples = samples_frame(study, draw(study))
        frame = rb.outcomes_table(samples, load_runs(out), study)
        signs = rb.directions([o for o, _ in study.outputs], reqs)
        regrets = rb.regret(frame, signs)
        summary = rb.regret_summary(regrets, frame)
        met = rb.satisfaction(frame, reqs)
        factor_names = [p.key for p in study.parameters[2:]]
        boxes = rb.failure_boxes(frame, reqs, factor_names)
        figures = {"plots/regret.png": regret_figure(regrets, model.units())}
        if boxes:
            figures["plots/prim.png"] = prim_figure(boxes)
        box_table = pd.DataFrame([{"policy": b.policy, "fails_where": b.description,
                                   "coverage": b.coverage, "density": b.density,
                                   "restricted_factors": b.restricted, "failures": b.failures,
                                   "futures": b.futures} for b in boxes])
        from asmsim.present.robustness_report import report_text

        report = report_text(study, reqs, summary, met, boxes, factor_names, model.units(),
                             list(figures))
        write_folder(out, {"outcomes.csv": frame, "regret.csv": summary,
                           "requirements.csv": met, "failure_boxes.csv": box_table,
                           **figures, "report.md": report})
        plots.close(figures.values())
    return RobustnessResult(out, frame, summary, met, boxes)
