"""Checking the YAML files a config is composed from, with file and line in every message.

Hydra reports a mistake in a scenario or option file as a long traceback or a
message without the file; :func:`check_files` reads the very files Hydra will
compose (its own defaults list) before it does, and turns the first problem
into one line::

    configs/scenario/mine.yaml, line 5: policy.legal.licence_fee_usd='cheap' is not
    allowed; expected a number in [0, 1e+06] USD
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from asmsim.config.validate import (
    ENTRY_TYPES,
    ConfigError,
    check_entries,
    check_entry,
    coerce_value,
    leaf_fields,
    unknown_key,
)

#: Hydra's own keys in a config file (not config values).
DIRECTIVES = ("defaults",)


class LocatedError(ConfigError):
    """A ConfigError whose message already starts with ``file, line N:``."""


def _at(path: Path, node: yaml.Node, exc: ConfigError) -> LocatedError:
    """``exc`` located at ``node`` of ``path`` (unless it is located already)."""
    if isinstance(exc, LocatedError):
        return exc
    return LocatedError(f"{path}, line {node.start_mark.line + 1}: {exc}")


def composed_files(config_dir: Path, overrides: Sequence[str]) -> list[tuple[Path, str]]:
    """``(file, package)`` of every YAML file Hydra composes for ``overrides``, in order.

    Call inside ``initialize_config_dir``. The package is the dotted prefix of
    the file's keys (``policy.legal``; empty for ``_global_`` scenario files).
    """
    from hydra.core.global_hydra import GlobalHydra
    from hydra.types import RunMode

    loader = GlobalHydra.instance().config_loader()
    defaults = loader.compute_defaults_list("config", list(overrides), RunMode.RUN).defaults
    found = []
    for default in defaults:
        path = config_dir / f"{default.config_path}.yaml"
        if default.config_path and path.is_file():
            found.append((path, default.package or ""))
    return found


def check_files(config_dir: Path, overrides: Sequence[str]) -> None:
    """Check every file composed for ``overrides``; raise a one-line ConfigError."""
    for path, package in composed_files(config_dir, overrides):
        check_file(path, package)


def check_file(path: Path, package: str = "") -> None:
    """Check the keys and values of one YAML file whose keys live under ``package``."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except yaml.MarkedYAMLError as exc:
        raise ConfigError(yaml_error_line(exc)) from None
    if node is None:
        return
    if not isinstance(node, yaml.MappingNode):
        raise _at(path, node, ConfigError("expected a mapping of config keys"))
    _check_mapping(path, node, f"{package}." if package else "", top=True)


def yaml_error_line(exc: yaml.MarkedYAMLError) -> str:
    """A YAML syntax error as ``file, line N: not valid YAML (problem)``."""
    mark = exc.problem_mark or exc.context_mark
    where = f"{mark.name}, line {mark.line + 1}" if mark else "a config file"
    return f"{where}: not valid YAML ({exc.problem or exc.context or type(exc).__name__})"


def read_yaml(path: Path, what: str) -> Any:
    """The data of a user's YAML file (a study, a target file); a syntax error is one
    ConfigError line naming ``what``, the file and the line."""
    try:
        with path.open(encoding="utf-8") as stream:
            return yaml.safe_load(stream)
    except yaml.MarkedYAMLError as exc:
        raise ConfigError(f"{what} {yaml_error_line(exc)}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(f"{what} {path}: not valid YAML ({first})") from None


def _value(node: yaml.Node) -> Any:
    """The Python value of a YAML node (safe types only)."""
    return yaml.SafeLoader("").construct_object(node, deep=True)


def _children(prefix: str) -> list[str]:
    """Names allowed directly under ``prefix`` (e.g. ``licence_fee_usd`` under ``policy.legal.``)."""
    names = {key[len(prefix):].split(".")[0] for key in leaf_fields() if key.startswith(prefix)}
    return sorted(names)


def _check_mapping(path: Path, node: yaml.MappingNode, prefix: str, top: bool = False) -> None:
    for key_node, value_node in node.value:
        name = str(_value(key_node))
        if top and name in DIRECTIVES:
            continue
        try:
            _check_key(path, prefix, name, value_node)
        except ConfigError as exc:
            raise _at(path, key_node, exc) from None


def _check_key(path: Path, prefix: str, name: str, node: yaml.Node) -> None:
    key = f"{prefix}{name}"
    fields = leaf_fields()
    if key in ENTRY_TYPES:
        _check_entries(path, key, node)
    elif key in fields:
        coerce_value(key, _value(node), fields[key])
    elif name in _children(prefix):  # a section such as policy.legal
        if isinstance(node, yaml.MappingNode):
            _check_mapping(path, node, f"{key}.")
        elif _value(node) not in (None, {}):
            raise ConfigError(f"{key}={_value(node)!r} is not allowed; expected a mapping of "
                              f"the keys under {key}")
    else:
        raise unknown_key(key, _children(prefix), word=name, section=prefix.rstrip("."))


def _check_entries(path: Path, key: str, node: yaml.Node) -> None:
    """A shocks or schedule list, each entry reported at its own line."""
    if not isinstance(node, yaml.SequenceNode):
        check_entries(key, _value(node))
        return
    for i, item in enumerate(node.value):
        try:
            check_entry(f"{key}[{i}]", _value(item), ENTRY_TYPES[key])
        except ConfigError as exc:
            raise _at(path, item, exc) from None
