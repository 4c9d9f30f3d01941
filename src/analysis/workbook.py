"""The comparison workbook: one Excel file researchers share, written by :func:`write_workbook`."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import datetime
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .files import write_bytes_atomic
from .registry import sheet_tables
from .self_reference import shown_table

#: Excel's limit on the characters of one cell.
MAX_CELL_CHARS = 32_767
TRUNCATION_MARKER = "…[truncated: {n} characters in all; see the CSV]"
_FORMULA_STARTS = ("=", "+", "-", "@")

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FIXED_TIME = datetime(2000, 1, 1)
_MAX_WIDTH = 60
_WRAP_AT = 60


def display_width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet: East Asian wide characters count double."""
    narrow = text.translate(_wide_bmp_characters())  # C speed for the common case
    wide = len(text) - len(narrow)
    if not narrow.isascii() and max(narrow) > "\uffff":  # rare: beyond the BMP
        wide += sum(1 for ch in narrow if ch > "\uffff" and _is_wide(ch))
    return len(text) + wide


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


@cache
def _wide_bmp_characters() -> dict[int, None]:
    """A translation table deleting the BMP's East Asian wide and fullwidth characters."""
    return {code: None for code in range(0x10000) if _is_wide(chr(code))}


def safe_cell_text(text: str) -> str:
    """Remove characters Excel rejects and cut text longer than a cell holds, with a marker."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > MAX_CELL_CHARS:
        marker = TRUNCATION_MARKER.format(n=len(text))
        text = text[: MAX_CELL_CHARS - len(marker)] + marker
    return text


def safe_sheet_name(name: str, used: set[str]) -> str:
    """A sheet name within Excel's rules (31 characters, no []:*?/\\), unique in ``used``."""
    base = _SHEET_FORBIDDEN.sub("_", name).strip("'") or "sheet"
    candidate, n = base[:31], 2
    while candidate.lower() in {u.lower() for u in used}:
        suffix = f"_{n}"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate)
    return candidate


def _write_sheet(formats: _Formats, ws, table: pd.DataFrame, *, matrix: bool,
                 number_formats: dict[str, str], wrap_columns: set[str]) -> None:  # fmt: skip
    """Write ``table`` into a sheet: bold frozen header, filter, CJK widths, wrapping,
    number formats, and a colour scale over the numbers of a matrix sheet."""
    headers = [str(c) for c in table.columns]
    widths = [display_width(h) + 2 for h in headers]  # widest text (capped), 10 for numbers
    ws.freeze_panes(1, 1 if len(headers) > 8 or matrix else 0)
    bold = formats.get(bold=True)
    for column, header in enumerate(headers):
        ws.write_string(0, column, header, bold)
    wrap = formats.get(text_wrap=True, valign="top")
    number_formats = [formats.get(num_format=f) if (f := number_formats.get(h)) else None
                      for h in headers]  # fmt: skip
    for column, header in enumerate(headers):  # column by column: one kind of value each
        series = table.iloc[:, column]
        values = series.tolist()
        # numpy dtypes hold no missing markers but NaN; nullable ones go the mixed way
        kind = series.dtype.kind if isinstance(series.dtype, np.dtype) else "O"
        if kind == "b":
            for row, value in enumerate(values, start=1):
                ws.write_boolean(row, column, value)
            written = bool(values)
        elif kind == "f":
            number_format = number_formats[column]
            rows = [(row, v) for row, v in enumerate(values, start=1) if v == v]  # not NaN
            for row, value in rows:
                ws.write_number(row, column, value, number_format)
            written = bool(rows)
        elif kind in "iu":
            for row, value in enumerate(values, start=1):
                ws.write_number(row, column, value)
            written = bool(values)
        else:
            widest, written = _write_mixed(ws, column, values, number_formats[column], wrap,
                                           wrap_all=header in wrap_columns)  # fmt: skip
            widths[column] = max(widths[column], widest)
        if written:
            widths[column] = max(widths[column], 10)
    for column, width in enumerate(widths):
        ws.set_column(column, column, width)
    last_row = len(table)
    if last_row:
        ws.autofilter(0, 0, last_row, len(headers) - 1)
    numeric = [i for i, c in enumerate(table.columns) if pd.api.types.is_float_dtype(table[c])]
    if matrix and last_row and numeric:
        ws.conditional_format(1, numeric[0], last_row, numeric[-1],
                              {"type": "2_color_scale", "min_color": "#FFFFFF",
                               "max_color": "#2B7BB9"})  # fmt: skip


def _write_mixed(ws, column: int, values: list, number_format, wrap, *,
                 wrap_all: bool) -> tuple[int, bool]:  # fmt: skip
    """Write a column of text (and whatever else an object column holds) from row 1.

    Text goes through :func:`safe_cell_text` and is measured once per distinct value (ids
    and headings repeat). Returns the column width the text needs and whether any number
    or boolean was written.
    """
    prepared: dict[str, tuple[str, int, bool]] = {}
    widest, numbers = 0, False
    for row, value in enumerate(values, start=1):
        if isinstance(value, str):
            if value not in prepared:
                text = safe_cell_text(value)  # write_string: text, never a formula
                width = display_width(text)
                prepared[value] = (text, min(width + 2, _MAX_WIDTH), wrap_all or width > _WRAP_AT)
            text, width, wrapped = prepared[value]
            widest = max(widest, width)
            if wrapped:
                ws.write_string(row, column, text, wrap)
            else:
                ws.write_string(row, column, text)
        elif value is None or pd.isna(value):
            continue
        elif isinstance(value, (bool, np.bool_)):
            ws.write_boolean(row, column, bool(value))
            numbers = True
        else:
            value = value.item() if hasattr(value, "item") else value
            ws.write_number(row, column, value, number_format if isinstance(value, float) else None)
            numbers = True
    return widest, numbers


class _Formats:
    """The workbook's cell formats, one per distinct set of properties (XlsxWriter would
    otherwise store a new format for every request)."""

    def __init__(self, workbook) -> None:
        self._workbook, self._made = workbook, {}

    def get(self, **properties):
        key = tuple(sorted(properties.items()))
        if key not in self._made:
            self._made[key] = self._workbook.add_format(properties)
        return self._made[key]


def workbook_bytes(
    sheets: dict[str, pd.DataFrame],
    *,
    readme: pd.DataFrame,
    matrix_sheets: tuple[str, ...] = (),
    number_formats: dict[str, dict[str, str]] | None = None,
) -> bytes:
    """Build the workbook in memory: a README sheet first, then one sheet per table.

    Parameters
    ----------
    sheets : dict of str to pandas.DataFrame
        Sheet name to table, in order.
    readme : pandas.DataFrame
        Content of the README sheet.
    matrix_sheets : tuple of str
        Sheets that get a colour scale over their numbers.
    number_formats : dict, optional
        Sheet name to column name to Excel number format (``0.000``, ``0.0%`` …).

    Returns
    -------
    bytes
        The .xlsx file; identical inputs give identical bytes (fixed document properties;
        XlsxWriter fixes the zip entry times).
    """
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
               "strings_to_urls": False, "nan_inf_to_errors": True}  # fmt: skip
    workbook = xlsxwriter.Workbook(buffer, options)
    formats, used = _Formats(workbook), set()
    for name, table in {"README": readme, **sheets}.items():
        ws = workbook.add_worksheet(safe_sheet_name(name, used))
        _write_sheet(formats, ws, table, matrix=name in matrix_sheets,
                     number_formats=(number_formats or {}).get(name, {}),
                     wrap_columns=WRAP_COLUMNS)  # fmt: skip
    workbook.set_properties({"author": "kexie-compare", "created": _FIXED_TIME})
    workbook.close()
    return buffer.getvalue()


def readme_sheet(provenance: dict) -> pd.DataFrame:
    """The README sheet: what each sheet holds, every column explained, and provenance.

    Parameters
    ----------
    provenance : dict
        Nested mapping of package versions, resource hashes, input hashes and parameters.
    """
    rows = [("about", "kexie-compare", "Comparison of provincial 科协 plans with the national "
             "framework (2018). Long tables (tokens, sentences) are in the CSV files next to "
             "this workbook.")]  # fmt: skip
    rows.append(("caveat", "dates and types",
                 "The national framework is from 2018, the provincial documents from 2021-22; "
                 "document types differ (five-year plans, a reform work plan, annual work points). "
                 "Rates per 10,000 tokens, not raw counts, are compared."))  # fmt: skip
    for spec in sheet_tables():
        rows.append(("sheet", spec.sheet_title, spec.sheet_description))
        if not spec.sheet.reshaped:
            shown = spec.sheet.columns or spec.column_names
            rows += [("column", f"{spec.sheet_title}.{c.name}", c.en) for c in spec.columns
                     if c.name in shown]  # fmt: skip
    for group, values in provenance.items():
        if isinstance(values, dict):
            for key, value in values.items():
                rows.append(("provenance", f"{group}: {key}", str(value)))
        else:
            rows.append(("provenance", group, str(values)))
    return pd.DataFrame(rows, columns=["section", "item", "description"])


def write_workbook(tables: dict[str, pd.DataFrame], path: str | Path, *,
                   provenance: dict) -> bool:  # fmt: skip
    """Write the comparison workbook atomically; the one function that writes it.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        The build's tables (every table with a sheet, :func:`analysis.registry.sheet_tables`).
    path : str or pathlib.Path
        Destination.
    provenance : dict
        What produced the tables (the README sheet lists it).

    Returns
    -------
    bool
        True if the file was (re)written, False if it already had these bytes.
    """
    return write_bytes_atomic(path, comparison_workbook_bytes(tables, provenance=provenance))


def comparison_workbook_bytes(tables: dict[str, pd.DataFrame], *, provenance: dict) -> bytes:
    """The comparison workbook's bytes: the README sheet, then a sheet per registered table
    that has one, in the registry's order (:func:`analysis.registry.sheet_tables`), with the
    registry's number formats."""
    sheets = comparison_sheets(tables)
    specs = {t.sheet_title: t for t in sheet_tables()}
    number_formats = {title: {c.name: c.fmt for c in specs[title].columns if c.fmt}
                      for title in sheets}  # fmt: skip
    matrix = tuple(title for title in sheets if specs[title].sheet.matrix)
    return workbook_bytes(sheets, readme=readme_sheet(provenance), matrix_sheets=matrix,
                          number_formats=number_formats)  # fmt: skip


def comparison_sheets(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The workbook's sheets (title to table) from the build's tables: each registered table
    with a sheet, as it is or through its view (token-level tables stay in CSV)."""
    sheets = {}
    for spec in sheet_tables():
        sheet = _VIEWS[spec.sheet.view](tables) if spec.sheet.view else tables[spec.name]
        sheets[spec.sheet_title] = sheet[list(spec.sheet.columns)] if spec.sheet.columns else sheet
    return sheets


#: Text columns wrapped in every sheet (long prose).
WRAP_COLUMNS = {"description", "text", "national_text", "sentence", "acceptable", "top3"}
#: Words of each document shown side by side in the keywords sheet.
KEYWORDS_SHOWN = 30


def keywords_side_by_side(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The top :data:`KEYWORDS_SHOWN` content words of each document, side by side."""
    side = {}
    for doc_id, group in shown_table(tables["keywords"]).groupby("doc_id", sort=False):
        top = group.nsmallest(KEYWORDS_SHOWN, "rank")
        side[f"{doc_id} term"] = top["term"].tolist()
        side[f"{doc_id} per_10k"] = top["per_10k"].round(1).tolist()
    sheet = pd.DataFrame({k: pd.Series(v) for k, v in side.items()})
    sheet.insert(0, "rank", range(1, len(sheet) + 1))
    return sheet


def significant_keyness(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The keyness rows flagged significant, self-references left out (unless ``show_in_views``
    in ``resources/self_reference.toml``)."""
    keyness = shown_table(tables["keyness"])
    return keyness[keyness["significant"]].reset_index(drop=True)


def significant_concept_keyness(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The concept keyness rows flagged significant, self-references left out (as above)."""
    keyness = shown_table(tables["concept_keyness"])
    return keyness[keyness["significant"]].reset_index(drop=True)


def one_row_per_term_candidate(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The term candidates, one row per candidate (the first of its document rows)."""
    return tables["term_candidates"].drop_duplicates("term").reset_index(drop=True)


def group_networks(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The co-occurrence pairs of the document groups (per-document pairs stay in the CSV)."""
    cooccurrence = tables["cooccurrence"]
    return cooccurrence[cooccurrence["network_type"] == "group"].reset_index(drop=True)


def similarity_matrix(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Document × document cosine, one block of rows per method."""
    matrix = tables["similarity"].pivot_table(index=["method", "doc_a"], columns="doc_b",
                                              values="score", sort=False).reset_index()  # fmt: skip
    matrix.columns.name = None
    return matrix


def coverage_matrix(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """National unit × province: units echoing it (combined method), then the best unit of each."""
    coverage = tables["coverage"].query("method == 'combined'")
    matrix = coverage.pivot_table(index=["national_doc_id", "national_section_id", "national_label",
                                         "national_unit_type", "national_heading"],
                                  columns="doc_id", values="n_units", sort=False).reset_index()  # fmt: skip
    matrix.columns.name = None
    best_items = coverage.pivot_table(index=["national_doc_id", "national_section_id"],
                                      columns="doc_id", values="heading", aggfunc="first",
                                      sort=False)  # fmt: skip
    for doc_id in best_items.columns:
        matrix[f"{doc_id} item"] = best_items[doc_id].to_numpy()
    return matrix


def targets_without_slogans(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Targets, baselines and thresholds: every row but the numbered slogans."""
    return tables["targets"].query("kind != 'slogan'").reset_index(drop=True)


_VIEWS = {view.__name__: view for view in (keywords_side_by_side,
                                           significant_keyness, significant_concept_keyness,
                                           one_row_per_term_candidate, group_networks,
                                           similarity_matrix, coverage_matrix,
                                           targets_without_slogans)}  # fmt: skip
