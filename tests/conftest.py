from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from compare import pipeline
from compare.config import Config

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
LAWREF = SHARED / "lawref"
SEEDS = SHARED / "seeds"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def corpus_docs():
    loaded = pipeline.load(None)
    assert not loaded.errors
    return {d.id: d for d in loaded.documents}


@pytest.fixture(scope="session")
def segmented(corpus_docs):
    return {lvl: {s.document.id: s for s in pipeline.segment_all(list(corpus_docs.values()),
                                                                 config=Config(level=lvl))}
            for lvl in ("coarse", "fine")}


def lawref_files() -> list[Path]:
    if not LAWREF.is_dir():
        pytest.skip(f"lawref corpus not found at {LAWREF} (it lives in ../shared, outside the repository)")
    return sorted(LAWREF.rglob("*.md"))


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """Run ``python -m compare`` as a user would."""
    return subprocess.run([sys.executable, "-m", "compare", *args], capture_output=True, text=True)


def coverage_faults(doc, segments) -> list[str]:
    """Where the segments fail to cut the document completely: raw characters in two segments, and
    non-space normalised characters in none (tests/data/gold/ROLES.md: nothing is lost)."""
    import numpy as np

    count = np.zeros(len(doc.raw) + 1, dtype=np.int16)
    for m in segments:
        count[m.start:m.end] += 1
    faults = []
    twice = np.flatnonzero(count > 1)
    if twice.size:
        faults.append(f"{doc.id}: {twice.size} raw characters in two segments, first at {twice[0]}: "
                      f"{doc.raw[twice[0]:twice[0] + 20]!r}")
    norm = doc.normalized
    text = norm.text
    for i, ch in enumerate(text):
        if not ch.isspace() and norm.ends[i] > norm.starts[i] and count[norm.starts[i]] != 1:
            faults.append(f"{doc.id}: normalised character {i} ({text[i:i + 20]!r}) is in no segment")
            break
    return faults
