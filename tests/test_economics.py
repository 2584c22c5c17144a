"""Economic-sign properties: each policy change moves an outcome the way economics says.

Each property compares a *variant* policy with a *base* policy as paired runs under
common random numbers (docs/compare.md): the same replicate seed gives both runs the
same random numbers per process, month and miner, so the per-seed difference
(variant − base) of an outcome statistic carries little noise besides the policy's own
effect. The statistic is the outcome's mean over a window of months (months 61–96 of a
96-month run of 1,500 miners unless a property says otherwise) or its total over the
window. The mean difference across seeds gets a 95 % Student-t interval, and the
property asserts its sign:

- ``"up"``: the interval lies strictly above 0;
- ``"down"``: the interval lies strictly below 0;
- ``"not_down"``: the interval's lower bound lies above −δ, where δ, the negligible
  effect, is 2 % of the base statistic's mean in absolute value (4 USD/month of a
  200 USD/month income). "Does not lower" thus means the data exclude a fall larger
  than 2 % of the base level. Where the true effect is near zero (a royalty cut moves
  few miners), no interval can exclude 0 itself; 2 % is what 24 paired seeds resolve
  at this size (the interval's half-width is ≈ 1 % of the level).

The properties are the sign tests of issue 9 §5 and the design spec §9.7; the credit
properties (a serviced loan ends at its term, debts within their caps, no loan kept for a
payment that failed) are unit tests at the end of this file. Each row names the mechanism it guards. A run shared by several
properties (above all the baseline) runs once per seed: runs are cached by their
overrides and seed. A failing property prints the mean difference, its standard error,
the interval and the base level; it is the honest statement of the property, not to be
weakened to pass. A property the model no longer has, because a mechanism changed
its economics, is kept in ``NO_LONGER_HOLDS`` with the reason and asserted to fail
(a strict expected failure), so the change stays visible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from asmsim.analysis.patterns import window as window_means
from asmsim.results.summary import mean_interval
from asmsim.run.api import replicate_seeds, simulate_variant

MINERS = 1_500
MONTHS = 96
WINDOW = (61, 96)
MASTER_SEED = 2024
NEGLIGIBLE_SHARE = 0.02  # δ = 2 % of |base level| for "not_down"
SEEDS_NOT_DOWN = 24
SEEDS_UP = 8
# The official buyer's underpaid share varied by ≈ 0.042 between seeds before pits, so 32
# seeds were used. Since newcomers expect informal miners' income (ODD 7.10) it is 0.054
# [0.051, 0.057] over these 8 seeds (seed sd 0.0034), far under the 0.15 bound below.
SEEDS_UNDERPAID = 8
SETTABLE = ("policy.", "context.")  # keys simulate_variant sets; the rest compose the config

_RUNS: dict[tuple[tuple[tuple[str, str], ...], int], pd.DataFrame] = {}


@dataclass(frozen=True)
class Effect:
    """Paired effect of a variant over a base: per-seed differences and their summary."""

    diffs: np.ndarray
    mean: float
    se: float
    low: float
    high: float
    base_level: float

    def describe(self) -> str:
        """Mean, SE, 95 % interval and base level, for an assertion message."""
        return (f"mean {self.mean:+.4g}, SE {self.se:.3g}, 95 % CI [{self.low:+.4g}, "
                f"{self.high:+.4g}] over {len(self.diffs)} seeds; base level "
                f"{self.base_level:.4g}")


def _overrides(base: Sequence[str], variant: Sequence[str] = ()) -> dict[str, str]:
    """``key=value`` overrides as a dict; ``variant`` entries replace ``base`` ones."""
    return dict(item.split("=", 1) for item in (*base, *variant))


def _run(overrides: dict[str, str], seed: int) -> pd.DataFrame:
    """The monthly table of one configuration and seed, run once per session.

    Composition keys (``scenario``, ``miners``, ``months``) compose the base config
    (once per process, :func:`asmsim.run.api.base_config`); policy and context keys
    are set on it by :func:`simulate_variant`.
    """
    key = (tuple(sorted(overrides.items())), seed)
    if key not in _RUNS:
        compose = [f"{k}={v}" for k, v in overrides.items() if not k.startswith(SETTABLE)]
        values = {k: v for k, v in overrides.items() if k.startswith(SETTABLE)}
        _RUNS[key] = simulate_variant(compose, values, seed=seed)
    return _RUNS[key]


def _statistic(tables: list[pd.DataFrame], outcome: str, statistic: str,
               window: tuple[int, int]) -> np.ndarray:
    """Per table: ``outcome``'s mean (``"window_mean"``) or sum (``"total"``) over ``window``."""
    first, last = window
    means = window_means(tables, outcome, first, last)
    if statistic == "window_mean":
        return means
    if statistic == "total":
        return means * (last - first + 1)  # every month of the window is recorded
    raise ValueError(f"unknown statistic {statistic!r}")


def paired_effect(base_overrides: Sequence[str], variant_overrides: Sequence[str], outcome: str,
                  seeds: Sequence[int], miners: int = MINERS, months: int = MONTHS,
                  window: tuple[int, int] = WINDOW, statistic: str = "window_mean") -> Effect:
    """Variant − base of ``outcome``'s statistic, paired by seed (common random numbers).

    ``variant_overrides`` are applied on top of ``base_overrides`` (a key in both takes
    the variant's value). Returns the per-seed differences, their mean, standard error
    and 95 % t-interval, and the base statistic's mean.
    """
    size = (f"miners={miners}", f"months={months}")
    base = _overrides((*size, *base_overrides))
    variant = _overrides((*size, *base_overrides), variant_overrides)

    def stat(overrides: dict[str, str]) -> np.ndarray:
        return _statistic([_run(overrides, s) for s in seeds], outcome, statistic, window)

    base_values = stat(base)
    diffs = stat(variant) - base_values
    mean, low, high = mean_interval(diffs)
    se = float(diffs.std(ddof=1) / np.sqrt(len(diffs)))
    return Effect(diffs, mean, se, low, high, float(base_values.mean()))


def holds(effect: Effect, direction: str) -> bool:
    """Whether ``effect``'s interval has the sign ``direction`` demands (module docstring)."""
    if direction == "up":
        return effect.low > 0
    if direction == "down":
        return effect.high < 0
    if direction == "not_down":
        return effect.low > -NEGLIGIBLE_SHARE * abs(effect.base_level)
    raise ValueError(f"unknown direction {direction!r}")


@dataclass(frozen=True)
class Property:
    """One economic-sign property: a policy change, an outcome and the sign it must have."""

    id: str
    mechanism: str
    base: tuple[str, ...]
    variant: tuple[str, ...]
    outcome: str
    direction: str  # "up" | "down" | "not_down"
    seeds: int = 0  # 0: SEEDS_NOT_DOWN for "not_down", else SEEDS_UP
    statistic: str = "window_mean"  # "window_mean" | "total"
    window: tuple[int, int] = WINDOW

    def effect(self) -> Effect:
        """The paired effect of this property's variant over its base."""
        seeds = self.seeds or (SEEDS_NOT_DOWN if self.direction == "not_down" else SEEDS_UP)
        return paired_effect(self.base, self.variant, self.outcome,
                             replicate_seeds(MASTER_SEED, seeds), window=self.window,
                             statistic=self.statistic)


BASELINE = ("scenario=baseline",)
ROYALTY_CUT = ("policy.market.royalty_rate=0.025",)
CHEAP_LICENCE = ("policy.legal.licence_fee_usd=300",)
FAST_LICENCE = ("policy.legal.licence_processing_months=6",)
OFFICIAL_BUYER = ("scenario=official_buying", "policy.market.official_buyer.price_share=0.99",
                  "policy.market.royalty_rate=0.0")
FREE_TRIPS = ("context.trip_cost_fixed_usd=0", "context.trip_cost_usd_per_cell=0")

PROPERTIES = [
    # 1. Royalty 7 % -> 2.5 %.
    Property("royalty_cut_income", "a lower royalty raises the net price of formal sales, "
             "so it cannot lower what miners earn", BASELINE, ROYALTY_CUT,
             "income_mean_usd", "not_down"),
    Property("royalty_cut_gold", "a higher net price makes every pit at least as worth "
             "working, so a lower royalty cannot lower gold output", BASELINE, ROYALTY_CUT,
             "gold_kg", "not_down"),
    Property("royalty_cut_miners", "a higher net price keeps at least as many miners above "
             "their reservation wage, so a lower royalty cannot lower miner numbers",
             BASELINE, ROYALTY_CUT, "active_miners", "not_down"),
    Property("royalty_cut_official_share", "a lower royalty narrows the gap between formal "
             "and informal prices, moving gold to official channels", BASELINE, ROYALTY_CUT,
             "official_sales_share", "up"),
    # 2. Licence fee 600 -> 300 USD.
    Property("cheap_licence_licensed", "a cheaper licence is affordable to more miners and "
             "worth more to each", BASELINE, CHEAP_LICENCE, "licensed_share", "up"),
    Property("cheap_licence_gold", "licensing keeps the miner on its own ground, or on a "
             "free licensable plot it chooses and reconsiders as others do (7.12), so a "
             "cheaper licence cannot lower gold output", BASELINE, CHEAP_LICENCE, "gold_kg",
             "not_down"),
    # The same runs as cheap_licence_gold (no extra time). Holds within the 2 % tolerance
    # only: mean income falls by ≈ 1.2 % (−2.96 [−3.93, −1.99] USD/month over 24 seeds,
    # 2026-12-03 evening, every per-miner draw keyed by the miner; −1.63 before that,
    # −2.73 before decisions drew per miner; gold by 0.8 %, −0.068 [−0.128, −0.008]
    # kg/month). Licensees earn less once licensed than matched informal heads (−16 ± 10
    # USD/month at 300 USD), and a cheaper fee admits more of them; since reservations
    # bind, it is not the plot (their pit's ore share falls after the grant, cause not
    # separated; docs/validation.md, "Reserved plots"; experiments/licence_income_panel.py).
    Property("cheap_licence_income", "a cheaper licence costs its holders less and is taken "
             "only by miners who expect it to pay, so it cannot lower what miners earn",
             BASELINE, CHEAP_LICENCE, "income_mean_usd", "not_down"),
    # 3. Licence processing 24 -> 6 months.
    # 24 seeds (the runs fast_licence_gold makes anyway): with plots as titles and the
    # office's capacity the effect is ≈ +0.3 pp, too small for 8 seeds to resolve.
    Property("fast_licence_licensed", "a shorter wait brings a licence's benefits sooner, "
             "so more miners apply and hold one", BASELINE, FAST_LICENCE, "licensed_share",
             "up", seeds=SEEDS_NOT_DOWN),
    Property("fast_licence_gold", "licensing keeps the miner on its own ground, or on a "
             "free licensable plot it chooses and reconsiders as others do (7.12), so a "
             "faster licence cannot lower gold output", BASELINE, FAST_LICENCE, "gold_kg",
             "not_down"),
    Property("fast_licence_crews", "a licence covers the pit's crew: a head that must move "
             "for it takes a plot with room for its crew, and the crew comes along (7.8), "
             "so faster licensing does not break crews up", BASELINE, FAST_LICENCE,
             "team_size_mean", "not_down"),
    # 4. Licence term 48 -> 96 months.
    Property("long_licence_income", "a longer licence spares renewal fees and keeps the "
             "licensee on its ground, so it cannot lower income", BASELINE,
             ("policy.legal.licence_duration_months=96",), "income_mean_usd", "not_down"),
    # 5. Training slots 0 -> 27 -> 53 a month per 1,000 miners (40 and 80 at 1,500 miners).
    Property("training_slots_0_40", "training slots train miners who stay trained, so more "
             "slots cannot lower the trained share", BASELINE,
             ("policy.social.training_slots_per_1000_miners=27",), "trained_share", "up"),
    # By month 48 both levels have trained nearly every miner (trained share
    # ≈ 0.98), so the comparison is made while the slots still bind: months 1-24.
    Property("training_slots_40_80", "training slots train miners who stay trained, so more "
             "slots cannot lower the trained share",
             (*BASELINE, "policy.social.training_slots_per_1000_miners=27"),
             ("policy.social.training_slots_per_1000_miners=53",), "trained_share", "up", window=(1, 24)),
    # 6. An official buyer paying more than traders (99 % of the world price, no royalty).
    Property("official_buyer_share", "an official buyer paying more than traders draws the "
             "gold of the miners it pays more",
             (*OFFICIAL_BUYER, "policy.market.official_buyer.enabled=false"),
             ("policy.market.official_buyer.enabled=true",), "official_sales_share", "up",
             seeds=4),
    # Trips free, so that the official buyer competes for every seller alike: at the
    # default trip costs it takes the large lots and leaves traders the small ones, whose
    # sellers compare prices less, and the posted trader price barely moves
    # (docs/validation.md reports both). One trader per town, so that traders have a
    # margin to give up: two traders competing in a town already pay within ≈ 0.6 USD/g
    # of what a gram is worth to them (discount ≈ 3.5 %, in SRC_DISCOUNT's 3–5 %), so the
    # official buyer takes a fifth of their gold and their price cannot rise by more
    # than that (+0.28 [−0.08, +0.65] USD/g over 24 seeds). The +3.9 USD/g measured
    # before plot capacity came from traders short of capital in a region grown to twice
    # its size (docs/validation.md).
    Property("official_buyer_trader_price", "traders compete: an official buyer paying more "
             "takes sellers from them unless they pay more, so their mean price rises",
             (*OFFICIAL_BUYER, *FREE_TRIPS, "context.traders_per_town=1",
              "policy.market.official_buyer.enabled=false"),
             ("policy.market.official_buyer.enabled=true",), "trader_price_usd_per_g", "up"),
    # 7. Border enforcement (issue 10): a batch is smuggled only if it pays after the risk.
    Property("border_enforcement_smuggling", "a higher chance of being caught at the border "
             "leaves fewer batches worth smuggling, so traders smuggle less gold", BASELINE,
             ("policy.market.border_interdiction_prob=0.1",), "trader_smuggled_kg", "down",
             seeds=4),
    Property("border_enforcement_declared", "what traders no longer smuggle they declare, so "
             "official exports rise", BASELINE,
             ("policy.market.border_interdiction_prob=0.1",), "official_export_share", "up",
             seeds=4),
    Property("royalty_cut_smuggling", "a lower royalty makes declaring pay more than the "
             "smuggling route for more batches", BASELINE, ROYALTY_CUT, "smuggled_share",
             "down", seeds=4),
    # Trader inspections and licensing (issue 10 §1): an inspection confiscates gold a trader
    # was to smuggle, with a fine; a licensed trader exports declared gold without a
    # licensed buyer's margin and loses its licence if found smuggling.
    Property("trader_inspections_smuggling", "an inspection confiscates gold a trader was "
             "to smuggle and fines it, so more inspections leave fewer batches worth "
             "smuggling", BASELINE, ("policy.market.trader_inspection_prob=0.3",),
             "trader_smuggled_kg", "down", seeds=4),
    Property("trader_licensing_smuggling", "a licensed trader gains the licensed buyer's "
             "margin on declared gold and risks its licence when smuggling, so licensing "
             "traders leaves fewer batches worth smuggling", BASELINE,
             ("policy.market.trader_licensing_share=1.0",), "smuggled_share", "down",
             seeds=4),
    # 8. A crackdown costs the state more than it collects.
    Property("crackdown_state_net", "an inspection costs what an operation costs, so a "
             "crackdown's extra spending exceeds its extra fines and fees", BASELINE,
             ("scenario=crackdown",), "state_net_revenue_usd", "down",
             statistic="total", window=(1, MONTHS)),
]


#: Properties the model no longer has, with the reason (strict: an unexpected pass fails,
#: so a fix shows). docs/validation.md gives the measured effects. None at present.
#: (``fast_licence_gold`` was one at the calibrated defaults, −1.1 % of gold: a licence
#: moved a pit's head to the best licensable plot in reach, usually without room for its
#: crew, and the members left behind worked alone — licensed pits held 1.45 people
#: against 3.5 in the pits applying. A head now takes a plot with room for the crew its
#: licence covers, and the crew comes along at the grant, ODD 7.8; ``fast_licence_crews``
#: guards it. A fall of 0.8 % remains, inside the tolerance: docs/validation.md.)
#: (``cheap_licence_gold`` was one with site choice and no plot capacity — licensees
#: crowded onto an area's richest licensable cell and never reconsidered it, −2.4 % of
#: gold; with plots per cell and licensees choosing their plot as informal miners their
#: site, ODD 7.12, it held again. With licence audits, ``cheap_licence_gold`` and
#: ``fast_licence_gold`` failed through entry: newcomers expected the mean income of all
#: miners, licence holders' net of their pits' expected audit cost, so more licences drew
#: fewer entrants (−0.09 ± 0.04 kg/month on 8.6 over 8 seeds). A newcomer starts informal
#: and now expects what informal miners earn (ODD 7.10, ``newcomers_expected_income``);
#: both hold again, cheap_licence_gold only within the 2 % tolerance: −0.101 [−0.152,
#: −0.051] kg/month on 8.63 over 24 seeds. Most of that was applicants valuing plots that
#: others took before the grant; since an application reserves its plot (ODD 7.8) it is
#: −0.035 ± 0.052 over 8 seeds, docs/validation.md.)
NO_LONGER_HOLDS: dict[str, str] = {}


@pytest.mark.parametrize("prop", [
    pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=NO_LONGER_HOLDS[p.id]))
    if p.id in NO_LONGER_HOLDS else p for p in PROPERTIES], ids=[p.id for p in PROPERTIES])
def test_economic_sign(prop: Property) -> None:
    effect = prop.effect()
    what = f"{prop.statistic} of {prop.outcome} over months {prop.window[0]}-{prop.window[1]}"
    has_sign = holds(effect, prop.direction)
    assert has_sign, (
        f"{prop.id} ({prop.mechanism}): variant − base {what} must be {prop.direction}; "
        f"{effect.describe()}")


def test_official_buyer_gains_come_from_sellers_it_pays_more():
    """Mechanism: the official buyer paying more than traders draws gold by its price, not
    by choice noise: few of its grams come from sellers it pays less than a trader would."""
    seeds = replicate_seeds(MASTER_SEED, SEEDS_UNDERPAID)
    size = (f"miners={MINERS}", f"months={MONTHS}")
    shares = _statistic([_run(_overrides((*size, *OFFICIAL_BUYER)), s) for s in seeds],
                        "official_underpaid_share", "window_mean", WINDOW)
    _, _, high = mean_interval(shares)
    # Measured at the end of issue 10: 0.100 [0.096, 0.104] at months 61-96 (5.8 % in months
    # 1-12 at 2,000 miners, docs/validation.md), against ≈ 1 when the official buyer's
    # gains were choice noise; the bound is 0.15.
    assert high < 0.15, f"{shares.mean():.3f} of the official buyer's gold came from sellers " \
        f"it paid less than traders (95 % upper bound {high:.3f})"
