"""Real renderings of plain-text documents, as researchers receive them: a PDF printed by Chromium (running
header, ``— N —`` page numbers, A4 margins so lines wrap mid-sentence), a Word file written by python-docx
(Word's own automatic numbering on the top-level headings) and a government-style web page (site
chrome around the text: breadcrumbs, 字号/打印/关闭, 分享到, 版权所有, ICP备).

Used by ``tests/test_readers.py`` and ``benchmarks/reader_quality.py``. Each renderer takes the document's
lines (one paragraph each) and returns what it rendered; the tests then read the file back with
``compare`` and compare the measures with those of the plain text.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
# a top-level heading 一、… (Word numbering replaces its enumerator in the DOCX rendering)
TOP_HEADING = re.compile(r"^([一二三四五六七八九十]{1,3})、(.{2,40})$")


def paragraphs(text: str) -> list[str]:
    """The document's non-empty lines, stripped: each becomes one paragraph of the rendering."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def law_text(markdown: str) -> str:
    """A lawref regulation as printed: Markdown heading marks, the INFO comment and the duplicated
    chapter list of the file's table of contents removed (a printed regulation has none of them)."""
    body = markdown.split("<!-- INFO END -->", 1)
    head, rest = (body[0], body[1]) if len(body) == 2 else ("", body[0])
    lines = [ln.lstrip("#").strip() for ln in head.splitlines() if ln.strip()]
    rest_lines = [ln.lstrip("#").strip() for ln in rest.splitlines() if ln.strip()]
    # the file starts with the list of chapter headings, then repeats them in the body: keep the body
    if rest_lines:
        first = rest_lines[0]
        again = [i for i, ln in enumerate(rest_lines) if ln == first]
        if len(again) > 1:
            rest_lines = rest_lines[again[1]:]
    return "\n".join(lines + rest_lines) + "\n"


_STYLES = {
    # a government document: justified, paragraphs indented two characters, title centred, — N — footers
    "gov": {"css": """
@page { size: A4; margin: 30mm 26mm 28mm 28mm; }
body { font-family: "WenQuanYi Micro Hei", sans-serif; font-size: 15pt; line-height: 1.75; margin: 0; }
p { margin: 0; text-indent: 2em; text-align: justify; }
h1 { font-size: 20pt; text-align: center; font-weight: normal; margin: 0 0 1em 0; }
""", "header": "<div style='font-size:9pt;width:100%;text-align:center;color:#555'>{title}</div>",
            "footer": "<div style='font-size:11pt;width:100%;text-align:center'>— <span class='pageNumber'></span> —</div>"},
    # a word-processor export: ragged right, no indentation, space between paragraphs, 第 N 页 共 M 页
    "plain": {"css": """
@page { size: A4; margin: 25mm 20mm 25mm 20mm; }
body { font-family: "WenQuanYi Micro Hei", sans-serif; font-size: 12pt; line-height: 1.5; margin: 0; }
p { margin: 0 0 0.8em 0; text-align: left; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 1em 0; }
""", "header": "<div style='font-size:8pt;width:100%;margin:0 20mm;display:flex;justify-content:space-between'>"
               "<span>{title}</span><span>2021年9月</span></div>",
              "footer": "<div style='font-size:9pt;width:100%;text-align:center'>第 <span class='pageNumber'></span> 页"
                        " 共 <span class='totalPages'></span> 页</div>"},
}
STYLES = tuple(_STYLES)


def render_pdf(lines: list[str], title: str, out: Path, *, style: str = "gov") -> Path:
    """Print ``lines`` to an A4 PDF with Chromium, the first line as the title, with a running header (the
    title) and page numbers in the footer. ``style``: ``gov`` (a government document: justified, indented,
    ``— N —``) or ``plain`` (a word-processor export: ragged right, not indented, space between paragraphs,
    ``第 N 页 共 M 页``)."""
    from playwright.sync_api import sync_playwright

    st = _STYLES[style]
    body = [f"<h1>{html.escape(lines[0])}</h1>"] + [f"<p>{html.escape(x)}</p>" for x in lines[1:]]
    page_html = (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><style>{st['css']}</style>"
                 f"</head><body>{''.join(body)}</body></html>")
    font = "font-family:\"WenQuanYi Micro Hei\";"
    header = st["header"].replace("style='", "style='" + font).format(title=html.escape(title[:40]))
    footer = st["footer"].replace("style='", "style='" + font)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content(page_html)
            page.pdf(path=str(out), format="A4", display_header_footer=True, header_template=header,
                     footer_template=footer, prefer_css_page_size=True)
        finally:
            browser.close()
    return out


def render_docx(lines: list[str], out: Path) -> Path:
    """Write ``lines`` as a Word file: the title centred, top-level headings 一、… as Word list paragraphs
    whose enumerator is Word's automatic numbering (it is not in the paragraph's text)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    num_id = _chinese_numbering(d, OxmlElement, qn)
    t = d.add_paragraph(lines[0])
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in lines[1:]:
        m = TOP_HEADING.match(line)
        if m:
            p = d.add_paragraph(m.group(2))
            ppr = p._p.get_or_add_pPr()
            numpr = OxmlElement("w:numPr")
            ilvl = OxmlElement("w:ilvl")
            ilvl.set(qn("w:val"), "0")
            nid = OxmlElement("w:numId")
            nid.set(qn("w:val"), str(num_id))
            numpr.append(ilvl)
            numpr.append(nid)
            ppr.append(numpr)
        else:
            d.add_paragraph(line)
    d.save(str(out))
    return out


def _chinese_numbering(d, OxmlElement, qn) -> int:
    """Add a numbering definition 一、二、三、 (chineseCounting, ``%1、``) to the document; its numId."""
    numbering = d.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    lvl = OxmlElement("w:lvl")
    lvl.set(qn("w:ilvl"), "0")
    for tag, val in (("w:start", "1"), ("w:numFmt", "chineseCounting"), ("w:lvlText", "%1、")):
        el = OxmlElement(tag)
        el.set(qn("w:val"), val)
        lvl.append(el)
    abstract.append(lvl)
    numbering.insert(0, abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), "90")
    num.append(ref)
    numbering.append(num)
    return 90


def render_html(lines: list[str], title: str, out: Path) -> Path:
    """A government-style web page: site header and navigation, breadcrumbs, 字号/打印/关闭 widgets, the
    text in a TRS_Editor div, 分享到 links, related links and a footer with 版权所有 and an ICP number."""
    e = html.escape
    nav = "".join(f"<li><a href='/{i}/'>{x}</a></li>" for i, x in enumerate(
        ["首页", "新闻动态", "政务公开", "政策文件", "政策解读", "办事服务", "互动交流"]))
    related = "".join(f"<li><a href='/r{i}.html'>{x}</a></li>" for i, x in enumerate(
        ["关于印发《北京市优化营商环境条例》的通知", "市政府常务会议研究部署相关工作", "2021年政府信息公开工作年度报告"]))
    paras = "".join(f"<p style='text-indent:2em'>{e(x)}</p>" for x in lines[1:])
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{e(title)}_政策文件_首都之窗_北京市人民政府门户网站</title>
<meta name="ArticleTitle" content="{e(title)}"><script>var _hmt = _hmt || [];</script>
<style>body{{font-family:sans-serif}}</style></head>
<body>
<div class="header"><div class="logo"><a href="/">首都之窗 北京市人民政府门户网站</a></div>
<div class="search"><input type="text" placeholder="请输入关键词"><button>搜索</button></div>
<ul class="nav">{nav}</ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/zcwj/">政策文件</a></div>
<div class="article">
<h1 class="title">{e(lines[0])}</h1>
<div class="info"><span>发布时间：2021-09-24 10:30</span> <span>来源：北京市人民政府</span>
<span class="font">【字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</span>
<a href="javascript:window.print()">【打印】</a> <a href="javascript:window.close()">【关闭】</a></div>
<div class="TRS_Editor" id="UCAP-CONTENT">{paras}</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
</div>
<div class="related"><h3>相关链接</h3><ul>{related}</ul></div>
<div class="footer"><p>主办：北京市人民政府办公厅　承办：北京市政务服务管理局</p>
<p>版权所有：北京市人民政府门户网站　京ICP备05060933号　京公网安备 11010502035450号</p>
<p>网站标识码：1100000088　<a href="/sitemap.html">网站地图</a>　<a href="/contact.html">联系我们</a></p></div>
</body></html>
"""
    out.write_text(page, encoding="utf-8")
    return out
