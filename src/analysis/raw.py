"""Raw inputs: read the document registry and decode the source files it names."""

from __future__ import annotations

import csv
import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from .config import REGISTRY_NAME
from .errors import RegistryError, SourceFileError

log = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("doc_id", "file", "level", "region")
#: Registry columns in their documented order; only REQUIRED_COLUMNS must be present.
REGISTRY_COLUMNS = (
    "doc_id",
    "file",
    "level",
    "region",
    "doc_type",
    "title",
    "issuer",
    "doc_number",
    "issued_date",
    "period_start",
    "period_end",
    "starts_at",
    "source_format",
    "notes",
)
LEVELS = ("national", "provincial", "municipal", "county")
SOURCE_FORMATS = ("", "pdf", "web", "plain")
#: Share of control characters above which decoded text is treated as binary.
_BINARY_CONTROL_SHARE = 0.05
#: C0 control characters that do not occur in text (line ends and tabs do).
_CONTROL_CHARACTERS = tuple(chr(c) for c in range(32) if chr(c) not in "\n\r\t\f\v")


_DATE_FORMATS = [
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
]


def normalize_date(value: str) -> str:
    """Return a registry date as ``YYYY-MM-DD``; accepts 2022-07-25, 2022/7/25, 2022.7.25,
    2022年7月25日 and 20220725. Raises ValueError for anything else or an impossible date."""
    for pattern in _DATE_FORMATS:
        match = pattern.fullmatch(value.strip())
        if match:
            return date(int(match["y"]), int(match["m"]), int(match["d"])).isoformat()
    raise ValueError(f"'{value}' is not a date (use YYYY-MM-DD)")


@dataclass(frozen=True)
class DecodedFile:
    """A source file's text and how it was decoded."""

    path: Path
    text: str
    encoding: str
    sha256: str


def read_registry(raw_dir: Path) -> pd.DataFrame:
    """Read and validate ``documents.csv`` in ``raw_dir``.

    Parameters
    ----------
    raw_dir : pathlib.Path
        Folder holding the registry and the source files.

    Returns
    -------
    pandas.DataFrame
        One row per document, all columns of :data:`REGISTRY_COLUMNS` (missing optional
        columns are added blank), every value a stripped string.

    Raises
    ------
    RegistryError
        If the registry is missing, lacks a required column, has a blank required value,
        a duplicate ``doc_id``, an unknown ``level`` or names a file that does not exist.
    """
    path = Path(raw_dir) / REGISTRY_NAME
    if not path.is_file():
        raise RegistryError(f"{path}: document registry not found (expected {REGISTRY_NAME})")
    try:
        registry = pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8-sig", comment=None
        )
    except pd.errors.EmptyDataError:
        raise RegistryError(f"{path}: the registry is empty (expected a header row and one "
                            "row per document)") from None  # fmt: skip
    except (UnicodeDecodeError, pd.errors.ParserError, csv.Error) as exc:
        raise RegistryError(f"{path}: cannot read the registry as UTF-8 CSV ({exc})") from exc
    if registry.empty:
        raise RegistryError(f"{path}: the registry lists no document (only a header row)")
    registry.columns = [str(c).strip() for c in registry.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in registry.columns]
    if missing:
        raise RegistryError(f"{path}: required column(s) missing: {', '.join(missing)}")
    registry = registry.apply(lambda col: col.str.strip())
    for column in REGISTRY_COLUMNS:
        if column not in registry.columns:
            registry[column] = ""
    extra = [c for c in registry.columns if c not in REGISTRY_COLUMNS]
    registry = registry[list(REGISTRY_COLUMNS) + extra]
    for row_no, row in enumerate(registry.itertuples(index=False), start=2):
        for column in REQUIRED_COLUMNS:
            if not getattr(row, column):
                raise RegistryError(f"{path}, line {row_no}: required value '{column}' is blank")
        if row.level not in LEVELS:
            raise RegistryError(
                f"{path}, line {row_no}: level '{row.level}' is not one of {', '.join(LEVELS)}"
            )
        if row.source_format not in SOURCE_FORMATS:
            raise RegistryError(
                f"{path}, line {row_no}: source_format '{row.source_format}' is not one of "
                "pdf, web, plain (or blank to detect)"
            )
        if row.issued_date:
            try:
                registry.loc[row_no - 2, "issued_date"] = normalize_date(row.issued_date)
            except ValueError as exc:
                raise RegistryError(f"{path}, line {row_no}: issued_date {exc}") from exc
        for column in ("period_start", "period_end"):
            value = getattr(row, column)
            if value and not re.fullmatch(r"(19|20)\d{2}", value):
                raise RegistryError(f"{path}, line {row_no}: {column} '{value}' is not a year")
        _check_inside(Path(raw_dir), row.file, f"{path}, line {row_no}", row.doc_id)
        source = Path(raw_dir) / row.file
        if not source.is_file():
            raise RegistryError(
                f"{path}, line {row_no}: file '{row.file}' for doc_id '{row.doc_id}' not found"
            )
    duplicated = registry.loc[registry["doc_id"].duplicated(), "doc_id"].tolist()
    if duplicated:
        raise RegistryError(f"{path}: duplicate doc_id: {', '.join(sorted(set(duplicated)))}")
    unregistered = sorted(
        p.name
        for p in Path(raw_dir).iterdir()
        if p.is_file() and p.name != REGISTRY_NAME and not p.name.startswith(".")
        if p.name not in set(registry["file"])
    )
    for name in unregistered:
        log.warning("%s: file in the raw folder has no registry row; it is ignored", name)
    return registry.reset_index(drop=True)


def _check_inside(raw_dir: Path, file: str, where: str, doc_id: str) -> None:
    """Refuse a registry ``file`` that leads outside the raw folder: an absolute path, a ``..``
    step, or a link (of the file or of a folder on its way) whose target is outside."""
    relative = Path(file)
    if relative.is_absolute() or relative.drive or ".." in relative.parts:
        raise RegistryError(f"{where}: file '{file}' for doc_id '{doc_id}' is not a path inside "
                            f"the raw folder {raw_dir} (absolute paths and '..' are refused)")  # fmt: skip
    root = raw_dir.resolve()
    target = (raw_dir / relative).resolve()
    if target != root and root not in target.parents:
        raise RegistryError(f"{where}: file '{file}' for doc_id '{doc_id}' is a link to "
                            f"{target}, outside the raw folder {raw_dir}")  # fmt: skip


def decode_file(path: Path) -> DecodedFile:
    """Read a source file and decode it as UTF-8 (with or without BOM), UTF-16 or GB18030.

    Parameters
    ----------
    path : pathlib.Path
        The file to read.

    Returns
    -------
    DecodedFile
        The decoded text (line ends untouched), the encoding used and the SHA-256 of the bytes.

    Raises
    ------
    SourceFileError
        If the file is empty, looks binary, or is valid in none of the encodings.
    """
    path = Path(path)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise SourceFileError(f"{path}: the document is empty")
    text, encoding = _decode_bytes(data, path)
    if not text.strip():
        raise SourceFileError(f"{path}: the document is empty")
    controls = sum(text.count(ch) for ch in _CONTROL_CHARACTERS)
    if controls > max(10, _BINARY_CONTROL_SHARE * len(text)):
        raise SourceFileError(
            f"{path}: looks like a binary file ({controls} control characters), not text"
        )
    return DecodedFile(path=path, text=text, encoding=encoding, sha256=digest)


def _decode_bytes(data: bytes, path: Path) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise SourceFileError(f"{path}: has a UTF-16 byte-order mark but {exc}") from exc
    if b"\x00" in data:
        raise SourceFileError(f"{path}: looks like a binary file (contains NUL bytes), not text")
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return data.decode("utf-8-sig"), "utf-8-sig"
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError as gb_error:
            raise SourceFileError(
                f"{path}: cannot be decoded as UTF-8 ({utf8_error.reason} at byte "
                f"{utf8_error.start}) or GB18030 ({gb_error.reason} at byte {gb_error.start}); "
                "the file may be truncated or in another encoding"
            ) from gb_error
