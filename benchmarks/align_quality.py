"""Precision, recall and F1 of the aligner and of the TF-IDF sentence baseline on tests/data/align_eval.tsv.

The labelled set is pooled (see benchmarks/build_eval_pool.py): recall is recall of the true pairs in the
pool. The baseline gets its best threshold in hindsight (an oracle, in its favour); the aligner is run with
its defaults and, for reference, over a range of thresholds.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from baseline_tfidf import SentenceTfidf  # noqa: E402

from compare import pipeline  # noqa: E402
from compare.align import AlignConfig  # noqa: E402

EVAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "align_eval.tsv"


def load_eval() -> list[dict]:
    with open(EVAL, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def ref(doc: str, start, end) -> tuple[str, int, int]:
    """A measure by its place in the source (stable when normalisation, and so the content ids, change)."""
    return doc, int(start), int(end)


def key(r: dict) -> tuple:
    return ref(r["doc_a"], r["start_a"], r["end_a"]), ref(r["doc_b"], r["start_b"], r["end_b"])


def prf(pred: set, rows: list[dict]) -> tuple[float, float, float]:
    tp = sum(1 for r in rows if r["match"] == "1" and key(r) in pred)
    fp = sum(1 for r in rows if r["match"] == "0" and key(r) in pred)
    fn = sum(1 for r in rows if r["match"] == "1" and key(r) not in pred)
    p = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    return p, rc, (2 * p * rc / (p + rc) if p + rc else 0.0)


def engine_pairs(threshold: float, docs) -> tuple[set, int]:
    al = pipeline.align_documents(docs, align_config=AlignConfig(threshold=threshold))
    pred = set()
    for p in al.pairs:
        a, b = ref(p.a.doc_id, p.a.start, p.a.end), ref(p.b.doc_id, p.b.start, p.b.end)
        pred.add((a, b))
        pred.add((b, a))
    return pred, len(al.pairs)


def baseline_scores(rows: list[dict], docs) -> dict:
    ms = [m for s in pipeline.segment_all(docs) for m in s.measures]
    index = {ref(m.doc_id, m.start, m.end): i for i, m in enumerate(ms)}
    base = SentenceTfidf([m.text for m in ms])
    return {key(r): base.score(index[key(r)[0]], index[key(r)[1]]) for r in rows}


def main() -> None:
    rows = load_eval()
    docs = pipeline.load(None).documents
    pos = sum(r["match"] == "1" for r in rows)
    print(f"evaluation set: {len(rows)} pairs, {pos} true, {len(rows) - pos} hard negatives")
    default = AlignConfig().threshold
    pred, n = engine_pairs(default, docs)
    p, r, f = prf(pred, rows)
    print(f"aligner (defaults, threshold {default:g}): P {p:.3f} R {r:.3f} F1 {f:.3f}   "
          f"pairs on the bundled corpus: {n}")
    for t in (30, 34, 38, 42, 46, 50, 60, 70):
        pred_t, n_t = engine_pairs(t, docs)
        p, r, f = prf(pred_t, rows)
        print(f"  threshold {t:>3}: P {p:.3f} R {r:.3f} F1 {f:.3f}  pairs {n_t}")
    scores = baseline_scores(rows, docs)
    best = None
    for t in [x / 100 for x in range(10, 100, 2)]:
        pred_b = {k for k, v in scores.items() if v >= t} | {(b, a) for (a, b), v in scores.items() if v >= t}
        p, r, f = prf(pred_b, rows)
        if best is None or f > best[3]:
            best = (t, p, r, f)
    t, p, r, f = best
    print(f"baseline TF-IDF char 1-2-gram sentence cosine, best threshold {t:.2f}: P {p:.3f} R {r:.3f} F1 {f:.3f}")


if __name__ == "__main__":
    main()
