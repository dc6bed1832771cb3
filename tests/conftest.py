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
