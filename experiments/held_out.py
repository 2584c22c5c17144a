"""The held-out episodes of ``configs/targets/status_quo.yaml``, trajectory by trajectory.

The calibration never fits these episodes; they test the model on evidence it was not
tuned to (issue 11 §4). For each episode this runs the scenario that reproduces it and
its comparator with the same seeds (common random numbers), at the size the target file
gives every particle, and plots the simulated trajectory (median and 5–95 % range over
replicates, or over posterior draws with ``--posterior``) beside the observed points,
with the target's statistic and band.

Run::

    .venv/bin/python experiments/held_out.py [--replicates 16] [--jobs 0]
        [--posterior results/calibration/status_quo] [--out results/validation]

Writes ``held_out.png`` and ``held_out.csv`` (one row per episode, run and month)
atomically into ``--out`` and prints a markdown table of the statistics against the
bands.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd

from asmsim.analysis.calibration.abc import run_config, statistic
from asmsim.analysis.calibration.targets import Target, load_targets
from asmsim.run import replicate_seeds, run_tasks


@dataclasses.dataclass(frozen=True)
class Episode:
    """A held-out target with the observed trajectory drawn beside the simulated one."""

    target: str                 # name in configs/targets/status_quo.yaml
    title: str
    ylabel: str
    # observed points: (model month, value relative to the same reference as the curve)
    observed: tuple[tuple[float, float], ...]
    observed_label: str
    yearly: bool                # plot yearly means (a multi-year episode) or months
    # a second simulated curve: the scenario over this comparator, same prices and seeds
    comparator: str | None = None


EPISODES = (
    Episode("mongolia_2014_royalty_cut",
            "Mongolia 2014: royalty 5–10 % → 2.5 %",
            "official export share (ratio)",
            # Bank of Mongolia purchases 12.7 t (2014), 20.0 t (2017), 22 t (2018):
            # domain-facts §2a, §5.1; year k plotted at the middle month of year k.
            ((6.5, 1.0), (42.5, 20.0 / 12.7), (54.5, 22.0 / 12.7)),
            "Bank of Mongolia purchases / 2014 (domain-facts §2a)", yearly=True,
            comparator="baseline"),
    Episode("tanzania_2019_trading_centres",
            "Tanzania 2019: state trading centres",
            "official exports, scenario / status quo (ratio)",
            # ≈ 170 kg/month official before (≈ 10 % of ≈ 20 t/yr), 409.3 kg in the
            # first month of > 22 trading centres: domain-facts §2b, §5.3.
            ((1.0, 409.3 / 170.0),),
            "409 kg in month 1 / ≈ 170 kg a month before (domain-facts §2b)", yearly=False),
    Episode("lockdown_price_fall",
            "Burkina Faso 2020: lockdown, months 30–35",
            "traders' price, scenario / status quo (ratio)",
            # local gold prices −20 to −30 % during the lockdown: domain-facts §2c.
            ((30.0, 0.75), (35.0, 0.75)),
            "local price −20 to −30 % (domain-facts §2c)", yearly=False),
)


def runs_of(episode: Episode, target: Target) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The target's runs, and the comparator's run on the same overrides."""
    extra = ((episode.comparator, target.overrides),) if episode.comparator else ()
    return tuple(dict.fromkeys((*target.runs(), *extra)))


def trajectory(target: Target, tables: dict, column: str) -> pd.Series:
    """The target's output by month, relative to the comparator run or to its base
    months (the curve whose window mean is the target's statistic, up to ``per``)."""
    first = tables[target.runs()[0]].set_index("month")[column].loc[1:]
    if target.relative_to is not None:
        return first / tables[target.runs()[1]].set_index("month")[column].loc[1:]
    if target.base_months is not None:
        low, high = target.base_months
        return first / first.loc[low:high].mean()
    return first


def simulate(episodes, replicates: int, jobs: int, posterior: str | None
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Monthly trajectories (episode, replicate, month, value) and the statistics
    (episode, replicate, value) of every episode."""
    targets = load_targets("status_quo")
    by_name = {t.name: t for t in targets.targets}
    seeds = replicate_seeds(2024, replicates)
    if posterior is not None:
        from asmsim.config.posterior import draws, load_posterior
        params = draws(load_posterior(posterior), replicates)
    else:
        params = [{} for _ in range(replicates)]
    tasks, keys = [], []
    for episode in episodes:
        target = by_name[episode.target]
        for run in runs_of(episode, target):
            for k, values in enumerate(params):
                tasks.append((run_config(targets, run, values), seeds[k]))
                keys.append((episode.target, run, k))
    tables = run_tasks(tasks, jobs=jobs, desc="held-out episodes")
    by_key = dict(zip(keys, tables, strict=True))
    curves, stats = [], []
    for episode in episodes:
        target = by_name[episode.target]
        for k in range(replicates):
            runs = {run: by_key[(episode.target, run, k)] for run in runs_of(episode, target)}
            curve = trajectory(target, runs, target.output)
            curves.append(pd.DataFrame({"episode": episode.target, "curve": "target",
                                        "replicate": k, "month": curve.index,
                                        "value": curve.to_numpy()}))
            if episode.comparator:
                versus = dataclasses.replace(target, relative_to=episode.comparator,
                                             base_months=None)
                curve = trajectory(versus, runs, target.output)
                curves.append(pd.DataFrame({"episode": episode.target, "curve": "comparator",
                                            "replicate": k, "month": curve.index,
                                            "value": curve.to_numpy()}))
            stats.append({"episode": episode.target, "replicate": k,
                          "value": statistic(target, runs, {})})
    return pd.concat(curves, ignore_index=True), pd.DataFrame(stats)


def yearly(curve: pd.DataFrame) -> pd.DataFrame:
    """Yearly means of monthly values, placed at each year's middle month."""
    year = (curve["month"] - 1) // 12
    out = curve.assign(month=year * 12 + 6.5).groupby(["replicate", "month"], as_index=False)
    return out["value"].mean()


def plot(episodes, curves: pd.DataFrame, stats: pd.DataFrame, by_name, what: str, path: Path):
    """One panel per episode: simulated median and 5–95 % range, observed points, band."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from asmsim.results.atomic import save_figure

    fig, axes = plt.subplots(1, len(episodes), figsize=(5.4 * len(episodes), 5.4))
    for ax, episode in zip(np.atleast_1d(axes), episodes, strict=True):
        target = by_name[episode.target]
        for name, colour, label in (
                ("target", "tab:blue", "simulated, " + (
                    f"{target.scenario} / {target.relative_to}" if target.relative_to
                    else f"{target.scenario}, year / year 1")),
                ("comparator", "tab:orange",
                 f"simulated, {target.scenario} / {episode.comparator}, same prices")):
            curve = curves[(curves["episode"] == episode.target) & (curves["curve"] == name)]
            if curve.empty:
                continue
            if episode.yearly:
                curve = yearly(curve)
            wide = curve.pivot(index="month", columns="replicate", values="value")
            months = wide.index.to_numpy(dtype=float)
            ax.fill_between(months, wide.quantile(0.05, axis=1), wide.quantile(0.95, axis=1),
                            alpha=0.25, color=colour)
            ax.plot(months, wide.median(axis=1), color=colour,
                    marker="o" if episode.yearly else None,
                    label=f"{label} (median, 5–95 %)")
        window = [target.first - 0.5, target.last + 0.5]
        ax.fill_between(window, target.low, target.high, alpha=0.2, color="tab:green",
                        label=f"target band, months {target.first}–{target.last}")
        ox, oy = zip(*episode.observed, strict=True)
        ax.plot(ox, oy, "s", color="black", markersize=7, label=episode.observed_label)
        ax.axhline(1.0, color="grey", linewidth=0.8, linestyle=":")
        value = stats.loc[stats["episode"] == episode.target, "value"]
        ax.set_title(f"{episode.title}\nstatistic {value.median():.2f} "
                     f"[{value.quantile(0.05):.2f}, {value.quantile(0.95):.2f}], "
                     f"band [{target.low:g}, {target.high:g}]", fontsize=10)
        ax.set_xlabel("model month (the policy or shock as in the scenario)")
        ax.set_ylabel(episode.ylabel)
        ax.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.17))
    fig.suptitle(f"Held-out episodes: observed against simulated (never fitted; {what})")
    fig.tight_layout()
    save_figure(path, fig)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicates", type=int, default=16)
    parser.add_argument("--jobs", type=int, default=0)
    parser.add_argument("--posterior", default=None,
                        help="a calibration folder: replicate k runs posterior draw k")
    parser.add_argument("--out", type=Path, default=Path("results/validation"))
    args = parser.parse_args()
    from asmsim.results.atomic import write_csv

    by_name = {t.name: t for t in load_targets("status_quo").targets}
    curves, stats = simulate(EPISODES, args.replicates, args.jobs, args.posterior)
    what = f"{args.replicates} posterior draws" if args.posterior else \
        f"{args.replicates} seeds, default parameters"
    args.out.mkdir(parents=True, exist_ok=True)
    plot(EPISODES, curves, stats, by_name, what, args.out / "held_out.png")
    write_csv(args.out / "held_out.csv", curves)
    print(f"| episode | band | simulated median [5 %, 95 %] ({what}) | inside the band |")
    print("|---|---|---|---|")
    for episode in EPISODES:
        target = by_name[episode.target]
        value = stats.loc[stats["episode"] == episode.target, "value"]
        inside = ((value >= target.low) & (value <= target.high)).mean()
        print(f"| {episode.target} | [{target.low:g}, {target.high:g}] | {value.median():.3f} "
              f"[{value.quantile(0.05):.3f}, {value.quantile(0.95):.3f}] | {inside:.0%} |")


if __name__ == "__main__":
    main()
