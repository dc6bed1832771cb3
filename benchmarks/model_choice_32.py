"""The thirty-second pair model against the shipped thirtieth, on heldout32 (scored once), by the rule of
``model_choice_31.py``: a newly fitted model replaces the shipped one when, on the pairs of its held-out set that
neither was fitted on, its default weighted F1 is at least the shipped model's. The rule was fixed before the
thirty-second was scored.

    python benchmarks/model_choice_32.py     # about 2 minutes

The thirty-second (``data/pair_model_32.json``) is the recipe of the models since the seventeenth with heldout30
and heldout31 among its rows (``pair_data`` as ``model_choice_8.as_of("heldout32.tsv")`` sets it: heldout32, drawn
with the thirty-first's bands and frozen and labelled before this fit, held out). The thirtieth, shipped, was fitted on the pools up to heldout29,
less the pairs of heldout30. The baseline (TF-IDF character 1–2-gram sentence cosine, best threshold in
hindsight) runs in the same script. What it printed (2026-12-03), weighted:

| heldout32 (765 pairs, 134 true) | default P / R / F1 (pairs) | ``--review`` R | on the 318 pairs neither was fitted on (33 true): default F1 |
|---|---|---|---|
| thirty-second | 0.803 (0.68–0.92) / 0.504 (0.39–0.62) / 0.619 (496) | 0.777 | 0.774 |
| thirtieth, shipped until then | (partly in-sample) 0.923 / 0.770 / 0.840 (503) | 0.911 | 0.740 |
| baseline, best in hindsight | 0.203 / 0.559 / 0.297 (6,597) | | 0.202 |

The thirty-second replaced the thirtieth, and was itself replaced by the thirty-third (``model_choice_33.py``).
"""
from __future__ import annotations

from model_choice import challenge

if __name__ == "__main__":
    challenge(32, 30)
