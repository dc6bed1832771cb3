"""The thirty-ninth pair model against the shipped thirty-eighth, on heldout39 (scored once), by the rule of
``model_choice.py``, fixed before the thirty-ninth was scored: first, on the pairs of its held-out set that
neither was fitted on, its default weighted F1 must be at least the shipped model's; second, on lawref
(``lawref_models.py draw DIR --models 38,39``, two blind readers), its F1 must not be 0.05 or more below the
shipped model's.

    python benchmarks/model_choice_39.py     # about 3 minutes: the first step, and the lawref counts

The thirty-ninth (``data/pair_model_39.json``) is the recipe of the models since the seventeenth with heldout38
among its rows (``pair_data`` as ``model_choice_8.as_of("heldout39.tsv")`` sets it: heldout39, drawn with the
thirty-eighth's bands and frozen and labelled before this fit, held out). The thirty-eighth, shipped, was fitted
on the pools up to heldout37, less the pairs of heldout38. The baseline (TF-IDF character 1–2-gram sentence
cosine, best threshold in hindsight) runs in the same script. What it printed (2026-12-03), weighted:

| heldout39 (758 pairs, 136 true) | default P / R / F1 (pairs) | ``--review`` R | on the 300 pairs neither was fitted on (33 true): default F1 |
|---|---|---|---|
| thirty-ninth | 0.883 (0.82–0.94) / 0.513 (0.39–0.63) / 0.649 (495) | 0.936 | 0.699 |
| thirty-eighth, shipped | (partly in-sample) 0.902 / 0.682 / 0.777 (501) | 0.850 | 0.765 |
| baseline, best in hindsight | 0.184 / 0.577 / 0.279 (6,597) | | 0.202 |

The first step fails (difference -0.066, 95% -0.122 to -0.015; unweighted on the unseen pairs: 0.678 against
0.780): the thirty-eighth stays shipped and
the lawref step is not needed (a first run, which printed the lawref counts whatever the verdict: on lawref's
10% sample the thirty-eighth keeps 3,673 pairs, the thirty-ninth 3,650, 1,682 in common). Beijing ↔ Chongqing: 14 true; the thirty-ninth's default finds 5, ``--review`` 12 (the
thirty-eighth 8, 10). Done ↔ planned: 29 true; 16, 25 (19, 26).
"""
from __future__ import annotations

from model_choice import challenge

if __name__ == "__main__":
    challenge(39, 38)
