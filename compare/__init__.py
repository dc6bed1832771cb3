"""policy-compare: compare Chinese policy documents measure by measure.

Pipeline: ingest -> normalize -> segment -> keys/candidates -> align -> diff/changes -> evolve -> report;
widgets for JupyterLab; pipeline does the file I/O; cli is the command line.
"""
from __future__ import annotations

__version__ = "0.1.0"

from .config import Config  # noqa: E402
from .errors import CompareError, ConfigError, InputError, MetadataError  # noqa: E402

__all__ = ["Config", "CompareError", "ConfigError", "InputError", "MetadataError", "__version__"]
