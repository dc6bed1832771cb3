"""The thirty-fifth pair model against the shipped thirty-fourth, on heldout35 (scored once), by the rule of
``model_choice_31.py``: a newly fitted model replaces the shipped one when, on the pairs of its held-out set that
neither was fitted on, its default weighted F1 is at least the shipped model's. The rule was fixed before the
thirty-fifth was scored.

    python benchmarks/model_choice_35.py     # about 2 minutes

The thirty-fifth (``data/pair_model_35.json``) is the recipe of the models since the seventeenth with heldout34
among its rows (``pair_data`` as ``model_choice_8.as_of("heldout35.tsv")`` sets it: heldout35, drawn with the
thirty-fourth's bands and frozen and labelled before this fit, held out). The thirty-fourth, shipped, was fitted
on the pools up to heldout33, less the pairs of heldout34. The baseline (TF-IDF character 1–2-gram sentence
cosine, best threshold in hindsight) runs in the same script. What it printed (2026-12-03), weighted:

| heldout35 (765 pairs, 131 true) | default P / R / F1 (pairs) | ``--review`` R | on the 305 pairs neither was fitted on (35 true): default F1 |
|---|---|---|---|
| thirty-fifth | 0.780 (0.68–0.88) / 0.512 (0.40–0.66) / 0.618 (528) | 0.759 | 0.488 |
| thirty-fourth, shipped | (partly in-sample) 0.843 / 0.619 / 0.714 (490) | 0.852 | 0.500 |
| baseline, best in hindsight | 0.276 / 0.367 / 0.315 (4,238) | | 0.200 |

By the rule the thirty-fourth stays shipped (unweighted on the unseen pairs: 0.710 against 0.730). Beijing ↔
Chongqing: 13 true; the thirty-fifth's default finds 6, ``--review`` 13. Done ↔ planned: 31 true; 21, 28.
"""
from __future__ import annotations

from model_choice import challenge

if __name__ == "__main__":
    challenge(35, 34)
