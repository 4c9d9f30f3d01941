"""Work in other processes gives the same results as work in this one, and errors come back."""

from __future__ import annotations

import sys
import types

import pandas as pd
import pytest

from analysis import cache
from analysis.parallel import BACKGROUND_NICENESS, Deferred, Forked, in_background


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


def test_segmenting_in_worker_processes_gives_the_same_tokens(corpus, monkeypatch):
    sentences = corpus.sentences[corpus.sentences["doc_id"].isin(["jilin_reform_2022",
                                                                  "henan_2022_society"])]  # fmt: skip
    one, _ = cache.cached_tokens(sentences, None, jobs=1)
    monkeypatch.setattr(cache, "PARALLEL_MIN_CHARS", 0)  # small corpora stay in-process
    two, segmented = cache.cached_tokens(sentences, None, jobs=2)
    assert segmented == 2
    pd.testing.assert_frame_equal(one, two)


def _niceness() -> int:
    import os

    return os.nice(0)


def _niceness_after_lowering() -> int:
    import os

    os.nice(BACKGROUND_NICENESS)
    return os.nice(0)


def _was_lowered() -> bool:
    return _LOWERED


_LOWERED = False


def test_background_children_ask_for_lower_priority(monkeypatch):
    """The wiring, independent of whether the OS honours niceness (some sandboxes do not)."""
    import analysis.parallel as parallel

    def record():
        global _LOWERED
        _LOWERED = True

    monkeypatch.setattr(parallel, "lower_priority", record)
    assert in_background(_was_lowered, low_priority=True).result() == parallel.can_fork()
    assert in_background(_was_lowered).result() is False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forking is used on Linux only")
def test_low_priority_work_yields_to_the_main_process():
    own = _niceness()
    if Forked(_niceness_after_lowering).result() == own:
        pytest.skip("this machine does not honour niceness (os.nice has no effect)")
    background = in_background(_niceness, low_priority=True).result()
    assert background == min(own + BACKGROUND_NICENESS, 19)
    assert in_background(_niceness).result() == own
