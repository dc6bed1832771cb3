"""Segmentation: provenance, non-overlap, stable ids, sub-documents, gold boundaries, lawref articles."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest

from compare.config import Config
from compare.ingest import infer_meta, read_document
from compare.normalize import normalize
from compare.segment import segment

from .conftest import coverage_faults, lawref_files


@pytest.mark.parametrize("level", ["coarse", "fine"])
def test_raw_is_the_exact_source_slice_and_measures_do_not_overlap(segmented, level):
    for s in segmented[level].values():
        raw = s.document.raw
        assert s.measures, s.document.id
        last_end = -1
        for m in s.measures:
            assert raw[m.start:m.end] == m.raw
            assert m.start >= last_end, (m.measure_id, m.label)
            last_end = m.end
            assert m.text == s.document.text[m.norm_start:m.norm_end]
            assert m.text or m.role == "procedure"   # a bare enumerator or heading mark has no text
        ids = [m.measure_id for m in s.measures]
        assert len(ids) == len(set(ids))
        assert [m.ordinal for m in s.measures] == list(range(1, len(s.measures) + 1))


def test_ids_are_stable_and_survive_edits_elsewhere(corpus_docs):
    d = corpus_docs["chongqing_rectification"]
    first, _ = segment(d)
    again, _ = segment(d)
    assert [m.measure_id for m in first] == [m.measure_id for m in again]
    # insert a new item (三) in section 一, renumber the items after it, and reword item (五):
    # every other measure keeps its id
    lo, hi = d.raw.index("一、主要工作开展情况"), d.raw.index("二、工作中存在的不足")
    section = d.raw[lo:hi]
    for old, new in (("六", "七"), ("五", "六"), ("四", "五"), ("三", "四")):
        section = section.replace(f"\n({old})", f"\n({new})")
    section = section.replace("\n(四)", "\n(三)新增一项措施，建立自贸试验区发展基金。\n\n(四)", 1)
    section = section.replace("服务推动产业转型升级", "服务推进产业转型升级")
    edited = replace(d, normalized=normalize(d.raw[:lo] + section + d.raw[hi:], script="simplified"))
    after, _ = segment(edited)
    reworded = [m.measure_id for m in first if m.text.startswith("服务推动产业转型升级")]
    assert len(reworded) == 1
    assert {m.measure_id for m in first} - set(reworded) <= {m.measure_id for m in after}
    assert len(after) == len(first) + 1


def test_haidian_has_its_24_numbered_tasks(segmented):
    ms = segmented["coarse"]["haidian_plan"].measures
    tasks = [m for m in ms if m.path and m.path[0].startswith("三、") and m.kind == "item"]
    assert [re.sub(r"^三、\(.\)", "", m.label) for m in tasks] == [f"{i}." for i in range(1, 25)]
    assert tasks[0].label == "三、(一)1." and tasks[0].path == ("三、主要任务和举措", "(一)推动高水平的投资贸易自由化便利化")
    assert tasks[0].raw.startswith("1.多措並舉深化投資領域改革")
    assert tasks[0].text.startswith("多措并举深化投资领域改革")


def test_compilation_splits_into_its_documents(segmented):
    s = segmented["coarse"]["compilation_2021q1"]
    titles = [sd.title for sd in s.subdocuments]
    assert len(titles) >= 25
    for t in ("北京市促进私营个体经济发展条例", "航空服务领域“两区”建设工作方案", "健康医疗领域“两区”建设方案",
              "数字经济领域“两区”建设工作方案", "专业服务领域“两区”建设工作方案", "金融领域“两区”建设工作方案",
              "北京海关关于“两区”建设推进工作措施", "北京市知识产权局关于“两区”建设推进工作措施"):
        assert t in titles
    aviation = [sd for sd in s.subdocuments if sd.title.startswith("航空服务")][0]
    assert aviation.group.endswith("1.“两区”建设领域")
    in_aviation = [m for m in s.measures if m.subdoc == aviation.title]
    assert in_aviation and all(aviation.start <= m.start < aviation.end for m in in_aviation)
    regulation = [m for m in s.measures if m.subdoc == "北京市促进私营个体经济发展条例" and m.kind == "item"]
    assert [m.label for m in regulation][:3] == ["第一条", "第二条", "第三条"] and len(regulation) == 43


def test_journal_splits_into_its_research_reports(segmented):
    s = segmented["coarse"]["npc_research_2020"]
    assert len(s.subdocuments) == 26
    assert any("服务业扩大开放" in sd.title for sd in s.subdocuments)


def test_responsible_units_become_attributes(segmented):
    ms = segmented["coarse"]["compilation_2021q1"].measures
    units = [m.attr("责任单位") for m in ms if m.attr("责任单位")]
    assert len(units) >= 10
    assert any(u.startswith("市金融监管局") for u in units)


def test_progress_report_clauses(segmented):
    coarse = segmented["coarse"]["progress_report_2021"].measures
    fine = segmented["fine"]["progress_report_2021"].measures
    assert [m.label for m in coarse if m.path == ("二、存在问题",)] == ["二、一是", "二、二是", "二、三是", "二、四是", "二、五是"]
    # the five systems of the preamble are fine measures of its paragraph
    clauses = [m for m in fine if m.kind == "item"][:5]
    assert [m.text[:6] for m in clauses] == ["建立高位统筹", "建立整体和重", "建立健全结果", "建立全渠道覆", "建立客观有针"]


ARTICLE_HEAD = re.compile(r"^[ \t\u3000]*(第[零〇一二三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?)[ \t\u3000]", re.M)


def test_every_lawref_article_is_exactly_one_coarse_measure():
    files = lawref_files()
    mismatched, articles, faults = [], 0, []
    for f in files:
        raw = f.read_text(encoding="utf-8")
        heads = {m.start(1): m.group(1) for m in ARTICLE_HEAD.finditer(raw)}
        doc = read_document(infer_meta(f))
        measures, _ = segment(doc, config=Config(level="coarse"))
        starts: dict[int, list[str]] = {}
        for m in measures:
            starts.setdefault(m.start, []).append(m.label)
        articles += len(heads)
        for pos, label in heads.items():
            if starts.get(pos) != [label]:
                mismatched.append((f.name, label, starts.get(pos)))
        faults += coverage_faults(doc, measures)
    assert len(files) > 3000 and articles > 100_000
    assert not mismatched, mismatched[:20]
    assert not faults, faults[:10]   # and nothing is lost: every character is in exactly one segment
