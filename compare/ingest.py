"""Read documents: decode bytes (reporting the encoding used), keep the raw text and its sha256, and
attach metadata from a corpus metadata file or, without one, from the file name."""
from __future__ import annotations

import codecs
import datetime
import errno
import hashlib
import os
import re
import unicodedata
import stat
import tomllib
from dataclasses import fields, replace
from functools import lru_cache
from pathlib import Path

from .config import Config, DEFAULT
from .errors import CompareError, InputError, MetadataError
from .extract import SUFFIXES as EXTRACTED, extract, html_text
from .normalize import normalize
from .records import DocMeta, Document

TEXT_SUFFIXES = (".txt", ".md")
SUFFIXES = TEXT_SUFFIXES + EXTRACTED      # what is read: plain text, PDF, Word .docx, web pages
_HTML = re.compile(r"\A\s*(?:<!doctype\s+html|<html[\s>]|<\?xml[^>]*>\s*<html)", re.I)
# what to do with the files a folder may hold that are not read: said on stderr, never skipped silently
ADVICE = {
    ".doc": "Word 97-2003 files are not read: open it in Word or WPS and save it as .docx or plain text (UTF-8)",
    ".wps": "WPS files are not read: open it in WPS and save it as .docx or plain text (UTF-8)",
    ".rtf": "RTF files are not read: open it and save it as .docx or plain text (UTF-8)",
    ".odt": "OpenDocument files are not read: save it as .docx or plain text (UTF-8)",
    ".xls": "spreadsheets are not read: save the text as plain text (UTF-8)",
    ".xlsx": "spreadsheets are not read: save the text as plain text (UTF-8)",
}
def advice(path: Path) -> str:
    """What to do with a file of a type that is not read."""
    return ADVICE.get(path.suffix.lower(), f"unsupported file type {path.suffix or '(none)'!r}: "
                                           "give .txt .md .pdf .docx or .html files")


IGNORED = {"corpus.toml", "review.tsv", "MANIFEST.tsv", ".DS_Store", "Thumbs.db"}


def unsupported_in(folder: Path) -> list[tuple[Path, str]]:
    """Files in ``folder`` (recursively) that are not read, each with what to do about it, and the entries
    that are not files (dangling or looping links, FIFOs, devices)."""
    files, out = walk(folder)
    for f in files:
        if f.name in IGNORED or f.name.startswith(".") or f.suffix.lower() in SUFFIXES:
            continue
        out.append((f, advice(f)))
    return out
METADATA_FILE = "corpus.toml"
SCRIPTS = ("simplified", "traditional")
KINDS = ("plan", "report", "rectification report", "compilation", "journal", "law", "measures", "notice",
         "other")

# The most frequent Chinese characters (both scripts share most of them): a decoding that yields text made
# of them is the right one; a wrong legacy codec yields rare characters.
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
    "而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性"
    "好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第"
    "向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管"
    "特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处"
    "队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单"
    "风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土"
    "许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省"
    "列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置"
    "派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严們這為個來說對會發動當學進經現實體關點業國"
    "與長開問從兩後應還總統組見計別處隊給門領導區強決條許員區產務價聯術機認際質")


def _score(text: str) -> float:
    cjk = [ch for ch in text[:20000] if "\u3400" <= ch <= "\u9fff"]
    if not cjk:
        return 0.5
    return sum(ch in _COMMON for ch in cjk) / len(cjk)


def decode(data: bytes, *, path: str = "") -> tuple[str, str]:
    """(text, encoding) for UTF-8 (with or without BOM), UTF-16 (BOM or not), GB18030/GBK or Big5."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError(f"starts with a UTF-16 byte-order mark but is not UTF-16 ({exc.reason})",
                             path=path) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[float, str, str]] = []
    if len(data) % 2 == 0:  # UTF-16 without a byte-order mark: judged, like the others, by the characters
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            candidates.append((_score(text), enc, text))
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            candidates.append((_score(text), enc, text))
    if candidates:
        best = max(candidates, key=lambda c: (c[0], c[1] == "gb18030"))
        if best[0] >= 0.25:
            return best[2], best[1]
    raise InputError("cannot be decoded as UTF-8, UTF-16, GB18030/GBK or Big5 text", path=path)


_VERSION = re.compile(r"^(?P<name>.+?)\s*[(（](?P<date>\d{4}-\d{2}-\d{2})[)）]$")


def shown_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (kept by Python as surrogates) become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_BAD_ID = re.compile(r"[/\\\x00-\x1f\x7f]|^\.\.?$|\.\.")


def _valid_date(value: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a real date."""
    if not _DATE.match(value):
        return False
    parts = [int(x) for x in value.split("-")]
    try:
        datetime.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def infer_meta(path: Path, root: Path | None = None) -> DocMeta:
    """Metadata from a file name: ``名称(2020-03-27).md`` gives title 名称, date 2020-03-27, series 名称, and the
    region its title or its folders up to ``root`` (the folder given; its own folder without one) name
    (``infer_region``)."""
    stem = shown_name(path.stem)
    m = _VERSION.match(stem)
    title, date = (m.group("name"), m.group("date")) if m else (stem, "")
    doc_id = f"{title}@{date}" if date else stem
    kind = "law" if path.suffix == ".md" and re.search(r"(法|条例|规定|办法|决定|解释)$", title) else ""
    return DocMeta(id=doc_id, file=str(path), title=title, date=date, kind=kind, series=title if date else "",
                   region=infer_region(title, path, root))


@lru_cache(maxsize=1)
def _division_rows() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """The rows of ``data/divisions.tsv``: (name, province, city or district or "", pinyin spellings)."""
    rows = []
    for line in (Path(__file__).resolve().parent / "data" / "divisions.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, province, sub, *pinyin = line.split("\t")
            rows.append((name, province, sub, tuple(" ".join(pinyin).split())))
    return tuple(rows)


@lru_cache(maxsize=1)
def _divisions() -> tuple[dict[str, tuple[str, str]], dict[str, set[str]]]:
    """(name -> (province, city or district), province -> the names of its cities and districts) from
    ``data/divisions.tsv``: every full name (青岛市, 海淀区, 广西壮族自治区) and a province's short name (山东,
    北京, 广西: without 省/市/自治区/特别行政区 and a minority's name). A city's or district's short name is left
    out: too many words start with one (大兴安岭, 普陀山, 和平利用, 中山大学, 滨海湿地)."""
    names: dict[str, tuple[str, str]] = {}
    inside: dict[str, set[str]] = {}
    for name, province, sub, _ in _division_rows():
        names[name] = (province, sub)
        if sub:
            inside.setdefault(province, set()).add(name)
    for name, (province, sub) in list(names.items()):
        cut = re.sub(r"(壮族|回族|维吾尔)?(省|市|自治区|特别行政区)$", "", name)
        if not sub and len(cut) >= 2 and cut not in names:
            names[cut] = (province, "")
    return names, inside


_FTZ = re.compile(r"^中国[(（]")   # 中国(上海)自由贸易试验区…, 中国（北京）…
_SEZ = re.compile(r"^(深圳|珠海|汕头|厦门)经济特区")   # the special economic zones named for a city (海南's is the province)


# what an institution's name ends with: 北京大学, 上海证券交易所 and 北京日报 are not the place they start with
_INSTITUTION = ("大学", "学院", "学校", "中学", "小学", "医院", "银行", "日报", "晚报", "交易所", "出版社", "电视台",
                "研究院", "研究所", "博物馆", "图书馆", "公司", "集团")


def _institution_at_start(text: str) -> bool:
    """``text`` starts with an institution's name as one dictionary word (jieba's: 北京大学, 北京师范大学, 四川大学,
    北京协和医院, 上海交通大学) or the place then a word only an institution is named by (北京 日报社, 北京 银行); a
    place's own words (北京经济技术开发区, 上海浦东新区, 北京地铁) are not, nor 江苏 银行业."""
    from .pairmodel import _jieba

    words = _jieba().lcut(text[:40], HMM=False)
    if words and words[0].endswith(_INSTITUTION + ("同胞",)):   # 北京大学…; 台湾同胞投资保护法, a national law
        return True
    # a name jieba cuts after the place: 北京 日报社, 四川 农业大学, 北京 儿童医院, 北京 交通 大学, 上海 航运 交易所,
    # 北京 协和 医学院, 台湾 同胞 (a national law's subject); not a category (上海 学校…, 北京 高等学校…, 江苏 银行业)
    after = "".join(words[1:3])
    return (len(words) > 1 and (words[1] in _NAMED_AFTER_PLACE
                                or words[1].endswith(_NAMED_AFTER_PLACE_END) and words[1] not in ("医院", "学院"))
            or len(words) > 2 and words[2] in _NAMED_AFTER_PLACE_END and after.endswith(_NAMED_AFTER_PLACE_END))


_NAMED_AFTER_PLACE = {"大学", "日报", "日报社", "晚报", "银行", "交易所", "出版社", "电视台", "广播电视台", "同胞"}
_NAMED_AFTER_PLACE_END = ("大学", "学院", "医学院", "医院", "交易所", "银行")


def _place_at_start(text: str) -> tuple[str, str, str] | None:
    """(province, city or district, the rest of ``text``) of the longest place name ``text`` starts with; a
    province's short name only when it does not begin an institution's name (北京大学章程: none); a city's short
    name before 经济特区 (深圳经济特区…, 厦门经济特区…: the special economic zone is the city's)."""
    names, _ = _divisions()
    text = _FTZ.sub("", text)
    sez = _SEZ.match(text)
    if sez and names.get(sez.group(1) + "市", ("", ""))[1]:   # 深圳经济特区数据条例: the city 深圳市
        return names[sez.group(1) + "市"] + (text[sez.end(1):],)
    for n in range(min(len(text), 12), 1, -1):
        hit = names.get(text[:n])
        if hit:
            short = not hit[1] and text[:n] != hit[0]
            if short and _institution_at_start(text):
                return None
            return hit + (text[n:],)
    return None


def infer_region(title: str, path: Path | None = None, root: Path | None = None) -> str:
    """The region of a document without metadata: the place its title starts with (青岛市城市绿化条例 ->
    ``山东省 (青岛市)``; 北京市海淀区… -> ``北京市 (海淀区)``; 中国(上海)自由贸易试验区条例 -> ``上海市``), else the
    place that the nearest folder between the file and ``root`` (the folder given; the file's own folder when it
    was given alone) is named for, alone (lawref's ``DLC/山东地方法规/…/山东/``; not 北京大学, nor a folder above
    the one given), else "". Names are China's official ones in Chinese (``data/divisions.tsv``), a city or
    district in brackets after its province as in the bundled corpus's ``Beijing (Haidian)``; a national law
    (中华人民共和国…, 国务院…) has none, wherever it is filed."""
    if title.startswith(("中华人民共和国", "全国人民代表大会", "国务院")):   # national, wherever it is filed
        return ""
    hit = _place_at_start(title)
    if hit:
        province, sub, rest = hit
        if not sub:   # 北京市海淀区…, 山东省青岛市…: the city or district named next, if it lies in that province
            _, inside = _divisions()
            nxt = _place_at_start(rest)
            if nxt and nxt[0] == province and nxt[1] in inside.get(province, ()):
                sub = nxt[1]
        return f"{province} ({sub})" if sub else province
    if path is None:
        return ""
    names, _ = _divisions()
    folders = [path.parent]
    if root is not None:
        top, folders = Path(os.path.abspath(root)), []
        for folder in Path(os.path.abspath(path)).parents:
            folders.append(folder)
            if folder == top:
                break
        else:
            folders = [path.parent]
    for folder in folders:
        hit = names.get(folder.name)   # a folder named for the place alone (山东, 青岛市)
        if hit:
            return f"{hit[0]} ({hit[1]})" if hit[1] else hit[0]
    return ""


# the provinces' names in English, as a corpus.toml may give them (the bundled one's "Beijing", "Chongqing")
_ENGLISH = dict(zip(
    ("beijing tianjin hebei shanxi innermongolia liaoning jilin heilongjiang shanghai jiangsu zhejiang anhui fujian "
     "jiangxi shandong henan hubei hunan guangdong guangxi hainan chongqing sichuan guizhou yunnan tibet shaanxi "
     "gansu qinghai ningxia xinjiang taiwan hongkong macao").split(),
    ("北京市 天津市 河北省 山西省 内蒙古自治区 辽宁省 吉林省 黑龙江省 上海市 江苏省 浙江省 安徽省 福建省 江西省 山东省 河南省 "
     "湖北省 湖南省 广东省 广西壮族自治区 海南省 重庆市 四川省 贵州省 云南省 西藏自治区 陕西省 甘肃省 青海省 宁夏回族自治区 "
     "新疆维吾尔自治区 台湾省 香港特别行政区 澳门特别行政区").split()))
_ENGLISH.update(xizang="西藏自治区", macau="澳门特别行政区")
_PROVINCES = frozenset(_ENGLISH.values())


_DISTRICT = re.compile(r"\s*[(（]\s*([^()（）]*?)\s*[)）]\s*$")   # Beijing (Haidian), 北京市（海淀区）


_SHORT = re.compile(r"(新区|自治县|自治旗|自治州|林区|矿区|特区|地区|区|县|市|旗|盟|州)$")
# the four municipalities: the table holds every district and county of theirs, only the cities of a province
MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
# China's 55 minority nationalities, as autonomous prefectures, counties and banners are named for them
_NATIONALITIES = tuple(sorted((
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 "
    "达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 "
    "赫哲 门巴 珞巴 基诺").split(), key=len, reverse=True))


def _autonomous_short(name: str) -> str:
    """An autonomous prefecture's, county's or banner's name without its nationalities (延边朝鲜族自治州 → 延边,
    黔西南布依族苗族自治州 → 黔西南, 伊犁哈萨克自治州 → 伊犁), or "" for another name."""
    m = re.match(r"^(.+?)自治(?:州|县|旗)$", name)
    if not m:
        return ""
    stem, cut = m.group(1), True
    while cut:
        cut = False
        for n in _NATIONALITIES:
            for ending in (n + "族",) + ((n,) if len(n) > 1 else ()):   # 蒙古, 哈萨克 may go without 族
                if stem.endswith(ending) and len(stem) - len(ending) >= 2:
                    stem, cut = stem[:-len(ending)], True
                    break
            if cut:
                break
    return stem
_ENGLISH_KIND = re.compile(r"(newarea|newdistrict|district|county|city|prefecture|autonomousprefecture|league|banner)$")
# a kind written in English, and the Chinese names it may fold to: a district or county is never a city
_KIND = {"district": ("区",), "newdistrict": ("区",), "newarea": ("区",), "county": ("县",), "banner": ("旗",),
         "city": ("市",), "prefecture": ("州", "地区", "市"), "autonomousprefecture": ("州",), "league": ("盟",)}


# cities whose usual English name is not their pinyin (Harbin is 哈尔滨, Urumqi 乌鲁木齐, Kashgar 喀什), and old
# spellings still met in English texts (Canton, Amoy, Tsingtao, Nanking)
_CONVENTIONAL = {
    "harbin": "哈尔滨市", "urumqi": "乌鲁木齐市", "lhasa": "拉萨市", "hohhot": "呼和浩特市", "kashgar": "喀什地区",
    "shigatse": "日喀则市", "nyingchi": "林芝市", "qamdo": "昌都市", "ngari": "阿里地区", "karamay": "克拉玛依市",
    "hotan": "和田地区", "aksu": "阿克苏地区", "turpan": "吐鲁番市", "altay": "阿勒泰地区", "ili": "伊犁哈萨克自治州",
    "bortala": "博尔塔拉蒙古自治州", "kizilsu": "克孜勒苏柯尔克孜自治州", "bayingolin": "巴音郭楞蒙古自治州",
    "ordos": "鄂尔多斯市", "hulunbuir": "呼伦贝尔市", "xilingol": "锡林郭勒盟", "alxa": "阿拉善盟", "hinggan": "兴安盟",
    "ulanqab": "乌兰察布市", "bayannur": "巴彦淖尔市", "canton": "广州市", "amoy": "厦门市", "tsingtao": "青岛市",
    "nanking": "南京市"}


def _short(name: str) -> str:
    """A district's or city's name without its kind (海淀区 → 海淀; 浦东新区 → 浦东; 延边朝鲜族自治州 → 延边; Haidian
    District → haidian): letters only and lower case for a name in Latin letters."""
    if re.search(r"[\u4e00-\u9fff]", name):
        name = name.strip()
        cut = _autonomous_short(name) or _SHORT.sub("", name)
        return cut if len(cut) >= 2 else name
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))   # Shēnzhèn
    return _ENGLISH_KIND.sub("", re.sub(r"[^a-z]", "", plain.lower()))


@lru_cache(maxsize=1)
def _spellings() -> dict[tuple[str, str], str]:
    """(province, a spelling) -> the city or district of that province (``data/divisions.tsv``): its short
    Chinese name (海淀, 延边) and its short name's pinyin, every reading (haidian; chaoyang and zhaoyang for 朝阳区),
    as ``benchmarks/divisions_pinyin.py`` wrote them, and a usual English name that is not pinyin
    (``_CONVENTIONAL``: Harbin, Urumqi, Kashgar). A spelling two of a province's names share names neither."""
    found: dict[tuple[str, str], set[str]] = {}
    for _, province, sub, pinyin in _division_rows():
        if sub:
            for spelling in (_short(sub),) + pinyin:
                found.setdefault((province, spelling), set()).add(sub)
    for spelling, name in _CONVENTIONAL.items():
        province, sub = _divisions()[0][name]
        found.setdefault((province, spelling), set()).add(sub)
    return {k: next(iter(v)) for k, v in found.items() if len(v) == 1}


def _kinds(written: str) -> tuple[str, ...]:
    """The endings of the Chinese names a name written with its kind may fold to (``Jinzhou District``, 长沙县: a
    district or a county, never a city), or () when it is written without one."""
    if re.search(r"[\u4e00-\u9fff]", written):
        m = _SHORT.search(written.strip())
        return (m.group(1),) if m and _short(written) != written.strip() else ()
    m = _ENGLISH_KIND.search(re.sub(r"[^a-z]", "", written.lower()))
    return _KIND[m.group(1)] if m else ()


def _folded(province: str, written: str) -> str:
    """The official name of the city or district ``written`` in ``province`` (any spelling ``_spellings`` knows),
    or "" when none is sure. The table holds every district and county of the four municipalities but only the
    cities of a province, so there a name written with its kind folds only to a name of that kind
    (``Liaoning (Jinzhou District)`` is Dalian's 金州区, not the city 锦州市; ``湖南省 (长沙县)`` is not 长沙市;
    ``吉林省 (延边州)`` is 延边朝鲜族自治州); in a municipality a county may have become a district (密云县 → 密云区)."""
    hit = _spellings().get((province, _short(written)), "")
    kinds = _kinds(written)
    if hit and kinds and province not in MUNICIPALITIES and not hit.endswith(kinds):
        return ""
    return hit


def is_city_of(province: str, name: str) -> bool:
    """Whether ``data/divisions.tsv`` holds ``name`` (official, in Chinese) as a city or district of ``province``."""
    return name in _divisions()[1].get(province, ())


@lru_cache(maxsize=4096)
def places_named(written: str) -> tuple[tuple[str, str], ...]:
    """The cities of provinces and the districts of municipalities that a name written alone may be, as
    (province, official name), in the table's order: ``Shenzhen``, ``深圳`` and ``深圳市`` give
    ``(("广东省", "深圳市"),)``; ``Haidian`` gives ``(("北京市", "海淀区"),)``; ``Taizhou`` gives Zhejiang's 台州市 and
    Jiangsu's 泰州市. A name written with its kind folds as in brackets (``_folded``). () for a province
    (``Jilin`` is 吉林省, not the city 吉林市), for a name in brackets and for a name the table does not hold."""
    written = written.strip()
    if not written or _DISTRICT.search(written) or region_key(written) in _PROVINCES:
        return ()
    out = []
    for province in dict.fromkeys(p for _, p, sub, _ in _division_rows() if sub):
        name = written if is_city_of(province, written) else _folded(province, written)
        if name:
            out.append((province, name))
    return tuple(out)


def region_parts(region: str) -> tuple[str, str]:
    """(``region_key`` of the city or province, the district or city in brackets, or ""): in China's official
    Chinese name when ``data/divisions.tsv`` knows it in that province under another spelling
    (``Beijing (Haidian)``, ``北京市 (海淀区)`` and ``北京 (海淀)`` all give ``("北京市", "海淀区")``;
    ``Guangdong (Shenzhen City)`` gives ``("广东省", "深圳市")``; ``_folded`` says when a spelling is sure), else as
    written. A city or district named alone (``Shenzhen``, ``深圳市``, ``海淀区``) gives its province and its official
    name when only one province has it (``places_named``; ``Taizhou`` stays as written)."""
    m = _DISTRICT.search(region)
    key = region_key(region)
    if not m:   # a city or district named alone (Shenzhen, 深圳市, 海淀区): its province, when only one has it
        places = places_named(region)
        return places[0] if len(places) == 1 else (key, "")
    written = m.group(1)
    if is_city_of(key, written):
        return key, written
    return key, _folded(key, written) or written


def region_key(region: str) -> str:
    """The city or province a region belongs to, one spelling for each: ``Beijing (Haidian)``, ``Beijing``,
    ``北京市 (海淀区)`` and ``北京`` all give ``北京市``, so that a folder whose corpus.toml says "Beijing" and whose
    other files' regions were inferred (``infer_region``, in Chinese) keeps one Beijing. A name neither table
    knows is returned as it is (without its district)."""
    top = _DISTRICT.sub("", region).strip()
    english = re.sub(r"[\s_-]+", "", top).lower().removesuffix("province").removesuffix("municipality")
    if english in _ENGLISH:
        return _ENGLISH[english]
    hit = _divisions()[0].get(top)
    return hit[0] if hit and not hit[1] else top


def load_metadata(toml_path: Path, *, allow_outside: bool = False) -> list[DocMeta]:
    """Validate a corpus metadata file: known fields only, required fields present, files that exist (in the
    file's own folder unless ``allow_outside``)."""
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise MetadataError(f"cannot read: {exc}", path=toml_path) from None
    except tomllib.TOMLDecodeError as exc:
        raise MetadataError(f"not valid TOML: {exc}", path=toml_path) from None
    unknown_top = set(data) - {"document"}
    if unknown_top:
        raise MetadataError(f"unknown top-level key(s): {', '.join(sorted(unknown_top))}", path=toml_path)
    docs = data.get("document")
    if not isinstance(docs, list) or not docs:
        raise MetadataError("needs at least one [[document]] table", path=toml_path)
    allowed = {f.name for f in fields(DocMeta)}
    out: list[DocMeta] = []
    seen: set[str] = set()
    for i, entry in enumerate(docs, 1):
        where = f"[[document]] #{i}"
        if not isinstance(entry, dict):
            raise MetadataError(f"{where}: must be a table of fields (id, file, title, …), not "
                                f"{type(entry).__name__} {str(entry)[:40]!r}", path=toml_path)
        unknown = set(entry) - allowed
        if unknown:
            raise MetadataError(f"{where}: unknown field(s): {', '.join(sorted(unknown))}", path=toml_path)
        for req in ("id", "file", "title"):
            if req not in entry:
                raise MetadataError(f"{where}: missing field {req!r}", path=toml_path)
            if not isinstance(entry[req], str):
                raise MetadataError(f"{where}: {req!r} must be a string, not {type(entry[req]).__name__} "
                                    f"{entry[req]!r}", path=toml_path)
            if not entry[req].strip():
                raise MetadataError(f"{where}: empty field {req!r}", path=toml_path)
        if _BAD_ID.search(entry["id"]):
            raise MetadataError(f"{where}: id {entry['id']!r} may not contain '/', '\\', '..' or control "
                                "characters (it names files)", path=toml_path)
        if entry.get("date") and isinstance(entry["date"], str) and not _valid_date(entry["date"]):
            raise MetadataError(f"{where}: date {entry['date']!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                                path=toml_path)
        for key, value in entry.items():
            if key == "batch":
                if not isinstance(value, int) or isinstance(value, bool):
                    raise MetadataError(f"{where}: 'batch' must be an integer", path=toml_path)
            elif not isinstance(value, str):
                raise MetadataError(f"{where}: {key!r} must be a string", path=toml_path)
        if entry["id"] in seen:
            raise MetadataError(f"{where}: duplicate id {entry['id']!r}", path=toml_path)
        seen.add(entry["id"])
        if entry.get("script", "") not in ("", *SCRIPTS):
            raise MetadataError(f"{where}: script must be one of {', '.join(SCRIPTS)}", path=toml_path)
        if entry.get("kind", "") not in ("", *KINDS):
            raise MetadataError(f"{where}: kind must be one of {', '.join(KINDS)}", path=toml_path)
        if "batch" in entry and not entry.get("series"):
            raise MetadataError(f"{where}: 'batch' needs 'series'", path=toml_path)
        file = toml_path.parent / entry["file"]
        folder = toml_path.parent.resolve()
        if not allow_outside and (Path(entry["file"]).is_absolute() or not file.resolve().is_relative_to(folder)):
            raise MetadataError(f"{where}: file {entry['file']!r} lies outside the corpus folder {folder}: "
                                "metadata may only name files in its own folder (--allow-outside, or "
                                "Config(allow_outside_corpus=True), reads it if you trust this corpus.toml)",
                                path=toml_path)
        if not file.exists():
            raise MetadataError(f"{where}: file {entry['file']!r} does not exist", path=toml_path)
        out.append(DocMeta(**{**entry, "file": str(file)}))
    return out


def read_bounded(path: Path, *, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``: FIFOs, devices and sockets are refused by type
    (never opened, so never waited on), a link that loops or leads nowhere is named, a larger file refused."""
    try:
        st = os.stat(path)
    except OSError as exc:
        why = {errno.ELOOP: "is a symbolic link that loops", errno.ENOENT: "is a link to nothing (dangling) or "
               "does not exist", errno.ENAMETOOLONG: "has a path longer than the system allows"}
        raise InputError(why.get(exc.errno, f"cannot be read: {exc.strerror or exc}"), path=path) from None
    if not stat.S_ISREG(st.st_mode):
        kind = ("a folder" if stat.S_ISDIR(st.st_mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode)
                else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
                else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
        raise InputError(f"is {kind}, not a document file: it is not read", path=path)
    if st.st_size > max_bytes:
        raise InputError(f"is {st.st_size / 1e6:.0f} MB, more than the {max_bytes // (1024 * 1024)} MB limit "
                         "(Config(max_file_mb=…) raises it)", path=path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", path=path) from None
    if len(data) > max_bytes:   # it grew while being read
        raise InputError(f"is more than the {max_bytes // (1024 * 1024)} MB limit", path=path)
    return data


def walk(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Every regular file under ``folder`` (symbolic links to files followed, links to folders not), sorted;
    and the entries that are not read because of what they are: dangling or looping links, FIFOs, devices,
    sockets, names that cannot be listed."""
    files: list[Path] = []
    odd: list[tuple[Path, str]] = []
    for root, dirs, names in os.walk(folder, followlinks=False, onerror=lambda e: odd.append(
            (Path(e.filename or folder), f"cannot be listed: {e.strerror}"))):
        dirs.sort()
        for name in sorted(names) + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            f = Path(root) / name
            try:
                st = os.stat(f)
            except OSError as exc:
                odd.append((f, "is a symbolic link that loops" if exc.errno == errno.ELOOP
                            else "is a link to nothing (dangling)" if exc.errno == errno.ENOENT
                            else f"cannot be read: {exc.strerror}"))
                continue
            if stat.S_ISREG(st.st_mode):
                files.append(f)
            elif not stat.S_ISDIR(st.st_mode):
                odd.append((f, "is a FIFO, device or socket, not a document file"))
    return sorted(files), odd


def read_document(meta: DocMeta, *, config: Config = DEFAULT) -> Document:
    """Read, decode or extract, and normalise one document. A web page saved as .txt is read as a web page."""
    path = Path(meta.file)
    data = read_bounded(path, max_bytes=config.max_file_mb * 1024 * 1024)
    if not data.strip():
        raise InputError(f"is empty ({len(data)} bytes{', only white space' if data else ''}): check the download "
                         "or the copy", path=path)
    if path.suffix.lower() in EXTRACTED:
        got = extract(path, data)
        text, encoding = got.text, got.fmt
    else:
        if data.startswith(b"%PDF-"):
            raise InputError("is a PDF file with a text file's name: rename it to .pdf", path=path)
        text, encoding = decode(data, path=str(path))
        got = html_text(path, data) if _HTML.match(text) else None
        if got is not None:
            text, encoding = got.text, "html"
    if not text.strip():
        raise InputError("is empty (no text after decoding)", path=path)
    if got is not None and (got.date and not meta.date or got.issuer and not meta.issuer):
        # a web page's dateline fills what the metadata leaves empty (never what corpus.toml says)
        meta = replace(meta, date=meta.date or got.date, issuer=meta.issuer or got.issuer)
    norm = normalize(text, script=meta.script or None, config=config, reader_edits=got.edits if got else ())
    return Document(meta=meta, path=str(path), sha256=hashlib.sha256(data).hexdigest(), encoding=encoding,
                    normalized=norm, source_format=got.fmt if got else "text",
                    anchors=got.anchors if got else (), anchor_unit=got.unit if got else "")


def collect(paths: list[Path], *, allow_outside: bool = False, errors: list | None = None) -> list[DocMeta]:
    """Metadata for every document under ``paths`` (files, folders, or corpus.toml files), in order.

    A folder with a corpus.toml uses it; any other folder is searched for the files that are read, whose
    metadata is inferred from their names. A path that does not exist, a folder with nothing to read or a
    corpus.toml that is not valid raises; with ``errors`` (a list), that path's error is appended to it and the
    other paths go on (``pipeline.load``: one bad path never loses the others' documents). A file reached twice
    (a folder given twice, a file and its folder) is read once, in the place of its first mention, with the
    metadata a corpus.toml gives it when one does (its title, region, series), else its first mention's.
    """
    metas: list[DocMeta] = []
    seen: dict[str, tuple[int, bool]] = {}   # where a file is -> (its place in ``metas``, metadata from a corpus.toml)
    for p in paths:
        try:
            got, described = _collect_one(p, allow_outside=allow_outside)
        except CompareError as exc:
            if errors is None:
                raise
            errors.append(exc)
            continue
        for m in got:   # a file reached twice (a folder given twice, a file and its folder) is read once
            where = os.path.realpath(m.file)
            if where not in seen:
                seen[where] = (len(metas), described)
                metas.append(m)
            elif described and not seen[where][1]:   # a corpus.toml's title and region over ones guessed
                seen[where] = (seen[where][0], True)
                metas[seen[where][0]] = m
    return _distinct_ids(metas)


def _collect_one(p: Path, *, allow_outside: bool) -> tuple[list[DocMeta], bool]:
    """The documents of one path and whether a corpus.toml describes them (else their metadata is inferred)."""
    if not p.exists():
        raise InputError("no such file or folder", path=p)
    if p.is_file() and p.name == METADATA_FILE:
        return load_metadata(p, allow_outside=allow_outside), True
    if p.is_dir() and (p / METADATA_FILE).is_file():
        return load_metadata(p / METADATA_FILE, allow_outside=allow_outside), True
    return _inferred(p), False


def _inferred(p: Path) -> list[DocMeta]:
    if p.is_dir():
        files = [f for f in walk(p)[0] if f.suffix.lower() in SUFFIXES]
        if not files:
            others = unsupported_in(p)
            detail = "; ".join(f"{f.name}: {why}" for f, why in others[:3])
            raise InputError("folder holds no document that is read (.txt .md .pdf .docx .html)"
                             + (f" ({detail})" if detail else ""), path=p)
        return [infer_meta(f, p) for f in files]
    if p.suffix.lower() in SUFFIXES:
        return [infer_meta(p)]
    raise InputError(advice(p), path=p)


def _distinct_ids(metas: list[DocMeta]) -> list[DocMeta]:
    """Documents that would share an id (plan.pdf and plan.docx; a/x/doc.txt and b/x/doc.txt) all get ids
    qualified just enough to tell them apart: the file name (plan.pdf, plan.docx), else as many parent folders
    as needed (a/x/doc, b/x/doc)."""
    groups: dict[str, list[int]] = {}
    for i, m in enumerate(metas):
        groups.setdefault(m.id, []).append(i)
    out = list(metas)
    for doc_id, members in groups.items():
        if len(members) < 2:
            continue
        paths = [Path(metas[i].file) for i in members]
        others = set(groups) - {doc_id}
        candidates = [[p.name for p in paths]] + [
            ["/".join(p.parent.parts[len(p.parent.parts) - depth:] + (metas[i].id,)) for p, i in zip(paths, members)]
            for depth in range(1, max(len(p.parts) for p in paths))]
        names = next((c for c in candidates if len(set(c)) == len(c) and not set(c) & others),
                     [str(p) for p in paths])
        for i, name in zip(members, names):
            out[i] = DocMeta(**{**metas[i].__dict__, "id": name})
    return out
