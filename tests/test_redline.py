"""Side-by-side redlines (compare/redline.py)."""
from __future__ import annotations

import re

from compare import pipeline, redline
from compare.diff import text_side


def test_wording_changes_are_marked_inside_the_shared_wording():
    old = text_side("探索在自由貿易試驗區設立分所，起征點10萬元")
    new = text_side("全面推行在自由贸易试验区设立分所,起征点15万元")
    html = redline.render(old, new, title_old="old", title_new="new", header="same")
    left, right = html.split('class="rl-col"')[1:]
    assert "<del" in left and ">探索</del>" in left and "<ins" not in left
    assert ">全面推行</ins>" in right and "<del" not in right
    assert "chg-numbers" in left and "chg-numbers" in right and "chg-strength" in right
    assert '<span class="same">在自由貿易試驗區設立分所' in left     # shown as in the source (Traditional)


def test_text_without_counterpart_is_plain_not_struck(corpus_docs):
    """In a ``contains`` pair the longer side's other sentences are grey, not a wall of insertions."""
    alignment = pipeline.align_documents(list(corpus_docs.values()))
    contains = [p for p in alignment.pairs if p.relation == "contains" and abs(len(p.a.text) - len(p.b.text)) > 100]
    assert contains
    for p in contains[:10]:
        html = redline.pair_redline(p, corpus_docs)
        marked = re.findall(r"<(?:ins|del)[^>]*>(.*?)</(?:ins|del)>", html, flags=re.S)
        assert all(len(m) <= 4 * redline.CHANGE_CHARS for m in marked)   # escaped text may be longer than raw
        assert 'class="alone"' in html and 'class="same"' in html
        assert p.relation in html and f"{p.probability:.2f}" in html


def test_document_text_is_escaped():
    evil = text_side("推进<script>alert(1)</script>数字贸易港建设")
    html = redline.render(evil, text_side("推进数字贸易港建设"), title_old="<b>x</b>")
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;x" in html
