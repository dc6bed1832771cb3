"""The forty-second pair model against the shipped forty-first, on heldout42 (scored once), by the rule of
``model_choice.py``, fixed before the forty-second was scored: first, on the pairs of its held-out set that
neither was fitted on, its default weighted F1 must be at least the shipped model's; second, on lawref
(``lawref_models.py draw DIR --models 41,42``, two blind readers), its F1 must not be 0.05 or more below the
shipped model's.

    python benchmarks/model_choice_42.py     # about 3 minutes: the first step, and the lawref counts

The forty-second (``data/pair_model_42.json``) is the recipe of the models since the seventeenth with heldout41
among its rows (``pair_data`` as ``model_choice_8.as_of("heldout42.tsv")`` sets it: heldout42, drawn with the
forty-first's bands and frozen and labelled before this fit, held out; the candidate columns of
``unshared_words_42.py`` did not pass that script's rule). The forty-first, shipped, was fitted on the pools up to
heldout40, less the pairs of heldout41. The baseline (TF-IDF character 1–2-gram sentence cosine, best threshold
in hindsight) runs in the same script. What it printed (2026-12-03), weighted:

| heldout42 (768 pairs, 155 true) | default P / R / F1 (pairs) | ``--review`` R | on the 309 pairs neither was fitted on (48 true): default F1 |
|---|---|---|---|
| forty-second | 0.924 (0.84–0.98) / 0.555 (0.44–0.68) / 0.694 (531) | 0.936 | 0.695 |
| forty-first, shipped | (partly in-sample) 0.924 / 0.601 / 0.729 (492) | 0.935 | 0.600 |
| baseline, best in hindsight | 0.308 / 0.615 / 0.410 (6,597) | | 0.549 |

The first step is won (difference +0.095, 95% +0.024 to +0.167; unweighted on the unseen pairs 0.860 against
0.810), an interval that excludes 0 (the thirty-eighth's and the forty-first's wins did not). Beijing ↔ Chongqing: 17 true; the
forty-second's default finds 8, ``--review`` 14 (the forty-first 9, 15). Done ↔ planned: 34 true; 24, 29 (23,
28). On the 10% lawref sample the forty-first keeps 3,133 pairs, the forty-second 1,523 (885 in common).

The second step fails (``lawref_models.py draw DIR --models 41,42``; two readers who saw only the texts and the
policy, agreeing on 75 of 80; ``tests/data/lawref_models_judged_42.tsv``): weighted F1 0.54 for the forty-first
against 0.32 for the forty-second by the first reader, 0.58 against 0.30 by the second (precision 0.38 / 0.30
and 0.42 / 0.28; recall of the true pairs either keeps 0.93 / 0.35 and 0.98 / 0.32): of the 1,853 pairs only
the forty-first keeps below score 70, 6 and 7 of 20 drawn are true, of the 638 only the forty-second keeps, 3
and 1. The forty-first stays shipped.
"""
from __future__ import annotations

from model_choice import challenge

if __name__ == "__main__":
    challenge(42, 41)
