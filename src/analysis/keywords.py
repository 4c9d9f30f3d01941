"""Keywords: frequencies per 10,000 tokens, keyness (G2 with log ratio) and keyword in context.

Keyness follows Rayson & Garside (2000): for a term with counts ``a`` (target) and ``b``
(reference) in corpora of ``n1`` and ``n2`` word tokens, ``E1 = n1 (a + b) / (n1 + n2)``,
``E2 = n2 (a + b) / (n1 + n2)`` and ``G2 = 2 (a ln(a / E1) + b ln(b / E2))`` (a zero count
contributes 0); the p-value is the chi-square survival function with one degree of freedom.
The effect size is Hardie's (2014) log ratio ``log2((a / n1) / (b / n2))`` with a zero count
replaced by :data:`ZERO_FLOOR`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .tokens import content_tokens, tokens_with_sections, word_tokens

#: G2 cut-off for ``significant`` (Rayson et al. 2004: 15.13 is p < 0.0001 with df = 1).
G2_CRITICAL = 15.13
#: Minimum combined count (target + reference) for a term to be flagged significant.
MIN_FREQ = 5
#: Count used in place of zero in the log ratio (Hardie 2014).
ZERO_FLOOR = 0.5
#: Terms whose combined count is below this are not listed in the keyness table.
MIN_LISTED = 3
#: Label of the pooled reference (every document except the target).
POOLED = "all_others"

FREQUENCY_COLUMNS = ["doc_id", "term", "count", "per_10k", "rank"]
KEYNESS_COLUMNS = ["doc_id", "reference", "term", "count_target", "count_reference",
                   "per_10k_target", "per_10k_reference", "g2", "p_value", "log_ratio",
                   "direction", "significant"]  # fmt: skip
SECTION_KEYNESS_COLUMNS = ["doc_id", "reference", "term", "n_sections_target",
                           "n_sections_reference", "share_sections_target",
                           "share_sections_reference", "mean_per_10k_target",
                           "mean_per_10k_reference", "u_statistic", "p_value"]  # fmt: skip
KWIC_COLUMNS = ["doc_id", "section_id", "sentence_id", "left", "keyword", "right"]


def word_token_counts(tokens: pd.DataFrame) -> pd.Series:
    """Number of word tokens per document: the denominator of every rate.

    Word tokens are all tokens except punctuation and numbers, stop words included, so
    a rate says how often a term occurs per 10,000 words of running text.
    """
    return word_tokens(tokens).groupby("doc_id", sort=False).size()


def term_frequencies(
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
        most frequent (ties broken by term, so the order is reproducible).
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
    return counts[FREQUENCY_COLUMNS].reset_index(drop=True)


def g2_statistic(a, b, n1, n2) -> np.ndarray:
    """Log-likelihood G2 for counts ``a`` (target) and ``b`` (reference); arrays broadcast.

    Examples
    --------
    >>> round(float(g2_statistic(10, 2, 1000, 1000)), 4)
    5.8221
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n1, n2 = np.asarray(n1, dtype=float), np.asarray(n2, dtype=float)
    e1 = n1 * (a + b) / (n1 + n2)
    e2 = n2 * (a + b) / (n1 + n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        part_a = np.where(a > 0, a * np.log(a / e1), 0.0)
        part_b = np.where(b > 0, b * np.log(b / e2), 0.0)
    return 2 * (part_a + part_b)


def log_ratio(a, b, n1, n2, *, floor: float = ZERO_FLOOR) -> np.ndarray:
    """Hardie's log ratio, ``log2`` of the ratio of relative frequencies; zeros floored."""
    a = np.maximum(np.asarray(a, dtype=float), floor)
    b = np.maximum(np.asarray(b, dtype=float), floor)
    return np.log2((a / np.asarray(n1, float)) / (b / np.asarray(n2, float)))


def keyness_table(
    tokens: pd.DataFrame,
    *,
    reference: str,
    pooled: bool = True,
    policy_stopwords: bool = True,
    min_listed: int = MIN_LISTED,
) -> pd.DataFrame:
    """Keyness of every document's terms against a reference document (and all others pooled).

    Parameters
    ----------
    tokens : pandas.DataFrame
        The ``tokens`` table.
    reference : str
        ``doc_id`` of the reference (the national framework).
    pooled : bool
        Also compare each document with every other document pooled (``reference`` column
        :data:`POOLED`).
    policy_stopwords : bool
        Drop policy boilerplate before counting.
    min_listed : int
        Terms with a combined count below this are left out, and so are terms the target
        never uses unless it avoids them significantly (keeps the table linear in size).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`KEYNESS_COLUMNS`, sorted by document, reference and G2 (largest
        first). ``direction`` names the side that uses the term more; ``significant`` is
        ``g2 >= G2_CRITICAL`` with a combined count of at least :data:`MIN_FREQ`.
    """
    sizes = word_token_counts(tokens)
    content = content_tokens(tokens, policy_stopwords=policy_stopwords)
    counts = content.groupby(["token", "doc_id"]).size().unstack(fill_value=0)
    doc_ids = list(tokens["doc_id"].unique())
    counts = counts.reindex(columns=doc_ids, fill_value=0)
    total_counts, total_size = counts.sum(axis=1), sizes[doc_ids].sum()
    frames = []
    for doc_id in doc_ids:
        pairs = [] if doc_id == reference else [(reference, counts[reference], sizes[reference])]
        if pooled:  # every other document: the total minus this one (linear in documents)
            pairs.append((POOLED, total_counts - counts[doc_id], total_size - sizes[doc_id]))
        for ref_name, ref_counts, ref_size in pairs:
            frames.append(_compare(doc_id, counts[doc_id], sizes[doc_id], ref_name, ref_counts,
                                   ref_size, min_listed))  # fmt: skip
    table = pd.concat(frames, ignore_index=True)
    return table[KEYNESS_COLUMNS]


def _compare(doc_id, target, n1, ref_name, ref, n2, min_listed) -> pd.DataFrame:
    frequent = (target + ref) >= min_listed
    a_all, b_all = target[frequent].to_numpy(), ref[frequent].to_numpy()
    g2_all = g2_statistic(a_all, b_all, n1, n2)
    significant_all = (g2_all >= G2_CRITICAL) & ((a_all + b_all) >= MIN_FREQ)
    # list the terms the target uses, and those it significantly avoids
    keep = (a_all > 0) | significant_all
    a, b, g2 = a_all[keep], b_all[keep], g2_all[keep]
    ratio = log_ratio(a, b, n1, n2)
    table = pd.DataFrame({
        "doc_id": doc_id, "reference": ref_name, "term": target[frequent].index[keep],
        "count_target": a.astype("int64"), "count_reference": b.astype("int64"),
        "per_10k_target": a / n1 * 10_000, "per_10k_reference": b / n2 * 10_000,
        "g2": g2, "p_value": stats.chi2.sf(g2, df=1), "log_ratio": ratio,
        "direction": np.where(ratio >= 0, "target", "reference"),
        "significant": significant_all[keep],
    })  # fmt: skip
    return table.sort_values(["g2", "term"], ascending=[False, True], kind="stable")


def section_keyness(
    tokens: pd.DataFrame,
    sentences: pd.DataFrame,
    keyness: pd.DataFrame,
    *,
    min_section_tokens: int = 20,
) -> pd.DataFrame:
    """Re-test the significant keyness terms with sections as the sampling unit.

    One document per side overstates significance (Lijffijt et al. 2016): G2 treats every
    token as independent. Here each section with at least ``min_section_tokens`` word tokens
    is one observation; a term's rate per 10,000 tokens in the target's sections is compared
    with its rate in the reference's sections by a two-sided Mann-Whitney U test.

    Parameters
    ----------
    tokens, sentences : pandas.DataFrame
        The ``tokens`` and ``sentences`` tables (sentences give each token its section).
    keyness : pandas.DataFrame
        Output of :func:`keyness_table`; only its significant rows are re-tested.
    min_section_tokens : int
        Sections shorter than this are not used as observations.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SECTION_KEYNESS_COLUMNS`; ``share_sections_*`` is the share of
        sections using the term (its dispersion).
    """
    words = word_tokens(tokens_with_sections(tokens, sentences))
    sizes = words.groupby(["doc_id", "section_id"]).size()
    sizes = sizes[sizes >= min_section_tokens]
    wanted = keyness[keyness["significant"]]
    counts = (words[words["token"].isin(set(wanted["term"]))]
              .groupby(["doc_id", "section_id", "token"]).size()
              .unstack(fill_value=0).reindex(sizes.index, fill_value=0))  # fmt: skip
    rates = counts.div(sizes, axis=0) * 10_000
    rows = []
    for (doc_id, reference), group in wanted.groupby(["doc_id", "reference"], sort=False):
        target = rates.loc[doc_id]
        ref = (rates.drop(index=doc_id, level="doc_id") if reference == "all_others"
               else rates.loc[reference])  # fmt: skip
        terms = list(group["term"])
        x, y = target[terms].to_numpy(), ref[terms].to_numpy()
        u, p = stats.mannwhitneyu(x, y, axis=0, alternative="two-sided")
        rows.append(pd.DataFrame({
            "doc_id": doc_id, "reference": reference, "term": terms,
            "n_sections_target": len(x), "n_sections_reference": len(y),
            "share_sections_target": (x > 0).mean(axis=0),
            "share_sections_reference": (y > 0).mean(axis=0),
            "mean_per_10k_target": x.mean(axis=0), "mean_per_10k_reference": y.mean(axis=0),
            "u_statistic": u, "p_value": p,
        }))  # fmt: skip
    if not rows:
        return pd.DataFrame(columns=SECTION_KEYNESS_COLUMNS)
    return pd.concat(rows, ignore_index=True)[SECTION_KEYNESS_COLUMNS]


def kwic(
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
