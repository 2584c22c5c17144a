"""Submodel: informal traders — what gold is worth to them, the price they post, and
whether they export it legally or smuggle it (ODD 7.2.1).

Each town has ``context.traders_per_town`` traders. They differ in location (the
median cost share of their smuggling route, ``χ̄_j``) and capital (``K_j``).
Each month a trader

1. **values a gram** from arbitrage (Bhagwati & Hansen 1973; Pitt 1981): declared
   gold is sold to a licensed exporter at ``p_L = P(1 − m_L − x)`` and pays the
   royalty, ``v_D = (1 − r)·p_L``; a batch whose route cost share ``χ`` (lognormal
   around ``χ̄_j``) is below the break-even ``χ* = (1 − q_b)(1 − r_N) − q_b·φ_b + η − v_D/P``
   is smuggled instead (``q_b`` border interdiction, ``φ_b`` the fine beyond the
   confiscated gold, ``r_N`` the neighbour's royalty, ``η`` the informality premium).
   The smuggled share is ``s_j = Φ(d)``, ``d = (ln χ* − ln χ̄_j)/σ_X``, and a gram is
   worth ``v_j = v_D + P·[χ*Φ(d) − χ̄_j·e^{σ_X²/2}·Φ(d − σ_X)] − q_T·κ_T·P``
   (the lognormal partial expectation of the smuggling option, less the expected
   confiscation by trader inspections);
2. **prices against its competitors** — the other traders of its town, the licensed
   buyer and the official buyer, as sellers choose among them by logit (``λ_s``,
   ``context.sale_logit_scale_per_usd``): the margin of a logit oligopsony
   (Anderson, de Palma & Thisse 1992), ``m_j = [G_j + λ_s·c_v·Σgπ(1 − π)] / [λ_s·Σg²π(1 − π)]``,
   which it learns from last month's sellers (lots ``g``, choice probabilities ``π``)
   by one ζ-map step a month (Morrow & Skerlos 2011). It moves its price part of the
   way (``PRICE_DAMPING``) towards ``v_j − m_j``, within ``[0, v_j]`` and within its
   cash: it cannot pay out more than ``τ·K_j`` a month (``τ`` turnover), less what
   is tied up in gold it could not ship. A competitor paying more raises the
   share of sellers a trader loses per USD/g and so narrows its margin;
3. **ships** what it bought: ``(1 − s_j)`` declared (royalty paid), ``s_j``
   smuggled in ``context.shipments_per_month`` batches, each caught at the border
   with probability ``q_b`` (the gold goes to the state). A market closure of size
   ``c`` blocks that share of its shipments: the gold stays in its stock and its
   capital with it, so a long closure leaves traders short of cash and they cut
   their prices (the local price fall of a lockdown emerges from stuck capital).

The knock-out ``context.trader_pricing = false`` (for mechanism-removal tests) fixes
the price at ``P(1 − trader_margin)`` and the smuggled share at its month-0 value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from asmsim.model.scale import per_population

PRICE_DAMPING = 0.7  # share of the step to the new price a trader takes in a month
LOSING_SHARE = 0.5  # a trader buying less than this share of its town's mean matches its rival



@dataclass
class TraderBook:
    """The traders of the region as arrays (one entry per trader; ``town`` holds its town index)."""

    town: np.ndarray               # town index (0..towns-1)
    route_cost_share: np.ndarray   # χ̄_j, median smuggling cost as a share of the gold's value
    capital_usd: np.ndarray        # K_j, working capital (USD)
    price: np.ndarray              # p_j, USD/g posted this month
    value: np.ndarray              # v_j, USD/g a gram is worth to it this month
    smuggle_share: np.ndarray      # s_j, 0-1, share of its gold it smuggles this month
    cash_usd: np.ndarray           # τ·(K_j − capital in unshipped gold), what it can pay out (USD)
    stock_g: np.ndarray            # gold bought but not yet shipped (closures), g
    margin: np.ndarray             # v_j − p_j last month (USD/g)
    demand: np.ndarray             # last month's sellers, by trader: rows G, Σgπ(1 − π), Λ, Γ
    capital_rank: np.ndarray       # 0 for the largest capital (licences go by it)
    licensed: np.ndarray           # bool, a licensed gold dealer this month
    licence_lost: np.ndarray       # months its licence stays lost after being found smuggling

    @property
    def n(self) -> int:
        return len(self.town)


def create(model, towns: int) -> TraderBook:
    """The region's traders: ``traders_per_town`` in each town, their route costs and capital
    drawn once (stream ``traders``); a town's traders hold capital in proportion to its
    sites."""
    ctx = model.config.context
    per_town = ctx.traders_per_town
    n = towns * per_town
    rng = model.stream("traders")
    route = ctx.smuggling_cost_share * rng.lognormal(0.0, ctx.route_cost_sigma_traders, n)
    # Capital follows the gold: each town's share is its share of the sites.
    town_share = np.bincount(model.sites.town_of, minlength=towns) / len(model.sites.town_of)
    capital_total = per_population(model, ctx.trader_capital_usd_per_1000_miners)
    capital = capital_total * np.repeat(town_share, per_town) / per_town \
        * rng.lognormal(0.0, ctx.trader_capital_sigma, n)
    zeros = np.zeros(n)
    return TraderBook(town=np.repeat(np.arange(towns), per_town), route_cost_share=route,
                      capital_usd=capital, price=zeros.copy(), value=zeros.copy(),
                      smuggle_share=zeros.copy(), cash_usd=zeros.copy(),
                      stock_g=zeros.copy(),
                      margin=zeros.copy(), demand=np.zeros((4, n)),
                      capital_rank=np.argsort(np.argsort(-capital, kind="stable"), kind="stable"),
                      licensed=np.zeros(n, dtype=bool), licence_lost=np.zeros(n, dtype=np.int64))


def declared_value_share(royalty: float, licensed_margin: float, export_tax: float) -> float:
    """v_D / P: what a declared gram brings a trader, as a share of the world price."""
    return (1.0 - royalty) * (1.0 - licensed_margin - export_tax)


def smuggling_break_even(declared_share: float, interdiction: float, penalty_share: float,
                         neighbour_royalty: float, informality_premium: float) -> float:
    """χ*: the largest route-cost share at which smuggling a batch pays (share of P)."""
    return (1.0 - interdiction) * (1.0 - neighbour_royalty) - interdiction * penalty_share \
        + informality_premium - declared_share


def smuggling_option(break_even: float | np.ndarray, route_median: np.ndarray, sigma: float
                     ) -> tuple[np.ndarray, np.ndarray]:
    """(smuggled share s_j, option value per gram as a share of P) for lognormal route costs
    (``break_even`` one for all traders or one each).

    ``s_j = P(χ ≤ χ*)`` and the option ``E[(χ* − χ)⁺] = χ*Φ(d) − χ̄e^{σ²/2}Φ(d − σ)``
    (both 0 where ``χ* ≤ 0``).
    """
    break_even = np.broadcast_to(np.asarray(break_even, dtype=float), np.shape(route_median))
    pays = break_even > 0
    if sigma <= 0:
        smuggled = (pays & (route_median <= break_even)).astype(float)
        return smuggled, np.maximum(break_even - route_median, 0.0) * pays
    with np.errstate(divide="ignore"):
        d = (np.log(np.where(pays, break_even, 1.0)) - np.log(route_median)) / sigma
    share = np.where(pays, ndtr(d), 0.0)
    option = break_even * share - route_median * np.exp(0.5 * sigma**2) * ndtr(d - sigma)
    return share, np.where(pays, np.maximum(option, 0.0), 0.0)


def arbitrage(ctx, market, interdiction: float, route_median: np.ndarray,
              inspection: float = 0.0, licensed: np.ndarray | bool = False,
              fine_share: np.ndarray | float = 0.0
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(v_D/P, smuggled share s_j, smuggling option per gram / P) for traders with median
    route costs ``route_median`` under ``market`` policy, border ``interdiction`` and
    trader ``inspection`` probability.

    A licensed trader (``licensed``) exports its declared gold itself, without a licensed
    buyer's margin. An inspection finds ``context.trader_seizure_share`` of the gold a
    trader was to smuggle and confiscates it, with a fine (``fine_share``: the fine per
    gram bought, as a share of P); a licensed trader found smuggling also loses its
    licence for ``context.trader_licence_loss_months``, i.e. the licensed buyer's margin on
    its declared gold for that long. Per smuggled gram these expected losses lower the
    break-even route cost ``χ*``.
    """
    licensed = np.asarray(licensed, dtype=bool)
    margin = market.licensed_buyer_margin
    declared = np.where(licensed, declared_value_share(market.royalty_rate, 0.0,
                                                       market.export_tax_rate),
                        declared_value_share(market.royalty_rate, margin,
                                             market.export_tax_rate))
    licence_loss = licensed * ctx.trader_licence_loss_months * margin \
        * (1.0 - market.royalty_rate)
    inspection_loss = inspection * (ctx.trader_seizure_share + fine_share + licence_loss)
    break_even = smuggling_break_even(declared, interdiction, ctx.border_penalty_share,
                                      ctx.neighbour_royalty_rate, ctx.informality_premium_share) \
        - inspection_loss
    share, option = smuggling_option(break_even, route_median, ctx.smuggling_cost_sigma)
    return np.broadcast_to(declared, np.shape(route_median)), share, option


def status_quo_smuggled_share(model, book: TraderBook) -> np.ndarray:
    """Each trader's smuggled share under the status-quo market policy (the schema's
    defaults): what the knock-out ``trader_pricing = false`` freezes."""
    from asmsim.config.schema import MarketPolicy

    market = MarketPolicy()
    return arbitrage(model.config.context, market, market.border_interdiction_prob,
                     book.route_cost_share, market.trader_inspection_prob)[1]


def value_gold(model, book: TraderBook, world: float, inspection_prob: float,
               interdiction: float) -> None:
    """Each trader's value of a gram (``book.value``, USD/g) and smuggled share this month,
    given the probabilities of a trader inspection and of a batch caught at the border.
    An inspection's fine is spread over the trader's purchases of last month."""
    market = model.config.policy.market
    bought = book.demand[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        fine_share = np.where(bought > 0, market.trader_fine_usd / (world * bought), 0.0) \
            if world > 0 else 0.0
    declared, share, option = arbitrage(model.config.context, market, interdiction,
                                        book.route_cost_share, inspection_prob, book.licensed,
                                        fine_share)
    book.smuggle_share[:] = share
    book.value[:] = world * (declared + option)


def license_traders(model, book: TraderBook) -> None:
    """This month's licensed traders: the largest by capital, up to
    ``policy.market.trader_licensing_share`` of them, less those whose licence is
    suspended (found smuggling; suspensions count down a month)."""
    np.subtract(book.licence_lost, 1, out=book.licence_lost, where=book.licence_lost > 0)
    wanted = round(model.config.policy.market.trader_licensing_share * book.n)
    book.licensed[:] = (book.capital_rank < wanted) & (book.licence_lost == 0)


def zeta_margin(lam: float, visit_cost: float, demand: np.ndarray, margin: np.ndarray,
                fallback: np.ndarray) -> np.ndarray:
    """One step of the ζ-map (Morrow & Skerlos 2011) towards the logit-oligopsony margin
    (USD/g), from last month's ``margin`` and sellers (``demand`` rows: G = Σgπ,
    Σgπ(1 − π), Λ = Σg²π, Γ = Σg²π², by trader).

    The first-order condition of trader j's profit ``Σ_s π_sj (g_s m_j − c_v)`` is
    ``m_j·λΣg²π(1 − π) = G_j + λc_vΣgπ(1 − π)``; splitting ``Σg²π(1 − π) = Λ − Γ`` gives
    ``m ← (G + λc_vΣgπ(1 − π) + λΓm)/(λΛ)``, which converges where the plain best
    response ``m = (G + λc_vΣgπ(1 − π))/(λ(Λ − Γ))`` overshoots (a trader holding nearly
    every seller, ``Γ → Λ``). Where the best response is the smaller margin (a trader
    losing sellers) it is taken, since the ζ-step is slow there. ``fallback`` where a
    trader had no seller within reach (or λ = 0).
    """
    bought, spread, big_lambda, big_gamma = demand
    foc = bought + lam * visit_cost * spread
    with np.errstate(divide="ignore", invalid="ignore"):
        zeta = (foc + lam * big_gamma * margin) / (lam * big_lambda)
        best_response = foc / (lam * (big_lambda - big_gamma))
    new = np.where(np.isfinite(best_response) & (best_response > 0),
                   np.minimum(zeta, best_response), zeta)
    ok = (lam * big_lambda > 1e-12) & np.isfinite(new)
    return np.where(ok, new, fallback)


def post_prices(model, world: float, inspection_prob: float, interdiction: float) -> None:
    """Traders value gold this month and post a price (USD/g): a step (``PRICE_DAMPING``) from
    last month's price towards ``v_j − m_j``, with ``m_j`` from last month's sellers
    (:func:`zeta_margin`), within ``[0, v_j]`` and within cash (``p·G ≤ τ·K``, ``G`` last
    month's purchases); capital tied up in gold it could not ship (a market closure) does
    not turn over.
    """
    ctx, book = model.config.context, model.trader_book
    license_traders(model, book)
    value_gold(model, book, world, inspection_prob, interdiction)
    free_capital = np.maximum(book.capital_usd - book.stock_g * book.value, 0.0)
    book.cash_usd[:] = ctx.trader_turnover_per_month * free_capital
    if not ctx.trader_pricing:  # knock-out: a fixed margin and a frozen smuggled share
        book.price[:] = world * (1.0 - ctx.trader_margin)
        book.smuggle_share[:] = status_quo_smuggled_share(model, book)
        return
    fallback = ctx.trader_margin * book.value
    if not book.price.any():  # the first month: a fixed margin
        book.price[:] = book.value - fallback
        return
    margin = zeta_margin(ctx.sale_logit_scale_per_usd, ctx.trader_visit_cost_usd, book.demand,
                         book.margin, fallback)
    bought = book.demand[0]
    with np.errstate(divide="ignore"):
        cash_price = np.where(bought > 0, book.cash_usd / bought, np.inf)
    target = np.clip(np.minimum(book.value - margin, cash_price), 0.0, book.value)
    target = match_losing_traders(book, target, cash_price)
    book.price[:] = np.clip(book.price + PRICE_DAMPING * (target - book.price), 0.0, book.value)


def match_losing_traders(book: TraderBook, target: np.ndarray, cash_price: np.ndarray
                         ) -> np.ndarray:
    """A trader that bought less than ``LOSING_SHARE`` of its town's mean last month aims at
    the best price posted in its town (within its value and cash) if that is above its
    own target: it matches the rival that took its sellers. Without this, a trader left
    with the few sellers of tiny lots (who hardly compare prices) finds a high margin
    best for them and never wins the large lots back (a local optimum of its profit)."""
    towns = book.town
    count = np.bincount(towns)
    mean_bought = np.bincount(towns, weights=book.demand[0]) / np.maximum(count, 1)
    best_price = np.full(len(count), -np.inf)
    np.maximum.at(best_price, towns, book.price)
    losing = book.demand[0] < LOSING_SHARE * mean_bought[towns]
    matched = np.minimum(np.minimum(best_price[towns], book.value), cash_price)
    return np.where(losing, np.maximum(target, matched), target)


@dataclass
class Demand:
    """Sellers facing the traders this month: what each option is worth to each seller.

    Options are the formal channels open to someone this month (``other_codes``), then
    each trader of the seller's town. Rows of sellers who hold their gold have a zero lot
    and weigh nothing in the traders' demand.
    """

    trader: np.ndarray     # trader index of each trader option, (traders per town, sellers)
    lot_g: np.ndarray      # grams each seller sells
    adjust: np.ndarray     # USD/g each seller adds to trader j's price (tie discount, penalties)
    fixed: np.ndarray      # USD/month each seller loses selling to trader j (a tie to another)
    other_codes: list[int]  # channel codes of the formal options
    other_values: np.ndarray  # USD/month of the formal options, (formal, sellers)
    other_ok: np.ndarray   # bool, (formal, sellers)
    official_row: int      # row of other_values holding the official buyer (−1: none)
    official_served: float  # share of demand the official buyer is expected to serve

    @property
    def first_trader(self) -> int:
        """Option index of the first trader."""
        return len(self.other_codes)


def option_values(demand: Demand, price: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Monthly value (USD) of every option at trader prices ``price``, and which are open
    (None: all), shape (formal + traders per town, sellers)."""
    trader_values = demand.lot_g * (price[demand.trader] + demand.adjust) - demand.fixed
    if not demand.other_codes:
        return trader_values, None
    others = demand.other_values
    served = demand.official_served
    if demand.official_row >= 0 and served < 1.0:
        others = others.copy()
        others[demand.official_row] = served * others[demand.official_row] \
            + (1 - served) * trader_values.max(axis=0)
    ok = np.ones((len(others) + len(trader_values), len(demand.lot_g)), dtype=bool)
    ok[: len(others)] = demand.other_ok
    return np.concatenate([others, trader_values]), ok


def choice_probabilities(values: np.ndarray, ok: np.ndarray | None, lam: float) -> np.ndarray:
    """Multinomial-logit probabilities (options, sellers) on monthly values (USD); ``ok``
    says which options are open (None: all)."""
    scored = lam * values
    if ok is not None:
        scored[~ok] = -np.inf
    scored -= scored.max(axis=0)
    weights = np.exp(scored, out=scored)
    weights /= weights.sum(axis=0)
    return weights


def compete(model, demand: Demand) -> tuple[np.ndarray, np.ndarray]:
    """Sellers' choice probabilities and option values (options, sellers) at the traders'
    posted prices; the traders note, for next month's price, what they faced
    (``book.demand``, ``book.margin``), counting the sellers the official buyer is
    expected to turn away."""
    ctx, book = model.config.context, model.trader_book
    lam = ctx.sale_logit_scale_per_usd
    values, ok = option_values(demand, book.price)
    prob = choice_probabilities(values, ok, lam)
    to_traders = prob[demand.first_trader:]
    if demand.official_row >= 0 and demand.official_served < 1.0:
        # Sellers the official buyer turns away sell to a trader: they count in the traders'
        # demand in proportion to each trader's share of the seller's trader choice.
        turned_away = prob[demand.official_row] * (1.0 - demand.official_served)
        trader_total = to_traders.sum(axis=0)
        # Each trader's share of the seller's trader choice (≤ 1, so no overflow where the
        # traders' probabilities are nearly 0); 0 where they underflowed to 0.
        within = np.divide(to_traders, trader_total, out=np.zeros_like(to_traders),
                           where=trader_total > 0)
        to_traders = to_traders + turned_away * within
    weighted = to_traders * demand.lot_g
    idx = demand.trader.ravel()

    def by_trader(x):
        return np.bincount(idx, weights=x.ravel(), minlength=book.n)

    book.demand[:] = (by_trader(weighted), by_trader(weighted * (1.0 - to_traders)),
                      by_trader(weighted * demand.lot_g),
                      by_trader(weighted * demand.lot_g * to_traders))
    book.margin[:] = book.value - book.price
    return prob, values


@dataclass
class Shipments:
    """Where the traders' gold went this month (grams, and the royalty on declared gold)."""

    declared_g: float
    smuggled_g: float
    border_seized_g: float
    royalty_usd: float
    penalties_usd: float


def ship(model, bought_g: np.ndarray, inspected_seized_g: np.ndarray, world: float,
         interdiction: float, blocked: float) -> Shipments:
    """Traders ship what they hold after inspections (g): a market closure blocks the share
    ``blocked`` of it, which stays in stock (its capital does not turn over, see
    :func:`post_prices`); of the rest ``1 − s_j`` is declared and ``s_j`` smuggled, each
    smuggled batch caught at the border with probability ``interdiction`` (stream
    ``smuggling``)."""
    ctx, market = model.config.context, model.config.policy.market
    book = model.trader_book
    held = np.maximum(bought_g - inspected_seized_g, 0.0) + book.stock_g
    shipped = held * (1.0 - blocked)
    book.stock_g[:] = held - shipped
    smuggled = shipped * book.smuggle_share
    declared = shipped - smuggled
    batches = ctx.shipments_per_month
    caught_batches = model.stream("smuggling").binomial(batches, interdiction, size=book.n)
    caught = smuggled * caught_batches / batches
    licensed_price = world * (1.0 - market.licensed_buyer_margin - market.export_tax_rate)
    return Shipments(declared_g=float(declared.sum()), smuggled_g=float(smuggled.sum()),
                     border_seized_g=float(caught.sum()),
                     royalty_usd=market.royalty_rate * licensed_price * float(declared.sum()),
                     penalties_usd=ctx.border_penalty_share * world * float(caught.sum()))


def penalise(model, found: np.ndarray) -> tuple[float, int]:
    """Traders ``found`` (bool) holding gold to smuggle at an inspection pay
    ``policy.market.trader_fine_usd`` each (state revenue; out of their margins, which are
    not tracked), and a licensed one loses its licence for
    ``context.trader_licence_loss_months``. Returns (fines USD, licences revoked)."""
    book = model.trader_book
    revoked = found & book.licensed
    book.licence_lost[revoked] = model.config.context.trader_licence_loss_months
    book.licensed[revoked] = False
    return float(np.count_nonzero(found)) * model.config.policy.market.trader_fine_usd, \
        int(np.count_nonzero(revoked))


def of_town(model, town: np.ndarray) -> np.ndarray:
    """The trader indices of each miner's town, shape (traders per town, miners)."""
    per_town = model.config.context.traders_per_town
    return town[None, :] * per_town + np.arange(per_town)[:, None]


def usual_trader(model, rows: np.ndarray) -> np.ndarray:
    """The trader miners ``rows`` deal with for credit: the one they owe, else the one they
    last sold to if it is in their town, else one of their town's traders by miner id. Worked out once a month
    for every row, at the first loan after the sale (loans come after it)."""
    cached = model.now.usual_traders
    if len(cached) != model.miners.n:
        m = model.miners
        town = model.sites.town_of[m.site]
        last = m.last_trader
        known = (last >= 0) & (model.trader_book.town[np.maximum(last, 0)] == town)
        per_town = model.config.context.traders_per_town
        # uid mod per_town as uid − ⌊uid / per_town⌋ · per_town: the same integers, ≈ 3×
        # faster than numpy's int64 remainder.
        by_id = m.uid - (m.uid // per_town) * per_town
        cached = np.where(m.tied_trader >= 0, m.tied_trader,
                          np.where(known, last, town * per_town + by_id))
        model.now.usual_traders = cached
    return cached[rows]
