"""Table output: the project's CSV, UTF-8 with a byte-order mark and stable float formatting."""

from __future__ import annotations

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
        codes, texts = formatted_distinct(table.iloc[:, i].to_numpy(dtype=np.float64,
                                                                     na_value=np.nan))  # fmt: skip
        text = np.array(texts, dtype=object)
        text[text == "nan"] = ""
        table.isetitem(i, text[codes])
    return table


def formatted_distinct(values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Each value's code and each distinct value as :data:`FLOAT_FORMAT` writes it.

    Values are told apart by bit pattern, so 0.0 and -0.0 stay apart ("0" and "-0", as pandas
    writes them); NaN gives "nan". The CSVs and the workbook both round through this, so they
    hold the same digits.
    """
    codes, distinct = pd.factorize(np.asarray(values, dtype=np.float64).view(np.int64))
    return codes, [FLOAT_FORMAT % value for value in distinct.view(np.float64).tolist()]


def read_table_csv(path: str | Path, name: str) -> pd.DataFrame:
    """Read back a table this project wrote (``<name>.csv``), with the registry's column types.

    Text stays text (blank cells are empty strings), blank numbers are missing, and writing
    the result with :func:`csv_bytes` gives the file's bytes again.

    Raises
    ------
    ValueError
        If the file's columns are not the registry's for ``name``.
    OSError, pandas.errors.ParserError
        If the file cannot be read.
    """
    from .registry import PANDAS_DTYPES, table

    spec = table(name)
    numbers = [c.name for c in spec.columns if c.dtype in ("int", "int?", "float")]
    read = pd.read_csv(path, encoding=CSV_ENCODING, dtype=str, keep_default_na=False,
                       na_values=dict.fromkeys(numbers, [""]))  # fmt: skip
    if read.columns.tolist() != spec.column_names:
        raise ValueError(f"{path}: columns {read.columns.tolist()} are not those of {name}")
    types = {c.name: PANDAS_DTYPES[c.dtype] for c in spec.columns if c.dtype != "bool"}
    read = read.astype(types)
    for column in (c.name for c in spec.columns if c.dtype == "bool"):
        if not read[column].isin(["True", "False"]).all():
            raise ValueError(f"{path}: column {column} holds values other than True/False")
        read[column] = read[column].eq("True")
    return read
