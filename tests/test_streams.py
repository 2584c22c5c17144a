"""Per-miner random streams: counter-based, keyed by (seed, stream, month, miner id)."""

from __future__ import annotations

import numba
import numpy as np
import pytest
from scipy import stats

from asmsim.config import load_config
from asmsim.model import ASMModel
from asmsim.model.streams import MINER_STREAMS, RandomStreams, compiled, miner_uniforms, splitmix64


def test_splitmix64_matches_the_reference_sequence():
    """SplitMix64 seeded with 0: its first outputs are mix(k · golden) (published values)."""
    golden = 0x9E3779B97F4A7C15
    outputs = [splitmix64(k * golden) for k in (1, 2, 3)]
    assert outputs == [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F]


def test_vectorised_draws_are_the_top_24_bits_of_splitmix64():
    """numpy's wrapping uint64 arithmetic gives SplitMix64's top 24 bits / 2**24."""
    key = 0xDEADBEEF12345678
    uid = np.array([0, 1, 2, 12_345, 2**40 + 7])
    expected = [(splitmix64(key + int(u) * 0x9E3779B97F4A7C15) >> 40) / 2**24 for u in uid]
    assert miner_uniforms(key, uid).tolist() == expected


def test_compiled_draws_equal_splitmix64_over_the_whole_key_and_id_range():
    """The compiled kernel wraps like SplitMix64's 64-bit arithmetic for keys near 2**64
    and ids up to 2**62, in one column or several: each value is the reference's."""
    rng = np.random.default_rng(3)
    keys = np.array([0, 2**64 - 1, *rng.integers(0, 2**64 - 1, 3, dtype=np.uint64)],
                    dtype=np.uint64)
    uid = np.concatenate([np.arange(5), rng.integers(0, 2**62, 300)])
    block = miner_uniforms(keys, uid)
    expected = [[(splitmix64(int(k) + int(u) * 0x9E3779B97F4A7C15) >> 40) / 2**24
                 for k in keys] for u in uid]
    assert block.dtype == np.float32 and block.shape == (len(uid), len(keys))
    assert block.tolist() == expected
    np.testing.assert_array_equal(miner_uniforms(int(keys[1]), uid), block[:, 1])


def test_kernels_compile_where_numba_has_nowhere_to_cache_them():
    """A read-only install without a user cache directory: numba refuses ``cache=True``
    (RuntimeError at decoration); the kernel is compiled per process instead. A function
    defined from a string has no file to cache beside, the same refusal."""
    namespace: dict = {}
    exec(compile("def twice(x):\n    return 2 * x\n", "<string>", "exec"), namespace)
    with pytest.raises(RuntimeError, match="cannot cache"):
        numba.njit(cache=True)(namespace["twice"])
    assert compiled(namespace["twice"])(21) == 42


def test_a_miners_draw_depends_only_on_its_id():
    """Same uniform for a uid whatever other ids are asked for, in whatever order, and
    however many miners exist; same seed ⇒ same numbers."""
    streams = RandomStreams(5)
    streams.new_month(7)
    everyone = streams.per_miner("exit/miners", np.arange(100_000))
    some = np.array([99_999, 3, 42_000, 0, 17])
    np.testing.assert_array_equal(streams.per_miner("exit/miners", some), everyone[some])
    np.testing.assert_array_equal(streams.per_miner("exit/miners", np.arange(50)), everyone[:50])
    again = RandomStreams(5)
    again.new_month(7)
    np.testing.assert_array_equal(again.per_miner("exit/miners", some), everyone[some])
    assert streams.per_miner("exit/miners", some[:0]).shape == (0,)


def test_draws_are_uniform_float32():
    streams = RandomStreams(0)
    streams.new_month(3)
    u = streams.per_miner("sales/miners", np.arange(100_000))
    assert u.dtype == np.float32 and u.min() >= 0.0 and u.max() < 1.0
    assert stats.kstest(u, "uniform").pvalue > 0.001
    # Consecutive ids are not correlated.
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.02


def test_streams_months_and_seeds_differ():
    """Different streams, months and seeds give unrelated numbers for the same miners."""
    uid = np.arange(20_000)

    def draws(seed, month, name):
        streams = RandomStreams(seed)
        streams.new_month(month)
        return streams.per_miner(name, uid)

    base = draws(1, 10, "exit/miners")
    others = [draws(1, 10, name) for name in MINER_STREAMS if name != "exit/miners"]
    others += [draws(1, 11, "exit/miners"), draws(1, -10, "exit/miners"),
               draws(2, 10, "exit/miners")]
    for other in others:
        assert np.mean(base == other) < 0.01
        assert abs(np.corrcoef(base, other)[0, 1]) < 0.05


def test_model_uniforms_follow_miners_through_compaction():
    """``model.uniforms`` is keyed by miner id: rows asked for, or the whole table, give
    each miner the same number, before and after exited rows are dropped."""
    model = ASMModel(load_config(["miners=300", "context.warmup_months=0"]), seed=4)
    m = model.miners
    m.active[::3] = False
    before = dict(zip(m.uid.tolist(), model.uniforms("moves/miners").tolist(), strict=True))
    rows = np.array([5, 1, 200])
    np.testing.assert_array_equal(model.uniforms("moves/miners", rows),
                                  [before[u] for u in m.uid[rows]])
    m.compact()
    after = model.uniforms("moves/miners")
    assert after.tolist() == [before[u] for u in m.uid.tolist()]


def test_a_blocks_columns_can_be_computed_alone():
    """A column (or a range of columns) of a per-miner block, for some miners, is the
    block's column for those miners."""
    streams = RandomStreams(9)
    streams.new_month(4)
    uid = np.arange(5_000)
    block = streams.per_miner_block("site_choice/miners", uid, 7)
    some = np.array([4_999, 0, 17, 2_500])
    np.testing.assert_array_equal(
        streams.per_miner_column("site_choice/miners", uid[some], 2), block[some, 2])
    np.testing.assert_array_equal(
        streams.per_miner_columns("site_choice/miners", uid[some], range(3, 7)),
        block[some, 3:7])
    np.testing.assert_array_equal(block[:, 5], miner_uniforms(
        splitmix64(streams._month_keys["site_choice/miners"] + 6 * 0xD1B54A32D192ED03), uid))



def test_a_miners_licence_decision_does_not_depend_on_who_else_decides(monkeypatch):
    """Common random numbers for the licence decision: with its value fixed, a miner applies
    or not whatever the number of others deciding the same month (its yes/no draw is keyed
    by its id, ``formalization/miners``; a draw taken in row order from a process stream
    moved with every miner deciding before it)."""
    from asmsim.model import formalization
    from asmsim.model.enums import Legal

    def value_by_id(model, rows, fee, **_):  # −120 to +120 USD/month, by miner id
        return {"by_id": (model.miners.uid[rows] % 7 - 3) * 40.0}

    def informal_heads(model):
        m = model.miners
        return np.flatnonzero(m.active & (m.legal == Legal.INFORMAL.value) & (m.pit == m.uid))

    monkeypatch.setattr(formalization, "licence_terms", value_by_id)
    config = load_config(["miners=400", "months=1", "context.warmup_months=12",
                          "policy.legal.licence_fee_usd=0",
                          "policy.legal.decentralised_offices=true",
                          "policy.social.women_land_access=1", "context.reconsider_prob=1.0"])
    alone, crowded = ASMModel(config, seed=3), ASMModel(config, seed=3)
    kept = informal_heads(crowded)[1::2]
    alone.miners.legal[informal_heads(alone)[::2]] = Legal.LICENSED  # (no longer deciding)
    formalization.apply_for_licences(alone)
    formalization.apply_for_licences(crowded)
    applied = crowded.miners.legal[kept] == Legal.APPLICANT
    assert 0 < applied.sum() < len(kept)  # the draws decide some, not all
    np.testing.assert_array_equal(alone.miners.legal[kept], crowded.miners.legal[kept])


def test_an_entrants_attributes_do_not_depend_on_how_many_others_enter(monkeypatch):
    """Common random numbers for entry: the k-th newcomer of a month brings the same
    attributes whatever the month's count (each attribute its own column of
    ``entrants/miners``, keyed by month and place in the month's arrivals), so a policy that
    lets more people in adds newcomers without changing the others. Drawn attribute by
    attribute from a process stream, every attribute after the first moved with the count."""
    from asmsim.model import population

    config = load_config(["miners=300", "months=1", "context.warmup_months=6"])
    few, many = ASMModel(config, seed=3), ASMModel(config, seed=3)
    first = few.created
    for model, counts in ((few, (5, 7)), (many, (9, 7))):
        for count in counts:  # two months of arrivals
            monkeypatch.setattr(population, "entrants", lambda *_, n=count: n)
            model.stream.new_month(model.month + 1)
            model.month += 1
            population.entry(model)
    # the same five newcomers in the first month, the same seven in the second
    arrivals = {few: np.flatnonzero(few.miners.uid >= first),
                many: np.flatnonzero(many.miners.uid >= first)}
    same = {few: arrivals[few], many: arrivals[many][np.r_[0:5, 9:16]]}
    for attribute in ("woman", "role", "skill", "reservation", "site", "cash", "tech",
                      "retort", "trust"):
        np.testing.assert_array_equal(getattr(few.miners, attribute)[same[few]],
                                      getattr(many.miners, attribute)[same[many]],
                                      err_msg=attribute)
    skill = few.miners.skill[same[few]]
    assert len(np.unique(skill)) == 12  # drawn, and each month's arrivals differ
    assert len(np.unique(few.miners.role[same[few]])) > 1


def test_an_inspected_miners_bribe_does_not_depend_on_who_else_is_inspected():
    """Common random numbers for enforcement: whether an inspected miner bribes or is
    sanctioned, and whether its tools are seized, are its own draws (columns of
    ``enforcement/miners``), not the n-th draws of a stream shared with every miner
    inspected before it."""
    from asmsim.model import enforcement
    from asmsim.model.enums import Legal

    config = load_config(["miners=500", "months=1", "context.warmup_months=12",
                          "policy.legal.inspection_prob=0.5", "policy.legal.corruption=0.5",
                          "policy.legal.seizure_prob=0.5"])
    many, few = ASMModel(config, seed=8), ASMModel(config, seed=8)
    m = many.miners
    exposed = np.flatnonzero(m.active & (m.legal == Legal.INFORMAL.value) & (m.suspended == 0)
                             & (m.plotless == 0))
    few.miners.suspended[exposed[1::2]] = 1  # not inspected this month
    kept = exposed[::2]
    enforcement.inspect(many)
    enforcement.inspect(few)
    sanctioned = many.miners.suspended[kept] > 0
    assert 0 < sanctioned.sum() < len(kept) // 2  # inspections and bribes decide, not all
    for state in ("suspended", "cash", "tech", "retort", "site"):
        np.testing.assert_array_equal(getattr(many.miners, state)[kept],
                                      getattr(few.miners, state)[kept], err_msg=state)


def test_entrants_attributes_follow_their_distributions():
    """The inverse CDFs of ``entrants/miners`` give each attribute its distribution (ODD §5
    item 3): skill LogNormal(0, σ), cash 60·Exponential(1), trust around the initial trust
    from Beta(4, 4), the site uniform over the cells, women at their share; and the
    attributes of one entrant are independent of each other."""
    from asmsim.model import population

    config = load_config(["miners=200", "months=1", "context.warmup_months=0"])
    model = ASMModel(config, seed=11)
    ctx, cells = model.config.context, model.sites.width * model.sites.height
    rows = population.add_miners(model, 20_000)
    m = model.miners
    assert stats.kstest(m.skill[rows], stats.lognorm(ctx.skill_sigma).cdf).pvalue > 0.001
    assert stats.kstest(m.cash[rows], stats.expon(scale=ctx.initial_cash_usd).cdf).pvalue > 0.001
    shifted = stats.beta(4, 4, loc=ctx.initial_trust - 0.5)
    inside = (m.trust[rows] > 0) & (m.trust[rows] < 1)
    assert stats.kstest(m.trust[rows][inside],
                        lambda x: (shifted.cdf(x) - shifted.cdf(0)) / (shifted.cdf(1) - shifted.cdf(0))
                        ).pvalue > 0.001
    assert abs(m.woman[rows].mean() - ctx.women_share) < 0.015
    counts = np.bincount(m.site[rows], minlength=cells)
    assert stats.chisquare(counts).pvalue > 0.001
    assert abs(np.corrcoef(np.log(m.skill[rows]), m.cash[rows])[0, 1]) < 0.03


def test_a_seller_the_official_buyer_serves_is_served_whoever_else_comes():
    """Common random numbers for the official buyer's queue: sellers are served in the order
    of their own keys (``sales/miners``, column ``SaleDraw.OFFICIAL_QUEUE``), so a seller
    served when many come is served when fewer come, and one turned away in both goes to
    the same trader (column ``TURNED_AWAY``)."""
    from types import SimpleNamespace

    from asmsim.model import market

    config = load_config(["scenario=official_buying", "miners=400", "months=1",
                          "context.warmup_months=6"])
    crowded, quiet = ASMModel(config, seed=5), ASMModel(config, seed=5)
    n = crowded.miners.n
    sellers = np.flatnonzero(crowded.miners.active)
    wanted = SimpleNamespace(official_row=1, first_trader=2)
    option = np.zeros(n, dtype=np.int64)
    option[sellers] = wanted.official_row
    lot_g = np.full(n, 10.0)
    prob = np.full((4, n), 0.25)  # two formal options, then two traders
    choices = {}
    for model, who in ((crowded, sellers), (quiet, sellers[::2])):
        selling = np.zeros(n, dtype=bool)
        selling[who] = True
        model.official_buyer.capacity_g = 10.0 * len(sellers) / 4  # a quarter of the crowd
        choices[model] = market.ration_official_buyer(model, wanted, lot_g, option, prob, selling)
    kept = sellers[::2]
    served_crowded = kept[choices[crowded][kept] == wanted.official_row]
    assert 0 < len(served_crowded) < len(kept)
    assert (choices[quiet][served_crowded] == wanted.official_row).all()
    away = kept[(choices[crowded][kept] != wanted.official_row)
                & (choices[quiet][kept] != wanted.official_row)]
    assert len(away) > 10
    np.testing.assert_array_equal(choices[crowded][away], choices[quiet][away])
