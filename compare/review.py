"""A researcher's review of aligned pairs: accept, reject or relabel. Decisions live in a plain TSV file next
to the corpus (``review.tsv``: ``measure_a, measure_b, decision, relation, note``) and are applied to every
later alignment: a rejected pair disappears, a relabelled pair takes the given relation, an accepted pair
stays even below the threshold (as long as it was scored)."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path

from .align import Alignment, series_selection
from .errors import InputError

FILE = "review.tsv"
DECISIONS = ("accept", "reject", "relabel")
RELATIONS = ("same", "contains", "related", "restates")
FIELDS = ["measure_a", "measure_b", "decision", "relation", "note"]


@dataclass(frozen=True)
class Decision:
    measure_a: str
    measure_b: str
    decision: str
    relation: str = ""
    note: str = ""

    @property
    def key(self) -> frozenset:
        return frozenset((self.measure_a, self.measure_b))


def load(path: Path) -> dict[frozenset, Decision]:
    """Decisions of a review file (none when it does not exist); the last decision on a pair wins."""
    if not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8-sig")   # a byte-order mark, as Excel saves it, is fine
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the review file: {exc}", path=path) from None
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    missing = [c for c in ("measure_a", "measure_b", "decision") if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"the review file needs the tab-separated columns {', '.join(FIELDS)}; missing "
                         f"{', '.join(missing)}", path=path)
    rows = list(reader)
    out: dict[frozenset, Decision] = {}
    for n, r in enumerate(rows, 2):
        if r.get("decision") not in DECISIONS:
            raise InputError(f"line {n}: decision must be one of {', '.join(DECISIONS)}", path=path)
        if r["decision"] == "relabel" and r.get("relation") not in RELATIONS:
            raise InputError(f"line {n}: relabel needs a relation ({', '.join(RELATIONS)})", path=path)
        d = Decision(r["measure_a"], r["measure_b"], r["decision"], r.get("relation") or "", r.get("note") or "")
        out[d.key] = d
    return out


def dump(decisions: dict[frozenset, Decision]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n")
    w.writerow(FIELDS)
    for d in sorted(decisions.values(), key=lambda d: (d.measure_a, d.measure_b)):
        w.writerow([d.measure_a, d.measure_b, d.decision, d.relation, d.note])
    return buf.getvalue()


def apply(alignment: Alignment, decisions: dict[frozenset, Decision], *, config) -> Alignment:
    """The alignment as reviewed: pairs without a decision are kept by ``config`` (an ``AlignConfig``: the
    probability cutoff with the pair model, else the score threshold and evidence rule). ``alignment`` should
    be computed with settings no stricter than these, so that accepted pairs below them are still there."""
    pairs = []
    for p in alignment.pairs:
        d = decisions.get(frozenset((p.a.measure_id, p.b.measure_id)))
        if d is None:
            if config.keeps(score=p.score, whole=p.whole, evidence=p.evidence, probability=p.probability,
                            template=p.template, identical=p.identical):
                pairs.append(p)
        elif d.decision == "reject":
            continue
        elif d.decision == "relabel":
            pairs.append(replace(p, relation=d.relation, container="" if d.relation != "contains" else p.container
                                 or "a", reason=f"reviewed: {d.relation}"))
        else:
            pairs.append(replace(p, reason=f"reviewed: accepted ({p.reason})"))
    if config.modelled and config.review and config.min_probability is None:
        from .pairmodel import load   # the screening list: the most probable first, at most this many

        best = sorted(pairs, key=lambda p: (not p.reason.startswith("reviewed:"), not p.identical,
                                            -(p.probability or 0.0), p.a.measure_id, p.b.measure_id)
                      )[:load().review_max_pairs]
        keep = {id(p) for p in best}
        pairs = [p for p in pairs if id(p) in keep]   # in their document order, as without decisions
    if config.mode == "series":
        pairs = series_selection(pairs)
    matched = {x for p in pairs if p.relation != "restates" for x in (p.a.measure_id, p.b.measure_id)}
    unique = list(alignment.unique)
    seen = {m.measure_id for m in unique}
    for p in alignment.pairs:  # measures whose only pairs were rejected or fell below the threshold
        for m in (p.a, p.b):
            if m.measure_id not in matched and m.measure_id not in seen:
                seen.add(m.measure_id)
                unique.append(m)
    return Alignment(tuple(pairs), tuple(unique), alignment.candidates, config)


def file_for(paths: list[Path] | None, bundled: Path) -> Path:
    """Where the review of a corpus lives: next to it (the folder given, or the folder of the first file)."""
    if not paths:
        # the checkout's corpus keeps its decisions beside it; an installed package's corpus is not the
        # researcher's folder: there the decisions live in the current folder
        return bundled / FILE if (bundled.parent / "pyproject.toml").is_file() else Path.cwd() / FILE
    first = Path(paths[0])
    return (first if first.is_dir() else first.parent) / FILE
