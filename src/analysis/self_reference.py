"""Self-reference: the words with which a document names its own region or itself (我省, 河南省).

The rules are in ``resources/self_reference.toml``; they are built from the registry's ``level``
and ``region`` alone, so a document added with a registry row (a city, another province) has its
self-references flagged with no other change. Tables keep every row and gain an
``is_self_reference`` column; views (figures, workbook sheets, notebook tables) leave flagged rows
out unless the resource's ``show_in_views`` is true.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .resources import SelfReferenceRules, self_reference_rules

#: Columns of :func:`self_references_table`.
SELF_REFERENCE_COLUMNS = ["doc_id", "level", "region", "term", "contains"]


def self_references_table(
    documents: pd.DataFrame, *, rules: SelfReferenceRules | None = None
) -> pd.DataFrame:
    """The self-reference words of each document, from its registry ``level`` and ``region``.

    Parameters
    ----------
    documents : pandas.DataFrame
        The ``documents`` table (``doc_id``, ``level``, ``region``).
    rules : SelfReferenceRules, optional
        Output of :func:`analysis.resources.load_self_reference` (default: the bundled file).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SELF_REFERENCE_COLUMNS`, one row per document and word; ``contains``
        says whether a token containing the word (of two or more characters) is flagged too.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["zz"], "level": ["municipal"], "region": ["郑州"]})
    >>> sorted(self_references_table(docs)["term"])[:4]
    ['全州', '全市', '市内', '我州']
    >>> "郑州市" in set(self_references_table(docs)["term"])
    True
    """
    rules = rules or self_reference_rules()
    rows = []
    for doc_id, level, region in documents[["doc_id", "level", "region"]].itertuples(index=False):
        spec = rules.levels.get(level, {"suffixes": (), "words": (), "contains": False})
        names = [region, *rules.region_aliases.get(region, ())] if region else []
        names += [region + suffix for suffix in spec["suffixes"]] if region else []
        for term in dict.fromkeys([*names, *spec["words"]]):
            rows.append((doc_id, level, region, term, spec["contains"]))
    return pd.DataFrame(rows, columns=SELF_REFERENCE_COLUMNS)


def _flagged_terms(terms: pd.Series, words: pd.DataFrame) -> set[str]:
    """Which of ``terms`` are (or, where allowed, contain) one of ``words``."""
    exact = set(words["term"])
    contained = sorted({w for w, c in zip(words["term"], words["contains"], strict=True)
                        if c and len(w) >= 2}, key=len, reverse=True)  # fmt: skip
    unique = pd.Series(pd.unique(terms.astype(str)), dtype=object)
    hit = unique.isin(exact)
    if contained:
        hit |= unique.str.contains("|".join(map(re.escape, contained)), regex=True)
    return set(unique[hit])


def self_reference_flags(
    doc_ids: pd.Series, terms: pd.Series, documents: pd.DataFrame, *,
    rules: SelfReferenceRules | None = None,
) -> np.ndarray:  # fmt: skip
    """Whether each term is a self-reference of the document beside it.

    Parameters
    ----------
    doc_ids, terms : pandas.Series
        Aligned: the document of each row and its term (a token, a keyword, a concept).
    documents : pandas.DataFrame
        The ``documents`` table.
    rules : SelfReferenceRules, optional
        Default: the bundled ``resources/self_reference.toml``.

    Returns
    -------
    numpy.ndarray
        Booleans, one per row.
    """
    words = self_references_table(documents, rules=rules)
    # documents with the same level and region share their words: each distinct (document,
    # term) pair is tested once, with its group's words
    grouped = [group for _, group in words.groupby(["level", "region"], sort=False)]
    group_of_doc = {doc: i for i, group in enumerate(grouped) for doc in group["doc_id"]}
    groups = [group.drop_duplicates("term") for group in grouped]
    rows = pd.DataFrame({"doc_id": doc_ids.to_numpy(dtype=object),
                         "term": terms.astype(str).to_numpy(dtype=object)})  # fmt: skip
    codes, pairs = pd.MultiIndex.from_frame(rows).factorize()
    pairs = pairs.set_names(["doc_id", "term"]).to_frame(index=False)
    flagged = np.zeros(len(pairs), dtype=bool)
    group_codes = pairs["doc_id"].map(group_of_doc).fillna(-1).to_numpy(dtype=np.intp)
    for code, positions in pd.Series(group_codes).groupby(group_codes).indices.items():
        if code >= 0:
            selected = pairs["term"].iloc[positions]
            flagged[positions] = selected.isin(_flagged_terms(selected, groups[code])).to_numpy()
    return flagged[codes] if len(codes) else np.zeros(0, dtype=bool)


def flag_self_references(
    table: pd.DataFrame, documents: pd.DataFrame, *, term_column: str = "term",
    rules: SelfReferenceRules | None = None,
) -> pd.DataFrame:  # fmt: skip
    """A copy of ``table`` with an ``is_self_reference`` column: whether the term of each row is
    a self-reference of its ``doc_id``. (Tables derived from the flagged tokens, keyness with its
    reference among them, take their flags from the tokens: :func:`flags_from_tokens`.)

    Parameters
    ----------
    table : pandas.DataFrame
        A table with ``doc_id`` and ``term_column`` (the ``tokens`` table …).
    documents : pandas.DataFrame
        The ``documents`` table.
    term_column : str
        The column holding the term (``token`` in the tokens table).

    Returns
    -------
    pandas.DataFrame
        The rows and columns of ``table`` (not changed), then ``is_self_reference``.
    """
    flags = self_reference_flags(table["doc_id"], table[term_column], documents, rules=rules)
    return table.assign(is_self_reference=flags)


def shown_table(table: pd.DataFrame, *, show: bool | None = None) -> pd.DataFrame:
    """The rows of ``table`` a view (figure, workbook sheet, notebook table) shows: without
    self-references unless ``show``.

    Parameters
    ----------
    table : pandas.DataFrame
        A table, usually with an ``is_self_reference`` column (without one, all rows are kept).
    show : bool, optional
        Keep self-references; default ``show_in_views`` of ``resources/self_reference.toml``.

    Returns
    -------
    pandas.DataFrame
        The kept rows (all of them when ``show``).
    """
    if "is_self_reference" not in table.columns:  # a table that flags nothing
        return table
    show = self_reference_rules().show_in_views if show is None else show
    return table if show else table[~table["is_self_reference"]]


def flags_from_tokens(
    table: pd.DataFrame, tokens: pd.DataFrame, *, term_column: str = "term"
) -> np.ndarray:
    """Whether each row's term is flagged as a self-reference in ``tokens``, so tables derived
    from the tokens agree with them.

    A row is flagged when its term is flagged among the tokens of its ``doc_id`` or, when
    ``table`` has a ``reference`` column, of the reference document (of any document for
    :data:`analysis.keyness.POOLED`).

    Parameters
    ----------
    table : pandas.DataFrame
        A table with ``doc_id`` and ``term_column`` (and perhaps ``reference``).
    tokens : pandas.DataFrame
        The ``tokens`` table with its ``is_self_reference`` column.

    Returns
    -------
    numpy.ndarray
        Booleans, one per row of ``table``.
    """
    flagged = tokens.loc[tokens["is_self_reference"].to_numpy(bool), ["doc_id", "token"]]
    pairs = pd.MultiIndex.from_frame(flagged.drop_duplicates())
    terms = table[term_column].astype(object)
    flags = pd.MultiIndex.from_arrays([table["doc_id"], terms]).isin(pairs)
    if "reference" in table.columns:
        flags |= pd.MultiIndex.from_arrays([table["reference"], terms]).isin(pairs)
        from .keyness import POOLED  # keyness imports this module

        flags |= (table["reference"] == POOLED).to_numpy() & terms.isin(set(flagged["token"]))
    return np.asarray(flags, dtype=bool)
