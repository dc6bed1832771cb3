"""Extract the text of PDF, Word (.docx) and web-page (.html) files, as researchers receive them.

The extracted text becomes the document's ``raw`` (offsets, spans and ``raw`` slices refer to it; the file's
bytes keep their sha256). What the reader recognises as not belonging to the text is not deleted from it but
returned as edits that normalisation applies first and records (``Normalized.edits``):

- **PDF** (pypdfium2: the PDF's text layer with each character's box): running headers and footers are edits
  of kind ``pdf-furniture``: up to three lines at the top and bottom edge of a page, from the edge inwards,
  that are page numbers (``— 3 —``, ``第3页/共9页``, ``3 / 12``), or repeat (digits aside) at the same height on
  at least a third of the pages (odd and even pages may carry different heads), or are short lines in smaller
  type set apart from the text (a head printed once, in a short document). A line that leaves no room for
  what starts the next line and is followed, at the usual line distance, by a line that is not indented (or by
  the rest of a centred title) continues the same paragraph: the line break is an edit ``pdf-line-join``; a
  page break elsewhere is ``pdf-page-break``. Pages are separated by a form feed, as pdftotext does. Tables in
  a PDF come out as lines of cells, not as rows.
- **DOCX** (python-docx, with the paragraphs' XML read directly): body paragraphs and tables in order, also
  inside content controls; tracked insertions kept, deleted and hidden text left out; a line break inside a
  paragraph (Shift+Enter) is an edit ``docx-line-break`` that joins the line; Word's automatic numbering
  (一、 (一) 1. ①, with ``w:lvlRestart`` and ``w:startOverride``), which is not in a paragraph's text, is
  rendered from the numbering definitions; each table row is one line,
  its cells separated by `` | ``; in a table of measures (序号 | 任务 | 责任单位) a numbered row becomes the item
  ``1. 任务（责任单位：…）``, so that the responsible units become the measure's attributes.
- **HTML** (trafilatura): the page's main content, without site chrome (navigation, breadcrumbs,
  字号/打印/关闭, 分享到, related links, 版权所有/ICP footers); the article title first. Its dateline (发布时间：…
  来源：…) is kept as ``date`` and ``issuer`` (``ingest.read_document`` fills the metadata's empty fields).

Each measure gets its provenance from ``anchors``: ``page`` (1-based physical page) for PDF, ``paragraph``
(1-based index among the body's paragraphs, ``T2.5`` for row 5 of table 2) for DOCX.

Refused with the file named and what to do: scanned PDFs (no text layer), encrypted PDFs, Word 97-2003
``.doc`` and WPS files (and a ``.docx`` that is one of them, or encrypted), damaged files.
"""
from __future__ import annotations

import bisect
import codecs
import datetime
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
    date: str = ""                                   # a web page's dateline (发布时间：2021-09-24): YYYY-MM-DD
    issuer: str = ""                                 # …and its source (来源：北京市人民政府)


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
    r"(?:\s*[/／，,]?\s*(?:共\s*)?\d{1,4}\s*页?)?[\s\-—–－―─_·•]*$")
_LATIN = re.compile(r"[A-Za-z]")
_ALNUM_RUN = re.compile(r"[A-Za-z0-9.,%‰]+")
_OPENING = "“‘《〈（(「『【〔［"
_ITEM_START = re.compile(r"第[一二三四五六七八九十百零〇\d]+[条章节款]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[)）]"
                         r"|\d{1,2}[.、．](?!\d)")


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
                    line.height = max(b[3] - b[1] for b in got)   # (a 。 alone has a small box)
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
    """Running headers and footers: up to three lines from the top and three from the bottom of a page, taken
    from the page's edge inwards while each is furniture: a page number (``— 3 —``, ``第3页/共9页``,
    ``3 / 12``); a line that repeats (digits aside) at the same height on two or more pages and on at least a
    third of them (odd and even pages may carry different heads); or a line in smaller type than the text,
    set apart from it by more than the usual line distance (a head that appears only once, in a short
    document)."""
    def key(ln: _Line) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", ln.text))

    def edges(lines: list[_Line]) -> list[list[_Line]]:
        by_height = sorted(lines, key=lambda ln: -ln.top)
        return [by_height, by_height[::-1]]

    seen: dict[str, list[tuple[int, float]]] = {}
    for lines in pages:
        for edge in edges(lines):
            for ln in edge[:3]:
                seen.setdefault(key(ln), []).append((ln.page, ln.top))
    need = max(2, -(-len(pages) // 3))
    heights = [ln.height for lines in pages for ln in lines if len(ln.text.strip()) >= 8]
    size = statistics.median(heights) if heights else 0.0
    steps = sorted(a.bottom - b.bottom for lines in pages for a, b in zip(lines, lines[1:]) if a.bottom > b.bottom)
    pitch = steps[len(steps) // 5] if steps else 0.0

    def repeats(ln: _Line) -> bool:
        same = {p for p, top in seen.get(key(ln), []) if abs(top - ln.top) <= 3}
        return len(same) >= need

    def small_block(edge: list[_Line]) -> int:
        """How many lines at this edge are short lines in smaller type (not a footnote's sentences) and,
        together, set apart from the text."""
        k = 0
        while k < min(3, len(edge) - 1) and size and edge[k].height <= 0.9 * size and \
                len(edge[k].text.strip()) <= 40 and not edge[k].text.rstrip().endswith(("。", "；", ";")):
            k += 1
        if k and pitch and abs(edge[k - 1].bottom - edge[k].bottom) > 1.5 * pitch:
            return k
        return 0

    for lines in pages:
        if len(lines) < 2:
            continue
        for edge in edges(lines):
            block = small_block(edge)
            for k, ln in enumerate(edge[:3]):   # from the page's edge inwards: stop at the first line of text
                if k < block or _PAGE_NUMBER.match(ln.text) or repeats(ln):
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
    # (the lower fifth of the steps: in a regulation of one- and two-line paragraphs, most steps cross a
    # paragraph's spacing)
    steps = sorted(a.bottom - b.bottom for a, b in zip(body, body[1:]) if a.page == b.page and a.bottom > b.bottom)
    pitch = steps[len(steps) // 5] if steps else 0.0

    furniture_at = sorted(offsets[ln.page] + ln.start for lines in pages for ln in lines if ln.furniture)

    def gap_edit(s: int, e: int, rep: str) -> None:
        removed = text[s:e]
        if removed == rep:
            return
        k = bisect.bisect_left(furniture_at, s)
        furniture = k < len(furniture_at) and furniture_at[k] < e
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
        head = b.text.lstrip()
        opening = len(head) - len(head.lstrip(_OPENING))
        run = _ALNUM_RUN.match(head[opening:])
        room = (2.6 + opening) * max(size, a.height) + (0.6 * size * len(run.group()) if run else 0.0)
        full = a.right >= margin_right - room
        # a paragraph's first line is indented (about two characters); a centred line (as far in from the left
        # as from the right) after a full one is the rest of a centred title, which continues it
        inset_left, inset_right = b.left - margin_left, margin_right - b.right
        # (a wider tolerance far in from the margins: a closing 。 leaves its box short of the line's end)
        centred = (inset_left > 0.5 * size and abs(inset_left - inset_right) <= 0.5 * size) or \
            (inset_left > 2.5 * size and abs(inset_left - inset_right) <= max(size, b.height))
        large = b.height > 1.2 * size     # a title in larger type is centred, never indented
        indented = inset_left >= 0.9 * size and not centred and not large
        spaced = pitch > 0 and a.page == b.page and a.bottom - b.bottom > 1.3 * pitch * max(1.0, a.height / size)
        # a sentence that ends at the margin followed by a numbered item (第二条, 一、, （一）, 1.) is a new one
        numbered = a.text.rstrip().endswith(("。", "；", "：", ";", ":")) and _ITEM_START.match(head)
        if full and not indented and not spaced and not numbered:
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


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _wval(el, tag: str, default: str | None = None) -> str | None:
    child = None if el is None else el.find(_W + tag)
    return default if child is None else child.get(_W + "val", default)


class _Numbering:
    """Word's automatic numbering: the label each numbered paragraph shows, in document order.

    Counters belong to the abstract numbering (two lists that share one continue each other, unless a list
    restarts with ``w:startOverride``); a deeper level restarts after a shallower one is used, or only after
    the level its ``w:lvlRestart`` names (0: never, so 第X条 run on through the chapters).
    """

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[str, str, int, int | None]]] = {}   # abstractNumId -> ilvl -> ...
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}    # numId -> (abstractNumId, start overrides)
        self.counters: dict[str, list[int]] = {}
        self.started: set[str] = set()
        self.styles: dict[str, object] = {}
        try:
            self.styles = {st.get(_W + "styleId"): st for st in document.styles.element.findall(_W + "style")}
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        for an in root.findall(_W + "abstractNum"):
            lv = {}
            for lvl in an.findall(_W + "lvl"):
                restart = _wval(lvl, "lvlRestart")
                suffix = {"tab": "\t", "space": " "}.get(_wval(lvl, "suff", "tab") or "tab", "")
                lv[int(lvl.get(_W + "ilvl", "0"))] = (_wval(lvl, "numFmt", "decimal"),
                                                      (_wval(lvl, "lvlText", "") or "") + suffix,
                                                      int(_wval(lvl, "start", "1") or 1),
                                                      None if restart is None else int(restart))
            self.levels[an.get(_W + "abstractNumId")] = lv
        for num in root.findall(_W + "num"):
            overrides = {}
            for ov in num.findall(_W + "lvlOverride"):
                start = _wval(ov, "startOverride")
                if start is not None:
                    overrides[int(ov.get(_W + "ilvl", "0"))] = int(start)
            self.nums[num.get(_W + "numId")] = (_wval(num, "abstractNumId", ""), overrides)

    def label(self, p) -> str:
        num_id, ilvl = self._numpr(p)
        abstract, overrides = self.nums.get(num_id or "", ("", {}))
        levels = self.levels.get(abstract)
        if not levels or ilvl not in levels:
            return ""
        counts: list[int | None] = self.counters.setdefault(abstract, [None] * 9)   # None: not used yet
        if num_id not in self.started:          # a list that restarts its numbering
            self.started.add(num_id)
            for lvl, start in overrides.items():
                if 0 <= lvl < 9:
                    counts[lvl] = start - 1
        counts[ilvl] = levels[ilvl][2] if counts[ilvl] is None else counts[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            restart = levels.get(deeper, (None, None, 1, None))[3]
            if restart is None or (restart > 0 and ilvl <= restart - 1):
                counts[deeper] = None
        fmt, text, _, _ = levels[ilvl]

        def place(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            if k not in levels:
                return ""
            n = counts[k] if counts[k] is not None else levels[k][2]
            return number_text(n, fmt if k == ilvl else levels[k][0])
        return re.sub(r"%([1-9])", place, text)   # the number and what follows it (a tab unless w:suff says)

    def _numpr(self, p) -> tuple[str | None, int]:
        ppr = p.find(_W + "pPr")
        numpr = None if ppr is None else ppr.find(_W + "numPr")
        style = _wval(ppr, "pStyle")
        for _ in range(6):                      # the paragraph's own numbering, else its style's (and base styles')
            if numpr is not None:
                nid, lvl = _wval(numpr, "numId"), _wval(numpr, "ilvl", "0")
                return (None, 0) if nid in (None, "0") else (nid, int(lvl or 0))
            st = self.styles.get(style)
            if st is None:
                return None, 0
            sppr = st.find(_W + "pPr")
            numpr = None if sppr is None else sppr.find(_W + "numPr")
            style = _wval(st, "basedOn")
        return None, 0


def _hidden(run) -> bool:
    rpr = run.find(_W + "rPr") if run is not None else None
    vanish = None if rpr is None else rpr.find(_W + "vanish")
    return vanish is not None and vanish.get(_W + "val", "true") not in ("0", "false", "off")


def _para_text(p) -> str:
    """The visible text of a paragraph: runs, tracked insertions, hyperlinks, fields' results and content
    controls included; deleted text, hidden text and field codes left out; tabs as tabs, line breaks as
    newlines (``w:br``; a page or column break is nothing)."""
    out: list[str] = []

    def walk(el) -> None:
        for child in el:
            tag = child.tag
            if tag in (_W + "del", _W + "moveFrom", _MC_FALLBACK, _W + "pPr", _W + "rPr"):
                continue
            if tag == _W + "r":
                if not _hidden(child):
                    walk(child)
            elif tag == _W + "t":
                out.append(child.text or "")
            elif tag == _W + "tab":
                out.append("\t")
            elif tag in (_W + "br", _W + "cr"):
                if child.get(_W + "type") not in ("page", "column"):
                    out.append("\n")
            elif tag == _W + "noBreakHyphen":
                out.append("-")
            elif tag != _W + "instrText":
                walk(child)

    walk(p)
    return "".join(out)


def _blocks(parent):
    """Body-level paragraphs and tables in order, also inside content controls and custom XML."""
    for child in parent:
        if child.tag in (_W + "p", _W + "tbl"):
            yield child
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _blocks(content)
        elif child.tag in (_W + "customXml", _W + "ins", _W + "moveTo"):
            yield from _blocks(child)


# table columns that say who is responsible: their cells become "（责任单位：…）" after the row's text
_DUTY_COLUMN = re.compile(r"^(责任单位|责任部门|牵头单位|牵头部门|配合单位|配合部门|协办单位|主责单位)$")
_ROW_NUMBER = re.compile(r"^(?:\d{1,3}|[一二三四五六七八九十]{1,3})[.．、]?$")


def _cells(tr, above: dict[int, str]) -> list[str]:
    """A row's cells by grid column: a cell spanning columns (``gridSpan``) holds its text in its first column,
    a vertically merged cell (``vMerge``) repeats the text of the cell it continues (``above``, by column)."""
    cells: list[str] = []
    for tc in tr.findall(_W + "tc"):
        tcpr = tc.find(_W + "tcPr")
        span = int(_wval(tcpr, "gridSpan", "1") or 1) if tcpr is not None else 1
        vmerge = None if tcpr is None else tcpr.find(_W + "vMerge")
        col = len(cells)
        if vmerge is not None and vmerge.get(_W + "val") != "restart":
            text = above.get(col, "")             # the continuation of a vertically merged cell
        else:
            paras = [re.sub(r"\s+", " ", _para_text(p)).strip() for p in tc.iter(_W + "p")]
            text = " ".join(x for x in paras if x)
        above[col] = text
        cells.extend([text] + [""] * (max(1, span) - 1))
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

    if not zipfile.is_zipfile(io.BytesIO(data)):
        why = ("the ZIP package is incomplete or damaged: download it again, or open and save it again in Word"
               if data.startswith(b"PK") else
               "not a ZIP package: if it is a .doc, open it in Word or WPS and save it as .docx or plain text (UTF-8)")
        raise InputError(f"is not a readable Word .docx file ({why})", path=path)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:   # python-docx raises several kinds (KeyError, ValueError, PackageNotFoundError)
        raise InputError(f"is a damaged or unsupported Word file ({type(exc).__name__}: {exc}): open it in Word "
                         "and save it again as .docx, or give its text as .txt", path=path) from None
    numbering = _Numbering(document)
    parts: list[str] = []
    anchors: list[tuple[int, str]] = []
    edits: list[tuple[int, int, str, str]] = []
    pos = 0
    paragraph_no = table_no = 0

    def add(line: str, label: str) -> None:
        nonlocal pos
        anchors.append((pos, label))
        for m in re.finditer(r"\n", line):   # a line break inside a paragraph (Shift+Enter) wraps a line
            before, after = line[m.start() - 1:m.start()], line[m.end():m.end() + 1]
            latin = before.isascii() and before.isalpha() and after.isascii() and after.isalpha()
            edits.append((pos + m.start(), pos + m.end(), " " if latin else "", "docx-line-break"))
        parts.append(line)
        pos += len(line) + 1

    for block in _blocks(document.element.body):
        if block.tag == _W + "tbl":
            table_no += 1
            header: list[str] = []
            above: dict[int, str] = {}
            for r, tr in enumerate(block.findall(_W + "tr"), 1):
                cells = _cells(tr, above)
                if not any(cells):
                    continue
                first = not header
                if first:
                    header = cells
                add(table_row(cells, [] if first else header), f"T{table_no}.{r}")
        else:
            paragraph_no += 1
            label = numbering.label(block)
            body = _para_text(block)
            if body.strip() or label:
                add(label + body, str(paragraph_no))
    text = "\n".join(parts)
    if not text.strip():
        raise InputError("is a Word file with no text", path=path)
    return Extracted(text, "docx", tuple(edits), tuple(anchors), "paragraph")


# ------------------------------------------------------------------------------------------------ HTML
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# what browsers decode a declared charset as (the WHATWG Encoding Standard): GB2312 and GBK pages are GB18030,
# Big5 pages Big5-HKSCS
_BROWSER_CODEC = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                  "gb18030": "gb18030", "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "utf8": "utf-8"}
_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table")


def decode_page(data: bytes) -> str:
    """The text of a web page: its byte-order mark, else the charset it declares (decoded as browsers do),
    else UTF-8, GB18030 or Big5."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace").lstrip("\ufeff")
    m = _CHARSET.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii").lower()
        codec = _BROWSER_CODEC.get(name, name)
        try:
            if codecs.lookup(codec)._is_text_encoding:   # not base64, punycode, idna … named as a charset
                return data.decode(codec, errors="replace")
        except (LookupError, UnicodeError):
            pass
    for codec in ("utf-8", "gb18030", "big5hkscs"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _page_tree(page: str):
    """(the page without an XML declaration, which lxml refuses in a decoded string; its lxml tree, or None when
    lxml cannot parse it): parsed once for the layout tables and the dateline."""
    import lxml.html

    page = re.sub(r"^\s*<\?xml[^>]*>", "", page)
    try:
        return page, lxml.html.document_fromstring(page)
    except Exception:   # lxml's parser errors (empty or broken pages): leave the page to trafilatura
        return page, None


def _unwrap_layout_tables(page: str, root) -> str:
    """Old government sites lay pages out with tables: a table whose cells hold other tables or several
    paragraphs is layout, not data, and becomes plain blocks so that the main-content extractor sees the
    article's paragraphs (a data table, with short cells, stays a table). ``root``: ``page``'s tree (changed in
    place), or None."""
    import lxml.html

    if root is None:
        return page
    changed = False
    for table in root.iter("table"):
        cells = [c for c in table.iter("td", "th")]
        layout = any(c.find(".//table") is not None or
                     sum(1 for b in c.iter(*_BLOCKS) if b is not c) >= 3 for c in cells)
        if layout:
            changed = True
            for el in [table, *table.iter("tbody", "thead", "tfoot", "tr", "td", "th")]:
                el.tag = "div"
                el.attrib.pop("width", None)
    return lxml.html.tostring(root, encoding="unicode") if changed else page


def html_text(path: Path, data: bytes) -> Extracted:
    """The main content of a web page (trafilatura), its title first."""
    import trafilatura

    page, root = _page_tree(decode_page(data))
    date, issuer = _dateline(root)   # before the layout tables become blocks (the text a reader sees is the same)
    page = _unwrap_layout_tables(page, root)
    result = trafilatura.bare_extraction(page, include_tables=True, include_comments=False, include_links=False,
                                         include_images=False, deduplicate=False, favor_recall=True,
                                         with_metadata=True)
    body = (getattr(result, "text", None) or "").strip() if result is not None else ""
    if not body:
        raise InputError("is a web page in which no main text was found: save the article's text as a .txt file",
                         path=path)
    title = (getattr(result, "title", None) or "").strip()
    title = re.split(r"\s*[_|｜]\s*", title)[0]   # <title> often adds the site: 标题_政策文件_首都之窗
    # a dateline the extractor kept (it may move it after the article: into the last measure) is metadata
    lines = [ln.strip() for ln in body.splitlines() if not _DATELINE_ONLY.match(ln.strip())]
    lines = _without_site_footer(lines)
    if not any(lines):
        raise InputError("is a web page in which no main text was found (only the site's footer): save the "
                         "article's text as a .txt file", path=path)
    if title and title not in lines:   # trafilatura leaves the article's title out of the text
        lines.insert(0, title)
    text = "\n".join(ln for ln in lines if ln)
    return Extracted(text, "html", (), (), "", date, issuer)


# 发布时间：2021-09-24 10:30, 发布日期：2021年09月24日, 成文日期：2021/9/24 …
_DATELINE = re.compile(r"(?:发布|成文|印发)\s*(?:时间|日期)\s*[:：]\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
# a line that is only a dateline: 发布时间：2023-05-06 来源：某某市人民政府 (浏览次数, 字号 …), at most 100 characters
_DATELINE_ONLY = re.compile(r"^(?=.{0,100}$)(?:(?:发布|成文|印发)\s*(?:时间|日期)|来\s*源|发布机构|作\s*者)\s*[:：]"
                            r"(?:[^。；;！？!?]*)$")
_SOURCE = re.compile(r"(?:来\s*源|发布机构|发文机关|发文单位)\s*[:：]\s*([\u4e00-\u9fff（）()·]{2,30})")
# a site's footer: lines that say whose site it is (版权所有, an ICP licence or 公网安备 number, 网站标识码, a
# copyright year), and beside them the site's other lines (主办单位：, 承办单位：, 技术支持：, 网站地图, the browser
# and resolution it is best seen in); a notice's own 联系人/联系电话/地址 is the document's
_FOOTER_STRONG = re.compile(r"版权所有|ICP\s*[备证]|公网安备|网站标识码|Copyright|(?:©|\(c\))\s*(?:19|20)\d\d", re.I)
_FOOTER_WEAK = re.compile(r"(?:主\s*办|承\s*办|协\s*办)(?:单位)?\s*[:：]|技术支持\s*[:：]|网站地图|联系我们|"
                          r"建议使用.{0,20}浏览器|分辨率")
# what the document's own lines look like: an enumerator at the start (第七条, （一）, 一、, 1.) or a sentence's end
_OWN_LINE = re.compile(r"^(?:第[零〇一二三四五六七八九十百千\d]+[条章节款]|[(（][一二三四五六七八九十\d]+[)）]|"
                       r"[一二三四五六七八九十]+、|\d+[.、．])|[。；;]$")


def _without_site_footer(lines: list[str]) -> list[str]:
    """``lines`` without a site's footer that the extractor kept after the article (some sites put it in plain
    <div>s inside the article's container): the trailing block of short lines (200 characters at most) that
    are footer lines, when one of them says whose site it is (版权所有, ICP备…, 公网安备, 网站标识码, © 2021).
    A line with an enumerator or ending a sentence is the document's and ends the block: a regulation's last
    article about 主办单位 stays, as does a notice's closing 主办单位：…／承办单位：… without a copyright line."""
    end = len(lines)
    while end and not lines[end - 1]:
        end -= 1
    start = end
    while start and len(lines[start - 1]) <= 200 and not _OWN_LINE.search(lines[start - 1]) and (
            not lines[start - 1] or _FOOTER_STRONG.search(lines[start - 1]) or _FOOTER_WEAK.search(lines[start - 1])):
        start -= 1
    if any(_FOOTER_STRONG.search(ln) for ln in lines[start:end]):
        return lines[:start]
    return lines[:end]


def _dateline(root) -> tuple[str, str]:
    """(date YYYY-MM-DD, issuer) of a page's dateline, the text a reader sees in its lxml tree ``root`` (entities
    decoded, scripts and styles left out; linear time): the first date after 发布时间/发布日期/成文日期 (a date
    elsewhere, a copyright year or a link, is not the document's date) and what 来源/发布机构 names beside it
    (本网 and the like are no issuer; 北京市人民政府网站 is 北京市人民政府); ("", "") without a dateline or a tree."""
    if root is None:
        return "", ""
    seen = root.xpath("//text()[not(ancestor::script) and not(ancestor::style)]")
    shown = re.sub(r"\s+", " ", " ".join(seen))   # a space between elements: 网站</div><p>第一条
    m = _DATELINE.search(shown)
    if not m:
        return "", ""
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        date = datetime.date(y, mo, d).isoformat()
    except ValueError:
        return "", ""
    source = _SOURCE.search(shown[max(0, m.start() - 60):m.end() + 100])
    issuer = re.sub(r"(门户网站|网站|官网)$", "", source.group(1)) if source else ""
    return date, ("" if issuer in ("本网", "本站", "本网站") or len(issuer) < 2 else issuer)
