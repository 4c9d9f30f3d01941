"""Similarity, item alignment, coverage, novelty and text reuse, pinned to the documents."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.build import similarity_tables
from analysis.similarity import (
    ALIGNMENT_COLUMNS,
    COVERAGE_COLUMNS,
    SIMILARITY_COLUMNS,
    text_reuse,
)
from analysis.tokens import tokenize_sentences

NATIONAL = ("national_2018", "national_2018_action")


@pytest.fixture(scope="module")
def tables(corpus):
    return similarity_tables(corpus, tokenize_sentences(corpus.sentences))


def _top(tables, doc_id, section_id, method):
    a = tables["alignment"]
    row = a[(a.doc_id == doc_id) & (a.section_id == section_id) & (a.method == method)
            & (a["rank"] == 1)]  # fmt: skip
    return row.iloc[0]


@pytest.mark.parametrize(
    ("doc_id", "section_id", "national"),
    [
        # 支持科技工作者参与国家治理 restates national task 3 支持科技工作者政治参与
        ("guangdong_14fyp", "P3.I3", ("national_2018", "P3.S1.I3")),
        # 维护科技工作者合法权益 = task 4 of the same name
        ("guangdong_14fyp", "P4.I7", ("national_2018", "P3.S1.I4")),
        # 实施青少年科学素质提升行动 copies task 9 激发青少年科学梦想 almost verbatim
        ("guangdong_14fyp", "P4.I8", ("national_2018", "P3.S2.I9")),
        # 大力弘扬科学家精神 = task 8 of the same name
        ("guangdong_14fyp", "P3.I4", ("national_2018", "P3.S2.I8")),
        # 提升学术支撑科技创新平台作用 reuses task 15's list of 赋能创新协同组织
        ("guangdong_14fyp", "P6.I16", ("national_2018", "P3.S3.I15")),
        # Henan: 支持科技工作者参与国家和社会治理 -> task 3
        ("henan_14fyp", "P2.S2.I5", ("national_2018", "P3.S1.I3")),
    ],
)
@pytest.mark.parametrize("method", ["word", "char"])
def test_items_restating_a_national_task_rank_it_first(tables, doc_id, section_id, national,
                                                       method):  # fmt: skip
    top = _top(tables, doc_id, section_id, method)
    assert (top.national_doc_id, top.national_section_id) == national
    assert top.score >= {"word": 0.4, "char": 0.3}[method]


def test_unrelated_items_do_not_align(tables):
    novel = tables["novel_items"].set_index(["doc_id", "section_id"])
    # Henan's own brand: 启动“科创中原”试点城市培育 has no national counterpart
    assert novel.loc[("henan_2022_society", "P5.I15"), "novel"]
    assert novel.loc[("henan_2022_society", "P5.I15"), "best_score_word"] < 0.1
    # Guangdong's 双区 item (粤港澳大湾区 and 深圳) is a provincial addition
    assert novel.loc[("guangdong_14fyp", "P5.I10"), "novel"]
    assert "深圳" in novel.loc[("guangdong_14fyp", "P5.I10"), "distinctive_terms"]
    # items copied from national tasks are never novel
    assert not novel.loc[("guangdong_14fyp", "P3.I3"), "novel"]
    # Jilin's 一主六双 shows up as an addition inside its items
    jilin = novel.loc["jilin_reform_2022"]
    assert jilin.distinctive_terms.str.contains("一主六双").any()


def test_coverage_has_every_task_for_every_province(tables):
    coverage = tables["coverage"]
    assert coverage.columns.tolist() == COVERAGE_COLUMNS
    tasks = coverage.groupby("national_doc_id").national_section_id.nunique().to_dict()
    assert tasks == {"national_2018": 24, "national_2018_action": 27}
    assert len(coverage) == 51 * 4 * 2
    assert not coverage.duplicated(["national_doc_id", "national_section_id", "doc_id",
                                    "method"]).any()  # fmt: skip
    gd = coverage.query(
        "doc_id == 'guangdong_14fyp' and method == 'word' and "
        "national_section_id == 'P3.S1.I3' and national_doc_id == 'national_2018'"
    )
    assert gd.iloc[0].section_id == "P3.I3" and gd.iloc[0].echoed
    # some national tasks are echoed by no province: they are still listed
    echoed_anywhere = coverage.groupby(["national_doc_id", "national_section_id"]).echoed.any()
    assert (~echoed_anywhere).sum() > 0


def test_alignment_and_similarity_tables(tables):
    alignment = tables["alignment"]
    assert alignment.columns.tolist() == ALIGNMENT_COLUMNS
    per_unit = alignment.groupby(["doc_id", "section_id", "method"])["rank"].apply(list)
    assert per_unit.map(lambda r: r == [1, 2, 3]).all()
    similarity = tables["similarity"]
    assert similarity.columns.tolist() == SIMILARITY_COLUMNS
    assert len(similarity) == 6 * 6 * 2
    for column in ("doc_a", "doc_b"):  # shared strings, not a new string object per pair
        assert len({id(v) for v in similarity[column].to_numpy(dtype=object)}) == 6
    matrix = similarity.query("method == 'word'").pivot(index="doc_a", columns="doc_b",
                                                          values="score")  # fmt: skip
    assert matrix.values.diagonal() == pytest.approx(1.0)
    pd.testing.assert_frame_equal(matrix, matrix.T, check_names=False)
    agreement = tables["method_agreement"]
    assert set(agreement.doc_id) == {"guangdong_14fyp", "henan_14fyp", "jilin_reform_2022",
                                     "henan_2022_society"}  # fmt: skip
    assert (agreement.spearman_all_pairs > 0.3).all()


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
    reuse = text_reuse(sentences, national_doc_ids=("nat",))
    assert reuse[["doc_id", "sentence_id", "national_sentence_id"]].values.tolist() == [
        ["prov", 1, 1]
    ]
