"""Draw a fresh, held-out pool of pairs for tests/data/align_holdout.tsv (labelled after the defaults were
fixed, to check the figures of tests/data/align_eval.tsv on pairs nobody tuned anything on).

Population: every pair of coarse measures of the bundled corpus in different (sub-)documents that either
system could plausibly propose (engine score >= 25 under permissive blocking, or TF-IDF sentence baseline
cosine >= 0.25 over all pairs, or kept by the aligner at its defaults), less the pairs of align_eval.tsv.
It is split into four strata by the two systems' decisions at their fixed operating points (aligner
defaults; baseline cosine >= 0.36, its best threshold on align_eval.tsv), and up to ``--per-stratum`` pairs are
drawn from each at random (fixed seed). ``benchmarks/align_holdout.py`` weights each labelled pair by its
stratum's size over its sample size, which gives estimates for the whole population.

Usage: python benchmarks/build_holdout_pool.py OUT.tsv [--per-stratum 80]
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from baseline_tfidf import SentenceTfidf  # noqa: E402

from compare import pipeline  # noqa: E402
from compare.align import align, score_pairs  # noqa: E402
from compare.candidates import BlockingConfig, candidate_pairs, clause_units  # noqa: E402
from compare.keys import make_key  # noqa: E402

BASELINE_THRESHOLD = 0.36  # the baseline's best threshold on align_eval.tsv, fixed before this pool was drawn
EVAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "align_eval.tsv"


def ref(m) -> tuple[str, int, int]:
    return m.doc_id, m.start, m.end


def baseline_all_pairs(base: SentenceTfidf, n: int, floor: float) -> dict[tuple[int, int], float]:
    """Best sentence cosine of every pair of measures with one at least ``floor`` (sparse product)."""
    sims = (base.x @ base.x.T).tocoo()
    owner = np.asarray(base.owner)
    keep = sims.data >= floor
    out: dict[tuple[int, int], float] = {}
    for r, c, v in zip(owner[sims.row[keep]], owner[sims.col[keep]], sims.data[keep]):
        if r < c and v > out.get((r, c), 0.0):
            out[(int(r), int(c))] = float(v)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--per-stratum", type=int, default=80)
    args = ap.parse_args()
    docs = pipeline.load(None).documents
    ms = [m for s in pipeline.segment_all(docs) for m in s.measures]
    index = {ref(m): i for i, m in enumerate(ms)}
    group = [(m.doc_id, m.subdoc) for m in ms]
    with open(EVAL, encoding="utf-8", newline="") as fh:
        labelled = set()
        for r in csv.DictReader(fh, delimiter="\t"):
            a = index[(r["doc_a"], int(r["start_a"]), int(r["end_a"]))]
            b = index[(r["doc_b"], int(r["start_b"]), int(r["end_b"]))]
            labelled.add((min(a, b), max(a, b)))
    kept = set()
    for p in align(docs, ms).pairs:
        a, b = index[ref(p.a)], index[ref(p.b)]
        kept.add((min(a, b), max(a, b)))
    keys = [make_key(m.text) for m in ms]
    gid: dict = {}
    groups = [gid.setdefault(g, len(gid)) for g in group]
    bc = BlockingConfig(top_k=60, min_cosine=0.05)
    cand = candidate_pairs(keys, groups, config=bc)
    engine = score_pairs(keys, clause_units(keys, bc.min_clause_chars, whole=False), cand, local_min_chars=14)
    base = SentenceTfidf([m.text for m in ms])
    bscore = baseline_all_pairs(base, len(ms), 0.25)
    population = ({p for p, s in engine.items() if s.score >= 25} | set(bscore) | kept) - labelled
    population = {p for p in population if group[p[0]] != group[p[1]]}
    strata: dict[str, list[tuple[int, int]]] = {}
    for p in sorted(population):
        b = bscore.get(p, 0.0) >= BASELINE_THRESHOLD
        name = {(True, True): "both", (True, False): "aligner only", (False, True): "baseline only",
                (False, False): "neither"}[(p in kept, b)]
        strata.setdefault(name, []).append(p)
    rng = random.Random(20261122)
    rows = []
    for name in ("both", "aligner only", "baseline only", "neither"):
        items = strata.get(name, [])
        picked = sorted(rng.sample(items, min(args.per_stratum, len(items))))
        print(f"stratum {name}: {len(items)} pairs, {len(picked)} drawn")
        rows += [(name, len(items), len(picked), i, j) for i, j in picked]
    rng.shuffle(rows)
    with open(args.out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["pair", "stratum", "stratum_size", "drawn", "doc_a", "start_a", "end_a", "label_a", "doc_b",
                    "start_b", "end_b", "label_b", "text_a", "text_b"])
        for n, (name, size, drawn, i, j) in enumerate(rows, 1):
            a, b = ms[i], ms[j]
            w.writerow([n, name, size, drawn, a.doc_id, a.start, a.end, a.label, b.doc_id, b.start, b.end,
                        b.label, a.text.replace("\n", " "), b.text.replace("\n", " ")])
    print(f"{len(rows)} pairs written to {args.out}")


if __name__ == "__main__":
    main()
