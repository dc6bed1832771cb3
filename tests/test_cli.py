"""The command line, run as a user runs it."""
from __future__ import annotations

import csv
import io
import json

from compare.pipeline import BUNDLED_CORPUS

from .conftest import run_cli


def test_segment_without_arguments_summarises_the_bundled_corpus():
    r = run_cli("segment")
    assert r.returncode == 0, r.stderr
    for doc_id in ("haidian_plan", "chongqing_rectification", "compilation_2021q1", "npc_research_2020",
                   "progress_report_2021"):
        assert doc_id in r.stdout
    assert "total" in r.stdout


def test_jsonl_and_csv_carry_the_documented_fields(tmp_path):
    r = run_cli("segment", "--level", "fine", "--format", "jsonl")
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert rows and {"doc_id", "measure_id", "ordinal", "label", "path", "text", "raw", "start",
                     "end"} <= set(rows[0])
    out = tmp_path / "m.csv"
    r = run_cli("segment", str(BUNDLED_CORPUS / "haidian_liangqu_implementation_plan.txt"), "--format", "csv",
            "--out", str(out))
    assert r.returncode == 0 and out.exists() and "wrote" in r.stderr
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(table) == 63   # the hand-made cut of tests/data/gold/roles/haidian_plan.tsv has 63 segments
    assert sum(r["role"] == "measure" for r in table) >= 39 and all(r["role_reason"] for r in table)
    raw = (BUNDLED_CORPUS / "haidian_liangqu_implementation_plan.txt").read_text(encoding="utf-8")
    assert all(raw[int(t["start"]):int(t["end"])] == t["raw"] for t in table)


def test_output_is_deterministic():
    a = run_cli("segment", "--format", "jsonl").stdout
    b = run_cli("segment", "--format", "jsonl").stdout
    assert a == b and a


def test_a_bad_document_is_reported_and_the_others_still_come_out(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text((BUNDLED_CORPUS / "chongqing_ftz_rectification_report_2024.txt").read_text(encoding="utf-8"),
                    encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(bytes(range(128, 256)) * 40)
    r = run_cli("segment", str(good), str(bad), "--format", "jsonl")
    assert r.returncode == 1
    assert "bad.txt" in r.stderr and "Traceback" not in r.stderr
    alone = run_cli("segment", str(good), "--format", "jsonl")
    assert r.stdout == alone.stdout and len(r.stdout.splitlines()) >= 20


def test_missing_path_and_bad_option_fail_cleanly(tmp_path):
    r = run_cli("segment", str(tmp_path / "nope.txt"))
    assert r.returncode == 2 and "nope.txt" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("segment", "--level", "medium")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    r = run_cli("segment", str(tmp_path / "x.pdf"))
    assert r.returncode == 2 and "x.pdf" in r.stderr


def test_failed_write_leaves_no_partial_file(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("previous", encoding="utf-8")
    r = run_cli("segment", "--format", "jsonl", "--out", str(target))
    assert r.returncode == 0 and target.read_text(encoding="utf-8") != "previous"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.jsonl.")]
