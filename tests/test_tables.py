"""CSV serialisation: floats written as pandas' ``float_format="%.6g"`` would write them."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.tables import CSV_ENCODING, FLOAT_FORMAT, commit_staged, csv_bytes, stage_csvs


def test_csv_floats_match_pandas_float_format():
    table = pd.DataFrame({
        "doc_id": ["河南", "广东", None, "吉林", "x,y"],
        "score": [0.123456789, np.nan, -0.0, np.inf, 0.0],
        "per_10k": [2.0, 123456789.0, 2.0, np.nan, -np.inf],
        "n": [1, 2, 3, 4, 5],
        "flag": [True, False, True, False, True],
        "rate": pd.array([0.5, None, 0.125, 1.0, 2.0], dtype="Float64"),
    })  # fmt: skip
    expected = table.to_csv(index=False, lineterminator="\n", float_format=FLOAT_FORMAT)
    assert csv_bytes(table) == expected.encode(CSV_ENCODING)
    assert csv_bytes(table).decode(CSV_ENCODING).splitlines()[1] == "河南,0.123457,2,1,True,0.5"


def test_csv_of_an_empty_table_keeps_its_header():
    table = pd.DataFrame(
        {"doc_id": pd.Series([], dtype=object), "score": pd.Series([], dtype=float)}
    )
    assert csv_bytes(table) == "doc_id,score\n".encode(CSV_ENCODING)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=30))
def test_csv_floats_match_pandas_for_any_values(values):
    table = pd.DataFrame({"x": values, "y": values[::-1]})
    expected = table.to_csv(index=False, lineterminator="\n", float_format=FLOAT_FORMAT)
    assert csv_bytes(table) == expected.encode(CSV_ENCODING)


def test_staged_csvs_reach_the_output_folder_only_when_committed(tmp_path):
    out, staging = tmp_path / "out", tmp_path / "out" / ".staging-test"
    staging.mkdir(parents=True)
    same, changed = pd.DataFrame({"词": ["科协"], "n": [1]}), pd.DataFrame({"n": [2.5]})
    (out / "same.csv").write_bytes(csv_bytes(same))
    (out / "changed.csv").write_bytes(b"old")
    staged = stage_csvs({"same": same, "changed": changed, "new": changed}, out, staging)
    assert staged["same.csv"] is None  # already holds these bytes: not staged, not rewritten
    assert (out / "changed.csv").read_bytes() == b"old" and not (out / "new.csv").exists()
    assert sorted(p.parent for p in staged.values() if p is not None) == [staging, staging]
    written = commit_staged(staged, out)
    assert written == {"same.csv": False, "changed.csv": True, "new.csv": True}
    assert (
        (out / "changed.csv").read_bytes() == csv_bytes(changed) == (out / "new.csv").read_bytes()
    )
    assert (out / "changed.csv").read_bytes().startswith("\ufeff".encode())
    assert list(staging.iterdir()) == []
