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
    # a book-style print: different running heads on odd and even pages (CSS page-margin boxes), page numbers
    # 第 N 页 on the outer side, no head on the first page
    "book": {"css": """
@page { size: A4; margin: 30mm 25mm 28mm 25mm;
  @top-right { content: "重庆市人民政府办公厅"; font-size: 9pt; font-family: 'WenQuanYi Micro Hei'; }
  @bottom-right { content: "第 " counter(page) " 页"; font-size: 10pt; font-family: 'WenQuanYi Micro Hei'; } }
@page :left { @top-right { content: none; } @bottom-right { content: none; }
  @top-left { content: "关于印发实施方案的通知"; font-size: 9pt; font-family: 'WenQuanYi Micro Hei'; }
  @bottom-left { content: "第 " counter(page) " 页"; font-size: 10pt; font-family: 'WenQuanYi Micro Hei'; } }
@page :first { @top-right { content: none; } }
body { font-family: "WenQuanYi Micro Hei", sans-serif; font-size: 13pt; line-height: 1.7; margin: 0; }
p { margin: 0; text-indent: 2em; text-align: justify; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 1em 0; }
"""},
    # a gazette page: a three-line letterhead in small type and 第N页/共M页 (a head that may appear once only)
    "gazette": {"css": """
@page { size: A4; margin: 38mm 15mm 22mm 15mm; }
body { font-family: "WenQuanYi Micro Hei", sans-serif; font-size: 10.5pt; line-height: 1.5; margin: 0; }
p { margin: 0; text-indent: 2em; text-align: justify; }
h1 { font-size: 14pt; text-align: center; margin: 0 0 1em 0; }
""", "header": "<div style='width:100%;text-align:center;font-size:9pt'><div>广东省人民政府公报</div>"
               "<div>2022年第3期</div><div>政府规章</div></div>",
              "footer": "<div style='font-size:9pt;width:100%;text-align:center'>第<span class='pageNumber'></span>页/共"
                        "<span class='totalPages'></span>页</div>"},
}
STYLES = tuple(_STYLES)
# what each style prints around the text (for the tests' furniture checks)
FURNITURE = {"gov": (), "plain": ("2021年9月",), "book": ("重庆市人民政府办公厅", "关于印发实施方案的通知"),
             "gazette": ("广东省人民政府公报", "2022年第3期", "政府规章")}


def render_pdf(lines: list[str], title: str, out: Path, *, style: str = "gov") -> Path:
    """Print ``lines`` to an A4 PDF with Chromium, the first line as the title, with a running header (the
    title) and page numbers in the footer. ``style``: ``gov`` (a government document: justified, indented,
    ``— N —``), ``plain`` (a word-processor export: ragged right, not indented, space between paragraphs,
    ``第 N 页 共 M 页``), ``book`` (different heads on odd and even pages, none on the first) or ``gazette``
    (a three-line letterhead in small type, ``第N页/共M页``)."""
    from playwright.sync_api import sync_playwright

    st = _STYLES[style]
    body = [f"<h1>{html.escape(lines[0])}</h1>"] + [f"<p>{html.escape(x)}</p>" for x in lines[1:]]
    page_html = (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><style>{st['css']}</style>"
                 f"</head><body>{''.join(body)}</body></html>")
    font = "font-family:\"WenQuanYi Micro Hei\";"
    options = {}
    if "header" in st:   # Chromium's header and footer templates (else the CSS page-margin boxes print them)
        options = {"display_header_footer": True,
                   "header_template": st["header"].replace("style='", "style='" + font).format(
                       title=html.escape(title[:40])),
                   "footer_template": st["footer"].replace("style='", "style='" + font)}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content(page_html)
            page.pdf(path=str(out), format="A4", prefer_css_page_size=True, **options)
        finally:
            browser.close()
    return out


# enumerators that the Word rendering turns into Word's automatic numbering: (pattern, list, level)
_WORD_LISTS = [
    (re.compile(r"^([一二三四五六七八九十]{1,3})、(.+)$"), 90, 0),
    (re.compile(r"^[(（]([一二三四五六七八九十]{1,3})[)）](.+)$"), 90, 1),
    (re.compile(r"^(\d{1,2})\.(?!\d)(.+)$"), 90, 2),
    (re.compile(r"^第([一二三四五六七八九十]{1,3})章\s*(.+)$"), 91, 0),
    (re.compile(r"^第([一二三四五六七八九十百零]{1,5})条\s*(.+)$"), 91, 1),
]
_DEFINITIONS = {   # list -> levels (numFmt, lvlText, suffix, lvlRestart)
    90: [("chineseCounting", "%1、", "nothing", None), ("chineseCounting", "（%2）", "nothing", None),
         ("decimal", "%3.", "nothing", None)],
    91: [("chineseCounting", "第%1章", "space", None), ("chineseCounting", "第%2条", "space", "0")],   # 条 run on
}


def _cn_value(s: str) -> int:
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    if s.isdigit():
        return int(s)
    total, num = 0, 0
    for ch in s:
        if ch == "百":
            total += (num or 1) * 100
            num = 0
        elif ch == "十":
            total += (num or 1) * 10
            num = 0
        else:
            num = digits.get(ch, 0)
    return total + num


def render_docx(lines: list[str], out: Path, *, quirks: bool = False) -> Path:
    """Write ``lines`` as a Word file: the title centred; the enumerators 一、 （一） 1. and 第X章 第X条 as Word's
    automatic numbering (not in the paragraph's text; 第X条 numbered on through the chapters with
    ``w:lvlRestart=0``), where Word's counting gives the number the text has (else the text keeps it).

    ``quirks`` adds what Word files carry and a reader must see through, none of it changing the visible text:
    the first paragraphs inside a content control, a tracked insertion every fifth paragraph, a tracked deletion
    every sixth, a hidden comment every fourth, and Shift+Enter line breaks inside every seventh paragraph."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    d = docx.Document()
    numbering = d.part.numbering_part.element
    for list_id, levels in _DEFINITIONS.items():
        lvls = "".join(
            f'<w:lvl w:ilvl="{k}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            + (f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else "")
            + f'<w:suff w:val="{suff}"/><w:lvlText w:val="{text}"/></w:lvl>'
            for k, (fmt, text, suff, restart) in enumerate(levels))
        numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{list_id}">{lvls}</w:abstractNum>'))
        numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{list_id}"><w:abstractNumId w:val="{list_id}"/>'
                                   f'</w:num>'))
    counts = {90: [0, 0, 0], 91: [0, 0]}
    t = d.add_paragraph(lines[0])
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for n, line in enumerate(lines[1:], 1):
        text, numbered = line, None
        for pattern, list_id, level in _WORD_LISTS:
            m = pattern.match(line)
            if not m:
                continue
            c = counts[list_id]
            if _cn_value(m.group(1)) == c[level] + 1:     # Word would show this very number
                c[level] += 1
                for deeper in range(level + 1, len(c)):
                    if _DEFINITIONS[list_id][deeper][3] is None:
                        c[deeper] = 0
                text, numbered = m.group(2).strip(), (list_id, level)
            break
        p = d.add_paragraph()
        if numbered:
            p._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{numbered[1]}"/><w:numId w:val="{numbered[0]}"/></w:numPr>'))
        if quirks and n % 5 == 0:
            ins = parse_xml(f'<w:ins {nsdecls("w")} w:id="{n}" w:author="张三" w:date="2021-03-01T00:00:00Z">'
                            f'<w:r><w:t xml:space="preserve">x</w:t></w:r></w:ins>')
            ins.find(qn("w:r")).find(qn("w:t")).text = text
            p._p.append(ins)
        elif quirks and n % 7 == 0 and len(text) > 60:
            for k in range(0, len(text), 30):
                run = p.add_run(text[k:k + 30])
                if k + 30 < len(text):
                    run.add_break()
        else:
            p.add_run(text)
        if quirks and n % 4 == 0:
            p.add_run("【批注：请核实】").font.hidden = True
        if quirks and n % 6 == 0:
            p._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="{1000 + n}" w:author="李四" w:date="2021-03-02T00:00:00Z">'
                                  f'<w:r><w:delText>（已删除的旧表述）</w:delText></w:r></w:del>'))
    if quirks:   # the first three paragraphs after the title inside a block content control
        body = d.element.body
        paras = body.findall(qn("w:p"))[1:4]
        sdt = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias w:val="正文"/></w:sdtPr><w:sdtContent/></w:sdt>')
        paras[0].addprevious(sdt)
        content = sdt.find(qn("w:sdtContent"))
        for para in paras:
            content.append(para)
    d.save(str(out))
    return out


def render_html(lines: list[str], title: str, out: Path, *, layout: str = "divs") -> Path:
    """A government-style web page: site header and navigation, breadcrumbs, 字号/打印/关闭 widgets, the
    text in a TRS_Editor div, 分享到 links, related links and a footer with 版权所有 and an ICP number.
    ``layout="tables"``: an old site laid out with nested tables (navigation in a left cell, the article in
    a cell of an inner table, a 【打印本页】【关闭窗口】 row)."""
    e = html.escape
    nav = "".join(f"<li><a href='/{i}/'>{x}</a></li>" for i, x in enumerate(
        ["首页", "新闻动态", "政务公开", "政策文件", "政策解读", "办事服务", "互动交流"]))
    related = "".join(f"<li><a href='/r{i}.html'>{x}</a></li>" for i, x in enumerate(
        ["关于印发《北京市优化营商环境条例》的通知", "市政府常务会议研究部署相关工作", "2021年政府信息公开工作年度报告"]))
    paras = "".join(f"<p style='text-indent:2em'>{e(x)}</p>" for x in lines[1:])
    if layout == "tables":
        article = (f"<table width='760' border='0' cellpadding='0' cellspacing='0'>"
                   f"<tr><td class='bt' align='center' height='60'><font size='5'><b>{e(lines[0])}</b></font></td></tr>"
                   f"<tr><td align='center'>发布日期：2021-09-24 【<a href='javascript:print()'>打印本页</a>】"
                   f"【<a href='javascript:close()'>关闭窗口</a>】</td></tr>"
                   f"<tr><td><table width='100%'><tr><td id='zoom' class='zw'>{paras}</td></tr></table></td></tr></table>")
        main = (f"<table width='1000' align='center'><tr><td width='200' valign='top'><ul>{nav}</ul></td>"
                f"<td valign='top'>{article}</td></tr></table>")
    else:
        main = f"""<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/zcwj/">政策文件</a></div>
<div class="article">
<h1 class="title">{e(lines[0])}</h1>
<div class="info"><span>发布时间：2021-09-24 10:30</span> <span>来源：北京市人民政府</span>
<span class="font">【字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</span>
<a href="javascript:window.print()">【打印】</a> <a href="javascript:window.close()">【关闭】</a></div>
<div class="TRS_Editor" id="UCAP-CONTENT">{paras}</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
</div>"""
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{e(lines[0])}_政策文件_首都之窗_北京市人民政府门户网站</title>
<meta name="ArticleTitle" content="{e(title)}"><script>var _hmt = _hmt || [];</script>
<style>body{{font-family:sans-serif}}</style></head>
<body>
<div class="header"><div class="logo"><a href="/">首都之窗 北京市人民政府门户网站</a></div>
<div class="search"><input type="text" placeholder="请输入关键词"><button>搜索</button></div>
{'' if layout == 'tables' else f'<ul class="nav">{nav}</ul>'}</div>
{main}
<div class="related"><h3>相关链接</h3><ul>{related}</ul></div>
<div class="footer"><p>主办：北京市人民政府办公厅　承办：北京市政务服务管理局</p>
<p>版权所有：北京市人民政府门户网站　京ICP备05060933号　京公网安备 11010502035450号</p>
<p>网站标识码：1100000088　<a href="/sitemap.html">网站地图</a>　<a href="/contact.html">联系我们</a></p></div>
</body></html>
"""
    out.write_text(page, encoding="utf-8")
    return out
