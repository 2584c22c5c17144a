"""``report.md`` of a robustness analysis: the question, the futures, regret, requirements
and where each policy fails."""

from __future__ import annotations

from asmsim.present.compare_report import fmt


def report_text(study, requirements, regret, met, boxes, factors, units, figures) -> str:
    from pathlib import Path

    names = ", ".join(Path(p).stem for p in study.policies)
    lines = [f"# Robustness: {names}", "",
             f"{len(study.policies)} policies × {study.n} futures (Latin hypercube, seed "
             f"{study.seed}); every policy ran in every future with that future's seed (common "
             "random numbers). Outcomes are means of the last 12 months. Shared overrides: "
             f"`{' '.join(study.overrides) or 'none'}`.", "",
             ("Uncertain factors (uniform ranges): "
              + ", ".join(f"`{p.key}` [{p.low:g}, {p.high:g}]" for p in study.parameters[2:])
              + ". `gold_price_change` is a level change of the world gold price for the "
              "whole horizon (−0.3 = 30 % lower). " + _ranges_from(study)), ""]
    if requirements:
        lines += ["## Requirements: share of futures in which each policy meets them", "",
                  "| policy | " + " | ".join(str(r) for r in requirements)
                  + " | all requirements |",
                  "|---|" + "---|" * (len(requirements) + 1)]
        for row in met.itertuples(index=False):
            values = list(row)[1:len(requirements) + 2]
            lines.append(f"| {row.policy} | " + " | ".join(f"{v:.0%}" for v in values) + " |")
        lines += ["", "## Where each policy fails (scenario discovery, PRIM)", ""]
        if boxes:
            for b in boxes:
                lines.append(f"- **{b.policy}** fails its requirements in {b.failures} of "
                             f"{b.futures} futures, mostly where **{b.description}** "
                             f"(the box holds {b.coverage:.0%} of its failures; "
                             f"{b.density:.0%} of the futures in it fail).")
        else:
            lines.append("- No policy fails in some futures and not others: PRIM has nothing "
                         "to separate.")
        lines.append("")
    lines += ["## Regret", "",
              "Regret: in each future, how far a policy falls short of the best policy there "
              "(in the outcome's unit; 0 = it was the best).", "",
              "| policy | outcome | unit | mean outcome | median regret | 90th pct regret | "
              "largest regret |", "|---|---|---|---|---|---|---|"]
    for row in regret.itertuples():
        lines.append(f"| {row.policy} | {row.output} | {units.get(row.output, '')} | "
                     f"{fmt(row.mean)} | {fmt(row.regret_median)} | {fmt(row.regret_p90)} | "
                     f"{fmt(row.regret_max)} |")
    lines += ["", "## Figures", "", *[f"![{name}]({name})" for name in figures], "",
              "Files: `outcomes.csv` (every run), `regret.csv`, `requirements.csv`, "
              "`failure_boxes.csv`; `runs/` holds the finished runs (the same command "
              "continues an interrupted analysis).", ""]
    return "\n".join(lines)


def _ranges_from(study) -> str:
    """Where the calibrated keys' ranges come from, in one sentence."""
    if study.posterior:
        return (f"The calibrated keys ({len(study.posterior_keys)}) vary over the 5-95 % "
                f"intervals of the calibration posterior `{study.posterior}` (its "
                "correlations between keys are not kept); the others over assumed ranges.")
    return ("The calibrated keys vary over their prior ranges (`posterior=none`, or no "
            "calibration shipped), wider than what the field evidence allows.")
