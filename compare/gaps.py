"""Directional gaps: the measures of one set of documents with no counterpart in another.

"Which Beijing measures are absent from Chongqing's report", "which Haidian measures go beyond the city
plans": A and B are chosen by selectors (a document id, ``region:Beijing``, ``series:NAME``, ``kind:plan``,
or a list of them); a measure of A is a gap in B when no pair links it to a measure of B (a document restating
itself is no counterpart). Pure functions over the report's tables (``report.build``).
"""
from __future__ import annotations

import re

import pandas as pd

from .errors import LookupFailure
from .ingest import MUNICIPALITIES, is_city_of, places_named, region_parts

COLUMNS = ["from", "to", "doc_id", "theme", "role", "label", "path", "measure_id", "text"]


def top_region(region: str) -> str:
    """``Beijing (Haidian)`` -> ``Beijing`` (also ``北京市（海淀区）``): a district belongs to its city."""
    return re.split(r"\s*[(（]", region, maxsplit=1)[0].strip()


def region_unit(region: str) -> tuple[str, str]:
    """The region a document belongs to when the report compares regions (``ingest.region_parts``, any spelling):
    a municipality with its districts (``Beijing (Haidian)``, ``北京市`` -> ``("北京市", "")``), a city of a
    province that ``data/divisions.tsv`` knows (``广东省 (深圳市)``, ``Guangdong (Shenzhen)`` ->
    ``("广东省", "深圳市")``), else the province or the region itself, with whatever its brackets hold
    (``广东省``, ``Guangdong (Nanshan)`` -> ``("广东省", "")``; ``Foo (Bar)`` -> ``("Foo", "")``)."""
    key, sub = region_parts(region)
    return (key, sub) if sub and key not in MUNICIPALITIES and is_city_of(key, sub) else (key, "")


def _top_name(region: str) -> str:
    """How a region names its province or municipality: as written without its brackets (``Beijing (Haidian)``
    -> ``Beijing``), or the official name for a city or district named alone (``Shenzhen`` -> ``广东省``)."""
    if re.search(r"[(（]", region):
        return top_region(region)
    key, sub = region_parts(region)
    return key if sub else region.strip()


def _provinces(regions) -> dict[tuple[str, str], str]:
    named: dict[tuple[str, str], str] = {}
    for r in regions:
        if r:
            named.setdefault((region_parts(r)[0], ""), _top_name(r))
    return named


def regions_of(regions) -> list[str]:
    """The cities and provinces of ``regions`` in order, each once (``ingest.region_key``: ``Beijing (Haidian)``,
    ``Beijing`` and ``北京市`` are one; 广东省 with its cities is one), named as the first spells it without its
    district: what ``region:`` chooses whole."""
    return list(_provinces(regions).values())


def region_units(regions) -> dict[tuple[str, str], str]:
    """The regions the report compares (``region_unit``), in order, each named as its first document spells it;
    a province's own documents are "广东省 (province)" when some of its cities are regions too."""
    named: dict[tuple[str, str], str] = {}
    for r in regions:
        if r:
            unit = region_unit(r)
            named.setdefault(unit, r.strip() if unit[1] else _top_name(r))
    cities = {key for key, sub in named if sub}
    return {(key, sub): (f"{name} (province)" if not sub and key in cities else name)
            for (key, sub), name in named.items()}


def city_regions_of(regions) -> list[str]:
    """The cities of provinces among ``regions`` (``广东省 (深圳市)``), each once, as its first document spells it:
    the gap browser offers them beside the provinces."""
    return [name for (key, sub), name in region_units(regions).items() if sub]


def select(documents: pd.DataFrame, selector) -> list[str]:
    """Document ids chosen by ``selector``: a document id, ``region:R`` (R and its districts, in any spelling
    ``ingest.region_key`` folds: ``region:Beijing`` and ``region:北京市`` choose the same documents; a district
    or city in brackets, ``region:Beijing (Haidian)``, chooses that one in any spelling ``ingest.region_parts``
    folds (``北京市 (海淀区)``, ``北京 (海淀)``, ``Beijing (Haidian District)``); a city or district named alone in
    any spelling, ``region:深圳市``, ``region:Shenzhen`` or ``region:Haidian``, the documents of ``广东省 (深圳市)``
    or ``北京市 (海淀区)``: ``_lone``), ``series:S``, ``kind:K``, or a list of these (their
    union), in the documents' order."""
    if isinstance(selector, (list, tuple, set)):
        chosen = {d for s in selector for d in select(documents, s)}
        return [d for d in documents["doc_id"] if d in chosen]
    sel = str(selector)
    field, _, value = sel.partition(":")
    if value and field in ("region", "series", "kind"):
        col = documents[field].fillna("").astype(str)
        hit = col == value
        if field == "region":
            key, district = region_parts(value)
            parts = col.map(region_parts)
            if district:   # a district or city in brackets: that one, its province or city in any spelling
                hit |= parts == (key, district)
            else:          # a province or city with what lies in it (Beijing, 北京市), or a city named alone
                hit |= (parts.str[0] == key) | (parts.str[1] == value)
                hit |= _lone(sel, value, parts)
        ids = list(documents.loc[hit, "doc_id"])
    else:
        ids = [d for d in documents["doc_id"] if d == sel]
    if not ids:
        if value and field in ("region", "series", "kind"):
            have = list(dict.fromkeys(v for v in documents[field].fillna("").astype(str) if v))
            none = int((documents[field].fillna("").astype(str) == "").sum())
            raise LookupFailure(f"no document matches {sel!r}; the {field}s of these documents: "
                                + (", ".join(have[:12]) + (" …" if len(have) > 12 else "") if have else "none")
                                + (f" ({none} document(s) have none: set it in a corpus.toml)" if none else ""))
        known = ", ".join(list(documents["doc_id"])[:8])
        raise LookupFailure(f"no document matches {sel!r} (a document id such as {known}, or region:…, series:…, "
                            "kind:…)")
    return ids


def _lone(sel: str, value: str, parts: pd.Series) -> pd.Series:
    """The documents of the city or district ``value`` names alone in any spelling (``region:Shenzhen``,
    ``region:深圳``, ``region:Haidian``: ``ingest.places_named``), whether a document's region names its province
    (``广东省 (深圳市)``) or the city alone (``深圳市``). A name that is two places among the documents (Taizhou:
    Zhejiang's 台州市 and Jiangsu's 泰州市) is an error that names both."""
    hits = {place: parts.map(lambda got, place=place: got in (place, (place[1], "")))
            for place in places_named(value)}
    found = [place for place, hit in hits.items() if hit.any()]
    if len(found) > 1:
        raise LookupFailure(f"{sel!r} names more than one place among the documents: "
                            + ", ".join(f"{p} ({c})" for p, c in found)
                            + f"; write its province too, e.g. 'region:{found[0][0]} ({found[0][1]})'")
    return hits[found[0]] if found else pd.Series(False, index=parts.index)


def directional(measures: pd.DataFrame, pairs: pd.DataFrame, a: list[str], b: list[str], *,
                name_a: str = "", name_b: str = "") -> pd.DataFrame:
    """Measures of the documents ``a`` with no counterpart in any document of ``b`` (other than their own)."""
    linked: set[str] = set()
    if len(pairs):
        p = pairs[pairs["relation"] != "restates"]
        into_b = p["doc_b"].isin(b) & (p["doc_a"] != p["doc_b"])
        linked |= set(p.loc[p["doc_a"].isin(a) & into_b, "measure_a"])
        from_b = p["doc_a"].isin(b) & (p["doc_a"] != p["doc_b"])
        linked |= set(p.loc[p["doc_b"].isin(a) & from_b, "measure_b"])
    mine = measures[measures["doc_id"].isin(a) & ~measures["measure_id"].isin(linked)]
    out = mine.assign(**{"from": name_a or ", ".join(a), "to": name_b or ", ".join(b)})
    return out.reindex(columns=COLUMNS).reset_index(drop=True)


MAX_REGIONS = 6   # the report's directional gaps compare at most this many regions two by two


def between_regions(documents: pd.DataFrame, measures: pd.DataFrame, pairs: pd.DataFrame, *,
                    max_regions: int = MAX_REGIONS) -> pd.DataFrame:
    """Directional gaps for every ordered pair of regions (``region_units``: a municipality with its districts,
    a province's city, a province's own documents), when there are two to ``max_regions`` of them; when there
    are more, of the cities and provinces (``regions_of``: 广东省 with its cities), if two to ``max_regions``. A
    region spelled two ways (Beijing, 北京市) is one, named as its first document spells it."""
    regions = documents["region"].fillna("").astype(str)
    names = region_units(regions)
    unit_of = region_unit
    if len(names) > max_regions:   # too many cities: their provinces
        names = _provinces(regions)
        unit_of = lambda r: (region_parts(r)[0], "")   # noqa: E731
    if not 2 <= len(names) <= max_regions:
        return pd.DataFrame(columns=COLUMNS)
    members: dict[tuple[str, str], list[str]] = {}
    for doc, region in zip(documents["doc_id"], regions):
        if region:
            members.setdefault(unit_of(region), []).append(doc)
    frames = []
    for ua, na in names.items():
        for ub, nb in names.items():
            if ua != ub:
                frames.append(directional(measures, pairs, members[ua], members[ub], name_a=na, name_b=nb))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
