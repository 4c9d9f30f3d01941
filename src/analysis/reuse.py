"""Text reuse: provincial sentences that copy national wording, political formulas masked."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .registry import columns
from .resources import boilerplate_phrases
from .tfidf import char_ngram_sets

#: Reuse: share of a provincial sentence's character 4-grams found in one national sentence.
REUSE_MIN_CONTAINMENT = 0.5
#: Reuse: characters in blocks of 4 or more that the two sentences share, formulas masked.
REUSE_MIN_SHARED_CHARS = 15
REUSE_NGRAM = 4
REUSE_COLUMNS = columns("reuse")
REUSE_SUMMARY_COLUMNS = columns("reuse_summary")
_MASK = "□"


def _reuse_texts(texts: list[str], phrases: tuple[str, ...]) -> list[str]:
    """Each text with the formulas masked and everything but letters, digits and the mask
    dropped (all texts at once: joined by a character none of them or the phrases holds)."""
    joined = "".join(texts)
    used = set(joined).union(*phrases)
    separator = next(chr(c) for c in range(0xE000, 0x110000) if chr(c) not in used)
    joined = separator.join(texts)
    for phrase in phrases:
        joined = joined.replace(phrase, _MASK)
    codes = np.frombuffer(joined.encode("utf-32-le", errors="surrogatepass"), dtype="<u4")
    present = np.unique(codes)
    kept = present[[chr(c).isalnum() or chr(c) in (_MASK, separator) for c in present.tolist()]]
    cleaned = codes[np.isin(codes, kept)].tobytes().decode("utf-32-le", errors="surrogatepass")
    return cleaned.split(separator) if texts else []


def reuse_table(
    sentences: pd.DataFrame,
    *,
    national_doc_ids: tuple[str, ...],
    min_containment: float = REUSE_MIN_CONTAINMENT,
    min_shared_chars: int = REUSE_MIN_SHARED_CHARS,
    ngram: int = REUSE_NGRAM,
) -> pd.DataFrame:
    """Provincial sentences that reuse national wording, each with its closest national sentence.

    Candidate pairs come from one sparse product of binary character n-gram matrices
    (provincial × national), so no pair of sentences is compared in a Python loop; only the
    candidates (containment at least ``min_containment``) are verified by counting the
    characters in matching blocks of ``ngram`` or more (``difflib``). Standard political
    formulas (:func:`boilerplate_phrases`) are masked first, so sharing only those is not reuse.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The ``sentences`` table.
    national_doc_ids : tuple of str
        The national documents.
    min_containment : float
        Share of the provincial sentence's n-grams found in the national sentence.
    min_shared_chars : int
        Characters the two share in matching blocks (formulas and punctuation excluded).
    ngram : int
        Shingle length in characters.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`REUSE_COLUMNS`; ``score`` is the containment.
    """
    from difflib import SequenceMatcher

    is_national = sentences["doc_id"].isin(national_doc_ids).to_numpy()
    cleaned = _reuse_texts(sentences["text"].tolist(), boilerplate_phrases())
    matrix = char_ngram_sets(cleaned, ngram, skip=_MASK)
    national, provincial = matrix[is_national], matrix[~is_national]
    sizes = np.asarray(provincial.sum(axis=1)).ravel()
    shared = (provincial @ national.T).tocoo()
    with np.errstate(divide="ignore", invalid="ignore"):
        containment = shared.data / sizes[shared.row]
    keep = containment >= min_containment
    prov_rows = sentences.index[~is_national]
    nat_rows = sentences.index[is_national]
    positions = {index: i for i, index in enumerate(sentences.index)}
    best: dict[int, tuple] = {}
    for r, c, score in zip(shared.row[keep], shared.col[keep], containment[keep], strict=True):
        p_index, n_index = prov_rows[r], nat_rows[c]
        a, b = cleaned[positions[p_index]], cleaned[positions[n_index]]
        blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
        chars = sum(block.size for block in blocks if block.size >= ngram)
        if chars < min_shared_chars:
            continue
        candidate = (float(score), chars, n_index)
        if p_index not in best or candidate[:2] > best[p_index][:2]:
            best[p_index] = candidate
    rows = []
    for p_index in sorted(best, key=positions.get):
        score, chars, n_index = best[p_index]
        p, n = sentences.loc[p_index], sentences.loc[n_index]
        rows.append((p.doc_id, int(p.sentence_id), n.doc_id, int(n.sentence_id), score, chars,
                     p.text, n.text))  # fmt: skip
    return pd.DataFrame(rows, columns=REUSE_COLUMNS)


def reuse_summary_table(sentences: pd.DataFrame, reuse: pd.DataFrame,
                  *, national_doc_ids: tuple[str, ...]) -> pd.DataFrame:  # fmt: skip
    """Per provincial document: how many of its sentences reuse national wording."""
    provincial = sentences[~sentences["doc_id"].isin(national_doc_ids)]
    n_sentences = provincial.groupby("doc_id", sort=False).size()
    n_reusing = reuse.groupby("doc_id").size().reindex(n_sentences.index, fill_value=0)
    table = pd.DataFrame({"doc_id": n_sentences.index, "n_sentences": n_sentences.to_numpy(),
                          "n_reusing": n_reusing.to_numpy()})  # fmt: skip
    table["share_reusing"] = table["n_reusing"] / table["n_sentences"]
    return table[REUSE_SUMMARY_COLUMNS]
