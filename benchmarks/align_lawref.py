"""Since 2026-11-29 this measures the rule-based aligner (score threshold and evidence rule, no pair model:
its labelled sets are the model's training data); the pair model is measured by benchmarks/pair_quality.py.

Align every article of ../shared/corpus/lawref against every article of the other files (cross mode).

Prints measures, candidate pairs, pairs kept (by score, then also by the evidence rule), wall time per
stage, peak memory (max RSS), and the time brute force (all pairs, same scorers) would take, extrapolated from a random sample timed in the same
process, as a ratio. Usage: python benchmarks/align_lawref.py [--sample 1500] [--limit N]
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compare.align import AlignConfig, Grams, score_pairs  # noqa: E402
from compare.candidates import candidate_pairs, clause_units, tfidf  # noqa: E402
from compare.config import Config  # noqa: E402
from compare.ingest import infer_meta, read_document  # noqa: E402
from compare.keys import make_key  # noqa: E402
from compare.segment import segment  # noqa: E402

LAWREF = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "lawref"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def brute_force(keys, groups, cfg: AlignConfig, n: int, rng: random.Random):
    """Score all pairs of a random sample of n measures the slow, obvious way (same scorers): seconds taken,
    and the recall of the blocked path on that sample."""
    sample = sorted(rng.sample(range(len(keys)), min(n, len(keys))))
    ks = [keys[i] for i in sample]
    gs = [groups[i] for i in sample]
    t = time.perf_counter()
    whole = process.cdist([k.text for k in ks], [k.text for k in ks], scorer=fuzz.ratio, processor=None, workers=1)
    units = clause_units(ks, cfg.blocking.min_clause_chars, whole=False)
    texts = [ks[o].text[s:e] for (s, e), o in zip(units.spans, units.owner)]
    x = tfidf(texts, max_df=1.0, unigrams=True, sublinear=False)
    cos = (x @ x.T).toarray() * 100
    owner = np.asarray(units.owner)
    best = np.zeros((len(ks), len(ks)))
    for u in range(len(texts)):
        np.maximum.at(best[owner[u]], owner, cos[u])
    score = np.maximum(best, whole)
    seconds = time.perf_counter() - t
    truth = {(i, j) for i in range(len(ks)) for j in range(i + 1, len(ks))
             if gs[i] != gs[j] and score[i, j] >= cfg.threshold}
    cand = candidate_pairs(ks, gs, config=cfg.blocking)
    sc = score_pairs(ks, units, cand, local_min_chars=cfg.local_min_chars)
    found = {p for p, s in sc.items() if s.score >= cfg.threshold}
    return seconds, len(ks), (len(found & truth) / len(truth) if truth else 1.0), len(truth)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=1500)
    ap.add_argument("--limit", type=int, default=0, help="only the first N files (0: all)")
    args = ap.parse_args()
    if not LAWREF.is_dir():
        print(f"lawref not found at {LAWREF}: nothing to measure")
        return
    files = sorted(LAWREF.rglob("*.md"))
    if args.limit:
        files = files[: args.limit]
    cfg = AlignConfig(use_model=False, min_evidence=3.0)
    t0 = time.perf_counter()
    measures, groups = [], []
    for g, f in enumerate(files):
        ms, _ = segment(read_document(infer_meta(f)), config=Config(level="coarse"))
        measures.extend(ms)
        groups.extend([g] * len(ms))
    t_seg = time.perf_counter() - t0
    t1 = time.perf_counter()
    keys = [make_key(m.text) for m in measures]
    usable = [i for i, k in enumerate(keys) if len(k.text) >= cfg.min_key_chars]
    keys = [keys[i] for i in usable]
    groups = [groups[i] for i in usable]
    t_keys = time.perf_counter() - t1
    t2 = time.perf_counter()
    cand = candidate_pairs(keys, groups, config=cfg.blocking)
    t_cand = time.perf_counter() - t2
    t3 = time.perf_counter()
    units = clause_units(keys, cfg.blocking.min_clause_chars, whole=False)
    scores = score_pairs(keys, units, cand, local_min_chars=cfg.local_min_chars, explain_from=cfg.threshold)
    above = sorted(p for p, s in scores.items() if s.score >= cfg.threshold)
    t_score = time.perf_counter() - t3
    t4 = time.perf_counter()
    evidence = Grams([k.text for k in keys], cfg.evidence_n).evidence(above)
    kept = sum(1 for p, e in zip(above, evidence)
               if cfg.keeps(score=scores[p].score, whole=scores[p].whole, evidence=float(e)))
    t_ev = time.perf_counter() - t4
    fast = t_keys + t_cand + t_score + t_ev
    bf, n, recall, truth = brute_force(keys, groups, cfg, args.sample, random.Random(7))
    N = len(keys)
    bf_all = bf * (N / n) ** 2
    print(f"files {len(files)}  measures {len(measures):,} (aligned: {N:,})  all pairs {N * (N - 1) // 2:,}")
    print(f"candidate pairs {len(cand):,}  score >= {cfg.threshold:g}: {len(above):,}  "
          f"kept (and evidence >= {cfg.min_evidence:g} or same): {kept:,}")
    print(f"segment {t_seg:.1f}s  keys {t_keys:.1f}s  candidates {t_cand:.1f}s  scoring {t_score:.1f}s  "
          f"evidence {t_ev:.1f}s  align total {fast:.1f}s")
    print(f"brute force on a sample of {n}: {bf:.2f}s -> all {N:,} measures ~{bf_all:,.0f}s "
          f"({bf_all / fast:,.0f}x the blocked run); blocked recall on that sample {recall:.3f} of {truth} pairs")
    print(f"peak memory (max RSS) {rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
