"""Whether the twenty-sixth model should recalibrate its probability (chosen on heldout21 to heldout25 after
heldout26 was frozen and labelled, before anything was fitted for it; tests/data/PAIRS.md).

    python benchmarks/calibration_26.py            # every set: about 2 minutes each
    python benchmarks/calibration_26.py heldout25  # one set

The question: on the held-out sets the shipped models are overconfident between 0.5 and 0.9 (heldout23 and
heldout24: 46-47% true at 0.50-0.70, 69% at 0.70-0.90; heldout25: 17% at 0.50-0.70). The trees are fitted with
each row weighted ``1 + ln(1 + w / median)`` (``fit_pair_model.fit_weights``), not by its stratum's weight ``w``,
so their probability is not the share of true pairs among the pairs the engine proposes. Only the named pairs
are recalibrated (``named_calibration``). The variant: every other pair too, by a logistic regression of the
labels of the pool rows that are not named on the log-odds of their out-of-fold probabilities, weighted as the
operating points weigh them (Platt scaling; slope positive, so the order of the pairs is kept and the
operating points, chosen on the recalibrated out-of-fold probabilities, move with it).

Each cell: the model shipped for the set (``data/pair_model_N.json``, fitted without heldoutN), its
out-of-fold probabilities recomputed as ``fit_pair_model.py`` computes them on the training sets of its day
(``model_choice_8.as_of``), the logistic regression fitted on those, and both the shipped probability and the
recalibrated one of every usable pair of heldoutN scored against the readers' labels, each pair weighted by its
stratum: the weighted Brier score, the weighted log-loss and the weighted share of true pairs by band.

The rule, written before any cell ran: the recalibration is adopted for the twenty-sixth model if, over
heldout21 to heldout25, its weighted Brier score is lower than the shipped probability's on at least four of the
five sets and lower on average, and its weighted log-loss lower on average. Else the twenty-sixth keeps the
recipe.

Measured on 2026-12-02 (weighted Brier / log-loss, shipped -> recalibrated; the out-of-fold fit z -> a + b z):

| set | fit | Brier | log-loss | share true at 0.5-0.7, shipped -> recalibrated |
|---|---|---|---|---|
| heldout21 | 0.390 + 0.847 z | 0.0006 -> 0.0006 | 0.0027 -> 0.0030 | 0.71 (18 pairs) -> 0.59 (20) |
| heldout22 | 0.388 + 0.853 z | 0.0007 -> 0.0006 | 0.0028 -> 0.0033 | 0.54 (21) -> 0.56 (32) |
| heldout23 | 0.399 + 0.890 z | 0.0005 -> 0.0005 | 0.0020 -> 0.0022 | 0.46 (19) -> 0.35 (17) |
| heldout24 | 0.380 + 0.879 z | 0.0006 -> 0.0006 | 0.0022 -> 0.0026 | 0.47 (26) -> 0.22 (30) |
| heldout25 | 0.343 + 0.872 z | 0.0006 -> 0.0006 | 0.0023 -> 0.0027 | 0.17 (23) -> 0.21 (31) |

Brier lower on 3 of 5 sets (the means equal at four decimals), mean log-loss 0.0024 -> 0.0028: not adopted. The
out-of-fold probabilities are underconfident on the training pools (a positive intercept raises every
probability), while heldout23 to heldout25 are overconfident between 0.5 and 0.9 (heldout21 is not): the
recalibration moves the wrong way there. The held-out sets are drawn by the previous model's bands, around its cutoff, where the next model
is least sure; the training pools, read with the labels of their day, are not the population the next set
comes from. The twenty-sixth keeps the recipe.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import fit_pair_model as F  # noqa: E402
import model_choice_8  # noqa: E402
import pair_data  # noqa: E402
import pair_quality as Q  # noqa: E402
from compare import pairmodel  # noqa: E402
from compare.pairmodel import FEATURES  # noqa: E402

SETS = tuple(f"heldout{n}" for n in range(21, 26))


def platt(p: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """(intercept, slope) of the weighted logistic regression of ``y`` on the log-odds of ``p``."""
    from sklearn.linear_model import LogisticRegression

    fit = LogisticRegression(C=np.inf, max_iter=1000).fit(F.logit(p)[:, None], y, sample_weight=w)
    return float(fit.intercept_[0]), float(fit.coef_[0, 0])


def scores(p: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    q = np.clip(p, 1e-6, 1 - 1e-6)
    brier = float(np.average((p - y) ** 2, weights=w))
    loss = float(np.average(-(y * np.log(q) + (1 - y) * np.log(1 - q)), weights=w))
    return brier, loss


def bands(p: np.ndarray, y: np.ndarray, w: np.ndarray) -> str:
    edges = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0 + 1e-9)
    out = []
    for lo, hi in zip(edges, edges[1:]):
        m = (p >= lo) & (p < hi)
        if m.any():
            out.append(f"{lo:.1f}-{min(hi, 1.0):.1f}: {int(m.sum())} pairs, mean {np.average(p[m], weights=w[m]):.2f}, "
                       f"true {np.average(y[m], weights=w[m]):.2f}")
    return "; ".join(out)


def one(held_out: str) -> tuple[float, float, float, float]:
    n = int(held_out.removeprefix("heldout"))
    model_choice_8.as_of(f"{held_out}.tsv")   # pair_data's and fit_pair_model's pools of that day
    x, y, w, pool, sets = F.training()
    fw = F.fit_weights(w, pool)
    p = np.mean([F.cv_probabilities(F._gb, x, y, seed, sets, sample_weight=fw) for seed in range(3)], axis=0)
    named = x[:, FEATURES.index("named")] > 0
    fit_rows = pool & ~named
    a, b = platt(p[fit_rows], y[fit_rows], w[fit_rows])
    print(f"{held_out}: out-of-fold log-odds z -> {a:.3f} + {b:.3f} z (fitted on {int(fit_rows.sum())} pool rows)")
    path = Q.model_file(n)
    shipped = pairmodel.PairModel.from_json(path.read_bytes())
    rows = Q.labelled(held_out)
    with Q.model(path):
        hx, usable, _ = pair_data.features(rows)
    hy = np.asarray([r.match for r in rows])[usable]
    hw = np.asarray([r.weight for r in rows])[usable]
    hx = hx[usable]
    raw = shipped.probability(hx)
    hnamed = hx[:, FEATURES.index("named")] > 0
    recal = np.where(hnamed, raw, 1 / (1 + np.exp(-(a + b * F.logit(raw)))))
    (b0, l0), (b1, l1) = scores(raw, hy, hw), scores(recal, hy, hw)
    print(f"  shipped:      Brier {b0:.4f}, log-loss {l0:.4f}; {bands(raw, hy, hw)}")
    print(f"  recalibrated: Brier {b1:.4f}, log-loss {l1:.4f}; {bands(recal, hy, hw)}")
    return b0, l0, b1, l1


def main() -> None:
    which = sys.argv[1:] or list(SETS)
    got = [one(s) for s in which]
    if len(got) == len(SETS):
        b0, l0, b1, l1 = (np.asarray(v) for v in zip(*got))
        better = int((b1 < b0).sum())
        adopt = better >= 4 and b1.mean() < b0.mean() and l1.mean() < l0.mean()
        print(f"Brier lower on {better} of {len(SETS)} sets; mean Brier {b0.mean():.4f} -> {b1.mean():.4f}, "
              f"mean log-loss {l0.mean():.4f} -> {l1.mean():.4f}: {'adopted' if adopt else 'not adopted'}")


if __name__ == "__main__":
    main()
