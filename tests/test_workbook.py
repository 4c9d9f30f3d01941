"""The workbook: safe cells, CJK-aware widths, formatting and identical bytes on every build."""

from __future__ import annotations

import io

import pandas as pd
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
    readme = pd.DataFrame({"section": ["about"], "item": ["x"], "description": ["y"]})
    return load_workbook(io.BytesIO(workbook_bytes(sheets, readme=readme, **kwargs)))


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
    readme = readme_sheet({"packages": {"pandas": "x"}})
    first = workbook_bytes({"t": table}, readme=readme, matrix_sheets=("t",))
    second = workbook_bytes({"t": table}, readme=readme, matrix_sheets=("t",))
    assert first == second


def test_readme_sheet_explains_every_sheet_and_its_columns_and_provenance():
    from analysis.registry import sheet_tables

    readme = readme_sheet({"inputs": {"a.txt": "abc"}})
    items = set(readme["item"])
    assert {"targets", "targets.indicator", "targets.year_basis", "inputs: a.txt"} <= items
    sheets = readme[readme.section == "sheet"]
    assert sheets["item"].tolist() == [t.sheet_title for t in sheet_tables()]
    # a reshaped sheet (a matrix) lists no columns; a filtered one lists the table's
    assert not any(item.startswith("coverage.") for item in items)
    assert "keyness.g2" in items and "validation_units.acceptable" in items


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
