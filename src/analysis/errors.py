"""Exception classes: every error names the file, row or value that caused it."""

from __future__ import annotations


class KexieError(Exception):
    """Base class for every error this package raises on bad input."""


class RegistryError(KexieError):
    """The document registry (``documents.csv``) is missing or malformed."""


class SourceFileError(KexieError):
    """A registered source file is missing, undecodable, binary or empty."""


class OutputError(KexieError):
    """An output could not be written."""


class ResourceError(KexieError):
    """A researcher-editable resource file (``resources/``) is malformed."""


class LabelError(KexieError):
    """A hand-label file (``../shared/gold``) is malformed."""
