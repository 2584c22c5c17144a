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


class Ledger:
    """This month's flows per miner (USD), by category."""

    def __init__(self, n: int):
        self.flows = {key: np.zeros(n) for key in (*INFLOWS, *OUTFLOWS)}

    def credit(self, cash: np.ndarray, key: str, amount: np.ndarray) -> None:
        """Add ``amount`` (USD per miner) to cash under inflow ``key``."""
        assert key in INFLOWS, key
        cash += amount
        self.flows[key] += amount

    def debit(self, cash: np.ndarray, key: str, amount: np.ndarray) -> None:
        """Take ``amount`` (USD per miner, never more than cash) from cash under ``key``."""
        assert key in OUTFLOWS, key
        cash -= amount
        self.flows[key] += amount

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
        return float(self.flows[key].sum())
