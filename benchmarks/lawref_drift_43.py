"""Why did the forty-second and the forty-third keep so few lawref pairs? A diagnostic (no lawref or held-out
label is read; the refits are fitted on training labels as ``fit_pair_model.py`` fits them): the number of
default pairs on the 10% lawref sample (every tenth file, as ``lawref_models.py`` draws it) for the shipped
forty-first, the forty-second and the forty-third, and for two refits of the same recipe on other sets of pools.

    python benchmarks/lawref_drift_43.py      # about 10 minutes on two cores; needs ../shared/corpus/lawref

Printed on 2026-12-03:

| model: its stratified pools | default pairs on the 10% lawref sample |
|---|---|
| forty-first, shipped: up to heldout40 | 3,133 |
| refit: up to heldout39, and heldout41 | 1,917 |
| refit: up to heldout40, and heldout42 | 2,131 |
| forty-second: up to heldout41 | 1,523 |
| forty-third: up to heldout42 | 2,051 |

(the thirty-eighth, up to heldout37: 3,673; the thirty-fourth: 2,687; the thirty-sixth: 5,864.) It is not one
set of pools: what a refit keeps on law swings by up to twofold from one set of training rows to the next (1,523 to
3,133; 1,917 to 3,133 between the refits and the forty-first alone), while its cross-validated precision and recall on the bundled corpus stay within 0.85–0.87 and 0.43–0.48.
The trees extrapolate to text unlike their training rows, and the lawref step of ``model_choice.py`` is what sees
it. Written refits go to /tmp (nothing here is shipped).
"""
from __future__ import annotations

import sys
import tempfile
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import fit_pair_model as F  # noqa: E402
import lawref_models as L  # noqa: E402
import model_choice_8 as M  # noqa: E402
import pair_data  # noqa: E402
import pair_quality as Q  # noqa: E402

from compare import pipeline  # noqa: E402
from compare.align import AlignConfig  # noqa: E402

# a refit's held-out set (as model_choice_8.as_of sets it) and the pools it leaves out of its training
REFITS = {"up to heldout39, and heldout41": ("heldout42.tsv", {"heldout40.tsv"}),
          "up to heldout40, and heldout42": ("heldout43.tsv", {"heldout41.tsv"})}


def main() -> None:
    warnings.filterwarnings("ignore")
    if not L.LAWREF.is_dir():
        raise SystemExit(f"{L.LAWREF}: lawref is not there; this diagnostic needs it")
    docs = pipeline.load(sorted(L.LAWREF.rglob("*.md"))[::10], workers=2).documents

    def count(path: Path) -> int:
        with Q.model(path):
            return len(pipeline.align_documents(docs, align_config=AlignConfig(), workers=2).pairs)

    for n in (41, 42, 43):
        print(f"model {n}: {count(Q.model_file(n))} default pairs", flush=True)
    for name, (held, left_out) in REFITS.items():
        M.as_of(held)
        pools = tuple(p for p in pair_data.POOLS if p not in left_out)
        pair_data.POOLS = F.POOLS = pools
        pair_data.TRAINING = pools + ("align_eval.tsv", "align_holdout.tsv") + pair_data.ACTIVE
        pair_data.rows.cache_clear()
        out = Path(tempfile.mkdtemp()) / "refit.json"
        F.main(["--out", str(out)])
        print(f"refit {name}: {count(out)} default pairs", flush=True)


if __name__ == "__main__":
    main()
