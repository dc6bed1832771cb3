"""How the eighth pair model's settings were chosen (benchmarks/fit_pair_model.py; README, "The pair model").

    python benchmarks/model_choice_8.py            # all three parts below, a few minutes
    python benchmarks/model_choice_8.py --part heldout7
    python benchmarks/model_choice_8.py --part cv
    python benchmarks/model_choice_8.py --part grams

1. ``heldout7``: once heldout7 had been scored (with the seventh model), variants were refitted on the
   seventh's training rows (``pair_data`` as it stood then: heldout7 held out and not among the pools) and
   compared on heldout7: weighted and unweighted average precision, the best weighted F1 over cutoffs, on all
   705 pairs and on the pairs the sixth model had not been fitted on. heldout8 was drawn by then, but this part
   reads neither its labels nor its places (its pairs' earlier labels are among these training rows, as they
   were for the seventh model).
2. ``cv``: the variants that did well there, cross-validated on the eighth's training rows (heldout8's pairs
   left out): 5-fold with five seeds averaged, and six folds by document combination (the pairs of one
   combination of documents all in one fold). L2 3 was tried here only when the choice was made (its heldout7
   line in part 1 is printed for completeness).
3. ``grams``: a second lift table, over the character 4-grams the two sides share (as the word table is over
   jieba words), three more columns, cross-validated the same way with both tables learned inside each fold;
   not adopted (README).

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

VARIANTS = {"seventh's settings": {}, "L2 1": {"l2_regularization": 1.0}, "L2 3": {"l2_regularization": 3.0},
            "leaves of 10": {"min_samples_leaf": 10}, "leaves of 40": {"min_samples_leaf": 40},
            "300 trees": {"max_iter": 300}, "400 trees at 0.03": {"max_iter": 400, "learning_rate": 0.03},
            "15 leaves a tree": {"max_leaf_nodes": 15}, "depth 4": {"max_depth": 4}}


def trees(columns: list[int], **settings):
    from sklearn.ensemble import HistGradientBoostingClassifier

    params = {"max_iter": 200, "learning_rate": 0.05, "min_samples_leaf": 20, "random_state": 0, **settings}
    return HistGradientBoostingClassifier(monotonic_cst=[F.MONOTONIC.get(FEATURES[k], 0) for k in columns],
                                          **params)


def _as_of_the_seventh() -> None:
    """``pair_data`` as the seventh model was fitted: heldout7 held out, not a pool."""
    pair_data.POOLS = F.POOLS = tuple(p for p in pair_data.POOLS if p != "heldout7.tsv")
    pair_data.TRAINING = pair_data.POOLS + ("align_eval.tsv", "align_holdout.tsv") + pair_data.ACTIVE
    pair_data.HELD_OUT = "heldout7.tsv"
    pair_data.rows.cache_clear()


def on_heldout7() -> None:
    from sklearn.metrics import average_precision_score

    import pair_quality as Q

    _as_of_the_seventh()
    x, y, _, _, sets = F.training()
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
    everything = list(range(len(FEATURES)))
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

    x, y, w, pool, sets = F.training()
    rows = [r for r, u in zip(pair_data.rows(), pair_data.features(list(pair_data.rows()))[1]) if u]
    combos = [tuple(sorted((pair_data._group(r.a)[0], pair_data._group(r.b)[0]))) for r in rows]
    number = {c: k for k, c in enumerate(sorted(set(combos)))}
    groups = np.asarray([number[c] for c in combos])
    columns = list(range(len(FEATURES)))

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


def shared_grams(n: int = 4) -> list[set[str]]:
    """The character n-grams both keys of each usable training row contain (the rows of ``F.training``)."""
    rows = list(pair_data.rows())
    usable = pair_data.features(rows)[1]
    out: list[set[str]] = [set() for _ in rows]
    for prep, todo in pair_data._located(rows):
        keys = prep.context.texts
        for k, (i, j) in todo:
            out[k] = ({keys[i][s:s + n] for s in range(len(keys[i]) - n + 1)}
                      & {keys[j][s:s + n] for s in range(len(keys[j]) - n + 1)})
    return [g for g, u in zip(out, usable) if u]


def gram_table() -> None:
    from sklearn.metrics import average_precision_score
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    x, y, w, pool, sets = F.training()
    grams = shared_grams()
    rows = [r for r, u in zip(pair_data.rows(), pair_data.features(list(pair_data.rows()))[1]) if u]
    combos = [tuple(sorted((pair_data._group(r.a)[0], pair_data._group(r.b)[0]))) for r in rows]
    number = {c: k for k, c in enumerate(sorted(set(combos)))}
    groups = np.asarray([number[c] for c in combos])

    def cv(with_grams: bool, seed: int, split) -> np.ndarray:
        out = np.zeros(len(y))
        columns = list(range(len(FEATURES) + (3 if with_grams else 0)))
        for tr, te in split:
            xtr, xte = x[tr].copy(), x[te].copy()
            xtr[:, F.LIFT_COLUMNS] = F.out_of_fold_lift(sets, y, tr, seed + 100)
            xte[:, F.LIFT_COLUMNS] = lift_columns([sets[k] for k in te], word_lift([sets[k] for k in tr], y[tr]))
            if with_grams:
                xtr = np.hstack([xtr, F.out_of_fold_lift(grams, y, tr, seed + 200)])
                xte = np.hstack([xte, lift_columns([grams[k] for k in te], word_lift([grams[k] for k in tr], y[tr]))])
            model = trees(columns[:len(FEATURES)]) if not with_grams else None
            if with_grams:
                from sklearn.ensemble import HistGradientBoostingClassifier

                model = HistGradientBoostingClassifier(
                    max_iter=200, learning_rate=0.05, min_samples_leaf=20, random_state=0,
                    monotonic_cst=[F.MONOTONIC.get(f, 0) for f in FEATURES] + [0, 0, 0])
            out[te] = model.fit(xtr, y[tr]).predict_proba(xte)[:, 1]
        return out

    print(f"a 4-gram lift table next to the word table, on the eighth's {len(y)} training rows (seventh's settings)")
    for with_grams in (False, True):
        name = "with the 4-gram table" if with_grams else "word table only"
        for how, p in (("5-fold x5 seeds", np.mean([cv(with_grams, s, list(StratifiedKFold(
                           5, shuffle=True, random_state=s).split(x, y))) for s in range(5)], axis=0)),
                       ("6 folds by documents", cv(with_grams, 0, list(GroupKFold(6).split(x, y, groups))))):
            m = pool
            print(f"  {name}, {how:21} pools: AP {average_precision_score(y[m], p[m]):.3f} weighted AP "
                  f"{average_precision_score(y[m], p[m], sample_weight=w[m]):.3f}")


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
