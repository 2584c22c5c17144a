"""The configuration schema: every key an analyst can set, with unit and source.

Dataclass defaults are the embedded baseline (a generic West-African-style
gold-mining region under the status-quo policy). YAML files under ``configs/``
only state what a context, policy option or scenario changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from asmsim.config.params import CALIBRATED, MAX_SEED, flag, months, name, param, share, usd

SRC_GENDER = "Delve State of Sector 2023 via Pact (domain-facts §2k): women ≈ 30 % of ASM workforce"
SRC_GENDER_GAP = "land-links gender brief (domain-facts §2k): women earn ≈ ¼ of men; roles (§6.2)"
SRC_CALIBRATED = ("calibrated so that the status quo sells 2–4 % of gold formally "
                  "(Burkina Faso, Tanzania: domain-facts §2b, §2c, §5.2)")
#: The shipped calibration (results/calibration/status_quo, docs/calibration.md): the
#: calibrated keys' defaults are its posterior medians to two significant figures
#: (tests/test_calibrated_defaults.py holds them to the posterior).
CALIBRATION_TARGETS = ("official sales and export shares, smuggled share, trader discount, "
                       "silicosis, injuries, income over the outside wage, entry after a price "
                       "rise")


def calibrated(q05: float, q95: float, weak: bool = False) -> str:
    """Source of a calibrated key: its posterior's 90 % interval and the targets it was
    fitted to; ``weak`` when that interval spans most of the prior (the targets barely
    inform the key)."""
    return (f"{CALIBRATED} posterior median, 90 % interval {q05:g}–{q95:g}"
            + (", weakly identified (the interval spans most of the prior)" if weak else "")
            + f" (results/calibration/status_quo; targets: {CALIBRATION_TARGETS})")


SRC_INFORMAL = "Perks 2024; IGF 2017 (domain-facts §2l): up to 90 % / 70–80 % of ASM miners unlicensed"
SRC_DISCOUNT = "Reuters 2020 (domain-facts §2f): miners typically get 3–5 % below world price"
SRC_TZ_ROYALTY = "Tanzania Mining Commission (domain-facts §2b, §2n): royalty 6 % + 1 % inspection"
SRC_MN_ROYALTY = "Mongolia 2014 amendment (domain-facts §2a): 2.5 % on sales to the central bank"
SRC_GH_DELAY = "Ghana 2013 (domain-facts §2e): licences take 2–3 years; statutory ≈ 9 months"
SRC_GH_FEE = "Ghana 2013 (domain-facts §2e): ≈ GH¢7,000 processing fees (≈ US$3,500 then) per concession"
SRC_TZ_TERM = "Tanzania PML (domain-facts §2n): initial 4-year term"
SRC_EC_PRICE = "Ecuador BCE (domain-facts §2b): buys at a small discount to the world price"
SRC_INJURY_W = "Tarkwa, Ghana (domain-facts §2j): women 11.93 vs all 5.39 per 100 person-years"
SRC_INJURY_INF = "ILO via IJERPH 2015 (domain-facts §2j): accidents 6–7× more common in informal mining"
SRC_SILICOSIS = "Moyo et al. 2022 (domain-facts §2j): silicosis 19 % of 3,821 miners, rising with tenure"
SRC_HG_FREE = "Busitema trial, Uganda (domain-facts §2i): mercury-free recovery equal or up to 40 % higher"
SRC_KAMITUGA = "Kamituga, DRC (domain-facts §2m): US$25–200 per week by role"
SRC_FARM = "artisanalgold.org (domain-facts §2m): ASM earnings often ≈ 5× farming; Bombana ≈ 2×"
SRC_POVERTY = ("World Bank line US$2.15/person/day (2017 PPP) in 2024 market US$: × 0.402 "
               "(Ghana: 1.75 GH¢ per int$ private consumption ÷ 4.35 GH¢ per US$, 2017; "
               "domain-facts-2 §G2) × 1.280 (US CPI-U 2017→2024, §G1) × 30.4 days")
SRC_COVID = "Burkina Faso 2020 panel (domain-facts §2c): local prices −20–30 % in the lockdown"
SRC_PERU_BANK = "planetGOLD/UNDP Peru 2021 (domain-facts §2h): 1 % of small mining firms served by banks"
SRC_RUSH = "Swenson et al. 2011; artisanalgold.org (domain-facts §2g): entry on price rises, exit rarely"
SRC_PRICE = "gold ≈ US$2,000–2,400 per troy ounce in 2023–24 (World Bank Pink Sheet, domain-facts §3)"

SHOCK_KINDS = ("price_spike", "price_level", "price_series", "market_closure", "flood")
#: What each shock kind does, with an example (``asmsim shocks`` prints them).
SHOCK_DOCS = {
    "price_spike": ("world gold price × (1 + size) during the shock",
                    "{kind: price_spike, month: 24, duration: 36, size: 0.6}"),
    "price_level": ("world gold price × (1 + size); size may be negative: −0.3 is a 30 % fall",
                    "{kind: price_level, month: 12, duration: 24, size: -0.3}"),
    "price_series": ("world gold price read from a CSV file (columns month, usd_per_g; month 0 "
                     "= the shock's first month; constant 2024 USD/g; the last row holds to "
                     "the shock's end)",
                     "{kind: price_series, month: 1, duration: 60, file: prices/path.csv}"),
    "market_closure": ("formal buyers shut and that share (size) of traders' shipments "
                       "blocked", "{kind: market_closure, month: 30, duration: 6, size: 0.6}"),
    "flood": ("that share (size) of output lost",
              "{kind: flood, month: 18, duration: 2, size: 0.5}"),
}
STATUSES = ("informal", "applicant", "licensed")
PRICE_PATHS = ("constant", "gbm", "series")


@dataclass
class Shock:
    """A scheduled context shock (``context.shocks`` entry)."""

    kind: str = param("price_spike", "-", " | ".join(SHOCK_KINDS) + " (asmsim shocks)",
                      choices=SHOCK_KINDS)
    month: int = months(12, "first month of the shock")
    duration: int = months(1, "how many months it lasts")
    size: float = param(0.3, "fraction", "price_spike: relative price rise; price_level: "
                        "relative price change (negative: a fall); market_closure: share of "
                        "traders' shipments blocked (formal buyers shut); flood: share of "
                        "output lost", lo=-0.95, hi=5.0)
    file: str = param("", "-", "price_series: CSV file of month,usd_per_g (relative to the "
                      "working folder, or absolute)")


@dataclass
class ScheduledChange:
    """A phased policy (or context) change: set ``key`` to ``value`` at ``month``."""

    month: int = months(12, "month from which the new value applies")
    key: str = param("policy.market.royalty_rate", "-", "dotted config key to change")
    value: Any = param(0.0, "-", "new value (validated like any other)")


@dataclass
class PriceConfig:
    path: str = param("constant", "-", "constant | gbm | series (shipped annual averages)",
                      choices=PRICE_PATHS)
    initial_usd_per_g: float = param(70.0, "USD/g", "world gold price at month 0", lo=1.0,
                                     hi=1000.0, source=SRC_PRICE)
    drift_annual: float = param(0.0, "1/year", "GBM drift", lo=-1.0, hi=1.0)
    volatility_annual: float = param(0.15, "1/sqrt(year)", "GBM volatility", lo=0.0, hi=2.0)
    series_start_year: int = param(2005, "year", "first year of the shipped series", lo=1960,
                                   hi=2024)


@dataclass
class ContextConfig:
    """Region, people, geology, costs and behaviour (``context.*``; not policy)."""

    commodity: str = param("gold", "-", "commodity mined", choices=("gold",))
    price: PriceConfig = field(default_factory=PriceConfig)
    grid_width: int = param(0, "cells", "sites across (0: a square grid sized by "
                            "miners_per_cell)", lo=0, hi=1000)
    grid_height: int = param(0, "cells", "sites down (0: as grid_width)", lo=0, hi=1000)
    miners_per_cell: float = param(2.22, "miners/cell", "initial miners per site when the grid "
                                   "is sized from the population (2,000 miners on 30 × 30)",
                                   lo=0.01, hi=1000.0)
    cells_per_town: float = param(225.0, "cells/town", "sites per town when towns = 0 (4 towns on "
                                  "30 × 30)", lo=1.0, hi=1e6)
    towns: int = param(0, "count", "towns holding buyers, lenders and the licensing office "
                       "(0: one per cells_per_town sites)",
                       lo=0, hi=5000)
    lsm_concession_share: float = share(0.25, "share of sites under large-scale concessions",
                                        source="REINFO (domain-facts §2d): 93 % mine on others' "
                                        "concessions")
    protected_share: float = share(0.10, "share of sites in protected areas")
    protected_area_cells: float = param(30.0, "cells", "typical size of one protected area: "
                                        "protected sites form round blocks of about this many "
                                        "cells (1: scattered single sites)", lo=1.0, hi=1e7)
    women_share: float = share(0.30, "share of women among miners", source=SRC_GENDER)
    women_land_access: float = share(0.3, "share of women miners with the land rights (or a "
                                     "male relative's signature) a licence application "
                                     "or opening a pit needs", source="Ghana: ≈ 10 % of licence holders "
                                     "women, for want of land (domain-facts-2 §C); "
                                     "Extractives Hub: approval of a male relative")
    digger_share_men: float = share(0.60, "probability a man works as digger")
    women_role_bias: float = share(0.85, "relative reduction of women's chance to dig "
                                   "(0 = same roles as men)", source=SRC_GENDER_GAP)
    processor_share_nondiggers: float = share(0.5, "non-diggers who process (rest haul)")
    tonnes_digger: float = param(4.0, "t/month", "ore credited to a solo digger (teams = "
                                 "false); with teams, the ore a digger expects to move when "
                                 "it weighs a site (7.12)", lo=0.0, hi=100.0)
    tonnes_processor: float = param(1.0, "t/month", "ore-equivalent credited to a solo "
                                    "processor (teams = false); with teams, what a processor "
                                    "expects when it weighs a site (7.12)", lo=0.0, hi=100.0,
                                    source=SRC_KAMITUGA)
    tonnes_hauler: float = param(0.8, "t/month", "ore-equivalent credited to a solo hauler "
                                 "(teams = false); with teams, what a hauler expects when it "
                                 "weighs a site (7.12)", lo=0.0, hi=100.0, source=SRC_KAMITUGA)
    teams: bool = flag(True, "miners work in pits: a team's ore is bounded by its scarcest "
                       "stage and shared by rule (false, for mechanism-removal tests only: "
                       "every miner works alone with its role's tonnes)")
    dig_rate_t: float = param(6.5, "t/month", "ore a digger breaks in a month (τ_D)",
                              lo=0.0, hi=100.0, source="assumption (model-spec-v2 §9.4: 6; "
                              "calibrated to the status quo's income, docs/validation.md)")
    haul_rate_t: float = param(13.0, "t/month", "ore a hauler brings out of the pit in a "
                               "month (τ_H)", lo=0.0, hi=100.0,
                               source="assumption: slots 4:2:2 balance the stages "
                               "(model-spec-v2 §9.4 c4; Burkina shafts, domain-facts-2 §A2)")
    process_rate_t: float = param(13.0, "t/month", "ore a processor crushes and washes in a "
                                  "month (τ_P)", lo=0.0, hi=100.0,
                                  source="assumption: slots 4:2:2 balance the stages "
                                  "(model-spec-v2 §9.4 c4)")
    helper_share: float = share(0.2, "σ: share of another stage's rate a member lends to it "
                                "(a solo does every stage at this share but its own)",
                                source="assumption (model-spec-v2 §9.4 c1: 0.2)")
    pit_owner_share: float = share(0.3, "ω_O: share of a pit's gold (and of its costs) to "
                                   "its owner; the rest goes to the workers",
                                   source="assumption in 0.3–0.6 (domain-facts-2 §A1: no "
                                   "numeric owner/digger split found; landholder rents "
                                   "0.10–0.14, Bambouk lord 0.5)")
    share_weight_hauler: float = param(0.5, "×", "a hauler's share weight (a digger's is 1; "
                                       "× skill × worked)", lo=0.0, hi=10.0,
                                       source="assumption (domain-facts-2 §A3: Rwanda, women's "
                                       "pay 65–75 % of men's; haulers and washers below "
                                       "diggers in Kamituga, domain-facts §2m)")
    share_weight_processor: float = param(0.5, "×", "a processor's share weight (a digger's "
                                          "is 1)", lo=0.0, hi=10.0,
                                          source="assumption (domain-facts-2 §A3)")
    pit_setup_cost_usd: float = usd(100.0, "cost of opening a pit: shaft, tools, pump hire "
                                    "(paid from cash or borrowed, sunk)",
                                    source="assumption (model-spec-v2 §9.4: 1,500 for a "
                                    "sponsor-equipped shaft; a hand-dug pit costs less)")
    team_search_prob: float = share(0.3, "monthly chance a solo looks for a pit in its 3×3 "
                                    "neighbourhood, and a crew member reconsiders its pit",
                                    source="assumption (model-spec-v2 §9.4 c4)")
    grade_median_g_per_t: float = param(3.0, "g/t", "median ore grade of a site", lo=0.01,
                                        hi=1000.0)
    grade_sigma: float = param(0.6, "log", "lognormal spread of site grades", lo=0.0, hi=3.0)
    ore_per_site_t: float = param(6000.0, "t", "mean ore in a site at month 0", lo=1.0,
                                  hi=1e8)
    skill_sigma: float = param(0.3, "log", "lognormal spread of miners' skill", lo=0.0, hi=2.0)
    recovery_whole_ore: float = share(0.35, "gold recovered by whole-ore amalgamation")
    recovery_concentrate: float = share(0.40, "gold recovered by concentrate amalgamation")
    recovery_mercury_free: float = share(0.42, "gold recovered mercury-free", source=SRC_HG_FREE)
    hg_au_whole_ore: float = param(3.0, "kg Hg/kg Au", "mercury lost per gold, whole-ore "
                                   "amalgamation (UNEP toolkit ratios not retrieved)", lo=0.0,
                                   hi=50.0)
    hg_au_concentrate: float = param(1.3, "kg Hg/kg Au", "mercury lost per gold, concentrate "
                                     "amalgamation", lo=0.0, hi=50.0)
    retort_capture: float = share(0.75, "share of mercury vapour a retort captures")
    concentrate_share_initial: float = share(0.3, "miners amalgamating concentrates at start")
    retort_share_initial: float = share(0.045, "miners using a retort at the start of the warm-up "
                                        "(near the status quo's own steady state, so the "
                                        "warm-up settles sooner)")
    operating_cost_usd_per_t: float = usd(10.0, "fuel, tools, mercury, water per tonne",
                                          unit="USD/t")
    subsistence_usd_month: float = usd(65.0, "household consumption floor per miner (≈ 2 people "
                                       "at the market-dollar poverty line)", unit="USD/month")
    consumption_share_of_surplus: float = share(0.8, "share of income above subsistence consumed")
    savings_drawdown: float = share(0.1, "share of savings spent each month beyond that")
    poverty_line_usd_month: float = usd(33.7, "poverty line per person, in market dollars",
                                        unit="USD/month", source=SRC_POVERTY)
    outside_wage_usd_month: float = usd(90.0, "rural wage outside mining (w_out)",
                                        unit="USD/month", source=SRC_FARM)
    reservation_sigma: float = param(0.5, "log", "lognormal spread of the wage at which a miner "
                                     "quits", lo=0.0, hi=3.0, source=SRC_KAMITUGA)
    initial_cash_usd: float = usd(60.0, "mean cash at entry")
    neighbour_royalty_rate: float = share(0.03, "royalty rate across the border")
    trader_margin: float = share(0.04, "informal traders' margin below world price",
                                 source=SRC_DISCOUNT)
    sale_logit_scale_per_usd: float = param(1.8, "1/USD", "price attention when selling a lot "
                                            "(λ_s, logit on the lot's monthly value): sets how "
                                            "many sellers a trader loses per USD/g it pays less, "
                                            "hence its margin", lo=0.0, hi=100.0,
                                            source=calibrated(0.45, 2.9, weak=True))
    traders_per_town: int = param(2, "count", "informal traders competing in each town",
                                  lo=1, hi=20)
    trader_pricing: bool = flag(True, "traders post prices from arbitrage and competition "
                                "(false, a knock-out for mechanism tests: a fixed "
                                "trader_margin and the smuggled share frozen at the status "
                                "quo's)")
    smuggling_cost_share: float = share(0.016, "median cost of a smuggling route, as a share of "
                                        "the gold's value (χ̄); traders' routes spread around it "
                                        "(no source gives a per-kg smuggling fee: "
                                        "domain-facts-2 §B4)",
                                        source=calibrated(0.0086, 0.026))
    smuggling_cost_sigma: float = param(1.0, "log", "lognormal spread of a batch's route cost "
                                        "around its trader's median (σ_X)", lo=0.0, hi=5.0)
    route_cost_sigma_traders: float = param(0.3, "log", "lognormal spread of traders' median "
                                            "route costs (location: σ_J)", lo=0.0, hi=5.0)
    informality_premium_share: float = share(0.05, "premium untraceable gold fetches abroad "
                                             "(no KYC, forex), as a share of the world price "
                                             "(η)", source="assumption (domain-facts-2 §B1, "
                                             "§B3: laundering demand, tax-free transit hubs); "
                                             "set so the status-quo trader discount is near "
                                             "domain-facts §2f's 3–5 %")
    border_penalty_share: float = share(0.5, "fine on gold caught at the border beyond its "
                                        "confiscation, as a share of its value (φ_b)")
    shipments_per_month: int = param(4, "count", "batches a trader ships a month", lo=1, hi=100)
    trader_capital_usd_per_1000_miners: float = usd(200000.0, "traders' working capital in "
                                                    "all, per 1,000 initial miners (K)",
                                                    unit="USD per 1,000 miners")
    trader_capital_sigma: float = param(0.3, "log", "lognormal spread of capital across "
                                        "traders", lo=0.0, hi=5.0)
    trader_turnover_per_month: float = param(4.0, "1/month", "times a trader turns its capital "
                                             "over in a month (τ): its purchases are at most "
                                             "τ·K; a market closure cuts τ by its size",
                                             lo=0.0, hi=100.0)
    trader_visit_cost_usd: float = usd(2.0, "a trader's cost of buying from one seller at the "
                                       "pit (c_v)", unit="USD per seller-month")
    prefinance_tie_discount: float = share(0.06, "extra price discount a tied miner accepts "
                                           "(pre-finance's implicit interest)")
    prefinance_max_usd: float = usd(150.0, "most a miner can owe a trader (top-ups included)")
    trader_credit_usd_per_1000_miners: float = usd(40000.0, "traders' credit budget: most they "
                                                   "lend in all, per 1,000 initial miners",
                                                   unit="USD per 1,000 miners")
    trader_ban_months: int = months(12, "months every trader refuses a miner who defaulted "
                                    "on one of them")
    prefinance_repay_share: float = share(0.3, "share of a tied miner's sales kept to repay")
    side_sell_detection: float = share(0.5, "monthly probability that a tied miner's sale to "
                                       "anyone but the trader it owes is detected: the trader "
                                       "then calls the loan and refuses it pre-finance for "
                                       "trader_ban_months", source="assumption (domain-facts-2 "
                                       "§A1: the Ghana sponsor contract obliges miners to sell "
                                       "all gold to the sponsor, who keeps a monitor on site; "
                                       "model-spec-v2 §9.4 c3)")
    trip_cost_fixed_usd: float = usd(3.0, "cost of a month's trip to sell in town or at a "
                                     "buying point, whatever the lot (c_0; traders come to "
                                     "the pit)", unit="USD/month")
    trip_cost_usd_per_cell: float = usd(1.5, "cost of that trip per cell of distance (c_1)",
                                        unit="USD/(month·cell)")
    export_cost_share: float = share(0.04, "refining, assay and transport: the official buyer "
                                     "realises the world price less this share (e_O)",
                                     source="IMF on Ghana GoldBod (domain-facts-2 §B2): 3–5 % "
                                     "below the international price")
    bank_rate_monthly: float = share(0.02, "bank interest rate", source=SRC_PERU_BANK)
    bank_approval: float = share(0.10, "bank approval probability for an eligible miner",
                                 source=SRC_PERU_BANK)
    bank_women_factor: float = share(0.6, "women's approval relative to men (1 = no bias)",
                                     source=SRC_GENDER_GAP)
    bank_collateral_usd: float = usd(150.0, "cash a bank wants to see")
    loan_term_months: int = months(12, "repayment term of formal loans")
    default_after_months: int = months(4, "months in arrears before a default")
    equipment_value_usd: float = usd(120.0, "value of tools that can be seized")
    mercury_free_capex_usd: float = usd(1500.0, "sluice/shaking-table kit per miner (shared use)")
    retort_cost_usd: float = usd(15.0, "retort")
    concentrate_capex_usd: float = usd(200.0, "sluice and tools to amalgamate concentrates only")
    dust_control_capex_usd: float = usd(80.0, "wet drilling / masks kit")
    retort_health_value_usd: float = usd(10.0, "perceived monthly health value of a retort "
                                         "(trained miner)", unit="USD/month")
    dust_health_value_usd: float = usd(20.0, "perceived monthly health value of dust control "
                                       "(trained miner)", unit="USD/month")
    adoption_hassle_usd: float = usd(25.0, "monthly bother of a new practice (time, habit)",
                                     unit="USD/month")
    retort_hassle_usd: float = usd(35.0, "monthly bother of using a retort (slower batches, "
                                   "fear of losing gold)", unit="USD/month")
    untrained_awareness: float = share(0.2, "share of health value an untrained miner perceives")
    audit_revoke_prob: float = share(0.2, "probability that a licensee an audit finds selling to "
                                     "an informal trader loses its licence",
                                     source="assumption (model-spec-v2 §9.3 b5)")
    audit_cost_usd: float = usd(100.0, "cost to the state of auditing one licensee's sales "
                                "(records against output, staff days; no published unit cost, "
                                "domain-facts-2 §D2 lists licensing unit costs as a gap)")
    compliance_cost_usd_month: float = usd(8.0, "reporting, safety and environmental duties of a "
                                           "licence", unit="USD/month")
    office_travel_cost_usd: float = usd(80.0, "cost to reach a central licensing office "
                                        "(a private cost, not state revenue)")
    licence_search_radius_cells: int = param(5, "cells", "how far a miner outside licensable "
                                             "land looks for a licensable plot", lo=0, hi=50)
    move_cost_usd_per_cell: float = usd(20.0, "one-off cost of moving a miner's work one cell "
                                        "(tools, camp, lost days)", unit="USD/cell")
    site_choice: bool = flag(True, "miners choose where to mine among nearby sites (false, for "
                             "mechanism-removal tests only: evictees and miners on worked-out "
                             "sites go to a uniformly drawn other cell, entrants stay where "
                             "drawn, no one reconsiders)")
    plots_per_cell: int = param(6, "miners/cell", "plots a site holds: miners who can work it "
                                "at once (a chooser is admitted only to a free plot; with "
                                "site_choice = false plots are unlimited)", lo=1, hi=100000,
                                source="assumption (model-spec-v2 §9.5: plots per cell)")
    site_search_radius_cells: int = param(3, "cells", "how far (Chebyshev) a miner choosing a "
                                          "site looks", lo=0, hi=50)
    site_candidates: int = param(8, "count", "cells a miner choosing a site compares with its "
                                 "own (drawn within the search radius)", lo=1, hi=100)
    site_reconsider_prob: float = share(0.02, "share of informal miners reconsidering their "
                                        "site a month")
    site_horizon_months: int = months(24, "months over which a move's cost is spread in a "
                                      "site's value")
    grade_info_sigma: float = param(0.3, "log", "lognormal noise of the grade a miner believes a "
                                    "site has (redrawn monthly, one signal per site)", lo=0.0,
                                    hi=3.0)
    eviction_search_radius_cells: int = param(2, "cells", "how far (Chebyshev) an evicted miner "
                                              "looks for a new site (distances moved after "
                                              "evictions are a gap, domain-facts-2 §E)", lo=1,
                                              hi=50)
    eviction_exclusion_months: int = months(6, "months an evicted miner will not return to the "
                                            "cell it was evicted from", lo=0)
    relocation_months: int = months(1, "months without output after an eviction (moving camp)",
                                    lo=0)
    eviction_hazard_protected: float = share(0.01, "monthly chance an informal miner on "
                                             "protected land is evicted (besides inspections)")
    eviction_hazard_concession: float = share(0.02, "monthly chance an informal miner on a "
                                              "large-scale concession is evicted by its holder "
                                              "(besides inspections)")
    eviction_hazard_open: float = share(0.002, "monthly chance an informal miner on open land is "
                                        "evicted (land owners, disputes)")
    eviction_hazard_zone: float = share(0.002, "monthly chance an informal miner in an ASM zone "
                                        "is evicted")
    eviction_hazard_licensed: float = share(0.0005, "monthly chance a licensed miner is evicted "
                                            "from its plot")
    coop_fee_share: float = share(0.2, "a member's share of a group licence fee")
    coop_benefit_usd_month: float = usd(6.0, "benefit of membership (shared costs, voice)",
                                        unit="USD/month")
    logit_scale_per_usd: float = param(0.15, "1/USD", "λ: rationality of monthly choices",
                                       lo=0.0, hi=10.0, source=calibrated(0.021, 0.28, weak=True))
    reconsider_prob: float = share(0.12, "share of miners reconsidering formal status a month",
                                   source=calibrated(0.044, 0.15, weak=True))
    formalization_inertia_usd: float = usd(15.0, "status-quo bias against changing formal "
                                           "status (applying, joining)", unit="USD/month")
    adoption_prob: float = share(0.03, "share of miners reconsidering technology a month")
    social_weight_usd: float = usd(17.0, "utility of all neighbours being licensed / mercury-free",
                                   unit="USD/month", source=calibrated(1.5, 35.0, weak=True))
    trust_weight_usd: float = usd(18.0, "utility of full trust in government (vs 0.5)",
                                  unit="USD/month", source=calibrated(6.7, 33.0))
    initial_trust: float = share(0.4, "mean trust in government at month 0")
    trust_loss_sanction: float = share(0.15, "trust lost by a sanctioned miner without support")
    trust_gain_support: float = share(0.10, "trust gained from training or fair licensing")
    initial_licensed_share: float = share(0.06, "miners licensed at the start of the warm-up "
                                          "(near the status quo's own steady state; the field's "
                                          "10-30 % is a calibration target, docs/validation.md)")
    initial_coop_share: float = share(0.05, "miners in a cooperative at month 0")
    applicant_giveup_prob: float = share(0.02, "monthly chance an applicant gives up once the "
                                         "wait exceeds the statutory time",
                                         source="Peru REINFO funnel (domain-facts §2d)")
    bribe_share_of_fine: float = share(0.5, "a bribe paid to an inspector, as a share of the "
                                       "fine it replaces")
    visibility_informal: float = share(1.0, "relative visibility of informal miners to inspectors")
    suspension_months: int = months(2, "months an inspected informal miner stops")
    expectation_weight: float = share(0.2, "weight of this month in the income expectation (EMA)")
    exit_rate: float = share(0.11, "monthly exit rate of a miner whose expected income has been "
                             "below its reservation wage for 3 months",
                             source=calibrated(0.056, 0.18))
    silicosis_exit_multiplier: float = param(3.0, "×", "a miner with silicosis leaves at this "
                                             "multiple of the background exit rate", lo=1.0,
                                             hi=50.0)
    trust_memory_months: float = param(60.0, "months", "trust returns to each miner's own "
                                       "baseline over this many months (memory of events)",
                                       lo=1.0, hi=1200.0)
    discovery_prob_monthly: float = share(0.015, "monthly chance a new deposit is found on a "
                                          "site (its ore and grade start again)")
    initial_tenure_mean_months: float = param(90.0, "months", "mean time the initial miners have "
                                              "mined (a geometric draw; sets their exposure "
                                              "and silicosis at the start of the warm-up)",
                                              lo=1.0, hi=600.0)
    warmup_months: int = param(360, "months", "unrecorded months under the status-quo policy, "
                               "at the initial price and without shocks, before month 0 (so "
                               "the status quo starts in its own steady state)", lo=0, hi=600)
    background_exit_monthly: float = share(0.004, "monthly chance any miner leaves (migration, "
                                           "ageing, other jobs)")
    labour_pool_per_miner: float = param(3.0, "people/miner", "rural labour pool per initial "
                                         "miner", lo=0.0, hi=100.0)
    entry_rate: float = share(0.01, "monthly entry rate of the pool when mining pays "
                              "entry_income_multiple × w_out (half the maximum rate)",
                              source=SRC_RUSH)
    entry_income_multiple: float = param(3.0, "×", "expected mining income, as a multiple of "
                                         "w_out, at which half the maximum entry rate is reached "
                                         "(migration costs, risk, hardship)", lo=0.0, hi=20.0)
    entry_steepness: float = param(1.7, "-", "k in the entry logistic, per unit of E[income]/w_out",
                                   lo=0.0, hi=50.0, source=calibrated(0.84, 2.7))
    accident_rate_monthly: float = share(0.0067, "accidents per miner-month (licensed, "
                                         "trained)", source=calibrated(0.0021, 0.01, weak=True))
    accident_informal_factor: float = param(2.0, "×", "accident multiplier without a licence",
                                            lo=1.0, hi=10.0, source=SRC_INJURY_INF)
    accident_untrained_factor: float = param(1.5, "×", "accident multiplier untrained", lo=1.0,
                                             hi=10.0)
    accident_women_factor: float = param(2.2, "×", "women's accident multiplier", lo=0.0,
                                         hi=10.0, source=SRC_INJURY_W)
    role_change_prob: float = share(0.02, "monthly chance a miner's role is re-drawn")
    injury_months: int = months(1, "months off after an accident",
                                source="Tarkwa (domain-facts §2j): 34.7 % of injuries > 2 weeks")
    silicosis_hazard_per_exposure_year: float = share(0.002, "monthly silicosis hazard per year "
                                                      "of unprotected dry work",
                                                      source=SRC_SILICOSIS)
    dust_control_effect: float = share(0.7, "exposure avoided with dust control")
    silicosis_productivity: float = share(0.6, "productivity kept with silicosis")
    land_ha_per_t: float = param(0.0004, "ha/t", "land disturbed per tonne of ore", lo=0.0,
                                 hi=1.0)
    restoration_share_licensed: float = share(0.3, "share of disturbed land licensed miners "
                                              "restore")
    training_cost_usd: float = usd(290.0, "cost to the state of one training slot",
                                   source="Tanzania National Skills Development Programme: "
                                   "TSh 111.3 bn for 157,909 trainees ≈ US$290 each "
                                   "(domain-facts-2 §D2)")
    inspection_cost_usd: float = usd(150.0, "cost to the state of inspecting one miner in the "
                                     "field (patrol, transport, staff days; no unit cost is "
                                     "published: Peru's Operación Mercurio spent ≈ US$45 M a "
                                     "year on interdiction, domain-facts-2 §D1)")
    trader_inspection_cost_usd: float = usd(500.0, "cost to the state of inspecting one trader's "
                                            "stock")
    trader_seizure_share: float = share(0.05, "share of the gold an inspected trader was to "
                                        "smuggle this month found and confiscated (seizures "
                                        "≪ flows: Tanzania 2013 intercepted TZS 2 bn against "
                                        "≈ 20 t a year; Harpie 2022 seized 750 g; "
                                        "domain-facts-2 §B4)")
    trader_licence_loss_months: int = months(12, "months a licensed trader found smuggling "
                                             "loses its licence")
    licence_processing_cost_usd: float = usd(150.0, "cost to the state of processing one licence "
                                             "(survey, file, visit; unit cost a gap in "
                                             "domain-facts-2 §D2)")
    coop_grant_usd: float = usd(50.0, "state formation grant per new cooperative member")
    buying_point_cost_usd_month: float = usd(3000.0, "running cost of one official buying point",
                                             unit="USD/month")
    shocks: list[Shock] = field(default_factory=list,
                                metadata={"unit": "-", "doc": "scheduled shocks (list)",
                                          "lo": None, "hi": None, "source": "-", "choices": None})


@dataclass
class LegalPolicy:
    licence_fee_usd: float = usd(600.0, "fee for an individual ASM licence (assumption scaled "
                                  "from the Ghana concession cost)", source=SRC_GH_FEE,
                                  policy_range=(0.0, 4000.0))
    licence_processing_months: int = months(24, "statutory processing time", source=SRC_GH_DELAY,
                                            policy_range=(1, 36))
    office_capacity_per_1000_miners: float = param(12.5, "licences/month per 1,000 miners",
                                                   "licences the office can process a month, per "
                                                   "1,000 initial miners", lo=0.0, hi=1000.0,
                                                   policy_range=(0.0, 200.0))
    decentralised_offices: bool = flag(False, "offices near the mines (travel cost ≈ 0)")
    asm_zone_share: float = share(0.10, "share of sites where ASM licences can be granted",
                                  policy_range=(0.0, 0.5))
    open_land_licensable: bool = flag(False, "licences can also be granted on open land (not "
                                      "only in ASM zones)")
    licence_duration_months: int = months(48, "licence term", source=SRC_TZ_TERM)
    renewal_fee_share: float = share(0.25, "renewal fee as a share of licence_fee_usd (the first "
                                     "licence also pays survey, permits and processing)")
    group_licences: bool = flag(False, "a cooperative may hold one licence for all members")
    inspection_prob: float = share(0.02, "monthly inspection probability per informal miner",
                                   policy_range=(0.0, 0.2))
    inspection_weight_protected: float = param(1.0, "×", "targeting: inspection probability of "
                                               "informal miners on protected land, relative to "
                                               "inspection_prob (a crackdown on protected land "
                                               "raises it)", lo=0.0, hi=100.0,
                                               policy_range=(0.0, 20.0))
    inspection_weight_concession: float = param(1.0, "×", "targeting: relative inspection "
                                                "probability on large-scale concessions",
                                                lo=0.0, hi=100.0, policy_range=(0.0, 20.0))
    inspection_weight_open: float = param(1.0, "×", "targeting: relative inspection probability "
                                          "on open land", lo=0.0, hi=100.0,
                                          policy_range=(0.0, 20.0))
    inspection_weight_zone: float = param(1.0, "×", "targeting: relative inspection probability "
                                          "in ASM zones", lo=0.0, hi=100.0,
                                          policy_range=(0.0, 20.0))
    fine_usd: float = usd(100.0, "fine for informal mining")
    licensee_audit_prob: float = share(0.1, "monthly probability that a licensee's sales are "
                                       "audited (a licensee that sold to an informal trader "
                                       "is then fined and may lose its licence)",
                                       source="assumption (model-spec-v2 §9.3 b5: 0.05); 0.1 "
                                       "keeps the status quo's official sales share near its "
                                       "level under the perceived penalty it replaces (2–4 %, "
                                       "domain-facts §5.2)",
                                       policy_range=(0.0, 0.5))
    audit_fine_usd: float = usd(300.0, "fine on a licensee an audit finds selling to an "
                                "informal trader", source="assumption (model-spec-v2 §9.3 b5)")
    seizure_prob: float = share(0.3, "probability equipment is seized when caught")
    corruption: float = share(0.3, "share of inspections ending in a bribe")


@dataclass
class OfficialBuyerPolicy:
    enabled: bool = flag(False, "a state / central-bank buying programme")
    price_share: float = share(0.97, "share of world price paid before royalty",
                               source=SRC_EC_PRICE, policy_range=(0.85, 1.0))
    buying_points_per_1000_miners: float = param(2.0, "places per 1,000 miners", "buying points "
                                                 "(towns first, then mine sites), per 1,000 "
                                                 "initial miners", lo=0.0, hi=100.0,
                                                 policy_range=(0.0, 10.0))
    accepts: list[str] = param(["licensed"], "-", "statuses it buys from",
                               choices=STATUSES)
    kg_per_point_month: float = param(20.0, "kg/month", "gold one buying point can take a "
                                      "month (ν)", lo=0.0, hi=1e6,
                                      source="Tanzania 2019 (domain-facts §2b): 409 kg in a "
                                      "month over ≥ 22 centres")
    recapitalise: bool = flag(True, "the state tops the purchase fund back up each month "
                              "(its trading losses become official-buying spending)")
    fund_usd_per_1000_miners: float = usd(150000.0, "purchase fund (gold settles a month later "
                                          "at the world price less export_cost_share)",
                                          unit="USD per 1,000 miners",
                                          source="assumption (Ecuador's US$9.4 M quota, "
                                          "domain-facts §2b)")


@dataclass
class MarketPolicy:
    royalty_rate: float = share(0.07, "royalty on formal sales", source=SRC_TZ_ROYALTY,
                                policy_range=(0.0, 0.15))
    official_buyer: OfficialBuyerPolicy = field(default_factory=OfficialBuyerPolicy)
    licensed_buyer_margin: float = share(0.03, "licensed buyers' margin below world price",
                                         source=SRC_DISCOUNT)
    trader_inspection_prob: float = share(0.02, "monthly chance a trader's gold is inspected",
                                          policy_range=(0.0, 0.5))
    trader_fine_usd: float = usd(500.0, "fine on a trader an inspection finds holding gold to "
                                 "smuggle (beyond the gold confiscated)",
                                 source="assumption (model-spec-v2 §9.3 b6)")
    trader_licensing_share: float = share(0.0, "share of traders licensed as gold dealers, the "
                                          "largest by capital first: a licensed trader exports "
                                          "its declared gold itself (no licensed buyer's "
                                          "margin) and loses its licence if an inspection "
                                          "finds it smuggling", policy_range=(0.0, 1.0))
    border_interdiction_prob: float = share(0.02, "chance a smuggled batch is caught at the "
                                            "border (q_b)", source="assumption (domain-facts-2 "
                                            "§B4: seizures ≪ flows, plausibly ≪ 5 %)",
                                            policy_range=(0.0, 0.5))
    border_control_cost_usd_per_1000_miners: float = usd(400.0, "monthly cost of border control "
                                                         "per percentage point of q_b, per "
                                                         "1,000 initial miners",
                                                         unit="USD/month per point per 1,000 "
                                                         "miners")
    export_tax_rate: float = share(0.0, "tax on formal exports, passed to miners' price")


@dataclass
class SocialPolicy:
    coop_support: bool = flag(False, "formation grants and group fees for cooperatives")
    training_slots_per_1000_miners: float = param(0.0, "miners/month per 1,000 miners",
                                                  "OHS + mercury-free extension slots a month, "
                                                  "per 1,000 initial miners", lo=0.0, hi=1000.0,
                                                  policy_range=(0.0, 150.0))
    women_priority: float = share(0.0, "share of slots and credit reserved for women",
                                  policy_range=(0.0, 0.8))
    women_role_access: float = share(0.0, "share of the role bias against women removed "
                                     "(access to digging and ownership roles)")
    women_land_access: float = share(0.0, "share of women's land-access gap closed (titles "
                                     "in women's names, joint titling, no signature rule)",
                                     policy_range=(0.0, 1.0))
    ohs_subsidy_share: float = share(0.0, "state share of dust-control and PPE cost")
    mercury_free_subsidy_share: float = share(0.0, "state share of mercury-free equipment cost")


@dataclass
class MicrofinancePolicy:
    enabled: bool = flag(False, "a microfinance line for miners")
    rate_monthly: float = share(0.03, "monthly interest rate", policy_range=(0.005, 0.06))
    max_loan_usd: float = usd(500.0, "largest loan")
    fund_usd_per_1000_miners: float = usd(100000.0, "lending capital per 1,000 initial miners",
                                          unit="USD per 1,000 miners")
    approval: float = share(0.6, "approval probability for an eligible applicant")


@dataclass
class StateFundPolicy:
    enabled: bool = flag(False, "a state fund lending to licensed miners and cooperatives")
    rate_monthly: float = share(0.01, "monthly interest rate")
    max_loan_usd: float = usd(1000.0, "largest loan")
    fund_usd_per_1000_miners: float = usd(50000.0, "lending capital per 1,000 initial miners",
                                          unit="USD per 1,000 miners")


@dataclass
class FinancePolicy:
    microfinance: MicrofinancePolicy = field(default_factory=MicrofinancePolicy)
    state_fund: StateFundPolicy = field(default_factory=StateFundPolicy)
    bank_guarantee_share: float = share(0.0, "state share of bank losses on ASM loans")
    women_credit_quota: float = share(0.0, "share of formal credit reserved for women")


BUDGET_PROGRAMMES = ("licensing", "enforcement", "extension", "official_buying", "subsidies")


@dataclass
class BudgetPolicy:
    transfer_usd_per_1000_miners_month: float = usd(
        1700.0, "central or donor transfer to the mining budget, per 1,000 initial miners",
        unit="USD/month per 1,000 miners",
        source="Ghana 2024 budget: ≈ US$100 M over 5 years for small-scale gold, ≈ 1 M "
        "workers (domain-facts-2 §D2)")
    initial_months: float = param(6.0, "months", "budget balance at month 0, in months of "
                                  "transfer", lo=0.0, hi=120.0)
    priority: list[str] = param(list(BUDGET_PROGRAMMES), "-", "order in which programmes are "
                                "funded when the budget binds", choices=BUDGET_PROGRAMMES)


@dataclass
class PolicyConfig:
    budget_constrained: bool = flag(False, "programmes (licensing office, inspections, training, "
                                    "buying points, subsidies) are limited by the budget")
    budget: BudgetPolicy = field(default_factory=BudgetPolicy)
    legal: LegalPolicy = field(default_factory=LegalPolicy)
    market: MarketPolicy = field(default_factory=MarketPolicy)
    social: SocialPolicy = field(default_factory=SocialPolicy)
    finance: FinancePolicy = field(default_factory=FinancePolicy)


@dataclass
class Config:
    """A whole run: size, seed, context, policy and schedule."""

    scenario_name: str = name("baseline", "name of the scenario preset (names the run folder)")
    description: str = param("", "-", "what the scenario represents")
    seed: int = param(0, "-", "master seed", lo=0, hi=MAX_SEED)
    months: int = months(120, "months simulated")
    miners: int = param(2000, "people", "miners at month 0", lo=1, hi=5_000_000)
    replicates: int = param(1, "runs", "replicates (independent seeds)", lo=1, hi=10_000)
    jobs: int = param(0, "processes", "parallel processes (0 = all cores)", lo=0, hi=1024)
    out: str = param("", "-", "output folder (default results/runs/<scenario>/<time>)")
    context: ContextConfig = field(default_factory=ContextConfig)
    policy: PolicyConfig = field(default_factory=PolicyConfig)
    policy_schedule: list[ScheduledChange] = field(
        default_factory=list,
        metadata={"unit": "-", "doc": "phased changes: [{month, key, value}]", "lo": None,
                  "hi": None, "source": "-", "choices": None})
