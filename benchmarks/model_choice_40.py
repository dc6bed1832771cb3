"""The fortieth pair model against the shipped thirty-eighth, on heldout40 (scored once), by the rule of
``model_choice.py``, fixed before the fortieth was scored: first, on the pairs of its held-out set that
neither was fitted on, its default weighted F1 must be at least the shipped model's; second, on lawref
(``lawref_models.py draw DIR --models 38,40``, two blind readers), its F1 must not be 0.05 or more below the
shipped model's.

    python benchmarks/model_choice_40.py     # about 3 minutes: the first step, and the lawref counts

The fortieth (``data/pair_model_40.json``) is the recipe of the models since the seventeenth with heldout38 and
heldout39 among its rows (``pair_data`` as ``model_choice_8.as_of("heldout40.tsv")`` sets it: heldout40, drawn
with the thirty-ninth's bands and frozen and labelled before this fit, held out). The thirty-eighth, shipped, was
fitted on the pools up to heldout37, less the pairs of heldout38. The baseline (TF-IDF character 1–2-gram
sentence cosine, best threshold in hindsight) runs in the same script. What it printed (2026-12-03), weighted:

| heldout40 (753 pairs, 142 true) | default P / R / F1 (pairs) | ``--review`` R | on the 306 pairs neither was fitted on (41 true): default F1 |
|---|---|---|---|
| fortieth | 0.789 (0.68–0.88) / 0.526 (0.43–0.64) / 0.631 (525) | 0.827 | 0.598 |
| thirty-eighth, shipped | (partly in-sample) 0.840 / 0.656 / 0.737 (501) | 0.860 | 0.664 |
| baseline, best in hindsight | 0.364 / 0.537 / 0.434 (4,963) | | 0.257 |

The first step fails (difference -0.066, 95% -0.154 to +0.011; unweighted on the unseen pairs: 0.636 against
0.667): the thirty-eighth stays shipped and the lawref step is not needed. Beijing ↔ Chongqing: 13 true; the
fortieth's default finds 4, ``--review`` 11 (the thirty-eighth 7, 10). Done ↔ planned: 29 true; 15, 26 (19, 26).
"""
from __future__ import annotations

from model_choice import challenge

if __name__ == "__main__":
    challenge(40, 38)
