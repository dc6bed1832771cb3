"""The thirty-third pair model against the shipped thirty-second, on heldout33 (scored once), by the rule of
``model_choice_31.py``: a newly fitted model replaces the shipped one when, on the pairs of its held-out set that
neither was fitted on, its default weighted F1 is at least the shipped model's. The rule was fixed before the
thirty-third was scored.

    python benchmarks/model_choice_33.py     # about 2 minutes

The thirty-third (``data/pair_model_33.json``) is the recipe of the models since the seventeenth with heldout32
among its rows (``pair_data`` as ``model_choice_8.as_of("heldout33.tsv")`` sets it: heldout33, drawn with the
thirty-second's bands and frozen and labelled before this fit, held out). The thirty-second, shipped, was fitted
on the pools up to heldout31, less the pairs of heldout32. The baseline (TF-IDF character 1–2-gram sentence
cosine, best threshold in hindsight) runs in the same script. What it printed (2026-12-03), weighted:

| heldout33 (765 pairs, 148 true) | default P / R / F1 (pairs) | ``--review`` R | on the 342 pairs neither was fitted on (45 true): default F1 |
|---|---|---|---|
| thirty-third | 0.647 (0.50–0.82) / 0.490 (0.38–0.63) / 0.558 (525) | 0.686 | 0.403 |
| thirty-second, shipped until then | (partly in-sample) 0.903 / 0.573 / 0.701 (496) | 0.765 | 0.397 |
| baseline, best in hindsight | 0.271 / 0.460 / 0.341 (6,597) | | 0.233 |

By the rule the thirty-third replaced the thirty-second: a tie in all but name (0.403 against 0.397, with 45
true pairs), and the rule says "at least". Its own figures over the whole set are lower than any shipped model's
since the eighteenth; the blind check of its default output (README, "Quality") says how much of that is the
set's weighting.
"""
from __future__ import annotations

from model_choice import challenge

if __name__ == "__main__":
    challenge(33, 32)
