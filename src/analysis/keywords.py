"""Keywords: content-word frequencies per document, per 10,000 word tokens."""

from __future__ import annotations

import pandas as pd

from .registry import columns
from .self_reference import flags_from_tokens
from .tokens import content_tokens, word_tokens

FREQUENCY_COLUMNS = columns("keywords")


def word_token_counts(tokens: pd.DataFrame) -> pd.Series:
    """Number of word tokens per document: the denominator of every rate.

    Word tokens are all tokens except punctuation and numbers, stop words included, so
    a rate says how often a term occurs per 10,000 words of running text.
    """
    return word_tokens(tokens).groupby("doc_id", sort=False).size()


def keywords_table(
    tokens: pd.DataFrame, *, policy_stopwords: bool = True, min_length: int = 2
) -> pd.DataFrame:
    """Content-word frequencies per document, with the rate per 10,000 word tokens.

    Parameters
    ----------
    tokens : pandas.DataFrame
        The ``tokens`` table.
    policy_stopwords : bool
        Drop policy boilerplate (加强, 推进 …) as well as standard stop words.
    min_length : int
        Shortest term counted.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`FREQUENCY_COLUMNS`, one row per document and term; ``rank`` 1 is the
        most frequent (ties broken by term, so the order is reproducible);
        ``is_self_reference`` as the document's tokens are flagged (all false when ``tokens``
        has no ``is_self_reference`` column: see :func:`analysis.self_reference.flag_self_references`).
    """
    sizes = word_token_counts(tokens)
    content = content_tokens(tokens, policy_stopwords=policy_stopwords, min_length=min_length)
    counts = content.groupby(["doc_id", "token"], sort=False).size().rename("count").reset_index()
    counts = counts.rename(columns={"token": "term"})
    counts["per_10k"] = counts["count"] / counts["doc_id"].map(sizes) * 10_000
    order = {d: i for i, d in enumerate(tokens["doc_id"].unique())}
    counts["_doc"] = counts["doc_id"].map(order)
    counts = counts.sort_values(["_doc", "count", "term"], ascending=[True, False, True])
    counts["rank"] = counts.groupby("doc_id").cumcount() + 1
    counts["is_self_reference"] = (flags_from_tokens(counts, tokens)
                                   if "is_self_reference" in tokens.columns else False)  # fmt: skip
    return counts[FREQUENCY_COLUMNS].reset_index(drop=True)
