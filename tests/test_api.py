"""The top-level API a researcher remembers: compare.segment, compare.align, compare.gaps (DataFrames)."""
from __future__ import annotations

import json

import compare

from .conftest import run_cli


def test_segment_and_align_give_what_the_command_line_gives():
    seg = compare.segment()
    assert {"doc_id", "measure_id", "role", "label", "text", "raw"} <= set(seg.columns)
    assert set(seg["role"]) == {"measure", "goal", "background", "problem", "procedure"}
    pairs = compare.align()
    cli = [json.loads(x) for x in run_cli("align", "--format", "jsonl").stdout.splitlines()]
    assert sorted(zip(pairs["measure_a"], pairs["measure_b"])) == sorted((r["measure_a"], r["measure_b"]) for r in cli)
    assert len(compare.align(review=True)) > len(pairs)


def test_gaps_between_regions():
    pairs = compare.align()
    pairs = pairs[pairs["relation"] != "restates"]
    seg = compare.segment(roles=("measure", "goal"))
    cq = set(seg.loc[seg["doc_id"] == "chongqing_rectification", "measure_id"])
    into_beijing = set(pairs.loc[pairs["doc_b"] != "chongqing_rectification", "measure_a"]) | \
        set(pairs.loc[pairs["doc_a"] != "chongqing_rectification", "measure_b"])
    got = compare.gaps(a="region:Chongqing", b="region:Beijing")
    assert set(got["measure_id"]) == cq - into_beijing and set(got["from"]) == {"region:Chongqing"}
    # a set of selectors is named in sorted order (not in the order of Python's hash seed); a list as given
    named = compare.gaps(a={"region:Chongqing", "chongqing_rectification"}, b=["region:Beijing", "haidian_plan"])
    assert set(named["from"]) == {"chongqing_rectification, region:Chongqing"}
    assert set(named["to"]) == {"region:Beijing, haidian_plan"} and set(named["measure_id"]) == set(got["measure_id"])
    try:
        compare.gaps(a="region:Atlantis", b="region:Beijing")
    except compare.CompareError as exc:
        # the regions there are, so that a researcher sees how they are spelled
        assert "no document matches 'region:Atlantis'; the regions of these documents: Beijing, " in str(exc)
    else:
        raise AssertionError("an unknown region is an error")


def test_align_gives_the_columns_of_the_command_line():
    """The README: compare.align gives "the columns of policy-compare align", the wording changes too."""
    pairs = compare.align()
    cli = [json.loads(x) for x in run_cli("align", "--format", "jsonl").stdout.splitlines()]
    assert set(pairs.columns) == set(cli[0]), set(pairs.columns) ^ set(cli[0])
    by_pair = {(r["measure_a"], r["measure_b"]): r["changes"] for r in cli}
    assert [by_pair[k] for k in zip(pairs["measure_a"], pairs["measure_b"])] == list(pairs["changes"])
    assert pairs["changes"].str.len().gt(0).any()


def test_a_document_that_cannot_be_read_is_a_warning_and_the_others_go_on(tmp_path):
    """One bad file among good ones: the verbs warn, naming the file and the reason, and return the others'
    rows (nothing is dropped silently); when nothing can be read, the error is raised. A single path is a path,
    not a list of characters."""
    import shutil

    import pytest

    from compare import pipeline
    from compare.errors import CompareWarning, InputError

    good = tmp_path / "haidian.txt"
    shutil.copyfile(pipeline.BUNDLED_CORPUS / "haidian_liangqu_implementation_plan.txt", good)
    other = tmp_path / "chongqing.txt"
    shutil.copyfile(pipeline.BUNDLED_CORPUS / "chongqing_ftz_rectification_report_2024.txt", other)
    bad = tmp_path / "report.pdf"
    bad.write_bytes(b"<html>not a pdf</html>" * 50)
    with pytest.warns(CompareWarning, match=r"report\.pdf: is not a PDF file"):
        seg = compare.segment([tmp_path])
    assert set(seg["doc_id"]) == {"haidian", "chongqing"}
    with pytest.warns(CompareWarning, match=r"report\.pdf") as said:   # a folder given twice is read once
        assert compare.segment([tmp_path, tmp_path, good]).equals(seg)
    assert sum("report.pdf" in str(w.message) for w in said) == 1
    with pytest.warns(CompareWarning, match=r"report\.pdf"):
        pairs = compare.align([good, other, bad], review=True)   # the screening list: some pairs whatever the model
    assert len(pairs) and set(pairs["doc_a"]) | set(pairs["doc_b"]) <= {"haidian", "chongqing"}
    with pytest.warns(CompareWarning, match=r"report\.pdf"):
        gaps = compare.gaps([good, other, bad], a="haidian", b="chongqing", workers=2)
    assert set(gaps["doc_id"]) == {"haidian"}
    assert seg[seg["doc_id"] == "haidian"].reset_index(drop=True).equals(compare.segment(str(good)))
    with pytest.raises(InputError, match=r"report\.pdf"):
        compare.segment(bad)
    with pytest.warns(CompareWarning, match=r"gone\.txt: no such file or folder"):   # a typo loses nothing else
        assert compare.segment([tmp_path / "gone.txt", good]).equals(compare.segment(good))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match=r"empty\.txt: is empty"), pytest.warns(CompareWarning, match="report.pdf"):
        compare.segment([empty, bad])   # the first is raised, the other is said
    with pytest.raises(InputError, match="an empty path"):
        compare.segment("")
    with pytest.raises(InputError, match="an empty path at position 2 of the list"):
        compare.segment([good, ""])   # Path("") is the working directory: it was read
    # a pattern that matched nothing is an empty list: an error, not the bundled corpus's 1,836 rows
    for verb in (compare.segment, compare.align):
        with pytest.raises(InputError, match="an empty list of paths"):
            verb(sorted(tmp_path.glob("*.docx")))
    with pytest.raises(InputError, match="an empty list of paths"):
        compare.gaps(iter(()), a="haidian", b="chongqing")


def test_a_segment_table_keeps_its_columns_when_no_segment_is_selected():
    """The Haidian plan has no problem segment: the table is empty, with the columns of a segment row."""
    from compare import pipeline
    from compare.records import MEASURE_COLUMNS

    plan = pipeline.BUNDLED_CORPUS / "haidian_liangqu_implementation_plan.txt"
    none = compare.segment(plan, roles="problem")
    assert none.empty and list(none.columns) == list(MEASURE_COLUMNS)
    some = compare.segment(plan, roles="measure")
    assert list(some.columns[:len(MEASURE_COLUMNS)]) == list(MEASURE_COLUMNS) and len(some) > 40
