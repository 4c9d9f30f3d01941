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

from .keywords import word_token_counts
from .registry import columns
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
    flagged = ["is_self_reference"] if "is_self_reference" in tokens.columns else []
    table = tokens[TOKEN_COLUMNS + flagged].copy()
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
    if flagged:  # a concept names an idea, not the document's region
        table.loc[rows, "is_self_reference"] = False
    return table[~drop].reset_index(drop=True)


def concepts_table(
    concept_tokens: pd.DataFrame, concepts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """How often each document names each concept, with the variants it uses.

    Parameters
    ----------
    concept_tokens : pandas.DataFrame
        Output of :func:`concept_tokens_table`: a variant found across several tokens is one
        occurrence, so nested variants (全民科学素质 in 全民科学素质行动) are never counted twice.
    concepts : pandas.DataFrame, optional
        The concept dictionary (default: the bundled one); its order is the table's.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CONCEPT_FREQUENCY_COLUMNS`: every document × concept, zeros included;
        ``per_10k`` divides by the document's word tokens with a concept counted as one token;
        ``variants`` lists the spellings found with their counts, most frequent first.

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": "d", "sentence_id": 0, "position": range(3),
    ...     "token": ["公民", "科学素质", "科学素质"], "is_stopword": False,
    ...     "token_type": "word", "is_boilerplate": False})
    >>> row = concepts_table(concept_tokens_table(tokens)).query("concept == '科学素质'")
    >>> row[["count", "variants"]].values.tolist()
    [[2, '公民科学素质 1; 科学素质 1']]
    """
    concepts = concepts if concepts is not None else _default_concepts()
    names = list(dict.fromkeys(concepts["concept"]))
    doc_ids = list(concept_tokens["doc_id"].unique())
    sizes = word_token_counts(concept_tokens).reindex(doc_ids)
    found = concept_tokens[concept_tokens["is_concept"]]
    by_variant = (found.groupby(["doc_id", "token", "variant"], sort=False).size()
                  .rename("n").reset_index()
                  .sort_values(["doc_id", "token", "n", "variant"],
                               ascending=[True, True, False, True]))  # fmt: skip
    by_variant["text"] = by_variant["variant"] + " " + by_variant["n"].astype(str)
    grouped = by_variant.groupby(["doc_id", "token"], sort=False)
    counts = grouped["n"].sum()
    listed = grouped["text"].agg("; ".join)
    grid = pd.MultiIndex.from_product([doc_ids, names], names=["doc_id", "concept"])
    table = grid.to_frame(index=False)
    table["count"] = counts.reindex(grid, fill_value=0).to_numpy(dtype=np.int64)
    table["per_10k"] = table["count"] / table["doc_id"].map(sizes).to_numpy(float) * 10_000
    table["variants"] = listed.reindex(grid).fillna("").to_numpy(dtype=object)
    return table[CONCEPT_FREQUENCY_COLUMNS]


def concept_keyness_table(
    concept_tokens: pd.DataFrame, *, reference: str, concepts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Keyness (G2, log ratio) counted on concepts: every term of :func:`concept_tokens_table`,
    with the variants of a concept counted together.

    Parameters
    ----------
    concept_tokens : pandas.DataFrame
        Output of :func:`concept_tokens_table`.
    reference : str
        ``doc_id`` of the reference document.
    concepts : pandas.DataFrame, optional
        The concept dictionary (default: the bundled one).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`analysis.keyness.keyness_table`, then ``is_concept``.
    """
    from .keyness import keyness_table

    concepts = concepts if concepts is not None else _default_concepts()
    table = keyness_table(concept_tokens, reference=reference)
    table["is_concept"] = table["term"].isin(set(concepts["concept"])).to_numpy()
    return table[CONCEPT_KEYNESS_COLUMNS]


CONCEPT_FREQUENCY_COLUMNS = columns("concepts")
CONCEPT_KEYNESS_COLUMNS = columns("concept_keyness")
