"""Similarity: TF-IDF cosine between whole documents, and provincial sentences reusing national wording.

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
of provincial units to national units is :mod:`analysis.alignment`.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse

from .config import read_word_list
from .tfidf import char_ngram_counts, char_ngram_sets, row_products, tfidf_matrix, word_counts
from .tokens import content_tokens

Method = Literal["word", "char"]
METHODS: tuple[Method, ...] = ("word", "char")

SIMILARITY_COLUMNS = ["doc_a", "doc_b", "method", "score"]


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


def document_similarity(sentences: pd.DataFrame, tokens: pd.DataFrame) -> pd.DataFrame:
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


#: Reuse: share of a provincial sentence's character 4-grams found in one national sentence.
REUSE_MIN_CONTAINMENT = 0.5
#: Reuse: characters in blocks of 4 or more that the two sentences share, formulas masked.
REUSE_MIN_SHARED_CHARS = 15
REUSE_NGRAM = 4
REUSE_COLUMNS = ["doc_id", "sentence_id", "national_doc_id", "national_sentence_id", "score",
                 "shared_chars", "text", "national_text"]  # fmt: skip
REUSE_SUMMARY_COLUMNS = ["doc_id", "n_sentences", "n_reusing", "share_reusing"]
_MASK = "□"


@cache
def boilerplate_phrases() -> tuple[str, ...]:
    """Political formulas masked before measuring reuse (``resources/boilerplate_phrases.txt``)."""
    return tuple(sorted(read_word_list("boilerplate_phrases.txt"), key=len, reverse=True))


def _reuse_texts(texts: list[str], phrases: tuple[str, ...]) -> list[str]:
    """Each text with the formulas masked and everything but letters, digits and the mask
    dropped (all texts at once: joined by a character none of them or the phrases holds)."""
    joined = "".join(texts)
    used = set(joined).union(*phrases)
    separator = next(chr(c) for c in range(0xE000, 0x110000) if chr(c) not in used)
    joined = separator.join(texts)
    for phrase in phrases:
        joined = joined.replace(phrase, _MASK)
    codes = np.frombuffer(joined.encode("utf-32-le", errors="surrogatepass"), dtype="<u4")
    present = np.unique(codes)
    kept = present[[chr(c).isalnum() or chr(c) in (_MASK, separator) for c in present.tolist()]]
    cleaned = codes[np.isin(codes, kept)].tobytes().decode("utf-32-le", errors="surrogatepass")
    return cleaned.split(separator) if texts else []


def text_reuse(
    sentences: pd.DataFrame,
    *,
    national_doc_ids: tuple[str, ...],
    min_containment: float = REUSE_MIN_CONTAINMENT,
    min_shared_chars: int = REUSE_MIN_SHARED_CHARS,
    ngram: int = REUSE_NGRAM,
) -> pd.DataFrame:
    """Provincial sentences that reuse national wording, each with its closest national sentence.

    Candidate pairs come from one sparse product of binary character n-gram matrices
    (provincial × national), so no pair of sentences is compared in a Python loop; only the
    candidates (containment at least ``min_containment``) are verified by counting the
    characters in matching blocks of ``ngram`` or more (``difflib``). Standard political
    formulas (:func:`boilerplate_phrases`) are masked first, so sharing only those is not reuse.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The ``sentences`` table.
    national_doc_ids : tuple of str
        The national documents.
    min_containment : float
        Share of the provincial sentence's n-grams found in the national sentence.
    min_shared_chars : int
        Characters the two share in matching blocks (formulas and punctuation excluded).
    ngram : int
        Shingle length in characters.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`REUSE_COLUMNS`; ``score`` is the containment.
    """
    from difflib import SequenceMatcher

    is_national = sentences["doc_id"].isin(national_doc_ids).to_numpy()
    cleaned = _reuse_texts(sentences["text"].tolist(), boilerplate_phrases())
    matrix = char_ngram_sets(cleaned, ngram, skip=_MASK)
    national, provincial = matrix[is_national], matrix[~is_national]
    sizes = np.asarray(provincial.sum(axis=1)).ravel()
    shared = (provincial @ national.T).tocoo()
    with np.errstate(divide="ignore", invalid="ignore"):
        containment = shared.data / sizes[shared.row]
    keep = containment >= min_containment
    prov_rows = sentences.index[~is_national]
    nat_rows = sentences.index[is_national]
    positions = {index: i for i, index in enumerate(sentences.index)}
    best: dict[int, tuple] = {}
    for r, c, score in zip(shared.row[keep], shared.col[keep], containment[keep], strict=True):
        p_index, n_index = prov_rows[r], nat_rows[c]
        a, b = cleaned[positions[p_index]], cleaned[positions[n_index]]
        blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
        chars = sum(block.size for block in blocks if block.size >= ngram)
        if chars < min_shared_chars:
            continue
        candidate = (float(score), chars, n_index)
        if p_index not in best or candidate[:2] > best[p_index][:2]:
            best[p_index] = candidate
    rows = []
    for p_index in sorted(best, key=positions.get):
        score, chars, n_index = best[p_index]
        p, n = sentences.loc[p_index], sentences.loc[n_index]
        rows.append((p.doc_id, int(p.sentence_id), n.doc_id, int(n.sentence_id), score, chars,
                     p.text, n.text))  # fmt: skip
    return pd.DataFrame(rows, columns=REUSE_COLUMNS)


def reuse_summary(sentences: pd.DataFrame, reuse: pd.DataFrame,
                  *, national_doc_ids: tuple[str, ...]) -> pd.DataFrame:  # fmt: skip
    """Per provincial document: how many of its sentences reuse national wording."""
    provincial = sentences[~sentences["doc_id"].isin(national_doc_ids)]
    n_sentences = provincial.groupby("doc_id", sort=False).size()
    n_reusing = reuse.groupby("doc_id").size().reindex(n_sentences.index, fill_value=0)
    table = pd.DataFrame({"doc_id": n_sentences.index, "n_sentences": n_sentences.to_numpy(),
                          "n_reusing": n_reusing.to_numpy()})  # fmt: skip
    table["share_reusing"] = table["n_reusing"] / table["n_sentences"]
    return table[REUSE_SUMMARY_COLUMNS]
