"""Roles and the complete cut: every character in one segment, roles against the hand-labelled gold,
actions split out of report paragraphs, the role filter in the CLI, the report and the views."""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from compare import pipeline
from compare.config import Config
from compare.errors import ConfigError
from compare.ingest import infer_meta, read_document
from compare.roles import DEFAULT_ROLES, ROLES, parse_roles, select
from compare.segment import segment

from .conftest import LAWREF, ROOT, coverage_faults, lawref_files, run_cli

sys.path.insert(0, str(ROOT / "benchmarks"))
import role_quality  # noqa: E402


@pytest.mark.parametrize("level", ["coarse", "fine"])
def test_every_character_of_the_bundled_corpus_is_in_exactly_one_segment(segmented, level):
    for s in segmented[level].values():
        assert coverage_faults(s.document, s.measures) == []
        assert all(m.role in ROLES and m.role_reason for m in s.measures)


def test_every_character_of_lawref_is_in_exactly_one_fine_segment():
    faults, roles = [], Counter()
    for f in lawref_files():
        doc = read_document(infer_meta(f))
        measures, _ = segment(doc, config=Config(level="fine"))
        faults += coverage_faults(doc, measures)
        faults += [f"{f.name}: {m.label} cut into actions" for m in measures
                   if m.kind == "action" and m.label.startswith("第")]   # articles are cut at their items only
        roles.update(m.role for m in measures)
    assert not faults, faults[:10]
    # laws are mostly rules; their titles, adoption lines, chapters and final articles are procedure
    assert roles["measure"] > 0.7 * sum(roles.values()) and roles["procedure"] > 10_000


def test_a_cut_into_segments_keeps_dropped_lines_a_preamble_and_closing_lines(segmented):
    ms = segmented["coarse"]["chongqing_rectification"].measures
    by_text = {m.text: m for m in ms}
    assert by_text["特此报告。"].role == "procedure"
    assert by_text["市人大常委会:"].role == "procedure"
    opening = next(m for m in ms if m.text.startswith("按照《重庆市人大常委会对"))
    assert opening.role == "procedure" and opening.kind == "paragraph"
    problems = [m for m in ms if m.path and m.path[-1] == "二、工作中存在的不足"]
    assert [m.label for m in problems] == ["二、一是", "二、二是", "二、三是"]
    assert {m.role for m in problems} == {"problem"}
    heading = next(m for m in ms if m.kind == "heading" and m.text == "工作中存在的不足")
    assert heading.role == "procedure"   # a heading that only names a part of the report


def test_background_goal_and_measures_of_the_haidian_plan(segmented):
    ms = segmented["coarse"]["haidian_plan"].measures
    land = next(m for m in ms if m.raw.startswith("自貿區科技創新片區海淀組團用地面積"))
    assert land.role == "background" and land.role_reason.startswith("heading: (一)规划范围内的土地利用")
    tasks = [m for m in ms if m.path and m.path[0].startswith("三、") and m.kind == "item"]
    assert len(tasks) == 24 and {m.role for m in tasks} == {"measure"}


def test_report_paragraph_is_split_into_one_action_per_agency(segmented, corpus_docs):
    """Chongqing 一、(四): five agencies report what each did, in one unnumbered paragraph (read by hand)."""
    fine = segmented["fine"]["chongqing_rectification"].measures
    item = [m for m in fine if m.label.startswith("一、(四)")]
    assert [m.label for m in item] == ["一、(四)", "一、(四)a", "一、(四)b", "一、(四)c", "一、(四)d", "一、(四)e"]
    assert [m.kind for m in item] == ["lead-in"] + ["action"] * 5
    actors = ["市政府全面抓好", "重庆市税务局推动", "人行重庆市分行升级", "金融监管总局重庆监管局深化", "重庆海关创新"]
    assert [m.raw[:len(actor)] for m, actor in zip(item[1:], actors)] == actors
    raw = corpus_docs["chongqing_rectification"].raw
    assert all(raw[m.start:m.end] == m.raw for m in item)
    # the actions and the lead-in cover the coarse item exactly
    coarse = next(m for m in segmented["coarse"]["chongqing_rectification"].measures if m.label == "一、(四)")
    assert item[0].start == coarse.start and item[-1].end == coarse.end
    assert all(a.end <= b.start for a, b in zip(item, item[1:]))
    # the coarse level is unchanged: one measure
    assert coarse.kind == "item" and coarse.role == "measure"


def test_law_articles_are_not_cut_into_actions_and_final_articles_are_procedure():
    f = next(iter(p for p in lawref_files() if p.name == "中国（重庆）自由贸易试验区条例(2019-09-26).md"))
    doc = read_document(infer_meta(f))
    fine, _ = segment(doc, config=Config(level="fine"))
    assert not [m for m in fine if m.kind == "action"]
    last = fine[-1]
    assert last.label == "第五十六条" and last.role == "procedure" and "施行" in last.role_reason
    first = next(m for m in fine if m.label == "第一条")
    assert first.role == "procedure"   # purpose and basis: 为了…，根据…，制定本条例
    assert next(m for m in fine if m.label == "第二十条").role == "measure"


def test_roles_and_fine_boundaries_match_the_gold_development_part():
    """Hand-labelled gold (tests/data/gold/roles, policy ROLES.md): the part the rules were tuned on."""
    res = role_quality.evaluate()
    for level in ("coarse", "fine"):
        pairs = [p for _, sc in res[level] for p in sc.pairs if not p[2]]
        P, R = role_quality.prf(pairs)
        bP, _ = role_quality.prf(pairs, predicted=lambda p: True)
        assert P >= 0.90 and R >= 0.90, (level, P, R)
        assert P >= bP + 0.2      # far above calling everything a measure
    for level in ("coarse", "fine"):
        g = sum(sc.gold_starts for _, sc in res[level])
        p = sum(sc.predicted_starts for _, sc in res[level])
        m = sum(sc.matched_starts for _, sc in res[level])
        # the two lawref regulations of the gold need ../shared (113 coarse segments, cut without an error):
        # without them fewer segments, and the coarse bar is the journal's (one reader kept 一是…二是 run together)
        full = LAWREF.is_dir()
        bar = 0.95 if full or level == "fine" else 0.93
        assert g >= (300 if full else 250) and m / p >= bar and m / g >= bar, (level, m / p, m / g)


def test_gold_has_enough_segments_and_a_frozen_held_out_part():
    res = role_quality.evaluate()
    coarse = [p for _, sc in res["coarse"] for p in sc.pairs]
    files = {case.gold.name for case, _ in res["coarse"]}
    if not LAWREF.is_dir():
        pytest.skip("the lawref gold files need ../shared/corpus/lawref")
    assert len(coarse) >= 300 and len(files) >= 5
    assert sum(1 for p in coarse if p[2]) >= 120
    assert sum(1 for p in [p for _, sc in res["fine"] for p in sc.pairs] if p[2]) >= 150


def test_parse_roles():
    assert parse_roles(None) == DEFAULT_ROLES == ("measure", "goal")
    assert parse_roles("all") == ROLES
    assert parse_roles("problem,measure") == ("measure", "problem")
    with pytest.raises(ConfigError):
        parse_roles("measures")


def test_alignment_uses_measure_and_goal_unless_told(corpus_docs):
    docs = [corpus_docs["haidian_plan"], corpus_docs["chongqing_rectification"], corpus_docs["progress_report_2021"]]
    default = pipeline.align_documents(docs)
    roles = {p.a.role for p in default.pairs} | {p.b.role for p in default.pairs} | {m.role for m in default.unique}
    assert roles <= {"measure", "goal"}
    from compare.align import AlignConfig
    every = pipeline.align_documents(docs, align_config=AlignConfig(roles="all"))
    assert {m.role for m in every.unique} >= {"procedure", "problem"}
    assert len(every.unique) > len(default.unique)


def test_cli_roles(tmp_path):
    r = run_cli("segment", "--roles", "procedure", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert rows and {x["role"] for x in rows} == {"procedure"} and all(x["role_reason"] for x in rows)
    table = run_cli("segment").stdout
    assert all(role in table.splitlines()[0] for role in ROLES)
    bad = run_cli("align", "--roles", "measures")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "--roles" in bad.stderr
    out = tmp_path / "pairs.csv"
    r = run_cli("align", str(ROOT / "corpus" / "haidian_liangqu_implementation_plan.txt"),
                str(ROOT / "corpus" / "chongqing_ftz_rectification_report_2024.txt"), "--roles", "all",
                "--format", "csv", "--out", str(out))
    assert r.returncode == 0, r.stderr
    head = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert "role_a" in head and "role_b" in head


def test_roles_on_the_held_out_part():
    """Scored once after the rules were fixed (2026-11-29: coarse P 0.946 R 0.981 on 166 segments, fine
    P 0.957 R 0.978 on 244); this keeps it there."""
    res = role_quality.evaluate()
    for level in ("coarse", "fine"):
        pairs = [p for _, sc in res[level] for p in sc.pairs if p[2]]
        P, R = role_quality.prf(pairs)
        assert len(pairs) >= (150 if LAWREF.is_dir() else 100) and P >= 0.90 and R >= 0.90, (level, len(pairs), P, R)


def test_assign_roles_equals_classify_and_replace(segmented):
    """``assign_roles`` (a cache of heading trails, and measures rebuilt field by field) gives what classifying
    each segment and ``dataclasses.replace`` give, on every segment of the bundled corpus at both levels."""
    import dataclasses

    from compare.roles import assign_roles, classify

    for level in ("coarse", "fine"):
        for s in segmented[level].values():
            blank = [dataclasses.replace(m, role="measure", role_reason="") for m in s.measures]
            compiled = any(m.subdoc for m in blank)
            expected = [dataclasses.replace(m, role=r, role_reason=why)
                        for m, (r, why) in ((m, classify(m, compiled=compiled)) for m in blank)]
            assert assign_roles(blank, doc=s.document) == expected == list(s.measures)


def test_the_table_of_contents_of_a_compilation_holds_no_measure(segmented):
    """The compilation's table of contents lists its documents' titles under group headings (“两区”建设领域 /
    航空服务领域“两区”建设工作方案 …): each entry is a title, as the same line at the head of that document is,
    so it is procedure and the aligner never pairs it with the measures of the document it names (the
    readers of the held-out sets judged such pairs true: a title that names a plan against an item of it).
    A line with a sentence outside the sub-documents keeps the role its sentences give."""
    from compare.roles import classify

    measures = segmented["coarse"]["compilation_2021q1"].measures
    titles = {m.subdoc for m in measures if m.subdoc}
    front = [m for m in measures if not m.subdoc]
    toc = [m for m in front if "".join(m.text.split()).translate(str.maketrans("", "", "“”《》"))
           in {t.translate(str.maketrans("", "", "“”《》")) for t in titles}]
    assert len(toc) >= 15 and len(titles) >= 20
    assert all(m.role == "procedure" for m in toc), [(m.text, m.role, m.role_reason) for m in toc if m.role != "procedure"]
    assert sum(m.role_reason.startswith("a line of the front matter") for m in front) >= 15
    # the same lines outside a compilation would be measures: the rule is the front matter's, not the words'
    assert sum(classify(m)[0] == "measure" for m in toc) >= 15
    # the body's own paragraphs outside the sub-documents (第一部分 … 民营经济是推动…) keep their roles
    assert any(m.role == "measure" and "。" in m.text for m in front)
    # every other document of the corpus keeps the roles it had: none holds sub-documents but the journal,
    # whose front-matter lines were titles already
    for doc, s in segmented["coarse"].items():
        if doc != "compilation_2021q1":
            assert not any(m.role_reason.startswith("a line of the front matter") for m in s.measures), doc
