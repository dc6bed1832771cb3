"""Wording diff and change classification: golden cases, round trip, Chinese clean-up, escaping, CLI."""
from __future__ import annotations

import html
import json
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from compare.changes import classify, summary
from compare.diff import (diff_sides, diff_texts, measure_side, render_html, render_sides_html, render_text,
                          text_side, to_dict)

from .conftest import run_cli

CASES = sorted((Path(__file__).resolve().parent / "cases").glob("*.toml"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden_cases(path):
    case = tomllib.loads(path.read_text(encoding="utf-8"))
    d = diff_sides(text_side(case["old"]), text_side(case["new"]))
    assert render_text(d) == case["expected_text"]
    got = [f"{c.kind}:{c.direction} {c.old} -> {c.new}" for c in classify(d)]
    assert got == case["expected_changes"]


def test_there_are_golden_cases_from_the_corpus_and_from_lawref_versions():
    sources = [tomllib.loads(p.read_text(encoding="utf-8"))["source"] for p in CASES]
    assert len(CASES) >= 6
    assert any("Haidian" in s for s in sources) and sum("lawref" in s for s in sources) >= 4


cjk = st.sampled_from(list("北京市海淀区推进自由贸易试验区建设國際資訊軟體積體電路兩區開放探索全面推行，。；、（）"))
pieces = st.one_of(st.text(cjk, min_size=1, max_size=12),
                   st.sampled_from([" ", "2021年", "10万元", "15万元", "三十日", "(一)", "一是", "\n", "ＡＢ"]))
texts = st.lists(pieces, max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts, texts, st.sampled_from(["char", "word"]))
def test_apply_gives_the_new_text_and_the_inverse_the_old(old, new, unit):
    d = diff_texts(old, new, unit=unit)
    assert d.apply(old) == new
    assert d.inverse().apply(new) == old
    assert "".join(o.old for o in d.ops) == old and "".join(o.new for o in d.ops) == new


@settings(max_examples=100, deadline=None)
@given(texts, texts)
def test_round_trip_on_normalised_sides(old, new):
    a, b = text_side(old), text_side(new)
    d = diff_sides(a, b)
    assert d.apply(a.text) == b.text and d.inverse().apply(b.text) == a.text


def test_deterministic():
    a = "本市与天津市、河北省协同推进优化营商环境工作,逐步实现政务服务标准统一"
    b = "本市与天津市、河北省协同推进优化营商环境工作,实现政务服务标准统一、资质互认"
    assert [diff_texts(a, b).ops for _ in range(3)] == [diff_texts(a, b).ops] * 3


def test_a_three_character_word_is_not_swallowed():
    d = diff_texts("推进自由贸易试验区建设", "推进自贸试验区发展")
    equal = "".join(o.old for o in d.ops if o.tag == "equal")
    assert "试验区" in equal
    assert render_text(d) == "推进[-自由贸易-]{+自贸+}试验区[-建设-]{+发展+}"


def test_edits_take_whole_numbers_and_words():
    assert render_text(diff_texts("本规定自2007年12月1日起施行", "本规定自2025年1月1日起施行")) == \
        "本规定自[-2007-]{+2025+}年[-12-]{+1+}月1日起施行"
    assert render_text(diff_texts("探索在区内设立分所", "全面推行在区内设立分所")) == "[-探索-]{+全面推行+}在区内设立分所"


def test_trivial_differences_are_hidden_unless_asked_for():
    d = diff_texts("(一)北京市推进数字贸易港建设。", "(二)重庆市推进数字贸易港建设;")
    assert render_text(d) == "(二)重庆市推进数字贸易港建设;"
    assert {o.trivial for o in d.ops if o.changed} == {"enumerator", "region", "punctuation"}
    assert render_text(d, show_trivial=True) == "([-一-]{+二+})[-北京市-]{+重庆市+}推进数字贸易港建设[-。-]{+;+}"
    assert classify(d) == [] and d.edits == ()
    # Traditional and width differences vanish in the normalised comparison
    t = diff_sides(text_side("支援在區內建立備貨倉庫，"), text_side("支持在区内建立备货仓库,"))
    assert t.edits == ()


def test_strength_scope_and_actor_lexicons():
    assert summary(classify(diff_texts("探索开展跨境数据流动试点", "全面推行跨境数据流动试点"))) == "strength:strengthened"
    assert summary(classify(diff_texts("确保年底前完成", "研究年底前完成"))) == "strength:weakened"
    assert summary(classify(diff_texts("对企业给予补贴", "对符合条件的企业给予补贴"))) == "scope:narrowed"
    assert summary(classify(diff_texts("在自贸试验区推行", "在全市推行"))) == "scope:widened"
    assert summary(classify(diff_texts("责任单位:市商务局", "责任单位:市商务局、市财政局"))) == "actors:added"
    assert summary(classify(diff_texts("责任单位:市商务局", "责任单位:市商务局、市委办公厅"))) == "actors:added"
    # words that end like an office but name none (跨省通办, 产业布局, 管理办法, 总部), and clauses that only
    # start with a place and end with an office (市支持金融机构), are no actors; a word swapped is wording
    for old, new in (("推进政务服务。", "推进政务服务跨省通办。"), ("优化区域布局。", "优化区域协同产业布局。"),
                     ("执行测绘规定。", "执行北京市测绘任务登记管理办法。"), ("吸引企业。", "吸引企业在区总部集聚。"),
                     ("完善政策。", "完善政策，市支持金融机构。")):
        assert "actors" not in summary(classify(diff_texts(old, new))), new
    assert summary(classify(diff_texts("由市场主体申请。", "由经营主体申请。"))) == "wording:replaced"
    assert classify(diff_texts("会同相关部门办理。", "会同有关部门办理。")) == []   # data/same_wording.tsv
    # a strength word inside a whole new clause is a clause change, not a change of strength
    got = summary(classify(diff_texts("简化审批。", "简化审批,并确保在三十日内全面落实到位。")))
    assert "clauses:added" in got and "strength" not in got


def test_scope_words_are_no_region_rename_and_start_a_word():
    """A place renamed is trivial; a scope changed is not, though 本市, 全市, 全国 are also region words for
    matching (a newcomer's trial found 全国 -> 全市 and 本市 -> 全市 hidden: no markup, no change). 全市 inside
    another word (健全市, 安全市场) is no scope; at the end of one (面向全国) it is."""
    narrowed = diff_texts("在全国推广。", "在全市推广。")
    assert render_text(narrowed) == "在[-全国-]{+全市+}推广。" and summary(classify(narrowed)) == "scope:narrowed"
    # a place for a self-reference of the same extent stays a rename (comparing cities' plans is the main use)
    for old, new in (("本市开展试点。", "北京市开展试点。"), ("全区推广。", "海淀区推广。"), ("在本市开展试点。", "在全市开展试点。")):
        assert render_text(diff_texts(old, new)) == new and classify(diff_texts(old, new)) == []
    assert summary(classify(diff_texts("开展试点。", "在全市开展试点。"))) == "scope:widened"
    assert summary(classify(diff_texts("健全安全生产制度。", "健全安全市场秩序制度。"))) == "wording:replaced"   # no scope
    # a scope word may also end a jieba word that a verb of reach leads (面向全国 is one word), not straddle two
    assert summary(classify(diff_texts("面向全市推广。", "面向全国推广。"))) == "scope:widened"
    assert "scope" not in summary(classify(diff_texts("建立健全制度。", "建立健全市人民政府制度。")))
    assert summary(classify(diff_texts("在全市设立避难场所。", "在全市设立安全区。"))) == "wording:replaced"   # 安全区 is no 全区
    assert render_text(diff_texts("北京市开展试点。", "重庆市开展试点。")) == "重庆市开展试点。"


def test_a_phrase_of_commitment_words_weighs_as_its_first_and_one_is_no_count():
    """探索建立 is an exploration (1), not an establishment (3): replaced by 推行 it is strengthened; a word
    joining a phrase is weighed against it (建立 -> 建立健全 no change, 推行 -> 逐步推行 weakened, 逐步推行 ->
    逐步全面推行 strengthened); 一次告知
    (at once) is no quantity, 一批 -> 两批 is."""
    assert summary(classify(diff_texts("本市探索建立企业合规激励机制。", "本市推行企业合规激励机制。"))) == \
        "strength:strengthened"
    assert summary(classify(diff_texts("推行综合窗口。", "逐步推行综合窗口。"))) == "strength:weakened"
    # one hedge over both sides: the verb it governs decides (逐步推行 -> 逐步全面推行 was no change)
    wider = classify(diff_texts("逐步推行综合窗口。", "逐步全面推行综合窗口。"))
    assert summary(wider) == "strength:strengthened" and wider[0].detail == "2 (3) -> 2 (4)"
    assert summary(classify(diff_texts("逐步全面推行综合窗口。", "逐步推行综合窗口。"))) == "strength:weakened"
    assert classify(diff_texts("探索建立综合窗口。", "探索推进综合窗口。")) == []   # 建立 and 推进 are both 3
    assert classify(diff_texts("推行综合窗口。", "健全综合窗口。")) == []   # 健全 is on the scale (3)
    assert classify(diff_texts("推进数字化。", "推进新数字化。")) == []
    assert classify(diff_texts("实行告知制度。", "实行一次告知制度。")) == []   # 一次告知: at once, no count added
    assert summary(classify(diff_texts("每年开展一次检查。", "每年开展两次检查。"))) == "numbers:raised"
    assert summary(classify(diff_texts("推出一批项目。", "推出两批项目。"))) == "numbers:raised"


def test_html_escapes_document_text():
    evil_old = "支持<script>alert(1)</script>建设"
    evil_new = "支持<img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">链接</a>建设"
    d = diff_texts(evil_old, evil_new)
    out = render_html(d)
    assert "<script" not in out and "<img" not in out and "<a " not in out
    text_only = re.sub(r"</?(?:del|ins|span)\b[^>]*>", "", out)
    assert "<" not in text_only and ">" not in text_only  # every document character escaped
    shown = html.unescape(text_only)
    assert "onerror=alert(2)" in shown and "javascript:alert(3)" in shown  # shown as text
    assert out.count("<del") == out.count("</del>") and out.count("<ins") == out.count("</ins>")


def test_html_shows_the_raw_source_text(corpus_docs, segmented):
    hd = corpus_docs["haidian_plan"]
    m = next(m for m in segmented["coarse"]["haidian_plan"].measures if m.text.startswith("强化知识产权运用和保护"))
    other = "强化知识产权运用和保护。探索开展技术转让所得税优惠政策试点。"
    d = diff_sides(measure_side(hd, m), text_side(other))
    out = render_sides_html(d, measure_side(hd, m), text_side(other))
    assert "知識産權" in out  # the Traditional source characters are what is shown
    assert to_dict(d)["ops"] and all(o["tag"] in ("delete", "insert", "replace") for o in to_dict(d)["ops"])


def test_diff_cli_texts_and_measure_ids(segmented):
    r = run_cli("diff", "--text", "探索在自由貿易試驗區設立分所，起征點10萬元", "全面推行在自由贸易试验区设立分所,起征点15万元")
    assert r.returncode == 0
    assert "[-探索-]{+全面推行+}" in r.stdout and "numbers:raised;strength:strengthened" in r.stdout
    j = json.loads(run_cli("diff", "--text", "10万元", "15万元", "--format", "json").stdout)
    assert j["summary"] == "numbers:raised" and j["ops"][0]["old"] == "10万"
    ms = segmented["coarse"]["haidian_plan"].measures
    r = run_cli("diff", ms[20].measure_id, ms[21].measure_id)
    assert r.returncode == 0 and "haidian_plan" in r.stdout and "changes:" in r.stdout
    html_out = run_cli("diff", ms[20].measure_id, ms[21].measure_id, "--format", "html").stdout
    assert html_out.startswith("<!DOCTYPE html>") and html_out.count('class="rl-col"') == 2   # side by side
    assert f"haidian_plan {ms[20].label}" in html_out and "Content-Security-Policy" in html_out
    r = run_cli("diff", "nope:123", ms[0].measure_id)
    assert r.returncode == 2 and "nope:123" in r.stderr and "Traceback" not in r.stderr


def test_align_output_has_a_changes_column(tmp_path):
    out = tmp_path / "pairs.jsonl"
    r = run_cli("align", "--threshold", "60", "--out", str(out))
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert r.returncode == 0 and rows and all("changes" in x for x in rows)
    assert any(x["changes"] for x in rows)
