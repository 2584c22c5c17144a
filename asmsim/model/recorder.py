"""The one recorder: a month of model state → one output row (spec §7).

``OUTPUTS`` is the public contract of output columns: name → (unit, meaning).
The batch runner, comparisons, studies and the dashboard all read these rows;
nothing else computes an outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np

from asmsim.model.enums import (
    FORMAL_LENDERS,
    STATUS_NAMES,
    Channel,
    LandStatus,
    Legal,
    Lender,
    Role,
    Tech,
)
from asmsim.model.government import SPENDING_CATEGORIES

OUTPUTS: dict[str, tuple[str, str]] = {
    "month": ("month", "month index, 0 = initial state"),
    "active_miners": ("people", "miners mining this month"),
    "entries": ("people/month", "miners who entered this month"),
    "exits": ("people/month", "miners who left this month"),
    "licensed_share": ("0-1", "active miners holding a licence, individually or through a "
                       "cooperative (legal dimension)"),
    "applicants_waiting": ("count", "applications in the licence queue"),
    "official_sales_share": ("0-1", "gold sold to licensed buyers + the official buyer, over "
                             "gold sold (market dimension)"),
    "trader_sales_share": ("0-1", "gold sold to informal traders, over gold sold"),
    "smuggled_share": ("0-1", "gold traders chose to smuggle this month, over gold sold"),
    "coop_share": ("0-1", "active miners in a cooperative (social dimension)"),
    "trained_share": ("0-1", "active miners trained (OHS / mercury-free)"),
    "women_digger_share": ("0-1", "women among diggers"),
    "formal_credit_share": ("0-1", "active miners with a bank, microfinance or state-fund loan"),
    "trader_tied_share": ("0-1", "active miners owing pre-finance to a trader"),
    "debt_mean_usd": ("USD", "mean debt per active miner"),
    "gold_kg": ("kg/month", "gold produced this month"),
    "income_mean_usd": ("USD/month", "miners' mean net monthly income"),
    "income_median_usd": ("USD/month", "miners' median net monthly income"),
    "income_gini": ("0-1", "Gini coefficient of net monthly income (negative incomes at 0)"),
    "poverty_share": ("0-1", "active miners with net income below the poverty line"),
    "women_men_income_ratio": ("ratio", "women's mean income / men's mean income"),
    "royalty_usd": ("USD/month", "royalties and export tax collected this month"),
    "fees_usd": ("USD/month", "licence fees collected this month"),
    "fines_usd": ("USD/month", ("fines collected this month (from miners, licensees after an audit "
                          "and traders)")),
    "state_spending_usd": ("USD/month", "state spending this month, all categories (spending_*_usd)"),
    "illicit_flow_usd": ("USD/month", "world value of the gold traders smuggled this month"),
    "mercury_kg": ("kg/month", "mercury released this month"),
    "land_disturbed_ha": ("ha/month", "land newly disturbed this month, net of restoration"),
    "silicosis_new": ("people/month", "new silicosis cases this month"),
    "accidents": ("count/month", "accidents this month (fatal and non-fatal)"),
    "mean_trust": ("0-1", "mean trust in government"),
    # Extras (beyond spec §7), stable names as well.
    "price_usd_per_g": ("USD/g", "world gold price this month"),
    "women_income_mean_usd": ("USD/month", "women miners' mean net income"),
    "men_income_mean_usd": ("USD/month", "men miners' mean net income"),
    "state_revenue_usd": ("USD/month", "royalties + fees + fines + confiscated gold this month"),
    "state_net_revenue_usd": ("USD/month", "state revenue − state spending this month"),
    "gold_sold_kg": ("kg/month", "gold sold this month (all channels)"),
    "unsold_stock_kg": ("kg", "gold held unsold at month end, by miners or carried off by leavers"),
    "official_buyer_kg": ("kg/month", "gold bought by the official buyer this month"),
    "official_underpaid_share": ("0-1", "share of the official buyer's gold bought from sellers "
                                 "it paid less, net of royalty and trip, than a trader would"),
    "mercury_free_share": ("0-1", "active miners processing mercury-free"),
    "retort_share": ("0-1", "active miners using a retort"),
    "displaced": ("people/month", "miners evicted from concession or protected land this month"),
    "inspections": ("count/month", "inspections of informal miners this month"),
    "audits": ("count/month", "audits of licensees' sales this month"),
    "licences_revoked": ("count/month", ("licences revoked this month after an audit found "
                                         "sales to an informal trader")),
    "licences_granted": ("count/month", "individual licences granted this month"),
    "protected_land_miners_share": ("0-1", "active miners on protected or concession land"),
    "entered_total": ("people", "miners who entered since month 0"),
    "exited_total": ("people", "miners who left since month 0"),
    "silicosis_prevalence": ("0-1", "active miners with silicosis"),
    "applications": ("count/month", "licence applications filed (fee paid) this month"),
    "applications_unaffordable": ("count/month", "miners who chose to apply for a licence but could "
                                  "not pay the fee and travel, even with credit, this month"),
    "licences_lapsed": ("count/month", "licences not renewed at expiry this month"),
    "loans_usd": ("USD/month", "new loans this month, all lenders"),
    "defaults": ("count/month", "loans defaulted this month (formal and trader)"),
    "trader_credit_usd": ("USD", "pre-finance active miners owe traders at month end"),
    "trader_defaults_usd": ("USD/month", "pre-finance traders lost this month (defaults and "
                            "leavers' debts)"),
    "side_sales": ("count/month", ("sales by miners owing a trader to anyone else (a formal "
                                   "buyer or another trader) this month")),
    "side_sales_detected": ("count/month", ("side sales the trader owed detected this month: "
                                            "it called the loan and refused the miner "
                                            "pre-finance")),
    "seized_gold_kg": ("kg/month", "gold confiscated from inspected traders this month"),
    "seized_gold_usd": ("USD/month", "value of the confiscated gold to the state this month"),
    "trader_fines_usd": ("USD/month", ("fines on traders an inspection found holding gold "
                                       "to smuggle this month (part of fines_usd)")),
    "licensed_traders": ("count", "traders licensed as gold dealers this month"),
    "trader_licences_revoked": ("count/month", ("licensed traders an inspection found "
                                                "smuggling this month (licence lost)")),
    "state_transfer_usd": ("USD/month", "central or donor transfer to the mining budget"),
    "state_budget_usd": ("USD", "the government's budget balance at month end"),
    **{f"spending_{category}_usd": ("USD/month", f"state spending on {label} this month")
       for category, label in (("licensing", "licence processing"),
                               ("enforcement", "inspections of miners and traders"),
                               ("extension", "extension: training slots and cooperative grants"),
                               ("official_buying", "the official buying points"),
                               ("subsidies", "equipment subsidies"),
                               ("credit_losses", "credit losses: state-fund and microfinance "
                                "losses, guaranteed bank losses"))},
    "trader_price_usd_per_g": ("USD/g", "mean price traders posted this month (before "
                               "tie discounts)"),
    "trader_discount_share": ("0-1", "1 − trader price / world price"),
    "official_buyer_price_usd_per_g": ("USD/g", "official buyer's price before royalty "
                                       "(0 when it is not buying)"),
    "licensed_buyer_kg": ("kg/month", "gold miners sold to licensed buyers this month"),
    "trader_bought_kg": ("kg/month", "gold miners sold to informal traders this month"),
    "trader_declared_kg": ("kg/month", "traders' gold declared (royalty paid) this month"),
    "trader_smuggled_kg": ("kg/month", "traders' gold smuggled out this month"),
    "border_seized_kg": ("kg/month", "smuggled gold caught at the border this month"),
    "official_export_share": ("0-1", "gold exported officially (licensed and official buyers, "
                              "traders' declared gold), over gold sold"),
    "tax_gap_usd": ("USD/month", "royalty lost on gold smuggled this month"),
    "official_buyer_rationed_kg": ("kg/month", "gold the official buyer turned away this month "
                                   "(capacity or fund exhausted)"),
    "official_buyer_fund_usd": ("USD", "official buyer's purchase fund at month end"),
    "official_buyer_result_usd": ("USD/month", "official buyer's trading result this month "
                                  "(settlement less purchase cost)"),
    "trip_costs_usd": ("USD/month", "miners' trips to formal buyers this month"),
    "trader_stock_kg": ("kg", "gold traders hold unshipped at month end (closures)"),
    # Space (see space.py).
    "site_moves": ("people/month", ("miners who changed cell this month (evictions, site "
                                    "choice, licence moves; entrants' first site not counted)")),
    "evictions": ("people/month", ("miners evicted this month: sanctioned on concession or "
                                   "protected land, or struck by their land's eviction hazard")),
    "displacement_distance_cells": ("cells", ("mean Chebyshev distance moved by this month's "
                                              "evictees who moved (0 if none)")),
    "displaced_waiting": ("people", ("miners evicted or worked out who found no free plot "
                                     "this month (active, waiting without work, at month "
                                     "end)")),
    **{f"activity_{name}_share": ("0-1", f"active miners on {label} at month end")
       for name, label in (("protected", "protected land"),
                           ("concession", "large-scale concessions"),
                           ("zone", "ASM zones"), ("open", "open land"))},
    **{f"land_disturbed_cells_{name}": ("cells", f"cells of {label} mined since month 0")
       for name, label in (("protected", "protected land"),
                           ("concession", "large-scale concessions"),
                           ("zone", "ASM zones"), ("open", "open land"))},
    "women_licence_holder_share": ("0-1", "women among licence holders (licensed pit heads; "
                                   "crews covered by their owner's licence are not holders)"),
    "applications_no_land": ("count/month", "women who chose to apply for a licence but lacked "
                             "the land rights it needs"),
    **{f"income_{name}_usd": ("USD/month", f"mean net income of active {label}")
       for name, label in (("digger", "diggers"), ("hauler", "haulers"),
                           ("processor", "processors"), ("licensed", "licensed miners"),
                           ("informal", "informal miners (not licensed, not applying)"))},
    # Pits and teams (see teams.py).
    "pits": ("count", "pits worked this month (a solo is a one-member pit)"),
    "team_size_mean": ("people", "active miners per pit"),
    "solo_share": ("0-1", "active miners working alone (one-member pits)"),
    "pit_owners": ("people", "active miners holding a pit (opened one, or a licence)"),
    "women_owner_share": ("0-1", "women among pit owners"),
    **{f"income_{name}_usd": ("USD/month", f"mean net income of active {label}")
       for name, label in (("owner", "pit owners"),
                           ("crew", "crew members (in another's pit)"),
                           ("solo", "solos without a pit of their own"))},
    "spillover_ring_miners": ("people", ("active miners on cells within 2 cells (Chebyshev) "
                                         "of protected land but not on it, at month end")),
}


@dataclass(frozen=True)
class Group:
    """People whose miner-table ``column`` equals ``value`` (a gender, role or legal status)."""

    dimension: str  # "gender", "role" or "legal status"
    column: str     # column of :class:`asmsim.model.miners.MinerTable`
    value: int | bool  # its code (True/False for ``woman``)
    label: str      # plural noun, for descriptions

    def mask(self, miners) -> np.ndarray:
        """Every row (active or not) of this group."""
        return getattr(miners, self.column) == self.value


#: The distribution groups, name → how its rows are selected. Each dimension's groups are
#: disjoint and cover every miner, so within a dimension group outputs sum to the totals.
GROUPS: dict[str, Group] = {
    "women": Group("gender", "woman", True, "women"),
    "men": Group("gender", "woman", False, "men"),
    **{role.name.lower(): Group("role", "role", role.value, f"{role.name.lower()}s")
       for role in Role},
    **{name: Group("legal status", "legal", status.value, label)
       for (name, status), label in zip(STATUS_NAMES.items(),
                                        ("informal miners", "licence applicants",
                                         "licensed miners"), strict=True)},
}

#: A group's mean-income column: those recorded before the groups keep their names.
INCOME_COLUMNS = {name: f"income_{name}_usd" for name in GROUPS} | {
    "women": "women_income_mean_usd", "men": "men_income_mean_usd"}


def _group_outputs() -> dict[str, tuple[str, str]]:
    """The per-group output columns (name → (unit, meaning)) not declared above."""
    out: dict[str, tuple[str, str]] = {}
    for name, group in GROUPS.items():
        who = group.label
        out[f"miners_{name}"] = ("people", f"{who} mining this month")
        poor = f"active {who} with net income below the poverty line, over active {who}"
        out[f"poverty_share_{name}"] = ("0-1", poor)
        out[f"debt_{name}_usd"] = ("USD", f"total debt held by active {who} at month end")
        out[f"accidents_{name}"] = ("count/month", f"accidents among {who} per month")
        out[f"exits_{name}"] = ("people/month",
                                f"{who} who left mining per month (status when leaving)")
        if INCOME_COLUMNS[name] not in OUTPUTS:
            out[INCOME_COLUMNS[name]] = ("USD/month", f"mean net income of active {who}")
    out["miners_below_poverty_line"] = ("people",
                                        "active miners with net income below the poverty line")
    return out


GROUP_ONLY_COLUMNS = _group_outputs()
OUTPUTS.update(GROUP_ONLY_COLUMNS)


def group_columns() -> list[str]:
    """Every output column the distribution groups added (after the earlier outputs)."""
    return list(GROUP_ONLY_COLUMNS)


#: Land statuses of the space outputs, by output name part.
LAND_NAMES = {"protected": LandStatus.PROTECTED, "concession": LandStatus.LSM_CONCESSION,
              "zone": LandStatus.ASM_ZONE, "open": LandStatus.OPEN}


def _ratio(part: float, whole: float) -> float:
    """part / whole in [0, 1] (0 when whole is 0; clipped against rounding)."""
    return min(max(part / whole, 0.0), 1.0) if whole > 0 else 0.0


def _gini_of_sorted(x: np.ndarray) -> float:
    """Gini coefficient of values sorted ascending (negative values count as 0)."""
    x = np.maximum(x, 0.0)
    n, total = len(x), x.sum()
    if n == 0 or total <= 0:
        return 0.0
    ranks = np.arange(1.0, n + 1.0)  # (integers: exact in float64)
    return float((2.0 * (ranks * x).sum() / (n * total)) - (n + 1.0) / n)


def _median_of_sorted(x: np.ndarray) -> float:
    n = len(x)
    if n == 0:
        return 0.0
    return float(x[n // 2]) if n % 2 else float(0.5 * (x[n // 2 - 1] + x[n // 2]))


class _ActiveMiners:
    """Shares and means over the active rows, by mask arithmetic (no gathers).

    Products are summed rather than taken with ``@``, which would call a
    multi-threaded BLAS and compete with parallel replicates for cores.
    """

    def __init__(self, active: np.ndarray):
        self.mask = active
        self.weight = active.astype(np.float64)
        self.n = int(np.count_nonzero(active))

    def share(self, mask: np.ndarray) -> float:
        """Share (0-1) of active miners for whom ``mask`` holds."""
        return np.count_nonzero(mask & self.mask) / self.n if self.n else 0.0

    def mean(self, values: np.ndarray) -> float:
        """Mean of ``values`` over active miners."""
        return float((values * self.weight).sum()) / self.n if self.n else 0.0


def record(model) -> dict[str, float]:
    """The output row of the month just simulated (or of the initial state, month 0)."""
    m, ctx = model.miners, model.config.context
    active = _ActiveMiners(m.active)
    n_active = active.n
    now = model.now
    ledger, stats = now.ledger, now.stats
    rows_in_pass = ledger.n
    channel = m.channel[:rows_in_pass]
    sold = now.sold_g if model.month else np.zeros(rows_in_pass)
    sold_total = float(sold.sum())
    by_channel = np.zeros(len(Channel))
    if sold_total:
        for code in (Channel.LICENSED_BUYER, Channel.OFFICIAL_BUYER, Channel.TRADER):
            by_channel[code] = (sold * (channel == code.value)).sum()
    formal_g = by_channel[Channel.LICENSED_BUYER] + by_channel[Channel.OFFICIAL_BUYER]
    trader_g = by_channel[Channel.TRADER]
    smuggled_g = float(stats["smuggled_g"])
    income = m.income[np.flatnonzero(active.mask)]
    income.sort()
    income_total = float(income.sum())
    below = int(np.searchsorted(income, ctx.poverty_line_usd_month))  # people, income < line
    women = m.woman & active.mask
    n_women = int(np.count_nonzero(women))
    women_total = float((m.income * women).sum())
    women_income = women_total / n_women if n_women else 0.0
    men_income = (income_total - women_total) / (n_active - n_women) \
        if n_active > n_women else 0.0
    royalty = ledger.total("royalties") + float(stats["trader_royalty_usd"]) \
        + float(stats["export_tax_usd"])
    revenue = float(stats["state_revenue_usd"])
    spending = float(sum(now.spending.values()))
    owing_trader = active.mask & (m.lender == Lender.TRADER.value)
    diggers = active.mask & (m.role == Role.DIGGER.value)
    n_diggers = int(np.count_nonzero(diggers))
    on_protected = (model.sites.land_status >= LandStatus.LSM_CONCESSION.value)[m.site]
    return {
        "month": model.month,
        "active_miners": n_active,
        "entries": int(stats["entries"]),
        "exits": int(stats["exits"]),
        "licensed_share": active.share(m.legal == Legal.LICENSED.value),
        "applicants_waiting": int(np.count_nonzero(active.mask
                                                   & (m.legal == Legal.APPLICANT.value))),
        "official_sales_share": _ratio(formal_g, sold_total),
        "trader_sales_share": _ratio(trader_g, sold_total),
        "smuggled_share": _ratio(smuggled_g, sold_total),
        "coop_share": active.share(m.coop),
        "trained_share": active.share(m.trained),
        "women_digger_share": np.count_nonzero(m.woman & diggers) / n_diggers if n_diggers
        else 0.0,
        "formal_credit_share": sum(active.share(m.lender == kind.value) for kind in FORMAL_LENDERS),
        "trader_tied_share": active.share(m.lender == Lender.TRADER.value),
        "debt_mean_usd": active.mean(m.debt),
        "gold_kg": float(m.grams[:rows_in_pass].sum()) / 1000.0 if model.month else 0.0,
        "income_mean_usd": income_total / n_active if n_active else 0.0,
        "income_median_usd": _median_of_sorted(income),
        "income_gini": _gini_of_sorted(income),
        "poverty_share": below / n_active if n_active else 0.0,
        "women_men_income_ratio": women_income / men_income if men_income > 0 else 0.0,
        "royalty_usd": royalty,
        "fees_usd": ledger.total("fees"),
        "fines_usd": ledger.total("fines") + float(stats["trader_fines_usd"]),
        "state_spending_usd": spending,
        "illicit_flow_usd": smuggled_g * now.prices.world,
        "mercury_kg": float(stats["mercury_kg"]),
        "land_disturbed_ha": float(stats["land_ha"]),
        "silicosis_new": int(stats["silicosis_new"]),
        "accidents": int(stats["accidents"]),
        "mean_trust": active.mean(m.trust),
        "price_usd_per_g": float(now.prices.world),
        "women_income_mean_usd": women_income,
        "men_income_mean_usd": men_income,
        "state_revenue_usd": revenue,
        "state_net_revenue_usd": revenue - spending,
        "gold_sold_kg": sold_total / 1000.0,
        "unsold_stock_kg": (float(m.stock_g.sum()) + model.stock_carried_off_g) / 1000.0,
        "official_buyer_kg": float(by_channel[Channel.OFFICIAL_BUYER]) / 1000.0,
        "official_underpaid_share": _ratio(float(stats["official_underpaid_g"]),
                                           float(by_channel[Channel.OFFICIAL_BUYER])),
        "mercury_free_share": active.share(m.tech == Tech.MERCURY_FREE.value),
        "retort_share": active.share(m.retort),
        "displaced": int(stats["displaced"]),
        "inspections": int(stats["inspections"]),
        "audits": int(stats["audits"]),
        "licences_revoked": int(stats["licences_revoked"]),
        "licences_granted": int(stats["licences_granted"]),
        "protected_land_miners_share": active.share(on_protected),
        "entered_total": model.entered_total,
        "exited_total": model.exited_total,
        "silicosis_prevalence": active.share(m.silicosis),
        "applications": int(stats["applications"]),
        "applications_unaffordable": int(stats["applications_unaffordable"]),
        "licences_lapsed": int(stats["licences_lapsed"]),
        "loans_usd": float(stats["loans_usd"]),
        "defaults": int(stats["defaults"]),
        "trader_credit_usd": float((m.debt * owing_trader).sum()),
        "trader_defaults_usd": float(stats["trader_defaults_usd"]),
        "side_sales": int(stats["side_sales"]),
        "side_sales_detected": int(stats["side_sales_detected"]),
        "seized_gold_kg": float(stats["seized_gold_g"]) / 1000.0,
        "seized_gold_usd": float(stats["seized_gold_usd"]),
        "trader_fines_usd": float(stats["trader_fines_usd"]),
        "licensed_traders": int(stats["licensed_traders"]),
        "trader_licences_revoked": int(stats["trader_licences_revoked"]),
        "state_transfer_usd": model.government.transfer_usd() if model.month else 0.0,
        "state_budget_usd": model.government.budget_usd,
        **{f"spending_{category}_usd": float(now.spending[category])
           for category in SPENDING_CATEGORIES},
        **_market_outputs(model, by_channel, sold_total),
        **_space(model, active),
        **_people(model, active),
        **_groups(model, active, below),
    }


def _mean_income(miners, mask: np.ndarray) -> float:
    """Mean net income (USD/month) of the rows of ``mask`` (0 when none)."""
    # (flatnonzero + take gathers the same values, in the same order, as m.income[mask],
    # ≈ 3× faster than numpy's boolean indexing of a float64 column)
    rows = np.flatnonzero(mask)
    return float(miners.income.take(rows).sum()) / len(rows) if len(rows) else 0.0


def _groups(model, active: _ActiveMiners, below: int) -> dict[str, float]:
    """Per group: people, poverty share, debt (USD), accidents and exits this month, mean
    income (USD/month) where not recorded already. Counts the month's ``hurt`` and ``left``
    rows (health, population); decides nothing."""
    m, now = model.miners, model.now
    poor = m.income < model.config.context.poverty_line_usd_month
    out: dict[str, float] = {}
    for name, group in GROUPS.items():
        rows = group.mask(m)
        mask = rows & active.mask
        people = int(np.count_nonzero(mask))
        out[f"miners_{name}"] = people
        out[f"poverty_share_{name}"] = np.count_nonzero(mask & poor) / people if people \
            else 0.0
        out[f"debt_{name}_usd"] = float((m.debt * mask).sum())
        out[f"accidents_{name}"] = int(np.count_nonzero(rows.take(now.hurt)))
        out[f"exits_{name}"] = int(np.count_nonzero(rows.take(now.left)))
        if INCOME_COLUMNS[name] in GROUP_ONLY_COLUMNS:
            out[INCOME_COLUMNS[name]] = _mean_income(m, mask)
    out["miners_below_poverty_line"] = below
    return out


def _people(model, active: _ActiveMiners) -> dict[str, float]:
    """Who holds licences, and income by role and by legal status (USD/month)."""
    m = model.miners
    licensed = active.mask & (m.legal == Legal.LICENSED.value)
    holders = licensed & ~m.covered
    n_holders = int(np.count_nonzero(holders))
    heads = active.mask & (m.pit == m.uid)
    n_pits = int(np.count_nonzero(heads))
    owners = active.mask & m.owner
    n_owners = int(np.count_nonzero(owners))
    crew = active.mask & ~heads
    members = np.bincount(np.searchsorted(m.uid, m.pit[crew]), minlength=m.n)
    solo = heads & (members == 0)

    return {
        "women_licence_holder_share": np.count_nonzero(holders & m.woman) / n_holders
        if n_holders else 0.0,
        "applications_no_land": int(model.now.stats["applications_no_land"]),
        "income_digger_usd": _mean_income(m, active.mask & (m.role == Role.DIGGER.value)),
        "income_hauler_usd": _mean_income(m, active.mask & (m.role == Role.HAULER.value)),
        "income_processor_usd": _mean_income(m, active.mask & (m.role == Role.PROCESSOR.value)),
        "income_licensed_usd": _mean_income(m, licensed),
        "income_informal_usd": _mean_income(m, active.mask & (m.legal == Legal.INFORMAL.value)),
        "pits": n_pits,
        "team_size_mean": active.n / n_pits if n_pits else 0.0,
        "solo_share": active.share(solo),
        "pit_owners": n_owners,
        "women_owner_share": np.count_nonzero(owners & m.woman) / n_owners if n_owners else 0.0,
        "income_owner_usd": _mean_income(m, owners),
        "income_crew_usd": _mean_income(m, crew),
        "income_solo_usd": _mean_income(m, heads & ~m.owner),
    }


def _space(model, active: _ActiveMiners) -> dict[str, float]:
    """The space outputs: moves, evictions, where miners work, land disturbed."""
    m, sites, stats = model.miners, model.sites, model.now.stats
    start = model.now.site_at_start
    moved = m.active[:len(start)] & (m.site[:len(start)] != start)
    status = sites.land_status[m.site]
    evictees_moved = float(stats["evictees_moved"])
    return {
        "site_moves": int(np.count_nonzero(moved)),
        "evictions": int(stats["evictions"]),
        "displacement_distance_cells": float(stats["eviction_distance_cells"]) / evictees_moved
        if evictees_moved else 0.0,
        "displaced_waiting": int(np.count_nonzero(active.mask & (m.plotless > 0))),
        **{f"activity_{name}_share": active.share(status == code.value)
           for name, code in LAND_NAMES.items()},
        **{f"land_disturbed_cells_{name}": int(np.count_nonzero(sites.worked
                                                                & (sites.land_status
                                                                   == code.value)))
           for name, code in LAND_NAMES.items()},
        "spillover_ring_miners": int(np.count_nonzero(active.mask & sites.spillover_ring[m.site])),
    }


def _market_outputs(model, by_channel: np.ndarray, sold_total: float) -> dict[str, float]:
    """Prices, gold by channel and the official buyer's books (counted, not decided here)."""
    now, stats = model.now, model.now.stats
    market = model.config.policy.market
    trader_price = float(now.prices.trader)
    world = float(now.prices.world)
    declared = float(stats["trader_declared_g"])
    formal_g = by_channel[Channel.LICENSED_BUYER] + by_channel[Channel.OFFICIAL_BUYER]
    licensed_price = world * (1 - market.licensed_buyer_margin - market.export_tax_rate)
    buyer = model.official_buyer
    return {
        "trader_price_usd_per_g": trader_price,
        "trader_discount_share": 1.0 - trader_price / world if world > 0 else 0.0,
        "official_buyer_price_usd_per_g": float(now.prices.official) if buyer.open else 0.0,
        "licensed_buyer_kg": float(by_channel[Channel.LICENSED_BUYER]) / 1000.0,
        "trader_bought_kg": float(stats["trader_bought_g"]) / 1000.0,
        "trader_declared_kg": declared / 1000.0,
        "trader_smuggled_kg": float(stats["smuggled_g"]) / 1000.0,
        "border_seized_kg": float(stats["border_seized_g"]) / 1000.0,
        "official_export_share": _ratio(formal_g + declared, sold_total),
        "tax_gap_usd": market.royalty_rate * licensed_price * float(stats["smuggled_g"]),
        "official_buyer_rationed_kg": float(stats["official_rationed_g"]) / 1000.0,
        "official_buyer_fund_usd": float(buyer.fund_usd or 0.0),
        "official_buyer_result_usd": float(buyer.trading_result_usd) if model.month else 0.0,
        "trip_costs_usd": float(now.access_cost.sum()) if model.month else 0.0,
        "trader_stock_kg": float(model.trader_book.stock_g.sum()) / 1000.0,
    }


class OutputCollector(mesa.DataCollector):
    """Mesa's DataCollector with one model reporter per output column.

    ``collect`` copies the month's recorded row (``model.last_row``, plain floats
    and ints) instead of calling and deep-copying each column's reporter; the
    columns, ``model_vars`` and ``get_model_vars_dataframe()`` are Mesa's own.
    """

    def __init__(self):
        super().__init__(model_reporters={name: _reporter(name) for name in OUTPUTS})

    def collect(self, model) -> None:
        self._collection_steps.append(model.time)
        for name, value in model.last_row.items():
            self.model_vars[name].append(value)


def _reporter(name: str):
    """A reporter reading one column of the month's recorded row."""
    return lambda model: model.last_row[name]
