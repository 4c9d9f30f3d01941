"""TF-IDF counting with numpy gives exactly the matrices scikit-learn's vectorisers give."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from analysis import tfidf
from analysis.tfidf import (
    PRODUCT_BLOCK_COLUMNS,
    char_ngram_counts,
    char_ngram_counts_and_keys,
    char_ngram_sets,
    char_ngram_strings,
    row_products,
    tfidf_matrix,
    word_counts,
)

# CJK, ASCII, full-width and ideographic space, newline, tab, punctuation
ALPHABET = "科协规划纲要服务ab1２ \u3000\n\t。，、□"
texts_strategy = st.lists(st.text(alphabet=ALPHABET, max_size=30), min_size=1, max_size=6)


def _reference_counts(texts, ngram_range, *, strip=False):
    if strip:
        texts = ["".join(ch if ch.isalnum() else " " for ch in t) for t in texts]
    vectorizer = CountVectorizer(analyzer="char", ngram_range=ngram_range, lowercase=False,
                                 dtype=np.float64)  # fmt: skip
    try:
        counts = vectorizer.fit_transform(texts)
    except ValueError:  # scikit-learn refuses an empty vocabulary
        return None
    counts.sort_indices()
    return counts


@settings(max_examples=150, deadline=None)
@given(texts_strategy, st.sampled_from([(2, 3), (1, 3), (1, 1), (2, 2), (3, 3)]), st.booleans(),
       st.sampled_from([1, 7, 40, tfidf.CHUNK_CHARACTERS]))  # fmt: skip
def test_char_ngram_counts_equal_scikit_learn(texts, ngram_range, strip, chunk_characters):
    with mock.patch.object(tfidf, "CHUNK_CHARACTERS", chunk_characters):  # texts counted in chunks
        mine = char_ngram_counts(texts, ngram_range, punctuation_as_space=strip)
    reference = _reference_counts(texts, ngram_range, strip=strip)
    if reference is None:
        assert mine.shape == (len(texts), 0)
        return
    assert mine.shape == reference.shape
    assert (mine != reference).nnz == 0  # same columns (sorted n-grams), same counts


@settings(max_examples=100, deadline=None)
@given(texts_strategy, st.sampled_from([(2, 3), (1, 3), (1, 1)]), st.booleans())
def test_char_ngram_keys_name_scikit_learns_columns(texts, ngram_range, strip):
    counts, keys = char_ngram_counts_and_keys(texts, ngram_range, punctuation_as_space=strip)
    assert (counts != char_ngram_counts(texts, ngram_range, punctuation_as_space=strip)).nnz == 0
    preprocessor = (lambda t: "".join(c if c.isalnum() else " " for c in t)) if strip else None
    vectorizer = CountVectorizer(analyzer="char", ngram_range=ngram_range, lowercase=False,
                                 preprocessor=preprocessor)  # fmt: skip
    try:
        names = vectorizer.fit(texts).get_feature_names_out().tolist()
    except ValueError:  # no n-gram at all
        names = []
    assert char_ngram_strings(keys).tolist() == names


def test_char_tfidf_of_the_bundled_documents_equals_scikit_learn(corpus):
    texts = corpus.sentences.groupby("doc_id", sort=False)["text"].agg("\n".join).tolist()
    stripped = ["".join(ch if ch.isalnum() else " " for ch in t) for t in texts]
    reference = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), lowercase=False,
                                smooth_idf=True, sublinear_tf=True).fit_transform(stripped)  # fmt: skip
    mine = tfidf_matrix(char_ngram_counts(texts, (2, 3), punctuation_as_space=True))
    assert mine.shape == reference.shape and mine.shape[1] > 30_000
    assert abs(mine - reference).max() < 1e-12


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["科协", "规划", "a", "服务", "纲要"]), max_size=8),
                min_size=1, max_size=5))  # fmt: skip
def test_word_tfidf_equals_scikit_learn(documents):
    try:
        reference = TfidfVectorizer(analyzer=lambda tokens: tokens, lowercase=False,
                                    smooth_idf=True, sublinear_tf=True).fit_transform(documents)  # fmt: skip
    except ValueError:  # no term at all
        assert word_counts(documents).shape == (len(documents), 0)
        assert tfidf_matrix(word_counts(documents)).nnz == 0
        return
    mine = tfidf_matrix(word_counts(documents))
    assert mine.shape == reference.shape
    assert np.allclose(mine.toarray(), reference.toarray(), rtol=0, atol=1e-15)


def _python_sets(texts, n, skip):
    grams = [{t[i : i + n] for i in range(len(t) - n + 1)} for t in texts]
    return [{g for g in s if not skip or skip not in g} for s in grams]


@settings(max_examples=150, deadline=None)
@given(texts_strategy, st.integers(1, 6), st.sampled_from(["", "□"]))
def test_char_ngram_sets_hold_each_texts_distinct_ngrams(texts, n, skip):
    matrix = char_ngram_sets(texts, n, skip=skip)
    sets = _python_sets(texts, n, skip)
    assert matrix.shape[0] == len(texts)
    assert np.asarray(matrix.sum(axis=1)).ravel().tolist() == [len(s) for s in sets]
    shared = (matrix @ matrix.T).toarray()
    assert shared.tolist() == [[len(a & b) for b in sets] for a in sets]


def test_char_ngram_sets_with_more_distinct_characters_than_64_bits_can_pack():
    rng = np.random.default_rng(7)
    characters = np.array([chr(c) for c in range(0x4E00, 0x4E00 + 40_000)])
    texts = ["".join(rng.choice(characters, 2_000)) + "科学普及" for _ in range(8)]
    matrix = char_ngram_sets(texts, 4)  # 16 bits per character: renumbered before packing
    sets = _python_sets(texts, 4, "")
    assert (matrix @ matrix.T).toarray().tolist() == [[len(a & b) for b in sets] for a in sets]


@pytest.mark.parametrize("n_columns", [0, 7, PRODUCT_BLOCK_COLUMNS, 3 * PRODUCT_BLOCK_COLUMNS + 5])
def test_row_products_equal_the_sparse_product(n_columns):
    matrix = sparse.random(40, n_columns, density=0.3, format="lil", random_state=5)
    matrix[3] = 0  # an empty row
    matrix = matrix.tocsr()
    matrix.data = 1 + 3 * matrix.data  # weights of mixed sizes
    products = row_products(matrix)
    expected = (matrix @ matrix.T).toarray()
    assert products.shape == (40, 40)
    np.testing.assert_allclose(products, expected, rtol=1e-12, atol=1e-12)
    assert np.array_equal(products, products.T) and not products[3].any()
