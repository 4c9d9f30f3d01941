"""Character n-gram counting: :mod:`analysis.tfidf` against scikit-learn's ``CountVectorizer``.

The hand-written count keeps its place only while it pays: this script times it and measures
its peak of allocated memory (``tracemalloc``, which numpy reports to) on one text per
document of a corpus, as the document-similarity step counts them (2-3-grams, punctuation read
as a space), three ways: scikit-learn, the hand-written count on all texts at once, and the
hand-written count in chunks of :data:`analysis.tfidf.CHUNK_CHARACTERS` (what the build uses).
Each is run ``--repeats`` times in turn (timed, then traced); medians are printed as JSON.

    python bench/bench_counting.py /tmp/bench/raw500
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time
import tracemalloc
from unittest import mock

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from analysis import load_corpus, tfidf


def _sklearn(texts: list[str]):
    stripped = ["".join(ch if ch.isalnum() else " " for ch in t) for t in texts]
    vectorizer = CountVectorizer(analyzer="char", ngram_range=(2, 3), lowercase=False,
                                 dtype=np.float64)  # fmt: skip
    return vectorizer.fit_transform(stripped)


def _ours(texts: list[str], chunk: int):
    with mock.patch.object(tfidf, "CHUNK_CHARACTERS", chunk):
        return tfidf.char_ngram_counts(texts, (2, 3), punctuation_as_space=True)


def measure(count, texts: list[str]) -> tuple[float, float, tuple[int, int]]:
    """Seconds (untraced), peak MB allocated while counting (a second, traced run: tracing
    slows Python's own allocations), and the matrix shape."""
    gc.collect()
    start = time.perf_counter()
    count(texts)
    seconds = time.perf_counter() - start
    gc.collect()
    tracemalloc.start()
    matrix = count(texts)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return seconds, peak, matrix.shape


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", help="a folder of raw documents (bench/make_corpus.py makes one)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    sentences = load_corpus(args.raw).sentences
    texts = sentences.groupby("doc_id", sort=False)["text"].agg("\n".join).tolist()
    ways = {"scikit-learn": _sklearn,
            "ours, all at once": lambda t: _ours(t, 1 << 62),
            "ours, in chunks": lambda t: _ours(t, tfidf.CHUNK_CHARACTERS)}  # fmt: skip
    runs = {name: [] for name in ways}
    for _ in range(args.repeats):
        for name, count in ways.items():
            runs[name].append(measure(count, texts))
    shapes = {runs[name][0][2] for name in ways}
    assert len(shapes) == 1, shapes  # the same vocabulary every way
    print(json.dumps({"documents": len(texts), "characters": sum(map(len, texts)),
                      "shape": list(shapes.pop()),
                      **{name: {"seconds": round(statistics.median(r[0] for r in rs), 2),
                                "peak_mb": round(statistics.median(r[1] for r in rs))}
                         for name, rs in runs.items()}}, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    main()
