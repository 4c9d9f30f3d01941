"""Co-occurrence networks: pairs of terms named in one sentence, graphs and GEXF for Gephi."""

from __future__ import annotations

import io

import networkx as nx
import pandas as pd
import pytest

from analysis.build import concept_tables
from analysis.cooccurrence import (
    COOCCURRENCE_COLUMNS,
    cooccurrence_graph,
    cooccurrence_table,
    gexf_files,
    network_layout,
)
from analysis.tokens import tokens_table


@pytest.fixture(scope="module")
def cooccurrence(corpus):
    return concept_tables(corpus, tokens_table(corpus.sentences))["cooccurrence"]


def test_pairs_count_shared_sentences_and_association_strength():
    sentences = [["科普", "阵地", "建设"], ["科普", "阵地"], ["科普", "人才"], ["人才", "建设"]]
    rows = [("d", s, p, t) for s, words in enumerate(sentences) for p, t in enumerate(words)]
    tokens = pd.DataFrame(rows, columns=["doc_id", "sentence_id", "position", "token"])
    tokens = tokens.assign(is_stopword=False, token_type="word", is_boilerplate=False)
    docs = pd.DataFrame({"doc_id": ["d"], "level": ["provincial"]})
    table = cooccurrence_table(tokens, docs, min_count=1)
    assert table.columns.tolist() == COOCCURRENCE_COLUMNS
    assert set(table.network) == {"d", "provincial"}
    pair = table[(table.network == "d") & (table.term_a == "科普") & (table.term_b == "阵地")].iloc[
        0
    ]
    # 2 shared sentences of 4; 科普 in 3, 阵地 in 2: 2 × 4 / (3 × 2)
    assert (pair["count"], pair.count_a, pair.count_b, pair.n_sentences) == (2, 3, 2, 4)
    assert pair.association == pytest.approx(2 * 4 / (3 * 2))
    assert len(cooccurrence_table(tokens, docs)) == 2  # min_count 2: only 科普-阵地, per network


def test_networks_of_the_documents(corpus, cooccurrence):
    networks = cooccurrence.groupby("network", sort=False)
    assert list(networks.groups) == [*corpus.documents.doc_id, "national", "provincial"]
    assert set(cooccurrence.query("network_type == 'group'").network) == {"national", "provincial"}
    for _, rows in networks:
        assert len(set(rows.term_a) | set(rows.term_b)) <= 30 and (rows["count"] >= 2).all()
    terms = set(cooccurrence.term_a) | set(cooccurrence.term_b)
    assert not terms & {"河南省", "我省", "全省", "广东", "吉林省", "我国"}  # self-references out
    assert {"科协", "科技工作者", "学会"} <= terms  # concepts and content words
    # 科协 and 科技工作者 share sentences in every document; counted by reading the sentences
    national = cooccurrence.query("network == 'national_2018'").set_index(["term_a", "term_b"])
    pair = national.loc[("科协", "科技工作者")] if ("科协", "科技工作者") in national.index else \
        national.loc[("科技工作者", "科协")]  # fmt: skip
    from analysis.concepts import concept_tokens_table

    merged = concept_tokens_table(tokens_table(corpus.sentences))
    sentences = merged[merged.doc_id == "national_2018"].groupby("sentence_id").token.agg(set)
    assert pair["count"] == sum(1 for words in sentences if {"科协", "科技工作者"} <= words)


def test_gexf_files_read_back_as_the_table_says_and_are_deterministic(cooccurrence):
    files = gexf_files(cooccurrence)
    assert sorted(files) == sorted(f"cooccurrence_{n}.gexf" for n in cooccurrence.network.unique())
    for name, data in files.items():
        network = name.removeprefix("cooccurrence_").removesuffix(".gexf")
        graph = nx.read_gexf(io.BytesIO(data))
        rows = cooccurrence[cooccurrence.network == network]
        assert set(graph.nodes) == set(rows.term_a) | set(rows.term_b)
        edges = {frozenset((a, b)): w for a, b, w in graph.edges(data="weight")}
        assert edges == {frozenset((r.term_a, r.term_b)): r.count for r in rows.itertuples()}
        assert b"lastmodifieddate" not in data and rows.term_a.iloc[0].encode() in data  # UTF-8
    assert files == gexf_files(cooccurrence)
    graph = cooccurrence_graph(cooccurrence, "provincial")
    assert network_layout(graph) == network_layout(cooccurrence_graph(cooccurrence, "provincial"))
    with pytest.raises(KeyError, match="no co-occurrence pairs for network 'nowhere'"):
        cooccurrence_graph(cooccurrence, "nowhere")
