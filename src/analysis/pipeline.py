"""The pipeline: build steps, each declared with what it needs and what it makes, run by one runner.

A :class:`Step` is a function of named inputs returning named products. :func:`choose_runner` picks
the runner once per build:

* :class:`ForkRunner` on Linux, outside a Jupyter kernel, with ``jobs > 1``: each step starts, as
  soon as its inputs exist, in a forked process of its own (a one-worker
  ``concurrent.futures.ProcessPoolExecutor`` with the fork context, made when the step starts),
  at most ``jobs`` at a time. A forked step sees every product made so far without their being
  pickled; only what it returns travels back.
* :class:`InProcessRunner` everywhere else (macOS, Windows, a Jupyter kernel, ``jobs = 1``): the
  same steps one after the other in this process, with the same results.

Both also :meth:`~ForkRunner.map` a function over items (files to parse, documents to segment):
in a pool of ``jobs`` forked workers, or here.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import sys
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from typing import Any


@dataclass(frozen=True)
class Step:
    """One step of the build.

    Attributes
    ----------
    name : str
        Shown in the build's progress and timings.
    run : callable
        Called with the products named in ``needs`` as keyword arguments; returns a dict holding
        (at least) the products named in ``makes``.
    needs, makes : tuple of str
        Product names.
    here : bool
        Run in this process even under :class:`ForkRunner`, as soon as its inputs exist (a step
        that spreads its own work over worker processes, or one too small to fork for).
    """

    name: str
    run: Callable[..., dict[str, Any]]
    needs: tuple[str, ...] = ()
    makes: tuple[str, ...] = ()
    here: bool = False


class PipelineError(RuntimeError):
    """Steps whose inputs no step makes (a mistake in the step declarations)."""


def inside_jupyter_kernel() -> bool:
    """Whether this process is a running Jupyter (IPython) kernel.

    Importing ipykernel is not enough: a process that starts kernels (nbclient, the test suite)
    imports part of it without being one.
    """
    kernelapp = sys.modules.get("ipykernel.kernelapp")
    return kernelapp is not None and kernelapp.IPKernelApp.initialized()


def can_fork() -> bool:
    """Whether work may run in forked processes: on Linux, where fork is safe and cheap, and not
    inside a Jupyter kernel (whose messaging threads make forking it unsafe)."""
    return (sys.platform.startswith("linux") and "fork" in get_all_start_methods()
            and not inside_jupyter_kernel())  # fmt: skip


def choose_runner(jobs: int) -> InProcessRunner | ForkRunner:
    """The runner of a build: :class:`ForkRunner` when ``jobs > 1`` and :func:`can_fork`."""
    return ForkRunner(jobs) if jobs > 1 and can_fork() else InProcessRunner()


Progress = Callable[[str, str, float], None]
"""Called with a step's name, ``"start"`` or ``"done"``, and the seconds since the run began."""


def _order(steps: list[Step], available: Iterable[str]) -> list[Step]:
    """The steps in an order in which each one's needs are made before it (declaration order
    where that allows)."""
    have, todo, ordered = set(available), list(steps), []
    while todo:
        ready = next((s for s in todo if set(s.needs) <= have), None)
        if ready is None:
            missing = {n for s in todo for n in s.needs} - have - {m for s in todo for m in s.makes}
            raise PipelineError(f"no step makes {sorted(missing)} (needed by "
                                f"{[s.name for s in todo if set(s.needs) & missing]})")  # fmt: skip
            # (a cycle would also end here; the declarations have none)
        todo.remove(ready)
        ordered.append(ready)
        have |= set(ready.makes)
    return ordered


def _call(step: Step, available: dict[str, Any]) -> dict[str, Any]:
    products = step.run(**{name: available[name] for name in step.needs})
    missing = set(step.makes) - set(products)
    if missing:
        raise PipelineError(f"step {step.name!r} did not make {sorted(missing)}")
    return products


class InProcessRunner:
    """Every step in this process, one after the other; maps are plain maps."""

    jobs = 1

    def run(self, steps: list[Step], available: dict[str, Any], *,
            progress: Progress | None = None) -> dict[str, Any]:  # fmt: skip
        """Run ``steps`` and return ``available`` with every product added."""
        products, start = dict(available), time.perf_counter()
        for step in _order(steps, products):
            if progress:
                progress(step.name, "start", time.perf_counter() - start)
            products.update(_call(step, products))
            if progress:
                progress(step.name, "done", time.perf_counter() - start)
        return products

    def map(self, function: Callable[[Any], Any], items: Iterable, *,
            chunksize: int = 1) -> Generator:  # fmt: skip
        """``map(function, items)``, lazily (``chunksize`` is ignored); like
        :meth:`ForkRunner.map`'s results it has a ``close()``."""
        return (function(item) for item in items)


#: What a forked step finds in its copy of this module: the steps and the products so far.
_INHERITED: dict[str, Any] = {}


def _run_inherited(name: str) -> dict[str, Any]:
    """In a forked step's process: run the step ``name`` on the products it inherited."""
    steps, available = _INHERITED["steps"], _INHERITED["available"]
    step = steps[name]
    return {k: v for k, v in _call(step, available).items() if k in step.makes}


class ForkRunner:
    """Each step in a forked process of its own as soon as its inputs exist, ``jobs`` at a time;
    maps in a pool of ``jobs`` forked workers.

    Parameters
    ----------
    jobs : int
        Steps running at once (and workers of a map).
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs

    def run(self, steps: list[Step], available: dict[str, Any], *,
            progress: Progress | None = None) -> dict[str, Any]:  # fmt: skip
        """Run ``steps`` and return ``available`` with every product added.

        A step marked ``here`` runs in this process while forked steps go on. The first failure
        stops the others (their processes are terminated) and is raised.
        """
        products, start = dict(available), time.perf_counter()
        waiting = _order(steps, products)
        running: dict[Future, tuple[Step, ProcessPoolExecutor]] = {}
        context = get_context("fork")

        def note(step: Step, event: str) -> None:
            if progress:
                progress(step.name, event, time.perf_counter() - start)

        try:
            while waiting or running:
                ready = [s for s in waiting if set(s.needs) <= products.keys()]
                here = next((s for s in ready if s.here), None)
                if here is not None:  # this process is free: run it now
                    waiting.remove(here)
                    note(here, "start")
                    products.update(_call(here, products))
                    note(here, "done")
                    continue
                for step in [s for s in ready if not s.here][: self.jobs - len(running)]:
                    waiting.remove(step)
                    # the child is forked inside submit: it sees the products as they are now
                    _INHERITED.update(steps={s.name: s for s in steps}, available=products)
                    gc.freeze()  # the child's collections then leave the pages it shares alone
                    pool = ProcessPoolExecutor(max_workers=1, mp_context=context,
                                               initializer=die_with_parent,
                                               initargs=(os.getpid(),))  # fmt: skip
                    note(step, "start")
                    running[pool.submit(_run_inherited, step.name)] = (step, pool)
                if not running:
                    if waiting:  # cannot happen after _order; never spin
                        raise PipelineError(f"steps {[s.name for s in waiting]} cannot start")
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    step, pool = running.pop(future)
                    result = future.result()  # a step's error is raised here
                    pool.shutdown(wait=True)
                    products.update(result)
                    note(step, "done")
        finally:
            _INHERITED.clear()
            gc.unfreeze()
            for _, pool in running.values():  # left only when a step failed
                _terminate(pool)
        return products

    def map(self, function: Callable[[Any], Any], items: Iterable, *,
            chunksize: int = 1) -> Iterator:  # fmt: skip
        """``map(function, items)`` in ``jobs`` forked workers, results in order, items sent in
        chunks of ``chunksize``. The workers start at once, so the caller can work before it
        reads the first result."""
        pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=get_context("fork"),
                                   initializer=die_with_parent, initargs=(os.getpid(),))  # fmt: skip
        try:
            results = pool.map(function, items, chunksize=chunksize)  # submits every item
        except BaseException:
            _terminate(pool)
            raise
        return _PoolResults(pool, results)


#: prctl option: the signal a process receives when its parent dies (linux/prctl.h).
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Set up a worker process: it ends when the build that started it ends, however that
    ends (on Linux, ``PR_SET_PDEATHSIG``: a killed build leaves no worker running), and leaves
    Ctrl-C to the build, which stops its workers itself.

    Parameters
    ----------
    parent : int
        The process id of the build (the worker ends at once if that is already gone).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):  # no prctl: the worker may outlive a killed build
            pass
    if os.getppid() != parent:  # the build died before the line above took effect
        os._exit(1)


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: drop its queued work and end its processes (``shutdown`` alone would
    wait for the running ones; the executor has no public handle to its processes)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join()


class _PoolResults:
    """The results of a pool's map, in order; the pool shuts down once they are all read, when
    one raises, or when :meth:`close` is called (work not started is dropped)."""

    def __init__(self, pool: ProcessPoolExecutor, results: Iterator) -> None:
        self._pool, self._results = pool, results

    def __iter__(self) -> _PoolResults:
        return self

    def __next__(self) -> Any:
        try:
            return next(self._results)
        except StopIteration:
            self._pool.shutdown(wait=True)
            raise
        except BaseException:
            _terminate(self._pool)
            raise

    def close(self) -> None:
        """Stop the workers now."""
        _terminate(self._pool)
