"""How the eleventh model's candidates were chosen: template wording at 8 (sub-)documents and a score floor of
20 (``AlignConfig.template_groups``, ``align.DEFAULT_FLOOR``), after heldout11 was frozen and before it was
scored (tests/data/PAIRS.md).

    python benchmarks/model_choice_11.py                     # the whole grid: 14 cells, 1 to 2 minutes each
    python benchmarks/model_choice_11.py --one 8 20 heldout10  # one cell

For each setting and each of heldout9 and heldout10, a model is fitted as ``fit_pair_model.py`` fits it, on the
sets drawn before that held-out set (its own pairs left out), with the features the setting gives; then the
aligner with that model and setting runs on the bundled corpus and its default output, its ``--review`` list
and every pair that reaches the model (``min_probability=0``: the candidates' ceiling) are scored on the set,
weighted as in ``pair_quality.py``. Each cell runs in a process of its own (the corpus' features are cached
per process). What was measured (2026-12-01):

| template groups, floor | heldout9 default F1 | review R | reachable R | heldout10 default F1 | review R | reachable R |
|---|---|---|---|---|---|---|
| 5, 15 (the tenth's) | 0.617 | 0.871 | 0.905 | 0.551 | 0.683 | 0.767 |
| 8, 15 | 0.728 | 0.915 | 0.976 | 0.668 | 0.912 | 0.982 |
| 8, 20 (chosen) | 0.726 | 0.902 | 0.940 | 0.668 | 0.907 | 0.949 |
| 8, 25 | 0.717 | 0.885 | 0.897 | 0.657 | 0.846 | 0.860 |
| 10, 15 | 0.735 | 0.924 | 0.976 | 0.660 | 0.885 | 0.982 |
| 15, 15 | 0.713 | 0.927 | 0.976 | 0.668 | 0.879 | 0.982 |
| 20, 15 | 0.658 | 0.927 | 0.976 | 0.676 | 0.886 | 0.982 |

Floor 20 rather than 15: nearly the same figures, and fewer pairs for the model on lawref (its stage took
26 s against 31 s). On the bundled corpus a template 4-gram at 5 (sub-)documents of 55 was mostly a named
instrument that several documents share (北京知识产权交易中心, 国际贸易“单一窗口”, 高端人才个人所得税优惠):
the pairs that share it were never candidates, and some of them weigh much in the population (88.5 and 39.6).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import fit_pair_model as F  # noqa: E402
import pair_data  # noqa: E402
import pair_quality as Q  # noqa: E402
from model_choice_8 import as_of  # noqa: E402

from compare.align import AlignConfig  # noqa: E402

GRID = ((5, 15.0), (8, 15.0), (8, 20.0), (8, 25.0), (10, 15.0), (15, 15.0), (20, 15.0))
SETS = ("heldout9", "heldout10")


def one(template: int, floor: float, held_out: str) -> None:
    """Fit and score one cell (in this process: it changes the aligner's defaults and ``pair_data``'s sets)."""
    as_of(held_out + ".tsv")
    with pair_data.aligner_as(template_groups=template, floor=floor), tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "model.json"
        F.main(["--out", str(out)])
        rows = Q.labelled(held_out)
        y = np.asarray([r.match for r in rows])
        w = np.asarray([r.weight for r in rows])
        figures = []
        for cfg in (AlignConfig(), AlignConfig(review=True), AlignConfig(min_probability=0.0)):
            kept, n = Q.kept(cfg, out)
            d = np.asarray([(r.a, r.b) in kept for r in rows])
            figures.append((n, *Q.prf(d, y, w)))
    (n, p, r, f), (nr, _, rr, _), (na, _, ra, _) = figures
    print(f"RESULT template {template} floor {floor:g} {held_out}: default {n} pairs P {p:.3f} R {r:.3f} F1 {f:.3f}"
          f"; review {nr} pairs R {rr:.3f}; reaching the model {na} pairs R {ra:.3f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--one", nargs=3, metavar=("TEMPLATE", "FLOOR", "SET"))
    args = ap.parse_args()
    if args.one:
        one(int(args.one[0]), float(args.one[1]), args.one[2])
        return
    for template, floor in GRID:
        for held_out in SETS:
            run = subprocess.run([sys.executable, __file__, "--one", str(template), str(floor), held_out],
                                 capture_output=True, text=True)
            lines = [x for x in run.stdout.splitlines() if x.startswith("RESULT")]
            print(lines[0] if lines and run.returncode == 0 else f"{template} {floor} {held_out}: failed\n{run.stderr}",
                  flush=True)


if __name__ == "__main__":
    main()
