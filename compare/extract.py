"""Extract the text of PDF, Word (.docx) and web-page (.html) files, as researchers receive them.

The extracted text becomes the document's ``raw`` (offsets, spans and ``raw`` slices refer to it; the file's
bytes keep their sha256). What the reader recognises as not belonging to the text is not deleted from it but
returned as edits that normalisation applies first and records (``Normalized.edits``):

- **PDF** (pypdfium2: the PDF's text layer with each character's box): running headers and footers (page
  numbers such as ``— 3 —``, ``第 3 页``, ``3/12``, and lines that repeat at the same height on most pages,
  such as the title) are edits of kind ``pdf-furniture``; a line that fills the text width and is followed,
  at the usual line distance, by a line that is not indented (or by the centred rest of a title) continues the
  same paragraph, so the line break is an edit ``pdf-line-join``; a page break elsewhere is ``pdf-page-break``. Pages are separated by a form feed, as pdftotext does.
- **DOCX** (python-docx): body paragraphs and tables in order; Word's automatic numbering (一、 (一) 1. ①),
  which is not in a paragraph's text, is rendered from the numbering definitions; each table row is one line,
  its cells separated by `` | ``; in a table of measures (序号 | 任务 | 责任单位) a numbered row becomes the item
  ``1. 任务（责任单位：…）``, so that the responsible units become the measure's attributes.
- **HTML** (trafilatura): the page's main content, without site chrome (navigation, breadcrumbs,
  字号/打印/关闭, 分享到, related links, 版权所有/ICP footers); the article title first.

Each measure gets its provenance from ``anchors``: ``page`` (1-based physical page) for PDF, ``paragraph``
(1-based index among the body's paragraphs, ``T2.5`` for row 5 of table 2) for DOCX.

Refused with the file named and what to do: scanned PDFs (no text layer), encrypted PDFs, Word 97-2003
``.doc`` and WPS files (and a ``.docx`` that is one of them, or encrypted), damaged files.
"""
from __future__ import annotations

import io
import re
import statistics
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

PDF_SUFFIXES = (".pdf",)
DOCX_SUFFIXES = (".docx",)
HTML_SUFFIXES = (".html", ".htm")
SUFFIXES = PDF_SUFFIXES + DOCX_SUFFIXES + HTML_SUFFIXES
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # Word 97-2003, WPS, and encrypted Office files
# what to do with a file that is refused
OLE_ADVICE = ("is a Word 97-2003 (.doc), WPS or password-protected Office file, which is not read: open it in "
              "Word or WPS and save it as .docx (without a password) or as plain text (UTF-8)")


@dataclass(frozen=True)
class Extracted:
    """The text of a file and what its reader found: edits for normalisation and provenance anchors."""

    text: str
    fmt: str                                         # "pdf" | "docx" | "html"
    edits: tuple[tuple[int, int, str, str], ...]     # (start, end, replacement, kind) in ``text``, sorted
    anchors: tuple[tuple[int, str], ...]             # (offset in text, label): where each page/paragraph starts
    unit: str                                        # "page" | "paragraph" | "" (what an anchor label is)


def extract(path: Path, data: bytes) -> Extracted:
    """The text of the PDF, DOCX or HTML file ``path`` whose bytes are ``data``."""
    suffix = path.suffix.lower()
    if data.startswith(OLE_MAGIC):
        raise InputError(OLE_ADVICE, path=path)
    if suffix in PDF_SUFFIXES:
        return _pdf(path, data)
    if suffix in DOCX_SUFFIXES:
        return _docx(path, data)
    if suffix in HTML_SUFFIXES:
        return html_text(path, data)
    raise InputError(f"unsupported file type {suffix or '(none)'!r}", path=path)


# ------------------------------------------------------------------------------------------------ PDF
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－―─_·•]*(?:第\s*)?(?:\d{1,4}|[ivxlcdm]{1,6}|[IVXLCDM]{1,6})(?:\s*页)?"
    r"(?:\s*[/／]\s*\d{1,4}|\s*[，,]?\s*共\s*\d{1,4}\s*页)?[\s\-—–－―─_·•]*$")
_LATIN = re.compile(r"[A-Za-z]")
_ALNUM_RUN = re.compile(r"[A-Za-z0-9.,%‰]+")


@dataclass
class _Line:
    page: int
    start: int        # offsets in the page's text
    end: int
    text: str
    left: float = 0.0
    right: float = 0.0
    bottom: float = 0.0
    top: float = 0.0
    height: float = 0.0
    furniture: bool = False


def _pdf(path: Path, data: bytes) -> Extracted:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    if not data.startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        raise InputError("is not a PDF file (no %PDF- header): check that the download is complete", path=path)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError("is an encrypted PDF (it needs a password): save an unprotected copy or its text "
                             "(pdftotext -layout FILE.pdf) and give that", path=path) from None
        raise InputError(f"is a damaged or unreadable PDF ({exc}): download it again or give its text as .txt",
                         path=path) from None
    pages: list[list[_Line]] = []
    page_texts: list[str] = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            chars: list[str] = []
            boxes: list[tuple[float, float, float, float] | None] = []
            for i in range(textpage.count_chars()):
                code = raw.FPDFText_GetUnicode(textpage.raw, i)
                ch = chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"
                if ch == "\r":
                    continue
                if ch == "\x02":          # a soft hyphen PDFium marks at a line end
                    ch = "-"
                chars.append(ch)
                boxes.append(None if ch.isspace() else textpage.get_charbox(i, loose=False))
            text = "".join(chars)
            lines: list[_Line] = []
            pos = 0
            for part in text.split("\n"):
                line = _Line(index, pos, pos + len(part), part)
                got = [b for b in boxes[pos:pos + len(part)] if b is not None]
                if got:
                    line.left = min(b[0] for b in got)
                    line.right = max(b[2] for b in got)
                    line.bottom = statistics.median(b[1] for b in got)
                    line.top = statistics.median(b[3] for b in got)
                    line.height = statistics.median(b[3] - b[1] for b in got)
                    lines.append(line)
                pos += len(part) + 1
            pages.append(lines)
            page_texts.append(text)
            textpage.close()
            page.close()
    finally:
        pdf.close()
    visible = sum(len(ln.text.strip()) for lines in pages for ln in lines)
    if visible < 20 * max(1, len(pages)) and visible < 200:
        raise InputError(f"has no text layer ({visible} characters on {len(pages)} page(s)): it is a scanned image; "
                         "run OCR on it (for example ocrmypdf -l chi_sim FILE.pdf OUT.pdf) and give the result",
                         path=path)
    empty = sum(1 for lines in pages if sum(len(ln.text.strip()) for ln in lines) < 5)
    if len(pages) >= 4 and empty * 2 >= len(pages):
        raise InputError(f"is mostly scanned images: {empty} of {len(pages)} pages have no text layer; run OCR on "
                         "it (for example ocrmypdf -l chi_sim --skip-text FILE.pdf OUT.pdf) and give the result",
                         path=path)
    odd = sum(1 for t in page_texts for ch in t if ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff")
    if odd > 0.2 * visible:
        raise InputError(f"has a text layer that cannot be decoded ({odd} of {visible} characters have no Unicode "
                         "meaning: its fonts lack a Unicode map); run OCR on it (for example ocrmypdf -l chi_sim "
                         "--force-ocr FILE.pdf OUT.pdf) and give the result", path=path)
    _mark_furniture(pages)
    return _pdf_join(pages, page_texts)


def _mark_furniture(pages: list[list[_Line]]) -> None:
    """Running headers and footers: at most two lines from the top and two from the bottom of a page, each a
    page number or a line that repeats (digits aside) at the same height on at least half of the pages."""
    def key(ln: _Line) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", ln.text))

    def edge_lines(lines: list[_Line]) -> list[list[_Line]]:
        by_height = sorted(lines, key=lambda ln: -ln.top)
        return [by_height[:2], by_height[::-1][:2]]

    seen: dict[str, list[tuple[int, float]]] = {}
    for lines in pages:
        for edge in edge_lines(lines):
            for ln in edge:
                seen.setdefault(key(ln), []).append((ln.page, ln.top))
    need = max(2, (len(pages) + 1) // 2)

    def repeats(ln: _Line) -> bool:
        same = {p for p, top in seen.get(key(ln), []) if abs(top - ln.top) <= 3}
        return len(pages) > 1 and len(same) >= need

    for lines in pages:
        if len(lines) < 2:
            continue
        for edge in edge_lines(lines):
            for ln in edge:   # from the page's edge inwards: stop at the first line that is text
                if _PAGE_NUMBER.match(ln.text) or repeats(ln):
                    ln.furniture = True
                else:
                    break


def _pdf_join(pages: list[list[_Line]], page_texts: list[str]) -> Extracted:
    """The text (pages joined by form feeds), and one edit for every gap between two body lines."""
    offsets, pos = [], 0
    for t in page_texts:
        offsets.append(pos)
        pos += len(t) + 1
    text = "\f".join(page_texts)
    body = [ln for lines in pages for ln in lines if not ln.furniture and ln.text.strip()]
    edits: list[tuple[int, int, str, str]] = []
    anchors = tuple((offsets[i], str(i + 1)) for i in range(len(pages)))
    if not body:
        return Extracted(text, "pdf", (), anchors, "page")
    lefts = sorted(ln.left for ln in body)
    rights = sorted(ln.right for ln in body)
    size = statistics.median(ln.height for ln in body) or 10.0
    margin_left = lefts[len(lefts) // 10]
    margin_right = rights[len(rights) * 9 // 10]

    # the usual distance from one line to the next on a page: more than that is space between paragraphs
    steps = [a.bottom - b.bottom for a, b in zip(body, body[1:]) if a.page == b.page and a.bottom > b.bottom]
    pitch = statistics.median(steps) if steps else 0.0

    def gap_edit(s: int, e: int, rep: str) -> None:
        removed = text[s:e]
        if removed == rep:
            return
        furniture = any(ln.furniture and s <= offsets[ln.page] + ln.start < e for lines in pages for ln in lines)
        kind = "pdf-furniture" if furniture else ("pdf-line-join" if rep in ("", " ") else
                                                  "pdf-page-break" if "\f" in removed else "pdf-line-break")
        edits.append((s, e, rep, kind))

    first = body[0]
    gap_edit(0, offsets[first.page] + first.start, "")
    for a, b in zip(body, body[1:]):
        s, e = offsets[a.page] + a.end, offsets[b.page] + b.start
        # full: no room left for what starts the next line. A character is a little wider than its box is
        # high; line-breaking rules move a character together with a following 、，。 or a preceding “《 (two
        # characters), a Latin word or number as a whole; larger type (a title) wraps earlier.
        run = _ALNUM_RUN.match(b.text.lstrip())
        room = 2.6 * max(size, a.height) + (0.6 * size * len(run.group()) if run else 0.0)
        full = a.right >= margin_right - room
        # a paragraph's first line is indented (about two characters); a centred line (as far in from the left
        # as from the right) after a full one is the rest of a centred title, which continues it
        inset_left, inset_right = b.left - margin_left, margin_right - b.right
        # (a wider tolerance far in from the margins: a closing 。 leaves its box short of the line's end)
        centred = (inset_left > 0.5 * size and abs(inset_left - inset_right) <= 0.5 * size) or \
            (inset_left > 2.5 * size and abs(inset_left - inset_right) <= max(size, b.height))
        indented = inset_left >= 0.9 * size and not centred
        spaced = pitch > 0 and a.page == b.page and a.bottom - b.bottom > 1.3 * pitch * max(1.0, a.height / size)
        if full and not indented and not spaced:
            rep = " " if _LATIN.match(a.text.rstrip()[-1:] or "") and _LATIN.match(b.text.lstrip()[:1]) else ""
        else:
            rep = "\n"
        gap_edit(s, e, rep)
    last = body[-1]
    gap_edit(offsets[last.page] + last.end, len(text), "")
    return Extracted(text, "pdf", tuple(edits), anchors, "page")


# ------------------------------------------------------------------------------------------------ DOCX
_CN_DIGITS = "零一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"


def _chinese(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        tail = "" if not rest else ("零" + _chinese(rest) if rest < 10 else
                                     ("一" + _chinese(rest) if rest < 20 else _chinese(rest)))
        return _CN_DIGITS[hundreds] + "百" + tail
    return str(n)


def _roman(n: int) -> str:
    out = []
    for value, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                       (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def number_text(n: int, fmt: str) -> str:
    """``n`` written in Word's number format ``fmt`` (w:numFmt)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographDigital",
               "taiwaneseCounting", "taiwaneseCountingThousand"):
        return _chinese(n)
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return _DIZHI[(n - 1) % 12]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class _Numbering:
    """Word's automatic numbering: the label each numbered paragraph shows, in document order."""

    def __init__(self, document):
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}   # numId -> ilvl -> (fmt, lvlText, start)
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.findall(qn("w:abstractNum")):
            lv = {}
            for lvl in an.findall(qn("w:lvl")):
                lv[int(lvl.get(qn("w:ilvl"), "0"))] = (self._val(lvl, "w:numFmt", "decimal"),
                                                       self._val(lvl, "w:lvlText", ""),
                                                       int(self._val(lvl, "w:start", "1") or 1))
            abstract[an.get(qn("w:abstractNumId"))] = lv
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                lv = dict(abstract.get(ref.get(qn("w:val")), {}))
                for ov in num.findall(qn("w:lvlOverride")):
                    start = ov.find(qn("w:startOverride"))
                    ilvl = int(ov.get(qn("w:ilvl"), "0"))
                    if start is not None and ilvl in lv:
                        lv[ilvl] = (lv[ilvl][0], lv[ilvl][1], int(start.get(qn("w:val"), "1")))
                self.levels[num.get(qn("w:numId"))] = lv

    def _val(self, el, tag: str, default: str) -> str:
        child = el.find(self.qn(tag))
        return default if child is None else child.get(self.qn("w:val"), default)

    def label(self, paragraph) -> str:
        num_id, ilvl = self._numpr(paragraph)
        levels = self.levels.get(num_id or "")
        if not levels or ilvl not in levels:
            return ""
        counts = self.counters.setdefault(num_id, [0] * 9)
        if counts[ilvl] == 0:
            counts[ilvl] = levels[ilvl][2]
        else:
            counts[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        fmt, text, _ = levels[ilvl]

        def place(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            if k not in levels:
                return ""
            n = counts[k] or levels[k][2]
            return number_text(n, fmt if k == ilvl else levels[k][0])
        return re.sub(r"%([1-9])", place, text)

    def _numpr(self, paragraph) -> tuple[str | None, int]:
        qn = self.qn
        for ppr in (paragraph._p.pPr, getattr(getattr(paragraph.style, "element", None), "pPr", None)):
            numpr = None if ppr is None else ppr.find(qn("w:numPr"))
            if numpr is not None:
                nid = numpr.find(qn("w:numId"))
                lvl = numpr.find(qn("w:ilvl"))
                if nid is not None and nid.get(qn("w:val")) not in (None, "0"):
                    return nid.get(qn("w:val")), int(lvl.get(qn("w:val"), "0")) if lvl is not None else 0
        return None, 0


# table columns that say who is responsible: their cells become "（责任单位：…）" after the row's text
_DUTY_COLUMN = re.compile(r"^(责任单位|责任部门|牵头单位|牵头部门|配合单位|配合部门|协办单位|主责单位)$")
_ROW_NUMBER = re.compile(r"^(?:\d{1,3}|[一二三四五六七八九十]{1,3})[.．、]?$")


def _cells(row) -> list[str]:
    cells, last = [], None
    for cell in row.cells:
        if cell._tc is last:       # a merged cell repeats
            continue
        last = cell._tc
        cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
    return cells


def table_row(cells: list[str], header: list[str]) -> str:
    """One line for a table row. In a table of measures (序号 | 任务 | 责任单位), a row whose first cell is a
    number becomes the item ``1. 任务（责任单位：市商务局）``; other cells are joined by `` | ``."""
    number = cells[0].rstrip(".．、") if cells and _ROW_NUMBER.match(cells[0]) else ""
    text, duties = [], []
    for i, cell in enumerate(cells[1:] if number else cells, 1 if number else 0):
        name = header[i] if header and i < len(header) else ""
        if not cell:
            continue
        if _DUTY_COLUMN.match(re.sub(r"\s+", "", name)):
            duties.append(f"（{re.sub(r'[ 　]+', '', name)}：{cell}）")
        else:
            text.append(cell)
    return (f"{number}. " if number else "") + " | ".join(text) + "".join(duties)


def _docx(path: Path, data: bytes) -> Extracted:
    import docx
    from docx.table import Table

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError("is not a Word .docx file (not a ZIP package): if it is a .doc, open it in Word or WPS "
                         "and save it as .docx or plain text (UTF-8)", path=path)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:   # python-docx raises several kinds (KeyError, ValueError, PackageNotFoundError)
        raise InputError(f"is a damaged or unsupported Word file ({type(exc).__name__}: {exc}): open it in Word "
                         "and save it again as .docx, or give its text as .txt", path=path) from None
    numbering = _Numbering(document)
    parts: list[str] = []
    anchors: list[tuple[int, str]] = []
    pos = 0
    paragraph_no = table_no = 0

    def add(line: str, label: str) -> None:
        nonlocal pos
        anchors.append((pos, label))
        parts.append(line)
        pos += len(line) + 1

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            table_no += 1
            header: list[str] = []
            for r, row in enumerate(block.rows, 1):
                cells = _cells(row)
                if not any(cells):
                    continue
                if not header:
                    header = cells
                add(table_row(cells, header if r > 1 else []), f"T{table_no}.{r}")
        else:
            paragraph_no += 1
            label = numbering.label(block)
            body = block.text
            if body.strip() or label:
                add(label + body, str(paragraph_no))
    text = "\n".join(parts)
    if not text.strip():
        raise InputError("is a Word file with no text", path=path)
    return Extracted(text, "docx", (), tuple(anchors), "paragraph")


# ------------------------------------------------------------------------------------------------ HTML
def html_text(path: Path, data: bytes) -> Extracted:
    """The main content of a web page (trafilatura), its title first."""
    import trafilatura

    result = trafilatura.bare_extraction(data, include_tables=True, include_comments=False, include_links=False,
                                         include_images=False, deduplicate=False, favor_recall=True,
                                         with_metadata=True)
    body = (getattr(result, "text", None) or "").strip() if result is not None else ""
    if not body:
        raise InputError("is a web page in which no main text was found: save the article's text as a .txt file",
                         path=path)
    title = (getattr(result, "title", None) or "").strip()
    title = re.split(r"\s*[_|｜]\s*", title)[0]   # <title> often adds the site: 标题_政策文件_首都之窗
    lines = [ln.strip() for ln in body.splitlines()]
    if title and title not in lines[0]:
        lines.insert(0, title)
    text = "\n".join(ln for ln in lines if ln)
    return Extracted(text, "html", (), (), "")
