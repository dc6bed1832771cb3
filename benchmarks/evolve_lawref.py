"""Evolve every title of ../shared/corpus/lawref that exists in several dated versions.

Checks that every article whose normalised text is identical in two consecutive versions comes out
unchanged or moved, and prints counts per status, the time taken, and the lineage accuracy on the
hand-labelled Beijing business-environment regulation (tests/data/lineage_beijing_business_env.tsv).
"""
from __future__ import annotations

import collections
import csv
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compare.evolve import evolve, identical_violations  # noqa: E402
from compare.gold import lineage_scores  # noqa: E402
from compare.ingest import infer_meta, read_document  # noqa: E402
from compare.pipeline import dated_series  # noqa: E402
from compare.segment import segment  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LAWREF = ROOT.parent / "shared" / "corpus" / "lawref"


def main() -> None:
    if not LAWREF.is_dir():
        print(f"lawref not found at {LAWREF}: nothing to measure")
        return
    series = dated_series(LAWREF)
    t0 = time.perf_counter()
    counts: collections.Counter = collections.Counter()
    checked = 0
    violations = []
    for title, files in series.items():
        docs = [read_document(infer_meta(f)) for f in files]
        by_doc = {d.id: segment(d)[0] for d in docs}
        ev = evolve(docs, [m for ms in by_doc.values() for m in ms])
        counts.update(s.status for s in ev.steps if s.batch > 1)
        c, bad = identical_violations(ev, [m for ms in by_doc.values() for m in ms])
        checked += c
        violations += bad
        if title == "北京市优化营商环境条例":
            with open(ROOT / "tests" / "data" / "lineage_beijing_business_env.tsv", encoding="utf-8") as fh:
                gold = list(csv.DictReader(fh, delimiter="\t"))
            n, right_map, right_status = lineage_scores(ev.steps, [m for ms in by_doc.values() for m in ms], gold)
            print(f"Beijing business environment 2020 -> 2024: {n} hand-labelled old articles, mapping right "
                  f"{right_map} ({right_map / n:.3f}), status right {right_status} ({right_status / n:.3f})")
    dt = time.perf_counter() - t0
    print(f"titles with several versions {len(series)}, transitions {sum(len(v) - 1 for v in series.values())}")
    print(f"articles identical in consecutive versions {checked}: unchanged/moved {checked - len(violations)}, "
          f"other {len(violations)}")
    print("statuses: " + ", ".join(f"{k} {counts[k]}" for k in sorted(counts)))
    print(f"time {dt:.1f}s")


if __name__ == "__main__":
    main()
