"""Named random streams, re-keyed every month, for common random numbers.

Process streams (:data:`PROCESSES`): each process draws from its own PCG64
generator (spawned from ``SeedSequence(seed)``), and each month starts at that
month's own block of the stream (a jump of ``month × 2**48`` draws), whatever
was drawn before.

Per-miner streams (:data:`MINER_STREAMS`): one uniform per miner a month,
computed, not drawn in sequence. The uniform of miner id ``uid`` (``MinerTable.uid``,
kept for life) in stream ``name`` and month ``t`` is the top 24 bits of the
SplitMix64 output ``mix(key(name, t) + uid · 0x9E3779B97F4A7C15)`` (wrapping 64-bit
arithmetic), as a float32 in [0, 1), where ``key(name, t)`` is itself the SplitMix64
mix of the stream's 64-bit key (from ``SeedSequence(seed)``) and the month. A miner's
number therefore depends only on (seed, stream, month, uid): not on table rows,
compactions, how many miners exist or which rows a caller asks for, so only the
rows needed are computed.

Two scenarios run with the same seed therefore draw the same numbers for the same
process, month and miner, even when a policy changes how many draws another process
makes or who is still in the table: paired differences then measure the policy,
not the seed. The same seed gives the same numbers.
"""

from __future__ import annotations

import numba
import numpy as np

PROCESSES = ("sites", "population", "price", "finance", "formalization", "technology",
             "enforcement", "training", "moves", "exit", "entry", "discovery",
             "trader_inspections", "traders", "market", "smuggling", "evictions",
             "site_choice")
#: Streams of one uniform per miner a month, keyed by miner id (``MinerTable.uid``), not
#: by table row: a miner keeps its numbers when exited miners' rows are dropped, whatever
#: the other scenario's compactions do. See :func:`miner_uniforms`.
MINER_STREAMS = ("sales/miners", "apply/miners", "coops/miners", "technology/miners",
                 "exit/miners", "enforcement/miners", "moves/miners", "silicosis/miners",
                 "accidents/miners", "plots/miners", "site_choice/miners", "side_sales/miners",
                 "audits/miners", "teams/miners", "pits/miners",
                 "evictions/miners", "formalization/miners",
                 "entrants/miners", "loans/miners", "training/miners")  # (new streams go last)


MONTH_BLOCK = 2**48  # draws reserved for each process and month (far more than used)
FIRST_MONTH = -1200  # the earliest month with a block: warm-up months are negative

# SplitMix64 (Steele, Lea & Flood 2014): the golden-ratio increment and the finaliser's
# multipliers (Stafford's "Mix13" variant, as in java.util.SplittableRandom).
GOLDEN = 0x9E3779B97F4A7C15
MIX_1 = 0xBF58476D1CE4E5B9
MIX_2 = 0x94D049BB133111EB
MASK_64 = 0xFFFFFFFFFFFFFFFF
COLUMN_STEP = 0xD1B54A32D192ED03  # odd 64-bit step between the keys of a block's columns
UNIFORM_BITS = 24  # a float32 holds 24 significant bits: every value k / 2**24 is exact


def splitmix64(x: int) -> int:
    """The SplitMix64 finaliser of a 64-bit integer (Python ints, wrapping)."""
    x &= MASK_64
    x = ((x ^ (x >> 30)) * MIX_1) & MASK_64
    x = ((x ^ (x >> 27)) * MIX_2) & MASK_64
    return x ^ (x >> 31)


def month_key(stream_key: int, month: int) -> int:
    """The 64-bit key of a per-miner stream in ``month``: SplitMix64 of the stream's key
    advanced by the month's index (months before 0, the warm-up, have their own)."""
    return splitmix64(stream_key + (month - FIRST_MONTH) * GOLDEN)


def miner_uniforms(key: int | np.ndarray, uid: np.ndarray) -> np.ndarray:
    """Uniforms in [0, 1) (float32, multiples of 2**-24) for miner ids ``uid`` under
    ``key``: the top 24 bits of SplitMix64(``key`` + uid · GOLDEN), in wrapping uint64
    arithmetic. ``key`` may be a 1-D array of keys (uint64): then one column per key, shape
    (len(uid), len(key)), each column what that key alone gives (one pass over all
    columns instead of one call per column).

    The finaliser's last step (``x ^= x >> 31``) only changes bits 0-32, so it is left
    out: the top 24 bits are those of the full SplitMix64 output. Compiled
    (:func:`_top_bits`): a month asks for ≈ 40 small blocks, and a dozen numpy passes a
    block cost more in calls than in arithmetic.
    """
    uid = np.asarray(uid, dtype=np.int64)
    if isinstance(key, np.ndarray):  # (np.ndim would cost more than 50 draws)
        return _columns_of_top_bits(key.astype(np.uint64, copy=False), uid)
    return _column_of_top_bits(np.uint64(key), uid)


def compiled(function):
    """``function`` compiled by numba (nopython mode), its machine code cached on disk
    beside the module so a process loads it instead of compiling again; where the install
    is read-only and no user cache directory exists (numba then refuses ``cache=True``),
    compiled once per process instead."""
    try:
        return numba.njit(cache=True, nogil=True)(function)
    except RuntimeError:  # "cannot cache function …: no locator available"
        return numba.njit(nogil=True)(function)


_GOLDEN, _MIX_1, _MIX_2 = np.uint64(GOLDEN), np.uint64(MIX_1), np.uint64(MIX_2)
_SHIFT_1, _SHIFT_2, _SHIFT_TOP = np.uint64(30), np.uint64(27), np.uint64(64 - UNIFORM_BITS)
_BIN = np.float32(2.0**-UNIFORM_BITS)


@numba.njit(nogil=True, inline="always")  # (compiled into the kernels that call it)
def _top_bits(x: np.uint64) -> np.float32:  # pragma: no cover
    """The top 24 bits of SplitMix64's finaliser of ``x``, times 2**-24 (uint64
    throughout: numba, like C, wraps on overflow)."""
    x ^= x >> _SHIFT_1
    x *= _MIX_1
    x ^= x >> _SHIFT_2
    x *= _MIX_2
    return np.float32(x >> _SHIFT_TOP) * _BIN  # < 2**24: exact in float32


@compiled
def _column_of_top_bits(key: np.uint64, uid: np.ndarray) -> np.ndarray:  # pragma: no cover
    """float32 per id: :func:`_top_bits` of ``key`` + ``uid[i]`` · GOLDEN."""
    out = np.empty(uid.shape[0], dtype=np.float32)
    for i in range(uid.shape[0]):
        out[i] = _top_bits(key + np.uint64(uid[i]) * _GOLDEN)
    return out


@compiled
def _columns_of_top_bits(keys: np.ndarray, uid: np.ndarray) -> np.ndarray:  # pragma: no cover
    """(len(uid), len(keys)) float32: :func:`_top_bits` of ``keys[j]`` + ``uid[i]`` ·
    GOLDEN."""
    out = np.empty((uid.shape[0], keys.shape[0]), dtype=np.float32)
    for i in range(uid.shape[0]):
        base = np.uint64(uid[i]) * _GOLDEN
        for j in range(keys.shape[0]):
            out[i, j] = _top_bits(base + keys[j])
    return out


def bin_centres(uniform: np.ndarray) -> np.ndarray:
    """Uniforms of :func:`miner_uniforms` moved to the centres of their 2**-24-wide bins
    (float64, strictly inside (0, 1)): probabilities for inverse CDFs, which are infinite
    at 0."""
    return uniform.astype(np.float64) + 2.0 ** -(UNIFORM_BITS + 1)


class RandomStreams:
    """One generator per process (each month it jumps to that month's block of draws), and
    one key per per-miner stream (each month re-keyed)."""

    def __init__(self, seed: int | None):
        children = np.random.SeedSequence(seed).spawn(len(PROCESSES) + len(MINER_STREAMS))
        self._generators = {name: np.random.Generator(np.random.PCG64(child))
                            for name, child in zip(PROCESSES, children, strict=False)}
        self._start = {name: g.bit_generator.state for name, g in self._generators.items()}
        self._miner_keys = {
            name: int(child.generate_state(1, dtype=np.uint64)[0])
            for name, child in zip(MINER_STREAMS, children[len(PROCESSES):], strict=True)}
        self._month = 0
        self._ready: set[str] = set()
        self._month_keys: dict[str, int] = {}
        self._column_keys: dict[tuple[str, int], int] = {}
        self._block_keys: dict[tuple[str, range], np.ndarray] = {}  # columns' keys, as asked

    def new_month(self, month: int) -> None:
        """Re-key every stream for ``month``."""
        self._month = month
        self._ready.clear()
        self._month_keys.clear()
        self._column_keys.clear()
        self._block_keys.clear()

    def __call__(self, process: str) -> np.random.Generator:
        """The generator of ``process`` (one of :data:`PROCESSES`) this month."""
        generator = self._generators[process]
        if process not in self._ready:
            generator.bit_generator.state = self._start[process]
            generator.bit_generator.advance((self._month - FIRST_MONTH) * MONTH_BLOCK)
            self._ready.add(process)
        return generator

    def per_miner(self, name: str, uid: np.ndarray) -> np.ndarray:
        """This month's uniform (float32, [0, 1)) of stream ``name`` (one of
        :data:`MINER_STREAMS`) for each of the miner ids ``uid``."""
        key = self._month_keys.get(name)
        if key is None:
            key = self._month_keys[name] = month_key(self._miner_keys[name], self._month)
        return miner_uniforms(key, uid)

    def per_miner_block(self, name: str, uid: np.ndarray, width: int) -> np.ndarray:
        """This month's ``width`` uniforms of stream ``name`` for each of the miner ids
        ``uid`` (rows × ``width``), each column under its own key."""
        return self.per_miner_columns(name, uid, range(width))

    def per_miner_column(self, name: str, uid: np.ndarray, column: int) -> np.ndarray:
        """Column ``column`` of :meth:`per_miner_block` (float32, [0, 1)) for the miner ids
        ``uid`` alone: a block's columns are keyed separately, so a caller needing a
        column for a few miners computes only those."""
        return miner_uniforms(self._column_key(name, column), uid)

    def per_miner_columns(self, name: str, uid: np.ndarray, columns: range) -> np.ndarray:
        """Columns ``columns`` of :meth:`per_miner_block` for the miner ids ``uid`` alone
        (rows × len(columns), float32)."""
        keys = self._block_keys.get((name, columns))
        if keys is None:
            keys = self._block_keys[(name, columns)] = np.array(
                [self._column_key(name, column) for column in columns], dtype=np.uint64)
        return miner_uniforms(keys, uid)

    def _column_key(self, name: str, column: int) -> int:
        """The 64-bit key of column ``column`` of stream ``name``'s block this month
        (computed once a month: several calls a month ask for the same columns)."""
        key = self._column_keys.get((name, column))
        if key is None:
            base = self._month_keys.get(name)
            if base is None:
                base = self._month_keys[name] = month_key(self._miner_keys[name], self._month)
            key = self._column_keys[(name, column)] = splitmix64(base + (column + 1) * COLUMN_STEP)
        return key
