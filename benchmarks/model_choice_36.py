"""The thirty-sixth pair model against the shipped thirty-fourth, on heldout36 (scored once), by the rule of
``model_choice_31.py``: a newly fitted model replaces the shipped one when, on the pairs of its held-out set that
neither was fitted on, its default weighted F1 is at least the shipped model's. The rule was fixed before the
thirty-sixth was scored.

    python benchmarks/model_choice_36.py     # about 2 minutes

The thirty-sixth (``data/pair_model_36.json``) is the recipe of the models since the seventeenth with heldout34
and heldout35 among its rows (``pair_data`` as ``model_choice_8.as_of("heldout36.tsv")`` sets it: heldout36, drawn
with the thirty-fifth's bands and frozen and labelled before this fit, held out). The thirty-fourth, shipped, was
fitted on the pools up to heldout33, less the pairs of heldout34. The baseline (TF-IDF character 1–2-gram sentence
cosine, best threshold in hindsight) runs in the same script.
"""
from __future__ import annotations

from model_choice import challenge

if __name__ == "__main__":
    challenge(36, 34)
