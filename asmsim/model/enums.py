"""Named states. Arrays store the integer codes; code always compares with these names.

Whole columns compare with a member's ``.value`` (a plain int): numpy treats an IntEnum
member as an int64 array, so ``column == Legal.LICENSED`` first casts an int8 column to
int64 (several times slower on a whole column; the result is the same).
"""

from enum import IntEnum


class Role(IntEnum):
    """A miner's work role (spec §6.2)."""

    DIGGER = 0
    PROCESSOR = 1
    HAULER = 2


class Legal(IntEnum):
    """Legal dimension of formalization."""

    INFORMAL = 0
    APPLICANT = 1
    LICENSED = 2


class Tech(IntEnum):
    """Processing technology (spec §6.5)."""

    WHOLE_ORE = 0
    CONCENTRATE = 1
    MERCURY_FREE = 2


class Channel(IntEnum):
    """Where a miner sells its gold this month (spec §6.3)."""

    LICENSED_BUYER = 0
    OFFICIAL_BUYER = 1
    TRADER = 2
    HELD = 3  # kept as unsold stock


class Lender(IntEnum):
    """Who a miner owes (spec §6.6); NONE = no debt."""

    NONE = 0
    STATE_FUND = 1
    BANK = 2
    MICROFINANCE = 3
    TRADER = 4


FORMAL_LENDERS = (Lender.STATE_FUND, Lender.BANK, Lender.MICROFINANCE)


class LandStatus(IntEnum):
    """Status of a site (grid cell)."""

    ASM_ZONE = 0
    OPEN = 1
    LSM_CONCESSION = 2
    PROTECTED = 3


STATUS_NAMES = {"informal": Legal.INFORMAL, "applicant": Legal.APPLICANT,
                "licensed": Legal.LICENSED}


class FormalizationDraw(IntEnum):
    """Columns of the per-miner stream ``formalization/miners``: one uniform per yes/no
    decision, so a miner's draw for one does not depend on the others."""

    APPLY = 0
    LAND_RIGHTS = 1
    GIVE_UP = 2
    RENEW = 3
    COOP = 4


class TechnologyDraw(IntEnum):
    """Columns of the per-miner stream ``technology/miners`` for each option's yes/no (its
    own draw picks who reconsiders)."""

    MERCURY_FREE = 0
    CONCENTRATE = 1
    RETORT = 2
    DUST_CONTROL = 3


class EntrantDraw(IntEnum):
    """Columns of the per-miner stream ``entrants/miners``, keyed by a newcomer's place in
    its month's arrivals (not by miner id): one uniform per attribute a miner brings when it
    enters, turned into that attribute by its distribution's inverse CDF."""

    WOMAN = 0
    DIGGER = 1
    PROCESSOR = 2
    SKILL = 3
    RESERVATION = 4
    SITE = 5
    CASH = 6
    TECH = 7
    RETORT = 8
    TRUST = 9


class MoveDraw(IntEnum):
    """Columns of the per-miner stream ``moves/miners`` (its own draw picks who changes
    role)."""

    DIGGER = 0
    PROCESSOR = 1
    OTHER_CELL = 2  # without site choice, an evicted or stranded miner's new cell


class EnforcementDraw(IntEnum):
    """Columns of the per-miner stream ``enforcement/miners`` for what follows an
    inspection (its own draw picks who is inspected)."""

    BRIBE = 0
    SEIZE = 1


class AuditDraw(IntEnum):
    """Columns of the per-miner stream ``audits/miners`` for what follows an audit (its
    own draw picks who is audited)."""

    REVOKE = 0


class LoanDraw(IntEnum):
    """What each column of the per-miner stream ``loans/miners`` decides, for one purpose
    and lender (the last axis of ``finance.loan_uniforms``)."""

    APPROVE = 0
    QUEUE = 1


class SaleDraw(IntEnum):
    """Columns of the per-miner stream ``sales/miners`` for the official buyer's rationing
    (its own draw picks each seller's channel)."""

    OFFICIAL_QUEUE = 0
    TURNED_AWAY = 1
