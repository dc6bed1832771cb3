"""A blind check of the nearly identical part of the copy rule (``AlignConfig.near_whole``) on lawref
(tests/data/PAIRS.md, "near_copies_judged.tsv").

    python benchmarks/near_copies.py draw DIR     # DIR/pairs.tsv (texts only, for the readers) and DIR/key.tsv
    python benchmarks/near_copies.py score JUDGED # precision of the rule, agreement of the two readers

``draw`` aligns, with the defaults, a quarter of lawref (every fourth file) and the two versions of
上海市优化营商环境条例 (2020, 2024), and takes every pair the rule keeps for its nearly identical wording (kind
``near``); beside each, as a control the readers cannot tell apart, its **runner-up**: the measure of the
other document, other than its partner, whose matching key is the most like that of the pair's first side
(``fuzz.ratio`` on the keys, the aligner's whole ratio), so that a reader who marks every near-copy pair the
same is seen to. The order is shuffled (``random.Random(7)``). No lawref text is stored, only places.
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz import fuzz, process  # noqa: E402

from compare import pipeline  # noqa: E402
from compare.align import AlignConfig  # noqa: E402
from compare.gold import read_tsv  # noqa: E402
from compare.keys import make_key  # noqa: E402

LAWREF = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "lawref"
SHANGHAI = LAWREF / "DLC" / "上海地方法规" / "地方性法规" / "上海"
VERSIONS = ("上海市优化营商环境条例(2020-04-10).md", "上海市优化营商环境条例(2024-09-27).md")


def _near_and_runner_up(files: list[Path]) -> list[tuple[str, object, object, float]]:
    warnings.filterwarnings("ignore")
    docs = pipeline.load(files, workers=2).documents
    al = pipeline.align_documents(docs, align_config=AlignConfig(), workers=2)
    by_doc: dict = {}
    for s in pipeline.segment_all(docs, config=pipeline.DEFAULT, workers=2):
        by_doc[s.document.id] = [m for m in s.measures if m.role in AlignConfig().roles]
    out = []
    for p in al.pairs:
        if not (p.identical and p.whole < 100):
            continue
        out.append(("near", p.a, p.b, p.whole))
        others = [m for m in by_doc[p.b.doc_id] if m.start != p.b.start]
        keys = [make_key(m.text).text for m in others]
        best = process.extractOne(make_key(p.a.text).text, keys, scorer=fuzz.ratio, processor=None)
        if best is not None:
            out.append(("runner-up", p.a, others[best[2]], best[1]))
    return out


def draw(out: Path) -> None:
    picked = _near_and_runner_up(sorted(LAWREF.rglob("*.md"))[::4])
    seen = {(a.doc_id, a.start, b.doc_id, b.start) for _, a, b, _ in picked}
    picked += [t for t in _near_and_runner_up([SHANGHAI / v for v in VERSIONS])
               if (t[1].doc_id, t[1].start, t[2].doc_id, t[2].start) not in seen]
    random.Random(7).shuffle(picked)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "key.tsv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["pair", "kind", "whole", "doc_a", "start_a", "doc_b", "start_b"])
        for k, (kind, a, b, whole) in enumerate(picked, 1):
            w.writerow([k, kind, f"{whole:.1f}", a.doc_id, a.start, b.doc_id, b.start])
    with open(out / "pairs.tsv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["pair", "text_a", "text_b"])
        for k, (_, a, b, _) in enumerate(picked, 1):
            w.writerow([k, " ".join(a.raw.split()), " ".join(b.raw.split())])
    kinds = [t[0] for t in picked]
    print(f"{kinds.count('near')} nearly identical pairs kept by the rule, {kinds.count('runner-up')} runner-ups "
          f"written to {out}")


def score(judged: Path) -> None:
    rows = read_tsv(judged)
    for kind in ("near", "runner-up"):
        part = [r for r in rows if r["kind"] == kind]
        first, second = sum(r["match"] == "1" for r in part), sum(r["match_second"] == "1" for r in part)
        print(f"{kind:10} {len(part):3} pairs: same provision, first reader {first}, second {second}")
    agree = sum(r["match"] == r["match_second"] for r in rows)
    print(f"the two readers agree on {agree} of {len(rows)}")


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="verb", required=True)
    sub.add_parser("draw").add_argument("dir", type=Path)
    sub.add_parser("score").add_argument("judged", type=Path, nargs="?", default=Path(__file__).resolve().parent
                                         .parent / "tests" / "data" / "near_copies_judged.tsv")
    args = ap.parse_args()
    if args.verb == "score":
        score(args.judged)
    elif not LAWREF.is_dir():
        print(f"lawref not found at {LAWREF}: nothing to draw")
    else:
        draw(args.dir)


if __name__ == "__main__":
    main()
