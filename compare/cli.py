"""Command line: ``policy-compare segment|align [PATH ...]``."""
from __future__ import annotations

import argparse
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
    return p


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
        rows = pipeline.pair_rows(alignment)
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
    except CompareError as exc:
        print(f"policy-compare: error: {exc.message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
