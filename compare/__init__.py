"""policy-compare: compare Chinese policy documents measure by measure.

Pipeline: ingest -> normalize -> segment -> keys/candidates -> align -> diff/changes -> evolve -> report;
widgets for JupyterLab; pipeline does the file I/O; cli is the command line.
"""
from __future__ import annotations

__version__ = "0.1.0"

from .config import Config  # noqa: E402
from .errors import CompareError, ConfigError, InputError, MetadataError  # noqa: E402

__all__ = ["Config", "CompareError", "ConfigError", "InputError", "MetadataError", "__version__", "segment", "align",
           "gaps", "evolve"]


def _load(paths, config: Config, workers: int = 1):
    """The documents under ``paths`` (a path, a list of paths, or None for the bundled corpus; an empty list is an
    ``InputError``, not the bundled corpus), as the command line
    reads them: a document that cannot be read, or a file of another type in a folder given, is a
    ``CompareWarning`` naming the file and the reason (the others go on); when none can be read, the first error
    is raised."""
    import os
    import warnings
    from pathlib import Path

    from . import pipeline
    from .errors import CompareWarning

    if isinstance(paths, (str, os.PathLike)):
        if not str(paths):
            raise InputError("an empty path: give a document or a folder (or no path: the bundled corpus)")
        paths = [paths]
    elif paths is not None:
        paths = list(paths)
        if not paths:   # a glob that matched nothing must not turn into the bundled corpus
            raise InputError("an empty list of paths: no document to read (a pattern that matched nothing?); "
                             "give documents or folders, or no argument for the bundled corpus")
        if any(isinstance(p, str) and not p for p in paths):   # "" (an unset variable) is no working directory
            # (Path("") is Path("."): the working directory asked for, which is read)
            raise InputError(f"an empty path at position {paths.index('') + 1} of the list: "
                             "give a document or a folder")
    loaded = pipeline.load([Path(p) for p in paths] if paths else None, config=config, workers=workers)
    nothing = loaded.errors and not loaded.documents
    for err in loaded.errors[1:] if nothing else loaded.errors:
        warnings.warn(CompareWarning(f"{err.message} (not read: the other documents go on)"), stacklevel=3)
    for path, why in loaded.skipped:
        warnings.warn(CompareWarning(f"{path}: not read: {why}"), stacklevel=3)
    if nothing:   # the others are said above
        raise loaded.errors[0]
    return loaded


def _segment(paths=None, *, level: str = "coarse", roles="all", workers: int = 1):
    """The segments of the documents under ``paths`` (the bundled corpus when None) as a DataFrame, one row
    per segment (the columns of ``policy-compare segment``); ``workers`` processes (0: every core), the same
    rows. ``paths``: a path or a list of paths (files or folders); a document that cannot be read is a
    ``CompareWarning`` that names it, and the others go on."""
    import pandas as pd

    from . import pipeline
    from .records import MEASURE_COLUMNS
    from .roles import parse_roles, select

    loaded = _load(paths, Config(level=level), workers)
    rows = [m.to_dict() for s in pipeline.segment_all(loaded.documents, config=Config(level=level), workers=workers)
            for m in select(list(s.measures), parse_roles(roles))]
    if not rows:
        return pd.DataFrame(columns=list(MEASURE_COLUMNS))
    return pipeline.whole_pages(pd.DataFrame(rows))


def _align(paths=None, *, level: str = "coarse", min_probability: float | None = None, review: bool = False,
          roles=("measure", "goal"), workers: int = 1):
    """The aligned pairs of the documents under ``paths`` (the bundled corpus when None) as a DataFrame:
    the default operating point, ``min_probability`` as the user's cutoff, or ``review=True`` for the
    screening list (the columns of ``policy-compare align``); ``workers`` processes (0: every core), the same
    pairs."""
    from . import pipeline
    from .align import AlignConfig, to_frame

    loaded = _load(paths, Config(level=level), workers)
    cfg = AlignConfig(roles=tuple(roles), review=review,
                      **({"min_probability": min_probability} if min_probability is not None else {}))
    alignment = pipeline.align_documents(loaded.documents, config=Config(level=level), align_config=cfg,
                                         workers=workers)
    frame = to_frame(alignment)
    frame["changes"] = pipeline.pair_changes(alignment.pairs, workers=workers)   # as the command line's rows
    if review:   # the screening list in its order, as align --review writes it: the most probable first
        from .align import screening_order

        pairs = alignment.pairs
        frame = frame.iloc[sorted(range(len(pairs)), key=lambda k: screening_order(pairs[k]))].reset_index(drop=True)
    return frame


def _gaps(paths=None, *, a, b, level: str = "coarse", roles=("measure", "goal"), workers: int = 1):
    """Measures of the documents ``a`` selects with no counterpart in those ``b`` selects, as a DataFrame.
    Selectors: a document id, ``region:Beijing`` (with its districts), ``series:NAME``, ``kind:plan``, or a
    list of these. ``compare.gaps(a="region:Beijing", b="region:Chongqing")`` on the bundled corpus; ``workers``
    processes (0: every core), the same rows."""
    from . import pipeline
    from .align import AlignConfig

    cfg = Config(level=level)
    loaded = _load(paths, cfg, workers)
    return pipeline.find_gaps(loaded.documents, a=a, b=b, config=cfg, align_config=AlignConfig(roles=tuple(roles)),
                              workers=workers)


def _evolve(paths=None, *, series: str | None = None, in_order: bool = False, level: str = "coarse", roles="all",
            workers: int = 1):
    """Each segment followed through the versions or batches of a series, as a DataFrame, one row per step (the
    columns of ``policy-compare evolve``: lineage_id, batch, status — unchanged, moved, revised, merged, split,
    dropped, new —, changes, …). The series: ``series`` by name; ``in_order=True``: the documents of ``paths``
    in the order given, oldest first; else every series they form (corpus.toml's, or versions named
    名称(2020-03-27).md; a document in no series is a ``CompareWarning``). ``compare.evolve()``: the series of the
    bundled corpus."""
    import warnings

    import pandas as pd

    from . import pipeline
    from .errors import CompareWarning
    from .roles import parse_roles

    cfg = Config(level=level)
    loaded = _load(paths, cfg, workers)
    chosen, alone = pipeline.series_to_follow(loaded.documents, series=series, in_order=in_order,
                                              given=paths is not None)
    if alone:
        warnings.warn(CompareWarning(f"in no series, not followed: {', '.join(alone)}"), stacklevel=2)
    rows = [r for docs in chosen
            for r in pipeline.step_rows(pipeline.evolve_documents(docs, config=cfg, roles=parse_roles(roles),
                                                                  workers=workers))]
    return pd.DataFrame(rows) if rows else pd.DataFrame(columns=list(pipeline.STEP_FIELDS))


# The verbs carry the names of the modules that implement them (compare/align.py, segment.py, gaps.py). Importing
# such a module would set the package's attribute to the module: the package keeps its verbs instead (the
# modules stay reachable as ``from compare.align import to_frame``), and nothing heavy is imported with it.
import sys as _sys  # noqa: E402
import types as _types  # noqa: E402

_VERBS = {"segment": _segment, "align": _align, "gaps": _gaps, "evolve": _evolve}
for _n, _f in _VERBS.items():
    _f.__name__ = _f.__qualname__ = _n


class _Package(_types.ModuleType):
    def __setattr__(self, name, value):
        if name in _VERBS and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package
segment, align, gaps, evolve = _segment, _align, _gaps, _evolve
del _n, _f
