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
    text = out.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")   # a BOM, so that Excel on Chinese Windows reads UTF-8
    table = list(csv.DictReader(io.StringIO(text[1:])))
    assert len(table) == 63   # the hand-made cut of tests/data/gold/roles/haidian_plan.tsv has 63 segments
    assert sum(r["role"] == "measure" for r in table) >= 39 and all(r["role_reason"] for r in table)
    raw = (BUNDLED_CORPUS / "haidian_liangqu_implementation_plan.txt").read_text(encoding="utf-8")
    assert all(raw[int(t["start"]):int(t["end"])] == t["raw"] for t in table)


def test_output_is_deterministic_whatever_the_worker_count():
    for command in ("segment", "align", "evolve"):
        a = run_cli(command, "--format", "jsonl").stdout
        b = run_cli(command, "--format", "jsonl", "--workers", "2").stdout
        assert a == b and a, command
    r = run_cli("align", "--workers", "-1")
    assert r.returncode == 2 and "--workers is 0 (every core) or more" in r.stderr


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
    # no document that can be read: no empty result, exit 2 (as compare.segment raises), each one named
    worse = tmp_path / "worse.txt"
    worse.write_bytes(b"")
    r = run_cli("segment", str(bad), str(worse), "--format", "jsonl")
    assert r.returncode == 2 and not r.stdout and "Traceback" not in r.stderr
    assert "bad.txt" in r.stderr and "worse.txt: is empty" in r.stderr and "no document could be read (2 named" in r.stderr


def test_missing_path_and_bad_option_fail_cleanly(tmp_path):
    r = run_cli("segment", str(tmp_path / "nope.txt"))
    assert r.returncode == 2 and "nope.txt" in r.stderr and "Traceback" not in r.stderr
    # beside documents that are read, a missing path, an empty folder and a broken corpus.toml are each named
    # with the reason, and the others' results still come out (exit 1)
    (tmp_path / "empty").mkdir()
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "corpus.toml").write_text("[[document]]\nid = 'a'\n", encoding="utf-8")
    plan = BUNDLED_CORPUS / "haidian_liangqu_implementation_plan.txt"
    alone = run_cli("segment", str(plan), "--format", "jsonl")
    r = run_cli("segment", str(tmp_path / "nope.txt"), str(plan), str(tmp_path / "empty"), str(tmp_path / "broken"),
                "--format", "jsonl")
    assert r.returncode == 1 and r.stdout == alone.stdout and len(alone.stdout.splitlines()) > 50
    for why in ("nope.txt: no such file or folder", "empty: folder holds no document", "missing field 'file'"):
        assert why in r.stderr, why
    assert "Traceback" not in r.stderr
    # a folder of files that are not read is named once with them, not again as "not read"; all bad: one error
    (tmp_path / "word").mkdir()
    (tmp_path / "word" / "plan.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    r = run_cli("segment", str(plan), str(tmp_path / "word"), "--format", "jsonl")
    assert r.returncode == 1 and r.stdout == alone.stdout and r.stderr.count("plan.doc") == 1, r.stderr
    r = run_cli("segment", str(tmp_path / "nope.txt"), str(tmp_path / "word"))
    assert r.returncode == 2 and r.stderr.count("policy-compare: error:") == 1, r.stderr
    assert "no path could be read: " in r.stderr and "nope.txt" in r.stderr and "plan.doc" in r.stderr
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


def test_out_takes_its_format_from_the_extension_and_csv_is_safe_for_spreadsheets(tmp_path):
    import pandas as pd

    doc = tmp_path / "hostile.txt"
    doc.write_text("一、总则\n=HYPERLINK(\"http://example.invalid\",\"click\")，推动设立知识产权交易中心。\n"
                   "+1 加强组织领导，各有关部门按季度报送工作进展情况。\n", encoding="utf-8")
    for ext in ("jsonl", "csv", "xlsx", "parquet"):
        r = run_cli("segment", str(doc), "--roles", "all", "--out", str(tmp_path / f"s.{ext}"))
        assert r.returncode == 0 and (tmp_path / f"s.{ext}").stat().st_size > 0, (ext, r.stderr)
    assert json.loads((tmp_path / "s.jsonl").read_text(encoding="utf-8").splitlines()[1])["raw"].startswith("=HYPER")
    cells = (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in cells and ",=HYPERLINK" not in cells
    assert pd.read_parquet(tmp_path / "s.parquet")["raw"].str.startswith("=HYPER").any()   # exact text kept
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "s.xlsx").active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert any(isinstance(v, str) and v.startswith("'=HYPERLINK") for v in values)
    bad = run_cli("segment", str(doc), "--out", str(tmp_path / "s.txt"))
    assert bad.returncode == 2 and "extension" in bad.stderr and not (tmp_path / "s.txt").exists()


def test_every_subcommand_has_help_and_diff_needs_two_items():
    for sub in ("segment", "align", "gaps", "evolve", "report", "diff"):
        r = run_cli(sub, "--help")
        assert r.returncode == 0 and "usage" in r.stdout, (sub, r.stderr)
    r = run_cli("diff", "onlyone")
    assert r.returncode == 2 and "NEW" in r.stderr and "Traceback" not in r.stderr
    # two files are not two measures: the message says what compares two versions (a newcomer tried this)
    plan, report = (str(BUNDLED_CORPUS / f) for f in ("haidian_liangqu_implementation_plan.txt",
                                                      "chongqing_ftz_rectification_report_2024.txt"))
    r = run_cli("diff", plan, report)
    assert r.returncode == 2 and "are files" in r.stderr and "evolve OLD NEW --in-order" in r.stderr
    assert "Traceback" not in r.stderr
    r = run_cli("diff", "haidian_plan:0", "haidian_plan:1")   # ids that no document has, looked up where?
    assert r.returncode == 2 and "looked up in the bundled corpus" in r.stderr and "--corpus" in r.stderr


def test_large_outputs_get_a_short_table_that_says_how_to_get_all():
    from .conftest import LAWREF, lawref_files

    lawref_files()   # skips with a reason when lawref is absent
    folder = LAWREF / "DLC" / "北京地方法规" / "地方性法规" / "北京"
    r = run_cli("segment", str(folder))
    lines = r.stdout.splitlines()
    assert r.returncode == 0 and len(lines) <= 45 and "more documents" in lines[-1] and "--out" in lines[-1]


def _on_a_terminal(*args: str) -> tuple[int, str]:
    """Run the command with stderr on a pseudo-terminal (as a researcher sees it); (exit code, stderr)."""
    import os
    import pty
    import subprocess
    import sys

    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))   # a 120-column terminal
    proc = subprocess.Popen([sys.executable, "-m", "compare", *args], stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(), b"".join(chunks).decode("utf-8", "replace")


def test_progress_shows_on_a_terminal_and_not_with_quiet_or_in_a_pipe():
    code, err = _on_a_terminal("align")
    assert code == 0 and "scoring pairs" in err and "%|" in err
    code, err = _on_a_terminal("align", "--quiet")
    assert code == 0 and "%|" not in err
    piped = run_cli("align")
    assert piped.returncode == 0 and "%|" not in piped.stderr


def test_a_folder_of_mixed_files_names_what_it_does_not_read(tmp_path):
    """Damaged PDF/Word files are errors that name the file; file types that are not read are named too; the
    good document is kept (tests/test_readers.py reads real PDF, Word and web-page renderings)."""
    (tmp_path / "cq.txt").write_bytes((BUNDLED_CORPUS / "chongqing_ftz_rectification_report_2024.txt").read_bytes())
    (tmp_path / "plan.pdf").write_bytes(b"%PDF-1.7\n")
    (tmp_path / "plan.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "old.wps").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    (tmp_path / "page.txt").write_text("<!DOCTYPE html>\n<html><head><title>x</title></head><body></body></html>",
                                       encoding="utf-8")
    r = run_cli("segment", str(tmp_path), "--format", "jsonl")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "plan.pdf: is a damaged or unreadable PDF" in r.stderr
    assert "plan.docx: is not a readable Word .docx file (the ZIP package is incomplete" in r.stderr
    assert "old.wps: WPS files are not read" in r.stderr
    assert "page.txt: is a web page in which no main text was found" in r.stderr
    assert "1 document(s) read, 3 could not be read, 1 file(s) of other types not read" in r.stderr
    assert {json.loads(x)["doc_id"] for x in r.stdout.splitlines()} == {"cq"}   # the good document is kept
    only = tmp_path / "only_wps"
    only.mkdir()
    (only / "plan.wps").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    r = run_cli("segment", str(only))
    assert r.returncode == 2 and "holds no document that is read" in r.stderr and "plan.wps" in r.stderr


def test_out_parts_is_a_folder_of_parquet_parts_that_reads_as_the_single_file(tmp_path):
    """``align --out-parts``: Parquet parts written one at a time, read back by pandas as the same table as the
    single ``.parquet`` file; a manifest naming the run; replaced whole by the next run; a folder holding
    anything else is refused and left as it was."""
    import pandas as pd

    from compare import pipeline
    from compare.pairmodel import load as load_model
    from compare.align import AlignConfig

    one, folder = tmp_path / "pairs.parquet", tmp_path / "parts"
    assert run_cli("align", "--quiet", "--out", str(one)).returncode == 0
    done = run_cli("align", "--quiet", "--out-parts", str(folder))
    assert done.returncode == 0 and "in 1 Parquet part(s)" in done.stderr, done.stderr
    single = pd.read_parquet(one)
    pd.testing.assert_frame_equal(pd.read_parquet(folder), single, check_dtype=False)
    assert sorted(p.name for p in folder.iterdir()) == ["_manifest.json", "part-00000.parquet"]

    # several parts, in the pairs' order, with one schema (the Python API, 100 pairs a part)
    loaded = pipeline.load()
    alignment = pipeline.align_documents(loaded.documents)
    n_parts = -(-len(single) // 100)
    assert n_parts >= 3 and pipeline.write_pair_parts(alignment, loaded, folder, per_part=100) == n_parts
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["_manifest.json"] + [f"part-{k:05d}.parquet" for k in range(n_parts)]
    schemas = {str(pd.read_parquet(folder / n).dtypes.to_dict()) for n in names[1:]}
    assert len(schemas) == 1
    pd.testing.assert_frame_equal(pd.read_parquet(folder), single, check_dtype=False)
    manifest = json.loads((folder / "_manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"] == {"pairs": len(single), "parts": n_parts, "pairs_per_part": 100,
                                  "candidates": alignment.candidates}
    assert manifest["parameters"]["pair_model"] == load_model().sha256 and len(manifest["config_hash"]) == 16
    assert manifest["parameters"]["min_probability"] == AlignConfig().cutoff()

    # written as produced: each part is in the folder being written as soon as its pairs are explained, while
    # the aligner is still explaining the next ones (the streaming order is the final order)
    streamed = tmp_path / "streamed"
    seen: list[list[str]] = []
    with pipeline.pair_parts(streamed, loaded, per_part=100) as parts:
        def add(block):
            assert len(block) <= 100
            parts.add(block)
            seen.append(sorted(q.name for q in parts.folder.iterdir()))
        streaming = pipeline.align_documents(loaded.documents, on_pairs=add, pairs_per_call=parts.per_part)
        parts.finish(streaming)
    assert streaming.pairs == alignment.pairs and parts.count == n_parts
    full = len(single) // 100
    assert len(single) % 100      # the last part is a short one: finish writes it
    assert seen == [[f"part-{k:05d}.parquet" for k in range(n + 1)] for n in range(full)] + [
        [f"part-{k:05d}.parquet" for k in range(full)]]
    pd.testing.assert_frame_equal(pd.read_parquet(streamed), single, check_dtype=False)
    assert json.loads((streamed / "_manifest.json").read_text(encoding="utf-8"))["counts"] == manifest["counts"]
    # the screening list needs every pair before its order is known: handed on once they are all made
    review_blocks: list[int] = []
    reviewed = pipeline.align_documents(loaded.documents, align_config=AlignConfig(review=True),
                                        on_pairs=lambda b: review_blocks.append(len(b)), pairs_per_call=400)
    assert sum(review_blocks) == len(reviewed.pairs) > 400 and review_blocks[:-1] == [400] * (len(review_blocks) - 1)

    # a folder with a file of someone else's is refused before any work, and kept
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    refused = run_cli("align", "--quiet", "--out-parts", str(mine))
    assert refused.returncode != 0 and "notes.txt" in refused.stderr and "Traceback" not in refused.stderr
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    both = run_cli("align", "--quiet", "--out-parts", str(folder), "--out", str(tmp_path / "x.csv"))
    assert both.returncode != 0 and "not both" in both.stderr and "Traceback" not in both.stderr


def test_an_empty_path_argument_is_refused_not_read_as_the_working_directory(tmp_path):
    """``policy-compare segment "$UNSET"`` read every file under the working directory; now each verb that
    takes PATHs refuses an empty one (exit 2, no traceback) and reads nothing."""
    for args in (("segment", ""), ("align", str(tmp_path), ""), ("report", "", "--out", str(tmp_path / "r")),
                 ("diff", "a", "b", "--corpus", ""), ("evolve", "")):
        r = run_cli(*args)
        assert r.returncode == 2 and "an empty path" in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)
    assert not (tmp_path / "r").exists()


def test_the_screening_list_comes_most_probable_first_from_the_command_line_and_the_api():
    """``align --review`` writes the screening list in its order (pairs the copy rule keeps, then the most
    probable; a newcomer found it in document order) and ``compare.align(review=True)`` gives the same rows in
    the same order; the default output stays in document order."""
    import pandas as pd

    import compare

    df = compare.align(review=True)
    r = run_cli("align", "--review", "--format", "csv")
    assert r.returncode == 0, r.stderr
    cli = pd.read_csv(io.StringIO(r.stdout))
    assert 1000 < len(df) == len(cli) <= 1500
    assert list(zip(cli.measure_a, cli.measure_b)) == list(zip(df.measure_a, df.measure_b))
    default = compare.align()
    assert (df.probability.diff().dropna() <= 0).all() and df.probability.iloc[0] == default.probability.max()
    assert not (default.probability.diff().dropna() <= 0).all()   # document order, not probability
    assert list(default.doc_a) == sorted(default.doc_a, key=list(dict.fromkeys(default.doc_a)).index)


def test_gaps_from_the_command_line_are_the_api_s_and_the_report_s(tmp_path):
    """``policy-compare gaps`` with no argument: between every two regions of the bundled corpus, both ways (the
    report's directional gaps); ``--a``/``--b`` take the selectors of ``compare.gaps`` in any spelling and give
    its rows; ``--review`` counts a screening-list pair as a counterpart, so it leaves fewer gaps; one side alone
    is refused with a message, not a traceback. A newcomer's trial found no gaps command at all."""
    import pandas as pd

    import compare

    r = run_cli("gaps")
    assert r.returncode == 0, r.stderr
    assert "Beijing    Chongqing" in r.stdout and "Chongqing  Beijing" in r.stdout and "measures without a" in r.stdout
    out = tmp_path / "cq.csv"
    r = run_cli("gaps", "--a", "region:重庆市", "--b", "region:Beijing", "--b", "haidian_plan", "--out", str(out))
    assert r.returncode == 0 and "wrote" in r.stderr, r.stderr
    got = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
    api = compare.gaps(a="region:Chongqing", b="region:Beijing")
    assert list(got.columns) == list(api.columns)
    assert sorted(got["measure_id"]) == sorted(api["measure_id"]) and len(got) > 0
    everything = [json.loads(x) for x in run_cli("gaps", "--format", "jsonl").stdout.splitlines()]
    assert {(x["from"], x["measure_id"]) for x in everything if x["from"] == "Chongqing"} == \
        {("Chongqing", m) for m in api["measure_id"]}
    review = [json.loads(x) for x in run_cli("gaps", "--review", "--a", "region:Chongqing", "--b", "region:Beijing",
                                             "--format", "jsonl").stdout.splitlines()]
    assert {x["measure_id"] for x in review} < set(api["measure_id"])
    one = run_cli("gaps", "--a", "region:Chongqing")
    assert one.returncode == 2 and "--b" in one.stderr and "Traceback" not in one.stderr
    assert "no region" not in r.stderr   # every bundled document has one
    unknown = run_cli("gaps", "--a", "region:Atlantis", "--b", "region:Beijing")
    assert unknown.returncode == 2 and "region:Atlantis" in unknown.stderr and "Traceback" not in unknown.stderr


def test_gaps_and_segment_say_which_documents_have_no_region(tmp_path):
    """Two lawref regulations in a folder of no place: 中关村国家自主创新示范区条例 names no place in its title,
    北京市优化营商环境条例 does. The segment table shows each document's region ("-" for none); gaps between
    regions say which documents no region counts instead of leaving them out silently."""
    import shutil

    from .conftest import lawref_files

    found = {p.name.split("(")[0]: p for p in lawref_files()   # skips with a reason when lawref is absent
             if p.name.startswith(("中关村国家自主创新示范区条例", "北京市优化营商环境条例"))}
    assert len(found) == 2, sorted(found)
    for p in found.values():
        shutil.copyfile(p, tmp_path / p.name)
    r = run_cli("segment", str(tmp_path))
    import re

    row = {cells[0].split("@")[0]: cells[1] for line in r.stdout.splitlines()[2:]
           if len(cells := re.split(r"\s{2,}", line.strip())) > 1}   # columns stand two spaces or more apart
    assert row["北京市优化营商环境条例"] == "北京市" and row["中关村国家自主创新示范区条例"] == "-"
    r = run_cli("gaps", str(tmp_path), "--a", "region:北京市", "--b", "中关村国家自主创新示范区条例")
    assert r.returncode == 0 and "1 document(s) have no region" in r.stderr and "中关村国家自主创新示范区条例" in r.stderr
    # one region only, then seven provinces: gaps between regions compare nothing, and say so (exit 2), where
    # they had printed "no gaps"
    r = run_cli("gaps", str(tmp_path))
    assert r.returncode == 2 and "need two regions; these documents have 1 (北京市)" in r.stderr
    files = lawref_files()
    for province in ("上海", "广东", "山东", "河南", "浙江", "重庆"):
        shutil.copyfile(next(p for p in files if f"{province}地方法规" in str(p) and p.name.startswith(province)),
                        tmp_path / f"{province}.md")
    r = run_cli("gaps", str(tmp_path))
    assert r.returncode == 2 and "7 regions (" in r.stderr and "too many to compare two by two (at most 6)" in r.stderr
    assert "--a and --b" in r.stderr and "Traceback" not in r.stderr
