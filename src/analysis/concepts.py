"""Concepts: spellings of one idea (全民科学素质 / 公民科学素质 / 科学素质) read as one term.

The concept dictionary is ``resources/concepts.toml``. :func:`concept_tokens_table` replaces, in
each sentence's token sequence, the longest run of adjacent tokens whose text is a variant by its
concept, so a variant is found however the segmenter splits it and nested variants are never
counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from .resources import load_concepts
from .tokens import TOKEN_COLUMNS

CONCEPT_COLUMNS = ["concept", "variant", "note"]


@cache
def _default_concepts() -> pd.DataFrame:
    return load_concepts()


@dataclass(frozen=True)
class _ConceptIndex:
    """Variant → concept, and every leading substring of a variant (a run stops early when
    its text is no variant's beginning)."""

    variants: dict[str, str]
    prefixes: frozenset[str]

    @classmethod
    def of(cls, concepts: pd.DataFrame) -> _ConceptIndex:
        variants = dict(zip(concepts["variant"], concepts["concept"], strict=True))
        return cls(variants, frozenset(v[:i] for v in variants for i in range(1, len(v) + 1)))


def concept_spans(
    tokens: list[str], concepts: pd.DataFrame | None = None
) -> list[tuple[int, int, str]]:
    """Where concept variants occur in one token sequence: ``(start, stop, concept)`` spans.

    At each position the longest run of adjacent tokens whose joined text is a variant wins,
    and the search resumes after it, so spans never overlap.

    Parameters
    ----------
    tokens : list of str
        The tokens of one sentence, in order.
    concepts : pandas.DataFrame, optional
        Output of :func:`analysis.resources.load_concepts` (default: the bundled dictionary).

    Returns
    -------
    list of tuple
        Token positions ``start`` (inclusive) and ``stop`` (exclusive) and the concept name.

    Examples
    --------
    >>> concept_spans(["实施", "全民科学素质行动", "规划", "纲要"])
    [(1, 4, '科学素质行动')]
    """
    index = _ConceptIndex.of(concepts if concepts is not None else _default_concepts())
    return _spans(tokens, np.zeros(len(tokens), dtype=bool), index, range(len(tokens)))


def _spans(tokens, sentence_start: np.ndarray, index: _ConceptIndex, candidates):
    """The concept spans starting at ``candidates`` (positions in ``tokens``, ascending); a
    run never crosses into a token that starts a sentence."""
    spans, n, resume = [], len(tokens), 0
    for position in candidates:
        if position < resume:
            continue
        text, best, stop = "", None, position
        while stop < n and (stop == position or not sentence_start[stop]):
            text += tokens[stop]
            if text not in index.prefixes:
                break
            stop += 1
            if text in index.variants:
                best = (position, stop, index.variants[text])
        if best is not None:
            spans.append(best)
            resume = best[1]
    return spans


#: Columns of :func:`concept_tokens_table`: the token table's, then the variant as written.
CONCEPT_TOKEN_COLUMNS = [*TOKEN_COLUMNS, "variant", "is_concept"]


def concept_tokens_table(
    tokens: pd.DataFrame, concepts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The ``tokens`` table with every concept variant replaced by its concept.

    A variant that spans several tokens (全民科学素质行动 | 规划 | 纲要) becomes one row, at the
    position of its first token; its ``token`` is the concept name, ``variant`` the text as
    written, ``token_type`` ``word`` and it is neither a stop word nor boilerplate.

    Parameters
    ----------
    tokens : pandas.DataFrame
        The ``tokens`` table (rows of a sentence adjacent and in order).
    concepts : pandas.DataFrame, optional
        Output of :func:`analysis.resources.load_concepts` (default: the bundled dictionary).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CONCEPT_TOKEN_COLUMNS`, a new table (``tokens`` is not changed).
    """
    index = _ConceptIndex.of(concepts if concepts is not None else _default_concepts())
    words = tokens["token"].to_numpy(dtype=object)
    starts = (tokens["position"].to_numpy() == 0) if len(tokens) else np.zeros(0, dtype=bool)
    first_chars = pd.Series(words, dtype=object).isin(index.prefixes).to_numpy()
    spans = _spans(words, starts, index, np.flatnonzero(first_chars).tolist())
    table = tokens[TOKEN_COLUMNS].copy()
    table["variant"] = table["token"]
    table["is_concept"] = False
    if not spans:
        return table.reset_index(drop=True)
    begin = np.array([s[0] for s in spans])
    end = np.array([s[1] for s in spans])
    inside = np.zeros(len(table) + 1, dtype=np.int64)  # tokens after a span's first one
    np.add.at(inside, begin + 1, 1)
    np.add.at(inside, end, -1)
    drop = np.cumsum(inside)[:-1] > 0
    rows = table.index[begin]
    table.loc[rows, "variant"] = ["".join(words[b:e]) for b, e in zip(begin, end, strict=True)]
    table.loc[rows, "token"] = [s[2] for s in spans]
    table.loc[rows, ["token_type", "is_stopword", "is_boilerplate", "is_concept"]] = [
        "word",
        False,
        False,
        True,
    ]
    return table[~drop].reset_index(drop=True)
