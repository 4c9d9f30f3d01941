"""Alignment: which national unit each provincial unit restates, what each province echoes and adds.

**Units.** Every leaf unit of every document is aligned: a numbered section (chapter, section,
part, subpart, item) with no numbered section below it. A unit split into sub-units (subitems
``(1)``, or paragraphs opened by a lead sentence, :func:`analysis.structure.split_lead_paragraphs`)
is aligned through its sub-units, the finest level, and rolled up (``level = rollup``: for each
method, the best score of any of its sub-units). Each unit has a role (``resources/
alignment.toml``): ``framing`` (guiding ideology, principles, goals, background), ``safeguard``
(保障措施, 组织实施) or ``task``. The national units compared with are the task and safeguard units
of the national documents (registry ``level`` national): the framework's 24 tasks and 7
safeguard measures, the action plan's 27 actions and 4 safeguard measures.

**Methods.** Three representations, each fitted once on all units of all documents:

* ``word``: TF-IDF cosine of the content words, with concept variants joined
  (:mod:`analysis.concepts`: 全民科学素质 / 公民科学素质 → 科学素质);
* ``char``: TF-IDF cosine of character 2-3-grams (no segmentation; the heading counted twice);
* ``bm25``: BM25 (``bm25s``, Lucene variant) of the provincial unit's concepts against the
  national units;
* ``combined``: reciprocal-rank fusion of the three rankings (score = Σ 1/(k + rank), scaled so
  that 1 means first under all three methods). It is the default: on the hand-labelled
  development units it ranks an acceptable national unit first as often as the best single
  method (BM25) over units and rollups together, and it does not rest on one representation
  (``alignment_validation.csv``).

TF-IDF as in :mod:`analysis.similarity` (smoothed idf, sublinear tf, L2 norm). Sparse matrices
live only inside this module; results are long tables.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from itertools import chain
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse, stats

from .concepts import concept_tokens_table
from .resources import AlignmentSettings, default_settings, self_reference_rules
from .tfidf import char_ngram_counts_and_keys, char_ngram_strings, tfidf_matrix, word_counts
from .tokens import content_tokens, quoted_names

Method = Literal["combined", "word", "char", "bm25"]
#: The representations fused into ``combined``.
COMPONENT_METHODS: tuple[Method, ...] = ("word", "char", "bm25")
#: Every method in the alignment tables, the default first.
METHODS: tuple[Method, ...] = ("combined", *COMPONENT_METHODS)
DEFAULT_METHOD: Method = "combined"
#: Numbered kinds that make a unit when nothing numbered lies below them.
UNIT_KINDS = ("chapter", "section", "part", "subpart", "item")
#: Kinds that split a unit into sub-units (aligned themselves, rolled up to the unit).
SUBUNIT_KINDS = ("subitem", "paragraph")
#: Roles whose units are tasks of the plan (framing units neither echo nor add).
TASK_ROLES = ("task", "safeguard")
TOP_K = 3
#: How many terms ``shared_terms`` lists.
SHARED_TERMS = 4

UNIT_COLUMNS = ["doc_id", "section_id", "level", "rollup_id", "kind", "label", "heading",
                "unit_role", "text"]  # fmt: skip
ALIGNMENT_COLUMNS = ["doc_id", "section_id", "level", "rollup_id", "heading", "unit_role",
                     "national_doc_id", "national_section_id", "national_heading",
                     "national_unit_type", "method", "score", "rank", "shared_terms"]  # fmt: skip
COVERAGE_COLUMNS = ["national_doc_id", "national_section_id", "national_label",
                    "national_heading", "national_unit_type", "doc_id", "method", "n_units",
                    "best_rank", "best_score", "section_id", "heading", "echoed"]  # fmt: skip
NOVEL_COLUMNS = ["doc_id", "section_id", "rollup_id", "heading", "unit_role",
                 "best_national_doc_id", "best_national_section_id", "best_national_heading",
                 "best_national_unit_type", "best_score_word", "best_score_char",
                 "best_score_bm25", "novel", "brand_names", "distinctive_terms"]  # fmt: skip
AGREEMENT_COLUMNS = ["doc_id", "n_units", "spearman_all_pairs", "median_unit_spearman",
                     "top1_word_char", "top1_all_methods"]  # fmt: skip
ECHO_SUMMARY_COLUMNS = ["doc_id", "n_units", "n_national", "n_echoed", "share_echoed",
                        "n_echoed_tasks", "n_echoed_safeguards", "n_novel",
                        "n_brand_units"]  # fmt: skip


def alignment_units(
    sections: pd.DataFrame, *, settings: AlignmentSettings | None = None
) -> pd.DataFrame:
    """Every leaf unit of every document, its sub-units, and the role of each.

    Parameters
    ----------
    sections : pandas.DataFrame
        The ``sections`` table.
    settings : AlignmentSettings, optional
        Role keywords (default: ``resources/alignment.toml``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`UNIT_COLUMNS`, in document order. ``level`` is ``unit`` for the units
        aligned (leaf units and sub-units) and ``rollup`` for a leaf unit whose sub-units are
        aligned instead; ``rollup_id`` is the unit a sub-unit rolls up to (blank otherwise).
        ``text`` is the heading and the body of the unit and everything below it.
    """
    settings = settings or default_settings()
    columns = ("doc_id", "section_id", "parent_id", "kind", "label", "heading", "text")
    table = {c: sections[c].fillna("").astype(str).tolist() for c in columns}
    records = [dict(zip(columns, values, strict=True)) for values in zip(*table.values(),
                                                                         strict=True)]  # fmt: skip
    by_doc: dict[str, list[dict]] = {}
    for record in records:
        by_doc.setdefault(record["doc_id"], []).append(record)
    rows = []
    for doc in by_doc.values():
        by_id = {r["section_id"]: r for r in doc}
        children: dict[str, list[dict]] = {}
        for r in doc:
            children.setdefault(r["parent_id"], []).append(r)
        leaves = [r for r in doc if r["kind"] in UNIT_KINDS and not any(
            c["kind"] in UNIT_KINDS for c in children.get(r["section_id"], []))]  # fmt: skip
        for leaf, role in zip(leaves, _roles(leaves, by_id, settings), strict=True):
            sid = leaf["section_id"]
            subunits = [c for c in children.get(sid, []) if c["kind"] in SUBUNIT_KINDS]
            if subunits:
                rows.append(_unit_row(leaf, "rollup", "", role, children))
                rows += [_unit_row(sub, "unit", sid, role, children) for sub in subunits]
            else:
                rows.append(_unit_row(leaf, "unit", "", role, children))
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)


def _unit_row(section: dict, level: str, rollup_id: str, role: str,
              children: dict[str, list[dict]]) -> tuple:  # fmt: skip
    """One row of the units table: the section's heading and text and those of everything below."""
    parts, stack = [], [section]
    while stack:  # depth first, children in document order
        current = stack.pop()
        parts.append(current)
        stack.extend(reversed(children.get(current["section_id"], [])))
    text = "\n".join((f"{r['heading']}。" if r["heading"] else "") + r["text"] for r in parts)
    return (section["doc_id"], section["section_id"], level, rollup_id, section["kind"],
            section["label"], section["heading"], role, text)  # fmt: skip


def _roles(leaves: list[dict], by_id: dict[str, dict], settings: AlignmentSettings) -> list[str]:
    """framing / safeguard / task for each leaf unit of one document (in document order)."""
    roles = []
    for leaf in leaves:
        chain = _ancestors(leaf, by_id)
        headings = [leaf["heading"]] + [a["heading"] for a in chain]
        above = [a["heading"] for a in chain] or [leaf["heading"]]
        if any(word in h for h in headings for word in settings.framing):
            roles.append("framing")
        elif any(word in h for h in above for word in settings.safeguard):
            roles.append("safeguard")
        else:
            roles.append("task")
    # the units before the first framing unit open the document (background, 形势)
    first = next((i for i, role in enumerate(roles) if role == "framing"), 0)
    return ["framing"] * first + roles[first:]


def _ancestors(section: dict, by_id: dict[str, dict]) -> list[dict]:
    chain, parent = [], section["parent_id"]
    while parent and parent in by_id:
        chain.append(by_id[parent])
        parent = by_id[parent]["parent_id"]
    return chain


def unit_terms(
    units: pd.DataFrame,
    tokens: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    use_concepts: bool = True,
    concepts: pd.DataFrame | None = None,
) -> list[list[str]]:
    """The content terms of each unit (its sentences and those of the sections below it).

    Parameters
    ----------
    units : pandas.DataFrame
        Output of :func:`alignment_units`.
    tokens, sentences : pandas.DataFrame
        The ``tokens`` and ``sentences`` tables.
    use_concepts : bool
        Join concept variants first (:func:`analysis.concepts.concept_tokens_table`); False gives
        the plain content tokens.
    concepts : pandas.DataFrame, optional
        Another concept dictionary (:func:`analysis.resources.load_concepts`).

    Returns
    -------
    list of list of str
        One list per row of ``units``; a rollup's list is empty (its sub-units hold its terms).
    """
    terms = concept_tokens_table(tokens, concepts) if use_concepts else tokens
    content = content_tokens(terms)
    section_of = sentences.set_index(["doc_id", "sentence_id"])["section_id"]
    sections = section_of.reindex(pd.MultiIndex.from_arrays(
        [content["doc_id"], content["sentence_id"]])).to_numpy(dtype=object)  # fmt: skip
    doc_ids = content["doc_id"].to_numpy(dtype=object)
    aligned = units[units["level"] == "unit"]
    unit_rows = {doc_id: dict(zip(group["section_id"], units.index.get_indexer(group.index),
                                  strict=True))
                 for doc_id, group in aligned.groupby("doc_id", sort=False)}  # fmt: skip
    position_of = {}  # (doc_id, section_id) of every section holding tokens → unit row
    for doc_id, section_id in set(zip(doc_ids.tolist(), sections.tolist(), strict=True)):
        unit = _owning_unit(str(section_id), unit_rows.get(doc_id, {}))
        if unit is not None:
            position_of[(doc_id, section_id)] = unit
    keys = pd.Series(list(zip(doc_ids.tolist(), sections.tolist(), strict=True)), dtype=object)
    positions = keys.map(position_of).fillna(-1).to_numpy(dtype=np.int64)
    words = content["token"].to_numpy(dtype=object)
    order = np.argsort(positions, kind="stable")  # tokens stay in text order within a unit
    bounds = np.searchsorted(positions[order], np.arange(len(units) + 1))
    flat = words[order]
    return [flat[a:b].tolist() for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _owning_unit(section_id: str, unit_ids: dict[str, int]) -> int | None:
    """The unit that holds a section: itself or its nearest ancestor among ``unit_ids``."""
    parts = section_id.split(".")
    for depth in range(len(parts), 0, -1):
        unit = unit_ids.get(".".join(parts[:depth]))
        if unit is not None:
            return unit
    return None


@dataclass
class UnitScores:
    """Scores of every provincial unit (rows) against every national unit (columns), per method.

    Attributes
    ----------
    provincial : pandas.Index
        Rows: the aligned provincial units (labels of the units table), then the rollups.
    national : pandas.Index
        Columns: the national task and safeguard units.
    scores : dict
        Method → array of shape ``(len(provincial), len(national))``. A rollup row holds the
        best score of its sub-units; for ``combined``, the fusion of those rolled-up rankings.
    rollup_members : list of list of int
        For each rollup row (in order), the rows of its sub-units.
    explain : dict
        Component method → ``(provincial weights, national weights, names)``: the products of
        a row of each explain a score; ``names(columns)`` gives the terms of those columns.
    """

    provincial: pd.Index
    national: pd.Index
    scores: dict[str, np.ndarray]
    rollup_members: list[list[int]]
    explain: dict[str, tuple]


def score_units(
    units: pd.DataFrame,
    terms: list[list[str]],
    *,
    national_doc_ids: tuple[str, ...],
    settings: AlignmentSettings | None = None,
) -> UnitScores:
    """Score every provincial unit against every national task and safeguard unit.

    Parameters
    ----------
    units : pandas.DataFrame
        Output of :func:`alignment_units` for national and provincial documents together (the
        idf is fitted on all of them, so every province is scored alike).
    terms : list of list of str
        Output of :func:`unit_terms` for ``units``.
    national_doc_ids : tuple of str
        The national documents; their task and safeguard units are the candidates.
    settings : AlignmentSettings, optional
        Heading weight, BM25 and fusion parameters (default: ``resources/alignment.toml``).

    Returns
    -------
    UnitScores
        Every method of :data:`METHODS`.
    """
    settings = settings or default_settings()
    aligned = (units["level"] == "unit").to_numpy()
    is_national = units["doc_id"].isin(national_doc_ids).to_numpy()
    candidate = is_national & aligned & units["unit_role"].isin(TASK_ROLES).to_numpy()
    fitted = units.index[aligned]  # the idf is fitted on every aligned unit of every document
    provincial = units.index[aligned & ~is_national]
    national = units.index[candidate]
    position = {index: i for i, index in enumerate(fitted)}
    prov_rows = np.array([position[i] for i in provincial], dtype=np.int64)
    nat_rows = np.array([position[i] for i in national], dtype=np.int64)
    row_terms = [terms[units.index.get_loc(i)] for i in fitted]
    texts = [_weighted_text(heading, text, settings.char_heading_weight) for heading, text in
             zip(units.loc[fitted, "heading"].tolist(), units.loc[fitted, "text"].tolist(),
                 strict=True)]  # fmt: skip
    scores, explain = {}, {}
    for method in COMPONENT_METHODS:
        if method == "bm25":
            prov, nat, names = _bm25_weights([row_terms[r] for r in prov_rows],
                                             [row_terms[r] for r in nat_rows], settings)  # fmt: skip
        else:
            if method == "word":
                matrix = tfidf_matrix(word_counts(row_terms))
                vocabulary = np.array(sorted({t for ts in row_terms for t in ts}), dtype=object)
                names = vocabulary.__getitem__
            else:
                counts, keys = char_ngram_counts_and_keys(texts, (2, 3), punctuation_as_space=True)
                matrix = tfidf_matrix(counts)

                def names(columns: np.ndarray, keys: np.ndarray = keys) -> np.ndarray:
                    return char_ngram_strings(keys[columns])

            prov, nat = matrix[prov_rows], matrix[nat_rows]
        scores[method] = np.clip((prov @ nat.T).toarray(), 0.0, None)
        explain[method] = (prov.tocsr(), nat.tocsr(), names)
    rollups = units[(units["level"] == "rollup") & ~units["doc_id"].isin(national_doc_ids)]
    members = _rollup_members(units.loc[provincial], rollups)
    for method in COMPONENT_METHODS:
        rolled = [scores[method][rows].max(axis=0) if rows else
                  np.zeros(len(national)) for rows in members]  # fmt: skip
        scores[method] = np.vstack([scores[method], *rolled]) if rolled else scores[method]
    scores = {"combined": _fused(scores, settings.rrf_k), **scores}
    return UnitScores(provincial.append(rollups.index), national, scores, members, explain)


def _weighted_text(heading: str, text: str, heading_weight: int) -> str:
    return "\n".join([heading] * (heading_weight - 1) + [text])


def _bm25_weights(queries: list[list[str]], documents: list[list[str]],
                  settings: AlignmentSettings):  # fmt: skip
    """Query term counts (rows: provincial units) and the BM25 weight of each term in each
    national unit (``bm25s``, Lucene variant), so a score is one sparse product. Columns are
    the terms in sorted order, so sums do not depend on how bm25s numbers its vocabulary."""
    vocabulary = np.array(sorted({t for d in documents for t in d}), dtype=object)
    if len(vocabulary) == 0:
        empty = sparse.csr_matrix((len(queries), 0))
        return empty, sparse.csr_matrix((len(documents), 0)), vocabulary.__getitem__
    import bm25s

    # bm25s sets its own logger to DEBUG on import; its messages follow the build's level
    logging.getLogger("bm25s").setLevel(logging.getLogger(__package__).getEffectiveLevel())
    retriever = bm25s.BM25(k1=settings.bm25_k1, b=settings.bm25_b, method="lucene")
    retriever.index(documents, show_progress=False)
    index = retriever.scores  # the index's term-document weights (what bm25s saves to disk)
    weights = sparse.csc_matrix((index["data"], index["indices"], index["indptr"]),
                                shape=(index["num_docs"], len(index["indptr"]) - 1))  # fmt: skip
    nat = weights[:, [retriever.vocab_dict[term] for term in vocabulary]].tocsr()
    lengths = np.fromiter(map(len, queries), dtype=np.int64, count=len(queries))
    flat = pd.Index(vocabulary).get_indexer(
        np.fromiter(chain.from_iterable(queries), dtype=object, count=int(lengths.sum()))
    )
    rows = np.repeat(np.arange(len(queries)), lengths)
    known = flat >= 0  # query terms no national unit uses add nothing
    prov = sparse.csr_matrix((np.ones(int(known.sum())), (rows[known], flat[known])),
                             shape=(len(queries), len(vocabulary)))  # fmt: skip
    prov.sum_duplicates()
    return prov, nat, vocabulary.__getitem__


def _rollup_members(provincial: pd.DataFrame, rollups: pd.DataFrame) -> list[list[int]]:
    """For each rollup unit, the rows (positions in ``provincial``) of its sub-units."""
    rows: dict[tuple[str, str], list[int]] = {}
    for row, key in enumerate(zip(provincial["doc_id"], provincial["rollup_id"], strict=True)):
        rows.setdefault(key, []).append(row)
    return [rows.get(key, []) for key in zip(rollups["doc_id"], rollups["section_id"],
                                             strict=True)]  # fmt: skip


def ranks(values: np.ndarray) -> np.ndarray:
    """Rank of each column within each row, 1 = highest score (ties: the earlier column)."""
    order = np.argsort(-values, axis=1, kind="stable")
    result = np.empty_like(order)
    np.put_along_axis(result, order, np.arange(1, values.shape[1] + 1)[None, :], axis=1)
    return result


def _fused(scores: dict[str, np.ndarray], k: float) -> np.ndarray:
    """Reciprocal-rank fusion of the component rankings, scaled so 1 = first under all."""
    total = sum(1.0 / (k + ranks(scores[m])) for m in COMPONENT_METHODS)
    return total / (len(COMPONENT_METHODS) / (k + 1.0))


def alignment_table(units: pd.DataFrame, scores: UnitScores, *, top_k: int = TOP_K) -> pd.DataFrame:
    """The ``top_k`` national units of each provincial unit (and rollup), for each method.

    Parameters
    ----------
    units : pandas.DataFrame
        Output of :func:`alignment_units`.
    scores : UnitScores
        Output of :func:`score_units`.
    top_k : int
        National units kept per unit and method.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ALIGNMENT_COLUMNS`, units in document order (a rollup before its
        sub-units), methods in the order of :data:`METHODS`, rank 1 first. ``shared_terms``
        lists the terms that add most to the score (for ``combined``, the word method's).
    """
    provincial = units.loc[scores.provincial]
    national = units.loc[scores.national]
    k = min(top_k, len(national))
    rows = np.repeat(np.arange(len(provincial)), k)
    orders = {m: np.argsort(-v, axis=1, kind="stable")[:, :k] for m, v in scores.scores.items()}
    # combined rows are explained by the word method: explain their pairs and word's at once
    word_pairs = np.unique(np.concatenate([
        np.stack([rows, orders[m].ravel()], axis=1) for m in ("combined", "word")
        if m in orders]), axis=0)  # fmt: skip
    word_terms = pd.Series(shared_terms(scores, "word", word_pairs[:, 0], word_pairs[:, 1]),
                           index=pd.MultiIndex.from_arrays(word_pairs.T))  # fmt: skip
    frames = []
    for method, values in scores.scores.items():
        order = orders[method]
        picked = national.iloc[order.ravel()]
        frame = pd.DataFrame({
            column: np.repeat(provincial[column].to_numpy(), k)
            for column in ("doc_id", "section_id", "level", "rollup_id", "heading", "unit_role")
        })  # fmt: skip
        frame["national_doc_id"] = picked["doc_id"].to_numpy()
        frame["national_section_id"] = picked["section_id"].to_numpy()
        frame["national_heading"] = picked["heading"].to_numpy()
        frame["national_unit_type"] = picked["unit_role"].to_numpy()
        frame["method"] = method
        frame["score"] = np.take_along_axis(values, order, axis=1).ravel()
        frame["rank"] = np.tile(np.arange(1, k + 1), len(provincial))
        if method in ("combined", "word"):
            frame["shared_terms"] = word_terms.reindex(
                pd.MultiIndex.from_arrays([rows, order.ravel()])).to_numpy()  # fmt: skip
        else:
            frame["shared_terms"] = shared_terms(scores, method, rows, order.ravel())
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    return _in_unit_order(table, units)[ALIGNMENT_COLUMNS].reset_index(drop=True)


def shared_terms(scores: UnitScores, method: str, rows: np.ndarray, columns: np.ndarray, *,
                 n: int = SHARED_TERMS) -> np.ndarray:  # fmt: skip
    """Why a provincial unit matches a national one: the ``n`` terms whose weights, multiplied,
    add most to the score (word and char: products of TF-IDF weights; bm25: query count ×
    BM25 weight; combined: the word method's), joined by 、.

    Parameters
    ----------
    scores : UnitScores
        Output of :func:`score_units`.
    method : str
        One of :data:`METHODS`.
    rows, columns : numpy.ndarray of int
        Pairs of a row and a column of ``scores`` (a rollup row is explained by its sub-unit
        that scores best with that national unit).

    Returns
    -------
    numpy.ndarray
        One string per pair (empty when the two share no term).
    """
    component = "word" if method == "combined" else method
    prov, nat, names = scores.explain[component]
    rows = _finest_rows(scores, component, np.asarray(rows), np.asarray(columns))
    if len(rows) == 0 or prov.shape[1] == 0:
        return np.full(len(rows), "", dtype=object)
    products = prov[rows].multiply(nat[columns]).tocsr()
    products.eliminate_zeros()
    row_of = np.repeat(np.arange(products.shape[0]), np.diff(products.indptr))
    order = np.lexsort((products.indices, -products.data, row_of))
    row_of, terms = row_of[order], products.indices[order]
    # a few more candidates than shown: n-grams across a word boundary (with a space) are dropped
    keep = np.arange(len(row_of)) - np.searchsorted(row_of, row_of) < 3 * n
    row_of, terms = row_of[keep], terms[keep]
    distinct, inverse = np.unique(terms, return_inverse=True)
    distinct_names = np.asarray(names(distinct), dtype=object)
    readable = np.array([not any(c.isspace() for c in name) for name in distinct_names], dtype=bool)
    keep = readable[inverse]
    row_of, labels = row_of[keep], distinct_names[inverse][keep]
    rank = np.arange(len(row_of)) - np.searchsorted(row_of, row_of)
    joined = np.full(len(rows), "", dtype=object)
    for position in range(n):  # the first terms of every row, then the second ones …
        at = rank == position
        glue = np.where(joined[row_of[at]] == "", "", "、").astype(object)
        joined[row_of[at]] = joined[row_of[at]] + glue + labels[at]
    return joined


def _finest_rows(scores: UnitScores, method: str, rows: np.ndarray,
                 columns: np.ndarray) -> np.ndarray:  # fmt: skip
    """Rows as rows of the aligned units: a rollup row becomes its sub-unit whose score with
    the pair's national unit is highest."""
    n_aligned = scores.explain[method][0].shape[0]
    out = rows.copy()
    values = scores.scores[method]
    for i in np.flatnonzero(rows >= n_aligned):
        members = scores.rollup_members[rows[i] - n_aligned]  # never empty: a rollup has them
        out[i] = members[int(np.argmax(values[members, columns[i]]))]
    return out


def _in_unit_order(table: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Rows by unit in document order (a rollup before its sub-units), then method, then rank."""
    keys = pd.MultiIndex.from_arrays([units["doc_id"], units["section_id"]])
    unit_order = keys.get_indexer(pd.MultiIndex.from_arrays([table["doc_id"], table["section_id"]]))
    method_order = table["method"].map({m: i for i, m in enumerate(METHODS)})
    return table.assign(_u=unit_order, _m=method_order).sort_values(
        ["_u", "_m", "rank"], kind="stable").drop(columns=["_u", "_m"])  # fmt: skip


def coverage_table(
    units: pd.DataFrame, scores: UnitScores, *, settings: AlignmentSettings | None = None
) -> pd.DataFrame:
    """For each national unit, province and method: is it echoed, by how many units, by which.

    A national unit is echoed by a province when it is among the top ``echo.top_k`` matches
    (``resources/alignment.toml``) of at least one of the province's task or safeguard units
    that is not novel (:func:`novelty_table`); rollups and framing units do not count.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COVERAGE_COLUMNS`; every national unit × province × method has a row, also
        when nothing echoes it. ``n_units``: the province's units that echo it; ``best_rank``:
        its best rank in any of those units' rankings (also when above ``top_k``);
        ``section_id``, ``heading`` and ``best_score``: the unit that ranks it best (ties: the
        higher score) and that unit's score with it.
    """
    settings = settings or default_settings()
    provincial = units.loc[scores.provincial]
    national = units.loc[scores.national]
    n_aligned = scores.explain["word"][0].shape[0]
    novel = _is_novel(provincial.iloc[:n_aligned], scores, settings)
    counted = np.flatnonzero(provincial.iloc[:n_aligned]["unit_role"].isin(TASK_ROLES).to_numpy()
                             & ~novel)  # fmt: skip
    doc_of = provincial["doc_id"].to_numpy(dtype=object)[counted]
    rows_of = {doc_id: counted[doc_of == doc_id] for doc_id in provincial["doc_id"].unique()}
    rows_of = {doc_id: rows for doc_id, rows in rows_of.items() if len(rows)}
    section_ids = provincial["section_id"].to_numpy(dtype=object)
    headings = provincial["heading"].to_numpy(dtype=object)
    columns = np.arange(len(national))
    parts: dict[str, list] = {c: [] for c in ("doc_id", "method", "n_units", "best_rank",
                                              "best_score", "chosen")}  # fmt: skip
    for method, values in scores.scores.items():
        rank = ranks(values)
        for doc_id, rows in rows_of.items():
            block, block_rank = values[rows], rank[rows]
            # the unit with the best rank; among equal ranks the higher score (a fraction < 1)
            chosen = rows[(block_rank * 2.0 - block / (np.abs(block).max() + 1.0)).argmin(axis=0)]
            parts["doc_id"].append(np.full(len(columns), doc_id, dtype=object))
            parts["method"].append(np.full(len(columns), method, dtype=object))
            parts["n_units"].append((block_rank <= settings.echo_top_k).sum(axis=0))
            parts["best_rank"].append(block_rank.min(axis=0))
            parts["best_score"].append(values[chosen, columns])
            parts["chosen"].append(chosen)
    if not parts["chosen"]:
        return pd.DataFrame(columns=COVERAGE_COLUMNS)
    repeats = len(parts["chosen"])
    chosen = np.concatenate(parts["chosen"])
    best_rank = np.concatenate(parts["best_rank"])
    table = pd.DataFrame({
        "national_doc_id": np.tile(national["doc_id"].to_numpy(dtype=object), repeats),
        "national_section_id": np.tile(national["section_id"].to_numpy(dtype=object), repeats),
        "national_label": np.tile(national["label"].to_numpy(dtype=object), repeats),
        "national_heading": np.tile(national["heading"].to_numpy(dtype=object), repeats),
        "national_unit_type": np.tile(national["unit_role"].to_numpy(dtype=object), repeats),
        "doc_id": np.concatenate(parts["doc_id"]),
        "method": np.concatenate(parts["method"]),
        "n_units": np.concatenate(parts["n_units"]).astype(np.int64),
        "best_rank": best_rank.astype(np.int64),
        "best_score": np.concatenate(parts["best_score"]),
        "section_id": section_ids[chosen],
        "heading": headings[chosen],
        "echoed": best_rank <= settings.echo_top_k,
    })  # fmt: skip
    return table[COVERAGE_COLUMNS]


def _is_novel(aligned: pd.DataFrame, scores: UnitScores, settings: AlignmentSettings):
    """Whether each aligned provincial unit is a provincial addition (see :func:`novelty_table`)."""
    word = scores.scores["word"][: len(aligned)].max(axis=1, initial=0.0)
    char = scores.scores["char"][: len(aligned)].max(axis=1, initial=0.0)
    low = (word < settings.novelty_word) & (char < settings.novelty_char)
    return aligned["unit_role"].isin(TASK_ROLES).to_numpy() & low


def novelty_table(
    units: pd.DataFrame,
    scores: UnitScores,
    terms: list[list[str]],
    corpus_texts: dict[str, str],
    regions: dict[str, str],
    *,
    settings: AlignmentSettings | None = None,
    n_terms: int = 5,
) -> pd.DataFrame:
    """Every aligned provincial unit: its closest national unit, and whether it is an addition.

    ``novel``: a task or safeguard unit whose best cosine with any national unit is below the
    ``novelty`` thresholds of ``resources/alignment.toml`` under both the word and the char
    method (so the finding does not rest on word segmentation; calibrated on the hand labels,
    precision first: :func:`analysis.validation.calibrate_novelty`). ``brand_names``: the
    provincial brands and programmes the unit names (:func:`brand_names`); a unit that is not
    novel but names one serves a national unit under a provincial name. ``distinctive_terms``:
    the unit's most frequent concepts and words that no national unit uses.

    Parameters
    ----------
    units : pandas.DataFrame
        Output of :func:`alignment_units`.
    scores : UnitScores
        Output of :func:`score_units`.
    terms : list of list of str
        Output of :func:`unit_terms` (concepts), in the row order of ``units``.
    corpus_texts : dict
        doc_id → clean text of every document (``Corpus.texts``).
    regions : dict
        doc_id → region as the registry writes it (河南).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`NOVEL_COLUMNS`, one row per aligned provincial unit in document order.
    """
    settings = settings or default_settings()
    provincial = units.loc[scores.provincial]
    n_aligned = scores.explain["word"][0].shape[0]
    aligned = provincial.iloc[:n_aligned]
    national = units.loc[scores.national]
    combined = scores.scores["combined"][:n_aligned]
    best = national.iloc[combined.argmax(axis=1)] if len(national) else national
    table = aligned[["doc_id", "section_id", "rollup_id", "heading", "unit_role"]].copy()
    table["best_national_doc_id"] = best["doc_id"].to_numpy()
    table["best_national_section_id"] = best["section_id"].to_numpy()
    table["best_national_heading"] = best["heading"].to_numpy()
    table["best_national_unit_type"] = best["unit_role"].to_numpy()
    for method in COMPONENT_METHODS:
        table[f"best_score_{method}"] = scores.scores[method][:n_aligned].max(axis=1, initial=0.0)
    table["novel"] = _is_novel(aligned, scores, settings)
    brands = brand_names(corpus_texts, regions, national_doc_ids=tuple(national["doc_id"].unique()),
                         settings=settings)  # fmt: skip
    table["brand_names"] = ["、".join(n for n in brands.get(d, []) if n in text)
                            for d, text in zip(aligned["doc_id"], aligned["text"], strict=True)]  # fmt: skip
    positions = [units.index.get_loc(i) for i in aligned.index]
    national_vocabulary = {t for i in national.index for t in terms[units.index.get_loc(i)]}
    table["distinctive_terms"] = ["、".join(_top_terms(terms[p], national_vocabulary, n_terms))
                                  for p in positions]  # fmt: skip
    return table[NOVEL_COLUMNS].reset_index(drop=True)


def brand_names(
    corpus_texts: dict[str, str],
    regions: dict[str, str],
    *,
    national_doc_ids: tuple[str, ...],
    settings: AlignmentSettings | None = None,
) -> dict[str, list[str]]:
    """The brands and programmes each provincial document names (“科创中原”, “百会链千企”).

    A brand is a name the document puts in quotation marks (2-8 characters), that no national
    document uses, and that contains the document's region or another name of it
    (``region_aliases`` of ``resources/self_reference.toml``: 中原 for 河南) or is followed within ``brands.max_gap``
    characters by a programme word (``brands.programme_words``: 活动, 平台, 计划 …). National
    programmes launched after 2018 (“科创中国”试点城市) qualify too: the national documents here
    predate them.

    Parameters
    ----------
    corpus_texts : dict
        doc_id → clean text of every document.
    regions : dict
        doc_id → region (registry).
    national_doc_ids : tuple of str
        The national documents.

    Returns
    -------
    dict
        doc_id → brand names in order of first appearance, for every provincial document.
    """
    settings = settings or default_settings()
    aliases = self_reference_rules().region_aliases
    national_text = "\n".join(corpus_texts[d] for d in national_doc_ids if d in corpus_texts)
    words = "|".join(re.escape(w) for w in settings.programme_words)
    brands = {}
    for doc_id, text in corpus_texts.items():
        if doc_id in national_doc_ids:
            continue
        region = regions.get(doc_id, "")
        places = [p for p in (region, *aliases.get(region, ())) if p]
        found = []
        for name in quoted_names(text):
            if name in national_text:
                continue
            followed = re.search(rf"“{re.escape(name)}”[^,。;、“”]{{0,{settings.programme_gap}}}?"
                                 rf"(?:{words})", text) if words else None  # fmt: skip
            if followed or any(place in name for place in places):
                found.append(name)
        brands[doc_id] = found
    return brands


def _top_terms(terms: list[str], exclude: set[str], n: int) -> list[str]:
    counts = Counter(t for t in terms if t not in exclude)
    # ties go to longer terms: coined names (黄河流域, 一主六双) before generic two-character words
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
    return [term for term, _ in ranked[:n]]


def method_agreement_table(units: pd.DataFrame, scores: UnitScores) -> pd.DataFrame:
    """How far the methods agree, per provincial document (aligned units, rollups left out).

    ``spearman_all_pairs`` correlates the word and char scores of all unit × national-unit
    pairs of the document; ``median_unit_spearman`` is the median over units of the correlation
    of their two rankings; ``top1_word_char`` is the share of units whose best national unit
    is the same under word and char; ``top1_all_methods`` the share where word, char and bm25
    all agree.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`AGREEMENT_COLUMNS`.
    """
    n_aligned = scores.explain["word"][0].shape[0]
    provincial = units.loc[scores.provincial].iloc[:n_aligned]
    best = {m: scores.scores[m][:n_aligned].argmax(axis=1) for m in COMPONENT_METHODS}
    rows = []
    for doc_id, positions in provincial.groupby("doc_id", sort=False).indices.items():
        w = scores.scores["word"][positions]
        c = scores.scores["char"][positions]
        overall = stats.spearmanr(w.ravel(), c.ravel()).statistic if w.size > 1 else np.nan
        per_unit = _row_spearman(w, c)
        same = best["word"][positions] == best["char"][positions]
        all_three = same & (best["bm25"][positions] == best["word"][positions])
        rows.append((doc_id, len(positions), float(overall), float(np.nanmedian(per_unit))
                     if np.isfinite(per_unit).any() else np.nan, float(same.mean()),
                     float(all_three.mean())))  # fmt: skip
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def _row_spearman(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Spearman correlation of each row of ``a`` with the same row of ``b`` (vectorised:
    Pearson correlation of average ranks; NaN where a row is constant)."""
    ra, rb = stats.rankdata(a, axis=1), stats.rankdata(b, axis=1)
    ra -= ra.mean(axis=1, keepdims=True)
    rb -= rb.mean(axis=1, keepdims=True)
    denominator = np.sqrt((ra * ra).sum(axis=1) * (rb * rb).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, (ra * rb).sum(axis=1) / denominator, np.nan)


def echo_summary_table(
    coverage: pd.DataFrame, novelty: pd.DataFrame, *, method: Method = DEFAULT_METHOD
) -> pd.DataFrame:
    """Per provincial document: how many national units it echoes, and what it adds.

    Parameters
    ----------
    coverage : pandas.DataFrame
        Output of :func:`coverage_table`.
    novelty : pandas.DataFrame
        Output of :func:`novelty_table`.
    method : str
        The method whose echo flags are counted.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ECHO_SUMMARY_COLUMNS`: ``n_units`` task and safeguard units,
        ``n_national`` national units, ``n_echoed`` of them echoed (``share_echoed``; by type
        ``_tasks``, ``_safeguards``), ``n_novel`` units flagged novel, ``n_brand_units`` units
        that are not novel but name a provincial brand (:func:`brand_names`).
    """
    own = coverage[coverage["method"] == method]
    echoed = own[own["echoed"]]
    tasks = novelty[novelty["unit_role"].isin(TASK_ROLES)]
    rows = []
    for doc_id in own["doc_id"].unique():
        mine = tasks[tasks["doc_id"] == doc_id]
        echo = echoed[echoed["doc_id"] == doc_id]
        n_national = int((own["doc_id"] == doc_id).sum())
        rows.append((doc_id, len(mine), n_national, len(echo), len(echo) / n_national,
                     int((echo["national_unit_type"] == "task").sum()),
                     int((echo["national_unit_type"] == "safeguard").sum()),
                     int(mine["novel"].sum()),
                     int(((mine["brand_names"] != "") & ~mine["novel"]).sum())))  # fmt: skip
    return pd.DataFrame(rows, columns=ECHO_SUMMARY_COLUMNS)
