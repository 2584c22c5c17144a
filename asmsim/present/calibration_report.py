"""``report.md`` of a calibration: what was fitted, how it ran, the posterior and the
posterior predictive check (fitted and held-out targets)."""

from __future__ import annotations

import pandas as pd

from asmsim.analysis.calibration.targets import TargetSet, target_unit


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def report_text(targets: TargetSet, settings, reason: str, generations: pd.DataFrame,
                summary: pd.DataFrame, table: pd.DataFrame, draws: int, figures: list[str]
                ) -> str:
    """The report (Markdown)."""
    from asmsim.config.validate import leaf_fields

    fields = leaf_fields()
    fitted = table[~table["held_out"]]
    held = table[table["held_out"]]
    runs = int(generations["samples"].sum())
    lines = [
        f"# Calibration: {targets.name}",
        "",
        targets.description,
        "",
        (f"ABC-SMC (pyabc) of {len(targets.priors)} parameters to {len(targets.fitted)} "
         f"targets, {settings.particles} particles per generation, "
         f"{int((generations['t'] >= 0).sum())} generations, {runs:,} particle simulations "
         f"(each runs {', '.join(targets.scenarios())} once with one seed). Stopped because "
         f"{reason}. Simulation: `{' '.join(targets.overrides)}`."),
        "",
        (f"**Fit:** of {draws} posterior draws simulated again (new seeds), the share inside "
         f"each fitted target's band is {fitted['share_inside'].min():.0%} at worst and "
         f"{fitted['share_inside'].median():.0%} at the median; the intervals below cover "
         "parameter uncertainty and seed noise together."),
        "",
        "## Posterior (weighted, last generation)",
        "",
        "| parameter | unit | prior | median | 90 % interval |",
        "|---|---|---|---|---|",
    ]
    for row in summary.itertuples():
        unit = fields[row.parameter].metadata.get("unit", "")
        lines.append(f"| `{row.parameter}` | {unit} | [{_fmt(row.prior_low)}, "
                     f"{_fmt(row.prior_high)}] | {_fmt(row.median)} | "
                     f"[{_fmt(row.q05)}, {_fmt(row.q95)}] |")
    by_name = {t.name: t for t in targets.targets}
    not_fitted = ("Targets not fitted (held-out episodes, and levels the target file says "
                  "the model cannot reach)")
    for title, part in (("Fitted targets", fitted), (not_fitted, held)):
        if part.empty:
            continue
        lines += ["", f"## {title}: posterior predictive check", "",
                  "| target | unit | band | simulated median | 5–95 % | draws in band | source |",
                  "|---|---|---|---|---|---|---|"]
        for row in part.itertuples():
            lines.append(f"| {row.target} | {target_unit(by_name[row.target])} | "
                         f"[{_fmt(row.band_low)}, {_fmt(row.band_high)}] | {_fmt(row.median)} | "
                         f"[{_fmt(row.q05)}, {_fmt(row.q95)}] | {row.share_inside:.0%} | "
                         f"{row.source} |")
    lines += ["", "## Generations", "", "| t | ε (band widths) | simulations | acceptance |",
              "|---|---|---|---|"]
    for row in generations[generations["t"] >= 0].itertuples():
        lines.append(f"| {row.t} | {_fmt(row.epsilon)} | {row.samples:,} | "
                     f"{settings.particles / row.samples:.0%} |")
    lines += ["", "## Files", "",
              ("- `posterior.parquet`: the last generation's particles (one column per "
               "parameter, `weight`)"),
              ("- `posterior_summary.csv`, `predictive.csv` (per draw and target), "
               "`predictive_summary.csv`"),
              *[f"- `{name}`" for name in figures],
              ("- `abc.db`: pyabc's database (every generation; `asmsim calibrate` with the "
               "same `out=` continues from it)"), ""]
    return "\n".join(lines)


def check_text(targets: TargetSet, table: pd.DataFrame, at_fit: pd.DataFrame, manifest: dict,
               draws: int, same_targets: bool, commit: str | None) -> str:
    """``check/check.md``: each target's posterior predictive check on the model at
    ``commit`` beside the one made at the fit (``manifest``; same draws and seeds)."""
    fit = at_fit.set_index("target")
    by_name = {t.name: t for t in targets.targets}
    fitted = table[~table["held_out"]]
    lines = [
        f"# Calibration {targets.name}: the fit checked again on the current model",
        "",
        (f"The posterior fitted at commit `{manifest.get('git_commit', '?')}` "
         f"({manifest.get('created_utc', '?')}) is simulated again at commit "
         f"`{commit or '?'}`: the same {draws} posterior draws with the same seeds as the "
         "fit's own predictive check, so what differs is the model, not the draws."),
        "",
        (f"**Now:** the share of draws inside each fitted target's band is "
         f"{fitted['share_inside'].min():.0%} at worst and "
         f"{fitted['share_inside'].median():.0%} at the median."),
    ]
    if not same_targets:
        lines += ["", ("The target file changed since the fit (its digest differs): the "
                       "bands below are today's; the shares at the fit were counted against "
                       "the bands of that time.")]
    for title, held in (("Fitted targets", False), ("Targets not fitted", True)):
        part = table[table["held_out"] == held]
        if part.empty:
            continue
        lines += ["", f"## {title}", "",
                  "| target | unit | band | median now | 5–95 % now | in band now | "
                  "median at the fit | in band at the fit |",
                  "|---|---|---|---|---|---|---|---|"]
        for row in part.itertuples():
            then = fit.loc[row.target] if row.target in fit.index else None
            then_median = _fmt(then["median"]) if then is not None else "—"
            then_inside = f"{then['share_inside']:.0%}" if then is not None else "—"
            lines.append(f"| {row.target} | {target_unit(by_name[row.target])} | "
                         f"[{_fmt(row.band_low)}, {_fmt(row.band_high)}] | {_fmt(row.median)} | "
                         f"[{_fmt(row.q05)}, {_fmt(row.q95)}] | {row.share_inside:.0%} | "
                         f"{then_median} | {then_inside} |")
    lines += ["", "## Files", "", "- `predictive.csv` (per draw and target), "
              "`predictive_summary.csv`", "- `plots/predictive.png`", ""]
    return "\n".join(lines)
