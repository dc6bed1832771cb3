"""How the eighth and ninth pair models' settings were chosen (benchmarks/fit_pair_model.py; README, "The pair
model").

    python benchmarks/model_choice_8.py            # all three parts below, a few minutes
    python benchmarks/model_choice_8.py --part heldout7
    python benchmarks/model_choice_8.py --part cv
    python benchmarks/model_choice_8.py --part grams

1. ``heldout7``: once heldout7 had been scored (with the seventh model), variants were refitted on the
   seventh's training rows (``pair_data`` as it stood then: heldout7 held out and not among the pools) and
   compared on heldout7 (``as_of``): weighted and unweighted average precision, the best weighted F1 over
   cutoffs, on all 705 pairs and on the pairs the sixth model had not been fitted on. heldout8 was drawn by then, but this part
   reads neither its labels nor its places (its pairs' earlier labels are among these training rows, as they
   were for the seventh model).
2. ``cv``: the variants that did well there, cross-validated on the eighth's training rows (heldout8's pairs
   left out, later sets not read): 5-fold with five seeds averaged, and six folds by document combination (the pairs of one
   combination of documents all in one fold). L2 3 was tried here only when the choice was made (its heldout7
   line in part 1 is printed for completeness).
3. ``grams``: a second lift table, over the character 4-grams the two sides share (as the word table is over
   jieba words: ``gram_lift_*``), cross-validated the same way on the eighth's training rows with both tables
   learned inside each fold: not adopted for the eighth model (the word table's larger cross-validated gain
   had not shown on heldout6); adopted for the ninth, with L2 1, before heldout9 was scored.

Nothing here reads heldout8.tsv's labels.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fit_pair_model as F  # noqa: E402
import pair_data  # noqa: E402

from compare.pairmodel import FEATURES, lift_columns, word_lift  # noqa: E402

EIGHTH = list(range(FEATURES.index("lift_min") + 1))   # the eighth model's 32 features (no gram_lift_*)
VARIANTS = {"seventh's settings": {}, "L2 1": {"l2_regularization": 1.0}, "L2 3": {"l2_regularization": 3.0},
            "leaves of 10": {"min_samples_leaf": 10}, "leaves of 40": {"min_samples_leaf": 40},
            "300 trees": {"max_iter": 300}, "400 trees at 0.03": {"max_iter": 400, "learning_rate": 0.03},
            "15 leaves a tree": {"max_leaf_nodes": 15}, "depth 4": {"max_depth": 4}}


def trees(columns: list[int], **settings):
    from sklearn.ensemble import HistGradientBoostingClassifier

    params = {"max_iter": 200, "learning_rate": 0.05, "min_samples_leaf": 20, "random_state": 0, **settings}
    return HistGradientBoostingClassifier(monotonic_cst=[F.MONOTONIC.get(FEATURES[k], 0) for k in columns],
                                          **params)


def as_of(held_out: str) -> None:
    """``pair_data`` as it stood when ``held_out`` was the held-out set: the pools drawn before it, ``held_out``
    left out (later sets are not read)."""
    pools = ("pairs.tsv",) + tuple(f"heldout{k}.tsv" for k in range(2, 44))
    pair_data.POOLS = F.POOLS = pools[:pools.index(held_out)]
    pair_data.TRAINING = pair_data.POOLS + ("align_eval.tsv", "align_holdout.tsv") + pair_data.ACTIVE
    pair_data.HELD_OUT = held_out
    pair_data.rows.cache_clear()


def combination_groups() -> np.ndarray:
    """The document combination (a number) of each usable training row, in ``F.training``'s order."""
    rows = list(pair_data.rows())
    combos = [tuple(sorted((pair_data._group(r.a)[0], pair_data._group(r.b)[0])))
              for r, u in zip(rows, pair_data.features(rows)[1]) if u]
    number = {c: k for k, c in enumerate(sorted(set(combos)))}
    return np.asarray([number[c] for c in combos])


def on_heldout7() -> None:
    from sklearn.metrics import average_precision_score

    import pair_quality as Q

    as_of("heldout7.tsv")
    x, y, _, _, (sets, _) = F.training()
    rows = list(pair_data.stratified("heldout7.tsv"))
    hx, usable, _ = pair_data.features(rows)
    hy = np.asarray([r.match for r in rows])
    hw = np.asarray([r.weight for r in rows])
    hsets = pair_data.shared_words(rows)
    unseen = Q.unseen_by_previous(rows)
    x = x.copy()
    x[:, F.LIFT_COLUMNS] = F.out_of_fold_lift(sets, y, np.arange(len(y)), seed=0)
    hx = hx.copy()
    hx[:, F.LIFT_COLUMNS] = lift_columns(hsets, word_lift(sets, y))
    everything = EIGHTH
    no_table = [k for k in everything if k not in F.LIFT_COLUMNS]
    print(f"heldout7 ({len(rows)} pairs, {int(hy.sum())} true; {int(unseen.sum())} the sixth model was not "
          f"fitted on): refits of the seventh's {len(y)} training rows")
    runs = [("no word table", no_table, {})] + [(name, everything, s) for name, s in VARIANTS.items()]
    for name, columns, settings in runs:
        p = np.where(usable, trees(columns, **settings).fit(x[:, columns], y).predict_proba(hx[:, columns])[:, 1], 0)
        line = []
        for label, m in (("all", np.ones(len(rows), dtype=bool)), ("unseen", unseen)):
            f1, cut = max((Q.prf(p[m] >= c, hy[m], hw[m])[2], c) for c in np.arange(0.05, 0.95, 0.01))
            line.append(f"{label}: weighted AP {average_precision_score(hy[m], p[m], sample_weight=hw[m]):.3f} "
                        f"AP {average_precision_score(hy[m], p[m]):.3f} best weighted F1 {f1:.3f} at {cut:.2f}")
        print(f"  {name:20} " + " | ".join(line))


def cross_validated() -> None:
    from sklearn.metrics import average_precision_score
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    as_of("heldout8.tsv")
    x, y, w, pool, (sets, _) = F.training()
    x = x[:, EIGHTH]
    groups = combination_groups()
    columns = EIGHTH

    def cv(settings: dict, seed: int, split) -> np.ndarray:
        out = np.zeros(len(y))
        for tr, te in split:
            xtr, xte = x[tr].copy(), x[te].copy()
            xtr[:, F.LIFT_COLUMNS] = F.out_of_fold_lift(sets, y, tr, seed + 100)
            xte[:, F.LIFT_COLUMNS] = lift_columns([sets[k] for k in te], word_lift([sets[k] for k in tr], y[tr]))
            out[te] = trees(columns, **settings).fit(xtr, y[tr]).predict_proba(xte)[:, 1]
        return out

    def show(name: str, p: np.ndarray) -> None:
        m = pool
        f1, cut = max((F.f_beta(F.weighted_pr(p[m], y[m], w[m], c), 1), c) for c in np.arange(0.05, 0.95, 0.01))
        print(f"  {name:34} pools: AP {average_precision_score(y[m], p[m]):.3f} weighted AP "
              f"{average_precision_score(y[m], p[m], sample_weight=w[m]):.3f} best weighted F1 {f1:.3f} at {cut:.2f}")

    print(f"cross-validation on the eighth's {len(y)} training rows ({int(y.sum())} true)")
    for name in ("seventh's settings", "L2 1", "leaves of 40", "L2 3"):
        settings = VARIANTS[name]
        show(f"{name}, 5-fold x5 seeds", np.mean(
            [cv(settings, s, list(StratifiedKFold(5, shuffle=True, random_state=s).split(x, y))) for s in range(5)],
            axis=0))
        show(f"{name}, 6 folds by documents", cv(settings, 0, list(GroupKFold(6).split(x, y, groups))))


def gram_table() -> None:
    from sklearn.metrics import average_precision_score
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    as_of("heldout8.tsv")
    x, y, w, pool, sets = F.training()
    groups = combination_groups()

    def cv(columns: list[int], settings: dict, seed: int, split) -> np.ndarray:
        out = np.zeros(len(y))
        for tr, te in split:
            xtr, xte = F.learned_in_fold(x, y, sets, tr, te, seed)
            out[te] = trees(columns, **settings).fit(xtr[:, columns], y[tr]).predict_proba(xte[:, columns])[:, 1]
        return out

    print(f"a 4-gram lift table next to the word table, on the training rows ({len(y)})")
    for label in ("seventh's settings", "L2 1"):
        for name, columns in (("word table only", EIGHTH), ("with the 4-gram table", list(range(len(FEATURES))))):
            for how, p in (("5-fold x5 seeds", np.mean([cv(columns, VARIANTS[label], s, list(StratifiedKFold(
                               5, shuffle=True, random_state=s).split(x, y))) for s in range(5)], axis=0)),
                           ("6 folds by documents", cv(columns, VARIANTS[label], 0,
                                                       list(GroupKFold(6).split(x, y, groups))))):
                m = pool
                print(f"  {label}, {name}, {how:21} pools: AP {average_precision_score(y[m], p[m]):.3f} "
                      f"weighted AP {average_precision_score(y[m], p[m], sample_weight=w[m]):.3f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=["heldout7", "cv", "grams", "all"], default="all")
    args = ap.parse_args()
    if args.part in ("cv", "all"):
        cross_validated()
    if args.part in ("grams", "all"):
        gram_table()
    if args.part in ("heldout7", "all"):
        on_heldout7()


if __name__ == "__main__":
    main()
