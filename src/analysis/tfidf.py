"""TF-IDF matrices of words and of character n-grams.

The matrices are those of scikit-learn's ``TfidfVectorizer`` (``analyzer=<identity>`` for word
lists; ``analyzer="char"`` for text, ``lowercase=False``): the same terms, the same columns
in the same (sorted) order, the same counts, and scikit-learn's ``TfidfTransformer`` turns
the counts into weights. Words are counted by scikit-learn's ``CountVectorizer`` itself (a
hand-written numpy count was no faster and held more memory). Character n-grams are counted
here: scikit-learn counts them n-gram by n-gram in Python, here every n-gram of every text is
an integer key and the counting is a handful of array operations, about three times faster on
a 500-document corpus. The arrays cost about 60 bytes per character of text, so the texts are
counted in chunks of :data:`CHUNK_CHARACTERS` (each chunk reduced to its distinct n-grams per
text before the next is read), which keeps the 500-document build's memory peak down. The
tests check that both give the same matrix.

A character n-gram (n ≤ 3) is keyed as ``c0 << 42 | (c1 + 1) << 21 | (c2 + 1)`` (absent
characters are 0). Code points are below 2**21, so the key fits in 64 bits, and keys sort
like the strings they encode (a prefix before its extensions), which is the order of
scikit-learn's vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

_SPACE = 32
_BITS = 21
_MAX_N = 3


def tfidf_matrix(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """Smoothed, sublinear, L2-normalised TF-IDF rows from a term-count matrix.

    ``idf = ln((1 + n) / (1 + df)) + 1`` and ``tf = 1 + ln(count)``: see
    :mod:`analysis.similarity` for why.
    """
    if counts.shape[1] == 0:  # no terms at all: every row is empty, every cosine 0
        return sparse.csr_matrix(counts.shape, dtype=np.float64)
    transformer = TfidfTransformer(smooth_idf=True, sublinear_tf=True, norm="l2")
    return transformer.fit_transform(counts).tocsr()


#: Columns turned dense at a time by :func:`row_products` (500 documents: 8 MB a block).
PRODUCT_BLOCK_COLUMNS = 2048


def row_products(matrix: sparse.spmatrix) -> np.ndarray:
    """``matrix @ matrix.T`` as a dense array (cosines, for L2-normalised rows).

    A sparse product costs the sum over columns of their squared number of non-zeros,
    which is large for character n-grams that most documents share; summing the products
    of dense blocks of columns lets BLAS do the work instead (0.3 s against 2.9 s for the
    character n-grams of 500 documents). The result is symmetric to the last digit and
    equals the sparse product to rounding (the test suite compares them).
    """
    columns = sparse.csc_matrix(matrix)
    products = np.zeros((matrix.shape[0], matrix.shape[0]))
    for start in range(0, matrix.shape[1], PRODUCT_BLOCK_COLUMNS):
        block = columns[:, start : start + PRODUCT_BLOCK_COLUMNS].toarray()
        products += block @ block.T
    return products


def word_counts(documents: list[list[str]]) -> sparse.csr_matrix:
    """Term counts of tokenised documents: one row per document, terms in sorted order.

    Parameters
    ----------
    documents : list of list of str
        The tokens of each document.

    Returns
    -------
    scipy.sparse.csr_matrix
        ``float64`` counts, shape ``(len(documents), n_terms)`` (no columns when no document
        has a token).
    """
    if not any(documents):  # scikit-learn refuses an empty vocabulary
        return sparse.csr_matrix((len(documents), 0), dtype=np.float64)
    vectorizer = CountVectorizer(analyzer=_tokens_as_they_are, lowercase=False, dtype=np.float64)
    counts = vectorizer.fit_transform(documents).tocsr()
    counts.sort_indices()
    return counts


def _tokens_as_they_are(tokens: list[str]) -> list[str]:
    return tokens


def char_ngram_counts(
    texts: list[str], ngram_range: tuple[int, int] = (2, 3), *, punctuation_as_space: bool = False
) -> sparse.csr_matrix:
    """Character n-gram counts of texts, as scikit-learn's ``analyzer="char"`` counts them.

    A run of two or more whitespace characters counts as one space (scikit-learn's rule);
    n-grams never cross from one text into the next.

    Parameters
    ----------
    texts : list of str
        One text per row.
    ngram_range : tuple of int
        Smallest and largest n (at most 3).
    punctuation_as_space : bool
        Read every character that is not a letter or digit (``str.isalnum``) as a space
        first, so n-grams do not span punctuation.

    Returns
    -------
    scipy.sparse.csr_matrix
        ``float64`` counts, shape ``(len(texts), n_distinct_ngrams)``, columns in the sorted
        order of the n-gram strings.
    """
    return char_ngram_counts_and_keys(texts, ngram_range,
                                      punctuation_as_space=punctuation_as_space)[0]  # fmt: skip


#: Characters of text whose n-grams are counted at once by :func:`char_ngram_counts_and_keys`
#: (about 60 MB of arrays; a text longer than this is counted alone).
CHUNK_CHARACTERS = 1_000_000


def char_ngram_counts_and_keys(
    texts: list[str], ngram_range: tuple[int, int] = (2, 3), *, punctuation_as_space: bool = False
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """:func:`char_ngram_counts`, and the key of each column's n-gram (sorted, so column ``j``
    is ``keys[j]``; :func:`char_ngram_strings` turns keys into the n-grams)."""
    low, high = ngram_range
    if not 1 <= low <= high <= _MAX_N:
        raise ValueError(f"ngram_range must lie within 1..{_MAX_N}, got {ngram_range}")
    blocks = []  # per chunk: counts over the chunk's own n-grams, and their keys
    for first, stop in _chunks(texts, CHUNK_CHARACTERS):
        keys, rows = _char_ngram_keys(texts[first:stop], ngram_range, punctuation_as_space)
        if not keys:
            blocks.append((sparse.csr_matrix((stop - first, 0)), np.zeros(0, dtype=np.uint64)))
            continue
        codes, distinct = pd.factorize(np.concatenate(keys))
        del keys
        counts = _count_matrix(np.concatenate(rows), codes, (stop - first, len(distinct)))
        blocks.append((counts, np.asarray(distinct, dtype=np.uint64)))
    # every distinct key, sorted (which sorts the n-grams like strings)
    vocabulary = np.unique(np.concatenate([np.zeros(0, np.uint64)] + [k for _, k in blocks]))
    if len(vocabulary) == 0:
        return sparse.csr_matrix((len(texts), 0), dtype=np.float64), vocabulary
    renumbered = []
    for counts, keys in blocks:  # renumber each chunk's columns into the whole vocabulary
        columns = np.searchsorted(vocabulary, keys)
        block = sparse.csr_matrix((counts.data, columns[counts.indices], counts.indptr),
                                  shape=(counts.shape[0], len(vocabulary)))  # fmt: skip
        block.sort_indices()
        renumbered.append(block)
    blocks.clear()
    return sparse.vstack(renumbered, format="csr"), vocabulary


def _chunks(texts: list[str], characters: int) -> Iterator[tuple[int, int]]:
    """``(first, stop)`` ranges of consecutive texts holding at most ``characters`` characters
    each (at least one text each)."""
    first, total = 0, 0
    for index, text in enumerate(texts):
        if total and total + len(text) > characters:
            yield first, index
            first, total = index, 0
        total += len(text)
    if first < len(texts):
        yield first, len(texts)


def char_ngram_strings(keys: np.ndarray) -> np.ndarray:
    """The n-grams that :func:`char_ngram_counts_and_keys` keys stand for.

    Parameters
    ----------
    keys : numpy.ndarray of uint64
        Keys (see the module docstring).

    Returns
    -------
    numpy.ndarray
        The n-gram strings, in the order of ``keys``.
    """
    keys = np.asarray(keys, dtype=np.uint64)
    mask = np.uint64((1 << _BITS) - 1)
    chars = [keys >> np.uint64(2 * _BITS),
             ((keys >> np.uint64(_BITS)) & mask).astype(np.int64) - 1,
             (keys & mask).astype(np.int64) - 1]  # fmt: skip
    return np.array(["".join(chr(int(c)) for c in triple if c >= 0)
                     for triple in zip(*(c.tolist() for c in chars), strict=True)], dtype=object)  # fmt: skip


def _char_ngram_keys(texts: list[str], ngram_range: tuple[int, int],
                     punctuation_as_space: bool) -> tuple[list[np.ndarray], list[np.ndarray]]:  # fmt: skip
    """Each n-gram of each text as an integer key (see the module docstring), with its row."""
    low, high = ngram_range
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    joined = "".join(texts).encode("utf-32-le", errors="surrogatepass")
    codes = np.frombuffer(joined, dtype="<u4").astype(np.uint64)
    rows = np.repeat(np.arange(len(texts)), lengths)
    if punctuation_as_space:
        codes = np.where(_code_point_flags(codes, str.isalnum), codes, np.uint64(_SPACE))
    codes, rows = _collapse_whitespace(codes, rows, lengths)
    keys, key_rows = [], []
    for n in range(low, high + 1):
        if len(codes) < n:
            continue
        starts = len(codes) - n + 1
        inside = rows[:starts] == rows[n - 1 :]  # the n-gram lies within one text
        key = codes[:starts] << np.uint64(2 * _BITS)
        for offset in range(1, n):
            shift = np.uint64(_BITS * (2 - offset))
            key = key | ((codes[offset : offset + starts] + np.uint64(1)) << shift)
        keys.append(key[inside])
        key_rows.append(rows[:starts][inside])
    return keys, key_rows


def char_ngram_sets(texts: list[str], n: int, *, skip: str = "") -> sparse.csr_matrix:
    """Which distinct character n-grams each text contains (a binary matrix, any n).

    Parameters
    ----------
    texts : list of str
        One text per row.
    n : int
        n-gram length in characters.
    skip : str
        n-grams containing this character are left out (empty: keep all).

    Returns
    -------
    scipy.sparse.csr_matrix
        ``int64`` 0/1, shape ``(len(texts), n_distinct_ngrams)``; the column order is
        arbitrary (use it for products and row sums, not to name n-grams).
    """
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    codes = np.frombuffer(
        "".join(texts).encode("utf-32-le", errors="surrogatepass"), dtype="<u4"
    ).astype(np.int64)
    rows = np.repeat(np.arange(len(texts)), lengths)
    starts = len(codes) - n + 1
    if n < 1 or starts < 1:
        return sparse.csr_matrix((len(texts), 0), dtype=np.int64)
    # characters as dense ids from 1, so that n of them pack into few bits
    present = np.flatnonzero(np.bincount(codes))
    dense = np.zeros(int(present[-1]) + 1, dtype=np.int64)
    dense[present] = np.arange(1, len(present) + 1)
    codes = dense[codes]
    bits = int(len(present)).bit_length()
    valid = rows[:starts] == rows[n - 1 :]
    if skip:
        skipped = dense[ord(skip)] if ord(skip) < len(dense) else -1
        for offset in range(n):
            valid &= codes[offset : offset + starts] != skipped
    key, used = codes[:starts][valid], bits
    for offset in range(1, n):
        if used + bits > 62:  # renumber the prefixes densely before they overflow 64 bits
            key = pd.factorize(key)[0].astype(np.int64)
            used = int(key.max(initial=0)).bit_length()
        key = (key << bits) | codes[offset : offset + starts][valid]
        used += bits
    columns, n_columns = pd.factorize(key)
    matrix = _count_matrix(rows[:starts][valid], columns, (len(texts), len(n_columns)))
    matrix.data[:] = 1
    return matrix.astype(np.int64)


def _collapse_whitespace(codes: np.ndarray, rows: np.ndarray, lengths: np.ndarray):
    """scikit-learn's ``re.sub(r"\\s\\s+", " ", text)`` on every text at once: each run of two
    or more whitespace characters becomes one space; a lone one is kept as it is."""
    space = _code_point_flags(codes, str.isspace)
    first = np.zeros(len(codes), dtype=bool)
    first[(np.cumsum(lengths) - lengths)[lengths > 0]] = True
    after_space = space & np.concatenate(([False], space[:-1])) & ~first
    before_space = np.concatenate((after_space[1:], [False]))
    codes = np.where(space & before_space, np.uint64(_SPACE), codes)
    keep = ~after_space
    return codes[keep], rows[keep]


def _code_point_flags(codes: np.ndarray, test) -> np.ndarray:
    """``test(chr(c))`` for each code point ``c`` in ``codes``, computed once per distinct one."""
    if len(codes) == 0:
        return np.zeros(0, dtype=bool)
    present = np.flatnonzero(np.bincount(codes.astype(np.int64)))
    table = np.zeros(int(present[-1]) + 1, dtype=bool)
    table[present] = [test(chr(c)) for c in present.tolist()]
    return table[codes.astype(np.int64)]


def _count_matrix(
    rows: np.ndarray, columns: np.ndarray, shape: tuple[int, int]
) -> sparse.csr_matrix:
    counts = sparse.coo_matrix((np.ones(len(rows)), (rows, columns)), shape=shape).tocsr()
    counts.sum_duplicates()
    counts.sort_indices()
    return counts
