"""Table output: UTF-8-with-BOM CSVs written atomically, and only when their bytes change."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

#: Encoding of every CSV: UTF-8 with a byte-order mark, so Excel on Chinese Windows opens it.
CSV_ENCODING = "utf-8-sig"
#: Floats in CSVs: six significant digits (the tables' precision; identical inputs, identical bytes).
FLOAT_FORMAT = "%.6g"


def csv_bytes(table: pd.DataFrame) -> bytes:
    """Serialise a table as the project's CSV (UTF-8 with BOM, ``\\n`` line ends, no index).

    Parameters
    ----------
    table : pandas.DataFrame
        The table to serialise.

    Returns
    -------
    bytes
        The file content; identical tables give identical bytes.
    """
    text = _with_formatted_floats(table).to_csv(index=False, lineterminator="\n")
    return text.encode(CSV_ENCODING)


def _with_formatted_floats(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with each float column as the strings ``to_csv(float_format=FLOAT_FORMAT)``
    writes (missing values blank). pandas formats a float column value by value with a
    missing-value check each, the slowest part of writing large tables; here each distinct
    value is formatted once (a large table repeats most of its values)."""
    floats = [i for i, dtype in enumerate(table.dtypes) if pd.api.types.is_float_dtype(dtype)]
    if not floats:
        return table
    table = table.copy(deep=False)
    for i in floats:
        values = table.iloc[:, i].to_numpy(dtype=np.float64, na_value=np.nan)
        # distinct by bit pattern, so 0.0 and -0.0 stay apart ("0" and "-0", as pandas writes)
        codes, distinct = pd.factorize(values.view(np.int64))
        distinct = distinct.view(np.float64)
        text = np.array([FLOAT_FORMAT % value for value in distinct.tolist()], dtype=object)
        text[np.isnan(distinct)] = ""
        table.isetitem(i, text[codes])
    return table


def write_bytes_atomic(path: str | Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A reader never sees a half-written file, and an interrupted write leaves the previous
    file intact. If the file already holds exactly ``data`` it is not touched.

    Parameters
    ----------
    path : str or pathlib.Path
        Destination.
    data : bytes
        Content.

    Returns
    -------
    bool
        True if the file was (re)written, False if it already had this content.
    """
    path = Path(path)
    if _holds(path, data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        _write_new_file(handle, temporary, data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def _holds(path: Path, data: bytes) -> bool:
    return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data


def _write_new_file(handle: int, path: str | Path, data: bytes) -> None:
    """Fill a file just made by ``mkstemp`` and give it the permissions of a normal file."""
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.chmod(path, 0o666 & ~_umask())


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def stage_csvs(tables: dict[str, pd.DataFrame], out_dir: str | Path,
               staging_dir: str | Path) -> dict[str, Path | None]:  # fmt: skip
    """Serialise each table (see :func:`csv_bytes`) into ``staging_dir``, one at a time, for
    :func:`commit_staged` to move into ``out_dir``.

    The build stages the CSVs in a background process while it writes the workbook: only
    the file names come back (not hundreds of megabytes of text through a pipe), and nothing
    reaches ``out_dir`` until the build commits. ``staging_dir`` must be on the same file
    system as ``out_dir`` (a folder inside it), so committing is a rename.

    Returns
    -------
    dict of str to pathlib.Path or None
        ``<name>.csv`` to its staged file, or None when ``out_dir`` already holds these bytes.
    """
    staged: dict[str, Path | None] = {}
    for name, table in tables.items():
        data = csv_bytes(table)
        file_name = f"{name}.csv"
        if _holds(Path(out_dir) / file_name, data):
            staged[file_name] = None
            continue
        handle, temporary = tempfile.mkstemp(dir=staging_dir, prefix=f"{file_name}.")
        _write_new_file(handle, temporary, data)
        staged[file_name] = Path(temporary)
    return staged


def commit_staged(staged: dict[str, Path | None], out_dir: str | Path) -> dict[str, bool]:
    """Move files staged by :func:`stage_csvs` into ``out_dir``, each with one atomic rename:
    file name to whether it was rewritten."""
    for name, temporary in staged.items():
        if temporary is not None:
            os.replace(temporary, Path(out_dir) / name)
    return {name: temporary is not None for name, temporary in staged.items()}


def write_payloads(payloads: dict[str, bytes], out_dir: str | Path) -> dict[str, bool]:
    """Write serialised files into ``out_dir`` atomically: file name to whether it was rewritten."""
    return {name: write_bytes_atomic(Path(out_dir) / name, data) for name, data in payloads.items()}
