"""Do the six rank features (``pairmodel.rival_columns``) help? Cross-validation on the training rows only
(``pair_data.rows()``: never a heldout4 pair), the shipped model's settings with and without them.

    python benchmarks/rank_features_cv.py [--seeds 0-4]

Prints, for each set of features: the average precision over all training rows (5-fold, the probabilities
averaged over the seeds), and the AUC on the low-probability strata of heldout2 (``p0.1-0.32``, ``p<0.1``,
``baseline``) and heldout3 (``p0.03-0.2``, ``p0.01-0.03``, ``p<0.01``, ``baseline``), where the true pairs
that carry most of the weighted recall lie.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pair_data  # noqa: E402
from fit_pair_model import _gb, training  # noqa: E402

from compare.pairmodel import FEATURES, GRAM_LIFT, LIFT  # noqa: E402

RANK = ("rank_min", "rank_max", "top_min", "top_max", "rivals_min", "rivals_max")
LOW = {"heldout2.tsv": ("p0.1-0.32", "p<0.1", "baseline"),
       "heldout3.tsv": ("p0.03-0.2", "p0.01-0.03", "p<0.01", "baseline")}


def main() -> None:
    from sklearn.metrics import average_precision_score, roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="0-4", help="first-last seed of the 5-fold splits")
    args = ap.parse_args()
    first, last = (int(v) for v in args.seeds.split("-"))
    x, y, _, _, _ = training()
    rows = [r for r in pair_data.rows()]
    usable = pair_data.features(rows)[1]
    rows = [r for r, u in zip(rows, usable) if u]
    source = np.asarray([r.source for r in rows])
    band = np.asarray([r.band for r in rows])
    # the features of the day (the learned tables' came later)
    without = [k for k, f in enumerate(FEATURES) if f not in RANK + LIFT + GRAM_LIFT]
    with_rank = [k for k, f in enumerate(FEATURES) if f not in LIFT + GRAM_LIFT]
    for name, cols in (("without the rank features", without), ("with them", with_rank)):
        p = np.zeros(len(y))
        for seed in range(first, last + 1):
            for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed).split(x, y):
                model = _gb()
                model.set_params(monotonic_cst=[model.monotonic_cst[k] for k in cols])
                p[te] += model.fit(x[tr][:, cols], y[tr]).predict_proba(x[te][:, cols])[:, 1]
        p /= last - first + 1
        low = []
        for pool, bands in LOW.items():
            m = (source == pool) & np.isin(band, bands)
            low.append(f"{pool} low strata AUC {roc_auc_score(y[m], p[m]):.3f} ({int(y[m].sum())} true of {m.sum()})")
        print(f"{name:26} average precision {average_precision_score(y, p):.3f}; " + "; ".join(low))


if __name__ == "__main__":
    main()
