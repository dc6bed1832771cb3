"""Command line: ``policy-compare segment|align|gaps|evolve|report [PATH ...]``, ``policy-compare diff OLD NEW``."""
from __future__ import annotations

import argparse
import os
import json
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

from . import __version__
from .align import AlignConfig
from .config import Config
from .errors import CompareError, CompareWarning, ConfigError
from .ingest import SUFFIXES as INPUT_SUFFIXES
from .roles import DEFAULT_ROLES, ROLES, parse_roles
from . import pipeline


def _config(args: argparse.Namespace) -> Config:
    return Config(level=getattr(args, "level", "coarse"), allow_outside_corpus=args.allow_outside)


def _outside_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--allow-outside", action="store_true",
                        help="let a corpus.toml name files outside its own folder (refused by default: trust the "
                             "corpus.toml first)")


def _workers(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError("--workers is 0 (every core) or more")
    return n


def _workers_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=_workers, default=None, metavar="N",
                        help="processes to read, segment and score in (0: every core; default 1, with --engine "
                             "dask every core); the output is the same, byte for byte")
    parser.add_argument("--engine", choices=["local", "dask"], default="local",
                        help="local: this process and --workers forked ones; dask: a dask.distributed cluster "
                             "(a LocalCluster of --workers processes, or --scheduler's); the same output")
    parser.add_argument("--scheduler", metavar="ADDRESS", default=None,
                        help="with --engine dask: the scheduler of a running cluster (tcp://host:8786); every "
                             "worker needs policy-compare installed")
    parser.add_argument("--dashboard", metavar="ADDRESS", default=None,
                        help="with --engine dask: serve Dask's dashboard (task stream, progress, memory of each "
                             "worker) at ADDRESS (:8787, or 127.0.0.1:0 for any free port; needs bokeh) and "
                             "print its link; with --scheduler, the link of that cluster's dashboard is printed")


def _path(text: str) -> Path:
    """A PATH argument: an empty one ("" from an unset shell variable) is refused, not read as the working
    directory."""
    if not text:
        raise argparse.ArgumentTypeError("an empty path: give a document or a folder (or no path: the bundled "
                                         "corpus)")
    return Path(text)


def _command(sub, name: str, help_text: str, paths_help: str) -> argparse.ArgumentParser:
    """A sub-command over documents: PATHs, --level, --format jsonl|csv|table, --out."""
    c = sub.add_parser(name, help=help_text)
    c.add_argument("paths", nargs="*", type=_path, metavar="PATH", help=paths_help)
    c.add_argument("--level", choices=["coarse", "fine"], default="coarse",
                   help="coarse: numbered items; fine: their sub-items (default: coarse)")
    c.add_argument("--format", choices=["jsonl", "csv", "table"], default=None,
                   help="output format (default: table without --out, else the --out file's extension)")
    c.add_argument("--quiet", action="store_true", help="no progress bars (they show only on a terminal)")
    _outside_option(c)
    _workers_option(c)
    c.add_argument("--out", type=Path, help="write to this file (atomically) instead of standard output, in the "
                   "format its extension names: .jsonl .csv (UTF-8 with BOM, for Excel) .xlsx .parquet")
    return c


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="policy-compare",
                                description="Compare Chinese policy documents measure by measure.")
    p.add_argument("--version", action="version", version=f"policy-compare {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    corpus_help = ("documents (.txt, .md, .pdf, .docx, .html), folders of them, or a corpus.toml (default: the "
                   "bundled corpus)")
    sg = _command(sub, "segment", "split documents into segments with roles (default: the bundled corpus)",
                  corpus_help)
    _roles_option(sg, ROLES)
    al = _command(sub, "align", "find matching measures across documents (default: the bundled corpus)",
                  corpus_help)
    al.add_argument("--mode", choices=["cross", "series"], default="cross",
                    help="cross: many-to-many across documents; series: consecutive versions, one-to-one")
    _pair_filters(al)
    _roles_option(al, DEFAULT_ROLES)
    al.add_argument("--out-parts", type=Path, metavar="FOLDER", default=None,
                    help="write the pairs as a folder of Parquet parts (part-00000.parquet …, "
                         f"{pipeline.PAIRS_PER_PART:,} pairs each, and _manifest.json), each part written as "
                         "soon as its rows are made: for large corpora; pandas.read_parquet(FOLDER) reads them as "
                         "one table. The folder must be new, empty or written so before; it is replaced whole")
    ev = _command(sub, "evolve", "follow measures through ordered batches or versions",
                  "documents of one or more series (corpus.toml's series, or versions named 名称(YYYY-MM-DD)), "
                  "each followed in the order of its batches and dates; default: every series of the bundled "
                  "corpus")
    ev.add_argument("--series", metavar="NAME",
                    help="a series from the corpus metadata (or the title of dated versions) among PATHs or "
                         "the bundled corpus")
    ev.add_argument("--in-order", action="store_true",
                    help="follow the documents given in the order given, as one series")
    _roles_option(ev, ROLES)
    gp = _command(sub, "gaps", "measures of some documents with no counterpart in others (default: between "
                  "every two regions of the bundled corpus)", corpus_help)
    gp.add_argument("--a", action="append", default=None, metavar="SELECTOR",
                    help="the side whose measures are listed: a document id, region:R (any spelling: "
                         "region:Beijing, region:北京市 (海淀区), region:Shenzhen), series:NAME or kind:K; repeat "
                         "for several (their union)")
    gp.add_argument("--b", action="append", default=None, metavar="SELECTOR",
                    help="the side a counterpart is looked for in (as --a); without --a and --b: between every two "
                         "regions, both ways, as the report counts them")
    _pair_filters(gp)
    _roles_option(gp, DEFAULT_ROLES)
    rp = sub.add_parser("report", help="write the overlap and gap report (HTML + CSV/Parquet/Excel)")
    rp.add_argument("paths", nargs="*", type=_path, metavar="PATH",
                    help=corpus_help)
    rp.add_argument("--out", type=Path, default=None,
                    help="output folder (default: ./reports/<name>/ in the current folder, name 'bundled' or "
                         "the first PATH's name)")
    _pair_filters(rp)
    _roles_option(rp, DEFAULT_ROLES)
    rp.add_argument("--level", choices=["coarse", "fine"], default="coarse", help="measure level")
    rp.add_argument("--title", default=None,
                    help="title of the report page (default: 'policy-compare report: ' and the first PATH's name)")
    rp.add_argument("--quiet", action="store_true", help="no progress bars (they show only on a terminal)")
    _outside_option(rp)
    _workers_option(rp)
    df = sub.add_parser("diff", help="wording diff of two measures (ids from segment) or two texts")
    df.add_argument("old", metavar="OLD", help="a measure id (from segment), or a text with --text")
    df.add_argument("new", metavar="NEW", help="a measure id, or a text with --text")
    df.add_argument("--text", action="store_true", help="OLD and NEW are texts, not measure ids")
    df.add_argument("--corpus", type=_path, nargs="*", default=None, metavar="PATH",
                    help="where to look the measure ids up (default: the bundled corpus)")
    _outside_option(df)
    df.add_argument("--unit", choices=["char", "word"], default="char", help="characters or jieba words")
    df.add_argument("--format", choices=["text", "html", "json"], default="text")
    df.add_argument("--show-trivial", action="store_true",
                    help="also show punctuation, enumerator, space and region-name differences")
    return p


def _diff(args: argparse.Namespace) -> int:
    from .changes import classify, summary
    from .diff import diff_sides, render_text, text_side, to_dict

    if args.text:
        old, new = text_side(args.old), text_side(args.new)
        where = ""
    else:
        if all(Path(x).is_file() for x in (args.old, args.new)):
            raise CompareError(
                f"{args.old} and {args.new} are files: diff compares two measures (ids from 'policy-compare "
                "segment') or, with --text, two texts. For two versions of a document: 'policy-compare evolve "
                "OLD NEW --in-order' lists every measure's status and changes (then 'policy-compare diff ID ID "
                "--corpus OLD NEW' shows one), and 'policy-compare report OLD NEW' shows the redlines")
        loaded = _load(args.corpus or [], _config(args))   # documents it cannot read are named, not passed over
        try:
            old, new, where = pipeline.find_measure_sides([args.old, args.new], loaded=loaded)
        except CompareError as exc:
            if args.corpus:
                raise
            raise CompareError(f"{exc.message}; looked up in the bundled corpus: give --corpus PATH … to look in "
                               "your documents") from None
    d = diff_sides(old, new, unit=args.unit)
    changes = classify(d)
    if args.format == "json":
        out = {**to_dict(d, show_trivial=args.show_trivial), "changes": [
            {"kind": c.kind, "direction": c.direction, "old": c.old, "new": c.new, "old_span": list(c.old_span),
             "new_span": list(c.new_span), "detail": c.detail} for c in changes], "summary": summary(changes)}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    elif args.format == "html":   # a standalone page: the side-by-side redline
        from . import redline

        titles = where.split("  ->  ") if where else ["old", "new"]
        block = redline.render(old, new, title_old=titles[0], title_new=titles[-1],
                               header=f"changes: {summary(changes) or 'none'}")
        sys.stdout.write(redline.page(block, title=where or "policy-compare diff"))
    else:
        if where:
            sys.stdout.write(where + "\n")
        sys.stdout.write(render_text(d, show_trivial=args.show_trivial) + "\n")
        sys.stdout.write(f"changes: {summary(changes) or 'none'}\n")
        for c in changes:
            sys.stdout.write(f"  {c.kind}:{c.direction}  {c.old or '∅'} -> {c.new or '∅'}"
                             f"{'  (' + c.detail + ')' if c.detail else ''}\n")
    return 1 if not args.text and loaded.errors else 0


def _load(paths: list[Path], config: Config, workers: int = 1) -> pipeline.Loaded:
    """Read the documents; report the ones that cannot be read (the others go on)."""
    loaded = pipeline.load(paths or None, config=config, workers=workers)
    for err in loaded.errors:
        print(f"policy-compare: error: {err.message}", file=sys.stderr)
    for path, why in loaded.skipped:
        print(f"policy-compare: not read: {path}: {why}", file=sys.stderr)
    if loaded.skipped:
        print(f"policy-compare: {len(loaded.documents)} document(s) read, {len(loaded.errors)} could not be read, "
              f"{len(loaded.skipped)} file(s) of other types not read", file=sys.stderr)
    if loaded.errors and not loaded.documents:   # as compare.segment raises: nothing to work on is no result
        raise CompareError(f"no document could be read ({len(loaded.errors)} named above)")
    return loaded


def _emit(args: argparse.Namespace, *, table, rows, fields: list[str], what: str) -> None:
    """Write a result as a table, JSONL or CSV to standard output, or atomically to ``--out`` in the format
    its extension names (.jsonl .csv .xlsx .parquet) unless ``--format`` says otherwise."""
    if args.out and not args.format:
        pipeline.write_table(args.out, rows(), fields)
        print(f"wrote {what} to {args.out}", file=sys.stderr)
        return
    fmt = args.format or "table"
    if fmt == "table":
        text = table()
    else:
        data = rows()
        text = pipeline.to_jsonl(data) if fmt == "jsonl" else pipeline.to_csv(data, fields)
    if args.out:
        pipeline.write_atomic(args.out, text)
        print(f"wrote {what} to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def _evolve(args: argparse.Namespace) -> int:
    config = _config(args)
    loaded = _load(args.paths, config, args.workers)
    series, alone = pipeline.series_to_follow(loaded.documents, series=args.series, in_order=args.in_order,
                                              given=bool(args.paths))
    if alone:
        print(f"policy-compare: in no series, not followed: {', '.join(alone[:10])}"
              f"{' …' if len(alone) > 10 else ''}", file=sys.stderr)
    evolutions = [pipeline.evolve_documents(docs, config=config, roles=args.roles, workers=args.workers)
                  for docs in series]
    unlike = [t for e, docs in zip(evolutions, series) for t in pipeline.unlike_kinds(e, docs)]
    if unlike and (args.out or (args.format or "table") != "table"):   # the table says it under its counts
        print(f"policy-compare: {pipeline.UNLIKE_KINDS}: {'; '.join(unlike)}", file=sys.stderr)
    _emit(args, table=lambda: "\n".join(pipeline.evolution_table(e, docs) for e, docs in zip(evolutions, series)),
          rows=lambda: [r for e in evolutions for r in pipeline.step_rows(e)], fields=pipeline.STEP_FIELDS,
          what=f"{sum(len(e.steps) for e in evolutions)} steps of {len(evolutions)} series")
    return 1 if loaded.errors else 0


def _roles_arg(value: str) -> tuple[str, ...]:
    try:
        return parse_roles(value)
    except CompareError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _roles_option(parser: argparse.ArgumentParser, default: tuple[str, ...]) -> None:
    parser.add_argument("--roles", type=_roles_arg, default=default, metavar="R[,R…]",
                        help=f"segment roles to use: 'all' or a comma-separated list of {', '.join(ROLES)} "
                             f"(default: {','.join(default)})")


def _between(lo: float, hi: float, what: str) -> Callable[[str], float]:
    """An argparse type: a number from ``lo`` to ``hi`` (nan refused), an error in the option's words."""
    def parse(value: str) -> float:
        try:
            x = float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
        if not lo <= x <= hi:
            raise argparse.ArgumentTypeError(f"{what} is between {lo:g} and {hi:g}, not {value}")
        return x
    return parse


_probability = _between(0, 1, "a probability")
_score = _between(0, 100, "a similarity score")


def _pair_filters(parser: argparse.ArgumentParser) -> None:
    """The settings that decide which pairs are kept: the pair model's probability (cross mode), the review
    list, a minimum similarity score, an optional evidence rule; the researcher's decisions."""
    from .pairmodel import load

    model = load()
    parser.add_argument("--decisions", type=Path, default=None, metavar="FILE",
                        help="review decisions to apply (accept/reject/relabel, tab-separated; default: "
                             "review.tsv next to the corpus, when there is one)")
    parser.add_argument("--min-probability", type=_probability, default=None, metavar="P",
                        help="cross mode: keep pairs the pair model gives at least this probability "
                             f"(default {model.min_probability:g}, precision first)")
    parser.add_argument("--review", action="store_true",
                        help="cross mode: the screening list instead: recall first (probability ≥ "
                             f"{model.review_probability:g}), the {model.review_max_pairs} most probable pairs "
                             "at most, for a researcher to accept or reject")
    parser.add_argument("--threshold", type=_score, default=None, metavar="X",
                        help="minimum similarity score (0-100) of a kept pair: in cross mode pairs scoring below "
                             f"X are not kept (default {AlignConfig().floor:g}, below which only pairs sharing rare "
                             f"wording reach the model); in series mode the keep rule (default "
                             f"{AlignConfig().threshold:g})")
    parser.add_argument("--min-evidence", type=float, default=None, metavar="E",
                        help="and sharing at least E of specific wording (rare 4-grams; the pair model already "
                             "weighs it; default 0: off)")


def _align_config(args: argparse.Namespace, **extra) -> AlignConfig:
    cross = extra.get("mode", "cross") == "cross"
    given = {"floor" if cross else "threshold": args.threshold, "min_evidence": args.min_evidence,
             "roles": args.roles, "min_probability": args.min_probability, "review": args.review or None}
    return AlignConfig(**extra, **{k: v for k, v in given.items() if v is not None})


def _decisions(args: argparse.Namespace) -> Path:
    """The review decisions to apply (--decisions, else the file next to the corpus), said on stderr."""
    from .review import file_for, load

    path = args.decisions or file_for(args.paths, pipeline.BUNDLED_CORPUS)
    if args.decisions and not path.is_file():
        raise CompareError(f"{path}: no such decisions file")
    n = len(load(path))
    if n:
        print(f"policy-compare: applying {n} review decision(s) from {path}", file=sys.stderr)
    return path


def _report(args: argparse.Namespace) -> int:
    # the first PATH's own name (``DIR/..`` is the folder it means, never ``..``)
    name = "bundled" if not args.paths else (Path(os.path.abspath(args.paths[0])).stem or "report")
    out = args.out or (Path.cwd() / "reports" / name)   # outputs go where the researcher works
    if args.out is None:   # the default folder gets the checks an --out gets
        args.out = out
        _check_out(args)
    acfg = _align_config(args)
    index, loaded = pipeline.write_report(args.paths or None, out, config=_config(args), align_config=acfg,
                                          title=args.title, review_file=_decisions(args), workers=args.workers)
    for err in loaded.errors:
        print(f"policy-compare: error: {err.message}", file=sys.stderr)
    for path, why in loaded.skipped:
        print(f"policy-compare: not read: {path}: {why}", file=sys.stderr)
    print(f"report written: {index}")
    return 1 if loaded.errors else 0


def _segment(args: argparse.Namespace) -> int:
    config = _config(args)
    loaded = _load(args.paths, config, args.workers)
    wanted = set(args.roles)
    segmented = [pipeline.Segmented(s.document, tuple(m for m in s.measures if m.role in wanted), s.subdocuments)
                 for s in pipeline.segment_all(loaded.documents, config=config, workers=args.workers)]
    rows = pipeline.measure_rows(segmented)
    _emit(args, table=lambda: pipeline.summary_table(segmented, level=args.level),
          rows=lambda: rows, fields=pipeline.MEASURE_FIELDS,
          what=f"{len(rows)} segments from {len(segmented)} documents")
    return 1 if loaded.errors else 0


def _align(args: argparse.Namespace) -> int:
    config = _config(args)
    acfg = _align_config(args, mode=args.mode)
    loaded = _load(args.paths, config, args.workers)
    if args.out_parts is not None:   # each part written as soon as its pairs are explained
        with pipeline.pair_parts(args.out_parts, loaded, paths=args.paths or None, config=config,
                                 align_config=acfg, workers=args.workers) as parts:
            alignment = pipeline.align_documents(loaded.documents, config=config, align_config=acfg,
                                                 review_file=_decisions(args), workers=args.workers,
                                                 on_pairs=parts.add, pairs_per_call=parts.per_part)
            parts.finish(alignment)
        print(f"wrote {len(alignment.pairs)} pairs ({alignment.candidates} candidates scored) in {parts.count} "
              f"Parquet part(s) to {args.out_parts}", file=sys.stderr)
        return 1 if loaded.errors else 0
    alignment = pipeline.align_documents(loaded.documents, config=config, align_config=acfg,
                                         review_file=_decisions(args), workers=args.workers)
    _emit(args, table=lambda: pipeline.pairs_table(alignment),
          rows=lambda: pipeline.pair_rows(alignment, loaded.documents, workers=args.workers),
          fields=pipeline.PAIR_FIELDS,
          what=f"{len(alignment.pairs)} pairs ({alignment.candidates} candidates scored)")
    return 1 if loaded.errors else 0


def _gaps(args: argparse.Namespace) -> int:
    from .gaps import COLUMNS

    config = _config(args)
    if (args.a is None) != (args.b is None):
        raise CompareError("give both --a and --b (a selector each, such as region:Beijing), or neither: the gaps "
                           "between every two regions")
    loaded = _load(args.paths, config, args.workers)
    by_region = args.a is None or any(x.startswith("region:") for x in args.a + args.b)
    unplaced = [d.id for d in loaded.documents if not d.meta.region]
    if by_region and unplaced:   # said, not left out silently
        print(f"policy-compare: {len(unplaced)} document(s) have no region, so no region: selector or gap between "
              f"regions counts them: {', '.join(unplaced[:5])}{' …' if len(unplaced) > 5 else ''} (give their "
              "region in a corpus.toml, or choose them by id)", file=sys.stderr)
    one = (lambda sel: sel[0] if sel and len(sel) == 1 else sel)
    gaps = pipeline.find_gaps(loaded.documents, a=one(args.a), b=one(args.b), config=config,
                              align_config=_align_config(args), review_file=_decisions(args), workers=args.workers)
    _emit(args, table=lambda: pipeline.gaps_table(gaps), rows=lambda: gaps.to_dict("records"), fields=COLUMNS,
          what=f"{len(gaps)} measures without a counterpart")
    return 1 if loaded.errors else 0


def _check_out(args: argparse.Namespace) -> None:
    """Before any work: an --out that is one of the inputs, a folder where a file is meant (or a file where a
    folder is meant), or a place that cannot be written is refused at once, not after the whole run."""
    out = getattr(args, "out", None)
    parts = getattr(args, "out_parts", None)
    if parts is not None:
        if out is not None or args.format is not None:
            raise CompareError("give --out-parts (a folder of Parquet parts) or --out/--format, not both")
        pipeline.check_report_folder(parts, pipeline.PARTS_FOLDER)
        out = parts
        if any(Path(p).exists() and Path(p).resolve() == parts.resolve() for p in (args.paths or [])):
            raise CompareError(f"{parts}: --out-parts is an input; choose another folder")
    if out is None:
        return
    out = Path(out)
    inputs = [Path(p) for p in (getattr(args, "paths", None) or [])]
    try:
        resolved = out.resolve()
        for p in inputs:
            if p.is_file() and p.name == "corpus.toml":   # the folder it describes is the input
                p = p.parent
            if p.is_dir() and resolved.parent == p.resolve() and out.name == "corpus.toml":
                raise CompareError(f"{out}: --out is the input folder's corpus.toml; choose another file")
            if p.exists() and (resolved == p.resolve() or (p.is_dir() and args.command != "report"
                                                          and resolved.is_relative_to(p.resolve())
                                                          and out.suffix.lower() in INPUT_SUFFIXES)):
                raise CompareError(f"{out}: --out is an input document; choose another file")
    except OSError as exc:
        raise CompareError(f"{out}: --out cannot be used: {exc.strerror or exc}") from None
    if args.command == "report":
        pipeline.check_report_folder(out)
        where = out.resolve()
        for p in inputs:
            if p.exists() and (p.resolve() == where or p.resolve().is_relative_to(where)
                               or (p.is_dir() and where.is_relative_to(p.resolve()))):
                raise CompareError(f"{out}: --out is inside an input folder or holds the inputs (the report would "
                                   "be read back as documents); choose another folder")
    elif out.is_dir() and parts is None:
        raise CompareError(f"{out}: --out is a folder; give a file name (.jsonl .csv .xlsx .parquet)")
    parent = out.parent   # where the output (a report: its new folder beside the old one) is created
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not os.access(parent, os.W_OK | os.X_OK):
        raise CompareError(f"{out}: --out cannot be written (no permission in {parent})")


class _Warnings:
    """The engine's warnings (:class:`CompareWarning`) on stderr as they come, each once; past ``limit`` only
    counted, and the count said at the end."""

    def __init__(self, limit: int = 10):
        self.limit, self.seen, self.more = limit, set(), 0

    def show(self, message, category, *rest, **kw) -> None:
        if not issubclass(category, CompareWarning):
            return self.default(message, category, *rest, **kw)
        text = str(message)
        if text in self.seen:
            return
        self.seen.add(text)
        if len(self.seen) > self.limit:
            self.more += 1
        else:
            print(f"policy-compare: warning: {text}", file=sys.stderr)

    def __enter__(self):
        self.catcher = warnings.catch_warnings()
        self.catcher.__enter__()
        warnings.simplefilter("always", CompareWarning)
        self.default, warnings.showwarning = warnings.showwarning, self.show
        return self

    def __exit__(self, *exc) -> None:
        self.catcher.__exit__(*exc)
        if self.more:
            print(f"policy-compare: warning: {self.more} more warning(s) like these not shown", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    # file names that are not UTF-8 reach the terminal escaped instead of stopping the run
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = _parser().parse_args(argv)
    from . import progress

    progress.enable(sys.stderr.isatty() and not getattr(args, "quiet", True))
    with _Warnings():
        return _run(args)


def _engine(args: argparse.Namespace):
    """Where the parallel stages run: a Dask cluster (started here, or the one at --scheduler), else this
    process and ``--workers`` forked ones. A context manager giving what the stages take as ``workers``."""
    from contextlib import nullcontext

    if getattr(args, "engine", "local") == "dask" or getattr(args, "scheduler", None):
        from .parallel import DaskEngine

        return _Announced(DaskEngine(address=args.scheduler, workers=args.workers, dashboard=args.dashboard),
                          args.dashboard is not None)
    if getattr(args, "dashboard", None) is not None:
        raise ConfigError("--dashboard is Dask's: use it with --engine dask (or --scheduler)")
    return nullcontext(getattr(args, "workers", None) or 1)


class _Announced:
    """A DaskEngine that prints its dashboard's link on stderr once the cluster is up (when asked)."""

    def __init__(self, engine, announce: bool):
        self.engine, self.announce = engine, announce

    def __enter__(self):
        engine = self.engine.__enter__()
        if self.announce:
            link = engine.dashboard_link
            print(f"policy-compare: Dask dashboard: {link}" if link else
                  "policy-compare: this Dask cluster serves no dashboard", file=sys.stderr)
        return engine

    def __exit__(self, *exc):
        return self.engine.__exit__(*exc)


def _run(args: argparse.Namespace) -> int:
    try:
        _check_out(args)   # before any work, and before a cluster is started
        with _engine(args) as workers:
            args.workers = workers
            return _command_of(args)
    except CompareError as exc:
        print(f"policy-compare: error: {exc.message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as exc:   # a path the system refuses (too long, no permission, …): named, not a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"policy-compare: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:   # outputs are written atomically: the previous ones are intact
        return _interrupted()
    except SystemError as exc:   # Ctrl-C inside a compiled (numba) kernel arrives wrapped in a SystemError
        if not _caused_by_interrupt(exc):
            raise
        return _interrupted()


def _interrupted() -> int:
    print("policy-compare: interrupted; each output file is either as it was or completely written", file=sys.stderr)
    return 130


def _caused_by_interrupt(exc: BaseException) -> bool:
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _command_of(args: argparse.Namespace) -> int:
    commands = {"segment": _segment, "align": _align, "gaps": _gaps, "diff": _diff, "evolve": _evolve,
                "report": _report}
    return commands[args.command](args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
