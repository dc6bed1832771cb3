"""How well PDF, Word and web-page files are read: renders bundled documents and a lawref regulation
(``benchmarks/renderings.py``), reads them back and compares their measures with those of the plain text.

For every file and level it prints: measures of the .txt, of the rendering, how many are identical (same label,
same normalised text; a multiset match), the share, and measures with page furniture or site chrome inside.
For PDF it also prints pages, extraction time and pages per second, and compares the two candidate PDF text
libraries (pypdfium2, pdfplumber) on the same files: character accuracy of the page text (rapidfuzz Indel
similarity against the source, whitespace and page furniture aside) and time.

    python benchmarks/reader_quality.py [--keep DIR]

Needs Debian's chromium (for the PDF) and, for the regulation, ../shared/corpus/lawref.
"""
from __future__ import annotations

import argparse
import logging
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from compare import pipeline  # noqa: E402
from compare.config import Config  # noqa: E402
from renderings import law_text, paragraphs, render_docx, render_html, render_pdf  # noqa: E402

CORPUS = ROOT / "corpus"
LAWREF = ROOT.parent / "shared" / "corpus" / "lawref" / "DLC"
LAWS = {   # name: (file, running header); the second was only read once the readers were written
    "digital_economy_regulation": (LAWREF / "北京地方法规" / "地方性法规" / "北京" / "北京市数字经济促进条例(2022-11-25).md",
                                   "北京市数字经济促进条例"),
    "shanghai_ftz_regulation": (LAWREF / "上海地方法规" / "地方性法规" / "上海" / "中国（上海）自由贸易试验区条例(2014-07-25).md",
                                "中国（上海）自由贸易试验区条例"),
}
FORMATS = ("pdf", "pdf-plain", "pdf-book", "docx", "docx-quirks", "html", "html-tables")
DOCS = {   # name: (source file, running header)
    "progress_report": (CORPUS / "beijing_liangqu_progress_report_2021.txt", "关于高标准推进“两区”建设工作情况报告"),
    "haidian_plan": (CORPUS / "haidian_liangqu_implementation_plan.txt", "海淀区“两区”建设实施方案"),
    "chongqing_report": (CORPUS / "chongqing_ftz_rectification_report_2024.txt", "重庆市人民政府关于审议意见研究处理情况的报告"),
}
FURNITURE = re.compile(r"—\s*\d+\s*—|第\s*\d+\s*页\s*共\s*\d+\s*页")
CHROME = ("当前位置", "分享到", "版权所有", "ICP备", "公网安备", "相关链接", "网站地图", "请输入关键词", "【打印】", "【关闭】",
          "打印本页", "关闭窗口", "|", "批注", "已删除", "重庆市人民政府办公厅", "关于印发实施方案的通知", "2021年9月")


def render_all(out: Path) -> dict[str, dict[str, Path]]:
    """name -> {"txt": ..., and one path per format of FORMATS}; the regulations are
    printed without their Markdown marks (``renderings.law_text``), and that text is their .txt."""
    sources = dict(DOCS)
    for name, (md, header) in LAWS.items():
        if md.is_file():
            law = out / f"{name}.source.txt"
            law.write_text(law_text(md.read_text(encoding="utf-8")), encoding="utf-8")
            sources[name] = (law, header)
        else:
            print(f"not found, skipped: {md}")
    files = {}
    for name, (src, header) in sources.items():
        lines = paragraphs(src.read_text(encoding="utf-8"))
        txt = out / f"{name}.txt"
        txt.write_bytes(src.read_bytes())
        files[name] = {"txt": txt,
                       "pdf": render_pdf(lines, header, out / f"{name}.pdf"),
                       "pdf-plain": render_pdf(lines, header, out / f"{name}.plain.pdf", style="plain"),
                       "pdf-book": render_pdf(lines, header, out / f"{name}.book.pdf", style="book"),
                       "docx": render_docx(lines, out / f"{name}.docx"),
                       "docx-quirks": render_docx(lines, out / f"{name}.quirks.docx", quirks=True),
                       "html": render_html(lines, header, out / f"{name}.html"),
                       "html-tables": render_html(lines, header, out / f"{name}.tables.html", layout="tables")}
    return files


def header_of(name: str) -> str:
    return {**DOCS, **LAWS}[name][1]


def read(path: Path, level: str):
    loaded = pipeline.load([path])
    if loaded.errors:
        raise SystemExit(f"{path}: {loaded.errors[0].message}")
    doc = loaded.documents[0]
    return doc, pipeline.segment_all([doc], config=Config(level=level))[0].measures


def compare_measures(txt_measures, got_measures) -> tuple[int, int, int]:
    want = Counter((m.label, m.text) for m in txt_measures)
    got = Counter((m.label, m.text) for m in got_measures)
    return sum(want.values()), sum(got.values()), sum((want & got).values())


def furniture_inside(measures, txt_measures, header: str) -> int:
    txt_text = "\n".join(m.text for m in txt_measures)
    bad = 0
    for m in measures:
        if FURNITURE.search(m.text) or (header in m.text and header not in txt_text) or \
                any(c in m.text and c not in txt_text for c in CHROME):
            bad += 1
    return bad


def pdf_libraries(pdf: Path, source: Path, header: str) -> dict[str, tuple[float, float]]:
    """Character accuracy and seconds of pypdfium2 and pdfplumber on one PDF (the lines of the running
    header and the page numbers dropped, as they are not in the source)."""
    from rapidfuzz.distance import Indel

    def clean(s: str) -> str:
        s = "\n".join(ln for ln in s.splitlines() if not FURNITURE.search(ln) and not ln.strip().startswith(header))
        return re.sub(r"\s+", "", s)

    want = re.sub(r"\s+", "", source.read_text(encoding="utf-8"))
    out = {}
    import pypdfium2 as pdfium
    t0 = time.perf_counter()
    doc = pdfium.PdfDocument(str(pdf))
    text = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    doc.close()
    out["pypdfium2"] = (time.perf_counter() - t0, text)
    import pdfplumber
    t0 = time.perf_counter()
    with pdfplumber.open(str(pdf)) as p:
        text = "\n".join(page.extract_text() or "" for page in p.pages)
    out["pdfplumber"] = (time.perf_counter() - t0, text)
    return {k: (Indel.normalized_similarity(clean(t), want, processor=None), s) for k, (s, t) in out.items()}


def main() -> None:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)   # pdfplumber's font warnings on Chromium's PDFs
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", type=Path, help="render into this folder and keep the files")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        files = render_all(out)
        print(f"{'file':34} {'level':6} {'txt':>5} {'got':>5} {'same':>5} {'share':>6} {'furn':>5}")
        worst = 1.0
        for name, fmt_files in files.items():
            header = header_of(name)
            for level in ("coarse", "fine"):
                _, txt_m = read(fmt_files["txt"], level)
                for fmt in FORMATS:
                    _, got_m = read(fmt_files[fmt], level)
                    n, g, same = compare_measures(txt_m, got_m)
                    worst = min(worst, same / n)
                    print(f"{name + '.' + fmt:34} {level:6} {n:5} {g:5} {same:5} {same / n:6.3f} "
                          f"{furniture_inside(got_m, txt_m, header):5}")
        print()
        pages = seconds = 0.0
        import pypdfium2 as pdfium
        for name, fmt_files in files.items():
            for fmt in ("pdf", "pdf-plain", "pdf-book"):
                doc = pdfium.PdfDocument(str(fmt_files[fmt]))
                n_pages = len(doc)
                doc.close()
                t0 = time.perf_counter()
                for _ in range(3):
                    pipeline.segment_all(pipeline.load([fmt_files[fmt]]).documents, config=Config(level="coarse"))
                dt = (time.perf_counter() - t0) / 3
                pages += n_pages
                seconds += dt
                libs = pdf_libraries(fmt_files[fmt], fmt_files["txt"], header_of(name))
                print(f"{fmt_files[fmt].name}: {n_pages} pages, read+normalise+segment {dt:.3f} s "
                      f"({n_pages / dt:.0f} pages/s); "
                      + "; ".join(f"{k} accuracy {a:.4f} in {s:.3f} s" for k, (a, s) in libs.items()))
        print(f"\nSUMMARY files={len(files)} worst_share={worst:.3f} pdf_pages_per_s={pages / seconds:.0f}")


if __name__ == "__main__":
    main()
