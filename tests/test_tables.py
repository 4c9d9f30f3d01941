"""CSV serialisation: floats written as pandas' ``float_format="%.6g"`` would write them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.files import Staging, remove_abandoned_staging, write_bytes_atomic
from analysis.tables import CSV_ENCODING, FLOAT_FORMAT, csv_bytes, read_table_csv


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


def test_staged_files_reach_the_output_folder_only_when_committed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    same, changed = (
        csv_bytes(pd.DataFrame({"词": ["科协"], "n": [1]})),
        csv_bytes(pd.DataFrame({"n": [2.5]})),
    )
    (out / "same.csv").write_bytes(same)
    (out / "changed.csv").write_bytes(b"old")
    staging = Staging(out)
    assert staging.folder.parent == out and staging.folder.name.startswith(".staging-")
    staged = {name: staging.stage(name, data) for name, data in
              [("same.csv", same), ("changed.csv", changed), ("new.csv", changed)]}  # fmt: skip
    assert staged["same.csv"] is None  # already holds these bytes: not staged, not rewritten
    assert (out / "changed.csv").read_bytes() == b"old" and not (out / "new.csv").exists()
    assert sorted(p.parent for p in staged.values() if p is not None) == [staging.folder] * 2
    written = staging.commit(staged)
    assert written == {"same.csv": False, "changed.csv": True, "new.csv": True}
    assert (out / "changed.csv").read_bytes() == changed == (out / "new.csv").read_bytes()
    assert (out / "changed.csv").read_bytes().startswith("\ufeff".encode())
    staging.discard()
    assert sorted(p.name for p in out.iterdir()) == ["changed.csv", "new.csv", "same.csv"]


def test_a_discarded_staging_folder_leaves_the_outputs_as_they_were(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"old")
    staging = Staging(tmp_path)
    staging.stage("a.csv", b"new")
    staging.discard()
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]
    assert (tmp_path / "a.csv").read_bytes() == b"old"


def test_atomic_writes_give_the_file_normal_permissions(tmp_path):
    path = tmp_path / "x.csv"
    assert write_bytes_atomic(path, b"abc") and not write_bytes_atomic(path, b"abc")
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.skipif(os.name != "posix", reason="abandoned staging folders are found on POSIX")
def test_staging_folders_of_killed_builds_are_removed_and_others_kept(tmp_path):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    dead, host = int(ended.stdout), socket.gethostname()
    names = {
        "killed": f".staging-{host}-{dead}-k1ll3d_x",
        "running": f".staging-{host}-{os.getpid()}-runn1ng_",  # this process: still running
        "other host": f".staging-another-host-{dead}-0th3r_ab",
        "unknown": ".staging-abcdefgh",  # the form earlier versions used: no process id to check
    }
    for name in names.values():
        (tmp_path / name).mkdir()
        (tmp_path / name / "tokens.csv").write_bytes(b"half-written")
    removed = remove_abandoned_staging(tmp_path)
    assert removed == [tmp_path / names["killed"]]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        n for k, n in names.items() if k != "killed"
    )


def test_every_committed_table_reads_back_to_its_own_bytes():
    """What the build keeps from a previous build (the validation without labels) is read back
    with the registry's types and written again unchanged; so is every other table."""
    from analysis import config
    from analysis.registry import TABLES

    for spec in TABLES:
        path = config.PROCESSED_DIR / f"{spec.name}.csv"
        table = read_table_csv(path, spec.name)
        assert csv_bytes(table) == path.read_bytes(), spec.name


def test_reading_back_refuses_other_columns(tmp_path):
    path = tmp_path / "reuse_summary.csv"
    path.write_bytes(csv_bytes(pd.DataFrame({"doc_id": ["a"], "n": [1]})))
    with pytest.raises(ValueError, match="not those of reuse_summary"):
        read_table_csv(path, "reuse_summary")
