"""Build caches: tokens per document by content hash, and a fingerprint of everything a build reads."""

from __future__ import annotations

import hashlib
import json
import pickle
from functools import cache
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from .config import ALIGNMENT_GOLD_NAME, PACKAGE_DIR, RESOURCES_DIR, gold_dir
from .parallel import in_background, map_in_workers
from .tables import write_bytes_atomic
from .tokens import TOKEN_COLUMNS, Backend, segmenter_info, shared_strings, tokenize_sentences

CACHE_DIRNAME = ".cache"
STAMP_NAME = ".build_stamp.json"


#: Segment in ``jobs`` worker processes only from this many characters: each worker loads
#: jieba's dictionary (about a second, in parallel), which a small corpus does not repay.
#: Measured: at 0.87 million characters (100 documents) workers cut the tokens step from 6.8 to
#: 4.6 s (medians of 6 pairs); at 56,000 (the bundled documents) they gain nothing. A smaller
#: corpus is segmented in one forked process, so the build can load its analysis modules meanwhile.
PARALLEL_MIN_CHARS = 200_000


def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def token_cache_key(doc_sentences: pd.DataFrame, backend: Backend, hmm: bool) -> str:
    """Key of one document's tokens: its doc_id and sentences, the segmenter and its resources.

    The doc_id is part of it because the cached table holds it: two documents with the same
    sentences (one text registered twice) must not share an entry.
    """
    info = json.dumps(segmenter_info(backend, hmm=hmm), sort_keys=True)
    doc_ids = doc_sentences["doc_id"].unique().tolist()
    texts = "\n".join(f"{i}\t{t}" for i, t in zip(doc_sentences["sentence_id"],
                                                   doc_sentences["text"], strict=True))  # fmt: skip
    return _digest("\t".join(map(str, doc_ids)), texts, info, _package_version())


@cache
def _package_version() -> str:
    return version("kexie-compare")


def _segment_one(args: tuple[pd.DataFrame, Backend, bool]) -> bytes:
    """The pickled token table of one document: what a worker sends back, and the cache
    entry as it is written (so the table is pickled once)."""
    frame, backend, hmm = args
    return pickle.dumps(tokenize_sentences(frame, backend=backend, hmm=hmm), protocol=5)


def cached_tokens(
    sentences: pd.DataFrame,
    cache_dir: Path | None,
    *,
    backend: Backend = "jieba",
    hmm: bool = True,
    jobs: int = 1,
    progress=None,
) -> tuple[pd.DataFrame, int]:
    """Tokens of every document, reusing cached ones whose key did not change.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The ``sentences`` table.
    cache_dir : pathlib.Path or None
        Where cached token tables live (None: no caching).
    backend, hmm : segmenter settings.
    jobs : int
        Worker processes for the documents that must be segmented (1 = in this process; see
        :func:`start_cached_tokens`).
    progress : callable, optional
        Wraps an iterable to show progress (``tqdm``).

    Returns
    -------
    tokens : pandas.DataFrame
        The ``tokens`` table, in document order.
    n_segmented : int
        Documents segmented now (the others came from the cache).
    """
    pending = start_cached_tokens(sentences, cache_dir, backend=backend, hmm=hmm, jobs=jobs)
    return pending.result(progress=progress)


def start_cached_tokens(
    sentences: pd.DataFrame,
    cache_dir: Path | None,
    *,
    backend: Backend = "jieba",
    hmm: bool = True,
    jobs: int = 1,
) -> PendingTokens:
    """Start :func:`cached_tokens`: read the cache and start segmenting the other documents in
    other processes when ``jobs > 1``, so the caller can work meanwhile.

    The documents are segmented in ``jobs`` worker processes when they hold at least
    :data:`PARALLEL_MIN_CHARS` characters, else in one; forked, so only on Linux and never in a
    Jupyter kernel (:func:`analysis.parallel.can_fork`). Otherwise, and with ``jobs=1``, they
    are segmented in this process when the result is asked for. The tokens are the same either way.

    Returns
    -------
    PendingTokens
        Call ``.result()`` for what :func:`cached_tokens` returns.
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
    in_workers = (
        jobs > 1
        and len(work) > 1
        and (sum(int(frame["text"].str.len().sum()) for frame, _, _ in work) >= PARALLEL_MIN_CHARS)
    )
    if in_workers:
        segmented = map_in_workers(_segment_one, work, jobs=jobs)
    elif jobs > 1 and work:
        segmented = in_background(_segment_all, work)
    else:
        segmented = map(_segment_one, work)
    return PendingTokens(groups, keys, found, [doc_id for doc_id, _ in missing], segmented,
                         cache_dir, segmenter_info(backend, hmm=hmm))  # fmt: skip


def _segment_all(work: list[tuple[pd.DataFrame, Backend, bool]]) -> list[bytes]:
    return [_segment_one(args) for args in work]


class PendingTokens:
    """Tokens being segmented (:func:`start_cached_tokens`); :meth:`result` waits for them."""

    def __init__(self, groups, keys, found, missing, segmented, cache_dir, segmenter) -> None:
        self._groups, self._keys, self._found = groups, keys, found
        self._missing, self._segmented, self._cache_dir = missing, segmented, cache_dir
        self._segmenter = segmenter

    def result(self, *, progress=None) -> tuple[pd.DataFrame, int]:
        """The ``tokens`` table in document order, and the number of documents segmented now.

        ``progress`` wraps an iterable to show progress (``tqdm``), when documents are
        segmented one by one (in this process or in worker processes). Call it once: the
        per-document tables are let go, so they do not stay in memory beside the result.
        """
        if hasattr(self._segmented, "result"):  # one forked process segmenting every document
            results = self._segmented.result()
        else:
            wrap = progress or (lambda iterable, **_: iterable)
            results = list(wrap(self._segmented, total=len(self._missing), desc="segment"))
        found, groups = self._found, self._groups
        self._found, self._groups = {}, []
        for doc_id, pickled in zip(self._missing, results, strict=True):
            found[doc_id] = pickle.loads(pickled)
            if self._cache_dir is not None:
                write_bytes_atomic(self._cache_dir / f"tokens-{self._keys[doc_id]}.pkl", pickled)
        ordered = [found.pop(doc_id) for doc_id, _ in groups]
        tokens = (pd.concat(ordered, ignore_index=True) if ordered
                  else pd.DataFrame(columns=TOKEN_COLUMNS))  # fmt: skip
        # each document's table shares its strings; across documents they are shared here
        tokens["token"] = shared_strings(tokens["token"])
        tokens.attrs["segmenter"] = dict(self._segmenter)
        return tokens, len(self._missing)

    def cancel(self) -> None:
        """Stop segmenting (when the build fails before it asks for the result)."""
        if hasattr(self._segmented, "cancel"):  # one forked process
            self._segmented.cancel()
        elif hasattr(self._segmented, "close"):  # worker processes
            self._segmented.close()


def build_fingerprint(raw_dir: Path, parameters: dict) -> str:
    """Hash of every input a build reads: raw folder, resources, hand labels, package code and
    versions."""
    parts: list[bytes | str] = [json.dumps(parameters, sort_keys=True)]
    for folder in (Path(raw_dir), RESOURCES_DIR, PACKAGE_DIR):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts or path.name.startswith("."):
                continue
            parts += [path.name, path.read_bytes()]
    gold = gold_dir() / ALIGNMENT_GOLD_NAME  # the validation table depends on the hand labels
    parts += [ALIGNMENT_GOLD_NAME, gold.read_bytes() if gold.is_file() else b"absent"]
    for package in ("pandas", "numpy", "scipy", "scikit-learn", "jieba", "bm25s", "matplotlib",
                    "openpyxl", "xlsxwriter", "wordcloud"):  # fmt: skip
        parts.append(f"{package}={version(package)}")
    return _digest(*parts)


def file_hashes(paths: list[Path]) -> dict[str, str]:
    """SHA-256 of each existing file, keyed by its path as a string."""
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.is_file()}


def read_stamp(out_dir: Path) -> dict:
    """The stamp of the last build in ``out_dir`` (empty if none or unreadable)."""
    path = Path(out_dir) / STAMP_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def outputs_current(stamp: dict, kind: str, fingerprint: str) -> bool:
    """True if the last build wrote ``kind`` outputs from the same inputs and they are intact."""
    entry = stamp.get(kind)
    if not entry or entry.get("fingerprint") != fingerprint or not entry.get("files"):
        return False
    recorded = entry["files"]
    return file_hashes([Path(p) for p in recorded]) == recorded


def write_stamp(out_dir: Path, stamp: dict) -> None:
    """Record what this build wrote (atomically)."""
    data = json.dumps(stamp, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_bytes_atomic(Path(out_dir) / STAMP_NAME, data.encode("utf-8"))
