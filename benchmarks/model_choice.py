"""The champion and the challenger (``model_choice_31.py``'s rule): a newly fitted pair model against the shipped
one on the new model's held-out set, scored once. Used by ``model_choice_32.py`` and later.

The new model never saw a pair of its held-out set (``pair_data`` leaves them out of its training); the shipped
one was fitted on the training sets of its own day less its own held-out set's pairs (``fitted_by``). The rule
compares the two on the pairs neither was fitted on: the new model replaces the shipped one when its default
weighted F1 there is at least the shipped model's. The baseline (TF-IDF character 1–2-gram sentence cosine, best
threshold in hindsight) runs in the same call. ``challenge(new, shipped)`` is the whole comparison of the n-th
model against the shipped one: each ``model_choice_N.py`` calls it and keeps, in its docstring, what it printed.

Second step, since the thirty-sixth (2026-12-03; written after the thirty-sixth's lawref figures were seen, which
``model_choice_36.py`` says): a challenger that wins the first step is also judged on lawref, documents that
neither model's learned tables have seen. ``lawref_models.py draw DIR --models SHIPPED,NEW`` draws 80 pairs of a
10% sample where the two differ and where they agree; two readers who see only the texts label them; the
challenger ships only if its weighted F1 there (``lawref_models.py score``) is not lower than the shipped model's
by 0.05 or more by each reader's labels. Without lawref the second step cannot run, and the shipped model stays.
The step guards against large losses such as the thirty-sixth's (0.18 in F1): with 20 pairs a stratum its own
sampling error is larger than 0.05 (the thirty-fourth's precision came out 0.36 in one draw and 0.25 in the next).
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # the package, when run from a checkout

import pair_data  # noqa: E402
import pair_quality as Q  # noqa: E402


def fitted_by(held_out: str) -> set:
    """The pairs a model was fitted on: the training sets of its day (the pools before its held-out set
    ``held_out``) less the pairs of ``held_out``."""
    pools = pair_data.POOLS[:pair_data.POOLS.index(held_out)] if held_out in pair_data.POOLS else pair_data.POOLS
    return (pair_data.pairs_of(pools + ("align_eval.tsv", "align_holdout.tsv") + pair_data.ACTIVE)
            - pair_data.pairs_of((held_out,)))


def compare(held_out: str, new: tuple[str, Path], shipped: tuple[str, Path], shipped_held_out: str) -> bool:
    """Print both models' default and ``--review`` figures on the labelled set ``held_out`` (whole, and on the
    pairs neither was fitted on), the baseline's, the recall of Beijing ↔ Chongqing and done ↔ planned pairs, and
    the rule's verdict, with a 95% interval of the difference of the two F1 (a stratified bootstrap of the unseen
    pairs, both models on each replicate). ``new``, ``shipped``: (name, model file); ``pair_data`` must stand as the
    new model was fitted (``model_choice_8.as_of``). True when the new model wins this first step."""
    res = Q.evaluate(held_out, methods=())   # the baseline and the set's groups
    rows = Q.labelled(held_out)
    y, w = res["y"], res["w"]
    ones = np.ones(len(y))
    for name, path in (new, shipped):
        for kind, cfg in (("default", {}), ("--review", {"review": True})):
            kept, size = Q.kept(cfg, path)
            d = np.asarray([(r.a, r.b) in kept for r in rows])
            res["methods"][f"{name} {kind}"] = {"decisions": d, "pairs": size, "weighted": Q.prf(d, y, w),
                                                "unweighted": Q.prf(d, y, ones)}
    fitted = fitted_by(shipped_held_out)
    unseen = np.asarray([frozenset((r.a, r.b)) not in fitted for r in rows])
    print(f"tests/data/{held_out}.tsv: {res['n']} pairs, {res['true']} true; {int(unseen.sum())} pairs neither model "
          f"was fitted on ({int(y[unseen].sum())} true)")
    for name, m in sorted(res["methods"].items(), key=lambda kv: kv[0].startswith("baseline")):
        (p, r, f), (up, ur, _) = m["weighted"], m["unweighted"]
        (p_lo, p_hi), (r_lo, r_hi) = Q.interval(m["decisions"], y, w, res["strata"])
        d = m["decisions"]
        print(f"  {name.split(' (')[0]:24} weighted P {p:.3f} ({p_lo:.2f}-{p_hi:.2f}) R {r:.3f} ({r_lo:.2f}-{r_hi:.2f}) "
              f"F1 {f:.3f}; unweighted {up:.3f} / {ur:.3f}; {m['pairs']} pairs; on the unseen pairs F1 "
              f"{Q.prf(d[unseen], y[unseen], w[unseen])[2]:.3f} (unweighted "
              f"{Q.prf(d[unseen], y[unseen], ones[unseen])[2]:.3f})")
    for gname, mask in res["groups"].items():
        found = {k.split(" (")[0]: int((m["decisions"][mask] & (y[mask] == 1)).sum()) for k, m in res["methods"].items()}
        print(f"  {gname}: {int(y[mask].sum())} true; found " + ", ".join(f"{k} {v}" for k, v in found.items()))
    f_new, f_old = (Q.prf(res["methods"][f"{n} default"]["decisions"][unseen], y[unseen], w[unseen])[2]
                    for n, _ in (new, shipped))
    lo, hi = f1_difference(res["methods"][f"{new[0]} default"]["decisions"][unseen],
                           res["methods"][f"{shipped[0]} default"]["decisions"][unseen], y[unseen], w[unseen],
                           [s for s, u in zip(res["strata"], unseen) if u])
    print(f"rule: {new[0]} {f_new:.3f} against the {shipped[0]} {f_old:.3f} on the unseen pairs (difference "
          f"{f_new - f_old:+.3f}, 95% {lo:+.3f} to {hi:+.3f}) -> "
          + (f"the {new[0]} wins the first step" if f_new >= f_old else f"the {shipped[0]} stays"))
    print(f"  (the {shipped[0]} was fitted on {int((~unseen).sum())} of the set's pairs: its figures over the whole "
          "set are partly in-sample)")
    return f_new >= f_old


def f1_difference(new: np.ndarray, old: np.ndarray, y: np.ndarray, w: np.ndarray, strata: list, *,
                  draws: int = 2000, seed: int = 0) -> tuple[float, float]:
    """A 95% interval of the weighted F1 of the decisions ``new`` less that of ``old`` on the same pairs: each
    stratum's pairs resampled with replacement (their weights kept, ``pair_quality.replicates``), both F1 on every
    replicate."""
    diffs = [Q.prf(new[pick], y[pick], w[pick])[2] - Q.prf(old[pick], y[pick], w[pick])[2]
             for pick in Q.replicates(strata, draws=draws, seed=seed)]
    lo, hi = np.percentile(diffs, [2.5, 97.5])
    return float(lo), float(hi)


def challenge(new: int, shipped: int) -> None:
    """The ``new``-th pair model (``benchmarks/data/pair_model_<new>.json``) against the ``shipped``-th on the new
    one's held-out set, heldout<new>, with ``pair_data`` as the new one was fitted (``model_choice_8.as_of``: its
    held-out set left out); the shipped one's own held-out set says which pairs it was fitted on."""
    from model_choice_8 import as_of

    name = dict(Q.LATER_MODELS)
    as_of(f"heldout{new}.tsv")
    if compare(f"heldout{new}", (name[new], Q.model_file(new)), (name[shipped], Q.model_file(shipped)),
               f"heldout{shipped}.tsv"):
        lawref_sizes(shipped, new)


def lawref_sizes(shipped: int, new: int) -> None:
    """For the second step: how many pairs each model keeps by default on the 10% sample of lawref that
    ``lawref_models.py draw --models SHIPPED,NEW`` draws from (a model that keeps far more there than the shipped
    one has, so far, kept them at a lower precision: the thirty-sixth)."""
    from lawref_models import LAWREF, aligned

    if not LAWREF.is_dir():
        print(f"lawref not found at {LAWREF}: the second step (lawref_models.py) cannot run")
        return
    name = dict(Q.LATER_MODELS)
    old, young = aligned(models=(shipped, new))
    both = len(old.keys() & young.keys())
    print(f"lawref, 10% sample: the {name[shipped]} keeps {len(old)} pairs, the {name[new]} {len(young)} ({both} in "
          f"common); the second step: lawref_models.py draw DIR --models {shipped},{new}, two blind readers")
