"""The thirty-second pair model against the shipped thirtieth, on heldout32 (scored once), by the rule of
``model_choice_31.py``: a newly fitted model replaces the shipped one when, on the pairs of its held-out set that
neither was fitted on, its default weighted F1 is at least the shipped model's. The rule was fixed before the
thirty-second was scored.

    python benchmarks/model_choice_32.py     # about 5 minutes

The thirty-second (``data/pair_model_32.json``) is the recipe of the models since the seventeenth with heldout30
and heldout31 among its rows (``pair_data`` as ``model_choice_8.as_of("heldout32.tsv")`` sets it: heldout32, drawn
with the thirty-first's bands and frozen and labelled before this fit, held out). The thirtieth, shipped, was fitted on the pools up to heldout29,
less the pairs of heldout30. The baseline (TF-IDF character 1–2-gram sentence cosine, best threshold in
hindsight) runs in the same script. What it printed (2026-12-03), weighted:

| heldout32 (765 pairs, 134 true) | default P / R / F1 (pairs) | ``--review`` R | on the 318 pairs neither was fitted on (33 true): default F1 |
|---|---|---|---|
| thirty-second | 0.803 (0.68–0.92) / 0.504 (0.39–0.62) / 0.619 (496) | 0.777 | 0.774 |
| thirtieth, shipped until then | (partly in-sample) 0.923 / 0.770 / 0.840 (503) | 0.911 | 0.740 |
| baseline, best in hindsight | 0.203 / 0.559 / 0.297 (6,597) | | 0.202 |

The thirty-second replaced the thirtieth, and was itself replaced by the thirty-third (``model_choice_33.py``).
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

THIRTIETH = ("thirtieth pair model (template 8, floor 15)", "thirtieth --review (template 8, floor 15)")


def fitted_by_thirtieth() -> set:
    """The pairs the thirtieth was fitted on: the training sets of its day less the pairs of heldout30."""
    pools = pair_data.POOLS[:pair_data.POOLS.index("heldout30.tsv")]
    return (pair_data.pairs_of(pools + ("align_eval.tsv", "align_holdout.tsv") + pair_data.ACTIVE)
            - pair_data.pairs_of(("heldout30.tsv",)))


def main() -> None:
    as_of("heldout32.tsv")   # the thirty-second's training: heldout30 and heldout31 among the pools, heldout32 held out
    res = Q.evaluate("heldout32", methods=THIRTIETH)
    rows = Q.labelled("heldout32")
    thirty_second = {}
    for kind, cfg in (("pair model", {}), ("--review", {"review": True})):
        kept, size = Q.kept(cfg, Q.model_file(32))
        thirty_second[f"thirty-second {kind}"] = {"decisions": np.asarray([(r.a, r.b) in kept for r in rows]),
                                                  "pairs": size}
    for m in thirty_second.values():
        m["weighted"] = Q.prf(m["decisions"], res["y"], res["w"])
        m["unweighted"] = Q.prf(m["decisions"], res["y"], np.ones(len(rows)))
    res["methods"] = {**thirty_second, **res["methods"]}
    y, w = res["y"], res["w"]
    ones = np.ones(len(y))
    # the thirty-second never saw a heldout32 pair (pair_data leaves the held-out set's pairs out of training)
    fitted = fitted_by_thirtieth()
    unseen = np.asarray([frozenset((r.a, r.b)) not in fitted for r in rows])
    print(f"tests/data/heldout32.tsv: {res['n']} pairs, {res['true']} true; {int(unseen.sum())} pairs neither model "
          f"was fitted on ({int(y[unseen].sum())} true)")
    for name, m in res["methods"].items():
        (p, r, f), (up, ur, uf) = m["weighted"], m["unweighted"]
        (p_lo, p_hi), (r_lo, r_hi) = Q.interval(m["decisions"], y, w, res["strata"])
        d = m["decisions"]
        print(f"  {name.split(' (')[0]:42} weighted P {p:.3f} ({p_lo:.2f}-{p_hi:.2f}) R {r:.3f} ({r_lo:.2f}-{r_hi:.2f}) "
              f"F1 {f:.3f}; unweighted {up:.3f} / {ur:.3f}; {m['pairs']} pairs; on the unseen pairs F1 "
              f"{Q.prf(d[unseen], y[unseen], w[unseen])[2]:.3f} (unweighted "
              f"{Q.prf(d[unseen], y[unseen], ones[unseen])[2]:.3f})")
    for gname, mask in res["groups"].items():
        found = {k.split(" (")[0]: int((m["decisions"][mask] & (y[mask] == 1)).sum()) for k, m in res["methods"].items()}
        print(f"  {gname}: {int(y[mask].sum())} true; found " + ", ".join(f"{k} {v}" for k, v in found.items()))
    new = res["methods"]["thirty-second pair model"]["decisions"]
    old = res["methods"][THIRTIETH[0]]["decisions"]
    f_new = Q.prf(new[unseen], y[unseen], w[unseen])[2]
    f_old = Q.prf(old[unseen], y[unseen], w[unseen])[2]
    print(f"rule: thirty-second {f_new:.3f} against the thirtieth {f_old:.3f} on the unseen pairs -> "
          + ("the thirty-second replaces the thirtieth" if f_new >= f_old else "the thirtieth stays"))
    print(f"  (the thirtieth was fitted on {int((~unseen).sum())} of the set's pairs: its figures over the whole set "
          "are partly in-sample)")


if __name__ == "__main__":
    main()
