"""The forty-third pair model against the shipped forty-first, on heldout43 (scored once), by the rule of
``model_choice.py``, fixed before the forty-third was scored: first, on the pairs of its held-out set that
neither was fitted on, its default weighted F1 must be at least the shipped model's; second, on lawref
(``lawref_models.py draw DIR --models 41,43``, two blind readers), its F1 must not be 0.05 or more below the
shipped model's.

    python benchmarks/model_choice_43.py     # about 3 minutes: the first step, and the lawref counts

The forty-third (``data/pair_model_43.json``) is the recipe of the models since the seventeenth with heldout41
and heldout42 among its rows (``pair_data`` as ``model_choice_8.as_of("heldout43.tsv")`` sets it: heldout43, drawn
with the forty-second's bands and frozen and labelled before this fit, held out). The forty-first, shipped, was
fitted on the pools up to heldout40, less the pairs of heldout41. The baseline (TF-IDF character 1–2-gram
sentence cosine, best threshold in hindsight) runs in the same script. What it printed (2026-12-03), weighted:

| heldout43 (743 pairs, 131 true) | default P / R / F1 (pairs) | ``--review`` R | on the 293 pairs neither was fitted on (33 true): default F1 |
|---|---|---|---|
| forty-third | 0.805 (0.71–0.91) / 0.615 (0.52–0.71) / 0.697 (513) | 0.882 | 0.844 |
| forty-first, shipped | (partly in-sample) 0.875 / 0.721 / 0.791 (492) | 0.901 | 0.767 |
| baseline, best in hindsight | 0.330 / 0.495 / 0.396 (4,238) | | 0.412 |

The first step is won (difference +0.077, 95% +0.011 to +0.170; unweighted on the unseen pairs 0.814 against
0.727). Beijing ↔ Chongqing: 11 true; the forty-third's default finds 5, ``--review`` 10 (the forty-first 6, 10).
Done ↔ planned: 28 true; 17, 23 (18, 23). On the 10% lawref sample the forty-first keeps 3,133 pairs, the
forty-third 2,051 (1,267 in common).

The second step fails (``lawref_models.py draw DIR --models 41,43``; two readers who saw only the texts and the
policy, agreeing on all 80; ``tests/data/lawref_models_judged_43.tsv``): weighted F1 0.60 for the forty-first
against 0.33 for the forty-third (precision 0.44 against 0.29, recall of the true pairs either keeps 0.95
against 0.40): of the 1,520 pairs only the forty-first keeps below score 70, 8 of 20 drawn are true, of the 784
only the forty-third keeps, 2. The forty-first stays shipped. Like the forty-second, the first model fitted
with heldout41's rows, it wins on the bundled corpus and loses on law.
"""
from __future__ import annotations

from model_choice import challenge

if __name__ == "__main__":
    challenge(43, 41)
