"""Co-occurrence networks: which content terms and concepts the documents name in one sentence.

Chinese policy-text studies draw such networks in nearly every paper, usually in Gephi or
VOSviewer. Here a network is built per document and per document group (the registry's
``level``: national, provincial …) from the sentences' concept-merged tokens
(:func:`analysis.concepts.concept_tokens_table`): its nodes are the ``top_n`` terms found in the
most sentences (self-references, stop words and boilerplate left out), an edge joins two of
them that share at least ``min_count`` sentences, and each edge carries its count and the
association strength of van Eck & Waltman (2009), the normalisation VOSviewer uses:
``count × n_sentences / (count_a × count_b)`` (1 = as often as chance would have it).
Graphs are built, laid out and written to GEXF with networkx.
"""

from __future__ import annotations

import io

import networkx as nx
import numpy as np
import pandas as pd

from .registry import columns
from .tokens import content_tokens

#: Terms per network (by the number of sentences naming them).
TOP_TERMS = 30
#: Fewest shared sentences for an edge.
MIN_SHARED = 2
#: Seed of the force-directed layout (figures and GEXF positions are reproducible).
LAYOUT_SEED = 17
COOCCURRENCE_COLUMNS = columns("cooccurrence")


def network_sentences(
    concept_tokens: pd.DataFrame, documents: pd.DataFrame
) -> dict[tuple[str, str], pd.DataFrame]:
    """The sentence-term pairs of each network: every document, and each group of documents
    sharing a registry ``level``.

    Returns
    -------
    dict
        ``(network, network_type)`` → distinct ``doc_id, sentence_id, token`` rows, documents in
        table order, then the groups in the registry's order of levels.
    """
    terms = content_tokens(concept_tokens)
    if "is_self_reference" in terms.columns:
        terms = terms[~terms["is_self_reference"].to_numpy(bool)]
    terms = terms[["doc_id", "sentence_id", "token"]].drop_duplicates()
    networks = {(doc_id, "document"): rows for doc_id, rows in terms.groupby("doc_id", sort=False)}
    levels = documents.set_index("doc_id")["level"]
    for level in dict.fromkeys(documents["level"]):
        members = set(levels.index[levels == level])
        networks[(level, "group")] = terms[terms["doc_id"].isin(members)]
    return networks


def cooccurrence_table(
    concept_tokens: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    top_n: int = TOP_TERMS,
    min_count: int = MIN_SHARED,
) -> pd.DataFrame:
    """Term pairs named in one sentence, per document and per document group.

    Parameters
    ----------
    concept_tokens : pandas.DataFrame
        Output of :func:`analysis.concepts.concept_tokens_table` (with ``is_self_reference``
        when self-references are to be left out).
    documents : pandas.DataFrame
        The ``documents`` table (its ``level`` makes the groups).
    top_n : int
        Terms per network, those named in the most sentences (ties by term).
    min_count : int
        Fewest sentences a pair must share.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COOCCURRENCE_COLUMNS`, one row per network and pair (``term_a`` before
        ``term_b`` in the network's term order), strongest count first.

    Examples
    --------
    >>> rows = [("d", s, p, t) for s, words in enumerate([["科普", "阵地"], ["科普", "阵地"],
    ...         ["科普", "人才"]]) for p, t in enumerate(words)]
    >>> tokens = pd.DataFrame(rows, columns=["doc_id", "sentence_id", "position", "token"])
    >>> tokens = tokens.assign(is_stopword=False, token_type="word", is_boilerplate=False)
    >>> docs = pd.DataFrame({"doc_id": ["d"], "level": ["provincial"]})
    >>> table = cooccurrence_table(tokens, docs)
    >>> table[["network", "term_a", "term_b", "count", "association"]].values.tolist()[0]
    ['d', '科普', '阵地', 2, 1.0]
    """
    frames = []
    for (network, network_type), rows in network_sentences(concept_tokens, documents).items():
        frames.append(_network_pairs(rows, top_n=top_n, min_count=min_count)
                      .assign(network=network, network_type=network_type))  # fmt: skip
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COOCCURRENCE_COLUMNS})
    return pd.concat(frames, ignore_index=True)[COOCCURRENCE_COLUMNS]


def _network_pairs(rows: pd.DataFrame, *, top_n: int, min_count: int) -> pd.DataFrame:
    """The pairs of one network's sentence-term rows (a sentences × terms incidence matrix
    multiplied by itself gives every pair's count at once)."""
    sentence_codes = pd.MultiIndex.from_frame(rows[["doc_id", "sentence_id"]]).factorize()[0]
    n_sentences = int(sentence_codes.max()) + 1 if len(rows) else 0
    frequency = rows["token"].value_counts()
    frequency = frequency.sort_index().sort_values(ascending=False, kind="stable")
    top = list(frequency.index[:top_n])
    order = {term: i for i, term in enumerate(top)}
    kept = rows["token"].map(order)
    present = kept.notna().to_numpy()
    incidence = np.zeros((n_sentences, len(top)), dtype=np.int32)
    incidence[sentence_codes[present], kept[present].to_numpy(dtype=np.intp)] = 1
    shared = incidence.T @ incidence  # terms x terms: sentences naming both
    a, b = np.triu_indices(len(top), k=1)  # term_a comes first in the network's term order
    counts = shared[a, b]
    keep = counts >= min_count
    a, b, counts = a[keep], b[keep], counts[keep].astype(np.int64)
    terms = np.asarray(top, dtype=object)
    table = pd.DataFrame({"term_a": terms[a], "term_b": terms[b], "count": counts})
    table["count_a"] = frequency.to_numpy(np.int64)[a]
    table["count_b"] = frequency.to_numpy(np.int64)[b]
    table["n_sentences"] = np.int64(n_sentences)
    table["association"] = (table["count"] * n_sentences
                            / (table["count_a"] * table["count_b"])).astype(float)  # fmt: skip
    order_of_rows = np.lexsort((b, a, -counts))  # strongest first, then the term order
    return table.iloc[order_of_rows].reset_index(drop=True)


def cooccurrence_graph(cooccurrence: pd.DataFrame, network: str) -> nx.Graph:
    """The network ``network`` of ``cooccurrence.csv`` as a networkx graph.

    Nodes are the terms of its pairs (attribute ``count``: sentences naming the term), added
    in order of count (ties by term); edges carry ``weight`` (shared sentences) and
    ``association``.

    Raises
    ------
    KeyError
        If the table has no pair of that network.
    """
    rows = cooccurrence[cooccurrence["network"] == network]
    if rows.empty:
        raise KeyError(f"no co-occurrence pairs for network {network!r}")
    return _graph(rows, network)


def _graph(rows: pd.DataFrame, network: str) -> nx.Graph:
    """The graph of one network's rows (see :func:`cooccurrence_graph`)."""
    counts = pd.concat([rows.set_index("term_a")["count_a"], rows.set_index("term_b")["count_b"]])
    counts = counts[~counts.index.duplicated()].sort_index()
    counts = counts.sort_values(ascending=False, kind="stable")
    graph = nx.Graph(name=network)
    for term, count in counts.items():
        graph.add_node(term, label=term, count=int(count))
    for term_a, term_b, count, association in zip(rows["term_a"], rows["term_b"], rows["count"],
                                                  rows["association"], strict=True):  # fmt: skip
        graph.add_edge(term_a, term_b, weight=int(count), association=round(float(association), 6))
    return graph


def network_layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Positions of the nodes (force-directed, networkx ``spring_layout``, fixed seed),
    rounded so the figure and the GEXF agree on every machine."""
    positions = nx.spring_layout(graph, seed=LAYOUT_SEED, weight="weight", k=1.6 / np.sqrt(
        max(graph.number_of_nodes(), 1)), iterations=200)  # fmt: skip
    return {node: (round(float(x), 4), round(float(y), 4)) for node, (x, y) in positions.items()}


def gexf_bytes(graph: nx.Graph, *, positions: bool = True) -> bytes:
    """The graph as GEXF 1.2 (opens in Gephi), with node sizes and, when ``positions``, the
    layout of :func:`network_layout` (the figure's).

    networkx stamps GEXF files with the day they were written; that attribute is dropped
    so the same graph gives the same bytes.
    """
    from networkx.readwrite.gexf import GEXFWriter

    annotated = graph.copy()
    largest = max((d["count"] for _, d in annotated.nodes(data=True)), default=1)
    for _, data in annotated.nodes(data=True):
        data["viz"] = {"size": round(5 + 25 * data["count"] / largest, 3)}
    if positions:
        for node, (x, y) in network_layout(graph).items():
            annotated.nodes[node]["viz"]["position"] = {"x": x * 1000, "y": y * 1000, "z": 0.0}
    writer = GEXFWriter(graph=annotated, encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    meta.attrib.pop("lastmodifieddate", None)
    meta.find("creator").text = "kexie-compare (networkx)"
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def gexf_files(cooccurrence: pd.DataFrame) -> dict[str, bytes]:
    """One GEXF file per network of ``cooccurrence.csv``: ``cooccurrence_<network>.gexf``. The
    group networks carry the figure's layout; the documents' networks are laid out in Gephi
    (the force-directed layout costs more than writing the file: 16 s for 500 documents)."""
    return {f"cooccurrence_{network}.gexf": gexf_bytes(
                _graph(rows, network), positions=bool((rows["network_type"] == "group").all()))
            for network, rows in cooccurrence.groupby("network", sort=False)}  # fmt: skip


def network_hubs_table(cooccurrence: pd.DataFrame) -> pd.DataFrame:
    """The terms of each network ranked by weighted degree (the sentences they share with the
    network's other terms): its hubs.

    Parameters
    ----------
    cooccurrence : pandas.DataFrame
        The ``cooccurrence`` table (or some of its networks).

    Returns
    -------
    pandas.DataFrame
        ``network, term, count`` (sentences naming the term), ``degree`` (terms it is paired
        with), ``strength`` (the sum of its pairs' counts) and ``rank`` (1 = largest strength,
        ties by term), networks in the table's order.

    Examples
    --------
    >>> pairs = pd.DataFrame({"network": "n", "term_a": ["科协", "科协"], "term_b": ["学会", "人才"],
    ...                       "count": [3, 2], "count_a": 6, "count_b": [4, 2]})
    >>> network_hubs_table(pairs)[["term", "degree", "strength", "rank"]].values.tolist()
    [['科协', 2, 5, 1], ['学会', 1, 3, 2], ['人才', 1, 2, 3]]
    """
    ends = pd.concat([
        cooccurrence[["network", "term_a", "count", "count_a"]].set_axis(
            ["network", "term", "shared", "count"], axis=1),
        cooccurrence[["network", "term_b", "count", "count_b"]].set_axis(
            ["network", "term", "shared", "count"], axis=1),
    ])  # fmt: skip
    hubs = (ends.groupby(["network", "term"], sort=False)
            .agg(count=("count", "first"), degree=("shared", "size"), strength=("shared", "sum"))
            .reset_index())  # fmt: skip
    order = {n: i for i, n in enumerate(cooccurrence["network"].unique())}
    hubs = hubs.assign(_n=hubs["network"].map(order))
    hubs = hubs.sort_values(["_n", "strength", "term"], ascending=[True, False, True])
    hubs["rank"] = hubs.groupby("network", sort=False).cumcount() + 1
    return hubs.drop(columns="_n").reset_index(drop=True)[
        ["network", "term", "count", "degree", "strength", "rank"]]  # fmt: skip
