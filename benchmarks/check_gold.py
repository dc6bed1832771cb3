"""Check a role gold file (tests/data/gold/ROLES.md): every anchor found in order; print the cut.

    python benchmarks/check_gold.py GOLD.tsv SOURCE [--from TEXT] [--to TEXT] [--level coarse|fine]

Only reads the gold file and the source text; it runs no part of the engine.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compare.errors import CompareError  # noqa: E402
from compare.gold import find_bounds, load_role_gold, role_segments  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", type=Path)
    ap.add_argument("source", type=Path)
    ap.add_argument("--from", dest="start")
    ap.add_argument("--to", dest="end")
    ap.add_argument("--level", choices=("coarse", "fine"), default="coarse")
    ap.add_argument("--width", type=int, default=60, help="characters of each segment to print")
    a = ap.parse_args()
    raw = a.source.read_text(encoding="utf-8-sig")
    try:
        lo, hi = find_bounds(raw, a.start, a.end)
    except CompareError as e:
        raise SystemExit(str(e))
    try:
        coarse, fine = role_segments(raw, load_role_gold(a.gold), source_name=a.source.name, start=lo, end=hi)
    except CompareError as e:
        raise SystemExit(f"{a.gold}: {e}")
    for s in coarse if a.level == "coarse" else fine:
        text = " ".join(raw[s.start:s.end].split())
        tail = text[-12:] if len(text) > a.width else ""
        print(f"{s.label:10} {s.kind:9} {s.role:10} {text[:a.width]}{' … ' + tail if tail else ''}")
    print(f"OK: {len(coarse)} coarse and {len(fine)} fine segments, all anchors found in order", file=sys.stderr)


if __name__ == "__main__":
    main()
