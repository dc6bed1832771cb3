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
    from compare.segment import contents_lines, find_subdocuments

    for level in ("coarse", "fine"):
        for s in segmented[level].values():
            blank = [dataclasses.replace(m, role="measure", role_reason="") for m in s.measures]
            contents = contents_lines(find_subdocuments(s.document.text)[2], blank)
            expected = [dataclasses.replace(m, role=r, role_reason=why)
                        for m, (r, why) in ((m, classify(m, contents=m.start in contents)) for m in blank)]
            assert assign_roles(blank, doc=s.document, contents=contents) == expected == list(s.measures)


def test_the_table_of_contents_of_a_compilation_holds_no_measure(segmented):
    """The compilation's table of contents lists its documents' titles under part and group headings
    (第二部分有关行业领域政策 / “两区”建设领域 / 航空服务领域“两区”建设工作方案 …): each entry is a title, as the same
    line at the head of that document is, so it is procedure, and the aligner never pairs it with the measures of
    the document it names (readers who see only the texts judged such pairs true: a title that names a plan
    against an item of it). Only the lines of the contents: the compilation's own part headings and preface
    after it, and every segment of the other documents, keep the roles their rules give."""
    from compare.roles import classify

    measures = segmented["coarse"]["compilation_2021q1"].measures
    strip = str.maketrans("", "", "“”《》")
    titles = {t.translate(strip) for t in (m.subdoc for m in measures) if t}
    front = [m for m in measures if not m.subdoc]
    listed = [m for m in front if "".join(m.text.split()).translate(strip).lstrip("0123456789") in titles]
    assert len(listed) >= 20 and len(titles) >= 20
    assert all(m.role == "procedure" and m.role_reason == "a line of the table of contents" for m in listed), \
        [(m.text, m.role, m.role_reason) for m in listed if m.role_reason != "a line of the table of contents"]
    # without the contents rule most of these titles would be measures: the rule is the contents', not the words'
    assert sum(classify(m)[0] == "measure" for m in listed) >= 15
    # after the contents, outside every document: the compilation's part heading (第一部分) and its preface keep
    # the roles the other rules give them
    after = [m for m in front if m.start > max(x.end for x in listed)]
    assert any(m.text == "第一部分" for m in after) and any("。" in m.text for m in after)
    assert all((m.role, m.role_reason) == classify(m) for m in after)
    # every other document: each segment has the role the rules give it without a table of contents (the journal
    # has one too: its lines were procedure already, as titles, and stay so)
    for doc, s in segmented["coarse"].items():
        if doc == "compilation_2021q1":
            continue
        for m in s.measures:
            if m.role_reason == "a line of the table of contents":
                assert doc == "npc_research_2020" and classify(m)[0] == "procedure", (doc, m.text)
            else:
                assert (m.role, m.role_reason) == classify(m), (doc, m.text)


def test_a_compilation_whose_first_document_follows_its_contents_at_once(tmp_path):
    """A compilation with no cover page or preface: the contents run on into the first document, whose items
    have no sentence punctuation. Only lines of the contents become procedure; the items stay measures
    wherever the segmenter puts them."""
    from compare.pipeline import load, segment_all

    text = ("目录\n"
            "北京市优化营商环境若干措施\n"
            "北京市促进科技创新若干措施\n"
            "北京市支持中小企业发展若干措施\n"
            "北京市优化营商环境若干措施\n"
            "一、简化企业开办流程\n"
            "二、推行证照分离改革\n"
            "三、加大减税降费力度,对符合条件的小微企业减免房产税。\n"
            "北京市促进科技创新若干措施\n"
            "一、支持企业建设研发中心,给予最高500万元资金支持。\n"
            "二、对首台(套)重大技术装备给予保险补偿。\n"
            "北京市支持中小企业发展若干措施\n"
            "一、设立中小企业发展基金,支持初创企业融资。\n")
    path = tmp_path / "comp.txt"
    path.write_text(text, encoding="utf-8")
    (s,) = segment_all(load([path]).documents)
    subdocs = {m.subdoc for m in s.measures if m.subdoc}
    assert len(subdocs) >= 2, subdocs                     # a compilation: its later documents are found
    front = {m.text: (m.role, m.role_reason) for m in s.measures if not m.subdoc}
    for item in ("简化企业开办流程", "推行证照分离改革"):   # the first document's items, outside every sub-document
        assert front[item][0] == "measure", front
    assert any(r == "a line of the table of contents" for _, r in front.values()), front