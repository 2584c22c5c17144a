"""``asmsim scenarios``: list the scenario presets with their descriptions."""

from __future__ import annotations

import textwrap

import yaml

from asmsim.config import config_dir, group_options


def describe(name: str) -> str:
    """A preset's ``description`` (or its first comment line)."""
    text = (config_dir() / "scenario" / f"{name}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    if data.get("description"):
        return str(data["description"])
    comments = [ln.lstrip("# ").strip() for ln in text.splitlines()
                if ln.startswith("#") and "@package" not in ln]
    return comments[0] if comments else ""


def main(args: list[str]) -> int:
    names = group_options("scenario")
    width = max(len(n) for n in names)
    for name in names:
        lines = textwrap.wrap(describe(name), 96 - width) or [""]
        print(f"{name:<{width}}  {lines[0]}")
        for line in lines[1:]:
            print(f"{'':<{width}}  {line}")
    print("\nrun one with: asmsim run scenario=NAME")
    return 0
