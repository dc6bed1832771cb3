"""Command line: ``policy-compare segment|align|evolve [PATH ...]``, ``policy-compare diff OLD NEW``."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .align import AlignConfig
from .config import Config
from .errors import CompareError
from . import pipeline


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="policy-compare",
                                description="Compare Chinese policy documents measure by measure.")
    p.add_argument("--version", action="version", version=f"policy-compare {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    seg = sub.add_parser("segment", help="split documents into measures (default: the bundled corpus)")
    seg.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                     help=".txt/.md files, folders of them, or a corpus.toml (default: the bundled corpus)")
    seg.add_argument("--level", choices=["coarse", "fine"], default="coarse",
                     help="coarse: numbered items; fine: their sub-items (default: coarse)")
    seg.add_argument("--format", choices=["jsonl", "csv", "table"], default=None,
                     help="output format (default: table on a terminal without --out, else jsonl)")
    seg.add_argument("--out", type=Path, help="write to this file (atomically) instead of standard output")
    al = sub.add_parser("align", help="find matching measures across documents (default: the bundled corpus)")
    al.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                    help=".txt/.md files, folders of them, or a corpus.toml (default: the bundled corpus)")
    al.add_argument("--mode", choices=["cross", "series"], default="cross",
                    help="cross: many-to-many across documents; series: consecutive versions, one-to-one")
    al.add_argument("--threshold", type=float, default=None, metavar="X",
                    help=f"keep pairs scoring at least X (0-100; default {AlignConfig().threshold:g})")
    al.add_argument("--level", choices=["coarse", "fine"], default="coarse", help="measure level (default: coarse)")
    al.add_argument("--format", choices=["jsonl", "csv", "table"], default=None,
                    help="output format (default: table without --out, else jsonl)")
    al.add_argument("--out", type=Path, help="write to this file (atomically) instead of standard output")
    ev = sub.add_parser("evolve", help="follow measures through ordered batches or versions")
    ev.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                    help="documents in series order (oldest first); default: every series of the bundled corpus")
    ev.add_argument("--series", metavar="NAME",
                    help="a series from the corpus metadata (or the title of dated versions) among PATHs or "
                         "the bundled corpus")
    ev.add_argument("--level", choices=["coarse", "fine"], default="coarse", help="measure level (default: coarse)")
    ev.add_argument("--format", choices=["jsonl", "csv", "table"], default=None,
                    help="output format (default: table without --out, else jsonl)")
    ev.add_argument("--out", type=Path, help="write to this file (atomically) instead of standard output")
    df = sub.add_parser("diff", help="wording diff of two measures (ids from segment) or two texts")
    df.add_argument("items", nargs=2, metavar=("OLD", "NEW"), help="two measure ids, or two texts with --text")
    df.add_argument("--text", action="store_true", help="OLD and NEW are texts, not measure ids")
    df.add_argument("--corpus", type=Path, nargs="*", default=None, metavar="PATH",
                    help="where to look the measure ids up (default: the bundled corpus)")
    df.add_argument("--unit", choices=["char", "word"], default="char", help="characters or jieba words")
    df.add_argument("--format", choices=["text", "html", "json"], default="text")
    df.add_argument("--show-trivial", action="store_true",
                    help="also show punctuation, enumerator, space and region-name differences")
    return p


def _diff(args: argparse.Namespace) -> int:
    from .changes import classify, summary
    from .diff import diff_sides, render_sides_html, render_text, text_side, to_dict

    if args.text:
        old, new = text_side(args.items[0]), text_side(args.items[1])
        where = ""
    else:
        old, new, where = pipeline.find_measure_sides(args.items, paths=args.corpus)
    d = diff_sides(old, new, unit=args.unit)
    changes = classify(d)
    if args.format == "json":
        out = {**to_dict(d, show_trivial=args.show_trivial), "changes": [
            {"kind": c.kind, "direction": c.direction, "old": c.old, "new": c.new, "old_span": list(c.old_span),
             "new_span": list(c.new_span), "detail": c.detail} for c in changes], "summary": summary(changes)}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    elif args.format == "html":
        kinds: dict[int, list[str]] = {}
        for c in changes:
            kinds.setdefault(c.op, []).append(c.kind)
        sys.stdout.write(render_sides_html(d, old, new, kinds=kinds, show_trivial=args.show_trivial) + "\n")
    else:
        if where:
            sys.stdout.write(where + "\n")
        sys.stdout.write(render_text(d, show_trivial=args.show_trivial) + "\n")
        sys.stdout.write(f"changes: {summary(changes) or 'none'}\n")
        for c in changes:
            sys.stdout.write(f"  {c.kind}:{c.direction}  {c.old or '∅'} -> {c.new or '∅'}"
                             f"{'  (' + c.detail + ')' if c.detail else ''}\n")
    return 0


def _evolve(args: argparse.Namespace) -> int:
    config = Config(level=args.level)
    loaded = pipeline.load(args.paths or None, config=config)
    for err in loaded.errors:
        print(f"policy-compare: error: {err.message}", file=sys.stderr)
    if args.series:
        series = [pipeline.series_documents(loaded.documents, args.series)]
    elif args.paths:
        if len(loaded.documents) < 2:
            raise CompareError("evolve needs at least two documents (oldest first)")
        series = [loaded.documents]
    else:
        series = [pipeline.series_documents(loaded.documents, n) for n in pipeline.series_names(loaded.documents)]
        if not series:
            raise CompareError("no series with two or more documents: give PATHs in order or --series")
    evolutions = [pipeline.evolve_documents(docs, config=config) for docs in series]
    fmt = args.format or ("jsonl" if args.out else "table")
    if fmt == "table":
        text = "\n".join(pipeline.evolution_table(e) for e in evolutions)
    else:
        rows = [r for e in evolutions for r in pipeline.step_rows(e)]
        text = pipeline.to_jsonl(rows) if fmt == "jsonl" else pipeline.to_csv(rows, pipeline.STEP_FIELDS)
    if args.out:
        pipeline.write_atomic(args.out, text)
        print(f"wrote {sum(len(e.steps) for e in evolutions)} steps of {len(evolutions)} series to {args.out}",
              file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 1 if loaded.errors else 0


def _segment(args: argparse.Namespace) -> int:
    config = Config(level=args.level)
    loaded = pipeline.load(args.paths or None, config=config)
    for err in loaded.errors:
        print(f"policy-compare: error: {err.message}", file=sys.stderr)
    segmented = pipeline.segment_all(loaded.documents, config=config)
    fmt = args.format or ("jsonl" if args.out else "table")
    if fmt == "table":
        text = pipeline.summary_table(segmented, level=args.level)
    else:
        rows = pipeline.measure_rows(segmented)
        text = pipeline.to_jsonl(rows) if fmt == "jsonl" else pipeline.to_csv(rows)
    if args.out:
        pipeline.write_atomic(args.out, text)
        n = sum(len(s.measures) for s in segmented)
        print(f"wrote {n} measures from {len(segmented)} documents to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 1 if loaded.errors else 0


def _align(args: argparse.Namespace) -> int:
    config = Config(level=args.level)
    acfg = AlignConfig(mode=args.mode, **({} if args.threshold is None else {"threshold": args.threshold}))
    loaded = pipeline.load(args.paths or None, config=config)
    for err in loaded.errors:
        print(f"policy-compare: error: {err.message}", file=sys.stderr)
    alignment = pipeline.align_documents(loaded.documents, config=config, align_config=acfg)
    fmt = args.format or ("jsonl" if args.out else "table")
    if fmt == "table":
        text = pipeline.pairs_table(alignment)
    else:
        rows = pipeline.pair_rows(alignment, loaded.documents)
        text = pipeline.to_jsonl(rows) if fmt == "jsonl" else pipeline.to_csv(rows, pipeline.PAIR_FIELDS)
    if args.out:
        pipeline.write_atomic(args.out, text)
        print(f"wrote {len(alignment.pairs)} pairs ({alignment.candidates} candidates scored) to {args.out}",
              file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 1 if loaded.errors else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "segment":
            return _segment(args)
        if args.command == "align":
            return _align(args)
        if args.command == "diff":
            return _diff(args)
        if args.command == "evolve":
            return _evolve(args)
    except CompareError as exc:
        print(f"policy-compare: error: {exc.message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
