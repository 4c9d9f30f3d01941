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
from .registry import TABLES, Col, Table, sheet_tables
from .resources import short_name
from .self_reference import shown_table
from .tables import FLOAT_FORMAT, formatted_distinct

#: Excel's limit on the characters of one cell.
MAX_CELL_CHARS = 32_767
TRUNCATION_MARKER = "…[truncated: {n} characters in all; see the CSV]"
_FORMULA_STARTS = ("=", "+", "-", "@")

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FIXED_TIME = datetime(2000, 1, 1)
_MAX_WIDTH = 50
_WRAP_AT = 48
#: Widest a Chinese header label makes its column (longer labels wrap).
_LABEL_WIDTH = 14
#: Columns allowed wider than :data:`_MAX_WIDTH`: the explanations of the README and columns
#: sheets, read as prose.
_WIDE_COLUMNS = {"description": 90}
#: Points per line of wrapped text (11 pt text) and the most lines a row is made tall for.
_LINE_HEIGHT, _MAX_LINES = 15, 12


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
                 number_formats: dict[str, str], wrap_columns: set[str],
                 labels: list[str] | None = None) -> None:  # fmt: skip
    """Write ``table`` into a sheet: bold frozen header rows (the Chinese ``labels`` above the
    column names, when given), filter, CJK widths, wrapping, number formats (floats rounded
    to :data:`analysis.tables.FLOAT_FORMAT`, as in the CSVs), a colour scale over the numbers
    of a matrix sheet, and print set-up (:func:`_set_up_printing`)."""
    headers = [str(c) for c in table.columns]
    header_rows = [labels, headers] if labels is not None else [headers]
    top = len(header_rows)  # the first data row
    # a header wraps: its column need only hold the longest word of a name, or a short label
    widths = [max(max(display_width(w) for w in (headers[i].split() or [""])),
                  min(display_width(str(labels[i])), _LABEL_WIDTH) if labels else 0) + 2
              for i in range(len(headers))]  # fmt: skip
    ws.freeze_panes(top, 1 if len(headers) > 8 or matrix else 0)
    label_format = formats.get(bold=True, bg_color="#DDEBF7", text_wrap=True, valign="top")
    name_format = formats.get(bold=True, text_wrap=True, valign="top")
    for row, texts in enumerate(header_rows):
        for column, text in enumerate(texts):
            ws.write_string(row, column, str(text), label_format if row < top - 1 else name_format)
    wrap = formats.get(text_wrap=True, valign="top")
    number_formats = [formats.get(num_format=f) if (f := number_formats.get(h)) else None
                      for h in headers]  # fmt: skip
    wrapped_cells: dict[int, list[tuple[int, int]]] = {}  # column: (row, text width) wrapped
    max_widths = [_WIDE_COLUMNS.get(h, _MAX_WIDTH) for h in headers]
    for column, header in enumerate(headers):  # column by column: one kind of value each
        series = table.iloc[:, column]
        values = series.tolist()
        # numpy dtypes hold no missing markers but NaN; nullable ones go the mixed way
        kind = series.dtype.kind if isinstance(series.dtype, np.dtype) else "O"
        if kind == "b":
            for row, value in enumerate(values, start=top):
                ws.write_boolean(row, column, value)
            written = bool(values)
        elif kind == "f":
            number_format = number_formats[column]
            rounded = _rounded(series.to_numpy(dtype=np.float64))
            rows = [(row, v) for row, v in enumerate(rounded, start=top) if v == v]  # not NaN
            for row, value in rows:
                ws.write_number(row, column, value, number_format)
            written = bool(rows)
        elif kind in "iu":
            for row, value in enumerate(values, start=top):
                ws.write_number(row, column, value)
            written = bool(values)
        else:
            widest, written, wrapped = _write_mixed(ws, column, values, number_formats[column],
                                                    wrap, wrap_all=header in wrap_columns,
                                                    top=top, max_width=max_widths[column])  # fmt: skip
            widths[column] = max(widths[column], widest)
            wrapped_cells[column] = wrapped
        if written:
            widths[column] = max(widths[column], 10)
    widths = [min(width, most) for width, most in zip(widths, max_widths, strict=True)]
    for column, width in enumerate(widths):
        ws.set_column(column, column, width)
    for row, texts in enumerate(header_rows):
        for column, text in enumerate(texts):
            wrapped_cells.setdefault(column, []).append((row, display_width(str(text))))
    _set_row_heights(ws, wrapped_cells, widths)
    last_row = len(table) + top - 1
    if len(table):
        ws.autofilter(top - 1, 0, last_row, len(headers) - 1)
    numeric = [i for i, c in enumerate(table.columns) if pd.api.types.is_float_dtype(table[c])]
    if matrix and len(table) and numeric:
        ws.conditional_format(top, numeric[0], last_row, numeric[-1],
                              {"type": "2_color_scale", "min_color": "#FFFFFF",
                               "max_color": "#2B7BB9"})  # fmt: skip
    _set_up_printing(ws, header_rows=top)


def _set_row_heights(ws, wrapped_cells: dict[int, list[tuple[int, int]]],
                     widths: list[int]) -> None:  # fmt: skip
    """Give each row with wrapped text the height of its tallest cell, so the text shows whole
    on screen and on paper (XlsxWriter cannot autofit, and LibreOffice does not on opening)."""
    lines: dict[int, int] = {}
    for column, cells in wrapped_cells.items():
        room = max(widths[column] - 1, 1)  # display columns of text per line
        for row, width in cells:
            lines[row] = max(lines.get(row, 1), -(-width // room))
    for row, count in sorted(lines.items()):
        if count > 1:
            ws.set_row(row, _LINE_HEIGHT * min(count, _MAX_LINES))


def _rounded(values: np.ndarray) -> list[float]:
    """Floats rounded as the CSVs write them (:data:`analysis.tables.FLOAT_FORMAT`), so the
    workbook holds the same bytes on machines whose last digits differ; each distinct value is
    formatted once."""
    codes, texts = formatted_distinct(values)
    rounded = [float(text) for text in texts]
    return [rounded[code] for code in codes.tolist()]


def _set_up_printing(ws, *, header_rows: int) -> None:
    """Print set-up: A4 landscape, every column on one page width, the header rows on every
    page, gridlines, the sheet's name above and the page number below."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
    ws.repeat_rows(0, header_rows - 1)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.hide_gridlines(0)  # gridlines on screen and on paper
    ws.set_header("&L&A")
    ws.set_footer("&C&P / &N")


def _write_mixed(ws, column: int, values: list, number_format, wrap, *, wrap_all: bool,
                 top: int, max_width: int) -> tuple[int, bool, list[tuple[int, int]]]:  # fmt: skip
    """Write a column of text (and whatever else an object column holds) from row ``top``.

    Text goes through :func:`safe_cell_text` and is measured once per distinct value (ids
    and headings repeat). Returns the column width the text needs, whether any number or
    boolean was written, and the rows of wrapped text with the text's display width.
    """
    prepared: dict[str, tuple[str, int, bool, int]] = {}
    widest, numbers, wrapped_cells = 0, False, []
    for row, value in enumerate(values, start=top):
        if isinstance(value, str):
            if value not in prepared:
                text = safe_cell_text(value)  # write_string: text, never a formula
                width = display_width(text)
                narrow = 2 * len(text) - width  # Latin letters are narrower than a digit
                prepared[value] = (text, min(width + 2, max_width), wrap_all or width > _WRAP_AT,
                                   round(width - 0.15 * narrow) + text.count("\n") * max_width)  # fmt: skip
            text, width, wrapped, full_width = prepared[value]
            widest = max(widest, width)
            if wrapped:
                ws.write_string(row, column, text, wrap)
                wrapped_cells.append((row, full_width))
            else:
                ws.write_string(row, column, text)
        elif value is None or pd.isna(value):
            continue
        elif isinstance(value, (bool, np.bool_)):
            ws.write_boolean(row, column, bool(value))
            numbers = True
        else:
            value = value.item() if hasattr(value, "item") else value
            if isinstance(value, float):
                value = float(FLOAT_FORMAT % value)  # as in the CSVs
            ws.write_number(row, column, value, number_format if isinstance(value, float) else None)
            numbers = True
    return widest, numbers, wrapped_cells


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
    labels: dict[str, list[str]] | None = None,
    matrix_sheets: tuple[str, ...] = (),
    number_formats: dict[str, dict[str, str]] | None = None,
) -> bytes:
    """Build a workbook in memory: one sheet per table, in order.

    Parameters
    ----------
    sheets : dict of str to pandas.DataFrame
        Sheet name to table, in order.
    labels : dict, optional
        Sheet name to a label per column (Chinese), written as a header row above the column
        names; a sheet without labels has the column names alone.
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
    for name, table in sheets.items():
        ws = workbook.add_worksheet(safe_sheet_name(name, used))
        _write_sheet(formats, ws, table, matrix=name in matrix_sheets,
                     number_formats=(number_formats or {}).get(name, {}),
                     wrap_columns=WRAP_COLUMNS, labels=(labels or {}).get(name))  # fmt: skip
    workbook.set_properties({"author": "kexie-compare", "created": _FIXED_TIME})
    workbook.close()
    return buffer.getvalue()


#: The sheets around the registry's: an index first, the column reference and the provenance last.
README_SHEET, COLUMNS_SHEET, PROVENANCE_SHEET = "README", "columns", "provenance"
#: The Chinese labels of the three sheets' own columns.
_OWN_LABELS = {"section": "部分", "item": "项目", "label": "中文名", "description": "说明",
               "sheet": "工作表", "column": "列名", "value": "值"}  # fmt: skip


def readme_sheet() -> pd.DataFrame:
    """The README sheet, an index: what the workbook is, how to read it, and where each table
    lives (its sheet, or its CSV file for a table too long for a sheet), in Chinese and English.
    """
    rows = [("about", "kexie-compare", "科协规划比较",
             "Comparison of provincial 科协 plans with the national framework (2018). Every "
             "table is also a CSV file next to this workbook; long tables (tokens, sentences) "
             "are in CSV only.")]  # fmt: skip
    rows.append(("caveat", "dates and types", "时间与文件类型",
                 "The national framework is from 2018, the provincial documents from 2021-22; "
                 "document types differ (five-year plans, a reform work plan, annual work points). "
                 "Rates per 10,000 tokens, not raw counts, are compared."))  # fmt: skip
    rows.append(("how to read", "headers", "表头",
                 "Row 1 of every sheet is the column's Chinese label, row 2 its name (the CSV's "
                 f"header). The {COLUMNS_SHEET} sheet explains every column; the documents sheet "
                 "gives each doc_id's Chinese short name (doc_name beside doc_id elsewhere)."))  # fmt: skip
    for spec in sheet_tables():
        rows.append(("sheet", spec.sheet_title, spec.zh, spec.sheet_description))
    rows.append(
        (
            "sheet",
            COLUMNS_SHEET,
            "列说明",
            "Every column of every sheet: its Chinese label and what it holds.",
        )
    )
    rows.append(
        (
            "sheet",
            PROVENANCE_SHEET,
            "来源",
            "Package versions, dictionary and stop-word hashes, input file hashes, options.",
        )
    )
    for spec in TABLES:
        if not spec.sheet:
            rows.append(("csv only", f"{spec.name}.csv", spec.zh, spec.description))
    return pd.DataFrame(rows, columns=["section", "item", "label", "description"])


def columns_sheet(described: dict[str, dict[str, tuple[str, str | None, str]]]) -> pd.DataFrame:
    """Every column of every comparison sheet: its Chinese label and its description.

    Parameters
    ----------
    described : dict
        Sheet title to column to (label, number format, description), as
        :func:`_column_spec` gives them.
    """
    rows = [(title, column, label, description) for title, columns in described.items()
            for column, (label, _, description) in columns.items()]  # fmt: skip
    return pd.DataFrame(rows, columns=["sheet", "column", "label", "description"])


def provenance_sheet(provenance: dict) -> pd.DataFrame:
    """What produced the tables: package versions, resource and input hashes, parameters."""
    rows = []
    for group, values in provenance.items():
        if isinstance(values, dict):
            rows += [(group, key, str(value)) for key, value in values.items()]
        else:
            rows.append((group, "", str(values)))
    return pd.DataFrame(rows, columns=["section", "item", "value"])


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
        What produced the tables (the provenance sheet lists it).

    Returns
    -------
    bool
        True if the file was (re)written, False if it already had these bytes.
    """
    return write_bytes_atomic(path, comparison_workbook_bytes(tables, provenance=provenance))


def comparison_workbook_bytes(tables: dict[str, pd.DataFrame], *, provenance: dict) -> bytes:
    """The comparison workbook's bytes: the README sheet (an index), a sheet per registered
    table that has one, in the registry's order (:func:`analysis.registry.sheet_tables`), then
    the column reference and the provenance. Every sheet has its Chinese labels above the
    column names, and every float column the registry's number format."""
    sheets = comparison_sheets(tables)
    specs = {t.sheet_title: t for t in sheet_tables()}
    described = {title: {c: _column_spec(specs[title], c) for c in sheet.columns}
                 for title, sheet in sheets.items()}  # fmt: skip
    labels = {title: [label for label, _, _ in columns.values()]
              for title, columns in described.items()}  # fmt: skip
    number_formats = {title: {c: fmt for c, (_, fmt, _) in columns.items() if fmt}
                      for title, columns in described.items()}  # fmt: skip
    matrix = tuple(title for title in sheets if specs[title].sheet.matrix)
    own = {README_SHEET: readme_sheet(), **sheets, COLUMNS_SHEET: columns_sheet(described),
           PROVENANCE_SHEET: provenance_sheet(provenance)}  # fmt: skip
    for title in (README_SHEET, COLUMNS_SHEET, PROVENANCE_SHEET):
        labels[title] = [_OWN_LABELS[c] for c in own[title].columns]
    return workbook_bytes(own, labels=labels, matrix_sheets=matrix,
                          number_formats=number_formats)  # fmt: skip


#: The column beside every ``doc_id`` that gives the document's Chinese short name.
DOC_NAME = Col("doc_name", "str", "文件简称",
               "The document's Chinese short name (resources/document_names.csv; the doc_id when "
               "it has none).")  # fmt: skip


def _column_spec(spec: Table, column: str) -> tuple[str, str | None, str]:
    """The Chinese label, number format and description of a sheet's column.

    A column is one of the table's (or one its view adds, ``Sheet.added``), the document name
    beside ``doc_id``, a document's column in a matrix view (named by its ``doc_id``; it holds
    ``Sheet.values``), or ``<doc_id> <column>`` in a side-by-side view. Anything else gets its
    own name as label, which the tests catch.
    """
    own = {c.name: c for c in (*spec.sheet.added, *spec.columns, DOC_NAME)}
    if column in own:
        found = own[column]
        return found.zh, found.fmt, found.en
    doc_id, _, suffix = column.rpartition(" ")
    if doc_id and suffix in own:
        found = own[suffix]
        return f"{short_name(doc_id)}：{found.zh}", found.fmt, f"{doc_id}: {found.en}"
    if spec.sheet.values:
        found = own[spec.sheet.values]
        return short_name(column), found.fmt, f"{column}: {found.en}"
    return column, None, ""


def comparison_sheets(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The workbook's sheets (title to table) from the build's tables: each registered table
    with a sheet, as it is or through its view (token-level tables stay in CSV), with the
    documents' Chinese short names beside ``doc_id``."""
    sheets = {}
    for spec in sheet_tables():
        sheet = _VIEWS[spec.sheet.view](tables) if spec.sheet.view else tables[spec.name]
        sheet = sheet[list(spec.sheet.columns)] if spec.sheet.columns else sheet
        if "doc_id" in sheet.columns:
            sheet = sheet.copy()
            sheet.insert(sheet.columns.get_loc("doc_id") + 1, DOC_NAME.name,
                         sheet["doc_id"].map(short_name).astype(object))  # fmt: skip
        sheets[spec.sheet_title] = sheet
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
    """National unit × province (combined method): how many provinces echo it, then the units of
    each province echoing it (``<doc_id> n_units_combined``) and each province's best unit
    (``<doc_id> best_heading``)."""
    coverage = tables["coverage"].query("method == 'combined'")
    keys = ["national_doc_id", "national_section_id", "national_label", "national_unit_type",
            "national_heading"]  # fmt: skip
    matrix = coverage.pivot_table(index=keys, columns="doc_id", values="n_units", aggfunc="first",
                                  sort=False).reset_index()  # fmt: skip
    matrix.columns.name = None
    documents = [c for c in matrix.columns if c not in keys]
    echoing = coverage.groupby(keys[:2], sort=False)["echoed"].sum().rename("n_documents_echoing")
    matrix = matrix.merge(echoing.astype("int64").reset_index(), on=keys[:2], how="left",
                          validate="one_to_one")  # fmt: skip
    matrix = matrix[[*keys, "n_documents_echoing", *documents]]
    matrix = matrix.rename(columns={d: f"{d} n_units_combined" for d in documents})
    best_items = coverage.pivot_table(index=["national_doc_id", "national_section_id"],
                                      columns="doc_id", values="heading", aggfunc="first",
                                      sort=False)  # fmt: skip
    for doc_id in best_items.columns:
        matrix[f"{doc_id} best_heading"] = best_items[doc_id].to_numpy()
    return matrix


def targets_without_slogans(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Targets, baselines and thresholds: every row but the numbered slogans."""
    return tables["targets"].query("kind != 'slogan'").reset_index(drop=True)


_VIEWS = {view.__name__: view for view in (keywords_side_by_side,
                                           significant_keyness, significant_concept_keyness,
                                           one_row_per_term_candidate, group_networks,
                                           similarity_matrix, coverage_matrix,
                                           targets_without_slogans)}  # fmt: skip
