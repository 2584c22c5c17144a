"""``asmsim scenarios [scenario_dir=DIR]``: list the scenario presets with their
descriptions, then the user's scenarios (``scenario_dir=`` and ``$ASMSIM_SCENARIOS``)."""

from __future__ import annotations

import textwrap

import yaml

from asmsim.config import ConfigError, config_dir
from asmsim.config.scenarios import sources


def describe(path) -> str:
    """A scenario file's ``description`` (or its first comment line)."""
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        return "(not valid YAML: asmsim run scenario=... says where)"
    if not isinstance(data, dict):
        data = {}
    if data.get("description"):
        return str(data["description"])
    comments = [ln.lstrip("# ").strip() for ln in text.splitlines()
                if ln.startswith("#") and "@package" not in ln]
    return comments[0] if comments else ""


def main(args: list[str]) -> int:
    bad = [a for a in args if not a.startswith("scenario_dir=")]
    if bad:
        raise ConfigError(f"argument '{bad[0]}' is not allowed; expected scenario_dir=DIR")
    src, _ = sources(config_dir(), args)
    user = src.user_names()
    names = src.names()
    width = max(len(n) for n in names) + 1
    for name in names:
        path = user.get(name, src.builtin / f"{name}.yaml")
        if name in user and not (src.builtin / f"{name}.yaml").is_file():
            name = f"{name}*"
        lines = textwrap.wrap(describe(path), 96 - width) or [""]
        print(f"{name:<{width}}  {lines[0]}")
        for line in lines[1:]:
            print(f"{'':<{width}}  {line}")
    if user:
        print("\n* your own scenarios (scenario_dir= or $ASMSIM_SCENARIOS)")
    print("\nrun one with: asmsim run scenario=NAME (or scenario=path/to/file.yaml)")
    return 0
