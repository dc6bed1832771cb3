"""The thin layer that touches files: find the inputs, run the stages, write outputs atomically."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sys
import tempfile
import unicodedata
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .align import Alignment, AlignConfig, align
from .config import Config, DEFAULT
from . import parallel, progress
from .errors import CompareError, CompareWarning
from .ingest import collect, read_document
from .records import Document, Measure, SubDocument
from .segment import segment

def _bundled_corpus() -> Path:
    """The embedded default corpus: ``corpus/`` of the checkout, or ``compare/corpus`` of an installed wheel."""
    here = Path(__file__).resolve().parent
    checkout = here.parent / "corpus"
    return checkout if (checkout / "corpus.toml").is_file() else here / "corpus"


BUNDLED_CORPUS = _bundled_corpus()
MEASURE_FIELDS = ["doc_id", "measure_id", "ordinal", "label", "kind", "role", "role_reason", "path", "text", "raw",
                  "start", "end"]
STEP_FIELDS = ["lineage_id", "batch", "doc_id", "measure_id", "label", "status", "text", "prev_measure_id",
               "changes", "prev_label", "role"]
PAIRS_PER_PART = 50_000   # pairs in each Parquet part (--out-parts), and handed on by the aligner at a time
PAIR_FIELDS = ["doc_a", "measure_a", "label_a", "role_a", "text_a", "doc_b", "measure_b", "label_b", "role_b", "text_b",
               "probability", "identical", "score",
               "relation", "container", "span_a", "span_b", "evidence", "terms", "changes"]


@dataclass
class Loaded:
    """Documents that were read, and the errors of those that were not (one bad file loses nothing else)."""

    documents: list[Document] = field(default_factory=list)
    errors: list[CompareError] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)   # files in the folders given that are not read


def default_paths() -> list[Path]:
    return [BUNDLED_CORPUS]


def load(paths: list[Path] | None = None, *, config: Config = DEFAULT, workers: int | None = 1) -> Loaded:
    """Read every document under ``paths`` (the bundled corpus when none), in ``workers`` processes."""
    from .ingest import METADATA_FILE, unsupported_in

    out = Loaded()
    given = list(paths) if paths else default_paths()
    # a path that does not exist, a file of a type that is not read, a folder with nothing to read or a
    # corpus.toml that is not valid: an error for that path, the others go on (all bad: raised, naming each)
    metas = collect(given, allow_outside=config.allow_outside_corpus, errors=out.errors)
    if not metas and out.errors:   # nothing to read: one error that names every path and its reason
        first = out.errors[0]
        if len(out.errors) == 1:
            raise first
        raise type(first)("no path could be read: " + "; ".join(e.message for e in out.errors))
    failed = {e.path for e in out.errors}
    for p in given:   # a folder whose error already named its files is not listed again
        if p.is_dir() and not (p / METADATA_FILE).is_file() and str(p) not in failed:
            out.skipped += unsupported_in(p)
    def read(meta) -> Document | CompareError:
        try:
            return read_document(meta, config=config)
        except CompareError as exc:
            return exc

    with progress.stage("reading"):
        got = parallel.map_ordered(read, metas, workers=workers, desc="reading", unit="doc")
    for item in got:
        (out.errors if isinstance(item, CompareError) else out.documents).append(item)
    return out


@dataclass(frozen=True)
class Segmented:
    document: Document
    measures: tuple[Measure, ...]
    subdocuments: tuple[SubDocument, ...]


def segment_all(docs: list[Document], *, config: Config = DEFAULT, workers: int | None = 1) -> list[Segmented]:
    """Each document's segments at ``config.level`` (in ``workers`` processes); a document with no measure or
    goal among them (one line of text without numbering, a title only) is named in a
    :class:`CompareWarning`, never dropped silently."""
    with progress.stage("segmenting"):
        parts = parallel.map_ordered(lambda d: segment(d, config=config), docs, workers=workers,
                                     desc="segmenting", unit="doc")
    out = [Segmented(d, tuple(measures), tuple(subs)) for d, (measures, subs) in zip(docs, parts)]
    for s in out:
        warn_without_measures(s)
    return out


def warn_without_measures(s: Segmented) -> None:
    from collections import Counter

    from .roles import DEFAULT_ROLES

    if any(m.role in DEFAULT_ROLES for m in s.measures):
        return
    roles = Counter(m.role for m in s.measures)
    found = ", ".join(f"{r} {n}" for r, n in sorted(roles.items())) or "nothing"
    warnings.warn(CompareWarning(
        f"{s.document.path or s.document.id}: no measures found, no measure or goal among its segments "
        f"({found}): it takes no part in alignment and gaps (--roles all aligns every segment)"), stacklevel=2)


def measure_rows(segmented: list[Segmented]) -> list[dict]:
    rows = []
    for s in segmented:
        for m in s.measures:
            rows.append(m.to_dict())
    return rows


def _columns(rows: list[dict], first: list[str]) -> list[str]:
    extra = sorted({k for r in rows for k in r} - set(first))
    return first + extra


def to_jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n" for r in rows)


_FORMULA = re.compile(r"^[=+\-@\t\r]")
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def for_people(value):
    """A cell as a spreadsheet should show it: lists joined readably, and text that a spreadsheet would
    read as a formula (``= + - @``, tab, carriage return first) behind an apostrophe. Document text is
    untrusted; JSONL and Parquet keep it exactly."""
    if isinstance(value, (list, tuple)):
        value = " / ".join(str(v) for v in value)
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def to_csv(rows: list[dict], first: list[str] = MEASURE_FIELDS) -> str:
    """CSV for people: UTF-8 with a byte-order mark (Excel on Chinese Windows reads it right), lists joined
    with `` / ``, formula-like cells neutralised (``for_people``)."""
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.DictWriter(buf, fieldnames=_columns(rows, first), extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: for_people(v) for k, v in r.items()})
    return buf.getvalue()


def frame_for_people(df):
    """A DataFrame's text cells through ``for_people`` (and, for Excel, characters XLSX forbids shown as
    U+FFFD), for the CSV and Excel exports of a report."""
    import pandas as pd

    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(for_people).astype(object)
    return out


def _joined(v):
    """A list in one cell: its items joined with `` / ``."""
    return " / ".join(map(str, v)) if isinstance(v, (list, tuple)) else v


def whole_pages(df):
    """``df`` with its ``page`` column (PDF pages) as whole numbers, <NA> for the segments of other documents
    (not 3.0, nan): for ``compare.segment`` and the Parquet/Excel files alike."""
    if "page" in df:
        df = df.assign(page=df["page"].astype("Int64"))
    return df


def write_table(path: Path, rows: list[dict], fields: list[str]) -> None:
    """Rows to ``path`` in the format its extension names (.jsonl .csv .xlsx .parquet), atomically."""
    import pandas as pd

    ext = path.suffix.lower()
    if ext == ".jsonl":
        write_atomic(path, to_jsonl(rows))
    elif ext == ".csv":
        write_atomic(path, to_csv(rows, fields))
    elif ext in (".xlsx", ".parquet"):
        df = pd.DataFrame(rows, columns=_columns(rows, fields))
        df = df.map(_joined)
        df = whole_pages(df)
        write_atomic(path, _xlsx_bytes({"rows": df}) if ext == ".xlsx" else _parquet_bytes(df))
    else:
        raise CompareError(f"{path}: cannot tell the format from the extension {ext or '(none)'!r}; use .jsonl, "
                           ".csv, .xlsx or .parquet, or name the format with --format")


REVIEW_FLOOR = 30.0  # with a review file, pairs are scored down to here so that accepted pairs can stay


def align_documents(docs: list[Document], *, config: Config = DEFAULT, align_config: AlignConfig = AlignConfig(),
                    review_file: Path | None = None, workers: int | None = 1,
                    segmented: list[Segmented] | None = None, on_pairs=None,
                    pairs_per_call: int = PAIRS_PER_PART) -> Alignment:
    """Segment ``docs`` at ``config.level`` and align their segments whose role is in ``align_config.roles``
    (measure and goal unless told otherwise), applying the review decisions of ``review_file`` (accept /
    reject / relabel) when there is one; ``workers`` processes segment and score (the same result).
    ``segmented``: the documents' segments when they are already made (at ``config.level``). ``on_pairs``: as
    in ``align.align`` (with review decisions, once they are applied)."""
    from dataclasses import replace

    from . import review

    if pairs_per_call < 1:
        raise CompareError(f"pairs_per_call must be 1 or more, not {pairs_per_call}")
    segmented = segmented if segmented is not None else segment_all(docs, config=config, workers=workers)
    measures = [m for s in segmented for m in s.measures]   # align() applies the roles
    decisions = review.load(review_file) if review_file is not None else {}
    if not decisions:
        return align(docs, measures, config=align_config, workers=workers, on_pairs=on_pairs,
                     pairs_per_call=pairs_per_call)
    known = {m.measure_id for m in measures}
    unknown = sorted({i for d in decisions.values() for i in (d.measure_a, d.measure_b)} - known)
    if unknown:   # ids change when a document's text changes; such decisions apply to nothing
        n = sum(1 for d in decisions.values() if d.measure_a not in known or d.measure_b not in known)
        warnings.warn(CompareWarning(
            f"{review_file}: {n} of {len(decisions)} decision(s) name measures that are not among the "
            f"{config.level} segments of these documents, so they apply to nothing: {', '.join(unknown[:5])}"
            f"{' …' if len(unknown) > 5 else ''} (a measure's id changes when its text changes; see "
            "'policy-compare segment')"), stacklevel=2)
    if align_config.modelled:   # every candidate the model scores, so that an accepted pair below the cutoff stays
        low = replace(align_config, min_probability=0.0, review=False, min_evidence=0.0)
    else:
        low = replace(align_config, threshold=min(align_config.threshold, REVIEW_FLOOR), min_evidence=0.0)
    scored = align(docs, measures, config=low, select=False, workers=workers)
    final = review.apply(scored, decisions, config=align_config)
    if on_pairs is not None:
        for lo in range(0, len(final.pairs), pairs_per_call):
            on_pairs(list(final.pairs[lo:lo + pairs_per_call]))
    return final


def pair_changes(pairs, *, workers=1) -> list[str]:
    """For each pair, the kinds of wording change from a to b (``numbers:raised;strength:strengthened``),
    diffed in ``workers`` processes (the same list)."""
    from .changes import classify, summary
    from .diff import diff_texts

    texts = [(p.a.text, p.b.text) for p in pairs]
    return parallel.map_ordered(lambda ab: summary(classify(diff_texts(*ab))), texts, workers=workers,
                                desc="wording changes", unit="pair")


def pair_rows(alignment: Alignment, docs: list[Document] | None = None, *, workers=1) -> list[dict]:
    """The rows of ``align``'s JSONL/CSV output: in document order, or for the screening list (``--review``)
    in its order, the most probable first (``align.screening_order``)."""
    from .align import screening_order

    pairs = sorted(alignment.pairs, key=screening_order) if alignment.config.review else alignment.pairs
    return _pair_rows(pairs, alignment.config.min_score, docs, workers=workers)


def _pair_rows(pairs, threshold: float, docs: list[Document] | None = None, *, workers=1) -> list[dict]:
    rows = [p.to_dict(threshold=threshold) for p in pairs]
    if docs is not None:
        for row, changes in zip(rows, pair_changes(pairs, workers=workers)):
            row["changes"] = changes
    return rows


def dated_series(root: Path) -> dict[str, list[Path]]:
    """Files named ``名称(YYYY-MM-DD).md`` under ``root`` grouped into series (same folder, same title), each
    ordered by date; only titles with two or more versions."""
    from .ingest import SUFFIXES, infer_meta

    groups: dict[tuple[str, str], list[tuple[str, Path]]] = {}
    for f in sorted(root.rglob("*")):
        if f.is_file() and f.suffix.lower() in SUFFIXES:
            m = infer_meta(f)
            if m.date:
                groups.setdefault((str(f.parent), m.title), []).append((m.date, f))
    return {title: [f for _, f in sorted(v)] for (_, title), v in sorted(groups.items()) if len(v) >= 2}


def series_names(docs: list[Document]) -> list[str]:
    """Series of the documents, each with at least two members (metadata series, or titles of versions)."""
    counts: dict[str, int] = {}
    for d in docs:
        if d.meta.series:
            counts[d.meta.series] = counts.get(d.meta.series, 0) + 1
    return sorted(n for n, c in counts.items() if c >= 2)


def series_documents(docs: list[Document], name: str) -> list[Document]:
    """The documents of series ``name`` in order (batch, then date)."""
    from .errors import LookupFailure

    members = [d for d in docs if d.meta.series == name]
    if len(members) < 2:
        known = ", ".join(series_names(docs)) or "none"
        raise LookupFailure(f"series {name!r} has {len(members)} document(s); series with two or more: {known}")
    return sorted(members, key=lambda d: (d.meta.batch if d.meta.batch is not None else 10**9, d.meta.date, d.id))


def series_to_follow(docs: list[Document], *, series: str | None = None, in_order: bool = False,
                     given: bool = True) -> tuple[list[list[Document]], list[str]]:
    """The series ``evolve`` follows, each oldest first, and the ids of the documents given that are in none:
    ``series`` by name; ``in_order``: the documents as given; else the series they form (corpus.toml's series,
    or versions named 名称(YYYY-MM-DD)); documents in no series are named, never chained silently. ``given``:
    the documents were named by the user (not the bundled corpus)."""
    if series:
        return [series_documents(docs, series)], []
    if given and in_order:
        if len(docs) < 2:
            raise CompareError("evolve needs at least two documents (oldest first)")
        return [list(docs)], []
    names = series_names(docs)
    if not names:
        if given:
            raise CompareError(
                f"these {len(docs)} documents are not one series (no series in corpus.toml, and their file names "
                "are not versions such as 名称(2020-03-27).md): give --series NAME (series=), or --in-order "
                "(in_order=True) to follow them in the order given")
        raise CompareError("no series with two or more documents: give PATHs in order or --series")
    return [series_documents(docs, n) for n in names], [d.id for d in docs if given and d.meta.series not in names]


def evolve_documents(docs: list[Document], *, config: Config = DEFAULT, roles: tuple[str, ...] | None = None,
                     workers: int | None = 1, segmented: list[Segmented] | None = None):
    """Segment ``docs`` (in series order; ``segmented`` when already made) and follow their segments (every
    role unless ``roles`` says)."""
    from .evolve import evolve
    from .roles import ROLES, select

    segmented = segmented if segmented is not None else segment_all(docs, config=config, workers=workers)
    ids = {d.id for d in docs}
    measures = select([m for s in segmented if s.document.id in ids for m in s.measures], roles or ROLES)
    return evolve(docs, measures, workers=workers)


def step_rows(ev) -> list[dict]:
    return [s.to_dict() for s in ev.steps]


UNLIKE_KINDS = ("documents of different kinds, not versions of one another: dropped and new count the segments one "
                "holds and the next does not, not measures withdrawn or added")


def unlike_kinds(ev, docs: list[Document]) -> list[str]:
    """The transitions of ``ev`` between two documents whose ``kind`` (corpus.toml) differs, as 'a (journal) ->
    b (compilation)'."""
    kind = {d.id: d.meta.kind for d in docs}
    return [f"{a} ({kind[a]}) -> {b} ({kind[b]})" for a, b in zip(ev.documents, ev.documents[1:])
            if kind.get(a) and kind.get(b) and kind[a] != kind[b]]


def evolution_table(ev, docs: list[Document] | None = None) -> str:
    """The transitions of a series as a table, the change kinds, renumbered and non-measure segments, and, given
    the series' ``docs``, a line naming the series and the transitions between documents of different kinds (a
    journal's recommendations need not reappear in a compilation: there, dropped and new count what one holds
    and the next does not, not measures withdrawn or added)."""
    head = ["batch", "from", "to", *["unchanged", "moved", "revised", "merged", "split", "dropped", "new"]]
    rows = []
    kinds_lines, other_lines = [], []
    unlike = [f"  {line}" for line in unlike_kinds(ev, docs or [])]
    for r in ev.transition_counts():
        rows.append([str(r["batch"]), r["from"], r["to"], *[str(r[k]) for k in head[3:]]])
        if r["changes"]:
            kinds_lines.append(f"  {r['from']} -> {r['to']}: " + ", ".join(f"{k} {v}" for k, v in r["changes"].items()))
        if r["recurring"]:   # a renaming through the document
            kinds_lines.append("    recurring wording changes: " + ", ".join(
                f"{old} -> {new} ({n} measures)" for (old, new), n in r["recurring"][:8]))
        if r["renumbered"] or r["not_measures"]:
            other_lines.append(f"  {r['from']} -> {r['to']}: " + "; ".join(filter(None, (
                f"renumbered {r['renumbered']} (the same wording under another label, such as "
                f"{r['renumbered_first']}; column prev_label)" if r["renumbered"] else "",
                "not measures or goals (headings, titles, procedure), counted above: "
                + ", ".join(f"{k} {v}" for k, v in r["not_measures"].items()) if r["not_measures"] else ""))))
    revised = sorted(ev.lineages, key=lambda lg: -lg.revisions)[:1]
    tail = "\nchange kinds of revised, merged and split measures:\n" + "\n".join(kinds_lines) + "\n" if kinds_lines else ""
    tail += "\nrenumbered, and segments that are not measures:\n" + "\n".join(other_lines) + "\n" if other_lines else ""
    if unlike:
        tail += f"\n{UNLIKE_KINDS}\n" + "\n".join(unlike) + "\n"
    tail += f"lineages: {len(ev.lineages)}" + (f", most revised: {revised[0].revisions} revisions" if revised else "") + "\n"
    series = {d.meta.series for d in docs or ()}
    title = (f"series {series.pop()}: {len(ev.documents)} documents\n" if len(series) == 1 and "" not in series
             else "")
    return title + render_table(head, rows) + tail


def find_measure_sides(ids: list[str], *, paths: list[Path] | None = None, loaded: Loaded | None = None):
    """The diff sides of two measure ids (looked up at both levels) and a line saying where they are."""
    from .diff import measure_side
    from .errors import LookupFailure

    loaded = loaded or load(paths or None)
    docs = {d.id: d for d in loaded.documents}
    found = {}
    for level in ("coarse", "fine"):
        for s in segment_all(loaded.documents, config=Config(level=level)):
            for m in s.measures:
                if m.measure_id in ids and m.measure_id not in found:
                    found[m.measure_id] = m
    missing = [i for i in ids if i not in found]
    if missing:
        unread = [e.path or e.message for e in loaded.errors]
        hint = (f"; {len(unread)} document(s) could not be read and may hold them: {', '.join(unread[:5])}"
                f"{' …' if len(unread) > 5 else ''}" if unread else "")
        raise LookupFailure(f"measure id(s) not found: {', '.join(missing)} (ids come from 'policy-compare "
                            f"segment'){hint}")
    a, b = found[ids[0]], found[ids[1]]
    where = f"{a.doc_id} {a.label}  ->  {b.doc_id} {b.label}"
    return measure_side(docs[a.doc_id], a), measure_side(docs[b.doc_id], b), where


def pairs_table(alignment: Alignment) -> str:
    """Pairs per document pair (and relation), and measures without counterpart per document."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    rels = ("same", "contains", "related", "restates")
    for p in alignment.pairs:
        c = counts.setdefault((p.a.doc_id, p.b.doc_id), dict.fromkeys(rels, 0))
        c[p.relation] += 1
    rows = [[a, b, str(sum(c.values())), *[str(c[r]) for r in rels]] for (a, b), c in counts.items()]
    more = ""
    if len(rows) > TABLE_ROWS:   # a large corpus: the document pairs with most pairs, and how to get all
        rows = sorted(rows, key=lambda r: -int(r[2]))
        more = (f"… {len(rows) - TABLE_ROWS} more document pairs; all pairs: --format csv --out pairs.csv "
                "(or .xlsx, .parquet)\n")
        rows = rows[:TABLE_ROWS]
    rows.append(["total", "", str(len(alignment.pairs)), *[""] * len(rels)])
    head = ["doc_a", "doc_b", "pairs", *rels]
    unique: dict[str, int] = {}
    for m in alignment.unique:
        unique[m.doc_id] = unique.get(m.doc_id, 0) + 1
    cfg = alignment.config
    return (render_table(head, rows) + more
            + (f"\npair model {__import__('compare.pairmodel', fromlist=['load']).load().sha256}, min_probability "
               f"{cfg.cutoff():g}{' (review list)' if cfg.review else ''}, min score {cfg.min_score:g}, "
               if cfg.modelled else f"\nthreshold {cfg.threshold:g}, min_evidence {cfg.min_evidence:g}, ")
            + f"mode {cfg.mode}, "
              f"{alignment.candidates} candidate pairs scored\n"
            + "measures without counterpart: " + ", ".join(f"{k} {v}" for k, v in unique.items()) + "\n")


TABLE_ROWS = 40   # terminal tables show at most this many rows and say how to get all


def find_gaps(docs: list[Document], *, a=None, b=None, config: Config = DEFAULT,
              align_config: AlignConfig = AlignConfig(), review_file: Path | None = None, workers=1):
    """The measures of the documents ``a`` selects with no counterpart in those ``b`` selects (``gaps.select``:
    a document id, ``region:…``, ``series:…``, ``kind:…``, or a list of these), as a DataFrame of
    ``gaps.COLUMNS``; without ``a`` and ``b``, between every two regions as the report counts them
    (``gaps.between_regions``). The pairs are ``align_config``'s (its roles, cutoff or review list) after the
    review decisions of ``review_file``."""
    from . import report
    from .gaps import MAX_REGIONS, between_regions, directional, region_units, regions_of, select as choose
    from .roles import select

    if (a is None) != (b is None):
        raise CompareError("give both sides of the gaps (a and b), or neither: between every two regions")
    every = [m for s in segment_all(docs, config=config, workers=workers) for m in s.measures]
    alignment = align_documents(docs, config=config, align_config=align_config, review_file=review_file,
                                workers=workers)
    data = report.build(docs, select(every, tuple(align_config.roles)), alignment, [], segments=every)
    if a is None:
        regions = data.documents["region"].fillna("").astype(str)
        units = region_units(regions)
        named = list(units.values()) if len(units) <= MAX_REGIONS else regions_of(regions)
        if not 2 <= len(named) <= MAX_REGIONS:   # nothing compared is no "no gaps"
            shown = ", ".join(named[:12]) + (" …" if len(named) > 12 else "")
            raise CompareError(
                (f"gaps between regions need two regions; these documents have {len(named)}"
                 + (f" ({shown})" if named else "") if len(named) < 2 else
                 f"{len(named)} regions ({shown}) are too many to compare two by two (at most {MAX_REGIONS})")
                + ": choose the two sides (--a and --b on the command line, a= and b= in compare.gaps: a document "
                "id, region:…, series:…, kind:…)")
        return between_regions(data.documents, data.measures, data.pairs)

    def name(sel) -> str:   # a list keeps its order; a set is sorted (the same name whatever the hash seed)
        if isinstance(sel, (set, frozenset)):
            return ", ".join(sorted(map(str, sel)))
        return ", ".join(map(str, sel)) if isinstance(sel, (list, tuple)) else str(sel)

    return directional(data.measures, data.pairs, choose(data.documents, a), choose(data.documents, b),
                       name_a=name(a), name_b=name(b))


def gaps_table(gaps) -> str:
    """Gaps per direction and document, then the gaps themselves (the first ``TABLE_ROWS``)."""
    if not len(gaps):
        return ("no gaps: every measure of the side listed has a counterpart on the other (or it has no measure of "
                "the roles compared)\n")
    counts = gaps.groupby(["from", "to", "doc_id"], sort=False).size()
    head = render_table(["from", "to", "doc_id", "gaps"], [[f, t, d, str(n)] for (f, t, d), n in counts.items()])
    shown = gaps.head(TABLE_ROWS)
    clip = (lambda text: text if _width(text) <= 60 else _clipped(text, 58) + "…")
    rows = [[r["from"], r["to"], r["doc_id"], r["label"] or "", r["role"], clip(" ".join(str(r["text"]).split()))]
            for _, r in shown.iterrows()]
    more = (f"… {len(gaps) - TABLE_ROWS} more gaps; all of them: --format csv --out gaps.csv (or .xlsx, .parquet)\n"
            if len(gaps) > TABLE_ROWS else "")
    return (head + "\n" + render_table(["from", "to", "doc_id", "label", "role", "text"], rows) + more
            + f"{len(gaps)} measures without a counterpart\n")


def _clipped(text: str, width: int) -> str:
    """The longest start of ``text`` that is at most ``width`` columns wide."""
    out, used = [], 0
    for ch in text:
        used += _width(ch)
        if used > width:
            break
        out.append(ch)
    return "".join(out)


def summary_table(segmented: list[Segmented], *, level: str) -> str:
    """A per-document summary: region (as given or inferred; "-" for none), characters, edits, sub-documents,
    segments and their count by role, median length of the measures."""
    from .roles import ROLES

    head = ["doc_id", "region", "encoding", "script", "chars", "edits", "subdocs", f"segments ({level})", *ROLES,
            "median len"]
    rows = []
    totals = dict.fromkeys(ROLES, 0)
    for s in segmented:
        lens = sorted(len(m.text) for m in s.measures if m.role == "measure")
        med = lens[len(lens) // 2] if lens else 0
        d = s.document
        by_role = {r: sum(1 for m in s.measures if m.role == r) for r in ROLES}
        for r in ROLES:
            totals[r] += by_role[r]
        rows.append([d.id, d.meta.region or "-", d.encoding, d.normalized.script, str(len(d.raw)),
                     str(len(d.normalized.edits)), str(len(s.subdocuments)), str(len(s.measures)), *[str(by_role[r]) for r in ROLES], str(med)])
    total = sum(len(s.measures) for s in segmented)
    more = ""
    if len(rows) > TABLE_ROWS:
        more = (f"… {len(rows) - TABLE_ROWS} more documents; every segment: --format csv --out segments.csv "
                "(or .jsonl, .xlsx, .parquet)\n")
        rows = rows[:TABLE_ROWS]
    rows.append(["total", "", "", "", str(sum(len(s.document.raw) for s in segmented)), "", "", str(total),
                 *[str(totals[r]) for r in ROLES], ""])
    return render_table(head, rows) + more


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def render_table(head: list[str], rows: list[list[str]]) -> str:
    """A plain-text table that lines up with Chinese (double-width) characters."""
    cols = list(zip(head, *rows))
    widths = [max(_width(c) for c in col) for col in cols]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(head), sep] + [line(r) for r in rows]) + "\n"


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temporary file in the same folder, then rename it over ``path``. An error names ``path``, not
    the temporary file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise _naming(exc, path)
    umask = os.umask(0)
    os.umask(umask)
    try:
        with os.fdopen(fd, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})) as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _naming(exc, path)
        raise


def _naming(exc: OSError, path: Path) -> OSError:
    """``exc`` naming the output ``path`` instead of the temporary file it was written to (its type, errno
    and traceback kept)."""
    exc.filename, exc.filename2 = str(path), None
    return exc


def _xlsx_bytes(sheets: dict[str, "object"]) -> bytes:
    """An Excel workbook with one sheet per table, byte-identical for the same tables (fixed zip times and
    document properties: no wall-clock content)."""
    import datetime
    import zipfile

    import pandas as pd

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, df in sheets.items():
            safe = frame_for_people(df)
            for c in safe.columns:   # characters XLSX forbids (NUL, other controls) shown as U+FFFD
                if safe[c].dtype == object or pd.api.types.is_string_dtype(safe[c]):
                    safe[c] = safe[c].map(lambda v: _XLSX_ILLEGAL.sub("\ufffd", v) if isinstance(v, str) else v)
            safe.to_excel(writer, sheet_name=name[:31], index=False)
        fixed = datetime.datetime(2000, 1, 1)
        writer.book.properties.created = fixed
        writer.book.properties.modified = fixed
        writer.book.properties.creator = "policy-compare"
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", content)
            dst.writestr(zi, content)
    return out.getvalue()


def _parquet_bytes(df) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    table = pa.Table.from_pandas(df.astype({c: "string" for c in df.columns if df[c].dtype == object}),
                                 preserve_index=False)
    pq.write_table(table, buf)
    return buf.getvalue()


def write_report(paths: list[Path] | None, out_dir: Path, *, config: Config = DEFAULT,
                 align_config: AlignConfig = AlignConfig(), title: str | None = None,
                 review_file: Path | None = None, workers: int | None = 1) -> tuple[Path, Loaded]:
    """Segment, align and (for series) evolve the documents, in ``workers`` processes (the same report); write
    index.html and the exports to ``out_dir``. The page's ``title`` is "policy-compare report: " and the first
    path's name (or "the bundled corpus") unless given."""
    from . import charts
    from . import report as rep

    check_report_folder(Path(out_dir))
    if title is None:   # named after what it reports on
        first = Path(os.path.abspath(paths[0])).stem if paths else ""
        title = f"policy-compare report: {first or 'the bundled corpus'}"
    loaded = load(paths, config=config, workers=workers)
    docs = loaded.documents
    if not docs:
        raise CompareError("no document could be read")
    from . import review

    from .roles import select

    segmented = segment_all(docs, config=config, workers=workers)
    every = [m for s in segmented for m in s.measures]
    measures = select(every, align_config.roles)
    alignment = align_documents(docs, config=config, align_config=align_config, workers=workers,
                                review_file=review_file or review.file_for(paths, BUNDLED_CORPUS),
                                segmented=segmented)
    steps: list[dict] = []
    evolution_charts = []
    for name in series_names(docs):
        members = series_documents(docs, name)
        ev = evolve_documents(members, config=config, workers=workers, segmented=segmented)
        steps += [{"series": name, **r} for r in step_rows(ev)]
        evolution_charts += [charts.flow_chart(ev), charts.status_bars(ev), charts.lineage_timeline(ev)]
    data = rep.build(docs, measures, alignment, steps, segments=every, workers=workers)
    manifest = {
        **run_manifest(paths, loaded, config=config, align_config=align_config),
        "role_lexicon_sha256": __import__("compare.roles", fromlist=["lexicon"]).lexicon().sha256,
        "counts": {"documents": len(docs), "segments": len(every), "measures": len(measures),
                   "pairs": len(alignment.pairs),
                   "lineage_steps": len(steps)},
    }
    final_dir = Path(out_dir)
    with _new_folder(final_dir, REPORT_FOLDER) as out_dir:
        _write_report_files(out_dir, data, manifest, title, evolution_charts, alignment, docs)
    return final_dir / "index.html", loaded


REPORT_FILES = re.compile(r"^(?:index\.html|manifest\.json|report\.xlsx|[a-z_]+\.(?:csv|parquet))$")
PART_FILES = re.compile(r"^(?:_manifest\.json|part-\d{5}\.parquet)$")


@dataclass(frozen=True)
class _Folder:
    """A folder this tool writes as a whole: which files it holds, where its manifest is, what it is called."""

    files: re.Pattern
    manifest: str
    what: str


REPORT_FOLDER = _Folder(REPORT_FILES, "manifest.json", "report")
PARTS_FOLDER = _Folder(PART_FILES, "_manifest.json", "folder of pair parts")


def run_manifest(paths: list[Path] | None, loaded: Loaded, *, config: Config, align_config: AlignConfig) -> dict:
    """What every output folder's manifest says of the run: engine version, configuration hash and
    parameters (pair model hash, operating point), the inputs with their sha256, the files not read."""
    import hashlib

    from . import __version__, pairmodel

    return {
        "engine_version": __version__,
        "config_hash": hashlib.sha256((config.hash() + repr(sorted(align_config.__dict__.items())))
                                      .encode()).hexdigest()[:16],
        "config": config.to_dict(),
        "parameters": {"threshold": align_config.min_score, "min_evidence": align_config.min_evidence,
                       "pair_model": pairmodel.load().sha256 if align_config.modelled else None,
                       "min_probability": align_config.cutoff() if align_config.modelled else None,
                       "review": align_config.review,
                       "mode": align_config.mode, "level": config.level, "roles": list(align_config.roles),
                       "inputs": [str(p) for p in paths] if paths else ["(bundled corpus)"]},
        "inputs": [{"doc_id": d.id, "file": Path(d.path).name, "sha256": d.sha256, "encoding": d.encoding}
                   for d in loaded.documents],
        "errors": [e.message for e in loaded.errors],
    }


NUMERIC_PAIR_FIELDS = ("probability", "score", "whole", "clause", "local", "evidence", "template", "threshold")
BOOLEAN_PAIR_FIELDS = ("identical",)


def write_pair_parts(alignment: Alignment, loaded: Loaded, folder: Path, *, paths: list[Path] | None = None,
                     config: Config = DEFAULT, align_config: AlignConfig = AlignConfig(), workers=1,
                     per_part: int = PAIRS_PER_PART) -> int:
    """The pairs' rows (``pair_rows``, with their wording changes) as a folder of Parquet parts (``pair_parts``)
    written from a finished alignment. Returns the number of parts."""
    with pair_parts(folder, loaded, paths=paths, config=config, align_config=align_config, workers=workers,
                    per_part=per_part) as parts, progress.stage("writing pairs"):
        parts.add(alignment.pairs)
        parts.finish(alignment)
    return parts.count


@contextmanager
def pair_parts(folder: Path, loaded: Loaded, *, paths: list[Path] | None = None, config: Config = DEFAULT,
               align_config: AlignConfig = AlignConfig(), workers=1, per_part: int = PAIRS_PER_PART):
    """A folder of Parquet parts being written: ``part-00000.parquet`` … of ``per_part`` pairs each, in the
    pairs' order, and ``_manifest.json`` (the run, the parts, the columns). ``add(pairs)`` writes every part
    it completes at once (give it to ``align_documents(on_pairs=…)``, and the parts are written while the
    alignment goes on: only one part's rows are ever held); ``finish(alignment)`` writes the rest and the
    manifest. Every part has the same columns and types (text as strings; figures as float64; ``identical``
    as bool), so ``pandas.read_parquet(folder)`` reads them as one table. Written into a new folder beside ``folder`` that
    takes its place when the block ends after ``finish`` (``folder`` must be new, empty or such a folder
    written before); a run that fails leaves ``folder`` as it was."""
    if per_part < 1:
        raise CompareError(f"pairs per part must be 1 or more, not {per_part}")
    final = Path(folder)
    check_report_folder(final, PARTS_FOLDER)
    with _new_folder(final, PARTS_FOLDER) as tmp:
        writer = _PartWriter(tmp, loaded.documents, threshold=align_config.min_score, workers=workers,
                             per_part=per_part)
        writer.manifest = run_manifest(paths, loaded, config=config, align_config=align_config)
        yield writer
        if not writer.finished:
            raise RuntimeError("pair_parts: finish(alignment) was not called")


class _PartWriter:
    """What ``pair_parts`` yields: ``add`` pairs as they come, ``finish`` once."""

    def __init__(self, folder: Path, docs: list[Document], *, threshold: float, workers, per_part: int):
        self.folder, self.docs, self.threshold, self.workers, self.per_part = folder, docs, threshold, workers, per_part
        self.pending: list = []
        self.count = self.pairs = 0
        self.columns: list[str] | None = None
        self.manifest: dict = {}
        self.finished = False

    def add(self, pairs) -> None:
        self.pending += pairs
        while len(self.pending) >= self.per_part:
            self._write(self.pending[:self.per_part])
            self.pending = self.pending[self.per_part:]

    def finish(self, alignment: Alignment) -> None:
        if self.pending or not self.count:   # the last part; with no pairs at all, one empty part
            self._write(self.pending)
            self.pending = []
        if self.pairs != len(alignment.pairs):
            raise RuntimeError(f"pair_parts: {self.pairs} pairs written, the alignment has {len(alignment.pairs)}")
        manifest = {**self.manifest,
                    "counts": {"pairs": self.pairs, "parts": self.count, "pairs_per_part": self.per_part,
                               "candidates": alignment.candidates},
                    "columns": self.columns}
        write_atomic(self.folder / "_manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1,
                                                                sort_keys=True) + "\n")
        self.finished = True

    def _write(self, pairs) -> None:
        import pandas as pd

        # no stage of its own: streamed, it runs inside the aligner's "explaining pairs" (its wording changes
        # show their own progress bar)
        rows = _pair_rows(pairs, self.threshold, self.docs, workers=self.workers)
        # every pair has the same keys (``Pair.to_dict``), so the first part's columns are every part's; with no
        # pairs at all, one empty part with the documented columns
        self.columns = self.columns or _columns(rows, PAIR_FIELDS)
        df = pd.DataFrame(rows, columns=self.columns)
        del rows
        for c in self.columns:
            if c in NUMERIC_PAIR_FIELDS:
                df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
            elif c in BOOLEAN_PAIR_FIELDS:
                df[c] = df[c].astype(bool)
            else:
                df[c] = df[c].map(_joined).astype("string")
        write_atomic(self.folder / f"part-{self.count:05d}.parquet", _parquet_bytes(df))
        self.count += 1
        self.pairs += len(pairs)


@contextmanager
def _new_folder(final: Path, kind: "_Folder"):
    """Yield a new folder beside ``final`` to write into; when the block ends, it takes ``final``'s place
    (``_swap_in``); when the block fails, it is removed. An interrupted or concurrent run never leaves a
    folder mixing two runs (the previous one stays until the swap)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))
    except OSError as exc:
        raise _naming(exc, final)
    try:
        yield tmp
        _swap_in(tmp, final, kind)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _is_previous(folder: Path, kind: _Folder = REPORT_FOLDER) -> bool:
    """An empty folder, or one this tool wrote: its files only (regular files, no links or folders) and a
    manifest that says so."""
    entries = list(folder.iterdir())
    if not entries:
        return True
    if any(p.is_symlink() or not p.is_file() or not kind.files.match(p.name) for p in entries):
        return False
    try:
        manifest = json.loads((folder / kind.manifest).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and "engine_version" in manifest and "config_hash" in manifest


def check_report_folder(final: Path, kind: _Folder = REPORT_FOLDER) -> None:
    """A report (or a folder of pair parts) replaces its folder as a whole: the folder must be new, empty or
    one this tool wrote (nothing else is ever deleted); not a link, not the current folder or one above it."""
    what = kind.what
    if final.is_symlink():
        raise CompareError(f"{final}: is a symbolic link; give the folder itself for the {what}")
    if final.exists() and not final.is_dir():
        raise CompareError(f"{final}: is a file; the {what} needs a folder")
    here = Path.cwd().resolve()
    if final.exists() and (final.resolve() == here or here.is_relative_to(final.resolve())):
        raise CompareError(f"{final}: is the current folder (or holds it); give a folder for the {what}, such as "
                           "reports/mine")
    if final.is_dir() and not _is_previous(final, kind):
        others = sorted(p.name for p in final.iterdir() if not kind.files.match(p.name) or not p.is_file())
        raise CompareError(f"{final}: holds files that are not a {what}'s"
                           f"{' (' + ', '.join(others[:3]) + (' …' if len(others) > 3 else '') + ')' if others else ''}"
                           f"; give a new folder for the {what}")


def _swap_in(new: Path, final: Path, kind: _Folder = REPORT_FOLDER) -> None:
    """Put the folder ``new`` in the place of ``final``. A previous report is checked again (it may have
    changed during the run), moved aside, and its report files alone deleted."""
    old = None
    mode = 0o777 & ~_umask()
    if final.exists():
        check_report_folder(final, kind)
        mode = final.stat().st_mode & 0o7777
        old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old.", dir=final.parent))
        os.rmdir(old)
        os.replace(final, old)
    try:
        os.replace(new, final)
    except OSError:
        if old is not None and not final.exists():
            os.replace(old, final)   # put the previous report back
        raise
    os.chmod(final, mode)
    if old is not None:
        for f in old.iterdir():
            if f.is_file() and not f.is_symlink() and kind.files.match(f.name):
                f.unlink()
        try:
            old.rmdir()
        except OSError:   # something appeared there meanwhile: keep it, and say where
            print(f"policy-compare: the previous {kind.what}'s folder kept other files: {old}", file=sys.stderr)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_report_files(out_dir: Path, data, manifest: dict, title: str | None, evolution_charts, alignment,
                        docs) -> None:
    from . import report as rep

    # the exports first: they do not depend on the page, whose charts are views
    tables = {"measures": data.measures, "pairs": data.pairs, "overlap": data.overlap,
              "overlap_documents": data.overlap_docs, "gaps_between_regions": data.gaps}
    if not data.lineage.empty:
        tables["lineage"] = data.lineage
    for name, df in tables.items():
        write_atomic(out_dir / f"{name}.csv", "\ufeff" + frame_for_people(df).to_csv(index=False, lineterminator="\n"))
        write_atomic(out_dir / f"{name}.parquet", _parquet_bytes(df))
    write_atomic(out_dir / "report.xlsx", _xlsx_bytes({"documents": data.documents, **tables}))
    write_atomic(out_dir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    page = rep.render_html_page(data, title=title or "policy-compare report", manifest=manifest,
                                evolution_charts=evolution_charts, alignment=alignment, docs=docs)
    write_atomic(out_dir / "index.html", page)
