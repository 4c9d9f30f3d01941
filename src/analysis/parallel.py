"""Work in forked processes, so independent parts of the build use the other cores.

Forking shares the parent's tables without copying or pickling them. It is used on Linux
only and never inside a Jupyter kernel; elsewhere (macOS, Windows, notebooks) the same work
runs in this process when its result is asked for, with the same result.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from multiprocessing import get_all_start_methods, get_context
from typing import Any


def inside_jupyter_kernel() -> bool:
    """Whether this process is a running Jupyter (IPython) kernel.

    Importing ipykernel is not enough: a process that starts kernels (nbclient, the test suite)
    imports part of it without being one.
    """
    kernelapp = sys.modules.get("ipykernel.kernelapp")
    return kernelapp is not None and kernelapp.IPKernelApp.initialized()


def can_fork() -> bool:
    """Whether work may run in forked processes: on Linux, where fork is safe and cheap, and
    not inside a Jupyter kernel (whose messaging threads make forking it unsafe)."""
    return (sys.platform.startswith("linux") and "fork" in get_all_start_methods()
            and not inside_jupyter_kernel())  # fmt: skip


class Deferred:
    """A call made when its result is asked for (the in-process stand-in for a future)."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        self._function, self._args = function, args

    def result(self) -> Any:
        """Make the call and return its result."""
        return self._function(*self._args)


#: Niceness added to work that is off the build's critical path (the figure workers, drawing
#: while the workbook and the CSVs are written), so the operating system gives those a core each.
BACKGROUND_NICENESS = 10


def lower_priority(increment: int = BACKGROUND_NICENESS) -> None:
    """Make this process yield the CPU to normal-priority ones (where the OS allows it)."""
    try:
        os.nice(increment)
    except (AttributeError, OSError):  # pragma: no cover - not on POSIX, or not permitted
        pass


def freeze_for_fork() -> None:
    """Move every object so far out of the garbage collector's reach before forking, so a
    child's collections do not write to (and so copy) the memory pages it shares with the
    parent. The objects stay alive as long as they are referenced; they are just never
    scanned for cycles again."""
    gc.freeze()


class Forked:
    """A call running in a forked child process; :meth:`result` waits for it.

    An exception in the child is raised again in the parent by :meth:`result`.
    """

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        context = get_context("fork")
        freeze_for_fork()
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run_and_send,
                                        args=(send, function, args),
                                        daemon=True)  # fmt: skip
        self._process.start()
        send.close()

    def result(self) -> Any:
        """Wait for the child and return what the call returned."""
        try:
            status, value = self._receive.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(
                f"worker process ended without a result (exit code {self._process.exitcode})"
            ) from None
        finally:
            self._receive.close()
        self._process.join()
        if status == "error":
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child if it is still running."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def _run_and_send(send, function: Callable[..., Any], args: tuple) -> None:
    try:
        message = ("ok", function(*args))
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        message = ("error", exc)
    send.send(message)
    send.close()


def in_background(function: Callable[..., Any], *args: Any, enabled: bool = True):
    """Start ``function(*args)`` in a forked process if ``enabled`` and possible, else defer it.

    Returns
    -------
    Forked or Deferred
        Call ``.result()`` to get the return value.
    """
    if enabled and can_fork():
        return Forked(function, *args)
    return Deferred(function, *args)


def map_in_workers(function: Callable[..., Any], *iterables: Iterable, jobs: int,
                   chunksize: int = 1) -> Iterator:  # fmt: skip
    """``map(function, *iterables)`` in ``jobs`` forked worker processes when ``jobs > 1`` and
    the platform forks (:func:`can_fork`), else in this process; results in order either way.

    The workers start at once, so the caller can do other work before it reads the results;
    in this process the calls are made as the results are read. An exception in a worker is
    raised again when its result is reached.
    """
    if jobs > 1 and can_fork():
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork"))
        try:
            results = pool.map(function, *iterables, chunksize=chunksize)  # submits every task
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        return _PoolResults(pool, results)
    return map(function, *iterables)


class _PoolResults:
    """The results of tasks submitted to a pool, in order; the pool shuts down once they are
    all read, when one raises, or when :meth:`close` is called (tasks not started are dropped)."""

    def __init__(self, pool, results: Iterator) -> None:
        self._pool, self._results = pool, results

    def __iter__(self) -> _PoolResults:
        return self

    def __next__(self) -> Any:
        try:
            return next(self._results)
        except BaseException:  # StopIteration included: the last result was read
            self.close()
            raise

    def close(self) -> None:
        """Stop the workers (waiting for the tasks they are running)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
