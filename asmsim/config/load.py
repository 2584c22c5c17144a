"""Composing a validated :class:`Config` from Hydra YAML groups and overrides.

``load_config(["scenario=integrated", "miners=500"])`` is the one way a config
is made for the command line, the Python API, comparisons and studies. Any
problem raises :class:`ConfigError` whose message is a single line naming the
key, the bad value and what is allowed.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from asmsim.config.scenarios import (
    ScenarioSources,
    check_choice,
    overlay,
    real_paths,
    selected,
)
from asmsim.config.scenarios import sources as scenario_sources
from asmsim.config.schema import Config
from asmsim.config.validate import (
    ENTRY_TYPES,
    ConfigError,
    check_entries,
    check_text,
    coerce_value,
    did_you_mean,
    leaf_fields,
    unknown_key,
    validate,
)

GROUPS = ("scenario", "context", "policy/legal", "policy/market", "policy/social",
          "policy/finance")


def config_dir() -> Path:
    """The ``configs/`` folder: ``$ASMSIM_CONFIG_DIR`` or the one beside the package."""
    env = os.environ.get("ASMSIM_CONFIG_DIR")
    path = Path(env) if env else Path(__file__).resolve().parents[2] / "configs"
    if not (path / "config.yaml").is_file():
        raise ConfigError(f"config folder {path} has no config.yaml (set ASMSIM_CONFIG_DIR)")
    return path


def group_options(group: str) -> list[str]:
    """Names of the YAML options of a config group, e.g. the scenario presets."""
    folder = config_dir() / group
    return sorted(p.stem for p in folder.glob("*.yaml"))


def _is_text_key(key: str) -> bool:
    """A key whose value is free text (``out``, ``description``): any characters allowed."""
    f = leaf_fields().get(key)
    return f is not None and isinstance(f.default, str) and not f.metadata.get("choices")


def parse_override(text: str) -> tuple[str, Any]:
    """Hydra's reading of one ``key=value``: ``(text to give Hydra, parsed override)``.

    A text value Hydra's grammar cannot read unquoted (``out=résultats/étude``,
    spaces) is quoted for it; any other unreadable value is a ConfigError
    saying how to quote it.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    parser = OverridesParser.create()
    key, value = split_override(text)
    try:
        return text, parser.parse_override(text)
    except HydraException as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if _is_text_key(key) and "'" not in value:
        quoted = f"{key}='{value}'"
        try:
            return quoted, parser.parse_override(quoted)
        except HydraException:
            pass
    raise ConfigError(f"{key}={value!r} cannot be read ({reason}); put the value in quotes, "
                      f"e.g. {key}='{value}' (with the shell's quotes around the whole "
                      "argument)")


def split_override(text: str) -> tuple[str, str]:
    """``key=value`` -> ``(key, value)``; a ConfigError if there is no ``=``."""
    if "=" not in text:
        raise ConfigError(f"argument '{text}' is not key=value (e.g. scenario=integrated)")
    key, _, value = text.partition("=")
    return key, value


def _check_override(text: str, src: ScenarioSources | None = None) -> str:
    """Refuse, before Hydra sees it, an override naming no known key, option or value.

    Returns the override as Hydra should read it (see :func:`parse_override`).
    """
    key, value = split_override(text)
    check_text(key, value)
    if key.startswith(("+", "~")):
        raise ConfigError(f"override '{text}': adding or deleting keys is not allowed; "
                          "set an existing key (see docs/parameters.md)")
    if key == "scenario" and src is not None:
        check_choice(src, value)
        return text
    if key in GROUPS:
        options = group_options(key)
        for choice in value.split(","):
            if choice not in options:
                raise ConfigError(f"{key}={choice!r} is unknown{did_you_mean(choice, options)}; "
                                  f"available: {', '.join(options)}")
        return text
    known = leaf_fields()
    if key not in known and not any(k.startswith(key + ".") for k in known):
        raise unknown_key(key, [*known, *GROUPS])
    text, override = parse_override(text)
    if key in known and not override.is_sweep_override():
        if key in ENTRY_TYPES:
            check_entries(key, override.value())
        else:
            coerce_value(key, override.value(), known[key])
    return text


def _register_schema() -> None:
    """Put the dataclass schema in Hydra's ConfigStore as ``base_config``."""
    from hydra.core.config_store import ConfigStore

    ConfigStore.instance().store(name="base_config", node=Config)


def load_config(overrides: Sequence[str] = ()) -> Config:
    """A validated Config from CLI-style ``key=value`` overrides."""
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from hydra.errors import HydraException
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    from asmsim.config.files import check_files, yaml_error_line

    folder = config_dir()
    src, overrides = scenario_sources(folder, list(overrides))
    overrides = [_check_override(text, src) for text in overrides]
    _register_schema()
    with overlay(folder, src, selected(overrides)) as (composed_from, real):
        GlobalHydra.instance().clear()
        try:
            with initialize_config_dir(config_dir=str(composed_from), version_base="1.3"):
                check_files(composed_from, overrides)
                cfg = compose(config_name="config", overrides=overrides)
            config = OmegaConf.to_object(cfg)
        except ConfigError as exc:
            raise type(exc)(real_paths(str(exc), real)) from None
        except yaml.MarkedYAMLError as exc:
            raise ConfigError(real_paths(yaml_error_line(exc), real)) from None
        except (HydraException, OmegaConfBaseException, ValueError) as exc:
            raise ConfigError(real_paths(_one_line(exc), real)) from None
        finally:
            GlobalHydra.instance().clear()
    validate(config)
    return config


def _one_line(exc: Exception) -> str:
    """Hydra and OmegaConf errors span lines; keep the informative first one."""
    while exc.__cause__ is not None:
        exc = exc.__cause__
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    full_key = next((ln.split(":", 1)[1].strip() for ln in lines
                     if ln.startswith("full_key:")), "")
    head = lines[0] if lines else type(exc).__name__
    return f"{full_key}: {head}" if full_key and full_key not in head else head
