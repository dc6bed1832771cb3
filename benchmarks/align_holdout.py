"""Since 2026-11-29 this measures the rule-based aligner (score threshold and evidence rule, no pair model:
its labelled sets are the model's training data); the pair model is measured by benchmarks/pair_quality.py.

The aligner and the TF-IDF sentence baseline on the held-out pairs of tests/data/align_holdout.tsv.

The pairs were drawn after the aligner's defaults were fixed (``build_holdout_pool.py``), in four strata by
the two systems' decisions (both keep, aligner only, baseline only, neither), and labelled by readers who
saw only the texts. Each pair stands for ``stratum_size / drawn`` pairs of its stratum, so the weighted
counts estimate precision, recall and F1 over the whole population (pairs either system could plausibly
propose; recall is recall within it). The baseline runs at 0.36, its best threshold on align_eval.tsv, and
also at its best threshold on these pairs in hindsight. A stratified bootstrap (2,000 resamples, fixed seed)
gives a 95% interval for the difference in F1.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from align_quality import aligned, baseline_scores, key  # noqa: E402
from build_holdout_pool import BASELINE_THRESHOLD  # noqa: E402

from compare import pipeline  # noqa: E402
from compare.align import AlignConfig  # noqa: E402
from compare.gold import read_tsv  # noqa: E402

HOLDOUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "align_holdout.tsv"


def weighted_prf(rows: list[dict], decide) -> tuple[float, float, float]:
    tp = fp = fn = 0.0
    for r in rows:
        w = int(r["stratum_size"]) / int(r["drawn"])
        said, truth = decide(r), r["match"] == "1"
        tp += w * (said and truth)
        fp += w * (said and not truth)
        fn += w * (truth and not said)
    p = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    return p, rc, (2 * p * rc / (p + rc) if p + rc else 0.0)


def main() -> None:
    rows = read_tsv(HOLDOUT)
    docs = pipeline.load(None).documents
    kept = aligned(pipeline.align_documents(docs, align_config=AlignConfig(use_model=False, min_evidence=3.0)))
    bscore = baseline_scores(rows, docs)
    strata = sorted({r["stratum"] for r in rows})
    pos = sum(r["match"] == "1" for r in rows)
    print(f"held-out pairs: {len(rows)} labelled ({pos} true), standing for "
          f"{sum(int(s) for s in {r['stratum']: r['stratum_size'] for r in rows}.values()):,} pairs")
    for s in strata:
        sub = [r for r in rows if r["stratum"] == s]
        print(f"  stratum {s:14s} size {sub[0]['stratum_size']:>5}  drawn {len(sub):>3}  "
              f"true {sum(r['match'] == '1' for r in sub):>3}")

    def ours(r):
        return key(r) in kept

    def baseline_at(t):
        return lambda r: bscore[key(r)] >= t

    results = {"aligner (defaults)": weighted_prf(rows, ours),
               f"baseline at {BASELINE_THRESHOLD}": weighted_prf(rows, baseline_at(BASELINE_THRESHOLD))}
    best_t = max((x / 100 for x in range(10, 100)), key=lambda t: weighted_prf(rows, baseline_at(t))[2])
    results[f"baseline at {best_t:.2f} (best in hindsight)"] = weighted_prf(rows, baseline_at(best_t))
    for name, (p, r, f) in results.items():
        print(f"{name:40s} P {p:.3f} R {r:.3f} F1 {f:.3f}   (weighted by stratum)")
    rng = random.Random(20261122)
    by = {s: [r for r in rows if r["stratum"] == s] for s in strata}
    diffs = []
    for _ in range(2000):
        sample = [rng.choice(by[s]) for s in strata for _ in by[s]]
        diffs.append(weighted_prf(sample, ours)[2] - weighted_prf(sample, baseline_at(BASELINE_THRESHOLD))[2])
    diffs.sort()
    lo, hi = diffs[int(0.025 * len(diffs))], diffs[int(0.975 * len(diffs)) - 1]
    gap = results["aligner (defaults)"][2] - results[f"baseline at {BASELINE_THRESHOLD}"][2]
    print(f"F1 aligner - baseline at {BASELINE_THRESHOLD}: {gap:+.3f} (95% bootstrap interval {lo:+.3f} to {hi:+.3f})")


if __name__ == "__main__":
    main()
