"""The checks of ``asmsim robustness`` that need only the configuration layer.

:func:`check_policies` runs before the model, Mesa and the analysis are imported, so
that a mistyped policy or futures count is answered at once; the rest of the
validation (requirements against the model's outputs, the ensemble study) is
:func:`asmsim.workflows.robustness.plan`, which calls this first.
"""

from __future__ import annotations

from collections.abc import Sequence

from asmsim.config import ConfigError, load_config

MAX_FUTURES = 100_000


def check_policies(policies: Sequence[str], futures: int, overrides: Sequence[str]) -> None:
    """At least two different policies, each a valid scenario with ``overrides``, and
    ``futures`` in [2, :data:`MAX_FUTURES`]; raise ConfigError (one line) otherwise."""
    policies = list(policies)
    if len(policies) < 2 or len(set(policies)) < len(policies):
        raise ConfigError(f"policies={policies!r}: give at least two different scenarios "
                          "(regret compares policies)")
    if not 2 <= futures <= MAX_FUTURES:
        raise ConfigError(f"futures={futures} is not allowed; expected a whole number in "
                          f"[2, {MAX_FUTURES}]")
    for policy in policies:
        load_config([f"scenario={policy}", *overrides])  # one-line error if not valid
