"""policy-compare: compare Chinese policy documents measure by measure.

Pipeline: ingest -> normalize -> segment -> keys/candidates -> align -> diff/changes -> evolve -> report;
widgets for JupyterLab; pipeline does the file I/O; cli is the command line.
"""
from __future__ import annotations

__version__ = "0.1.0"

from .config import Config  # noqa: E402
from .errors import CompareError, ConfigError, InputError, MetadataError  # noqa: E402

__all__ = ["Config", "CompareError", "ConfigError", "InputError", "MetadataError", "__version__", "segment", "align",
           "gaps"]


def _segment(paths=None, *, level: str = "coarse", roles="all", workers: int = 1):
    """The segments of the documents under ``paths`` (the bundled corpus when None) as a DataFrame, one row
    per segment (the columns of ``policy-compare segment``); ``workers`` processes (0: every core), the same
    rows."""
    import pandas as pd

    from . import pipeline
    from .roles import parse_roles, select

    loaded = pipeline.load([__import__("pathlib").Path(p) for p in paths] if paths else None,
                           config=Config(level=level), workers=workers)
    rows = [m.to_dict() for s in pipeline.segment_all(loaded.documents, config=Config(level=level), workers=workers)
            for m in select(list(s.measures), parse_roles(roles))]
    return pd.DataFrame(rows)


def _align(paths=None, *, level: str = "coarse", min_probability: float | None = None, review: bool = False,
          roles=("measure", "goal"), workers: int = 1):
    """The aligned pairs of the documents under ``paths`` (the bundled corpus when None) as a DataFrame:
    the default operating point, ``min_probability`` as the user's cutoff, or ``review=True`` for the
    screening list (the columns of ``policy-compare align``); ``workers`` processes (0: every core), the same
    pairs."""
    from . import pipeline
    from .align import AlignConfig, to_frame

    loaded = pipeline.load([__import__("pathlib").Path(p) for p in paths] if paths else None,
                           config=Config(level=level), workers=workers)
    cfg = AlignConfig(roles=tuple(roles), review=review,
                      **({"min_probability": min_probability} if min_probability is not None else {}))
    return to_frame(pipeline.align_documents(loaded.documents, config=Config(level=level), align_config=cfg,
                                             workers=workers))


def _gaps(paths=None, *, a, b, level: str = "coarse", roles=("measure", "goal")):
    """Measures of the documents ``a`` selects with no counterpart in those ``b`` selects, as a DataFrame.
    Selectors: a document id, ``region:Beijing`` (with its districts), ``series:NAME``, ``kind:plan``, or a
    list of these. ``compare.gaps(a="region:Beijing", b="region:Chongqing")`` on the bundled corpus."""
    from pathlib import Path

    from . import pipeline, report
    from .align import AlignConfig
    from .gaps import directional, select as choose
    from .roles import select

    cfg = Config(level=level)
    loaded = pipeline.load([Path(p) for p in paths] if paths else None, config=cfg)
    every = [m for s in pipeline.segment_all(loaded.documents, config=cfg) for m in s.measures]
    alignment = pipeline.align_documents(loaded.documents, config=cfg, align_config=AlignConfig(roles=tuple(roles)))
    data = report.build(loaded.documents, select(every, tuple(roles)), alignment, [], segments=every)
    return directional(data.measures, data.pairs, choose(data.documents, a), choose(data.documents, b),
                       name_a=str(a), name_b=str(b))


# The verbs carry the names of the modules that implement them (compare/align.py, segment.py, gaps.py). Importing
# such a module would set the package's attribute to the module: the package keeps its verbs instead (the
# modules stay reachable as ``from compare.align import to_frame``), and nothing heavy is imported with it.
import sys as _sys  # noqa: E402
import types as _types  # noqa: E402

_VERBS = {"segment": _segment, "align": _align, "gaps": _gaps}
for _n, _f in _VERBS.items():
    _f.__name__ = _f.__qualname__ = _n


class _Package(_types.ModuleType):
    def __setattr__(self, name, value):
        if name in _VERBS and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package
segment, align, gaps = _segment, _align, _gaps
del _n, _f
