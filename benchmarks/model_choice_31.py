"""The thirty-first pair model: fitted, scored once on its held-out set, and not shipped (2026-12-03).

    python benchmarks/model_choice_31.py     # about 5 minutes: the two models on heldout31

The thirty-first (``data/pair_model_31.json``, d46318b4abf86627, cutoff 0.56, review 0.01) is the recipe of the
models since the seventeenth with heldout30 among its rows (10,331 usable rows, 577 true): ``pair_data`` as
``model_choice_8.as_of("heldout31.tsv")`` sets it, heldout31 (frozen and labelled before the fit) held out.
Scored once on heldout31 (756 pairs, 134 true), weighted:

| | default P / R / F1 (pairs) | ``--review`` R | on the 327 pairs neither was fitted on (35 true): default F1 / ``--review`` F1 |
|---|---|---|---|
| thirty-first | 0.864 (0.77–0.95) / 0.565 (0.47–0.67) / 0.683 (477) | 0.865 | 0.545 / 0.637 |
| thirtieth, shipped | (partly in-sample on the whole set) 0.917 / 0.748 / 0.824 (503) | 0.971 | 0.608 / 0.699 |
| baseline, best in hindsight | 0.259 / 0.539 / 0.350 (5,632) | | 0.276 |

The rule, a champion and a challenger: a newly fitted model replaces the shipped one when, on the pairs of
the new held-out set that neither was fitted on, its default weighted F1 is at least the shipped model's.
It was written after the thirty-first's figures were seen, and it is motivated by what was seen before them:
the newer model had lost that comparison five times in a row (heldout27: 0.684 against 0.708; heldout28: 0.652
against 0.702; heldout29: 0.656 against 0.721; heldout30: 0.711 against 0.746; heldout31: 0.545 against 0.608)
and nine times in the fourteen sets since heldout18 — one more labelled set does not make the next model
better, and each refit moves the cutoff. The thirty-first loses it (0.545 against 0.608, and 0.637 against
0.699 for ``--review``), so the thirtieth stays; its own figures (heldout30, scored once before any of this)
are not touched by the choice. heldout31 is no longer held out for anything: the next model's training may
take it, with heldout30; heldout32 (drawn with the thirty-first's bands, frozen and labelled) is the next
model's held-out set.
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

THIRTY_FIRST = Q.model_file(31)


def main() -> None:
    as_of("heldout31.tsv")   # the thirty-first's training: heldout30 among the pools, heldout31 held out
    rows = Q.labelled("heldout31")
    y = np.asarray([r.match for r in rows])
    w = np.asarray([r.weight for r in rows])
    unseen = Q.unseen_by_previous(rows)   # neither the thirtieth (its pools) nor the thirty-first was fitted on
    print(f"tests/data/heldout31.tsv: {len(rows)} pairs, {int(y.sum())} true; {int(unseen.sum())} pairs neither "
          f"model was fitted on ({int(y[unseen].sum())} true)")
    for name, path in (("thirty-first", THIRTY_FIRST), ("thirtieth (shipped)", None)):
        for kind, cfg in (("default", {}), ("--review", {"review": True})):
            kept, size = Q.kept(cfg, path)
            d = np.asarray([(r.a, r.b) in kept for r in rows])
            p, r, f = Q.prf(d, y, w)
            (p_lo, p_hi), (r_lo, r_hi) = Q.interval(d, y, w, [(x.group, x.band) for x in rows])
            print(f"  {name:20} {kind:9} weighted P {p:.3f} ({p_lo:.2f}-{p_hi:.2f}) R {r:.3f} ({r_lo:.2f}-{r_hi:.2f}) "
                  f"F1 {f:.3f}, {size} pairs; on the pairs neither was fitted on: F1 "
                  f"{Q.prf(d[unseen], y[unseen], w[unseen])[2]:.3f}")
    print(f"  {'':20} (the thirtieth was fitted on {int((~unseen).sum())} of the set's pairs: its figures over the "
          f"whole set are partly in-sample)")
    assert pair_data.HELD_OUT == "heldout31.tsv"


if __name__ == "__main__":
    main()
