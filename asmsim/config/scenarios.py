"""Scenario files where analysts keep them: a path, or a user scenario folder.

``scenario=`` accepts a built-in preset name (``configs/scenario/``), the name of a
file in a user scenario folder (``$ASMSIM_SCENARIOS``, folders separated by ``:``, or
``scenario_dir=DIR`` on the command line), or the path of a YAML file anywhere
(``scenario=briefs/royalty_3pc.yaml``). A user file is checked like a preset (its
header, keys, values, with file and line in the message). Hydra composes it from an
overlay folder that links the built-in configs and the user file as
``scenario/<name>.yaml``; messages name the user's own file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from asmsim.config.validate import ConfigError, did_you_mean

HEADER = "# @package _global_"
ENV = "ASMSIM_SCENARIOS"


@dataclass
class ScenarioSources:
    """Built-in presets plus the user's scenario folders and files for one load."""

    builtin: Path                                    # configs/scenario
    folders: list[Path] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)  # name -> a file given by path

    def user_names(self) -> dict[str, Path]:
        """Scenario name -> file, for every user folder's YAML (first folder wins)."""
        found: dict[str, Path] = {}
        for folder in self.folders:
            for path in sorted(folder.glob("*.yaml")):
                found.setdefault(path.stem, path)
        return {**found, **self.files}

    def names(self) -> list[str]:
        """Every scenario name available (built-in first)."""
        builtin = sorted(p.stem for p in self.builtin.glob("*.yaml"))
        return builtin + sorted(n for n in self.user_names() if n not in builtin)


def env_folders() -> list[Path]:
    """The folders of ``$ASMSIM_SCENARIOS`` (each must exist)."""
    text = os.environ.get(ENV, "")
    folders = [Path(p) for p in text.split(os.pathsep) if p]
    for folder in folders:
        if not folder.is_dir():
            raise ConfigError(f"{ENV}={text!r}: {folder} is not a folder")
    return folders


def is_path(value: str) -> bool:
    """A ``scenario=`` value naming a file rather than a preset."""
    return value.endswith((".yaml", ".yml")) or "/" in value or os.sep in value


def check_header(path: Path) -> None:
    """A scenario file starts with the ``# @package _global_`` header (else Hydra would nest
    its keys under ``scenario.`` and silently ignore them)."""
    try:
        first = path.read_text(encoding="utf-8").lstrip("\ufeff").splitlines()[:1]
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if not first or first[0].strip() != HEADER:
        raise ConfigError(f"{path}, line 1: a scenario file must start with the line "
                          f"'{HEADER}' (found {first[0].strip()[:40]!r})" if first else
                          f"{path}, line 1: a scenario file must start with the line '{HEADER}' "
                          "(the file is empty)")


def sources(config_dir: Path, overrides: Sequence[str]) -> tuple[ScenarioSources, list[str]]:
    """The scenario sources of one load, and the overrides with ``scenario_dir=`` removed and
    ``scenario=PATH`` replaced by the file's name."""
    src = ScenarioSources(config_dir / "scenario", env_folders())
    rest = []
    for text in overrides:
        key, _, value = text.partition("=")
        if key == "scenario_dir":
            folder = Path(value)
            if not folder.is_dir():
                raise ConfigError(f"scenario_dir={value!r} is not a folder")
            src.folders.insert(0, folder)
            continue
        rest.append(text)
    out = []
    for text in rest:
        key, _, value = text.partition("=")
        if key == "scenario" and "," not in value and is_path(value):
            path = Path(value)
            if not path.is_file():
                raise ConfigError(f"scenario={value!r}: no such file")
            name = path.stem
            builtin = (src.builtin / f"{name}.yaml").is_file()
            if builtin and path.resolve() != (src.builtin / f"{name}.yaml").resolve():
                raise ConfigError(f"scenario={value!r}: its name '{name}' is a built-in preset; "
                                  "rename the file")
            src.files[name] = path
            text = f"scenario={name}"
        out.append(text)
    return src, out


def check_choice(src: ScenarioSources, value: str) -> None:
    """``scenario=NAME`` names a preset or a user scenario."""
    names = src.names()
    for choice in value.split(","):
        if choice not in names:
            raise ConfigError(f"scenario={choice!r} is unknown{did_you_mean(choice, names)}; "
                              f"available: {', '.join(names)} (or a path to a scenario YAML, "
                              f"or a folder in scenario_dir= / ${ENV})")


def selected(overrides: Sequence[str]) -> list[str]:
    """The scenario names ``overrides`` select."""
    names = []
    for text in overrides:
        key, _, value = text.partition("=")
        if key == "scenario":
            names += value.split(",")
    return names


@contextlib.contextmanager
def overlay(config_dir: Path, src: ScenarioSources, chosen: Sequence[str] = ()
            ) -> Iterator[tuple[Path, dict[str, str]]]:
    """A folder Hydra can compose from: ``config_dir`` plus the user scenarios, and a map
    from overlay paths to the real ones (for messages). Without a user scenario among the
    ``chosen`` it is ``config_dir`` itself. Chosen user files must have the header."""
    user = {name: path for name, path in src.user_names().items()
            if name in chosen and not (src.builtin / f"{name}.yaml").is_file()}
    if not user:
        yield config_dir, {}
        return
    for path in user.values():
        check_header(path)
    folder = Path(tempfile.mkdtemp(prefix="asmsim-configs-"))
    try:
        for entry in config_dir.iterdir():
            if entry.name != "scenario":
                (folder / entry.name).symlink_to(entry.resolve())
        scenario = folder / "scenario"
        scenario.mkdir()
        real = {}
        for path in src.builtin.glob("*.yaml"):
            (scenario / path.name).symlink_to(path.resolve())
        for name, path in user.items():
            if not (scenario / f"{name}.yaml").exists():
                (scenario / f"{name}.yaml").symlink_to(path.resolve())
                real[str(scenario / f"{name}.yaml")] = str(path)
        real[str(folder)] = str(config_dir)
        yield folder, real
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def real_paths(message: str, real: dict[str, str]) -> str:
    """``message`` with overlay paths replaced by the files the user wrote."""
    for overlay_path, path in sorted(real.items(), key=lambda kv: -len(kv[0])):
        message = message.replace(overlay_path, path)
    return message
