"""Named random streams, re-keyed every month, for common random numbers.

Each process draws from its own stream, and every stream restarts each month
from ``SeedSequence(seed, spawn_key=(process, month))``. Two scenarios run with
the same seed therefore draw the same numbers for the same process, month and
miner row (rows are never reused), even when a policy changes how many draws
another process makes: paired differences then measure the policy, not the seed.
"""

from __future__ import annotations

import numpy as np

PROCESSES = ("sites", "population", "price", "sales", "finance", "formalization",
             "technology", "enforcement", "training", "moves", "exit", "entry", "health")
_INDEX = {name: i for i, name in enumerate(PROCESSES)}


class RandomStreams:
    """One generator per process and month, derived from the model's seed."""

    def __init__(self, seed: int | None):
        self._root = np.random.SeedSequence(seed)
        self._month = 0
        self._cache: dict[str, np.random.Generator] = {}

    def new_month(self, month: int) -> None:
        """Re-key every stream for ``month``."""
        self._month = month
        self._cache.clear()

    def __call__(self, process: str) -> np.random.Generator:
        """The generator of ``process`` (one of :data:`PROCESSES`) this month."""
        generator = self._cache.get(process)
        if generator is None:
            key = (*self._root.spawn_key, _INDEX[process], self._month)
            sequence = np.random.SeedSequence(self._root.entropy, spawn_key=key)
            generator = self._cache[process] = np.random.Generator(np.random.PCG64(sequence))
        return generator
