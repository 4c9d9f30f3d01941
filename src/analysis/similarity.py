"""Similarity: TF-IDF cosine between documents, alignment of provincial items to national tasks.

Two representations, so a reader can see whether a finding depends on word segmentation:

* ``word``: TF-IDF over the project's content tokens (the keyword tokens);
* ``char``: TF-IDF over character 2-3-grams of the sentence text (no segmentation involved).

Both are the matrices scikit-learn's ``TfidfVectorizer`` would give (counted with numpy,
:mod:`analysis.tfidf`) with ``smooth_idf=True`` (idf = ln((1 + n) / (1 + df)) + 1, so a term
in every unit keeps a small positive weight instead of 0, which matters with few documents),
``sublinear_tf=True`` (1 + ln tf, so a term repeated ten times does not outweigh ten
different shared terms) and L2 normalisation (cosine = dot product). The idf is fitted once
on all units compared in one call, so every province is scored with the same idf.
Sparse matrices live only inside this module; results come back as long tables.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse, stats

from .config import read_word_list
from .tfidf import char_ngram_counts, char_ngram_sets, row_products, tfidf_matrix, word_counts
from .tokens import content_tokens, tokens_with_sections

Method = Literal["word", "char"]
METHODS: tuple[Method, ...] = ("word", "char")
#: Best score below which a provincial item counts as a provincial addition (see README).
#: Calibrated on the bundled documents (about each method's median best score): below both,
#: an item has no national counterpart (Guangdong's 双区, Henan's 科创中原 and 会地合作 items).
NOVELTY_THRESHOLD = {"word": 0.15, "char": 0.11}
#: Score at or above which a national task counts as echoed by a province's best item
#: (about each method's 75th percentile of best scores; character scores run lower).
ECHO_THRESHOLD = {"word": 0.25, "char": 0.15}
TOP_K = 3

SIMILARITY_COLUMNS = ["doc_a", "doc_b", "method", "score"]
UNIT_COLUMNS = ["doc_id", "section_id", "kind", "label", "heading", "text"]
ALIGNMENT_COLUMNS = ["doc_id", "section_id", "heading", "national_doc_id", "national_section_id",
                     "national_heading", "method", "score", "rank"]  # fmt: skip
COVERAGE_COLUMNS = ["national_doc_id", "national_section_id", "national_label", "national_heading",
                    "doc_id", "method", "best_score", "section_id", "heading", "echoed"]  # fmt: skip
NOVEL_COLUMNS = ["doc_id", "section_id", "heading", "best_score_word", "best_score_char",
                 "best_national_section_id", "best_national_heading", "novel",
                 "distinctive_terms"]  # fmt: skip
AGREEMENT_COLUMNS = ["doc_id", "n_units", "spearman_all_pairs", "median_unit_spearman",
                     "top1_agreement"]  # fmt: skip


def _tfidf(method: Method, documents: list) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows as a sparse matrix (character vocabularies are large).

    ``word``: ``documents`` are token lists; ``char``: texts, whose 2-3-grams are counted
    after every character that is not a letter or digit is read as a space.
    """
    if method == "word":
        counts = word_counts(documents)
    else:
        counts = char_ngram_counts(documents, (2, 3), punctuation_as_space=True)
    return tfidf_matrix(counts)


def document_similarity(sentences: pd.DataFrame, tokens: pd.DataFrame) -> pd.DataFrame:
    """Cosine similarity between all documents, by word and by character n-gram TF-IDF.

    Parameters
    ----------
    sentences, tokens : pandas.DataFrame
        The ``sentences`` and ``tokens`` tables.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SIMILARITY_COLUMNS`: every ordered pair of documents (the diagonal
        included, so the matrix view is complete) for each method.
    """
    doc_ids = list(sentences["doc_id"].unique())
    content = content_tokens(tokens)
    words = _grouped_lists(content["doc_id"], content["token"], doc_ids)
    texts = ["\n".join(lines) for lines in _grouped_lists(sentences["doc_id"], sentences["text"],
                                                           doc_ids)]  # fmt: skip
    n = len(doc_ids)
    ids = np.asarray(doc_ids, dtype=object)  # repeated as shared strings, not one copy per pair
    frames = []
    for method, inputs in (("word", words), ("char", texts)):
        matrix = _tfidf(method, inputs)
        scores = np.clip(row_products(matrix), 0.0, 1.0)
        frames.append(pd.DataFrame({"doc_a": np.repeat(ids, n), "doc_b": np.tile(ids, n),
                                    "method": method, "score": scores.ravel()}))  # fmt: skip
    return pd.concat(frames, ignore_index=True)[SIMILARITY_COLUMNS]


def _grouped_lists(keys: pd.Series, values: pd.Series, order: list) -> list[list]:
    """The ``values`` of each key in ``order`` as lists (rows kept in table order; [] if none)."""
    codes = pd.Categorical(keys, categories=order).codes
    positions = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[positions], np.arange(len(order) + 1))
    flat = values.to_numpy(dtype=object)[positions]
    return [flat[start:stop].tolist() for start, stop in zip(bounds[:-1], bounds[1:], strict=True)]


def alignment_units(sections: pd.DataFrame) -> pd.DataFrame:
    """The units aligned: numbered items with the text of everything below them.

    A document without numbered items contributes its parts (or chapters) instead.

    Parameters
    ----------
    sections : pandas.DataFrame
        The ``sections`` table.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`UNIT_COLUMNS`; ``text`` is the heading followed by the body of the
        item and of its descendants.
    """
    rows = []
    for doc_id, doc in sections.groupby("doc_id", sort=False):
        kinds = set(doc["kind"])
        unit_kind = next((k for k in ("item", "part", "chapter") if k in kinds), None)
        if unit_kind is None:
            continue
        units = doc[doc["kind"] == unit_kind]
        owner = _unit_of(doc["section_id"], set(units["section_id"]))
        texts: dict[str, list[str]] = {}
        for section_id, heading, text in zip(doc["section_id"], doc["heading"], doc["text"],
                                             strict=True):  # fmt: skip
            unit = owner.get(section_id)
            if unit is not None:
                texts.setdefault(unit, []).append((f"{heading}。" if heading else "") + text)
        for unit in units.itertuples(index=False):
            rows.append((doc_id, unit.section_id, unit.kind, unit.label, unit.heading,
                         "\n".join(texts.get(unit.section_id, []))))  # fmt: skip
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)


def _unit_of(section_ids, unit_ids: set[str]) -> dict[str, str]:
    """Map each section to the unit that contains it (itself or its nearest unit ancestor)."""
    owner = {}
    for section_id in section_ids:
        parts = section_id.split(".")
        for depth in range(len(parts), 0, -1):
            candidate = ".".join(parts[:depth])
            if candidate in unit_ids:
                owner[section_id] = candidate
                break
    return owner


def unit_terms(units: pd.DataFrame, tokens: pd.DataFrame, sentences: pd.DataFrame) -> list:
    """Content tokens of each alignment unit (its own sentences and its descendants'), in the
    row order of ``units``."""
    located = tokens_with_sections(content_tokens(tokens), sentences)
    sections_of = located.groupby("doc_id", sort=False)["section_id"].unique()
    owners: dict[tuple[str, str], str] = {}
    for doc_id, group in units.groupby("doc_id", sort=False):
        if doc_id not in sections_of.index:
            continue
        owners |= {(doc_id, s): u
                   for s, u in _unit_of(sections_of[doc_id], set(group["section_id"])).items()}  # fmt: skip
    keys = zip(located["doc_id"].tolist(), located["section_id"].tolist(), strict=True)
    unit_keys = [f"{d}\x00{s}" for d, s in zip(units["doc_id"], units["section_id"], strict=True)]
    owner_of = {k: f"{k[0]}\x00{u}" for k, u in owners.items()}
    located_units = pd.Series([owner_of.get(k) for k in keys], dtype=object)
    return _grouped_lists(located_units, located["token"], unit_keys)


def score_units(
    units: pd.DataFrame,
    unit_tokens: list[list[str]],
    *,
    national_doc_ids: tuple[str, ...],
) -> dict[Method, pd.DataFrame]:
    """Cosine of every provincial unit with every national task, for each method.

    Parameters
    ----------
    units : pandas.DataFrame
        Output of :func:`alignment_units` (national and provincial units together, so the
        idf is shared).
    unit_tokens : list of list of str
        Output of :func:`unit_terms`.
    national_doc_ids : tuple of str
        Documents whose units are the national tasks.

    Returns
    -------
    dict
        Method → DataFrame indexed like the provincial units, one column per national task
        (``(national_doc_id, national_section_id)``).
    """
    is_national = units["doc_id"].isin(national_doc_ids)
    out: dict[Method, pd.DataFrame] = {}
    for method in METHODS:
        inputs = unit_tokens if method == "word" else list(units["text"])
        matrix = _tfidf(method, inputs)
        national, provincial = matrix[is_national.to_numpy()], matrix[~is_national.to_numpy()]
        columns = pd.MultiIndex.from_frame(units.loc[is_national, ["doc_id", "section_id"]])
        scores = np.clip((provincial @ national.T).toarray(), 0.0, 1.0)
        out[method] = pd.DataFrame(scores, index=units.index[~is_national], columns=columns)
    return out


def align_items(
    units: pd.DataFrame, scores: dict[Method, pd.DataFrame], *, top_k: int = TOP_K
) -> pd.DataFrame:
    """The ``top_k`` national tasks for each provincial unit and method.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ALIGNMENT_COLUMNS`; rank 1 is the most similar task (ties by order).
    """
    headings = units.set_index(["doc_id", "section_id"])["heading"]
    frames = []
    for method, matrix in scores.items():
        values = matrix.to_numpy()
        k = min(top_k, values.shape[1])
        order = np.argsort(-values, axis=1, kind="stable")[:, :k]
        provincial = units.loc[matrix.index]
        tasks = matrix.columns[order.ravel()]
        frames.append(pd.DataFrame({
            "doc_id": np.repeat(provincial["doc_id"].to_numpy(), k),
            "section_id": np.repeat(provincial["section_id"].to_numpy(), k),
            "heading": np.repeat(provincial["heading"].to_numpy(), k),
            "national_doc_id": tasks.get_level_values(0),
            "national_section_id": tasks.get_level_values(1),
            "national_heading": headings.loc[list(tasks)].to_numpy(),
            "method": method,
            "score": np.take_along_axis(values, order, axis=1).ravel(),
            "rank": np.tile(np.arange(1, k + 1), len(provincial)),
        }))  # fmt: skip
    table = pd.concat(frames, ignore_index=True)[ALIGNMENT_COLUMNS]
    return _in_unit_order(table, units).reset_index(drop=True)


def _in_unit_order(table: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    order = {k: i for i, k in enumerate(zip(units.doc_id, units.section_id, strict=True))}
    key = [order[k] for k in zip(table.doc_id, table.section_id, strict=True)]
    return (
        table.assign(_o=key).sort_values(["_o", "method", "rank"], kind="stable").drop(columns="_o")
    )


def coverage_table(units: pd.DataFrame, scores: dict[Method, pd.DataFrame]) -> pd.DataFrame:
    """For each national task, each provincial document and method: the best-matching item.

    Every task × document pair has a row, also for tasks that no province echoes.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COVERAGE_COLUMNS`; ``echoed`` is ``best_score >= ECHO_THRESHOLD``.
    """
    indexed = units.set_index(["doc_id", "section_id"])
    frames = []
    for method, matrix in scores.items():
        values = matrix.to_numpy()
        provincial = units.loc[matrix.index]
        tasks = matrix.columns
        task_info = indexed.loc[list(tasks), ["label", "heading"]]
        for doc_id, positions in provincial.groupby("doc_id", sort=False).indices.items():
            block = values[positions]
            best_row = block.argmax(axis=0)
            best = block[best_row, np.arange(block.shape[1])]
            chosen = provincial.iloc[positions[best_row]]
            frames.append(pd.DataFrame({
                "national_doc_id": tasks.get_level_values(0),
                "national_section_id": tasks.get_level_values(1),
                "national_label": task_info["label"].to_numpy(),
                "national_heading": task_info["heading"].to_numpy(),
                "doc_id": doc_id, "method": method, "best_score": best,
                "section_id": chosen["section_id"].to_numpy(),
                "heading": chosen["heading"].to_numpy(),
                "echoed": best >= ECHO_THRESHOLD[method],
            }))  # fmt: skip
    table = pd.concat(frames, ignore_index=True)
    # one block per method, tasks in order, provinces in document order within each task
    table["_m"] = table["method"].map({m: i for i, m in enumerate(scores)})
    table["_t"] = table.groupby(["_m", "doc_id"], sort=False).cumcount()
    table = table.sort_values(["_m", "_t"], kind="stable")
    return table[COVERAGE_COLUMNS].reset_index(drop=True)


def novel_items(
    units: pd.DataFrame,
    scores: dict[Method, pd.DataFrame],
    unit_terms: list[list[str]] | None = None,
    *,
    n_terms: int = 5,
) -> pd.DataFrame:
    """Provincial items with no close national task: the provinces' own additions.

    An item is ``novel`` when its best score is below :data:`NOVELTY_THRESHOLD` under both
    methods (so the finding does not depend on segmentation). ``distinctive_terms`` lists,
    for every item, its most frequent content words that neither national document uses
    (一主六双, 黄河流域 …): additions inside items that otherwise echo a national task.

    Parameters
    ----------
    units : pandas.DataFrame
        Output of :func:`alignment_units`.
    scores : dict
        Output of :func:`score_units`.
    unit_terms : list of list of str, optional
        Content tokens of each unit (row order of ``units``); without them
        ``distinctive_terms`` is blank.
    n_terms : int
        How many distinctive terms to list.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`NOVEL_COLUMNS`, every provincial unit, lowest word score first.
    """
    word, char = scores["word"], scores["char"]
    best_col = word.to_numpy().argmax(axis=1)
    headings = units.set_index(["doc_id", "section_id"])["heading"]
    table = units.loc[word.index, ["doc_id", "section_id", "heading"]].copy()
    table["best_score_word"] = word.max(axis=1).to_numpy()
    table["best_score_char"] = char.max(axis=1).to_numpy()
    best = [word.columns[c] for c in best_col]
    table["best_national_section_id"] = [f"{d}:{s}" for d, s in best]
    table["best_national_heading"] = [headings[k] for k in best]
    table["novel"] = (table["best_score_word"] < NOVELTY_THRESHOLD["word"]) & (
        table["best_score_char"] < NOVELTY_THRESHOLD["char"]
    )
    table["distinctive_terms"] = ""
    if unit_terms is not None:
        national = word.columns.get_level_values(0).unique()
        positions = {index: i for i, index in enumerate(units.index)}
        national_vocab = {t for i in units.index[units["doc_id"].isin(national)]
                          for t in unit_terms[positions[i]]}  # fmt: skip
        table["distinctive_terms"] = [
            "、".join(_top_terms(unit_terms[positions[i]], national_vocab, n_terms))
            for i in table.index
        ]
    # scores equal to 12 decimals are ties (ordered by document), whatever the rounding noise
    order = table.assign(_score=table["best_score_word"].round(12))
    order = order.sort_values(["_score", "doc_id", "section_id"], kind="stable")
    return order[NOVEL_COLUMNS].reset_index(drop=True)


def _top_terms(terms: list[str], exclude: set[str], n: int) -> list[str]:
    counts = Counter(t for t in terms if t not in exclude)
    # ties go to longer terms: coined names (黄河流域, 一主六双) before generic two-character words
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
    return [term for term, _ in ranked[:n]]


def _row_spearman(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Spearman correlation of each row of ``a`` with the same row of ``b`` (vectorised:
    Pearson correlation of average ranks; NaN where a row is constant)."""
    ra, rb = stats.rankdata(a, axis=1), stats.rankdata(b, axis=1)
    ra -= ra.mean(axis=1, keepdims=True)
    rb -= rb.mean(axis=1, keepdims=True)
    denominator = np.sqrt((ra * ra).sum(axis=1) * (rb * rb).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, (ra * rb).sum(axis=1) / denominator, np.nan)


def method_agreement(units: pd.DataFrame, scores: dict[Method, pd.DataFrame]) -> pd.DataFrame:
    """Rank agreement of word and character scores, per provincial document.

    ``spearman_all_pairs`` correlates all unit × task scores of the document;
    ``median_unit_spearman`` is the median over units of the correlation of their task
    rankings; ``top1_agreement`` is the share of units whose best task is the same.
    """
    word, char = scores["word"], scores["char"]
    provincial = units.loc[word.index]
    rows = []
    for doc_id, group in provincial.groupby("doc_id", sort=False):
        w, c = word.loc[group.index].to_numpy(), char.loc[group.index].to_numpy()
        overall = stats.spearmanr(w.ravel(), c.ravel()).statistic
        per_unit = _row_spearman(w, c)
        top1 = float(np.mean(w.argmax(axis=1) == c.argmax(axis=1)))
        rows.append((doc_id, len(group), float(overall), float(np.nanmedian(per_unit)), top1))
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


#: Reuse: share of a provincial sentence's character 4-grams found in one national sentence.
REUSE_MIN_CONTAINMENT = 0.5
#: Reuse: characters in blocks of 4 or more that the two sentences share, formulas masked.
REUSE_MIN_SHARED_CHARS = 15
REUSE_NGRAM = 4
REUSE_COLUMNS = ["doc_id", "sentence_id", "national_doc_id", "national_sentence_id", "score",
                 "shared_chars", "text", "national_text"]  # fmt: skip
REUSE_SUMMARY_COLUMNS = ["doc_id", "n_sentences", "n_reusing", "share_reusing"]
_MASK = "□"


@cache
def boilerplate_phrases() -> tuple[str, ...]:
    """Political formulas masked before measuring reuse (``resources/boilerplate_phrases.txt``)."""
    return tuple(sorted(read_word_list("boilerplate_phrases.txt"), key=len, reverse=True))


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


def text_reuse(
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


def reuse_summary(sentences: pd.DataFrame, reuse: pd.DataFrame,
                  *, national_doc_ids: tuple[str, ...]) -> pd.DataFrame:  # fmt: skip
    """Per provincial document: how many of its sentences reuse national wording."""
    provincial = sentences[~sentences["doc_id"].isin(national_doc_ids)]
    n_sentences = provincial.groupby("doc_id", sort=False).size()
    n_reusing = reuse.groupby("doc_id").size().reindex(n_sentences.index, fill_value=0)
    table = pd.DataFrame({"doc_id": n_sentences.index, "n_sentences": n_sentences.to_numpy(),
                          "n_reusing": n_reusing.to_numpy()})  # fmt: skip
    table["share_reusing"] = table["n_reusing"] / table["n_sentences"]
    return table[REUSE_SUMMARY_COLUMNS]
