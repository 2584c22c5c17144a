"""Process bookkeeping: every change of a miner's cash goes through the ledger.

The monthly money invariant of spec §8 — cash change = revenue + loans − costs
− royalties − fees − fines − debt service — then holds by construction, and a
test checks that nothing writes cash behind the ledger's back.
"""

from __future__ import annotations

import numpy as np

INFLOWS = ("revenue", "loans")
OUTFLOWS = ("operating", "access", "consumption", "equipment", "bribes", "royalties", "fees",
            "travel", "fines", "seizures", "debt_service", "moves")


class _Flows(dict):
    """Flows by category (USD per miner row); a category's array is made, zeros, when first
    asked for, so a month allocates only the categories it uses."""

    def __init__(self, n: int):
        super().__init__()
        self.n = n

    def __missing__(self, key: str) -> np.ndarray:
        assert key in INFLOWS or key in OUTFLOWS, key
        flow = self[key] = np.zeros(self.n)
        return flow


class Ledger:
    """This month's flows per miner (USD), by category, for the ``n`` rows of the month's
    pass."""

    def __init__(self, n: int):
        self.n = n
        self.flows = _Flows(n)

    def _add(self, key: str, amount: np.ndarray) -> None:
        """Add ``amount`` (USD per row, or broadcast) to flow ``key``."""
        if key not in self.flows and isinstance(amount, np.ndarray) and amount.shape == (self.n,):
            self.flows[key] = amount + 0.0  # = zeros + amount (0.0 + −0.0 is 0.0), one pass
        else:
            self.flows[key] += amount

    def credit(self, cash: np.ndarray, key: str, amount: np.ndarray) -> None:
        """Add ``amount`` (USD per miner) to cash under inflow ``key``."""
        assert key in INFLOWS, key
        cash += amount
        self._add(key, amount)

    def debit(self, cash: np.ndarray, key: str, amount: np.ndarray) -> None:
        """Take ``amount`` (USD per miner, never more than cash) from cash under ``key``."""
        assert key in OUTFLOWS, key
        cash -= amount
        self._add(key, amount)

    def credit_rows(self, cash: np.ndarray, key: str, rows: np.ndarray, amount) -> None:
        """Add ``amount`` (USD) to the cash of miners ``rows`` (distinct) under inflow ``key``."""
        assert key in INFLOWS, key
        cash[rows] += amount
        self.flows[key][rows] += amount

    def debit_rows(self, cash: np.ndarray, key: str, rows: np.ndarray, amount) -> None:
        """Take ``amount`` (USD) from the cash of miners ``rows`` (distinct) under ``key``."""
        assert key in OUTFLOWS, key
        cash[rows] -= amount
        self.flows[key][rows] += amount

    def net(self) -> np.ndarray:
        """Net cash flow per miner this month (USD)."""
        return sum(self.flows[k] for k in INFLOWS) - sum(self.flows[k] for k in OUTFLOWS)

    def total(self, key: str) -> float:
        """Total of flow ``key`` this month (USD); 0 if nothing flowed."""
        return float(self.flows[key].sum()) if key in self.flows else 0.0
