"""Notebook tables: formatted numbers, blank missing values, Chinese labels, wrapped text."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.display import MAX_ROWS, python_format, show


@pytest.mark.parametrize(
    ("excel", "python", "value", "text"),
    [("0.000", "{:.3f}", 0.332540946563002, "0.333"), ("0.0%", "{:.1%}", 0.5874, "58.7%"),
     ("0%", "{:.0%}", 0.31, "31%"), ("0.00E+00", "{:.2e}", 3.2e-7, "3.20e-07"),
     ("0.0", "{:.1f}", 12.345, "12.3"), ("General", "{:g}", 10.17, "10.17"),
     (None, "{:.3g}", 0.123456, "0.123")],
)  # fmt: skip
def test_excel_formats_become_python_formats(excel, python, value, text):
    assert python_format(excel) == python and python.format(value) == text


def test_a_table_shows_formatted_numbers_blank_gaps_and_chinese_headers():
    table = pd.DataFrame({
        "doc_id": ["henan_14fyp", "jilin_reform_2022"],
        "score": [0.332540946563002, float("nan")],
        "target_year": pd.array([2025, None], dtype="Int64"),
        "text": ["公民具备科学素质的比例" * 4, "短"],
    })  # fmt: skip
    html = show(table, "reuse").to_html()
    assert "0.333" in html and "0.332540946563002" not in html  # reuse.score is 0.000
    assert ">NaN<" not in html and "&lt;NA&gt;" not in html and ">nan<" not in html
    assert "文件<br><small>doc_id</small>" in html and "包含率<br><small>score</small>" in html
    assert "text-align: left" in html and "white-space: normal" in html
    assert "text-align: right" in html  # the numbers


def test_a_long_table_is_cut_with_a_caption_and_a_series_is_a_table():
    long = pd.DataFrame({"term": [f"词{i}" for i in range(MAX_ROWS + 5)]})
    html = show(long).to_html()
    assert f"first {MAX_ROWS} of {MAX_ROWS + 5} rows" in html and f"词{MAX_ROWS}" not in html
    series = pd.Series([1, 0], index=pd.Index(["纲要 1", "纲要 2"], name="unit"), name="echoed")
    assert "纲要 1" in show(series).to_html()
