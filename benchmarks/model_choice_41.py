"""The forty-first pair model against the shipped thirty-eighth, on heldout41 (scored once), by the rule of
``model_choice.py``, fixed before the forty-first was scored: first, on the pairs of its held-out set that
neither was fitted on, its default weighted F1 must be at least the shipped model's; second, on lawref
(``lawref_models.py draw DIR --models 38,41``, two blind readers), its F1 must not be 0.05 or more below the
shipped model's.

    python benchmarks/model_choice_41.py     # about 3 minutes: the first step, and the lawref counts

The forty-first (``data/pair_model_41.json``) is the recipe of the models since the seventeenth with heldout38,
heldout39 and heldout40 among its rows (``pair_data`` as ``model_choice_8.as_of("heldout41.tsv")`` sets it:
heldout41, drawn with the fortieth's bands and frozen and labelled before this fit, held out). The thirty-eighth,
shipped, was fitted on the pools up to heldout37, less the pairs of heldout38. The baseline (TF-IDF character
1–2-gram sentence cosine, best threshold in hindsight) runs in the same script. What it printed (2026-12-03),
weighted:

| heldout41 (761 pairs, 143 true) | default P / R / F1 (pairs) | ``--review`` R | on the 302 pairs neither was fitted on (44 true): default F1 |
|---|---|---|---|
| forty-first | 0.952 (0.91–0.98) / 0.525 (0.42–0.66) / 0.677 (492) | 0.912 | 0.768 |
| thirty-eighth, shipped | (partly in-sample) 0.951 / 0.608 / 0.742 (501) | 0.794 | 0.766 |
| baseline, best in hindsight | 0.380 / 0.381 / 0.381 (4,238) | | 0.358 |

The first step is won (difference +0.001, 95% -0.030 to +0.028; unweighted on the unseen pairs 0.732 against
0.730): a tie, which the rule's "at least" gives to the newer model. Beijing ↔ Chongqing: 16 true; the
forty-first's default finds 8, ``--review`` 12 (the thirty-eighth 9, 12). Done ↔ planned: 32 true; 17, 27 (23,
27). On the 10% lawref sample the thirty-eighth keeps 3,673 pairs, the forty-first 3,133 (1,751 in common).

The second step (``lawref_models.py draw DIR --models 38,41``; two readers who saw only the texts and the
policy, agreeing on 78 of 80; ``tests/data/lawref_models_judged_41.tsv``): weighted F1 0.42 for the
thirty-eighth against 0.51 for the forty-first by the first reader, 0.45 against 0.54 by the second (precision
0.29 / 0.37 and 0.31 / 0.40): not 0.05 below, so the forty-first ships.
"""
from __future__ import annotations

from model_choice import challenge

if __name__ == "__main__":
    challenge(41, 38)
