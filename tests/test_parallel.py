"""Work in other processes gives the same results as work in this one, and errors come back."""

from __future__ import annotations

import os
import sys
import time
import types
from pathlib import Path

import pandas as pd
import pytest

from analysis import cache
from analysis.corpus import _parse_file
from analysis.parallel import (
    BACKGROUND_NICENESS,
    Deferred,
    Forked,
    in_background,
    map_in_workers,
)

needs_fork = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forking: Linux only")


def _divide(a: int, b: int) -> float:
    return a / b


@pytest.mark.parametrize("enabled", [True, False])
def test_background_call_returns_its_result(enabled):
    assert in_background(_divide, 6, 3, enabled=enabled).result() == 2.0


@pytest.mark.parametrize("enabled", [True, False])
def test_background_call_raises_the_error_in_the_caller(enabled):
    with pytest.raises(ZeroDivisionError):
        in_background(_divide, 1, 0, enabled=enabled).result()


def _fake_kernelapp(running: bool) -> types.ModuleType:
    module = types.ModuleType("ipykernel.kernelapp")
    module.IPKernelApp = types.SimpleNamespace(initialized=lambda: running)
    return module


def test_background_work_forks_on_linux_outside_jupyter(monkeypatch):
    # a process that only starts kernels (nbclient, this test suite) has imported ipykernel
    monkeypatch.setitem(sys.modules, "ipykernel.kernelapp", _fake_kernelapp(running=False))
    job = in_background(_divide, 1, 1)
    assert isinstance(job, Forked) == sys.platform.startswith("linux")
    assert job.result() == 1.0
    monkeypatch.setitem(sys.modules, "ipykernel.kernelapp", _fake_kernelapp(running=True))
    assert isinstance(in_background(_divide, 1, 1), Deferred)  # never fork a Jupyter kernel


def _pid_of_call(_item) -> int:
    return os.getpid()


def test_worker_map_forks_on_linux_and_never_in_a_jupyter_kernel(monkeypatch):
    """Parsing and segmentation share one map: in forked workers where the platform forks, in
    this process elsewhere, with results in order either way."""
    monkeypatch.setitem(sys.modules, "ipykernel.kernelapp", _fake_kernelapp(running=False))
    assert list(map_in_workers(_divide, [6, 8, 9], [3, 2, 3], jobs=2)) == [2.0, 4.0, 3.0]
    pids = set(map_in_workers(_pid_of_call, range(4), jobs=2))
    assert (os.getpid() not in pids) == sys.platform.startswith("linux")
    monkeypatch.setitem(sys.modules, "ipykernel.kernelapp", _fake_kernelapp(running=True))
    assert set(map_in_workers(_pid_of_call, range(4), jobs=2)) == {os.getpid()}
    assert set(map_in_workers(_pid_of_call, range(4), jobs=1)) == {os.getpid()}


@pytest.mark.parametrize("min_chars", [0, 10**9], ids=["workers", "one forked process"])
def test_segmenting_in_other_processes_gives_the_same_tokens(corpus, monkeypatch, min_chars):
    """From PARALLEL_MIN_CHARS characters the documents are segmented in ``jobs`` workers, below
    it in one forked process (so the build loads its analysis modules meanwhile)."""
    monkeypatch.setitem(sys.modules, "ipykernel.kernelapp", _fake_kernelapp(running=False))
    sentences = corpus.sentences[corpus.sentences["doc_id"].isin(["jilin_reform_2022",
                                                                  "henan_2022_society"])]  # fmt: skip
    one, _ = cache.cached_tokens(sentences, None, jobs=1)
    monkeypatch.setattr(cache, "PARALLEL_MIN_CHARS", min_chars)
    pending = cache.start_cached_tokens(sentences, None, jobs=2)
    two, segmented = pending.result()
    assert segmented == 2
    pd.testing.assert_frame_equal(one, two)
    assert two.attrs["segmenter"] == one.attrs["segmenter"]


def _write_pid(path: str) -> int:
    Path(path).write_text(str(os.getpid()))
    return os.getpid()


@needs_fork
def test_worker_map_starts_before_its_results_are_read(tmp_path, monkeypatch):
    """The build reads the segmentation results only after loading its analysis modules, so the
    workers must already be at work when the map returns."""
    monkeypatch.setitem(sys.modules, "ipykernel.kernelapp", _fake_kernelapp(running=False))
    paths = [str(tmp_path / f"{i}.pid") for i in range(3)]
    results = map_in_workers(_write_pid, paths, jobs=2)
    deadline = time.monotonic() + 30
    while not all(Path(p).exists() for p in paths) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(Path(p).exists() for p in paths)  # done without reading a result
    assert os.getpid() not in set(results)


@needs_fork
def test_pending_tokens_can_be_cancelled(corpus, monkeypatch):
    monkeypatch.setitem(sys.modules, "ipykernel.kernelapp", _fake_kernelapp(running=False))
    pending = cache.start_cached_tokens(corpus.sentences, None, jobs=2)
    pending.cancel()  # a build failing while the tokens are segmented stops the segmenter
    with pytest.raises(RuntimeError, match="without a result"):
        pending.result()


def _niceness() -> int:
    import os

    return os.nice(0)


def _niceness_after_lowering() -> int:
    import os

    os.nice(BACKGROUND_NICENESS)
    return os.nice(0)


@needs_fork
def test_figure_workers_yield_to_the_workbook_and_csvs():
    """Figures are off the critical path: their workers run at lower priority, the processes
    writing the workbook and the CSVs at the main process's."""
    from analysis.figures import FigureRendering

    own = _niceness()
    if Forked(_niceness_after_lowering).result() == own:
        pytest.skip("this machine does not honour niceness (os.nice has no effect)")
    keywords = pd.DataFrame({"doc_id": "d00", "term": ["科普", "学会"], "rank": [1, 2],
                             "per_10k": [2.0, 1.0]})  # fmt: skip
    data = {"01_top_keywords": {"keywords": keywords}, "07_wordclouds": {"keywords": keywords}}
    rendering = FigureRendering(data, reference="d00", workers=2)
    try:
        assert rendering._pool.submit(_niceness).result() == min(own + BACKGROUND_NICENESS, 19)
    finally:
        rendering.close()
    assert in_background(_niceness).result() == own


def _parse_noting_the_process(*args):
    """``corpus._parse_file``, appending the process id to the file $KEXIE_TEST_PIDS names
    (module level, so a worker can be sent it)."""
    with open(os.environ["KEXIE_TEST_PIDS"], "a") as handle:
        handle.write(f"{os.getpid()}\n")
    return _parse_file(*args)


@needs_fork
def test_corpus_parsed_in_workers_equals_one_process(corpus, tmp_path, monkeypatch):
    import analysis.corpus

    monkeypatch.setattr(analysis.corpus, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(analysis.corpus, "_parse_file", _parse_noting_the_process)
    monkeypatch.setenv("KEXIE_TEST_PIDS", str(tmp_path / "pids"))
    parallel = analysis.corpus.load_corpus(jobs=2)
    seen = (tmp_path / "pids").read_text().split()
    assert len(seen) == 5 and str(os.getpid()) not in seen  # five files, parsed in workers
    for name in ("documents", "sections", "sentences", "removed"):
        pd.testing.assert_frame_equal(getattr(parallel, name), getattr(corpus, name))
    assert parallel.texts == corpus.texts


@needs_fork
def test_a_bad_file_parsed_in_a_worker_is_named_in_the_error(tmp_path, monkeypatch):
    import analysis.corpus
    from analysis.errors import SourceFileError
    from tests.conftest import write_raw

    good = "一、总体要求\n1.加强党的领导。\n".encode()
    rows = [f"doc_{n},{n}.txt,provincial,河南,规划,,,,,2021,2025,,," for n in "abc"]
    raw = write_raw(tmp_path / "raw", {"a.txt": good, "b.txt": b"\x00\x01binary", "c.txt": good},
                    rows)  # fmt: skip
    monkeypatch.setattr(analysis.corpus, "PARALLEL_MIN_BYTES", 0)
    with pytest.raises(SourceFileError, match="b.txt"):
        analysis.corpus.load_corpus(raw, jobs=2)
