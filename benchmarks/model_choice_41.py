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
1–2-gram sentence cosine, best threshold in hindsight) runs in the same script.
"""
from __future__ import annotations

from model_choice import challenge

if __name__ == "__main__":
    challenge(41, 38)
