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
sentence cosine, best threshold in hindsight) runs in the same script.
"""
from __future__ import annotations

from model_choice import challenge

if __name__ == "__main__":
    challenge(43, 41)
