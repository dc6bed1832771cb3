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
    try:
        compare.gaps(a="region:Atlantis", b="region:Beijing")
    except compare.CompareError as exc:
        assert "no document matches 'region:Atlantis'" in str(exc)
    else:
        raise AssertionError("an unknown region is an error")
