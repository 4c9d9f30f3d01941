"""Document similarity and text reuse, pinned to the documents (alignment: test_alignment.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.build import similarity_tables
from analysis.reuse import reuse_table
from analysis.similarity import SIMILARITY_COLUMNS
from analysis.tokens import tokens_table


@pytest.fixture(scope="module")
def tables(corpus):
    return similarity_tables(corpus, tokens_table(corpus.sentences))


def test_similarity_tables(tables):
    similarity = tables["similarity"]
    assert similarity.columns.tolist() == SIMILARITY_COLUMNS
    assert len(similarity) == 6 * 6 * 2
    for column in ("doc_a", "doc_b"):  # shared strings, not a new string object per pair
        assert len({id(v) for v in similarity[column].to_numpy(dtype=object)}) == 6
    matrix = similarity.query("method == 'word'").pivot(index="doc_a", columns="doc_b",
                                                          values="score")  # fmt: skip
    assert matrix.values.diagonal() == pytest.approx(1.0)
    pd.testing.assert_frame_equal(matrix, matrix.T, check_names=False)
    assert {"alignment", "coverage", "novel_items", "method_agreement",
            "alignment_validation", "reuse", "reuse_summary"} <= set(tables)  # fmt: skip


def test_reuse_finds_verbatim_passages_not_boilerplate(corpus, tables):
    reuse = tables["reuse"]
    texts = set(reuse.text)
    assert ("开展中国科学家精神进校园、进院所、进企业活动,弘扬爱国、创新、求实、奉献、协同、育人的"
            "中国科学家精神。") in texts  # fmt: skip
    assert (reuse.score >= 0.5).all() and (reuse.shared_chars >= 15).all()
    # a sentence that shares only a political formula with the framework is not reuse
    only_formula = corpus.sentences[corpus.sentences.text.str.startswith(
        "坚持以习近平新时代中国特色社会主义思想为指导")]  # fmt: skip
    assert not only_formula.empty
    assert not set(only_formula.text) & texts
    summary = tables["reuse_summary"].set_index("doc_id")
    assert summary.loc["guangdong_14fyp", "n_reusing"] >= 10
    assert (
        summary.loc["guangdong_14fyp", "share_reusing"]
        > summary.loc["jilin_reform_2022", "share_reusing"]
    )


def test_reuse_on_a_small_example():
    sentences = pd.DataFrame({
        "doc_id": ["nat", "nat", "prov", "prov"], "section_id": "P1", "sentence_id": [1, 2, 1, 2],
        "text": ["建立完善科技工作者对党的路线方针政策响应的快速反馈机制。", "推动科普产业发展。",
                 "建立完善科技工作者对党的路线方针政策响应的快速反馈机制,及时反映意见。",
                 "坚持以习近平新时代中国特色社会主义思想为指导。"],
    })  # fmt: skip
    reuse = reuse_table(sentences, national_doc_ids=("nat",))
    assert reuse[["doc_id", "sentence_id", "national_sentence_id"]].values.tolist() == [
        ["prov", 1, 1]
    ]
