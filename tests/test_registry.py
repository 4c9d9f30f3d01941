"""The table registry is the contract: every table the build makes has exactly its declared columns
and types, every declaration is made by a step, and the README's column section is current."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from analysis import config, figures, workbook
from analysis.build import analysis_steps
from analysis.registry import FIGURES, TABLES, empty_table, readme_columns, sheet_tables, table

ROOT = Path(__file__).parents[1]
KINDS = {"str": ("str", "object", "string"), "int": ("int64",), "int?": ("Int64",),
         "float": ("float64",), "bool": ("bool",)}  # fmt: skip


@pytest.fixture(scope="module")
def tables(built_tables):
    return built_tables


def test_every_table_the_build_makes_has_its_declared_columns_and_types(tables):
    for spec in TABLES:
        made = tables[spec.name]
        assert made.columns.tolist() == spec.column_names, spec.name
        for column in spec.columns:
            assert str(made[column.name].dtype) in KINDS[column.dtype], (spec.name, column.name)


def test_each_step_makes_the_tables_declared_for_it():
    steps = {s.name: s for s in analysis_steps(raw_dir=ROOT, jobs=1, backend="jieba",
                                               cache_dir=None, preload=False)}  # fmt: skip
    for spec in TABLES:
        assert spec.name in steps[spec.step].makes, spec.name
    declared = {t.name for t in TABLES}
    for step in steps.values():
        assert {m for m in step.makes if not m[0].isupper()} - {
            "corpus", "reference", "tokens", "segmented", "provenance"} <= declared  # fmt: skip


def test_registry_names_are_unique_and_complete():
    names = [t.name for t in TABLES]
    assert len(names) == len(set(names))
    for spec in TABLES:
        assert spec.zh and spec.description and all(c.zh and c.en for c in spec.columns), spec.name
        assert len({c.name for c in spec.columns}) == len(spec.columns), spec.name
        for column in spec.columns:
            assert column.fmt is None or column.dtype == "float", (spec.name, column.name)
            # every decimal column has a number format in the workbook ("General" by choice)
            assert column.dtype != "float" or column.fmt, (spec.name, column.name)
    sheet_titles = [t.sheet_title for t in sheet_tables()]
    assert len(sheet_titles) == len(set(sheet_titles)) and all(len(s) <= 31 for s in sheet_titles)
    with pytest.raises(KeyError, match="no table named 'nope'"):
        table("nope")


def test_figures_and_sheet_views_exist(tables):
    for spec in FIGURES:
        assert callable(getattr(figures, spec.draw)) and callable(getattr(figures, spec.select))
        assert set(spec.tables) <= {t.name for t in TABLES}
    sheets = workbook.comparison_sheets(tables)
    assert list(sheets) == [t.sheet_title for t in sheet_tables()]
    assert all(isinstance(sheet, pd.DataFrame) for sheet in sheets.values())
    empty = {title for title, sheet in sheets.items() if sheet.empty}
    labels = (config.gold_dir() / config.ALIGNMENT_GOLD_NAME).exists()
    assert empty == (set() if labels else {"validation_units"})  # no hand labels: no units


def test_an_empty_table_has_its_declared_columns_and_types():
    for spec in TABLES:
        made = empty_table(spec.name)
        assert made.empty and made.columns.tolist() == spec.column_names
        for column in spec.columns:
            assert str(made[column.name].dtype) in KINDS[column.dtype], (spec.name, column.name)


def test_readme_lists_the_workbook_sheets_in_their_order():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The workbook", 1)[1].split("\n\n", 2)[1]
    listed = re.findall(r"^\| `([^`]+)` \|", section, re.M)
    assert listed == ["README"] + [t.sheet_title for t in sheet_tables()] + [
        "columns",
        "provenance",
    ]


def test_readme_column_section_is_generated_from_the_registry():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"<!-- columns:start -->\n(.*)<!-- columns:end -->", readme, re.S)
    assert section, "README lacks the column section markers"
    assert section.group(1) == readme_columns(), "run: python -m analysis columns"
