"""The pipeline: steps run as soon as their inputs exist, in forked processes or here, with the
same results; errors come back and stop the rest."""

from __future__ import annotations

import os
import sys
import time
import types
from functools import partial
from pathlib import Path

import pytest

from analysis.pipeline import (
    ForkRunner,
    InProcessRunner,
    PipelineError,
    Step,
    can_fork,
    choose_runner,
)

needs_fork = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forking: Linux only")


def _steps() -> list[Step]:
    def add(a, b):
        return {"sum": a + b, "pid": os.getpid()}

    def double(sum):  # noqa: A002 - the product's name
        return {"double": 2 * sum}

    return [Step("double", double, ("sum",), ("double",)),  # declared before what it needs
            Step("add", add, ("a", "b"), ("sum", "pid")),
            Step("start", lambda: {"a": 2, "b": 3}, (), ("a", "b"), here=True)]  # fmt: skip


def _fake_kernelapp(running: bool) -> types.ModuleType:
    module = types.ModuleType("ipykernel.kernelapp")
    module.IPKernelApp = types.SimpleNamespace(initialized=lambda: running)
    return module


@pytest.mark.parametrize("runner", [InProcessRunner(), ForkRunner(2)], ids=["here", "forked"])
def test_steps_run_in_dependency_order_with_the_same_results(runner):
    if isinstance(runner, ForkRunner) and not can_fork():
        pytest.skip("forking: Linux only")
    products = runner.run(_steps(), {})
    assert (products["a"], products["sum"], products["double"]) == (2, 5, 10)
    assert (products["pid"] != os.getpid()) == isinstance(runner, ForkRunner)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_step_raises_its_error_in_the_caller(jobs):
    def fail(a):
        raise ZeroDivisionError(f"bad {a}")

    steps = [Step("a", lambda: {"a": 1}, (), ("a",)), Step("fail", fail, ("a",), ("x",))]
    with pytest.raises(ZeroDivisionError, match="bad 1"):
        choose_runner(jobs).run(steps, {})


@needs_fork
def test_a_failure_stops_the_steps_still_running(tmp_path):
    def slow():
        time.sleep(30)
        (tmp_path / "finished").write_text("yes")
        return {"slow": 1}

    def fail():
        time.sleep(0.5)
        raise ValueError("stop")

    start = time.perf_counter()
    with pytest.raises(ValueError, match="stop"):
        ForkRunner(2).run([Step("slow", slow, (), ("slow",)), Step("fail", fail, (), ("f",))], {})
    assert time.perf_counter() - start < 10 and not (tmp_path / "finished").exists()


def test_missing_inputs_and_products_are_named():
    with pytest.raises(PipelineError, match=r"no step makes \['x'\]"):
        InProcessRunner().run([Step("s", lambda x: {}, ("x",), ())], {})
    with pytest.raises(PipelineError, match=r"step 's' did not make \['y'\]"):
        InProcessRunner().run([Step("s", lambda: {}, (), ("y",))], {})


@needs_fork
def test_forked_steps_see_every_product_made_before_them_without_pickling():
    class Unpicklable:
        def __reduce__(self):
            raise TypeError("would need pickling")

    steps = [Step("make", lambda: {"thing": Unpicklable()}, (), ("thing",), here=True),
             Step("use", lambda thing: {"seen": type(thing).__name__}, ("thing",), ("seen",))]  # fmt: skip
    assert ForkRunner(2).run(steps, {})["seen"] == "Unpicklable"


def test_progress_reports_each_step_start_and_end():
    events = []
    InProcessRunner().run(
        _steps(), {}, progress=lambda name, event, _: events.append((name, event))
    )
    assert events == [("start", "start"), ("start", "done"), ("add", "start"), ("add", "done"),
                      ("double", "start"), ("double", "done")]  # fmt: skip


def _pid(_item) -> int:
    return os.getpid()


def test_maps_run_in_workers_where_the_platform_forks(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipykernel.kernelapp", _fake_kernelapp(running=False))
    assert list(choose_runner(2).map(abs, [-1, 2, -3])) == [1, 2, 3]
    pids = set(choose_runner(2).map(_pid, range(4)))
    assert (os.getpid() not in pids) == sys.platform.startswith("linux")
    assert set(choose_runner(1).map(_pid, range(4))) == {os.getpid()}


def test_a_jupyter_kernel_never_forks(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipykernel.kernelapp", _fake_kernelapp(running=True))
    assert not can_fork()
    assert isinstance(choose_runner(4), InProcessRunner)
    monkeypatch.setitem(sys.modules, "ipykernel.kernelapp", _fake_kernelapp(running=False))
    assert isinstance(choose_runner(4), ForkRunner) == sys.platform.startswith("linux")


def _write_pid(path: str) -> int:
    Path(path).write_text(str(os.getpid()))
    return os.getpid()


@needs_fork
def test_map_workers_start_before_the_results_are_read(tmp_path):
    """The build loads its analysis libraries before reading the segmentation's results, so the
    workers must already be at work when the map returns."""
    paths = [str(tmp_path / f"{i}.pid") for i in range(3)]
    results = ForkRunner(2).map(_write_pid, paths)
    deadline = time.monotonic() + 30
    while not all(Path(p).exists() for p in paths) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(Path(p).exists() for p in paths)  # done without reading a result
    assert os.getpid() not in set(results)


@needs_fork
def test_segmenting_in_workers_gives_the_same_tokens(corpus, monkeypatch):
    import pandas as pd

    from analysis import cache

    sentences = corpus.sentences[corpus.sentences["doc_id"].isin(["jilin_reform_2022",
                                                                  "henan_2022_society"])]  # fmt: skip
    one, _ = cache.cached_tokens(sentences, None, jobs=1)
    for min_chars in (0, 10**9):  # two workers, then one forked worker
        monkeypatch.setattr(cache, "PARALLEL_MIN_CHARS", min_chars)
        called: list[int] = []
        two, segmented = cache.cached_tokens(sentences, None, jobs=2,
                                             while_waiting=partial(called.append, 1))  # fmt: skip
        assert segmented == 2 and called == [1]
        pd.testing.assert_frame_equal(one, two)
        assert two.attrs["segmenter"] == one.attrs["segmenter"]


@needs_fork
def test_corpus_parsed_in_workers_equals_one_process(corpus, monkeypatch):
    import pandas as pd

    import analysis.corpus
    from analysis import load_corpus

    monkeypatch.setattr(analysis.corpus, "PARALLEL_MIN_BYTES", 0)
    parallel = load_corpus(jobs=2)
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
