"""Parsing ``key=value`` command-line arguments, with Hydra's sweep syntax for --multirun."""

from __future__ import annotations

import itertools

from asmsim.config import ConfigError


def split_flags(args: list[str], flags: tuple[str, ...]) -> tuple[set[str], list[str]]:
    """Separate ``--flags`` from ``key=value`` overrides; refuse unknown flags."""
    found, rest = set(), []
    for arg in args:
        if arg.startswith("-"):
            if arg not in flags:
                raise ConfigError(f"unknown option '{arg}'; allowed: {', '.join(flags) or 'none'}")
            found.add(arg)
        else:
            rest.append(arg)
    return found, rest


def expand_sweeps(overrides: list[str]) -> list[list[str]]:
    """Cartesian product of sweep overrides (``scenario=a,b``, ``seed=range(3)``)."""
    from asmsim.config.load import parse_override

    parsed = [parse_override(text)[1] for text in overrides]
    choices = []
    for override in parsed:
        key = override.get_key_element()
        if override.is_sweep_override():
            choices.append([f"{key}={v}" for v in override.sweep_string_iterator()])
        else:
            choices.append([f"{key}={override.get_value_element_as_str()}"])
    return [list(combo) for combo in itertools.product(*choices)]


def parse_keys(args: list[str], keys: tuple[str, ...], required: str, missing: str
               ) -> dict[str, str]:
    """``key=value`` arguments of a command that takes only ``keys``; ``required`` must be
    given (else ConfigError ``missing``)."""
    from asmsim.config.validate import unknown_key

    opts: dict[str, str] = {}
    for arg in args:
        key, sep, value = arg.partition("=")
        if not sep:
            raise ConfigError(f"argument '{arg}' is not key=value; allowed keys: "
                              + ", ".join(keys))
        if key not in keys:
            raise unknown_key(key, keys)
        opts[key] = value
    if required not in opts:
        raise ConfigError(missing)
    return opts
