"""Keyword in context: every occurrence of a string with the characters around it."""

from __future__ import annotations

import pandas as pd

KWIC_COLUMNS = ["doc_id", "section_id", "sentence_id", "left", "keyword", "right"]


def kwic_table(
    sentences: pd.DataFrame, keyword: str, *, width: int = 15, doc_ids: list[str] | None = None
) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``keyword`` with the characters around it.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The ``sentences`` table.
    keyword : str
        The string to find (a token or any phrase).
    width : int
        Characters of context on each side (within the sentence).
    doc_ids : list of str, optional
        Restrict to these documents.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`KWIC_COLUMNS`, in document order.
    """
    if not keyword:
        raise ValueError("kwic needs a non-empty keyword")
    chosen = sentences if doc_ids is None else sentences[sentences["doc_id"].isin(doc_ids)]
    chosen = chosen[chosen["text"].str.contains(keyword, regex=False)]
    rows = []
    for row in chosen.itertuples(index=False):
        start = row.text.find(keyword)
        while start >= 0:
            end = start + len(keyword)
            rows.append((row.doc_id, row.section_id, row.sentence_id,
                         row.text[max(0, start - width):start], keyword,
                         row.text[end:end + width]))  # fmt: skip
            start = row.text.find(keyword, end)
    return pd.DataFrame(rows, columns=KWIC_COLUMNS)
