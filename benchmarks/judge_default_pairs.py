"""A blind check of the default output (tests/data/PAIRS.md, "default_pairs_judged.tsv"): 100 pairs drawn at
random from what the aligner keeps by default on the bundled corpus, judged by a reader who sees only the two
raw texts and the labelling policy.

    python benchmarks/judge_default_pairs.py draw DIR          # DIR/pairs.tsv (texts only) and DIR/drawn.tsv
    python benchmarks/judge_default_pairs.py merge DIR OUT.tsv  # DIR/labels.tsv (the reader's) -> OUT.tsv
    python benchmarks/judge_default_pairs.py score OUT.tsv      # precision, by kind of pair and by probability

``draw`` takes ``random.Random(2026).sample`` of the pairs in output order. ``DIR/pairs.tsv`` is what the reader
gets (pair, text_a, text_b); ``DIR/drawn.tsv`` keeps the places, relation and probability for ``merge``.
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compare import pipeline  # noqa: E402
from compare.align import AlignConfig  # noqa: E402
from compare.gold import read_tsv as _read  # noqa: E402

COLUMNS = ["pair", "doc_a", "start_a", "end_a", "doc_b", "start_b", "end_b", "relation", "probability", "match",
           "reader_relation", "note"]


def _write(path: Path, header: list[str], rows: list[list]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def draw(out: Path, n: int = 100, seed: int = 2026) -> None:
    al = pipeline.align_documents(pipeline.load(None).documents, align_config=AlignConfig())
    picked = random.Random(seed).sample(list(al.pairs), min(n, len(al.pairs)))
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "pairs.tsv", ["pair", "text_a", "text_b"],
           [[k, " ".join(p.a.raw.split()), " ".join(p.b.raw.split())] for k, p in enumerate(picked, 1)])
    _write(out / "drawn.tsv", COLUMNS[:9],
           [[k, p.a.doc_id, p.a.start, p.a.end, p.b.doc_id, p.b.start, p.b.end, p.relation, f"{p.probability:.4f}"]
            for k, p in enumerate(picked, 1)])
    print(f"{len(picked)} of {len(al.pairs)} default pairs drawn into {out}")


def merge(folder: Path, out: Path) -> None:
    drawn, labels = _read(folder / "drawn.tsv"), _read(folder / "labels.tsv")
    if [r["pair"] for r in drawn] != [r["pair"] for r in labels]:
        raise SystemExit(f"{folder / 'labels.tsv'}: its pairs are not those of drawn.tsv")
    _write(out, COLUMNS, [[d[c] for c in COLUMNS[:9]] + [lab["match"], lab["relation"], lab["note"].strip()]
                          for d, lab in zip(drawn, labels)])


def score(path: Path) -> None:
    rows = _read(path)
    def line(name: str, part: list[dict]) -> None:
        print(f"{name:34} {sum(r['match'] == '1' for r in part):3} of {len(part):3}")
    line("all", rows)
    line("between separate documents", [r for r in rows if r["doc_a"] != r["doc_b"]])
    line("inside the compilation", [r for r in rows if r["doc_a"] == r["doc_b"] == "compilation_2021q1"])
    line("restates (inside the journal)", [r for r in rows if r["relation"] == "restates"])
    line("probability >= 0.6", [r for r in rows if float(r["probability"]) >= 0.6])
    line("probability < 0.6", [r for r in rows if float(r["probability"]) < 0.6])


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="verb", required=True)
    sub.add_parser("draw").add_argument("dir", type=Path)
    m = sub.add_parser("merge")
    m.add_argument("dir", type=Path)
    m.add_argument("out", type=Path)
    sub.add_parser("score").add_argument("tsv", type=Path)
    args = ap.parse_args()
    if args.verb == "draw":
        draw(args.dir)
    elif args.verb == "merge":
        merge(args.dir, args.out)
    else:
        score(args.tsv)


if __name__ == "__main__":
    main()
