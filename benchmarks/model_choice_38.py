"""The thirty-eighth pair model against the shipped thirty-fourth, on heldout38 (scored once), by the rule of
``model_choice.py``, fixed before the thirty-eighth was scored: first, on the pairs of its held-out set that
neither was fitted on, its default weighted F1 must be at least the shipped model's; second, on lawref
(``lawref_models.py draw DIR --models 34,38``, two blind readers), its F1 must not be 0.05 or more below the
shipped model's.

    python benchmarks/model_choice_38.py     # about 3 minutes: the first step, and the lawref counts

The thirty-eighth (``data/pair_model_38.json``) is the recipe of the models since the seventeenth with heldout34
to heldout37 among its rows (``pair_data`` as ``model_choice_8.as_of("heldout38.tsv")`` sets it: heldout38, drawn
with the thirty-seventh's bands and frozen and labelled before this fit, held out). The thirty-fourth, shipped,
was fitted on the pools up to heldout33, less the pairs of heldout34. The baseline (TF-IDF character 1–2-gram
sentence cosine, best threshold in hindsight) runs in the same script, and both models' pair counts on lawref's
10% sample are printed for the second step. What it printed (2026-12-03), weighted:

| heldout38 (755 pairs, 145 true) | default P / R / F1 (pairs) | ``--review`` R | on the 311 pairs neither was fitted on (39 true): default F1 |
|---|---|---|---|
| thirty-eighth | 0.777 (0.68–0.87) / 0.542 (0.44–0.66) / 0.639 (501) | 0.871 | 0.511 |
| thirty-fourth, shipped | (partly in-sample) 0.848 / 0.637 / 0.727 (490) | 0.894 | 0.470 |
| baseline, best in hindsight | 0.376 / 0.536 / 0.442 (5,632) | | 0.279 |

The first step is won: difference +0.041, 95% -0.046 to +0.134 (a tie within the noise, which the rule's "at
least" gives to the new model; unweighted on the unseen pairs: 0.667 against 0.615). Beijing ↔ Chongqing: 12 true; the
thirty-eighth's default finds 4, ``--review`` 8 (the thirty-fourth 5, 8). Done ↔ planned: 31 true; 20, 29 (24,
29). On lawref's 10% sample the thirty-fourth keeps 2,687 pairs, the thirty-eighth 3,673 (1,517 in common).

Second step (``lawref_models.py draw /tmp/DIR --models 34,38``; two readers who saw only the texts and the
policy with its section on laws, ``tests/data/lawref_models_judged_38.tsv``; they agree on all 80): weighted
precision 0.21 against 0.25, recall of the true pairs either keeps 0.78 against 0.67, F1 0.33 against 0.36, by
both readers: 0.03 lower, under the 0.05 the rule allows (the step's own sampling error is larger: the same
thirty-fourth had precision 0.36 in the thirty-sixth's draw; it catches large losses such as the thirty-sixth's
0.18). Both steps are won: the thirty-eighth replaces the thirty-fourth. Blind check of its default output: 88 and 86 of 100 (``default_pairs_judged.tsv``).
"""
from __future__ import annotations

from model_choice import challenge

if __name__ == "__main__":
    challenge(38, 34)
