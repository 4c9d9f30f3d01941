"""The build: one command, identical bytes every time, nothing rewritten or lost needlessly."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import config
from analysis.__main__ import main
from analysis.build import run_build


def _hashes(*folders: Path) -> dict[str, str]:
    return {f"{folder.name}/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in folders for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".")}  # fmt: skip


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    roots = [tmp_path_factory.mktemp(f"build{i}") for i in (1, 2)]
    for root in roots:
        run_build(out_dir=root / "processed", figures_dir=root / "figures", use_cache=False)
    return roots


def test_two_builds_give_byte_identical_tables_workbook_and_figures(two_builds):
    first, second = (_hashes(r / "processed", r / "figures") for r in two_builds)
    assert first == second
    names = set(first)
    assert "processed/kexie_comparison.xlsx" in names
    assert {"processed/targets.csv", "processed/coverage.csv", "processed/reuse.csv",
            "processed/keyness.csv", "processed/tokens.csv"} <= names  # fmt: skip
    assert len([n for n in names if n.startswith("figures/")]) == 13  # PNG, the default format
    # a GEXF network per document and per document group (national, provincial)
    assert len([n for n in names if n.endswith(".gexf")]) == 6 + 2


def test_csv_outputs_are_utf8_with_bom(two_builds):
    data = (two_builds[0] / "processed" / "sections.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data


def test_warm_build_rewrites_nothing(two_builds, tmp_path, monkeypatch):
    import analysis.corpus
    from analysis.files import LOCK_NAME

    out, figures = tmp_path / "processed", tmp_path / "figures"
    shutil.copytree(two_builds[0] / "processed", out)
    shutil.copytree(two_builds[0] / "figures", figures)
    first = run_build(out_dir=out, figures_dir=figures)  # records the stamp, rewrites nothing
    assert first.written == []
    mtimes = {
        p: p.stat().st_mtime_ns for p in [*out.iterdir(), *figures.iterdir()] if p.name != LOCK_NAME
    }  # the lock records the build holding it: not an output

    def no_parsing(*args, **kwargs):
        raise AssertionError("a warm build parses nothing: the stamp is checked first")

    monkeypatch.setattr(analysis.corpus, "load_corpus", no_parsing)
    warm = run_build(out_dir=out, figures_dir=figures)
    assert warm.up_to_date and warm.written == []
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes


def test_warm_build_loads_no_analysis_libraries(two_builds, tmp_path):
    """A build with nothing to do stops before scipy, scikit-learn, XlsxWriter, matplotlib and
    jieba are imported (about 2 s of a 2.5 s warm build before)."""
    out, figures = tmp_path / "processed", tmp_path / "figures"
    shutil.copytree(two_builds[0] / "processed", out)
    shutil.copytree(two_builds[0] / "figures", figures)
    run_build(out_dir=out, figures_dir=figures)  # records the stamp
    script = (
        "import sys\n"
        "from analysis.build import run_build\n"
        f"report = run_build(out_dir={str(out)!r}, figures_dir={str(figures)!r})\n"
        "assert report.up_to_date and not report.written\n"
        "print(sorted(m for m in ('scipy.stats', 'sklearn', 'xlsxwriter', 'matplotlib', "
        "'jieba') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert done.stdout.strip() == "[]"


def test_interrupted_build_leaves_previous_outputs_intact(two_builds, tmp_path, monkeypatch):
    out, figures = tmp_path / "processed", tmp_path / "figures"
    shutil.copytree(two_builds[0] / "processed", out)
    before = _hashes(out)
    stale = ["documents.csv", "sections.csv", "targets.csv"]
    for name in stale:  # so the build has work to do
        (out / name).write_bytes(b"stale but complete")
    real_replace, calls = os.replace, []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt("simulated interruption")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(KeyboardInterrupt):
        run_build(out_dir=out, figures_dir=figures, use_cache=False, only="tables")
    monkeypatch.setattr(os, "replace", real_replace)
    after = _hashes(out)
    # every file is either the previous version or a complete new one; no temporary files
    assert not [
        p for p in out.iterdir() if p.name.endswith(".tmp") or p.name.startswith(".staging")
    ]
    for name, digest in after.items():
        if name.removeprefix("processed/") not in stale:
            assert digest == before[name], name
    for name in stale:  # each stale file is either untouched or completely replaced
        new = (two_builds[0] / "processed" / name).read_bytes()
        assert (out / name).read_bytes() in (b"stale but complete", new)
    assert sum((out / n).read_bytes() == b"stale but complete" for n in stale) == 2


def test_cli_only_and_help(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--help"])
    assert exit_info.value.code == 0
    assert "--only" in capsys.readouterr().out
    code = main(["build", "--only", "tables", "--out", str(tmp_path / "out"),
                 "--figures", str(tmp_path / "fig")])  # fmt: skip
    assert code == 0
    assert (tmp_path / "out" / "documents.csv").is_file()
    assert not (tmp_path / "out" / "kexie_comparison.xlsx").exists()
    assert not (tmp_path / "fig").exists()
    assert "build finished" in capsys.readouterr().out


def test_default_paths_point_into_the_project():
    assert config.RAW_DIR.name == "raw" and (config.RAW_DIR / "documents.csv").is_file()


def test_outputs_do_not_depend_on_worker_processes(two_builds, tmp_path):
    """The fixture builds use the default workers (figures and CSVs in forked processes on
    Linux); a single-process build writes the same bytes."""
    run_build(out_dir=tmp_path / "processed", figures_dir=tmp_path / "figures", use_cache=False,
              jobs=1)  # fmt: skip
    assert _hashes(tmp_path / "processed", tmp_path / "figures") == _hashes(
        two_builds[0] / "processed", two_builds[0] / "figures"
    )


#: Thread pools of the numerical libraries pinned to one thread: a build in another process
#: with another thread count must write the same bytes.
ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                     "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")}  # fmt: skip


def _build_in_fresh_process(out: Path, figures: Path, **env: str) -> None:
    subprocess.run([sys.executable, "-m", "analysis", "build", "--out", str(out), "--figures",
                    str(figures), "--no-cache", "--jobs", "1"],
                   env={**os.environ, **ONE_THREAD, **env}, check=True, capture_output=True,
                   timeout=600)  # fmt: skip


def test_a_fresh_process_with_one_thread_writes_the_same_bytes(two_builds, tmp_path):
    _build_in_fresh_process(tmp_path / "processed", tmp_path / "figures")
    assert _hashes(tmp_path / "processed", tmp_path / "figures") == _hashes(
        two_builds[0] / "processed", two_builds[0] / "figures"
    )


def test_without_hand_labels_a_clone_keeps_its_committed_outputs_byte_for_byte(tmp_path):
    """A researcher's clone (no ../shared) runs command 1 over the committed outputs: nothing
    changes, not even the validation tables (kept: the labels are not there to redo them).
    Only a machine with the package versions the committed outputs record can promise the
    same bytes; elsewhere this is skipped, saying which versions differ."""
    import json

    from analysis.stamp import package_versions

    recorded = json.loads((config.PROCESSED_DIR / "provenance.json").read_text())["packages"]
    installed = package_versions()
    differing = {k: (v, installed.get(k)) for k, v in recorded.items() if installed.get(k) != v}
    if differing:
        pytest.skip(f"package versions differ from the committed outputs': {differing}")
    out, figures = tmp_path / "processed", tmp_path / "figures"
    shutil.copytree(config.PROCESSED_DIR, out, ignore=shutil.ignore_patterns(".*"))
    shutil.copytree(config.FIGURES_DIR, figures, ignore=shutil.ignore_patterns(".*"))
    before = _hashes(out, figures)
    _build_in_fresh_process(out, figures, KEXIE_GOLD_DIR=str(tmp_path / "no-labels"))
    assert _hashes(out, figures) == before
    validation = (out / "alignment_validation.csv").read_text(encoding="utf-8-sig")
    assert "scored" in validation and "skipped" not in validation
