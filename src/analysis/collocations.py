"""Term discovery: multiword terms the segmenter splits (科普 | 阵地), found as collocations.

Adjacent word tokens of one sentence (two or three) are scored by how much more often they
occur together than their parts would by chance: Dunning's (1993) log-likelihood G2 on the
2 × 2 table of the first part (the first token, or the first two) and the last token, with PMI
beside it. A candidate must occur at least ``min_count`` times in the corpus and must neither
begin nor end with a stop word or policy boilerplate (加强, 推进), so 加强科普 is not a term while
科普 | 阵地 is. Candidates are suggestions: the ones a reader accepts go into
``resources/user_dict.txt``, and the segmenter then keeps them whole.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .keyness import g2_statistic
from .registry import columns, empty_table
from .resources import user_words

#: Fewest occurrences (all documents together) of a listed candidate.
MIN_COUNT = 5
#: Candidates listed: the strongest (a large corpus has thousands above the floor).
TOP_CANDIDATES = 300
TERM_CANDIDATE_COLUMNS = columns("term_candidates")


def _association(joint, first, last, total) -> tuple[np.ndarray, np.ndarray]:
    """G2 and PMI of ``joint`` co-occurrences of parts occurring ``first`` and ``last`` times
    among ``total`` tokens (Dunning's 2 × 2 table: with / without each part)."""
    joint, first, last = (np.asarray(v, dtype=float) for v in (joint, first, last))
    # the 2 x 2 table as two rows: first part present (joint, first - joint) and absent
    g2 = (g2_statistic(joint, first - joint, last, total - last)
          + g2_statistic(last - joint, total - first - last + joint, last, total - last))  # fmt: skip
    # g2_statistic compares one row with the column totals; the two rows' sums give the
    # 2 x 2 log-likelihood
    pmi = np.log2(joint * total / (first * last))
    return g2, pmi


def term_candidates_table(
    tokens: pd.DataFrame,
    *,
    min_count: int = MIN_COUNT,
    max_tokens: int = 3,
    top_n: int = TOP_CANDIDATES,
) -> pd.DataFrame:
    """Multiword term candidates: runs of 2 to ``max_tokens`` adjacent word tokens that occur
    together more than chance, with their counts per document.

    Parameters
    ----------
    tokens : pandas.DataFrame
        The ``tokens`` table (rows of a sentence adjacent and in order).
    min_count : int
        Fewest occurrences in all documents together.
    max_tokens : int
        Longest run considered (2 or 3).
    top_n : int
        Candidates listed, the strongest first.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TERM_CANDIDATE_COLUMNS`: one row per candidate and document using it,
        candidates ranked by G2 (largest first; ties by term); only positive associations
        (observed above expected) are listed.

    Examples
    --------
    >>> rows = [("d", s, p, t) for s in range(6) for p, t in enumerate(["建设", "科普", "阵地"])]
    >>> tokens = pd.DataFrame(rows, columns=["doc_id", "sentence_id", "position", "token"])
    >>> tokens = tokens.assign(is_stopword=False, token_type="word", is_boilerplate=False)
    >>> table = term_candidates_table(tokens)
    >>> table.loc[table["term"] == "科普阵地", ["tokens", "count_total"]].values.tolist()
    [['科普 | 阵地', 6]]
    """
    if max_tokens not in (2, 3):
        raise ValueError(f"max_tokens must be 2 or 3, not {max_tokens}")
    table = tokens.reset_index(drop=True)
    n = len(table)
    words = table["token"].to_numpy(dtype=object)
    is_word = (table["token_type"] == "word").to_numpy()
    boundary_ok = is_word & ~(table["is_stopword"] | table["is_boilerplate"]).to_numpy(bool)
    doc = pd.factorize(table["doc_id"])[0] if n else np.zeros(0, dtype=np.intp)
    sentence = table["sentence_id"].to_numpy() if n else np.zeros(0, dtype=np.int64)
    same_sentence = np.zeros(n, dtype=bool)  # row i and row i + 1 are neighbours in a sentence
    if n > 1:
        same_sentence[:-1] = (doc[:-1] == doc[1:]) & (sentence[:-1] == sentence[1:])
    unigram = pd.Series(words[is_word]).value_counts()
    total = int(is_word.sum())
    frames = []
    for size in range(2, max_tokens + 1):
        start = boundary_ok.copy()
        for offset in range(size - 1):
            start[: n - offset - 1] &= same_sentence[: n - offset - 1]
            start[n - offset - 1 :] = False
        for offset in range(1, size):
            start[: n - offset] &= is_word[offset:]
        start[: n - size + 1] &= boundary_ok[size - 1 :]
        at = np.flatnonzero(start)
        parts = [words[at + offset] for offset in range(size)]
        frame = pd.DataFrame({f"t{i}": part for i, part in enumerate(parts)})
        frame["doc_id"] = table["doc_id"].to_numpy(dtype=object)[at]
        frames.append((size, frame))
    # every pair of adjacent words (stop words included): the first part of a three-token run
    adjacent = np.flatnonzero(same_sentence & is_word & np.r_[is_word[1:], False])
    pair_counts = pd.DataFrame({"t0": words[adjacent], "t1": words[adjacent + 1]}).groupby(
        ["t0", "t1"]).size()  # fmt: skip
    rows = []
    for size, frame in frames:
        keys = [f"t{i}" for i in range(size)]
        pooled = frame.groupby(keys, sort=False).size().rename("count_total").reset_index()
        if size == 2:
            first = pooled["t0"].map(unigram).to_numpy(float)
        else:  # the first two tokens as one part
            first_index = pd.MultiIndex.from_frame(pooled[keys[:-1]].set_axis(["t0", "t1"], axis=1))
            first = pair_counts.reindex(first_index).to_numpy(float)
        last = pooled[keys[-1]].map(unigram).to_numpy(float)
        joint = pooled["count_total"].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            g2, pmi = _association(joint, first, last, total)
        expected = first * last / total
        keep = (joint >= min_count) & (joint > expected)
        pooled = pooled[keep].assign(g2=g2[keep], pmi=pmi[keep], n_tokens=size)
        if pooled.empty:
            continue
        pooled["tokens"] = pooled[keys].agg(" | ".join, axis=1)
        pooled["term"] = pooled[keys].agg("".join, axis=1)
        per_doc = frame.groupby(["doc_id", *keys], sort=False).size().rename("count").reset_index()
        per_doc = per_doc.merge(pooled, on=keys)
        rows.append(per_doc)
    if not rows:
        return empty_table("term_candidates")
    result = pd.concat(rows, ignore_index=True)
    # one candidate per joined term: the split with the highest G2 speaks for it
    best = (result.drop_duplicates(["term", "tokens"])
            .sort_values(["g2", "tokens"], ascending=[False, True])
            .drop_duplicates("term"))  # fmt: skip
    result = result[result["tokens"].isin(set(best["tokens"].iloc[:top_n]))]
    n_documents = result.groupby("term")["doc_id"].nunique()
    ranking = best.reset_index(drop=True).iloc[:top_n].copy()
    ranking["rank"] = np.arange(1, len(ranking) + 1)
    result = result.merge(ranking[["term", "rank"]], on="term")
    result["n_documents"] = result["term"].map(n_documents).astype(np.int64)
    result["in_user_dict"] = result["term"].isin(set(user_words()))
    order = {d: i for i, d in enumerate(table["doc_id"].unique())}
    result["_doc"] = result["doc_id"].map(order)
    result = result.sort_values(["rank", "_doc"]).reset_index(drop=True)
    result["count_total"] = result["count_total"].astype(np.int64)
    result["count"] = result["count"].astype(np.int64)
    result["n_tokens"] = result["n_tokens"].astype(np.int64)
    return result[TERM_CANDIDATE_COLUMNS]
