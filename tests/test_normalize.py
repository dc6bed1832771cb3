"""Normalisation: offset map back to raw text, and each kind of repair on real text."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from compare.normalize import normalize, page_number_chain


def _check_map(raw: str, norm) -> None:
    text = norm.text
    assert len(norm.starts) == len(norm.ends) == len(text)
    prev = 0
    covered = [False] * len(raw)
    for e in norm.edits:
        assert raw[e.raw_start:e.raw_end] == e.removed
        for i in range(e.raw_start, e.raw_end):
            covered[i] = True
    for i, ch in enumerate(text):
        s, e = norm.starts[i], norm.ends[i]
        assert 0 <= s <= e <= len(raw) and s >= prev
        prev = s
        if e - s == 1 and raw[s] == ch:
            continue
        # anything else was made by a recorded edit
        assert all(covered[j] for j in range(s, e)) or s == e
    # every raw character either survives (mapped to) or is recorded as removed/replaced
    mapped = set()
    for i in range(len(text)):
        mapped.update(range(norm.starts[i], norm.ends[i]))
    for j in range(len(raw)):
        assert j in mapped or covered[j], (j, raw[j])
    # any normalised span maps back to a raw slice
    if text:
        rs, re_ = norm.to_raw(0, len(text))
        assert raw[rs:re_].strip() != "" or not text.strip()


cjk = st.sampled_from(list("北京市海淀区推进自由贸易试验区建设國際資訊軟體積體電路兩區開放，。；：（）“”、"))
pieces = st.one_of(
    st.text(cjk, min_size=1, max_size=30),
    st.sampled_from([" ", "  ", "\u3000", " 12 ", "2021 年", "10 万元", "ＡＢＣ１２３", "New York", "\n", "①", "⑴"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces, min_size=1, max_size=40), st.sampled_from([None, "traditional", "simplified"]))
def test_offset_map_holds_for_generated_text(parts, script):
    raw = "".join(parts)
    _check_map(raw, normalize(raw, script=script))


def test_offset_map_holds_on_every_bundled_document(corpus_docs):
    for d in corpus_docs.values():
        _check_map(d.raw, d.normalized)


def test_spaces_next_to_chinese_go_latin_spaces_stay():
    n = normalize("2021 年 4 月，New York 与 北京 签署 RCEP 协定", script="simplified")
    assert n.text == "2021年4月,New York与北京签署RCEP协定"


def test_width_folding_keeps_circled_enumerators():
    n = normalize("（一）第１条①ＡＢ", script="simplified")
    assert n.text == "(一)第1条①AB"


def test_traditional_becomes_simplified_with_mainland_terms(corpus_docs):
    d = corpus_docs["haidian_plan"]
    assert "信息传输、软件和信息技术服务业" in d.text
    assert "資訊" not in d.text and "資訊傳輸" in d.raw
    i = d.text.index("集成电路")
    rs, re_ = d.normalized.to_raw(i, i + 4)
    assert d.raw[rs:re_] == "積體電路"
    # OpenCC's tw2sp phrase table would turn these into 创建, 内置立 and 内核: t2s and our term table do not
    assert "探索建立公允的知识产权评估机制" in d.text and "支持在区内建立备货仓库" in d.text
    assert "核心区" in d.text and "内核" not in d.text


def test_page_numbers_inside_sentences_are_removed(corpus_docs):
    d = corpus_docs["compilation_2021q1"]
    assert "将“两区”建设任务与“双枢纽”建设工作紧密 64 结合" in d.raw
    assert "建设工作紧密结合" in d.text
    kinds = [e for e in d.normalized.edits if e.kind == "page-number"]
    assert len(kinds) >= 180
    # amounts are not page numbers
    assert "从月销售额10万元提高到15万元" in d.text


def test_page_number_chain_ignores_isolated_numbers():
    text = "。 ".join(f"第{i}段文字 " + "测试" * 200 + f" {i} 继续" for i in range(5, 12))
    chain = page_number_chain(text + " 近 3 年")
    numbers = [int(text[s:e]) for s, e in chain]
    assert numbers == list(range(5, 12))


def test_web_chrome_is_removed_and_recorded(corpus_docs):
    d = corpus_docs["progress_report_2021"]
    assert "面包屑" not in d.text and "字号" not in d.text and "收藏" not in d.text
    removed = " ".join(e.removed for e in d.normalized.edits if e.kind == "chrome")
    assert "面包屑导航小图标" in removed and "打印打印" in removed
    c = corpus_docs["chongqing_rectification"]
    assert "扫一扫" not in c.text and "重庆人大网" not in c.text


def test_toc_dot_leaders_are_removed(corpus_docs):
    d = corpus_docs["compilation_2021q1"]
    assert "....." not in d.text
    assert sum(e.kind == "toc-leader" for e in d.normalized.edits) >= 25


def test_pdf_line_breaks_become_paragraphs_or_vanish(corpus_docs):
    d = corpus_docs["compilation_2021q1"]
    # a heading ended by a short PDF line becomes its own line; a full line runs on
    assert "\n(一)加快“双枢纽”国际航空物流发展\n" in d.text
    assert "围绕首都机场提质增效" in d.text  # raw: "围绕 首都机场"


def test_format_characters_are_removed_and_recorded():
    from compare.normalize import normalize

    raw = "第一条\u200b 为了优化营商环境\u2060，\ufeff制定本条例。\u00ad"
    n = normalize(raw)
    assert "\u200b" not in n.text and "\u2060" not in n.text and "\ufeff" not in n.text and "\u00ad" not in n.text
    fmt = [e for e in n.edits if e.kind == "format"]
    assert [e.removed for e in fmt] == ["\u200b", "\u2060", "\ufeff", "\u00ad"]
    s, e = n.to_raw(0, len(n.text))
    assert raw[s:e].startswith("第一条") and raw[s:e].rstrip("\u00ad").endswith("。")


def _reference_script(text: str) -> str:
    """detect_script the slow, obvious way: a loop over the characters."""
    from compare.normalize import _converter, is_cjk

    sample = "".join(ch for ch in text[:200_000] if is_cjk(ch))
    if not sample:
        return "simplified"
    converted = _converter("t2s").convert(sample)
    changed = sum(1 for a, b in zip(sample, converted) if a != b)
    return "traditional" if changed / len(sample) > 0.03 else "simplified"


def test_script_detection_equals_the_character_loop(corpus_docs):
    """The bundled documents (raw), lawref files when ../shared is there, and edge cases: Traditional text,
    no Chinese at all, characters of every CJK range (ext. A, compatibility ideographs, ext. B)."""
    from compare.normalize import detect_script

    from .conftest import LAWREF

    texts = [d.normalized.raw for d in corpus_docs.values()] + ["", "abc 123", "臺灣資訊軟體產業發展", "中文繁體字測試" * 10,
                                                     "㐀豈\U00020000\U0002fa1f中国", "這是" + "简体" * 40]
    if LAWREF.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(LAWREF.rglob("*.md"))[::60]]
    got = [detect_script(t) for t in texts]
    assert got == [_reference_script(t) for t in texts] and "traditional" in got and "simplified" in got
