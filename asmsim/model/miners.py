"""Miner state as numpy columns (one row per miner) and the light Mesa agent handle.

All monthly miner behaviour operates on whole columns (spec §6.1). Exited
miners keep their row (``active = False``) until the model compacts the table
between months, so that the vectorised pass does not carry them for ever.
"""

from __future__ import annotations

import mesa
import numpy as np

from asmsim.model.enums import Legal, Lender, Role, Tech

#: column name -> dtype. Money in USD, mass in grams, time in months.
COLUMNS: dict[str, type] = {
    "uid": np.int64,            # miner id: creation order, kept for life (random numbers)
    "active": bool,
    "woman": bool,
    "role": np.int8,            # Role
    "skill": np.float64,        # productivity multiplier, median 1
    "reservation": np.float64,  # wage (USD/month) at which the miner would rather quit
    "site": np.intp,            # cell index y * width + x (intp: fast as an index)
    "cash": np.float64,         # USD
    "stock_g": np.float64,      # unsold gold, g
    "debt": np.float64,         # USD principal outstanding
    "lender": np.int8,          # Lender
    "debt_rate": np.float64,    # monthly interest rate
    "instalment": np.float64,   # USD/month due on a formal loan (annuity on its principal)
    "arrears": np.int16,        # months behind on payments
    "credit_ban": np.int16,     # months left excluded from formal credit after a default
    "trader_ban": np.int16,     # months left refused by traders after a default to one
    "tied_trader": np.int16,    # trader index (-1 = not tied)
    "last_trader": np.int16,    # trader index it last sold to (-1 = none yet)
    "legal": np.int8,           # Legal
    "applied_month": np.int32,  # month the pending application was filed
    "licence_expiry": np.int32,  # month the licence ends
    "licence_cell": np.int32,   # cell the pending application is for (-1: none)
    "via_coop": bool,           # licensed through a cooperative's group licence
    "coop": bool,
    "tech": np.int8,            # Tech
    "retort": bool,
    "dust_control": bool,
    "trained": bool,
    "exposure_years": np.float64,  # cumulative unprotected dry-work exposure, years
    "silicosis": bool,
    "injured": np.int16,        # months off work left
    "suspended": np.int16,      # months suspended by an inspection left
    "exp_income": np.float64,   # expected net income, USD/month (EMA)
    "low_months": np.int16,     # consecutive months expected income < reservation
    "trust": np.float64,        # trust in government, 0-1
    "trust_baseline": np.float64,  # the miner's own trust without events (memory returns it)
    "income": np.float64,       # this month's net income, USD
    "grams": np.float64,        # this month's production, g
    "channel": np.int8,         # Channel of this month's sale
    "entered_month": np.int32,
    "excluded_cell": np.int32,  # cell the miner was evicted from (-1: none)
    "excluded_until": np.int32,  # month until which it will not return there
    "pit": np.int64,            # uid of the pit's head (the owner; a solo is its own pit)
    "owner": bool,              # holds a pit (founded one, or a licence: a title to a plot)
    "covered": bool,            # licensed through its pit owner's licence, not its own
    "plotless": np.int16,       # months in a row without a plot (evicted or worked out and
                                # not admitted to a free plot): no work until it finds one
}


class MinerTable:
    """Growable struct-of-arrays. ``table.cash`` is a view of the used rows."""

    def __init__(self, capacity: int):
        self.n = 0
        self._data = {name: np.zeros(max(capacity, 16), dtype=dt) for name, dt in COLUMNS.items()}
        self._refresh_views()

    def _refresh_views(self) -> None:
        """Expose each column's used rows as a plain attribute (a view, so writes go through)."""
        for name, column in self._data.items():
            self.__dict__[name] = column[: self.n]

    def __deepcopy__(self, memo) -> MinerTable:
        """A copy whose column attributes are views of its own arrays (as in the original)."""
        twin = MinerTable.__new__(MinerTable)
        twin.n = self.n
        twin._data = {name: column.copy() for name, column in self._data.items()}
        twin._refresh_views()
        return twin

    def add(self, count: int) -> slice:
        """Append ``count`` zeroed rows (growing capacity geometrically); return their slice."""
        need = self.n + count
        capacity = len(self._data["active"])
        if need > capacity:
            new_capacity = max(need, 2 * capacity)
            for name, column in self._data.items():
                grown = np.zeros(new_capacity, dtype=column.dtype)
                grown[: self.n] = column[: self.n]
                self._data[name] = grown
        rows = slice(self.n, need)
        self.n = need
        self._data["tied_trader"][rows] = -1
        self._data["last_trader"][rows] = -1
        self._data["lender"][rows] = Lender.NONE
        self._data["licence_cell"][rows] = -1
        self._data["excluded_cell"][rows] = -1
        self._refresh_views()
        return rows


    def compact(self) -> np.ndarray:
        """Drop inactive rows, keeping order; return the old indices of the kept rows."""
        keep = np.flatnonzero(self._data["active"][: self.n])
        for column in self._data.values():
            column[: len(keep)] = column[keep]
            column[len(keep): self.n] = 0
        self._data["tied_trader"][len(keep): self.n] = -1
        self._data["last_trader"][len(keep): self.n] = -1
        self._data["lender"][len(keep): self.n] = Lender.NONE
        self._data["licence_cell"][len(keep): self.n] = -1
        self._data["excluded_cell"][len(keep): self.n] = -1
        self.n = len(keep)
        self._refresh_views()
        return keep


class Miner(mesa.Agent):
    """A miner: a handle over row ``row`` of the model's :class:`MinerTable`.

    Mesa's AgentSet, the dashboard and notebooks see real agents; the state
    lives in the columns so the monthly pass is vectorised.
    """

    def __init__(self, model: mesa.Model, row: int):
        super().__init__(model)
        self.row = row

    def _get(self, name: str):
        return self.model.miners._data[name][self.row]

    @property
    def woman(self) -> bool:
        return bool(self._get("woman"))

    @property
    def role(self) -> Role:
        return Role(self._get("role"))

    @property
    def legal(self) -> Legal:
        return Legal(self._get("legal"))

    @property
    def tech(self) -> Tech:
        return Tech(self._get("tech"))

    @property
    def lender(self) -> Lender:
        return Lender(self._get("lender"))

    @property
    def cash(self) -> float:
        return float(self._get("cash"))

    @property
    def income(self) -> float:
        return float(self._get("income"))

    @property
    def coop(self) -> bool:
        return bool(self._get("coop"))

    @property
    def trust(self) -> float:
        return float(self._get("trust"))

    @property
    def skill(self) -> float:
        return float(self._get("skill"))

    @property
    def entered_month(self) -> int:
        return int(self._get("entered_month"))

    @property
    def site(self) -> int:
        return int(self._get("site"))
