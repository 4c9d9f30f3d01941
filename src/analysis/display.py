"""Tables for reading in a notebook: :func:`show` styles a table so JupyterLab shows it whole.

pandas prints a wide table of Chinese text right-aligned on one line per cell, cuts it at the
output's width, mixes ``NaN`` and ``<NA>`` and prints scores with six decimals. :func:`show`
returns a pandas ``Styler`` instead: text left-aligned and wrapped (Chinese wraps between any two
characters), numbers right-aligned in the registry's format (the workbook's), missing values
blank, and each column headed by its Chinese label above its name.
"""

from __future__ import annotations

from html import escape

import pandas as pd
from pandas.io.formats.style import Styler

from .registry import TABLES, Col, table

#: Rows shown before a table is cut (the caption says how many there are).
MAX_ROWS = 60
#: Widest a text column grows before it wraps, in ems (about that many Chinese characters).
WRAP_EMS = 24
_CSS = [
    {"selector": "th, td",
     "props": "text-align: left; vertical-align: top; white-space: normal; "
              f"overflow-wrap: anywhere; max-width: {WRAP_EMS}em;"},
    {"selector": "th", "props": "font-weight: bold;"},
    {"selector": "caption", "props": "caption-side: bottom; text-align: left; color: #666;"},
]  # fmt: skip


def python_format(excel_format: str | None) -> str:
    """The Python format of an Excel number format of the registry (``0.000`` → ``{:.3f}``).

    ``0.0%`` gives a percentage, ``0.00E+00`` scientific notation, ``General`` the shortest
    form; anything else (or None) three significant digits.
    """
    if not excel_format or excel_format == "General":
        return "{:.3g}" if not excel_format else "{:g}"
    decimals = len(excel_format.split(".")[1].split("E")[0].rstrip("%")) if "." in excel_format \
        else 0  # fmt: skip
    if "E" in excel_format:
        return f"{{:.{decimals}e}}"
    if excel_format.endswith("%"):
        return f"{{:.{decimals}%}}"
    return f"{{:.{decimals}f}}"


def _column_specs(name: str | None) -> dict[str, Col]:
    """Column name to its declaration: table ``name``'s, or else the first table's declaring it."""
    if name is not None:
        return {c.name: c for c in table(name).columns}
    specs: dict[str, Col] = {}
    for spec in TABLES:
        for column in spec.columns:
            specs.setdefault(column.name, column)
    return specs


def show(frame: pd.DataFrame | pd.Series, name: str | None = None, *,
         max_rows: int = MAX_ROWS) -> Styler:  # fmt: skip
    """``frame`` styled for reading in a notebook.

    Parameters
    ----------
    frame : pandas.DataFrame or pandas.Series
        Any table (a series is shown as a one-column table); its columns are looked up in
        the registry by name.
    name : str, optional
        The registry table it comes from, when a column name means different things in
        different tables (``p_value``).
    max_rows : int
        Rows shown; a longer table is cut, and its caption says so.

    Returns
    -------
    pandas.io.formats.style.Styler
        Shown as HTML by JupyterLab (``.to_html()`` gives the HTML elsewhere).
    """
    specs = _column_specs(name)
    frame = frame.to_frame() if isinstance(frame, pd.Series) else frame
    shown = frame.head(max_rows)
    styler = shown.style.set_table_styles(_CSS).format(na_rep="")
    if isinstance(frame.index, pd.RangeIndex):
        styler = styler.hide(axis="index")
    numbers = [c for c in shown.columns if pd.api.types.is_numeric_dtype(shown[c])
               and not pd.api.types.is_bool_dtype(shown[c])]  # fmt: skip
    for column in numbers:
        if pd.api.types.is_float_dtype(shown[column]):
            spec = specs.get(str(column))
            styler = styler.format(python_format(spec.fmt if spec else None), subset=[column],
                                   na_rep="")  # fmt: skip
    if numbers:
        styler = styler.set_properties(subset=numbers, **{"text-align": "right"})

    def header(column) -> str:
        spec = specs.get(str(column))
        text = escape(str(column))
        return f"{escape(spec.zh)}<br><small>{text}</small>" if spec else text

    styler = styler.format_index(header, axis=1, escape=None)
    if len(frame) > max_rows:
        styler = styler.set_caption(f"first {max_rows} of {len(frame)} rows")
    return styler
