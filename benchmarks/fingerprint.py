"""Fingerprints of every preset's output table, to show a restructure is bit-identical.

Run: ``.venv/bin/python benchmarks/fingerprint.py [--save FILE | --check FILE]
[--miners 600] [--months 36] [--warmup 60] [--seed 7] [--jobs 2] [--set KEY=VALUE ...]``.

Runs each scenario preset of ``configs/scenario/`` at a small size and prints the
SHA-256 of its monthly table (every output column, full precision, as CSV). Save the
fingerprints before a change that must not change behaviour (``--save``) and compare
after it (``--check``: exit 1 naming each preset whose table changed). ``--set`` adds
overrides to every run (e.g. ``context.teams=false`` to check a path no preset uses).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

from joblib import Parallel, delayed

from asmsim.results.atomic import write_text

PRESETS = Path(__file__).resolve().parents[1] / "configs" / "scenario"


def fingerprint(preset: str, overrides: list[str], seed: int) -> tuple[str, str]:
    """The SHA-256 (first 16 hex digits) of ``preset``'s monthly table as CSV."""
    from asmsim.run.api import base_config, run_table

    table = run_table(base_config([f"scenario={preset}", *overrides]), seed)
    return preset, hashlib.sha256(table.to_csv(index=False).encode()).hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    """Print (and save or check) every preset's fingerprint; 1 if a check failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--save", type=Path, help="write the fingerprints to this JSON file")
    target.add_argument("--check", type=Path, help="compare with fingerprints saved before")
    parser.add_argument("--miners", type=int, default=600)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--warmup", type=int, default=60, help="context.warmup_months")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--set", dest="extra", action="append", default=[],
                        metavar="KEY=VALUE", help="an override added to every run")
    args = parser.parse_args(argv)
    if args.check and not args.check.is_file():
        print(f"fingerprint: --check {args.check}: no such file (save one with --save)",
              file=sys.stderr)
        return 2
    overrides = [f"miners={args.miners}", f"months={args.months}",
                 f"context.warmup_months={args.warmup}", *args.extra]
    presets = sorted(path.stem for path in PRESETS.glob("*.yaml"))
    start = time.perf_counter()
    found = dict(Parallel(n_jobs=args.jobs)(
        delayed(fingerprint)(preset, overrides, args.seed) for preset in presets))
    settings = {"overrides": overrides, "seed": args.seed}
    for preset in presets:
        print(f"{preset:24s} {found[preset]}")
    print(f"{len(presets)} presets in {time.perf_counter() - start:.0f} s ({' '.join(overrides)}, "
          f"seed {args.seed})")
    if args.save:
        write_text(args.save, json.dumps({**settings, "fingerprints": found}, indent=1))
        print(f"saved to {args.save}")
    if args.check:
        saved = json.loads(args.check.read_text())
        if {k: saved[k] for k in settings} != settings:
            print(f"fingerprint: {args.check} was saved with {saved['overrides']}, seed "
                  f"{saved['seed']}: run --check with the same settings", file=sys.stderr)
            return 2
        changed = [p for p in presets if saved["fingerprints"].get(p) != found[p]]
        if changed:
            print(f"CHANGED: {', '.join(changed)}")
            return 1
        print("bit-identical: every preset's table equals the saved one")
    return 0


if __name__ == "__main__":
    sys.exit(main())
