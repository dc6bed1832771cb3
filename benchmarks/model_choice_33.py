"""The thirty-third pair model against the shipped thirty-second, on heldout33 (scored once), by the rule of
``model_choice_31.py``: a newly fitted model replaces the shipped one when, on the pairs of its held-out set that
neither was fitted on, its default weighted F1 is at least the shipped model's. The rule was fixed before the
thirty-third was scored.

    python benchmarks/model_choice_33.py     # about 2 minutes

The thirty-third (``data/pair_model_33.json``) is the recipe of the models since the seventeenth with heldout32
among its rows (``pair_data`` as ``model_choice_8.as_of("heldout33.tsv")`` sets it: heldout33, drawn with the
thirty-second's bands and frozen and labelled before this fit, held out). The thirty-second, shipped, was fitted
on the pools up to heldout31, less the pairs of heldout32. The baseline (TF-IDF character 1–2-gram sentence
cosine, best threshold in hindsight) runs in the same script. What it printed (2026-12-03), weighted:

| heldout33 (765 pairs, 148 true) | default P / R / F1 (pairs) | ``--review`` R | on the 342 pairs neither was fitted on (45 true): default F1 |
|---|---|---|---|
| thirty-third | 0.647 (0.50–0.82) / 0.490 (0.38–0.63) / 0.558 (525) | 0.686 | 0.403 |
| thirty-second, shipped until then | (partly in-sample) 0.903 / 0.573 / 0.701 (496) | 0.765 | 0.397 |
| baseline, best in hindsight | 0.271 / 0.460 / 0.341 (6,597) | | 0.233 |

By the rule the thirty-third replaced the thirty-second: a tie in all but name (0.403 against 0.397, with 45
true pairs), and the rule says "at least". Its own figures over the whole set are lower than any shipped model's
since the eighteenth; the blind check of its default output (README, "Quality") says how much of that is the
set's weighting.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pair_data  # noqa: E402
import pair_quality as Q  # noqa: E402
from model_choice_8 import as_of  # noqa: E402

MODELS = {"thirty-third": Q.model_file(33), "thirty-second": Q.model_file(32)}


def fitted_by(held_out: str) -> set:
    """The pairs a model was fitted on: the training sets of its day (the pools before ``held_out``) less the
    pairs of ``held_out``."""
    pools = pair_data.POOLS[:pair_data.POOLS.index(held_out)] if held_out in pair_data.POOLS else pair_data.POOLS
    return (pair_data.pairs_of(pools + ("align_eval.tsv", "align_holdout.tsv") + pair_data.ACTIVE)
            - pair_data.pairs_of((held_out,)))


def main() -> None:
    as_of("heldout33.tsv")   # the thirty-third's training: heldout32 among the pools, heldout33 held out
    res = Q.evaluate("heldout33", methods=())   # the baseline and the set's groups
    rows = Q.labelled("heldout33")
    y, w = res["y"], res["w"]
    ones = np.ones(len(y))
    for name, path in MODELS.items():
        for kind, cfg in (("default", {}), ("--review", {"review": True})):
            kept, size = Q.kept(cfg, path)
            d = np.asarray([(r.a, r.b) in kept for r in rows])
            res["methods"][f"{name} {kind}"] = {"decisions": d, "pairs": size, "weighted": Q.prf(d, y, w),
                                                "unweighted": Q.prf(d, y, ones)}
    # neither model saw a pair it is compared on: the thirty-third never saw heldout33 (pair_data leaves the
    # held-out set's pairs out of training), and the thirty-second's training is that of heldout32's day
    fitted = fitted_by("heldout32.tsv")
    unseen = np.asarray([frozenset((r.a, r.b)) not in fitted for r in rows])
    print(f"tests/data/heldout33.tsv: {res['n']} pairs, {res['true']} true; {int(unseen.sum())} pairs neither model "
          f"was fitted on ({int(y[unseen].sum())} true)")
    for name, m in sorted(res["methods"].items(), key=lambda kv: kv[0].startswith("baseline")):
        (p, r, f), (up, ur, uf) = m["weighted"], m["unweighted"]
        (p_lo, p_hi), (r_lo, r_hi) = Q.interval(m["decisions"], y, w, res["strata"])
        d = m["decisions"]
        print(f"  {name.split(' (')[0]:24} weighted P {p:.3f} ({p_lo:.2f}-{p_hi:.2f}) R {r:.3f} ({r_lo:.2f}-{r_hi:.2f}) "
              f"F1 {f:.3f}; unweighted {up:.3f} / {ur:.3f}; {m['pairs']} pairs; on the unseen pairs F1 "
              f"{Q.prf(d[unseen], y[unseen], w[unseen])[2]:.3f} (unweighted "
              f"{Q.prf(d[unseen], y[unseen], ones[unseen])[2]:.3f})")
    for gname, mask in res["groups"].items():
        found = {k.split(" (")[0]: int((m["decisions"][mask] & (y[mask] == 1)).sum()) for k, m in res["methods"].items()}
        print(f"  {gname}: {int(y[mask].sum())} true; found " + ", ".join(f"{k} {v}" for k, v in found.items()))
    new, old = (res["methods"][f"{n} default"]["decisions"] for n in MODELS)
    f_new, f_old = (Q.prf(d[unseen], y[unseen], w[unseen])[2] for d in (new, old))
    print(f"rule: thirty-third {f_new:.3f} against the thirty-second {f_old:.3f} on the unseen pairs -> "
          + ("the thirty-third replaces the thirty-second" if f_new >= f_old else "the thirty-second stays"))
    print(f"  (the thirty-second was fitted on {int((~unseen).sum())} of the set's pairs: its figures over the whole "
          "set are partly in-sample)")


if __name__ == "__main__":
    main()
