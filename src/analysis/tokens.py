"""Tokens: segment sentences into words with the domain dictionary (one token per row).

All segmentation goes through :func:`segment`, so another backend can be swapped in.
jieba (accurate mode, HMM on) is the reference backend; ``rjieba`` (jieba-rs) is an optional
fast backend with the same dictionary.
"""

from __future__ import annotations

import logging
import re
from functools import cache, lru_cache
from typing import Literal

import numpy as np
import pandas as pd

from .resources import boilerplate_stopwords, resource_hashes, standard_stopwords, user_words

Backend = Literal["jieba", "rjieba"]
TOKEN_COLUMNS = ["doc_id", "sentence_id", "position", "token", "is_stopword", "token_type",
                 "is_boilerplate"]  # fmt: skip
#: Frequency given to user-dictionary words that the file lists without one.
USER_WORD_FREQ = 20000
#: A name in quotation marks is protected as one token when it is this long, without punctuation.
QUOTED_NAME_RE = re.compile(r"“([^“”‘’《》()\s,.;:!?,。;:!?、]{2,8})”")
_NUMBER_RE = re.compile(
    r"[\d.%‰+\-—–~/]+|[零〇一二两三四五六七八九十百千万亿]+|第[\d零〇一二两三四五六七八九十百千]+"
)
_PUNCT_RE = re.compile(r"[^\w]+")
_LATIN_RE = re.compile(r"[A-Za-z][A-Za-z0-9+\-.]*")


@cache
def _jieba_tokenizer(words: tuple[str, ...]):
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in words:
        tokenizer.add_word(word, freq=USER_WORD_FREQ)
    return tokenizer


@cache
def _rjieba_tokenizer(words: tuple[str, ...]):
    import rjieba

    tokenizer = rjieba.Jieba()
    for word in words:
        tokenizer.add_word(word, USER_WORD_FREQ, None)
    return tokenizer


def segmenter_info(backend: Backend = "jieba", *, hmm: bool = True) -> dict[str, str]:
    """Provenance of the segmenter: backend, its version, HMM and the resource hashes.

    Worked out once per process and backend, like the word lists it describes (asking the
    package metadata for a version costs about a millisecond, once per document before).
    """
    return dict(_segmenter_info(backend, hmm))


@cache
def _segmenter_info(backend: Backend, hmm: bool) -> tuple[tuple[str, str], ...]:
    from importlib.metadata import version

    package = {"jieba": "jieba", "rjieba": "rjieba"}[backend]
    info = {"backend": backend, "version": version(package), "hmm": str(hmm),
            **resource_hashes()}  # fmt: skip
    return tuple(info.items())


def quoted_names(text: str) -> list[str]:
    """Names a document coins in quotation marks (“科创中原”, “一主六双”), in order of appearance.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of str
        Distinct quoted strings of 2-8 characters without punctuation.
    """
    return list(dict.fromkeys(QUOTED_NAME_RE.findall(text)))


def segment(
    text: str,
    *,
    protected: tuple[str, ...] = (),
    backend: Backend = "jieba",
    hmm: bool = True,
) -> list[str]:
    """Segment ``text`` into tokens; the one function the package segments with.

    Parameters
    ----------
    text : str
        Normalised text.
    protected : tuple of str
        Strings emitted as single tokens wherever they occur (a document's quoted names).
    backend : {"jieba", "rjieba"}
        Segmentation engine; both load the same user dictionary.
    hmm : bool
        Let the engine guess unknown words with its HMM (jieba's default).

    Returns
    -------
    list of str
        Tokens in order, white space dropped.

    Examples
    --------
    >>> segment("团结引领科技工作者")  # doctest: +SKIP
    ['团结', '引领', '科技工作者']
    """
    words = user_words()
    if backend == "jieba":
        tokenizer = _jieba_tokenizer(words)

        def cut(chunk: str) -> list[str]:
            return tokenizer.lcut(chunk, HMM=hmm)

    elif backend == "rjieba":
        tokenizer = _rjieba_tokenizer(words)

        def cut(chunk: str) -> list[str]:
            return tokenizer.cut(chunk, hmm)

    else:
        raise ValueError(f"unknown segmentation backend {backend!r}; use 'jieba' or 'rjieba'")
    tokens: list[str] = []
    for chunk, is_name in _split_protected(text, protected):
        pieces = [chunk] if is_name else cut(chunk)
        tokens.extend(p for p in pieces if p.strip())
    return tokens


@lru_cache(maxsize=64)
def _protected_pattern(protected: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation of a document's protected names, longest first (built once per
    document, not once per sentence)."""
    return re.compile("|".join(re.escape(p) for p in sorted(protected, key=len, reverse=True)))


def _split_protected(text: str, protected: tuple[str, ...]) -> list[tuple[str, bool]]:
    if not protected:
        return [(text, False)]
    out, start = [], 0
    for match in _protected_pattern(protected).finditer(text):
        if match.start() > start:
            out.append((text[start : match.start()], False))
        out.append((match.group(), True))
        start = match.end()
    if start < len(text):
        out.append((text[start:], False))
    return out


def token_type(token: str) -> str:
    """Classify a token as ``word``, ``number``, ``punct`` or ``latin``."""
    if _PUNCT_RE.fullmatch(token):
        return "punct"
    if _NUMBER_RE.fullmatch(token):
        return "number"
    if _LATIN_RE.fullmatch(token):
        return "latin"
    return "word"


def tokens_table(
    sentences: pd.DataFrame, *, backend: Backend = "jieba", hmm: bool = True
) -> pd.DataFrame:
    """One row per token of every sentence.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The ``sentences`` table (``doc_id``, ``sentence_id``, ``text``).
    backend : {"jieba", "rjieba"}
        Segmentation engine.
    hmm : bool
        HMM guessing of unknown words.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TOKEN_COLUMNS`: ``position`` counts from 0 within the sentence;
        ``token_type`` is word / number / punct / latin; ``is_stopword`` marks the standard
        list, ``is_boilerplate`` the policy list. ``attrs["segmenter"]`` records the backend,
        its version and the resource hashes.
    """
    sentence_docs, sentence_ids, counts, flat = [], [], [], []
    for doc_id, doc in sentences.groupby("doc_id", sort=False):
        texts = doc["text"].tolist()
        names = tuple(quoted_names("\n".join(texts)))
        for sentence_id, text in zip(doc["sentence_id"].tolist(), texts, strict=True):
            pieces = segment(text, protected=names, backend=backend, hmm=hmm)
            sentence_docs.append(doc_id)
            sentence_ids.append(sentence_id)
            counts.append(len(pieces))
            flat.extend(pieces)
    tokens = pd.DataFrame(_token_columns(sentence_docs, sentence_ids, counts, flat),
                          columns=TOKEN_COLUMNS)  # fmt: skip
    tokens = tokens.astype({"sentence_id": "int64", "position": "int64", "is_stopword": "bool",
                            "is_boilerplate": "bool"})  # fmt: skip
    tokens.attrs["segmenter"] = segmenter_info(backend, hmm=hmm)
    return tokens


def _token_columns(sentence_docs: list, sentence_ids: list, counts: list[int],
                   flat: list[str]) -> dict[str, object]:  # fmt: skip
    """The token table's columns from each sentence's token count and all tokens in order;
    types and stop-word flags are worked out once per distinct token."""
    if not flat:
        return {column: [] for column in TOKEN_COLUMNS}
    n = np.asarray(counts, dtype=np.int64)
    codes, distinct = pd.factorize(np.asarray(flat, dtype=object))
    stop, boiler = standard_stopwords(), boilerplate_stopwords()
    return {
        "doc_id": np.repeat(np.asarray(sentence_docs, dtype=object), n),
        "sentence_id": np.repeat(np.asarray(sentence_ids, dtype=np.int64), n),
        "position": np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n),
        "token": distinct[codes],  # one string object per distinct token (shared_strings)
        "token_type": np.asarray([token_type(t) for t in distinct], dtype=object)[codes],
        "is_stopword": np.asarray([t in stop for t in distinct], dtype=bool)[codes],
        "is_boilerplate": np.asarray([t in boiler for t in distinct], dtype=bool)[codes],
    }


def shared_strings(values) -> np.ndarray:
    """``values`` as an object array holding one string object per distinct value.

    A segmenter returns a new string object for every token, so a corpus of two million tokens
    holds two million string objects even when it has a few thousand distinct words. Sharing
    them saves about 80 bytes a token, and processes forked from the build touch (and so copy)
    only the distinct strings' memory pages, not every token's.

    Parameters
    ----------
    values : array-like of str
        Strings (missing values are kept as they are).

    Returns
    -------
    numpy.ndarray
        Object array equal to ``values`` element by element.
    """
    codes, distinct = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    return np.asarray(distinct, dtype=object)[codes]


WORD_TYPES = ("word", "latin")


def word_tokens(tokens: pd.DataFrame) -> pd.DataFrame:
    """Running-text tokens (words and Latin words, stop words included): what rates divide by."""
    return tokens[tokens["token_type"].isin(WORD_TYPES)]


def tokens_with_sections(tokens: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """``tokens`` with the ``section_id`` of each token's sentence added."""
    return tokens.merge(sentences[["doc_id", "sentence_id", "section_id"]],
                        on=["doc_id", "sentence_id"])  # fmt: skip


def content_tokens(
    tokens: pd.DataFrame, *, policy_stopwords: bool = True, min_length: int = 2
) -> pd.DataFrame:
    """The tokens that count as keywords: words, not stop words, at least ``min_length`` long.

    Parameters
    ----------
    tokens : pandas.DataFrame
        The ``tokens`` table.
    policy_stopwords : bool
        Also drop policy boilerplate (加强, 推进 …); False keeps it, to see its effect.
    min_length : int
        Shortest token kept (single characters are mostly function words or fragments).

    Returns
    -------
    pandas.DataFrame
        The selected rows of ``tokens``.
    """
    keep = (tokens["token_type"] == "word") & ~tokens["is_stopword"]
    keep &= tokens["token"].str.len() >= min_length
    if policy_stopwords:
        keep &= ~tokens["is_boilerplate"]
    return tokens[keep]
