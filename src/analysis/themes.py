"""Themes: how much each document (and section) talks about each theme of the theme dictionary."""

from __future__ import annotations

import re

import pandas as pd

from .keywords import word_token_counts
from .tokens import tokens_with_sections, word_tokens

THEME_COLUMNS = ["theme", "label", "term", "note"]
PROFILE_COLUMNS = ["doc_id", "theme", "label", "hits", "per_10k", "share"]
SECTION_PROFILE_COLUMNS = ["doc_id", "section_id", "theme", "label", "hits", "per_10k"]


def themes_table(
    sentences: pd.DataFrame, tokens: pd.DataFrame, themes: pd.DataFrame
) -> pd.DataFrame:
    """Theme hits per document, per 10,000 word tokens and as a share of the document's hits.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The ``sentences`` table, where theme terms are matched.
    tokens : pandas.DataFrame
        The ``tokens`` table, which gives each document's length in word tokens.
    themes : pandas.DataFrame
        Output of :func:`analysis.resources.load_themes`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PROFILE_COLUMNS`; every document × theme pair, zeros included.
    """
    sizes = word_token_counts(tokens)
    hits = theme_hits(sentences, themes).groupby(["doc_id", "theme"]).sum()["hits"]
    grid = pd.MultiIndex.from_product([list(sizes.index), themes["theme"].unique()],
                                      names=["doc_id", "theme"])  # fmt: skip
    table = hits.reindex(grid, fill_value=0).rename("hits").reset_index()
    table["hits"] = table["hits"].astype("int64")
    table["label"] = table["theme"].map(_labels(themes))
    table["per_10k"] = table["hits"] / table["doc_id"].map(sizes) * 10_000
    totals = table.groupby("doc_id")["hits"].transform("sum")
    table["share"] = (table["hits"] / totals.where(totals > 0)).fillna(0.0)
    return table[PROFILE_COLUMNS]


def themes_sections_table(
    sentences: pd.DataFrame, tokens: pd.DataFrame, themes: pd.DataFrame
) -> pd.DataFrame:
    """Theme hits per section (only sections with at least one hit are listed).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SECTION_PROFILE_COLUMNS`; ``per_10k`` uses the section's word tokens.
    """
    words = word_tokens(tokens_with_sections(tokens, sentences))
    sizes = words.groupby(["doc_id", "section_id"]).size()
    hits = theme_hits(sentences, themes)
    hits = hits.groupby(["doc_id", "section_id", "theme"], sort=False)["hits"].sum().reset_index()
    hits["label"] = hits["theme"].map(_labels(themes))
    index = pd.MultiIndex.from_frame(hits[["doc_id", "section_id"]])
    hits["per_10k"] = hits["hits"].to_numpy() / sizes.reindex(index).to_numpy() * 10_000
    return hits[SECTION_PROFILE_COLUMNS].reset_index(drop=True)


def theme_hits(sentences: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """Count each theme's terms in each sentence (longest term first, no overlaps in a theme).

    Returns
    -------
    pandas.DataFrame
        ``doc_id, section_id, sentence_id, theme, hits`` for every sentence with a hit, in
        sentence order.
    """
    frames = []
    for theme, group in themes.groupby("theme", sort=False):
        terms = sorted(group["term"], key=len, reverse=True)
        pattern = "|".join(re.escape(t) for t in terms)
        counts = sentences["text"].str.count(pattern)
        found = sentences.loc[counts > 0, ["doc_id", "section_id", "sentence_id"]]
        frames.append(found.assign(theme=theme, hits=counts[counts > 0].astype("int64")))
    table = pd.concat(frames).sort_index(kind="stable")
    return table.reset_index(drop=True)


def main_themes(sentences: pd.DataFrame, themes: pd.DataFrame) -> pd.Series:
    """Each sentence's main theme: the theme whose terms it names most often (a tie goes to the
    theme listed first in ``resources/themes.toml``); ``none`` when it names no theme term.

    Returns
    -------
    pandas.Series
        Theme ids aligned with ``sentences``' rows (same index).

    Examples
    --------
    >>> from analysis.resources import load_themes
    >>> sentences = pd.DataFrame({"doc_id": "d", "section_id": "S1", "sentence_id": [1, 2],
    ...                           "text": ["加强青年科技人才培养。", "天气晴朗。"]})
    >>> main_themes(sentences, load_themes()).tolist()
    ['talent', 'none']
    """
    order = {theme: i for i, theme in enumerate(themes["theme"].unique())}
    hits = theme_hits(sentences, themes)
    hits = hits.assign(_order=hits["theme"].map(order))
    best = (hits.sort_values(["hits", "_order"], ascending=[False, True], kind="stable")
            .drop_duplicates(["doc_id", "sentence_id"]))  # fmt: skip
    best = best.set_index(["doc_id", "sentence_id"])["theme"]
    keys = pd.MultiIndex.from_frame(sentences[["doc_id", "sentence_id"]])
    return pd.Series(best.reindex(keys).fillna("none").to_numpy(), index=sentences.index,
                     dtype=object)  # fmt: skip


def theme_labels(themes: pd.DataFrame) -> dict[str, str]:
    """Theme id to Chinese label, in the resource's order, with ``none`` (无主题) last."""
    return {**_labels(themes).to_dict(), "none": "无主题"}


def _labels(themes: pd.DataFrame) -> pd.Series:
    return themes.drop_duplicates("theme").set_index("theme")["label"]
