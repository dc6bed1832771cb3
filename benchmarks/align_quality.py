"""Since 2026-11-29 this measures the rule-based aligner (score threshold and evidence rule, no pair model:
its labelled sets are the model's training data); the pair model is measured by benchmarks/pair_quality.py.

Precision, recall and F1 of the aligner and of the TF-IDF sentence baseline on tests/data/align_eval.tsv.

The labelled set is pooled (see benchmarks/build_eval_pool.py): recall is recall of the true pairs in the
pool. Three comparisons:

1. the aligner with its defaults (blocking included) against the baseline at its best threshold in
   hindsight (an oracle, in the baseline's favour);
2. the aligner over a range of thresholds (the output size it gives on the bundled corpus);
3. five times 5-fold cross-validation: the aligner's two settings (threshold, min_evidence) and the
   baseline's threshold are chosen on four folds and scored on the fifth. The defaults were chosen on this
   set, so this is the estimate to quote for unseen pairs.
"""
from __future__ import annotations

import sys
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from baseline_tfidf import SentenceTfidf  # noqa: E402

from compare import pipeline  # noqa: E402
from compare.align import AlignConfig, Grams, score_pairs  # noqa: E402
from compare.candidates import clause_units  # noqa: E402
from compare.gold import read_tsv  # noqa: E402
from compare.keys import make_key  # noqa: E402

EVAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "align_eval.tsv"


def load_eval() -> list[dict]:
    return read_tsv(EVAL)


def ref(doc: str, start, end) -> tuple[str, int, int]:
    """A measure by its place in the source (stable when normalisation, and so the content ids, change)."""
    return doc, int(start), int(end)


@lru_cache(maxsize=1)
def _segments() -> dict[str, list[tuple[int, int]]]:
    """(start, end) of every coarse segment of the bundled corpus, by document."""
    out: dict[str, list[tuple[int, int]]] = {}
    for s in pipeline.segment_all(pipeline.load(None).documents):
        out[s.document.id] = sorted((m.start, m.end) for m in s.measures)
    return out


@lru_cache(maxsize=None)
def locate(doc: str, start: int, end: int) -> tuple[str, int, int]:
    """The current coarse segment that covers most of a labelled measure's source span.

    The labels were made on an earlier segmentation; a later one may cut the same text differently (a
    heading or a preamble became a segment of its own), so each labelled span is matched to the segment
    that holds most of it."""
    best, best_n = None, 0
    for s, e in _segments()[doc]:
        n = min(e, end) - max(s, start)
        if n > best_n:
            best, best_n = (s, e), n
    if best is None:
        raise KeyError((doc, start, end))
    return doc, best[0], best[1]


def key(r: dict) -> tuple:
    return (locate(r["doc_a"], int(r["start_a"]), int(r["end_a"])),
            locate(r["doc_b"], int(r["start_b"]), int(r["end_b"])))


def prf(pred: set, rows: list[dict]) -> tuple[float, float, float]:
    tp = sum(1 for r in rows if r["match"] == "1" and key(r) in pred)
    fp = sum(1 for r in rows if r["match"] == "0" and key(r) in pred)
    fn = sum(1 for r in rows if r["match"] == "1" and key(r) not in pred)
    p = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    return p, rc, (2 * p * rc / (p + rc) if p + rc else 0.0)


def aligned(alignment) -> set:
    """The pairs of an alignment as (measure, measure) places, in both orders."""
    pred = set()
    for p in alignment.pairs:
        a, b = ref(p.a.doc_id, p.a.start, p.a.end), ref(p.b.doc_id, p.b.start, p.b.end)
        pred |= {(a, b), (b, a)}
    return pred


def engine_pairs(threshold: float, docs) -> tuple[set, int]:
    al = pipeline.align_documents(docs, align_config=AlignConfig(use_model=False, min_evidence=3.0, threshold=threshold))
    return aligned(al), len(al.pairs)


def baseline_best(scores: dict, rows: list[dict]) -> tuple[float, float, float, float]:
    """(threshold, P, R, F1) of the baseline at its best threshold on ``rows``, in hindsight."""
    best = None
    for t in [x / 100 for x in range(10, 100, 2)]:
        p, r, f = prf(predicted(rows, lambda k: scores[k] >= t), rows)
        if best is None or f > best[3]:
            best = (t, p, r, f)
    return best


def baseline_scores(rows: list[dict], docs) -> dict:
    ms = [m for s in pipeline.segment_all(docs) for m in s.measures]
    index = {ref(m.doc_id, m.start, m.end): i for i, m in enumerate(ms)}
    base = SentenceTfidf([m.text for m in ms])
    return {key(r): base.score(index[key(r)[0]], index[key(r)[1]]) for r in rows}


def engine_features(rows: list[dict], docs) -> dict:
    """(score, whole, evidence) of every labelled pair, computed as ``align`` does but without blocking."""
    cfg = AlignConfig(use_model=False, min_evidence=3.0)
    ms = [m for s in pipeline.segment_all(docs) for m in s.measures]
    keys = [make_key(m.text) for m in ms]
    keep = [i for i, k in enumerate(keys) if len(k.text) >= cfg.min_key_chars]
    ms, keys = [ms[i] for i in keep], [keys[i] for i in keep]
    index = {ref(m.doc_id, m.start, m.end): i for i, m in enumerate(ms)}
    pairs = sorted({tuple(sorted((index[key(r)[0]], index[key(r)[1]]))) for r in rows})
    scores = score_pairs(keys, clause_units(keys, cfg.blocking.min_clause_chars, whole=False), set(pairs),
                         local_min_chars=cfg.local_min_chars)
    ev = dict(zip(pairs, Grams([k.text for k in keys], cfg.evidence_n).evidence(pairs).tolist()))
    out = {}
    for r in rows:
        p = tuple(sorted((index[key(r)[0]], index[key(r)[1]])))
        out[key(r)] = (scores[p].score, scores[p].whole, ev[p])
    return out


def folds(rows: list[dict], k: int, seed: int) -> list[int]:
    """Stratified fold of each row (a fixed permutation per seed)."""
    import random

    rng = random.Random(seed)
    fold = [0] * len(rows)
    for label in ("0", "1"):
        idx = [i for i, r in enumerate(rows) if r["match"] == label]
        rng.shuffle(idx)
        for n, i in enumerate(idx):
            fold[i] = n % k
    return fold


def predicted(rows: list[dict], rule) -> set:
    out = set()
    for r in rows:
        if rule(key(r)):
            out |= {key(r), key(r)[::-1]}
    return out


def cross_validate(rows: list[dict], grid: list, rule_for, fold_sets: list[list[int]]) -> float:
    """Mean F1 over the fold assignments in ``fold_sets``: each fold's rule is the grid point best on the
    other folds (ties: the smallest grid point), scored on the fold."""
    f1s = []
    for fold in fold_sets:
        pred: set = set()  # each fold's predictions for its own rows (the folds partition the rows)
        for f in sorted(set(fold)):
            train = [r for r, g in zip(rows, fold) if g != f]
            test = [r for r, g in zip(rows, fold) if g == f]
            best = max(grid, key=lambda g: (prf(predicted(train, rule_for(g)), train)[2], [-x for x in g]
                                            if isinstance(g, tuple) else -g))
            pred |= predicted(test, rule_for(best))
        f1s.append(prf(pred, rows)[2])
    return sum(f1s) / len(f1s)


def combination_folds(rows: list[dict]) -> list[int]:
    """One fold per document combination (Haidian × compilation, npc × progress report…)."""
    combos = sorted({tuple(sorted((r["doc_a"], r["doc_b"]))) for r in rows})
    return [combos.index(tuple(sorted((r["doc_a"], r["doc_b"])))) for r in rows]


def main() -> None:
    rows = load_eval()
    docs = pipeline.load(None).documents
    pos = sum(r["match"] == "1" for r in rows)
    print(f"evaluation set: {len(rows)} pairs, {pos} true, {len(rows) - pos} hard negatives")
    default = AlignConfig(use_model=False, min_evidence=3.0).threshold
    pred, n = engine_pairs(default, docs)
    p, r, f = prf(pred, rows)
    print(f"aligner (defaults, threshold {default:g}): P {p:.3f} R {r:.3f} F1 {f:.3f}   "
          f"pairs on the bundled corpus: {n}")
    for t in (30, 34, 38, 42, 46, 50, 60, 70):
        pred_t, n_t = engine_pairs(t, docs)
        p, r, f = prf(pred_t, rows)
        print(f"  threshold {t:>3}: P {p:.3f} R {r:.3f} F1 {f:.3f}  pairs {n_t}")
    scores = baseline_scores(rows, docs)
    t, p, r, f = baseline_best(scores, rows)
    print(f"baseline TF-IDF char 1-2-gram sentence cosine, best threshold {t:.2f}: P {p:.3f} R {r:.3f} F1 {f:.3f}")
    feats = engine_features(rows, docs)
    cfg = AlignConfig(use_model=False, min_evidence=3.0)
    p, r, f = prf(predicted(rows, lambda k: cfg.keeps(score=feats[k][0], whole=feats[k][1],
                                                      evidence=feats[k][2])), rows)
    print(f"aligner rule on the labelled pairs without blocking: P {p:.3f} R {r:.3f} F1 {f:.3f}")
    p, r, f = prf(predicted(rows, lambda k: feats[k][0] >= cfg.threshold), rows)
    print(f"  without the evidence rule (min_evidence 0): P {p:.3f} R {r:.3f} F1 {f:.3f}")
    grid = [(t, e / 4) for t in range(26, 51) for e in range(0, 25)]

    def engine_rule(g):
        c = replace(cfg, threshold=float(g[0]), min_evidence=g[1])
        return lambda k: c.keeps(score=feats[k][0], whole=feats[k][1], evidence=feats[k][2])

    base_grid = [x / 100 for x in range(10, 100)]

    def base_rule(t):
        return lambda k: scores[k] >= t

    for name, fold_sets in (("5 x 5-fold", [folds(rows, 5, seed) for seed in range(5)]),
                            ("leave-one-document-combination-out", [combination_folds(rows)])):
        cv_engine = cross_validate(rows, grid, engine_rule, fold_sets)
        cv_base = cross_validate(rows, base_grid, base_rule, fold_sets)
        print(f"{name} cross-validated F1 (settings chosen on the other folds): aligner {cv_engine:.3f}, "
              f"baseline {cv_base:.3f}")


if __name__ == "__main__":
    main()
