"""Named random streams, re-keyed every month, for common random numbers.

Each process draws from its own PCG64 stream (spawned from ``SeedSequence(seed)``),
and each month starts at that month's own block of the stream (a jump of
``month × 2**48`` draws), whatever was drawn before. Two scenarios run with
the same seed therefore draw the same numbers for the same process, month and
miner row (rows are never reused), even when a policy changes how many draws
another process makes: paired differences then measure the policy, not the seed.
"""

from __future__ import annotations

import numpy as np

PROCESSES = ("sites", "population", "price", "finance", "formalization", "technology",
             "enforcement", "training", "moves", "exit", "entry", "discovery",
             "trader_inspections", "traders", "market", "smuggling", "evictions",
             "site_choice")
#: Streams of one uniform per miner a month, drawn for every miner ever created and
#: picked by miner id (``MinerTable.uid``), not by table row: a miner keeps its numbers
#: when exited miners' rows are dropped, whatever the other scenario's compactions do.
MINER_STREAMS = ("sales/miners", "apply/miners", "coops/miners", "technology/miners",
                 "exit/miners", "enforcement/miners", "moves/miners", "silicosis/miners",
                 "accidents/miners", "plots/miners", "site_choice/miners")


MONTH_BLOCK = 2**48  # draws reserved for each process and month (far more than used)
FIRST_MONTH = -1200  # the earliest month with a block: warm-up months are negative


class RandomStreams:
    """One generator per process; each month it jumps to that month's block of draws."""

    def __init__(self, seed: int | None):
        names = (*PROCESSES, *MINER_STREAMS)
        children = np.random.SeedSequence(seed).spawn(len(names))
        self._generators = {name: np.random.Generator(np.random.PCG64(child))
                            for name, child in zip(names, children, strict=True)}
        self._start = {name: g.bit_generator.state for name, g in self._generators.items()}
        self._month = 0
        self._ready: set[str] = set()

    def new_month(self, month: int) -> None:
        """Re-key every stream for ``month``."""
        self._month = month
        self._ready.clear()

    def __call__(self, process: str) -> np.random.Generator:
        """The generator of ``process`` (one of :data:`PROCESSES`) this month."""
        generator = self._generators[process]
        if process not in self._ready:
            generator.bit_generator.state = self._start[process]
            generator.bit_generator.advance((self._month - FIRST_MONTH) * MONTH_BLOCK)
            self._ready.add(process)
        return generator

    def per_miner(self, name: str, uid: np.ndarray, created: int) -> np.ndarray:
        """This month's uniform of stream ``name`` (one of :data:`MINER_STREAMS`) for the
        miners with ids ``uid``, out of one draw per miner ever ``created``."""
        return self(name).random(created, dtype=np.float32)[uid]

    def per_miner_block(self, name: str, uid: np.ndarray, created: int, width: int
                        ) -> np.ndarray:
        """This month's ``width`` uniforms of stream ``name`` for each miner of ids ``uid``
        (rows), out of ``width`` draws per miner ever ``created``."""
        return self(name).random((created, width), dtype=np.float32)[uid]
