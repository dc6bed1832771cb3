"""How the twelfth model was chosen, after heldout12 was frozen and before it was scored (tests/data/PAIRS.md).

    python benchmarks/model_choice_12.py                          # every cell: 6 to 9 minutes each
    python benchmarks/model_choice_12.py --one whole heldout11    # one cell

The question: may the model be constrained to grow with ``whole`` (the whole keys' ratio), as it is with
``local`` and ``coverage``? Then the aligner can bound a pair's probability before it computes that ratio
(with the ratio at its ceiling from the characters the two keys share) and compute it only for the pairs the
bound lets through: the ratio is the scoring stage's largest cost on lawref. For each variant and each of
heldout9, heldout10 and heldout11, a model is fitted as ``fit_pair_model.py`` fits it, on the sets drawn before
that held-out set, then the aligner with its defaults (template wording at 8 (sub-)documents, floor 20) runs
on the bundled corpus with that model, and its default output and ``--review`` list are scored on the set,
weighted as in ``pair_quality.py`` (``model_choice_11.one``). Each cell runs in a process of its own. What was
measured (2026-12-01; the ``eleventh`` cells reproduce the shipped eleventh model's figures):

| variant | heldout9 default F1 | review R | heldout10 default F1 | review R | heldout11 default F1 | review R |
|---|---|---|---|---|---|---|
| eleventh (grows with local, coverage) | 0.726 | 0.902 | 0.668 | 0.907 | 0.613 | 0.691 |
| whole (and with whole) | 0.684 | 0.914 | 0.662 | 0.918 | 0.647 | 0.691 |

Means: default F1 0.669 (eleventh) against 0.664 (whole), review recall 0.833 against 0.841: a tie within the
sets' spread.
What the constraint would buy is speed, and little of it: on lawref (100%, 2 workers) the scoring stage
took 21.1 s instead of 26.8 s (one run each), about 4% of the run. So the twelfth model does not take it.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import fit_pair_model as F  # noqa: E402
import model_choice_11  # noqa: E402

VARIANTS = {"eleventh": {"local": 1, "coverage": 1}, "whole": {"local": 1, "coverage": 1, "whole": 1}}
SETS = ("heldout9", "heldout10", "heldout11")


def one(variant: str, held_out: str) -> None:
    F.MONOTONIC = VARIANTS[variant]
    print(f"variant {variant}: ", end="")
    model_choice_11.one(8, 20.0, held_out)


def grid(script: str, variants, sets) -> None:
    """Every cell (``script --one VARIANT SET``) in a process of its own, each cell's RESULT line printed."""
    for variant in variants:
        for held_out in sets:
            run = subprocess.run([sys.executable, script, "--one", variant, held_out], capture_output=True, text=True)
            lines = [x for x in run.stdout.splitlines() if "RESULT" in x]
            print(lines[0] if lines and run.returncode == 0 else f"{variant} {held_out}: failed\n{run.stderr}",
                  flush=True)


def command(script: str, one, variants, sets) -> None:
    """A model-choice script's command line: ``--one VARIANT SET`` runs ``one`` in this process, no option the
    whole ``grid``."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--one", nargs=2, metavar=("VARIANT", "SET"))
    args = ap.parse_args()
    if args.one:
        one(*args.one)
        return
    grid(script, variants, sets)


def main() -> None:
    command(__file__, one, VARIANTS, SETS)


if __name__ == "__main__":
    main()
