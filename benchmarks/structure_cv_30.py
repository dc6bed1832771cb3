"""Does a measure's place among the others say whether a pair is the same measure? Two structural signals tried
for the thirtieth pair model, on its training rows (heldout30, its held-out set, not read):

    python benchmarks/structure_cv_30.py                    # both parts, about 10 minutes on two cores
    python benchmarks/structure_cv_30.py --part neighbours
    python benchmarks/structure_cv_30.py --part triangle

1. ``neighbours``: a progress report often follows its plan item by item, so when the measures just before and
   after a pair's two sides (the same distance away, each in its own (sub-)document) share specific wording,
   the pair itself is likelier to be a counterpart even when its own wording is generic. Six columns per pair,
   from the pair model's features of the neighbouring pairs (i+d, j+d), d = ±1 and ±2: the largest
   ``specific`` and ``clause`` at d = ±1; the largest ``top_min`` of a ±1 neighbour that is each side's best
   counterpart (``rank_max`` 0); the largest ``specific`` at d = ±2; how many of the four neighbours are each
   other's best counterpart; the mean ``word_cosine`` at d = ±1.
2. ``triangle``: an instrument that appears in three documents links them two by two, so a pair whose sides
   each share specific wording with one measure of a third (sub-)document may be a counterpart though the two
   were reworded apart. Four columns: over the measures k of other (sub-)documents, the largest
   min(specific(i, k), specific(k, j)); the same with each side's specific wording over its own best; how many
   k reach half of both sides' best; in how many (sub-)documents.

No label is read to compute either. The test: the shipped recipe's trees (``fit_pair_model``: 200 trees, L2 1,
the fit weights, the lift tables learned inside each fold) with and without the columns, 5-fold x3 seeds and
six folds by document combination, scored on the stratified pools (weighted as the held-out sets are).
Measured on 2026-12-03 (10,162 usable rows, 586 true):

| | 5-fold x3: AP / weighted AP / best weighted F1 | by document combination |
|---|---|---|
| recipe | 0.746 / 0.699 / 0.649 | 0.604 / 0.489 / 0.514 |
| + neighbours | 0.745 / 0.695 / 0.651 | 0.591 / 0.470 / 0.472 |
| + triangle | 0.745 / 0.698 / 0.648 | 0.603 / 0.492 / 0.512 |

No gain from either (the neighbours lower on folds by document combination, where the columns would have to
generalise to documents not seen): neither is adopted. Items of a plan and paragraphs of a report are not in
the same order often enough, and a pair that a third measure links already shares the wording that links it.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import fit_pair_model as F  # noqa: E402
import pair_data  # noqa: E402
from model_choice_8 import combination_groups  # noqa: E402

from compare.align import pair_features, score_pairs  # noqa: E402
from compare.pairmodel import FEATURES  # noqa: E402

STEPS = (-2, -1, 1, 2)


def neighbour_columns(rows: list) -> np.ndarray:
    """The six columns of part 1 for each row (``pair_data.Row``, in order)."""
    spec, clause, top, rank, cos = (FEATURES.index(f) for f in ("specific", "clause", "top_min", "rank_max",
                                                                "word_cosine"))
    out = np.zeros((len(rows), 6))
    for prep, todo in pair_data._located(rows):
        g, n = prep.groups, len(prep.groups)
        want: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for k, (i, j) in todo:
            for d in STEPS:
                a, b = i + d, j + d
                if 0 <= a < n and 0 <= b < n and a != b and g[a] == g[i] and g[b] == g[j]:
                    want.setdefault(tuple(sorted((a, b))), []).append((k, abs(d)))
        pairs = sorted(want)
        scores = score_pairs(prep.keys, prep.units, set(pairs), local_min_chars=prep.config.local_min_chars)
        for p, f in zip(pairs, pair_features(prep, pairs, scores)):
            best = f[rank] == 0
            for k, d in want[p]:
                if d == 1:
                    out[k, 0] = max(out[k, 0], f[spec])
                    out[k, 1] = max(out[k, 1], f[clause])
                    out[k, 2] = max(out[k, 2], f[top] if best else 0.0)
                    out[k, 5] += f[cos] / 2
                out[k, 3] = max(out[k, 3], f[spec])
                out[k, 4] += best
    return out


def triangle_columns(rows: list) -> np.ndarray:
    """The four columns of part 2 for each row (``pair_data.Row``, in order)."""
    from scipy import sparse

    from compare import kernels
    from compare.align import specific_codes

    out = np.zeros((len(rows), 4))
    for prep, todo in pair_data._located(rows):
        n, g = len(prep.keys), np.asarray(prep.groups)
        codes = specific_codes(prep.context, prep.groups, n=n)
        a, b = codes // n, codes % n
        spec = np.asarray(kernels.shared_wording(prep.context, a, b)[1], dtype=float)
        s = sparse.coo_matrix((np.r_[spec, spec], (np.r_[a, b], np.r_[b, a])), shape=(n, n)).tocsr()
        best = np.asarray(s.max(axis=1).todense()).ravel()
        best[best == 0] = 1.0
        for k, (i, j) in todo:
            to_j = dict(zip(s.indices[s.indptr[j]:s.indptr[j + 1]], s.data[s.indptr[j]:s.indptr[j + 1]]))
            raw = share = 0.0
            many, docs = 0, set()
            for m, si in zip(s.indices[s.indptr[i]:s.indptr[i + 1]], s.data[s.indptr[i]:s.indptr[i + 1]]):
                sj = to_j.get(m)
                if sj is None or g[m] in (g[i], g[j]):
                    continue
                raw, both = max(raw, min(si, sj)), min(si / best[i], sj / best[j])
                share = max(share, both)
                if both >= 0.5:
                    many += 1
                    docs.add(int(g[m]))
            out[k] = (raw, share, many, len(docs))
    return out


def main() -> None:
    import argparse

    from sklearn.metrics import average_precision_score
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=("neighbours", "triangle"), action="append")
    parts = ap.parse_args().part or ["neighbours", "triangle"]
    x, y, w, pool, sets, rows = F.training(with_rows=True)
    groups = combination_groups()
    fit_w = F.fit_weights(w, pool)

    def show(name: str, p: np.ndarray) -> None:
        f1 = max(F.f_beta(F.weighted_pr(p[pool], y[pool], w[pool], c), 1) for c in np.arange(0.05, 0.95, 0.01))
        print(f"  {name:32} AP {average_precision_score(y[pool], p[pool]):.3f} weighted AP "
              f"{average_precision_score(y[pool], p[pool], sample_weight=w[pool]):.3f} best weighted F1 {f1:.3f}",
              flush=True)

    variants = [("recipe", x)]
    variants += [("+ neighbours", np.hstack([x, neighbour_columns(list(rows))]))] if "neighbours" in parts else []
    variants += [("+ triangle", np.hstack([x, triangle_columns(list(rows))]))] if "triangle" in parts else []
    for name, xx in variants:
        def make(extra=xx.shape[1] - len(FEATURES)):
            return F._gb(extra)
        show(f"{name}, 5-fold x3", np.mean([F.cv_probabilities(
            make, xx, y, seed=s, sets=sets, sample_weight=fit_w,
            split=list(StratifiedKFold(5, shuffle=True, random_state=s).split(xx, y))) for s in range(3)], axis=0))
        show(f"{name}, by documents", F.cv_probabilities(make, xx, y, sets=sets, sample_weight=fit_w,
                                                         split=list(GroupKFold(6).split(xx, y, groups))))


if __name__ == "__main__":
    main()
