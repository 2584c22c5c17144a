"""The ``report.md`` of a sensitivity study: design, parameters, outputs, ranked indices, figures.

Reads the tidy index table of :mod:`asmsim.analysis.sensitivity.indices`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from asmsim.analysis.sensitivity.study import Study

PAIRS_SHOWN = 5  # second-order indices listed per output in report.md (all are in indices.csv)
REDUCER_TEXT = {"final": "value in the last month", "last12": "mean of the last 12 months",
                "cumulative": "sum over all months"}


def _fmt(value: float) -> str:
    return "n/a" if value != value else f"{value:.3g}"


def _ranking(study: Study, indices: pd.DataFrame) -> list[str]:
    """Markdown table per output: parameters ranked by ST (Sobol) or mu* (Morris)."""
    key = "ST" if study.method == "sobol" else "mu_star"
    lines = []
    for output, _ in study.outputs:
        rows = indices[(indices["output"] == output) & (indices["index"] != "S2")]
        sub = rows.pivot(index="parameter", columns="index", values="value")
        conf = rows.pivot(index="parameter", columns="index", values="conf")
        sub = sub.sort_values(key, ascending=False, na_position="last")
        lines.append(f"\n### {output}\n")
        if study.method == "sobol":
            lines.append("| parameter | S1 | ± | ST | ± |\n|---|---|---|---|---|")
            lines += [f"| `{p}` | {_fmt(r['S1'])} | {_fmt(conf.loc[p, 'S1'])} | "
                      f"{_fmt(r['ST'])} | {_fmt(conf.loc[p, 'ST'])} |" for p, r in sub.iterrows()]
            lines += _pairs(indices[(indices["output"] == output) & (indices["index"] == "S2")])
        else:
            lines.append("| parameter | mu* | ± | mu | sigma |\n|---|---|---|---|---|")
            lines += [f"| `{p}` | {_fmt(r['mu_star'])} | {_fmt(conf.loc[p, 'mu_star'])} | "
                      f"{_fmt(r['mu'])} | {_fmt(r['sigma'])} |" for p, r in sub.iterrows()]
    return lines


def _pairs(s2: pd.DataFrame, shown: int = PAIRS_SHOWN) -> list[str]:
    """Markdown table of the largest second-order indices (pairs), if any were computed."""
    if s2.empty:
        return []
    top = s2.sort_values("value", ascending=False).head(shown)
    beyond = int(((s2["value"] - s2["conf"]) > 0).sum())
    lines = [f"\nLargest second-order indices (S2: share of variance due to the pair's "
             f"interaction alone); {beyond} of {len(s2)} pairs have an interval above 0.\n",
             "| pair | S2 | ± |", "|---|---|---|"]
    lines += [f"| `{r.parameter.replace(':', '` × `')}` | {_fmt(r.value)} | {_fmt(r.conf)} |"
              for r in top.itertuples()]
    return lines


def parameter_docs(study: Study) -> dict[str, tuple[str, str]]:
    """{key: (unit, description)} from the config schema (empty for test functions)."""
    if study.model != "asm":
        return {}
    from asmsim.config import leaf_fields

    fields = leaf_fields()
    return {p.key: (fields[p.key].metadata.get("unit") or "",
                    fields[p.key].metadata.get("doc") or "") for p in study.parameters}


def _seeding(study: Study) -> str:
    """How the study's runs are seeded, in words."""
    if not study.common_seeds:
        return "a seed per sample point"
    return "common seeds along each " + ("trajectory" if study.method == "morris"
                                         else "base block")


def report_text(study: Study, indices: pd.DataFrame, y: np.ndarray, units: dict[str, str],
                figures: list[str]) -> str:
    """The Markdown report: design, parameters, outputs, ranked indices, figures."""
    docs = parameter_docs(study)
    what = ("S1 = first-order share of the output's variance, ST = total share including "
            "interactions; ± = half-width of the bootstrap interval"
            if study.method == "sobol" else
            "mu* = mean absolute elementary effect (output unit), sigma = its spread "
            "(non-linearity or interactions); ± = bootstrap half-width of mu*")
    lines = [
        f"# Sensitivity study: {study.name}", "",
        f"- method: **{study.method}**, N = {study.n}"
        + (" trajectories" if study.method == "morris" else " (base sample)")
        + f", {study.n_points} sample points × {study.replicates} replicate(s) = "
        f"{study.n_runs} runs",
        f"- model: {study.model}; scenario `{study.scenario}`; overrides "
        f"`{' '.join(study.overrides) or '(none)'}`; seed {study.seed}; {_seeding(study)}",
        f"- confidence level {study.conf_level:g}, {study.num_resamples} bootstrap resamples",
        f"- study digest `{study.digest()[:16]}`", "",
        "## Parameters", "", "| key | low | high | distribution | type | unit | meaning |",
        "|---|---|---|---|---|---|---|",
    ]
    if study.posterior_keys:
        lines[-2:-2] = [
            f"Within the posterior: {', '.join(f'`{k}`' for k in study.posterior_keys)} vary "
            f"over the 5–95 % interval of calibration `{study.posterior}`'s posterior "
            + ("(uniform: Morris allows no other distribution)" if study.method == "morris"
               else "(triangular, peaked at its median)")
            + ", each independently: the posterior's correlations are not kept.", ""]
    for p in study.parameters:
        unit, doc = docs.get(p.key, ("", ""))
        lines.append(f"| `{p.key}` | {p.low:g} | {p.high:g} | {p.dist} | {p.kind} | {unit} | "
                     f"{doc} |")
    lines += ["", "## Outputs", "", "| output | unit | reduced to | mean | sd |",
              "|---|---|---|---|---|"]
    for k, (col, reducer) in enumerate(study.outputs):
        lines.append(f"| `{col}` | {units.get(col, '')} | {REDUCER_TEXT[reducer]} | "
                     f"{_fmt(float(np.mean(y[:, k])))} | {_fmt(float(np.std(y[:, k])))} |")
    lines += ["", "## Indices", "", what + ". Full table: `indices.csv`; convergence on "
              "growing prefixes of the sample: `convergence.csv`."]
    lines += _ranking(study, indices)
    lines += ["", "## Figures", ""] + [f"![{f}]({f})" for f in figures] + [""]
    return "\n".join(lines)
