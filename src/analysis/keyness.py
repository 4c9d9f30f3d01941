"""Keyness: which terms a document uses more or less than a reference (G2 with log ratio), and
the same test with sections as sampling units.

Keyness follows Rayson & Garside (2000) in the two-cell form that compares a term's observed
counts with their expectations (not Dunning's full 2 × 2 table with the other words' cells): for
a term with counts ``a`` (target) and ``b`` (reference) in corpora of ``n1`` and ``n2`` word
tokens, ``E1 = n1 (a + b) / (n1 + n2)``, ``E2 = n2 (a + b) / (n1 + n2)`` and
``G2 = 2 (a ln(a / E1) + b ln(b / E2))`` (a zero count contributes 0); the p-value is the
chi-square survival function with one degree of freedom. The effect size is Hardie's (2014)
log ratio ``log2((a / n1) / (b / n2))`` with a zero count replaced by :data:`ZERO_FLOOR`.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
from scipy import special, stats

from .keywords import word_token_counts
from .registry import columns
from .self_reference import flags_from_tokens
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

KEYNESS_COLUMNS = columns("keyness")
SECTION_KEYNESS_COLUMNS = columns("keyness_sections")


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
        Columns :data:`KEYNESS_COLUMNS`, sorted by document, reference, G2 (largest
        first) and term. ``direction`` names the side that uses the term more; ``significant``
        is ``g2 >= G2_CRITICAL`` with a combined count of at least :data:`MIN_FREQ`;
        ``is_self_reference`` marks a term flagged among the target's or the reference's tokens
        (false throughout when ``tokens`` has no ``is_self_reference`` column).

    Raises
    ------
    KeyError
        If ``reference`` is not a document of ``tokens``.
    """
    doc_ids = list(tokens["doc_id"].unique())
    if reference not in doc_ids:
        raise KeyError(f"reference document {reference!r} is not in the tokens table")
    sizes = word_token_counts(tokens)
    content = content_tokens(tokens, policy_stopwords=policy_stopwords)
    term_codes, terms = pd.factorize(content["token"], sort=True)
    terms = np.asarray(terms, dtype=object)
    doc_codes = pd.Categorical(content["doc_id"], categories=doc_ids).codes
    n_terms, n_docs = len(terms), len(doc_ids)
    counts = np.zeros((n_terms, n_docs), dtype=np.int64)  # terms x documents
    np.add.at(counts, (term_codes, doc_codes), 1)
    doc_sizes = sizes.reindex(doc_ids).to_numpy(dtype=np.int64)
    total_counts, total_size = counts.sum(axis=1), int(doc_sizes.sum())
    ref_position = doc_ids.index(reference)
    frames = []
    for start in range(0, n_docs, _DOCS_PER_BLOCK):
        block = np.arange(start, min(start + _DOCS_PER_BLOCK, n_docs))
        others = block[block != ref_position]
        frames.append(_compare_block(0, others, counts[:, others], doc_sizes[others],
                                     counts[:, [ref_position]], doc_sizes[ref_position],
                                     min_listed))  # fmt: skip
        if pooled:  # every other document: the total minus this one (linear in documents)
            target, n1 = counts[:, block], doc_sizes[block]
            frames.append(_compare_block(1, block, target, n1, total_counts[:, None] - target,
                                         total_size - n1, min_listed))  # fmt: skip
    rows = pd.concat(frames, ignore_index=True)  # never empty: one frame per block at least
    rows = rows.iloc[np.lexsort((rows["term"], -rows["g2"], rows["pair"], rows["doc"]))]
    a, b = rows["a"].to_numpy(float), rows["b"].to_numpy(float)
    n1, n2 = rows["n1"].to_numpy(float), rows["n2"].to_numpy(float)
    g2, ratio = rows["g2"].to_numpy(), log_ratio(a, b, n1, n2)
    table = pd.DataFrame({
        "doc_id": np.asarray(doc_ids, dtype=object)[rows["doc"].to_numpy()],
        "reference": _labels(rows["pair"].to_numpy() != 0, reference, POOLED),
        "term": terms[rows["term"].to_numpy()],
        "count_target": rows["a"].to_numpy(np.int64),
        "count_reference": rows["b"].to_numpy(np.int64),
        "per_10k_target": a / n1 * 10_000, "per_10k_reference": b / n2 * 10_000,
        "g2": g2, "p_value": stats.chi2.sf(g2, df=1), "log_ratio": ratio,
        "direction": _labels(~(ratio >= 0), "target", "reference"),
        "significant": rows["significant"].to_numpy(bool),
    })  # fmt: skip
    table["is_self_reference"] = (flags_from_tokens(table, tokens)
                                  if "is_self_reference" in tokens.columns else False)  # fmt: skip
    return table[KEYNESS_COLUMNS]


def _labels(choose_second: np.ndarray, first: str, second: str) -> np.ndarray:
    """``first`` or ``second`` per row, as an object array of two shared strings (``np.where``
    would make a new string object per row: about 100 MB for the keyness table of 500
    documents, copied again when the table is sent between processes)."""
    return np.array([first, second], dtype=object)[choose_second.astype(np.intp)]


#: Documents compared at once by :func:`keyness_table` (bounds its memory: terms x block).
_DOCS_PER_BLOCK = 64


def _compare_block(pair, columns, target, n1, ref, n2, min_listed) -> pd.DataFrame:
    """The listed rows of the comparisons of documents ``columns`` (counts ``target``, sizes
    ``n1``) with a reference (``pair`` 0) or all others (1): terms with a combined count of at
    least ``min_listed`` that the target uses or significantly avoids."""
    ref = np.broadcast_to(ref, target.shape)
    n2 = np.broadcast_to(np.asarray(n2, dtype=np.int64), n1.shape)
    term, column = np.nonzero((target + ref) >= min_listed)
    a, b = target[term, column], ref[term, column]
    g2 = g2_statistic(a, b, n1[column], n2[column])
    significant = (g2 >= G2_CRITICAL) & ((a + b) >= MIN_FREQ)
    keep = (a > 0) | significant
    column = column[keep]
    return pd.DataFrame({
        "doc": np.asarray(columns)[column], "pair": pair, "term": term[keep], "a": a[keep],
        "b": b[keep], "n1": n1[column], "n2": n2[column], "g2": g2[keep],
        "significant": significant[keep],
    })  # fmt: skip


def keyness_sections_table(
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
        sections using the term (its dispersion); ``is_self_reference`` as in ``keyness``.
    """
    words = word_tokens(tokens_with_sections(tokens, sentences))
    sizes = words.groupby(["doc_id", "section_id"]).size()
    sizes = sizes[sizes >= min_section_tokens]
    wanted = keyness[keyness["significant"]]
    counts = (words[words["token"].isin(set(wanted["term"]))]
              .groupby(["doc_id", "section_id", "token"]).size()
              .unstack(fill_value=0).reindex(sizes.index, fill_value=0))  # fmt: skip
    rates = counts.div(sizes, axis=0) * 10_000
    # terms x sections: a term's rates in a document's sections are one contiguous slice
    by_term = np.ascontiguousarray(rates.to_numpy(dtype=float).T)
    term_row = {term: i for i, term in enumerate(rates.columns)}
    section_docs = rates.index.get_level_values("doc_id")
    doc_sections = {doc: slice(first, first + n) for doc, first, n in zip(
        *np.unique(np.asarray(section_docs, dtype=object), return_index=True, return_counts=True),
        strict=True)} if len(rates) else {}  # fmt: skip
    pooled = _PooledRanks(by_term)
    rows = []
    for (doc_id, reference), group in wanted.groupby(["doc_id", "reference"], sort=False):
        terms = list(group["term"])
        rows_of_terms = np.array([term_row[term] for term in terms], dtype=np.intp)
        target_sections = doc_sections.get(doc_id, slice(0, 0))
        x = by_term[rows_of_terms, target_sections]
        if reference == POOLED:
            y = np.delete(by_term[rows_of_terms], target_sections, axis=1)
            u, p = _mann_whitney(x, y, pooled.has_ties[rows_of_terms],
                                 partial(pooled.test, rows_of_terms, target_sections))  # fmt: skip
        else:
            y = by_term[rows_of_terms, doc_sections.get(reference, slice(0, 0))]
            u, p = _mann_whitney(x, y, tie_terms(np.concatenate([x, y], axis=1)) > 0)
        rows.append(pd.DataFrame({
            "doc_id": doc_id, "reference": reference, "term": terms,
            "n_sections_target": x.shape[1], "n_sections_reference": y.shape[1],
            "share_sections_target": _mean_or_nan(x > 0),
            "share_sections_reference": _mean_or_nan(y > 0),
            "mean_per_10k_target": _mean_or_nan(x), "mean_per_10k_reference": _mean_or_nan(y),
            "u_statistic": u, "p_value": p,
            "is_self_reference": (group["is_self_reference"].to_numpy(bool)
                                  if "is_self_reference" in group else False),
        }))  # fmt: skip
    if not rows:
        return pd.DataFrame(columns=SECTION_KEYNESS_COLUMNS)
    return pd.concat(rows, ignore_index=True)[SECTION_KEYNESS_COLUMNS]


def _mean_or_nan(values: np.ndarray) -> np.ndarray:
    """Row means (terms x sections), NaN where there are no sections; the sections are added
    one after another (the order of a sections x terms table), so the digits do not depend on
    how the rows happen to be laid out in memory."""
    if values.shape[1] == 0:
        return np.full(values.shape[0], np.nan)
    return np.ascontiguousarray(values.T).mean(axis=0)


def _mann_whitney(x, y, tied, asymptotic_test=None) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided Mann-Whitney U per term (rows of ``x`` and ``y``: terms x sections).

    The method is chosen per term as scipy's ``method="auto"`` chooses it for one term: the
    exact distribution when a sample has at most 8 sections and the term's rates have no
    ties (``tied``), else the normal approximation, which ``asymptotic_test(rows)`` computes
    when given (the pooled reference) and :func:`scipy.stats.mannwhitneyu` otherwise.
    NaN where either side has no sections.
    """
    n_terms, n1, n2 = x.shape[0], x.shape[1], y.shape[1]
    u, p = np.full(n_terms, np.nan), np.full(n_terms, np.nan)
    if n1 == 0 or n2 == 0:
        return u, p
    asymptotic = np.asarray(tied, dtype=bool) | (n1 > 8 and n2 > 8)
    for rows, method in ((np.flatnonzero(asymptotic), "asymptotic"),
                         (np.flatnonzero(~asymptotic), "exact")):  # fmt: skip
        if not len(rows):
            continue
        if method == "asymptotic" and asymptotic_test is not None:
            u[rows], p[rows] = asymptotic_test(rows)
        else:
            u[rows], p[rows] = stats.mannwhitneyu(x[rows], y[rows], axis=1,
                                                  alternative="two-sided", method=method)  # fmt: skip
    return u, p


def tie_terms(values: np.ndarray) -> np.ndarray:
    """The tie correction of the Mann-Whitney variance, for each row of ``values``.

    Parameters
    ----------
    values : numpy.ndarray
        One row per term: its rates in every section.

    Returns
    -------
    numpy.ndarray
        Per row, the sum of t³ - t over its groups of t equal values; above 0 exactly when the
        row has ties.

    Examples
    --------
    >>> tie_terms(np.array([[0.0, 0.0, 1.5, 2.0]])).tolist()
    [6.0]
    """
    n_rows, n_columns = values.shape
    if n_columns == 0:
        return np.zeros(n_rows)
    ordered = np.sort(values, axis=1)
    starts = np.ones(ordered.shape, dtype=bool)  # where a group of equal values begins;
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]  # every row begins a group
    first = np.flatnonzero(starts)
    sizes = np.diff(np.r_[first, ordered.size]).astype(float)
    return np.bincount(first // n_columns, weights=sizes**3 - sizes, minlength=n_rows)


class _PooledRanks:
    """Mann-Whitney U of one document's sections against all other sections, for many documents.

    Target and pooled reference together are always all the sections, so each term's ranks
    and tie correction are computed once, and a document's rank sum is the sum of its
    sections' ranks. The statistic and the asymptotic p-value (with continuity and tie
    correction) are scipy's formulas, with the same operations in the same order; the test
    suite compares them with :func:`scipy.stats.mannwhitneyu`.
    """

    def __init__(self, by_term: np.ndarray) -> None:
        self.n_sections = by_term.shape[1]
        self.ranks = stats.rankdata(by_term, axis=1) if by_term.size else by_term
        self.tie_term = tie_terms(by_term)
        self.has_ties = self.tie_term > 0

    def test(self, term_rows: np.ndarray, target: slice, which: np.ndarray) -> tuple:
        """U statistic (of the target, whose sections are ``target``) and two-sided
        asymptotic p-value for the terms in rows ``term_rows[which]`` of the matrix."""
        rows = term_rows[which]
        n1 = target.stop - target.start
        n2 = self.n_sections - n1
        u1 = self.ranks[rows, target].sum(axis=1) - n1 * (n1 + 1) / 2
        u = np.maximum(u1, n1 * n2 - u1)
        n = n1 + n2
        s = np.sqrt(n1 * n2 / 12 * ((n + 1) - self.tie_term[rows] / (n * (n - 1))))
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (u - n1 * n2 / 2 - 0.5) / s
        return u1, np.clip(special.ndtr(-z) * 2, 0.0, 1.0)
