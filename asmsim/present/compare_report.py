"""The comparison report: plain sentences and a Markdown brief.

Reads the table of :func:`asmsim.analysis.compare.compare`; numbers are shown
in display units (shares in % and differences in percentage points, money in
USD/month, mercury in kg/month).
"""

from __future__ import annotations

import math

import pandas as pd

from asmsim.analysis.compare import KEY_OUTPUTS

MINUS = "\u2212"


def fmt(value: float, signed: bool = False) -> str:
    """About three significant figures, thousands separators, a true minus sign."""
    if math.isnan(value):
        return "n/a"
    digits = 0 if value == 0 else max(0, 2 - math.floor(math.log10(abs(value))))
    text = f"{abs(value):,.{digits}f}"
    sign = MINUS if value < 0 else ("+" if signed and value > 0 else "")
    return sign + text


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _effect(row: pd.Series, detail: bool) -> str:
    """'legal (+45 pp, 95 % CI 41–49)' in display units."""
    key = KEY_OUTPUTS[row["output"]]
    d, lo, hi = (row[c] * key.scale for c in ("diff", "diff_ci95_low", "diff_ci95_high"))
    ci = f", 95 % CI {fmt(lo)} to {fmt(hi)}" if detail else ""
    return f"{row['scenario']} ({fmt(d, signed=True)} {key.diff_unit}{ci})"


def sentence(table: pd.DataFrame, output: str, baseline: str) -> str:
    """One plain sentence: which scenarios beat the baseline beyond noise, by how much."""
    key = KEY_OUTPUTS[output]
    rows = table[(table["output"] == output) & (table["scenario"] != baseline)]
    order = (rows["diff"] * key.direction).sort_values(ascending=False).index
    rows = rows.loc[order]
    better = rows[rows["verdict"] == "better"]
    worse = rows[rows["verdict"] == "worse"].iloc[::-1]
    same = rows[rows["verdict"] == "no difference"]
    aim = "higher" if key.direction > 0 else "lower"
    parts = []
    if len(same) == len(rows):
        return f"{key.label} ({aim} is better): no scenario differs from the baseline beyond " \
               "replicate noise."
    if len(better):
        effects = [_effect(r, detail=i == 0) for i, (_, r) in enumerate(better.iterrows())]
        verb = "beats" if len(better) == 1 else "beat"
        parts.append(f"{_join(effects)} {verb} the baseline beyond replicate noise")
    else:
        parts.append("no scenario beats the baseline beyond replicate noise")
    if len(worse):
        effects = [_effect(r, detail=False) for _, r in worse.iterrows()]
        verb = "does" if len(worse) == 1 else "do"
        parts.append(f"{_join(effects)} {verb} worse")
    if len(same) and len(same) < len(rows):
        verb = "does" if len(same) == 1 else "do"
        parts.append(f"{_join(list(same['scenario']))} {verb} not differ from it")
    return f"{key.label} ({aim} is better): " + "; ".join(parts) + "."


def findings(table: pd.DataFrame, baseline: str) -> list[str]:
    """One sentence per key output."""
    return [sentence(table, output, baseline) for output in KEY_OUTPUTS]


def key_table(table: pd.DataFrame, baseline: str) -> str:
    """Markdown table of the key outputs: level and difference with 95 % intervals."""
    header = ("| Output | Scenario | Mean (95 % CI) | Difference from baseline (95 % CI) | "
              "Beyond noise |")
    lines = [header, "|---|---|---|---|---|"]
    for output, key in KEY_OUTPUTS.items():
        for _, row in table[table["output"] == output].iterrows():
            s = key.scale
            level = (f"{fmt(row['mean'] * s)} ({fmt(row['mean_ci95_low'] * s)} to "
                     f"{fmt(row['mean_ci95_high'] * s)}) {key.unit}")
            if row["scenario"] == baseline:
                diff, mark = "baseline", ""
            else:
                diff = (f"{fmt(row['diff'] * s, signed=True)} ({fmt(row['diff_ci95_low'] * s)} "
                        f"to {fmt(row['diff_ci95_high'] * s)}) {key.diff_unit}")
                mark = {"better": "**better**", "worse": "**worse**"}.get(row["verdict"], "no")
            lines.append(f"| {key.label} | {row['scenario']} | {level} | {diff} | {mark} |")
    return "\n".join(lines)


def intervals_cover(manifest: dict) -> str:
    """What the comparison's intervals cover, in one sentence."""
    if manifest.get("posterior"):
        return (f"seed noise and parameter uncertainty: replicate i of every scenario ran "
                f"draw i of the calibration posterior '{manifest['posterior']}' with seed i "
                f"({manifest['replicates']} draws)")
    return ("seed noise only (the replicates differ by their random numbers; parameters are "
            "fixed at their defaults — add posterior=NAME to include parameter uncertainty)")


def report_markdown(table: pd.DataFrame, manifest: dict) -> str:
    """The whole ``report.md``: settings and seeds, findings, table, figures."""
    baseline = manifest["baseline"]
    seeds = ", ".join(str(s) for s in manifest["replicate_seeds"])
    overrides = ", ".join(f"`{o}`" for o in manifest["overrides"]
                          if not o.startswith(("out=", "jobs="))) or "none"
    return f"""# Scenario comparison: {", ".join(manifest["scenarios"])}

## Settings

- Scenarios: {", ".join(manifest["scenarios"])}; baseline: **{baseline}**
- {manifest["miners"]} miners at month 0, {manifest["months"]} months, \
{manifest["replicates"]} replicates per scenario
- Common random numbers: every scenario ran with the same replicate seeds \
(master seed {manifest["seed"]}): {seeds}
- Overrides applied to all scenarios: {overrides}
- **What the intervals cover:** {intervals_cover(manifest)}.
- Outcomes are means over the last 12 simulated months. Intervals are 95 % Student-t \
intervals across replicates; differences are computed on the paired per-replicate differences \
(replicate *i* of a scenario minus replicate *i* of the baseline). "Beyond noise" means the \
interval of the difference excludes zero. Higher is better for formalization shares, incomes \
and state net revenue; lower is better for mercury and illicit flows.
- asmsim {manifest.get("asmsim_version", "?")}, commit {manifest.get("git_commit") or "n/a"}, \
created {manifest.get("created_utc", "")}

## Findings

{chr(10).join(f"- {s}" for s in findings(table, baseline))}

## Key outputs

{key_table(table, baseline)}

All outputs, with units and relative differences: `comparison.csv`.

## Figures

![Differences from the baseline with 95 % intervals](outcomes.png)

*Differences from the baseline (last-12-month means) with 95 % paired intervals; green: better \
beyond noise, red: worse beyond noise, grey: not distinguishable from noise.*

![Key outputs over time](trajectories.png)

*Median over replicates and 90 % band (5th–95th percentile) per scenario.*
"""
