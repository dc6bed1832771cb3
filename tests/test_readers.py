"""PDF, Word and web-page files, on real renderings of the bundled documents and a lawref regulation:
a PDF printed by Chromium (running header, page numbers, A4 margins, two layouts), a .docx written by
python-docx with Word's automatic numbering, and a government-style web page (benchmarks/renderings.py).
The measures read from each must be those of the plain text."""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

import compare
from compare import pipeline
from compare.config import Config
from compare.errors import CompareWarning, InputError

from .conftest import LAWREF, ROOT, run_cli

sys.path.insert(0, str(ROOT / "benchmarks"))
import renderings  # noqa: E402

CORPUS = ROOT / "corpus"
DOCS = {
    "progress_report": (CORPUS / "beijing_liangqu_progress_report_2021.txt", "关于高标准推进“两区”建设工作情况报告"),
    "haidian_plan": (CORPUS / "haidian_liangqu_implementation_plan.txt", "海淀区“两区”建设实施方案"),
    "chongqing_report": (CORPUS / "chongqing_ftz_rectification_report_2024.txt",
                         "重庆市人民政府关于审议意见研究处理情况的报告"),
    "regulation": (LAWREF / "DLC" / "上海地方法规" / "地方性法规" / "上海" / "中国（上海）自由贸易试验区条例(2014-07-25).md",
                   "中国（上海）自由贸易试验区条例"),
}
FORMATS = ("pdf", "pdf-plain", "pdf-book", "docx", "docx-quirks", "html", "html-tables")
PAGE_NUMBER = re.compile(r"—\s*\d+\s*—|第\s*\d+\s*页\s*共\s*\d+\s*页")
CHROME = ("当前位置", "分享到", "版权所有", "ICP备", "公网安备", "相关链接", "网站地图", "请输入关键词", "【打印】", "【关闭】", "打印本页", "关闭窗口", "|",
          "首都之窗")


def _need_chromium():
    if not Path(renderings.CHROMIUM).exists():
        pytest.skip("Debian package 'chromium' is not installed (make test installs it when run as root)")
    pytest.importorskip("playwright.sync_api", reason="Python package 'playwright' is not installed")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """name -> {"txt", "pdf", "pdf-plain", "docx", "html": path}, rendered once for the module."""
    _need_chromium()
    out = tmp_path_factory.mktemp("renderings")
    files = {}
    for name, (src, header) in DOCS.items():
        if not src.is_file():
            continue   # the regulation needs ../shared/corpus/lawref; test_regulation_is_there says so
        text = src.read_text(encoding="utf-8")
        if src.suffix == ".md":
            text = renderings.law_text(text)
        txt = out / f"{name}.txt"
        txt.write_text(text, encoding="utf-8")
        lines = renderings.paragraphs(text)
        files[name] = {"txt": txt,
                       "pdf": renderings.render_pdf(lines, header, out / f"{name}.pdf"),
                       "pdf-plain": renderings.render_pdf(lines, header, out / f"{name}.plain.pdf", style="plain"),
                       "pdf-book": renderings.render_pdf(lines, header, out / f"{name}.book.pdf", style="book"),
                       "docx": renderings.render_docx(lines, out / f"{name}.docx"),
                       "docx-quirks": renderings.render_docx(lines, out / f"{name}.quirks.docx", quirks=True),
                       "html": renderings.render_html(lines, header, out / f"{name}.html"),
                       "html-tables": renderings.render_html(lines, header, out / f"{name}.tables.html",
                                                             layout="tables")}
    return files


def _read(path: Path, level: str = "coarse"):
    loaded = pipeline.load([path])
    assert not loaded.errors, loaded.errors
    (doc,) = loaded.documents
    return doc, pipeline.segment_all([doc], config=Config(level=level))[0].measures


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(DOCS))
def test_measures_of_a_rendering_are_those_of_the_text(rendered, name, fmt):
    if name not in rendered:
        pytest.skip(f"lawref corpus not found at {LAWREF}")
    header = DOCS[name][1]
    for level in ("coarse", "fine"):
        _, want = _read(rendered[name]["txt"], level)
        doc, got = _read(rendered[name][fmt], level)
        want_keys = Counter((m.label, m.text) for m in want)
        got_keys = Counter((m.label, m.text) for m in got)
        same = sum((want_keys & got_keys).values())
        assert same >= 0.98 * len(want), (f"{name}.{fmt} {level}: {same} of {len(want)} measures identical; "
                                          f"missing {list(want_keys - got_keys)[:3]}")
        txt_text = "\n".join(m.text for m in want)
        printed = (header, *(w for ws in renderings.FURNITURE.values() for w in ws), "批注", "已删除")
        for m in got:
            assert not PAGE_NUMBER.search(m.text), f"page number inside {m.measure_id}: {m.text[:80]}"
            for word in printed:
                assert word in txt_text or word not in m.text, f"{word!r} (furniture) inside {m.measure_id}"
            for word in CHROME:
                assert word in txt_text or word not in m.text, f"site chrome {word!r} inside {m.measure_id}"
            assert doc.raw[m.start:m.end] == m.raw     # offsets into the extracted text keep working


@pytest.mark.parametrize("lines", [8, 16, 30])
def test_short_gazette_pages(tmp_path, lines):
    """A one- or two-page document under a three-line letterhead in small type (on every page, so with one
    or two pages it never repeats enough to be recognised by repetition) and 第N页/共M页 footers."""
    _need_chromium()
    src = DOCS["chongqing_report"][0]
    text = "\n".join(renderings.paragraphs(src.read_text(encoding="utf-8"))[:lines]) + "\n"
    (tmp_path / "short.txt").write_text(text, encoding="utf-8")
    renderings.render_pdf(renderings.paragraphs(text), "", tmp_path / "short.pdf", style="gazette")
    _, want = _read(tmp_path / "short.txt")
    _, got = _read(tmp_path / "short.pdf")
    assert [(m.label, m.text) for m in got] == [(m.label, m.text) for m in want]


def test_pdf_furniture_and_line_joins_are_recorded_edits(rendered):
    doc, measures = _read(rendered["chongqing_report"]["pdf"])
    kinds = Counter(e.kind for e in doc.normalized.edits)
    import pypdfium2 as pdfium
    pages = len(pdfium.PdfDocument(str(rendered["chongqing_report"]["pdf"])))
    assert kinds["pdf-furniture"] == pages           # one gap per page holds the header and the — N — footer
    assert kinds["pdf-line-join"] > 100
    furniture = [e for e in doc.normalized.edits if e.kind == "pdf-furniture"]
    assert all("重庆市人民政府关于审议意见研究处理情况的报告" in e.removed and PAGE_NUMBER.search(e.removed)
               for e in furniture)
    assert doc.source_format == "pdf" and "\f" in doc.raw   # pages are separated by form feeds, as pdftotext does


def test_pdf_measures_carry_their_page(rendered):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(rendered["haidian_plan"]["pdf"]))
    page_text = [re.sub(r"\s+", "", pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]
    doc, measures = _read(rendered["haidian_plan"]["pdf"], "fine")
    pages = {int(m.attr("page")) for m in measures}
    assert len(pages) >= 10                            # the measures are spread over the pages
    for m in measures:
        start = re.sub(r"\s+", "", m.raw)[:6]
        assert start in page_text[int(m.attr("page")) - 1], (m.measure_id, m.attr("page"), start)
        assert m.to_dict()["page"] == int(m.attr("page"))   # in the JSONL/CSV rows too, as a number


def test_docx_measures_carry_their_paragraph_and_word_numbering(rendered):
    import docx

    path = rendered["chongqing_report"]["docx"]
    paragraphs = docx.Document(str(path)).paragraphs
    doc, measures = _read(path)
    assert doc.source_format == "docx"
    for m in measures:    # the paragraph named holds the start of the measure's text
        para = re.sub(r"\s+", "", paragraphs[int(m.attr("paragraph")) - 1].text)
        assert m.text[:6] in para, (m.measure_id, m.attr("paragraph"), m.text[:6], para[:30])
    # the headings' enumerators 一、二、三、 are Word numbering, not text: the reader renders them
    heads = [m for m in measures if m.kind == "heading"]
    assert [m.label for m in heads][:3] == ["一、", "二、", "三、"]
    assert all(not paragraphs[int(m.attr("paragraph")) - 1].text.startswith(m.label) for m in heads)


def test_docx_table_of_measures(tmp_path):
    """A measures table (序号 | 任务 | 责任单位): each numbered row is an item, its responsible units attributes."""
    import docx

    d = docx.Document()
    d.add_paragraph("北京市关于促进外资高质量发展的若干措施任务分工")
    rows = [("序号", "任务", "责任单位"),
            ("1", "推进跨境数据流动试点，建立数据出境安全评估绿色通道。", "市网信办"),
            ("2", "支持外资研发中心享受进口税收优惠政策。", "市商务局、北京海关")]
    table = d.add_table(rows=3, cols=3)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_paragraph("各单位要按照分工抓好落实。")
    d.save(str(tmp_path / "fengong.docx"))
    _, measures = _read(tmp_path / "fengong.docx")
    items = [m for m in measures if m.kind == "item"]
    assert [(m.label, m.attr("责任单位"), m.attr("paragraph")) for m in items] == [
        ("1.", "市网信办", "T1.2"), ("2.", "市商务局、北京海关", "T1.3")]
    assert items[0].text.startswith("推进跨境数据流动试点")
    assert measures[0].attr("paragraph") == "1" and measures[1].text == "序号|任务|责任单位"


def test_html_in_gbk_and_saved_as_txt(rendered, tmp_path):
    """A page in GBK declared as gb2312 (as many government sites serve it, decoded as browsers do: — stays —)
    and a page saved under a .txt name read the same."""
    page = rendered["chongqing_report"]["html-tables"].read_text(encoding="utf-8").replace(
        '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    assert "charset=gb2312" in page and "2023—2027年" in page
    (tmp_path / "gbk.html").write_bytes(page.encode("gb18030"))
    (tmp_path / "saved.txt").write_bytes(page.encode("gb18030"))
    _, want = _read(rendered["chongqing_report"]["txt"])
    for f in ("gbk.html", "saved.txt"):
        doc, got = _read(tmp_path / f)
        assert doc.source_format == "html"
        assert [(m.label, m.text) for m in got] == [(m.label, m.text) for m in want]


def test_a_site_footer_in_plain_divs_inside_the_article_stays_out_of_the_last_measure(tmp_path):
    """Some sites put their footer (主办单位, 版权所有, ICP and 公网安备 numbers, 网站标识码) in plain <div>s inside the
    article's container, where the extractor keeps it after the article: it is taken off the end, and the
    measures are those of the page without it. A notice's own closing lines (联系电话, 地址) stay."""
    text = DOCS["haidian_plan"][0].read_text(encoding="utf-8")
    lines = renderings.paragraphs(text)
    page = renderings.render_html(lines, DOCS["haidian_plan"][1], tmp_path / "plain.html").read_text(encoding="utf-8")
    footer = ("<div>主办单位：北京市海淀区人民政府办公室　版权所有　京ICP备10021280号-1</div>"
              "<div>网站标识码：1101080001　京公网安备11010802012345号</div>")
    contact = "<div>联系电话：010-88487567　地址：北京市海淀区长春桥路17号</div>"
    (tmp_path / "footer.html").write_text(page.replace('<div class="share">', footer + '<div class="share">'),
                                          encoding="utf-8")
    (tmp_path / "contact.html").write_text(page.replace('<div class="share">', contact + '<div class="share">'),
                                           encoding="utf-8")
    plain, with_footer, with_contact = (compare.segment(tmp_path / n) for n in ("plain.html", "footer.html",
                                                                               "contact.html"))
    assert len(plain) > 40 and plain["text"].tolist() == with_footer["text"].tolist()
    assert not with_footer["text"].str.contains("版权所有|ICP备|网站标识码").any()
    assert with_contact["text"].str.contains("联系电话").any()
    # a regulation whose last article is about 主办单位 keeps it: only a block with the site's own marks goes
    law = LAWREF / "DLC" / "浙江地方法规" / "地方性法规" / "浙江" / "杭州市禁止销售燃放烟花爆竹管理规定(2016-08-04).md"
    if not law.is_file():
        pytest.skip(f"lawref corpus not found at {LAWREF}: the regulation's part is not run")
    law_lines = renderings.paragraphs(renderings.law_text(law.read_text(encoding="utf-8")))
    assert "主办单位" in law_lines[-1]
    page = renderings.render_html(law_lines, "杭州市禁止销售燃放烟花爆竹管理规定", tmp_path / "law.html")
    last = compare.segment(page, roles="all")["text"].iloc[-1]
    assert "主办单位" in last and last.endswith("。")


def test_a_web_pages_dateline_fills_the_date_and_issuer_the_metadata_leaves_empty(rendered, tmp_path):
    """The dateline a main-content extractor drops as site chrome (发布时间：2021-09-24 10:30 来源：北京市人民政府)
    gives a page read without metadata its date and issuer; a date shown nowhere after 发布时间/发布日期 (the
    dateline taken out, a 2021 copyright year left) gives none, and corpus.toml's date and issuer are kept."""
    page = rendered["haidian_plan"]["html"]
    doc, _ = _read(page)
    assert (doc.meta.date, doc.meta.issuer) == ("2021-09-24", "北京市人民政府")
    doc, _ = _read(rendered["haidian_plan"]["html-tables"])   # 发布日期：2021-09-24 【打印本页】: no source
    assert (doc.meta.date, doc.meta.issuer) == ("2021-09-24", "")
    text = page.read_text(encoding="utf-8")
    undated = re.sub(r'<div class="info">.*?</div>', "", text, flags=re.S).replace("版权所有：", "版权所有 2021 ")
    assert "发布时间" not in undated and "2021" in undated
    (tmp_path / "undated.html").write_text(undated, encoding="utf-8")
    doc, _ = _read(tmp_path / "undated.html")
    assert (doc.meta.date, doc.meta.issuer) == ("", "")
    # as sites write it: entities, 年月日, a site for a source, a "来源：本网"
    for old, new, want in (("<span>发布时间：2021-09-24 10:30</span> <span>来源：北京市人民政府</span>",
                            "发布时间：&nbsp;2021年09月24日&nbsp;&nbsp;来源：&nbsp;北京市人民政府门户网站",
                            ("2021-09-24", "北京市人民政府")),
                           ("<span>来源：北京市人民政府</span>", "<span>来源：本网</span>", ("2021-09-24", ""))):
        assert old in text
        (tmp_path / "variant.html").write_text(text.replace(old, new), encoding="utf-8")
        doc, _ = _read(tmp_path / "variant.html")
        assert (doc.meta.date, doc.meta.issuer) == want, new
    # a plain <p> dateline, which the extractor keeps and moves after the article: metadata, in no measure
    plain = re.sub(r'<div class="info">.*?</div>', '<p class="info">发布时间：2021-09-24 来源：北京市海淀区人民政府</p>',
                   text, flags=re.S)
    (tmp_path / "plain.html").write_text(plain, encoding="utf-8")
    doc, measures = _read(tmp_path / "plain.html")
    assert (doc.meta.date, doc.meta.issuer) == ("2021-09-24", "北京市海淀区人民政府")
    assert "发布时间" not in doc.normalized.text and not any("发布时间" in m.raw for m in measures)
    (tmp_path / "plan.html").write_text(text, encoding="utf-8")
    (tmp_path / "corpus.toml").write_text('[[document]]\nid = "plan"\nfile = "plan.html"\ntitle = "方案"\n'
                                          'date = "2021-01"\nissuer = "北京市海淀区人民政府"\n', encoding="utf-8")
    loaded = pipeline.load([tmp_path / "corpus.toml"])
    assert [(d.meta.date, d.meta.issuer) for d in loaded.documents] == [("2021-01", "北京市海淀区人民政府")]


def _expect_refusal(path: Path, *words: str) -> str:
    loaded = pipeline.load([path])
    assert not loaded.documents and len(loaded.errors) == 1
    message = loaded.errors[0].message
    assert message.startswith(str(path)) and all(w in message for w in words), message
    return message


def test_scanned_pdf_is_refused(tmp_path):
    """A PDF of an image (a page with drawing and no text layer), printed by Chromium."""
    _need_chromium()
    from playwright.sync_api import sync_playwright

    svg = ("<svg width='600' height='800'>" + "".join(
        f"<rect x='40' y='{40 + 24 * i}' width='{300 + (i * 37) % 200}' height='12' fill='#333'/>"
        for i in range(30)) + "</svg>")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=renderings.CHROMIUM, args=renderings.CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_content(f"<html><body>{svg}</body></html>")
        page.pdf(path=str(tmp_path / "scan.pdf"), format="A4")
        browser.close()
    _expect_refusal(tmp_path / "scan.pdf", "no text layer", "OCR")


def test_encrypted_damaged_and_legacy_files_are_refused(rendered, tmp_path):
    pypdf = pytest.importorskip("pypdf", reason="Python package 'pypdf' is not installed (make test installs it)")
    writer = pypdf.PdfWriter(clone_from=str(rendered["chongqing_report"]["pdf"]))
    writer.encrypt(user_password="secret", owner_password="owner")
    with open(tmp_path / "locked.pdf", "wb") as fh:
        writer.write(fh)
    _expect_refusal(tmp_path / "locked.pdf", "encrypted PDF", "password")
    good = rendered["chongqing_report"]["pdf"].read_bytes()
    (tmp_path / "cut.pdf").write_bytes(good[: len(good) // 3])
    _expect_refusal(tmp_path / "cut.pdf", "damaged or unreadable PDF")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)      # the Compound File header of .doc/.wps/encrypted .docx
    (tmp_path / "old.docx").write_bytes(ole + b"WordDocument")
    _expect_refusal(tmp_path / "old.docx", "Word 97-2003", "save it as .docx")
    (tmp_path / "broken.docx").write_bytes(rendered["chongqing_report"]["docx"].read_bytes()[:2000])
    _expect_refusal(tmp_path / "broken.docx", "Word")
    (tmp_path / "pdf.txt").write_bytes(good)
    _expect_refusal(tmp_path / "pdf.txt", "rename it to .pdf")
    (tmp_path / "old.doc").write_bytes(ole)
    with pytest.raises(InputError, match=r"old\.doc: Word 97-2003 files are not read"):
        pipeline.load([tmp_path / "old.doc"])


def test_cli_reads_a_folder_of_pdf_docx_html_and_names_the_rest(rendered, tmp_path):
    folder = tmp_path / "mydocs"
    folder.mkdir()
    src = rendered["chongqing_report"]
    for fmt, name in (("pdf", "plan.pdf"), ("docx", "plan.docx"), ("html", "plan.html"), ("txt", "notes.txt")):
        (folder / name).write_bytes(src[fmt].read_bytes())
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    (folder / "draft.wps").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    r = run_cli("segment", str(folder), "--format", "jsonl")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    per_doc = Counter(x["doc_id"] for x in rows)
    assert set(per_doc) == {"notes", "plan.docx", "plan.html", "plan.pdf"}, per_doc   # told apart by their suffix
    assert len(set(per_doc.values())) == 1                        # the same measures from every format
    assert "old.doc: Word 97-2003 files are not read" in r.stderr and "draft.wps: WPS files are not read" in r.stderr
    assert "4 document(s) read, 0 could not be read, 2 file(s) of other types not read" in r.stderr
    assert any(x.get("page") for x in rows) and any(x.get("paragraph") for x in rows)
    assert all(type(x["page"]) is int for x in rows if "page" in x)   # a number, as in the DataFrame:
    with pytest.warns(CompareWarning):   # (the .doc and .wps are named)
        df = compare.segment(folder)
    assert str(df["page"].dtype) == "Int64" and df.loc[df.doc_id == "plan.pdf", "page"].notna().all()
    assert df.loc[df.doc_id != "plan.pdf", "page"].isna().all()
    import pandas as pd   # and in the Parquet file the command line writes (it was 3.0 / NaN)
    r = run_cli("segment", str(folder), "--out", str(tmp_path / "segments.parquet"))
    assert r.returncode == 0, r.stderr
    back = pd.read_parquet(tmp_path / "segments.parquet")
    assert str(back["page"].dtype) == "Int64" and back["page"].dropna().tolist() == df["page"].dropna().tolist()


def test_docx_merged_cells_and_numbering_starts(tmp_path):
    """A measures table whose 牵头单位 cell is merged over two rows, and a cell spanning two columns; Word lists
    starting at 3 and restarted at 1 with startOverride, and one starting at 0."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    d.add_paragraph("重点任务分工")
    t = d.add_table(rows=3, cols=4)
    for c, v in enumerate(("序号", "任务", "牵头单位", "配合单位")):
        t.cell(0, c).text = v
    for r, (task, helper) in enumerate((("培育数字贸易示范企业。", "区财政局"), ("建设跨境数据服务平台。", "区科委")), 1):
        t.cell(r, 0).text, t.cell(r, 1).text, t.cell(r, 3).text = str(r), task, helper
    t.cell(1, 2).merge(t.cell(2, 2)).text = "市商务局"
    numbering = d.part.numbering_part.element
    for aid, start in ((70, 3), (71, 0)):
        numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}"><w:lvl w:ilvl="0">'
                                      f'<w:start w:val="{start}"/><w:numFmt w:val="decimal"/><w:suff w:val="nothing"/>'
                                      f'<w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="70"><w:abstractNumId w:val="70"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="72"><w:abstractNumId w:val="70"/><w:lvlOverride '
                               f'w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="71"><w:abstractNumId w:val="71"/></w:num>'))
    for num_id, texts in ((70, "甲乙"), (72, "丙丁"), (71, "戊己庚")):
        for x in texts:
            p = d.add_paragraph(f"{x}项工作")
            p._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/>'
                                                   f'<w:numId w:val="{num_id}"/></w:numPr>'))
    d.save(str(tmp_path / "t.docx"))
    from compare.extract import extract

    text = extract(tmp_path / "t.docx", (tmp_path / "t.docx").read_bytes()).text
    assert "1. 培育数字贸易示范企业。（牵头单位：市商务局）（配合单位：区财政局）" in text
    assert "2. 建设跨境数据服务平台。（牵头单位：市商务局）（配合单位：区科委）" in text
    labels = [ln.split("项")[0] for ln in text.splitlines() if "项工作" in ln]
    assert labels == ["3.甲", "4.乙", "1.丙", "2.丁", "0.戊", "1.己", "2.庚"]

