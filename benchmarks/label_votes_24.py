"""Whether the twenty-fourth model should take a pair's label from the majority of its readings (chosen on
heldout20 to heldout23 after heldout24 was frozen, before anything was fitted for it; tests/data/PAIRS.md).

    python benchmarks/label_votes_24.py                           # every cell: 3 to 6 minutes each
    python benchmarks/label_votes_24.py --one majority heldout23  # one cell

The question: the held-out sets are drawn from the whole population, earlier labelled pairs included, so a pair
near the cutoff is read again and again (of the 8,627 pairs of the stratified sets up to heldout22, 2,766 have
two readings or more, up to nine). Training takes each pair's label from the first set that holds it
(``pair_data.LABELS = "first"``): one reading, often the oldest, made under an older state of the policy. The
majority of all its readings in the training sets of the day (a tie: the reading of the set drawn last) is a
less noisy label; it changes 56 of the 8,833 training rows of the twenty-third (28 ones become 0, 28 zeros 1),
most of them in the high bands, where the cutoff lies.

- ``recipe``: as shipped since the seventeenth (``LABELS = "first"``);
- ``majority``: ``LABELS = "majority"``, nothing else changed (the weights, the rows and the held-out pairs
  left out are the same).

The cells: as ``model_choice_17.py`` (a model fitted as ``fit_pair_model.py`` fits it on the sets drawn before
the set, the labels voted among those sets only; the whole aligner on the bundled corpus with it; its default
output and ``--review`` list scored on the set, weighted). The rule, written before any cell ran (the
seventeenth's and the twenty-first's): the variant is adopted if, over heldout20, heldout21, heldout22 and
heldout23, its mean default weighted F1 is at least 0.015 above the recipe's and its mean ``--review`` recall no
more than 0.01 below. Else the twenty-fourth keeps the recipe. The recipe's cells are the shipped twentieth to
twenty-third models (each fitted exactly so).

Measured on 2026-12-02 (weighted default pairs / P / R / F1; ``--review`` R):

| variant | heldout20 | heldout21 | heldout22 | heldout23 | mean F1; ``--review`` R |
|---|---|---|---|---|---|
| recipe | 503 / 0.818 / 0.544 / 0.653; 0.867 | 542 / 0.859 / 0.559 / 0.677; 0.764 | 528 / 0.827 / 0.497 / 0.621; 0.837 | 544 / 0.751 / 0.552 / 0.636; 0.905 | 0.647; 0.843 |
| majority | 503 / 0.845 / 0.551 / 0.667; 0.862 | 502 / 0.926 / 0.528 / 0.672; 0.794 | 545 / 0.799 / 0.517 / 0.628; 0.791 | 515 / 0.864 / 0.533 / 0.659; 0.854 | 0.657; 0.825 |

The majority label raises the mean default F1 by 0.010 (0.015 asked) and lowers the mean ``--review`` recall by
0.018 (0.01 allowed): it does not meet the rule, and the twenty-fourth keeps the recipe (``LABELS = "first"``).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import model_choice_11  # noqa: E402
import pair_data  # noqa: E402
from model_choice_12 import command  # noqa: E402

VARIANTS = ("recipe", "majority")
SETS = ("heldout20", "heldout21", "heldout22", "heldout23")


def one(variant: str, held_out: str) -> None:
    pair_data.LABELS = {"recipe": "first", "majority": "majority"}[variant]
    print(f"variant {variant}: ", end="")
    model_choice_11.one(8, 15.0, held_out)


def main() -> None:
    command(__file__, one, VARIANTS, SETS)


if __name__ == "__main__":
    main()
