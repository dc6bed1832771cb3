"""The thirty-fourth pair model against the shipped thirty-third, on heldout34 (scored once), by the rule of
``model_choice_31.py``: a newly fitted model replaces the shipped one when, on the pairs of its held-out set that
neither was fitted on, its default weighted F1 is at least the shipped model's. The rule was fixed before the
thirty-fourth was scored.

    python benchmarks/model_choice_34.py     # about 2 minutes

The thirty-fourth (``data/pair_model_34.json``) is the recipe of the models since the seventeenth with heldout33
among its rows (``pair_data`` as ``model_choice_8.as_of("heldout34.tsv")`` sets it: heldout34, drawn with the
thirty-third's bands and frozen and labelled before this fit, held out). The thirty-third, shipped, was fitted
on the pools up to heldout32, less the pairs of heldout33. The baseline (TF-IDF character 1–2-gram sentence
cosine, best threshold in hindsight) runs in the same script. What it printed (2026-12-03), weighted:

| heldout34 (763 pairs, 131 true) | default P / R / F1 (pairs) | ``--review`` R | on the 333 pairs neither was fitted on (37 true): default F1 |
|---|---|---|---|
| thirty-fourth | 0.848 (0.76–0.94) / 0.543 (0.44–0.66) / 0.662 (490) | 0.826 | 0.675 |
| thirty-third, shipped until then | (partly in-sample) 0.873 / 0.687 / 0.769 (525) | 0.912 | 0.633 |
| baseline, best in hindsight | 0.286 / 0.692 / 0.405 (6,597) | | 0.435 |

By the rule the thirty-fourth replaced the thirty-third (unweighted on the unseen pairs: 0.795 against 0.747).
"""
from __future__ import annotations

from model_choice import challenge

if __name__ == "__main__":
    challenge(34, 33)
