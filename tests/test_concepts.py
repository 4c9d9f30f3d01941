"""Concepts: spellings of one idea read as one term, found however the segmenter splits them."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.concepts import CONCEPT_TOKEN_COLUMNS, concept_spans, concept_tokens_table
from analysis.errors import ResourceError
from analysis.resources import load_concepts
from analysis.tokens import tokens_table


def test_bundled_dictionary_joins_the_literacy_spellings():
    concepts = load_concepts()
    literacy = concepts[concepts.concept == "科学素质"].variant.tolist()
    assert {"科学素质", "全民科学素质", "公民科学素质"} <= set(literacy)
    assert not concepts.variant.duplicated().any()


def test_a_variant_split_over_several_tokens_is_one_concept():
    # jieba splits 全民科学素质行动规划纲要 into three tokens; the programme is one concept
    assert concept_spans(["实施", "全民科学素质行动", "规划", "纲要", "。"]) == [
        (1, 4, "科学素质行动")
    ]
    # the longest variant wins, so 科技成果转移转化 is not also 科技成果 + 转化
    assert concept_spans(["促进", "科技成果", "转移", "转化"]) == [(1, 4, "成果转化")]
    assert concept_spans(["转移", "服务"]) == []


def test_concept_tokens_of_the_documents(corpus):
    sentences = corpus.sentences[corpus.sentences.doc_id == "henan_14fyp"]
    tokens = tokens_table(sentences)
    concepts = concept_tokens_table(tokens)
    assert concepts.columns.tolist() == CONCEPT_TOKEN_COLUMNS
    literacy = concepts[concepts.token == "科学素质"]
    # Henan writes 公民科学素质 (the provincial spelling) and 全民科学素质 (the national one)
    assert {"公民科学素质", "全民科学素质"} <= set(literacy.variant)
    spelled = tokens.token.isin(
        ["科学素质", "全民科学素质", "公民科学素质", "公民科学素质建设"]
    ).sum()
    assert len(literacy) == spelled  # one concept per spelling, none counted twice
    # nothing is lost: the variants as written spell the document's tokens, in order
    assert "".join(concepts.variant) == "".join(tokens.token)
    assert len(concepts) < len(tokens)  # tokens merged into a span are gone
    multi = concepts[concepts.variant == "全民科学素质行动规划纲要"]
    assert len(multi) >= 1 and (multi.token == "科学素质行动").all()
    assert not concepts[concepts.is_concept].is_stopword.any()


def test_tokens_merged_into_a_span_are_removed():
    tokens = pd.DataFrame({"doc_id": "d", "sentence_id": [1, 1, 1, 1, 2, 2],
                           "position": [0, 1, 2, 3, 0, 1],
                           "token": ["实施", "全民科学素质行动", "规划", "纲要", "规划", "纲要"],
                           "is_stopword": False, "token_type": "word", "is_boilerplate": False})  # fmt: skip
    out = concept_tokens_table(tokens)
    assert out.token.tolist() == ["实施", "科学素质行动", "规划", "纲要"]
    assert out.variant.tolist() == ["实施", "全民科学素质行动规划纲要", "规划", "纲要"]
    assert out.position.tolist() == [0, 1, 0, 1]
    assert tokens.token.tolist()[1] == "全民科学素质行动"  # the input is not changed


def test_a_run_never_crosses_into_the_next_sentence():
    tokens = pd.DataFrame({"doc_id": "d", "sentence_id": [1, 2], "position": [0, 0],
                           "token": ["全民科学素质行动", "规划纲要"], "is_stopword": False,
                           "token_type": "word", "is_boilerplate": False})  # fmt: skip
    concepts = load_concepts()
    concepts = pd.concat([concepts, pd.DataFrame({"concept": ["x"],
                                                  "variant": ["全民科学素质行动规划纲要"],
                                                  "note": [""]})])  # fmt: skip
    out = concept_tokens_table(tokens, concepts[~concepts.variant.duplicated(keep="last")])
    assert out.token.tolist() == ["科学素质行动", "规划纲要"]


def test_bad_dictionaries_are_named(tmp_path):
    path = tmp_path / "concepts.toml"
    path.write_text('[[concept]]\nname = "a"\nvariants = ["科普"]\n'
                    '[[concept]]\nname = "b"\nvariants = ["科普", "科学普及"]\n', encoding="utf-8")  # fmt: skip
    with pytest.raises(
        ResourceError, match=r"concepts\.toml: variant\(s\) listed under two concepts: 科普 \(a/b\)"
    ):
        load_concepts(path)
    path.write_text('[[concept]]\nname = "a"\n', encoding="utf-8")
    with pytest.raises(ResourceError, match="concept 1 needs a name and a list of variants"):
        load_concepts(path)


@pytest.fixture(scope="module")
def concept_tables_of_corpus(corpus):
    from analysis.build import concept_tables

    return concept_tables(corpus, tokens_table(corpus.sentences))


def test_science_literacy_is_one_concept_with_one_count_per_document(
    corpus, concept_tables_of_corpus
):
    from analysis.concepts import CONCEPT_FREQUENCY_COLUMNS

    concepts = concept_tables_of_corpus["concepts"]
    assert concepts.columns.tolist() == CONCEPT_FREQUENCY_COLUMNS
    assert not concepts.duplicated(["doc_id", "concept"]).any()
    counts = concepts.set_index(["concept", "doc_id"])["count"]
    literacy = counts["科学素质"].to_dict()
    assert literacy == {"national_2018": 9, "national_2018_action": 20, "henan_14fyp": 13,
                        "jilin_reform_2022": 1, "guangdong_14fyp": 12,
                        "henan_2022_society": 0}  # fmt: skip
    # read in the texts: the string 科学素质 occurs 70 times, 55 times as the concept, 9 in the
    # programme 全民科学素质行动 (its own concept), 6 in 农民科学素质 (farmers' literacy, a word of
    # the user dictionary that no concept lists)
    text = corpus.sentences.groupby("doc_id").text.agg("".join).str.count("科学素质")
    farmers = {"national_2018_action": 3, "henan_14fyp": 2, "guangdong_14fyp": 1}
    for doc_id, n in text.items():
        assert n == literacy[doc_id] + counts["科学素质行动"][doc_id] + farmers.get(doc_id, 0)
    assert text.sum() == 70
    henan = concepts.query("doc_id == 'henan_14fyp' and concept == '科学素质'").iloc[0]
    assert henan.variants == "全民科学素质 5; 科学素质 5; 公民科学素质 3"


def test_concept_keyness_removes_the_spelling_artefact_of_xiexie(concept_tables_of_corpus, corpus):
    from analysis.build import keyness_tables

    # token level: 科协 is key for Guangdong (43 tokens against 11) only because the framework
    # writes 科协组织 / 中国科协; counted as one concept (83 against 66) it is not
    tokens = keyness_tables(corpus, tokens_table(corpus.sentences))["keyness"]
    row = tokens.query("doc_id == 'guangdong_14fyp' and reference == 'national_2018' "
                       "and term == '科协'").iloc[0]  # fmt: skip
    assert (row.count_target, row.count_reference, row.significant) == (43, 11, True)
    keyness = concept_tables_of_corpus["concept_keyness"]
    row = keyness.query("doc_id == 'guangdong_14fyp' and reference == 'national_2018' "
                        "and term == '科协'").iloc[0]  # fmt: skip
    assert (row.count_target, row.count_reference, row.significant) == (83, 66, False)
    assert row.is_concept and not keyness.query("term == '科技'").is_concept.any()
