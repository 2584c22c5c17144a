"""Per-miner random streams: counter-based, keyed by (seed, stream, month, miner id)."""

from __future__ import annotations

import numpy as np
from scipy import stats

from asmsim.config import load_config
from asmsim.model import ASMModel
from asmsim.model.streams import MINER_STREAMS, RandomStreams, miner_uniforms, splitmix64


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
