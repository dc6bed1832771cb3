"""How the twenty-first model was chosen, after heldout21 was frozen and before it was scored
(tests/data/PAIRS.md).

    python benchmarks/model_choice_21.py                          # every cell: 3 to 6 minutes each
    python benchmarks/model_choice_21.py --one bagged heldout20   # one cell

The question: does averaging several fits lower the variance that the last three held-out sets show? Three
consecutive models, each the same recipe with one more labelled set, scored 0.763, 0.714 and 0.653 (weighted
default F1) on their held-out sets, their cutoffs moved (0.59, 0.51, 0.57), and on the pairs neither was fitted
on the newer model was once better (heldout19: 0.701 against 0.653) and once worse (heldout20: 0.571 against
0.622). Variants (``model_choice_17.one``):

- ``recipe``: as shipped since the seventeenth;
- ``bagged``: five fits of the same trees on the rows reweighted by a Poisson(1) bootstrap (seeds 1 to 5),
  their log-odds averaged (``model_choice_17.Bagged``). Weighed for the seventeenth on heldout14 to heldout16:
  mean default F1 +0.020, mean ``--review`` recall -0.041; not adopted then.

The cells: as ``model_choice_17.py`` (a model fitted as ``fit_pair_model.py`` fits it on the sets drawn before the
set, the whole aligner on the bundled corpus with it, its default output and ``--review`` list scored on the set,
weighted). The rule, written before any cell ran (the seventeenth's): a variant is adopted if, over heldout18,
heldout19 and heldout20, its mean default weighted F1 is at least 0.015 above the recipe's and its mean
``--review`` recall no more than 0.01 below. Else the twenty-first keeps the recipe.

Measured on 2026-12-02 (weighted default pairs / P / R / F1; ``--review`` R):

| variant | heldout18 | heldout19 | heldout20 | mean F1; ``--review`` R |
|---|---|---|---|---|
| recipe | 498 / 0.881 / 0.673 / 0.763; 0.949 | 543 / 0.787 / 0.654 / 0.714; 0.851 | 503 / 0.818 / 0.544 / 0.653; 0.867 | 0.710; 0.889 |
| bagged | 442 / 0.909 / 0.615 / 0.734; 0.954 | 543 / 0.797 / 0.661 / 0.723; 0.851 | 483 / 0.823 / 0.522 / 0.639; 0.863 | 0.699; 0.889 |

The recipe's cells reproduce the shipped eighteenth, nineteenth and twentieth models' figures. Bagging lowers the
mean default F1 by 0.011 (it was +0.020 over heldout14 to heldout16) with the same ``--review`` recall: it does
not meet the rule, and the twenty-first keeps the recipe.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import model_choice_17  # noqa: E402
from model_choice_12 import command  # noqa: E402

VARIANTS = ("recipe", "bagged")
SETS = ("heldout18", "heldout19", "heldout20")


def main() -> None:
    command(__file__, model_choice_17.one, VARIANTS, SETS)


if __name__ == "__main__":
    main()
