"""Document similarity: TF-IDF cosine between whole documents, by words and by character n-grams.

Two representations, so a reader can see whether a finding depends on word segmentation:

* ``word``: TF-IDF over the project's content tokens (the keyword tokens);
* ``char``: TF-IDF over character 2-3-grams of the sentence text (no segmentation involved).

Both are the matrices scikit-learn's ``TfidfVectorizer`` would give (counted with numpy,
:mod:`analysis.tfidf`) with ``smooth_idf=True`` (idf = ln((1 + n) / (1 + df)) + 1, so a term
in every unit keeps a small positive weight instead of 0, which matters with few documents),
``sublinear_tf=True`` (1 + ln tf, so a term repeated ten times does not outweigh ten
different shared terms) and L2 normalisation (cosine = dot product). The idf is fitted once
on all units compared in one call, so every province is scored with the same idf.
Sparse matrices live only inside this module; results come back as long tables. The alignment
of provincial units to national units is :mod:`analysis.alignment`, text reuse :mod:`analysis.reuse`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse

from .registry import columns
from .tfidf import char_ngram_counts, row_products, tfidf_matrix, word_counts
from .tokens import content_tokens

Method = Literal["word", "char"]
METHODS: tuple[Method, ...] = ("word", "char")

SIMILARITY_COLUMNS = columns("similarity")


def _tfidf(method: Method, documents: list) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows as a sparse matrix (character vocabularies are large).

    ``word``: ``documents`` are token lists; ``char``: texts, whose 2-3-grams are counted
    after every character that is not a letter or digit is read as a space.
    """
    if method == "word":
        counts = word_counts(documents)
    else:
        counts = char_ngram_counts(documents, (2, 3), punctuation_as_space=True)
    return tfidf_matrix(counts)


def similarity_table(sentences: pd.DataFrame, tokens: pd.DataFrame) -> pd.DataFrame:
    """Cosine similarity between all documents, by word and by character n-gram TF-IDF.

    Parameters
    ----------
    sentences, tokens : pandas.DataFrame
        The ``sentences`` and ``tokens`` tables.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SIMILARITY_COLUMNS`: every ordered pair of documents (the diagonal
        included, so the matrix view is complete) for each method.
    """
    doc_ids = list(sentences["doc_id"].unique())
    content = content_tokens(tokens)
    words = _grouped_lists(content["doc_id"], content["token"], doc_ids)
    texts = ["\n".join(lines) for lines in _grouped_lists(sentences["doc_id"], sentences["text"],
                                                           doc_ids)]  # fmt: skip
    n = len(doc_ids)
    ids = np.asarray(doc_ids, dtype=object)  # repeated as shared strings, not one copy per pair
    frames = []
    for method, inputs in (("word", words), ("char", texts)):
        matrix = _tfidf(method, inputs)
        scores = np.clip(row_products(matrix), 0.0, 1.0)
        frames.append(pd.DataFrame({"doc_a": np.repeat(ids, n), "doc_b": np.tile(ids, n),
                                    "method": method, "score": scores.ravel()}))  # fmt: skip
    return pd.concat(frames, ignore_index=True)[SIMILARITY_COLUMNS]


def _grouped_lists(keys: pd.Series, values: pd.Series, order: list) -> list[list]:
    """The ``values`` of each key in ``order`` as lists (rows kept in table order; [] if none)."""
    codes = pd.Categorical(keys, categories=order).codes
    positions = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[positions], np.arange(len(order) + 1))
    flat = values.to_numpy(dtype=object)[positions]
    return [flat[start:stop].tolist() for start, stop in zip(bounds[:-1], bounds[1:], strict=True)]
