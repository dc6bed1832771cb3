"""How the pool of pairs for the labelled evaluation set was drawn (tests/data/align_eval.tsv).

Pooled evaluation: pairs proposed by either system (this engine at a low threshold, or the TF-IDF baseline
at a high cosine), plus pairs with shared topic words that neither proposes (hard-negative candidates),
capped per document pair so that every combination is represented. Labels were then given by readers who
saw only the two texts, not the scores.
"""
from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from baseline_tfidf import SentenceTfidf  # noqa: E402

from compare import pipeline  # noqa: E402
from compare.align import score_pairs  # noqa: E402
from compare.candidates import BlockingConfig, candidate_pairs, clause_units  # noqa: E402
from compare.config import Config  # noqa: E402
from compare.keys import make_key  # noqa: E402


def main(out: Path) -> None:
    docs = pipeline.load(None).documents
    seg = pipeline.segment_all(docs, config=Config(level="coarse"))
    ms = [m for s in seg for m in s.measures]
    keys = [make_key(m.text) for m in ms]
    gid: dict = {}
    groups = [gid.setdefault((m.doc_id, m.subdoc), len(gid)) for m in ms]
    bc = BlockingConfig(top_k=60, min_cosine=0.05)
    cand = candidate_pairs(keys, groups, config=bc)
    scores = score_pairs(keys, clause_units(keys, bc.min_clause_chars, whole=False), cand, local_min_chars=14)
    base = SentenceTfidf([m.text for m in ms])
    rng = random.Random(20261122)
    by_combo: dict[tuple[str, str], list] = {}
    for (i, j), sc in scores.items():
        a, b = ms[i], ms[j]
        combo = tuple(sorted((a.doc_id, b.doc_id)))
        ours = sc.score
        bl = base.score(i, j)
        tier = "ours" if ours >= 55 else "base" if bl >= 0.45 else "topic" if bl >= 0.25 else None
        if tier:
            by_combo.setdefault(combo, []).append((tier, i, j))
    rows = []
    for combo in sorted(by_combo):
        items = by_combo[combo]
        rng.shuffle(items)
        cap = 40 if combo[0] == combo[1] else 75
        picked = [x for x in items if x[0] != "topic"][:cap] + [x for x in items if x[0] == "topic"][:cap // 3]
        for _tier, i, j in picked:
            rows.append((ms[i], ms[j]))
    rng.shuffle(rows)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["pair", "measure_a", "measure_b", "doc_a", "label_a", "text_a", "doc_b", "label_b", "text_b"])
        for n, (a, b) in enumerate(rows, 1):
            w.writerow([n, a.measure_id, b.measure_id, a.doc_id, a.label, a.text.replace("\n", " "), b.doc_id,
                        b.label, b.text.replace("\n", " ")])
    print(f"{len(rows)} pairs written to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
