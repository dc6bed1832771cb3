"""The thirty-seventh pair model against the shipped thirty-fourth, on heldout37 (scored once), by the rule of
``model_choice.py``, fixed before the thirty-seventh was scored: first, on the pairs of its held-out set that
neither was fitted on, its default weighted F1 must be at least the shipped model's; second, on lawref
(``lawref_models.py draw DIR --models 34,37``, two blind readers), its F1 must not be 0.05 or more below the
shipped model's.

    python benchmarks/model_choice_37.py     # about 2 minutes: the first step

The thirty-seventh (``data/pair_model_37.json``) is the recipe of the models since the seventeenth with heldout34
to heldout36 among its rows (``pair_data`` as ``model_choice_8.as_of("heldout37.tsv")`` sets it: heldout37, drawn
with the thirty-sixth's bands and frozen and labelled before this fit, held out). The thirty-fourth, shipped, was
fitted on the pools up to heldout33, less the pairs of heldout34. The baseline (TF-IDF character 1–2-gram
sentence cosine, best threshold in hindsight) runs in the same script.
"""
from __future__ import annotations

from model_choice import challenge

if __name__ == "__main__":
    challenge(37, 34)
