"""Review decisions (accept / reject / relabel) saved next to the corpus and respected by align and report."""
from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from compare import pipeline, review
from compare.align import AlignConfig
from compare.errors import InputError

from .conftest import run_cli


@pytest.fixture()
def corpus_copy(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(pipeline.BUNDLED_CORPUS, folder)
    (folder / review.FILE).unlink(missing_ok=True)
    return folder


def test_decisions_change_the_next_alignment(corpus_copy, tmp_path):
    docs = pipeline.load([corpus_copy]).documents
    low = pipeline.align_documents(docs, align_config=AlignConfig(min_probability=0.0))
    cfg = AlignConfig()
    kept = [p for p in low.pairs if cfg.keeps(score=p.score, whole=p.whole, evidence=p.evidence,
                                              probability=p.probability)]
    # dropped by default: the pair model finds them too improbable (one scoring well, one not)
    unlikely = sorted((p for p in low.pairs if p.probability < cfg.cutoff()), key=lambda p: -p.score)
    low_score, low_evidence = unlikely[-1:], unlikely[:1]
    rejected, relabelled, accepted, accepted2 = kept[0], kept[1], low_score[0], low_evidence[0]
    decisions = {d.key: d for d in (
        review.Decision(rejected.a.measure_id, rejected.b.measure_id, "reject", "", "not the same instrument"),
        review.Decision(relabelled.a.measure_id, relabelled.b.measure_id, "relabel", "same", ""),
        review.Decision(accepted.b.measure_id, accepted.a.measure_id, "accept", "", "checked by hand"),
        review.Decision(accepted2.a.measure_id, accepted2.b.measure_id, "accept", "", ""))}
    (corpus_copy / review.FILE).write_text(review.dump(decisions), encoding="utf-8")
    out = tmp_path / "pairs.jsonl"
    r = run_cli("align", str(corpus_copy), "--out", str(out))
    assert r.returncode == 0, r.stderr
    rows = {(x["measure_a"], x["measure_b"]): x for x in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert (rejected.a.measure_id, rejected.b.measure_id) not in rows
    assert rows[(relabelled.a.measure_id, relabelled.b.measure_id)]["relation"] == "same"
    acc = rows[(accepted.a.measure_id, accepted.b.measure_id)]
    assert acc["probability"] < cfg.cutoff() and acc["reason"].startswith("reviewed: accepted")
    acc2 = rows[(accepted2.a.measure_id, accepted2.b.measure_id)]
    assert acc2["probability"] < cfg.cutoff() and acc2["reason"].startswith("reviewed: accepted")
    assert len(rows) == len(kept) - 1 + 2
    # the report reads the same file
    index, _ = pipeline.write_report([corpus_copy], tmp_path / "report")
    table = pd.read_csv(tmp_path / "report" / "pairs.csv")
    in_report = set(zip(table["measure_a"], table["measure_b"]))
    assert (accepted.a.measure_id, accepted.b.measure_id) in in_report
    assert (rejected.a.measure_id, rejected.b.measure_id) not in in_report


def test_bad_review_file_is_named(corpus_copy):
    (corpus_copy / review.FILE).write_text("measure_a\tmeasure_b\tdecision\trelation\tnote\na\tb\tmaybe\t\t\n",
                                           encoding="utf-8")
    with pytest.raises(InputError) as exc:
        review.load(corpus_copy / review.FILE)
    assert "review.tsv" in str(exc.value) and "line 2" in str(exc.value)
    r = run_cli("align", str(corpus_copy))
    assert r.returncode == 2 and "review.tsv" in r.stderr and "Traceback" not in r.stderr


def test_series_with_a_review_file_loses_no_undecided_pair(corpus_copy):
    """The one-partner selection of series mode is made after the decisions: a pair that only a lower
    threshold or the evidence rule would have let in never takes the place of a pair that passes them."""
    from compare.align import align, series_selection
    from compare.roles import select

    docs = pipeline.series_documents(pipeline.load([corpus_copy]).documents, "beijing_liangqu")
    cfg = AlignConfig(mode="series")
    plain = pipeline.align_documents(docs, align_config=cfg)
    victim = plain.pairs[0]
    decisions = {d.key: d for d in [review.Decision(victim.a.measure_id, victim.b.measure_id, "reject", "", "")]}
    (corpus_copy / review.FILE).write_text(review.dump(decisions), encoding="utf-8")
    reviewed = pipeline.align_documents(docs, align_config=cfg, review_file=corpus_copy / review.FILE)
    # the obvious reference: every pair the defaults keep, less the rejected one, then the selection
    measures = select([m for s in pipeline.segment_all(docs) for m in s.measures], cfg.roles)
    unselected = align(docs, measures, config=cfg, select=False).pairs
    expected = series_selection([p for p in unselected if p != victim])
    ids = lambda pairs: [(p.a.measure_id, p.b.measure_id) for p in pairs]  # noqa: E731
    assert ids(reviewed.pairs) == ids(expected) and len(expected) >= len(plain.pairs) - 1
    assert (victim.a.measure_id, victim.b.measure_id) not in ids(reviewed.pairs)


def test_decisions_file_given_saved_by_excel_and_said_on_stderr(corpus_copy, tmp_path):
    docs = pipeline.load([corpus_copy]).documents
    first = pipeline.align_documents(docs).pairs[0]
    path = tmp_path / "my_decisions.tsv"
    # as Excel saves it: a byte-order mark first
    path.write_bytes(("\ufeff" + review.dump({frozenset((first.a.measure_id, first.b.measure_id)): review.Decision(
        first.a.measure_id, first.b.measure_id, "reject", "", "")})).encode("utf-8"))
    r = run_cli("align", str(corpus_copy), "--decisions", str(path), "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    assert f"applying 1 review decision(s) from {path}" in r.stderr
    ids = {(x["measure_a"], x["measure_b"]) for x in map(json.loads, r.stdout.splitlines())}
    assert (first.a.measure_id, first.b.measure_id) not in ids
    missing = tmp_path / "bad.tsv"
    missing.write_text("a\tb\n1\t2\n", encoding="utf-8")
    r = run_cli("align", str(corpus_copy), "--decisions", str(missing))
    assert r.returncode == 2 and "bad.tsv" in r.stderr and "measure_a" in r.stderr and "Traceback" not in r.stderr
