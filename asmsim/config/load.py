"""Composing a validated :class:`Config` from Hydra YAML groups and overrides.

``load_config(["scenario=integrated", "miners=500"])`` is the one way a config
is made for the command line, the Python API, comparisons and studies. Any
problem raises :class:`ConfigError` whose message is a single line naming the
key, the bad value and what is allowed.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from pathlib import Path

from asmsim.config.schema import Config
from asmsim.config.validate import ConfigError, coerce_value, leaf_fields, validate

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


def _check_override(text: str) -> None:
    """Refuse, before Hydra sees it, an override naming no known key or option."""
    if "=" not in text:
        raise ConfigError(f"argument '{text}' is not key=value (e.g. scenario=integrated)")
    key, value = text.split("=", 1)
    if key.startswith(("+", "~")):
        raise ConfigError(f"override '{text}': adding or deleting keys is not allowed; "
                          "set an existing key (see docs/parameters.md)")
    if key in GROUPS:
        options = group_options(key)
        for choice in value.split(","):
            if choice not in options:
                raise ConfigError(f"{key}={choice!r} is unknown; available: "
                                  f"{', '.join(options)}")
        return
    known = leaf_fields()
    if key in known:
        if key not in ("context.shocks", "policy_schedule"):
            coerce_value(key, value, known[key])
        return
    if any(k.startswith(key + ".") for k in known):
        return
    guess = difflib.get_close_matches(key, [*known, *GROUPS], n=1)
    hint = f" (did you mean {guess[0]}?)" if guess else ""
    raise ConfigError(f"unknown config key '{key}'{hint}; see docs/parameters.md for the keys")


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

    for text in overrides:
        _check_override(text)
    _register_schema()
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
            cfg = compose(config_name="config", overrides=list(overrides))
        config = OmegaConf.to_object(cfg)
    except (HydraException, OmegaConfBaseException, ValueError) as exc:
        raise ConfigError(_one_line(exc)) from None
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
