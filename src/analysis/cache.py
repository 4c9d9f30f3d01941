"""The token cache: each document's tokens, kept under a key of its text and the segmenter."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from functools import cache
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from .files import write_bytes_atomic
from .pipeline import ForkRunner, InProcessRunner, can_fork
from .stamp import digest
from .tokens import TOKEN_COLUMNS, Backend, segmenter_info, shared_strings, tokens_table

#: Segment in ``jobs`` workers only from this many characters; a smaller corpus in one forked
#: worker while the build loads its analysis libraries. Measured (seventh session, medians of six
#: pairs): the bundled documents (56,000 characters) build in 9.0 s against 10.7 s with the
#: segmentation in this process; at 0.87 million characters (100 documents) two workers cut the
#: tokens step from 6.8 to 4.6 s.
PARALLEL_MIN_CHARS = 200_000


def token_cache_key(doc_sentences: pd.DataFrame, backend: Backend, hmm: bool) -> str:
    """Key of one document's tokens: its doc_id and sentences, the segmenter and its resources.

    The doc_id is part of it because the cached table holds it: two documents with the same
    sentences (one text registered twice) must not share an entry.
    """
    info = json.dumps(segmenter_info(backend, hmm=hmm), sort_keys=True)
    doc_ids = doc_sentences["doc_id"].unique().tolist()
    texts = "\n".join(f"{i}\t{t}" for i, t in zip(doc_sentences["sentence_id"],
                                                   doc_sentences["text"], strict=True))  # fmt: skip
    return digest("\t".join(map(str, doc_ids)), texts, info, _package_version())


@cache
def _package_version() -> str:
    return version("kexie-compare")


def _segment_one(args: tuple[pd.DataFrame, Backend, bool]) -> bytes:
    """The pickled token table of one document: what a worker sends back, and the cache
    entry as it is written (so the table is pickled once)."""
    frame, backend, hmm = args
    return pickle.dumps(tokens_table(frame, backend=backend, hmm=hmm), protocol=5)


def cached_tokens(
    sentences: pd.DataFrame,
    cache_dir: Path | None,
    *,
    backend: Backend = "jieba",
    hmm: bool = True,
    jobs: int = 1,
    while_waiting: Callable[[], None] | None = None,
    progress=None,
) -> tuple[pd.DataFrame, int]:
    """Tokens of every document, reusing cached ones whose key did not change.

    With ``jobs > 1`` and :func:`analysis.pipeline.can_fork`, the documents to segment are
    segmented in forked worker processes (``jobs`` of them from :data:`PARALLEL_MIN_CHARS`
    characters, else one), started before anything else, so the caller's ``while_waiting`` (the
    build loads its analysis libraries) runs meanwhile; otherwise here. The tokens are the
    same either way.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The ``sentences`` table.
    cache_dir : pathlib.Path or None
        Where cached token tables live (None: no caching).
    backend, hmm : segmenter settings.
    jobs : int
        Worker processes for the documents that must be segmented.
    while_waiting : callable, optional
        Called once the segmentation has started, before its results are read.
    progress : callable, optional
        Wraps an iterable to show progress (``tqdm``).

    Returns
    -------
    tokens : pandas.DataFrame
        The ``tokens`` table, in document order.
    n_segmented : int
        Documents segmented now (the others came from the cache).
    """
    groups = [(doc_id, frame) for doc_id, frame in sentences.groupby("doc_id", sort=False)]
    keys = {doc_id: token_cache_key(frame, backend, hmm) for doc_id, frame in groups}
    found: dict[str, pd.DataFrame] = {}
    if cache_dir is not None:
        for doc_id, _ in groups:
            path = cache_dir / f"tokens-{keys[doc_id]}.pkl"
            if path.is_file():
                try:
                    found[doc_id] = pickle.loads(path.read_bytes())
                except (pickle.UnpicklingError, EOFError, AttributeError, ValueError):
                    path.unlink(missing_ok=True)  # a damaged cache entry is recomputed
    missing = [(doc_id, frame) for doc_id, frame in groups if doc_id not in found]
    work = [(frame, backend, hmm) for _, frame in missing]
    chars = sum(int(frame["text"].str.len().sum()) for frame, _, _ in work)
    # below PARALLEL_MIN_CHARS one forked worker: two would each load jieba's dictionary while
    # this process loads the analysis libraries, three processes on two cores
    workers = min(len(work), jobs if chars >= PARALLEL_MIN_CHARS else 1)
    runner = ForkRunner(workers) if jobs > 1 and workers and can_fork() else InProcessRunner()
    segmented = runner.map(_segment_one, work)
    try:
        if while_waiting is not None:
            while_waiting()
        wrap = progress or (lambda iterable, **_: iterable)
        for (doc_id, _), pickled in zip(missing, wrap(segmented, total=len(work),
                                                      desc="segment"), strict=True):  # fmt: skip
            found[doc_id] = pickle.loads(pickled)
            if cache_dir is not None:
                write_bytes_atomic(cache_dir / f"tokens-{keys[doc_id]}.pkl", pickled,
                                   durable=False)  # fmt: skip
    finally:
        segmented.close()  # stops workers still running when the caller failed
    ordered = [found.pop(doc_id) for doc_id, _ in groups]
    tokens = (pd.concat(ordered, ignore_index=True) if ordered
              else pd.DataFrame(columns=TOKEN_COLUMNS))  # fmt: skip
    # each document's table shares its strings; across documents they are shared here
    tokens["token"] = shared_strings(tokens["token"])
    tokens.attrs["segmenter"] = segmenter_info(backend, hmm=hmm)
    return tokens, len(missing)
