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
10% sample are printed for the second step.
"""
from __future__ import annotations

from model_choice import challenge

if __name__ == "__main__":
    challenge(38, 34)
