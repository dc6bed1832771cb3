"""Merge the readers' labels of a held-out pool (``build_heldout3_pool.write_readers`` folders) into the
labelled set and its second reading, and print the agreement of the two readings.

    python benchmarks/merge_labels.py POOL.tsv READERS_DIR OUT.tsv [SECOND_OUT.tsv]

READERS_DIR holds reader1 … readerN and second1, second2, each with pairs.tsv (what the reader got) and
labels.tsv (``pair match relation container note``). OUT.tsv is the pool with ``match relation container
reader note`` before the texts; SECOND_OUT.tsv the second readers' labels (a training set read once, as
active7.tsv, has none: leave SECOND_OUT out). Every label is checked: a missing,
extra or out-of-order pair or a match other than 0/1 stops the merge with the file named.
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from role_quality import kappa  # noqa: E402

from compare.gold import read_tsv as _read  # noqa: E402


def _labels(folder: Path, reader: str) -> list[dict]:
    given, labels = _read(folder / "pairs.tsv"), _read(folder / "labels.tsv")
    if [r["pair"] for r in given] != [r["pair"] for r in labels]:
        raise SystemExit(f"{folder / 'labels.tsv'}: its pairs are not those of pairs.tsv, in order")
    out = []
    for r in labels:
        if r["match"] not in ("0", "1") or (r["match"] == "1" and r["relation"] not in ("same", "contains",
                                                                                         "related")):
            raise SystemExit(f"{folder / 'labels.tsv'}: pair {r['pair']}: match {r['match']!r}, "
                             f"relation {r['relation']!r}")
        one = r["match"] == "1"
        out.append({"pair": r["pair"], "match": r["match"], "relation": r["relation"] if one else "",
                    "container": r["container"] if one and r["relation"] == "contains" else "",
                    "reader": reader, "note": " ".join((r["note"] or "").split())})
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    for name in ("pool", "readers", "out"):
        ap.add_argument(name, type=Path)
    ap.add_argument("second_out", type=Path, nargs="?", help="the second reading (none for a set read once)")
    args = ap.parse_args()
    pool = _read(args.pool)
    first: dict[str, dict] = {}
    folders = [p for p in args.readers.glob("reader*") if p.is_dir() and p.name[6:].isdigit()]
    for folder in sorted(folders, key=lambda p: int(p.name[6:])):
        for r in _labels(folder, folder.name[6:]):
            if r["pair"] in first:
                raise SystemExit(f"{folder / 'labels.tsv'}: pair {r['pair']} is labelled by reader "
                                 f"{first[r['pair']]['reader']} too")
            first[r["pair"]] = r
    if set(first) != {r["pair"] for r in pool}:
        raise SystemExit(f"{args.readers}: the readers' pairs are not the pool's")
    cols = list(pool[0])
    at = cols.index("text_a")
    extra = ["match", "relation", "container", "reader", "note"]
    with open(args.out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(cols[:at] + extra + cols[at:])
        for r in pool:
            w.writerow([r[c] for c in cols[:at]] + [first[r["pair"]][c] for c in extra] + [r[c] for c in cols[at:]])
    seconds = [args.readers / f"second{k}" for k in (1, 2)]
    if args.second_out is None:
        if any((f / "labels.tsv").exists() for f in seconds):
            print(f"{args.readers}: second readers' labels found but not merged (no SECOND_OUT given)",
                  file=sys.stderr)
        print(f"{len(pool)} pairs, {sum(int(r['match']) for r in first.values())} true (no second reading)")
        return
    missing = [str(f / name) for f in seconds for name in ("pairs.tsv", "labels.tsv") if not (f / name).exists()]
    if missing:
        raise SystemExit(f"{args.readers}: SECOND_OUT given but the second reading is incomplete: "
                         + ", ".join(missing) + " missing")
    second = sorted(_labels(args.readers / "second1", "s1") + _labels(args.readers / "second2", "s2"),
                    key=lambda r: int(r["pair"]))
    stray = sorted({r["pair"] for r in second} - set(first), key=int)
    if stray or len({r["pair"] for r in second}) != len(second):
        raise SystemExit(f"{args.readers}: the second readers' pairs {stray or 'repeat'}: each must be a pool pair, once")
    with open(args.second_out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["pair"] + extra)
        w.writerows([r["pair"]] + [r[c] for c in extra] for r in second)
    a = [int(first[r["pair"]]["match"]) for r in second]
    b = [int(r["match"]) for r in second]
    agree, k = sum(x == y for x, y in zip(a, b)), kappa(a, b)
    print(f"{len(pool)} pairs, {sum(int(r['match']) for r in first.values())} true; second reading of "
          f"{len(second)}: {agree} agree, first readers {sum(a)} true, second {sum(b)}, both "
          f"{sum(x & y for x, y in zip(a, b))}, Cohen's kappa {k:.2f}")


if __name__ == "__main__":
    main()
