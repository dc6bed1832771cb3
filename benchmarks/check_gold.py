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
from compare.gold import load_role_gold, role_segments  # noqa: E402


def find_bounds(raw: str, start_text: str | None, end_text: str | None) -> tuple[int, int]:
    """Raw span from the first line starting with ``start_text`` to the next line starting with ``end_text``."""
    lines = raw.splitlines(keepends=True)
    offs, pos = [], 0
    for ln in lines:
        offs.append((pos, ln))
        pos += len(ln)
    squeeze = lambda s: "".join(s.split())  # noqa: E731
    lo = 0
    if start_text:
        lo = next((o for o, ln in offs if squeeze(ln).startswith(squeeze(start_text))), -1)
        if lo < 0:
            raise SystemExit(f"--from text not found at a line start: {start_text}")
    hi = len(raw)
    if end_text:
        hi = next((o for o, ln in offs if o > lo and squeeze(ln).startswith(squeeze(end_text))), -1)
        if hi < 0:
            raise SystemExit(f"--to text not found at a line start after --from: {end_text}")
    return lo, hi


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
    lo, hi = find_bounds(raw, a.start, a.end)
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
