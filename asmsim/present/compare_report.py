"""The comparison report: plain sentences and a Markdown brief.

Reads the table of :func:`asmsim.analysis.compare.compare`; numbers are shown
in display units (shares in % and differences in percentage points, money in
USD/month, mercury in kg/month).
"""

from __future__ import annotations

import math

import pandas as pd

from asmsim.analysis import distribution as dist
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


def _level(value: float, unit: str) -> str:
    if unit == "0-1":
        return f"{fmt(value * 100, signed=True)} pp"
    return f"{fmt(value, signed=True)} {unit}"


def summary_lines(top: pd.DataFrame, manifest: dict) -> list[str]:
    """For each scenario, the outcomes that changed most (or the headline ones), in words."""
    lines = []
    for scenario, rows in top.groupby("scenario", sort=False):
        parts = []
        for row in rows.itertuples():
            change = _level(row.diff, row.unit)
            ci = f"{_level(row.diff_ci95_low, row.unit)} to {_level(row.diff_ci95_high, row.unit)}"
            rel = "" if math.isnan(row.rel_diff_pct) else f", {fmt(row.rel_diff_pct, True)} %"
            noise = "" if row.significant else ", within noise"
            parts.append(f"`{row.output}` {change} ({ci}{rel}{noise})")
        lines.append(f"- **{scenario}** against {manifest['baseline']}: "
                     + ("; ".join(parts) if parts else "no outcome differs beyond noise") + ".")
    return lines


def fiscal_markdown(fiscal: pd.DataFrame, ratios: pd.DataFrame, baseline: str,
                    rate: float) -> str:
    """The costs section: present-value totals against the baseline, then the ratios."""
    keep = ["net_fiscal_cost_usd_pv", "state_revenue_usd_pv", "state_spending_usd_pv",
            *sorted(t for t in fiscal["total"].unique() if t.startswith("spending_")
                    and t.endswith("_pv")), "tax_gap_usd_pv", "licensed_miners",
            "official_gold_kg", "mercury_kg", "accidents", "miners_who_left",
            "miners_below_poverty_line"]
    lines = [(f"Totals over the horizon; money as present values at {rate:.0%} a year "
              "(`discount_rate=`). Difference from the baseline with its paired 95 % "
              "interval. Net fiscal cost = state spending − state revenue: a negative "
              "value is a surplus, and a positive difference is what the scenario costs "
              "the state beyond the baseline."),
             "", "| Scenario | Total | Unit | Mean | Difference (95 % CI) |", "|---|---|---|---|---|"]
    for row in fiscal[fiscal["total"].isin(keep)].itertuples():
        if row.scenario == baseline:
            diff = "baseline"
        else:
            diff = (f"{fmt(row.diff, True)} ({fmt(row.diff_ci95_low)} to "
                    f"{fmt(row.diff_ci95_high)})")
        lines.append(f"| {row.scenario} | {row.total} | {row.unit} | {fmt(row.mean)} | {diff} |")
    lines += ["", ("Cost-effectiveness (net fiscal cost, present value, per unit gained "
                   "against the baseline; bootstrap 95 % interval over replicate pairs):"), "",
              "| Scenario | Ratio | Value (95 % CI) | Note |", "|---|---|---|---|"]
    for row in ratios.itertuples():
        value = "n/a" if math.isnan(row.value) else \
            f"{fmt(row.value)} ({fmt(row.value_ci95_low)} to {fmt(row.value_ci95_high)}) {row.unit}"
        lines.append(f"| {row.scenario} | {row.ratio} | {value} | {row.note} |")
    return "\n".join(lines)


def _change(diff: float, low: float, high: float, unit: str) -> str:
    """'+37.8 USD/month, 95 % CI 12.1 to 63.5'; shares (0-1) in percentage points."""
    scale, unit = (100.0, "pp") if unit == "0-1" else (1.0, unit)
    return (f"{fmt(diff * scale, True)} {unit}, 95 % CI {fmt(low * scale)} to "
            f"{fmt(high * scale)}")


def _group_changes(rows: pd.DataFrame, measure: str) -> list[str]:
    """'income rose for licensed miners (+37.8 USD/month, ...)' and/or 'fell for ...'."""
    unit, noun = dist.MEASURES[measure], {"income_usd": "income",
                                          "poverty_share": "the poverty share"}[measure]
    rows = rows[rows["measure"] == measure]
    out = []
    for verb, side in (("rose", rows["diff"] > 0), ("fell", rows["diff"] < 0)):
        effects = [f"{dist.group_label(r.group)} ({_change(r.diff, r.low, r.high, unit)})"
                   for r in rows[side].itertuples()]
        if effects:
            out.append(f"{noun} {verb} for {_join(effects)}")
    return out


def _people_line(row, months: int) -> str:
    """Everyone: people who left mining, and below the poverty line, against the baseline."""
    def total(measure: str, what: str) -> str:
        d, lo, hi = (getattr(row, c) for c in (f"{measure}_diff", f"{measure}_diff_ci95_low",
                                               f"{measure}_diff_ci95_high"))
        return f"{fmt(getattr(row, measure))} {what} ({_change(d, lo, hi, 'vs baseline')})"
    return "; ".join([
        total("left_mining_people", f"people left mining over the {months} months"),
        total("below_poverty_people", "people below the poverty line, mean of the last 12 months"),
        total("below_poverty_person_months", "person-months below the poverty line over "
              f"the {months} months")]) + "."


def distribution_markdown(table: pd.DataFrame, baseline: str, months: int) -> str:
    """The "Who gains and who loses" section: per scenario, the groups whose income or
    poverty share changed beyond noise, and the people who left mining or are poor."""
    lines = [("By gender, role and legal status (full table: `distribution.csv`, sheet "
              "`distribution` of `comparison.xlsx`). Income and poverty are last-12-month "
              "means; a change is listed when its paired 95 % interval excludes zero. A group "
              "holds whoever is in it at the time: a licence moves people from informal to "
              "licensed miners, so a group's mean also changes with who is in it."), ""]
    for scenario in table["scenario"].unique():
        if scenario == baseline:
            continue
        changed = dist.changes(table, scenario)
        parts = [*_group_changes(changed, "income_usd"),
                 *_group_changes(changed, "poverty_share")]
        gains = ("; ".join(parts) if parts else
                 "no group's income or poverty share changed beyond noise")
        everyone = table[(table["scenario"] == scenario) & (table["group"] == dist.ALL)]
        lines.append(f"- **{scenario}** against {baseline}: {gains}. "
                     + _people_line(next(everyone.itertuples()), months))
    return "\n".join(lines)


def report_markdown(table: pd.DataFrame, manifest: dict, top: pd.DataFrame | None = None,
                    fiscal: str = "", distribution: str = "") -> str:
    """The whole ``report.md``: summary, settings and seeds, findings, tables, figures."""
    baseline = manifest["baseline"]
    seeds = ", ".join(str(s) for s in manifest["replicate_seeds"])
    overrides = ", ".join(f"`{o}`" for o in manifest["overrides"]
                          if not o.startswith(("out=", "jobs="))) or "none"
    summary = "" if top is None else (
        "## Summary\n\nWhat changed most against the baseline (last-12-month means, "
        "difference with its 95 % interval and relative change; shares in percentage points; "
        f"outputs that grow with the sector also per miner in `comparison.csv`). The intervals "
        f"cover {intervals_cover(manifest)}.\n\n" + "\n".join(summary_lines(top, manifest))
        + "\n\n")
    costs = f"## Costs to the state and cost-effectiveness\n\n{fiscal}\n\n" if fiscal else ""
    who = f"## Who gains and who loses\n\n{distribution}\n\n" if distribution else ""
    return f"""# Scenario comparison: {", ".join(manifest["scenarios"])}

{summary}## Settings

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

All outputs, with units and relative differences: `comparison.csv` (and
`comparison.xlsx`, one sheet per table, with `per_year` and the scenario definitions).

{who}{costs}
## Figures

![Differences from the baseline with 95 % intervals](outcomes.png)

*Differences from the baseline (last-12-month means) with 95 % paired intervals; green: better \
beyond noise, red: worse beyond noise, grey: not distinguishable from noise.*

![Key outputs over time](trajectories.png)

*Median over replicates and 90 % band (5th–95th percentile) per scenario.*
"""
