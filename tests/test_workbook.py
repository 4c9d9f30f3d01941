"""The workbook: safe cells, CJK-aware widths, formatting and identical bytes on every build."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from analysis.workbook import (
    MAX_CELL_CHARS,
    display_width,
    readme_sheet,
    safe_sheet_name,
    workbook_bytes,
)


def _book(sheets, **kwargs):
    return load_workbook(io.BytesIO(workbook_bytes(sheets, **kwargs)))


def test_formula_like_text_stays_text():
    table = pd.DataFrame({"text": ["=SUM(A1:A2)", "+86 电话", "-减少", "@mention", "普通"]})
    ws = _book({"t": table})["t"]
    values = [ws.cell(row=r, column=1) for r in range(2, 7)]
    assert [c.value for c in values] == table.text.tolist()
    assert all(c.data_type == "s" for c in values)


def test_long_cells_are_cut_with_a_visible_marker_and_illegal_characters_removed():
    table = pd.DataFrame({"text": ["科" * 40_000, "bad\x07char\x1b"]})
    ws = _book({"t": table})["t"]
    long_value = ws.cell(row=2, column=1).value
    assert len(long_value) <= MAX_CELL_CHARS
    assert long_value.endswith("characters in all; see the CSV]") and "40000" in long_value
    assert ws.cell(row=3, column=1).value == "badchar"


def test_header_freeze_filter_and_cjk_widths():
    table = pd.DataFrame({"term": ["科技工作者", "a"], "per_10k": [12.345, 1.0]})
    ws = _book({"kw": table}, number_formats={"kw": {"per_10k": "0.0"}})["kw"]
    assert ws.cell(row=1, column=1).font.bold
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:B3"
    assert ws.column_dimensions["A"].width >= display_width("科技工作者") == 10
    assert ws.cell(row=2, column=2).number_format == "0.0"


def test_sheet_names_within_excel_limits():
    used: set[str] = set()
    names = [safe_sheet_name(n, used) for n in ["a/b[c]:d*e?f", "x" * 40, "x" * 40]]
    assert names[0] == "a_b_c__d_e_f"
    assert all(len(n) <= 31 for n in names) and len(set(names)) == 3


def test_two_builds_give_identical_bytes():
    table = pd.DataFrame({"doc_id": ["a", "b"], "score": [0.5, 0.25]})
    first = workbook_bytes({"t": table}, labels={"t": ["文件", "得分"]}, matrix_sheets=("t",))
    second = workbook_bytes({"t": table}, labels={"t": ["文件", "得分"]}, matrix_sheets=("t",))
    assert first == second


def test_floats_are_rounded_as_in_the_csvs_so_last_digits_cannot_differ():
    table = pd.DataFrame({"score": [0.332540946563002, 0.332540946563003, 1e-300]})
    ws = _book({"t": table}, number_formats={"t": {"score": "0.00"}})["t"]
    assert [ws.cell(row=r, column=1).value for r in (2, 3, 4)] == [0.332541, 0.332541, 1e-300]


def test_readme_sheet_is_an_index_of_every_table():
    from analysis.registry import TABLES, sheet_tables

    readme = readme_sheet()
    sheets = readme[readme.section == "sheet"]
    assert sheets["item"].tolist() == [t.sheet_title for t in sheet_tables()] + [
        "columns",
        "provenance",
    ]
    csv_only = readme.loc[readme.section == "csv only", "item"].tolist()
    assert csv_only == [f"{t.name}.csv" for t in TABLES if not t.sheet]
    assert {"tokens.csv", "sentences.csv", "themes_sections.csv"} <= set(csv_only)
    assert readme["label"].str.contains(r"[\u4e00-\u9fff]").all()  # a Chinese name each


def test_sheets_come_from_the_registry_with_its_number_formats(corpus):
    from analysis.build import target_tables
    from analysis.registry import table
    from analysis.workbook import significant_keyness, targets_without_slogans

    targets = target_tables(corpus)
    tables = {
        **targets,
        "keyness": pd.DataFrame(
            {
                "term": ["a", "b", "河南省"],
                "significant": [True, False, True],
                "is_self_reference": [False, False, True],
            }
        ),
    }
    assert targets_without_slogans(tables).kind.ne("slogan").all()
    assert significant_keyness(tables).term.tolist() == ["a"]  # the self-reference left out
    formats = {c.name: c.fmt for c in table("keyness").columns if c.fmt}
    assert formats == {"per_10k_target": "0.0", "per_10k_reference": "0.0", "g2": "0.0",
                       "p_value": "0.00E+00", "log_ratio": "0.000"}  # fmt: skip


@given(st.text(max_size=50))
def test_display_width_counts_wide_and_fullwidth_characters_double(text):
    import unicodedata

    expected = sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)
    assert display_width(text) == expected


def test_display_width_of_known_text():
    assert display_width("科协ABC") == 7
    assert display_width("（１）") == 6  # fullwidth brackets and digit
    assert display_width("𠀀") == 2  # CJK Extension B, outside the BMP


def test_nullable_and_object_columns_are_written_with_their_types():
    table = pd.DataFrame({
        "count": pd.array([1, None, 3], dtype="Int64"),
        "flag": pd.array([True, None, False], dtype="boolean"),
        "score": [0.5, float("nan"), 0.25],
        "mixed": ["文本", 2.5, None],
    })  # fmt: skip
    ws = _book({"t": table}, number_formats={"t": {"score": "0.000"}})["t"]
    rows = [[ws.cell(row=r, column=c).value for c in range(1, 5)] for r in range(2, 5)]
    assert rows == [[1, True, 0.5, "文本"], [None, None, None, 2.5], [3, False, 0.25, None]]
    assert ws.cell(row=2, column=3).number_format == "0.000"


# The comparison workbook of the bundled documents, as the build writes it.


@pytest.fixture(scope="module")
def comparison_book(tmp_path_factory, built_tables):
    from analysis.workbook import comparison_workbook_bytes

    tables = built_tables
    data = comparison_workbook_bytes(tables, provenance={"packages": {"pandas": pd.__version__}})
    path = tmp_path_factory.mktemp("book") / "kexie_comparison.xlsx"
    path.write_bytes(data)
    return tables, load_workbook(path), path


def _header(ws, row):
    return [ws.cell(row=row, column=c).value for c in range(1, ws.max_column + 1)]


def test_every_column_of_every_sheet_has_a_chinese_label_above_its_name(comparison_book):
    _, book, _ = comparison_book
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for ws in book.worksheets:
        labels, names = _header(ws, 1), _header(ws, 2)
        assert all(isinstance(n, str) and n for n in names), ws.title
        assert all(cjk.search(str(label)) for label in labels), (ws.title, labels)
        assert ws.freeze_panes in ("A3", "B3") and ws.print_title_rows == "$1:$2", ws.title
    coverage = book["coverage"]
    assert _header(coverage, 1)[5] == "呼应文件数(综合法)"
    assert "河南十四五：呼应单元数(综合法)" in _header(coverage, 1)
    assert "henan_14fyp n_units_combined" in _header(coverage, 2)  # the method in the name
    assert _header(book["keywords"], 1)[1] == "全国纲要：词语"


def test_doc_ids_have_their_chinese_short_names_beside_them(comparison_book):
    _, book, _ = comparison_book
    ws = book["pmc"]
    assert _header(ws, 2)[:2] == ["doc_id", "doc_name"]
    names = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value
             for r in range(3, ws.max_row + 1)}  # fmt: skip
    assert names["henan_14fyp"] == "河南十四五" and names["national_2018"] == "全国纲要"
    assert len(names) == 6


def test_every_float_column_has_its_declared_number_format(comparison_book):
    """Scores 0.000, rates 0.0, shares 0.0%, p-values scientific; a target's value as written."""
    from analysis.registry import sheet_tables

    _, book, _ = comparison_book
    expected = {("similarity", "henan_14fyp"): "0.000", ("keywords", "henan_14fyp per_10k"): "0.0",
                ("alignment_validation", "p_at_1"): "0.0%", ("keyness", "p_value"): "0.00E+00",
                ("pmc", "pmc"): "0.00",
                ("novel_items", "best_score_word"): "0.000", ("targets", "value"): "General",
                ("method_agreement", "top1_word_char"): "0.0%",
                ("keyness_sections", "u_statistic"): "0.0"}  # fmt: skip
    declared_general = {(t.sheet_title, c.name) for t in sheet_tables() for c in t.columns
                        if c.fmt == "General"}  # fmt: skip
    seen = {}
    for ws in book.worksheets:
        names = _header(ws, 2)
        for column, name in enumerate(names, start=1):
            cells = [ws.cell(row=r, column=column) for r in range(3, min(ws.max_row, 60) + 1)]
            floats = [c for c in cells if isinstance(c.value, float)]
            formats = {c.number_format for c in floats}
            seen[(ws.title, name)] = formats
            if floats and (ws.title, name) not in declared_general:
                assert formats != {"General"}, (ws.title, name)  # only where declared
    for key, number_format in expected.items():
        assert seen[key] <= {number_format}, (key, seen[key])
    assert seen[("similarity", "henan_14fyp")] and seen[("targets", "value")]


def test_every_sheet_prints_landscape_one_page_wide_with_its_header_rows(comparison_book):
    _, book, _ = comparison_book
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert [ws.title for ws in book.worksheets][-2:] == ["columns", "provenance"]


def test_sheets_for_novel_items_method_agreement_section_keyness_and_skipped_numbers(
    comparison_book,
):
    tables, book, _ = comparison_book
    for sheet in ("novel_items", "method_agreement", "keyness_sections", "targets_skipped"):
        assert book[sheet].max_row == len(tables[sheet]) + 2, sheet
    coverage = tables["coverage"].query("method == 'combined'")
    echoing = coverage.groupby("national_section_id")["echoed"].sum()
    ws = book["coverage"]
    rows = {(ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value):
            ws.cell(row=r, column=6).value for r in range(3, ws.max_row + 1)}  # fmt: skip
    assert rows[("national_2018", "P3.S1.I1")] == echoing["P3.S1.I1"] == 3


def _pages_per_sheet(pdf: Path) -> dict[str, int]:
    """Pages of each sheet in a PDF LibreOffice printed: each page's header is its sheet name."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    pages: dict[str, int] = {}
    for page in text.split("\f"):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        if lines:
            pages[lines[0]] = pages.get(lines[0], 0) + 1
    return pages


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                    reason="LibreOffice (soffice) or poppler's pdftotext is not installed")  # fmt: skip
def test_printed_through_libreoffice_the_readme_fits_three_pages_and_sheets_the_width(
    comparison_book, tmp_path
):
    _, book, path = comparison_book
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   capture_output=True, check=True, timeout=600)  # fmt: skip
    pages = _pages_per_sheet(tmp_path / "kexie_comparison.pdf")
    assert set(pages) == set(book.sheetnames)
    assert pages["README"] <= 3
    # a sheet of a few rows is one page: its columns fit the width (else they run over pages)
    for sheet in ("documents", "pmc", "echo_summary", "method_agreement", "similarity"):
        assert pages[sheet] == 1, (sheet, pages[sheet])
    assert sum(pages.values()) < 250  # 585 before the print set-up
