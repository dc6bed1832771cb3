"""A small error hierarchy: every error names the file (when there is one) and the reason.

The command line turns any :class:`CompareError` into a one-line message and exit code 2, with no
traceback.
"""
from __future__ import annotations


class CompareError(Exception):
    """Base class of every error the engine raises on purpose."""

    def __init__(self, reason: str, *, path: object | None = None):
        self.reason = reason
        self.path = None if path is None else str(path)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason


class InputError(CompareError):
    """A document or path that cannot be read or decoded."""


class MetadataError(CompareError):
    """A corpus metadata file that is malformed, names unknown fields or missing files."""


class ConfigError(CompareError):
    """An option or configuration value out of range."""


class LookupFailure(CompareError):
    """A measure id, document id or series name that does not exist."""


class CompareWarning(UserWarning):
    """Something a researcher should know that does not stop the run (a document without measures, review
    decisions naming measures that are not there). The command line prints each once on stderr as
    ``policy-compare: warning: …``; in Python they are ordinary warnings."""
