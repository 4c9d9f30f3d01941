"""Self-reference: a document naming its own region or itself is flagged and kept out of views."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import write_raw

from analysis import config
from analysis.build import concept_tables, flagged_tokens, frequency_tables, keyness_tables
from analysis.corpus import load_corpus
from analysis.errors import ResourceError
from analysis.resources import load_self_reference
from analysis.self_reference import (
    flag_self_references,
    self_references_table,
    shown_table,
)
from analysis.tokens import tokens_table
from analysis.workbook import significant_concept_keyness, significant_keyness


@pytest.fixture(scope="module")
def tables(corpus):
    tokens = flagged_tokens(tokens_table(corpus.sentences), corpus.documents)
    return {"tokens": tokens, **frequency_tables(corpus, tokens),
            **keyness_tables(corpus, tokens), **concept_tables(corpus, tokens)}  # fmt: skip


def test_self_references_come_from_the_registry_level_and_region(corpus):
    words = self_references_table(corpus.documents)
    henan = set(words.loc[words.doc_id == "henan_14fyp", "term"])
    assert {"河南", "河南省", "豫", "中原", "我省", "全省", "本省"} <= henan
    assert "广东" not in henan  # another province's name is no self-reference
    national = words[words.doc_id == "national_2018"]
    assert set(national.term) >= {"我国", "全国"} and not national.contains.any()


def test_tokens_are_flagged_by_their_own_document(tables):
    tokens = tables["tokens"]
    flagged = tokens[tokens.is_self_reference].groupby("doc_id").token.unique().map(set)
    assert {"河南省", "我省", "全省", "河南", "科创中原", "全省学会"} <= flagged["henan_14fyp"]
    # a second document of the same region (Henan's 2022 work points) has the same words
    assert {"河南省", "我省", "科创中原", "全省学会"} <= flagged["henan_2022_society"]
    assert {"广东", "广东省", "粤"} <= flagged["guangdong_14fyp"]
    assert {"吉林省", "吉林"} <= flagged["jilin_reform_2022"]
    assert {"我国", "中国"} <= flagged["national_2018"]
    # whole tokens only for the national level: names that contain 中国 stay
    national = tokens[tokens.doc_id == "national_2018"]
    assert not national.loc[national.token == "中国特色社会主义", "is_self_reference"].any()
    # counts read from the Henan plan: 河南省 20 times as a token, 我省 17, 全省 22
    henan = tokens[(tokens.doc_id == "henan_14fyp") & tokens.is_self_reference]
    assert henan.token.value_counts()[["河南省", "我省", "全省"]].tolist() == [20, 17, 22]


def test_keywords_and_keyness_carry_the_flag_of_target_and_reference(tables):
    keywords = tables["keywords"].set_index(["doc_id", "term"])
    assert keywords.loc[("henan_14fyp", "我省"), "is_self_reference"]
    assert not keywords.loc[("henan_14fyp", "科普"), "is_self_reference"]
    keyness = tables["keyness"]
    row = keyness.query("doc_id == 'henan_14fyp' and reference == 'national_2018' "
                        "and term == '我国'")  # fmt: skip
    assert row.is_self_reference.all()  # the framework's self-reference


@pytest.mark.parametrize("view", [significant_keyness, significant_concept_keyness])
def test_default_views_show_no_self_reference_among_the_top_ten(tables, corpus, view):
    words = self_references_table(corpus.documents)
    shown = view(tables)
    for doc_id in corpus.documents.query("level == 'provincial'").doc_id:
        top = shown.query("doc_id == @doc_id and reference == 'national_2018' "
                          "and direction == 'target'").nlargest(10, "g2")  # fmt: skip
        own = [w for w in words.loc[words.doc_id == doc_id, "term"] if len(w) >= 2]
        assert not [t for t in top.term if any(w in t for w in own)], doc_id
    # the switch shows them
    assert shown_table(tables["keyness"], show=True).is_self_reference.any()


CITY_PLAN = (
    "郑州市科协事业发展规划\n"
    "一、总体要求\n"
    "全市科协组织坚持服务科技工作者。郑州市科技工作者队伍不断壮大。\n"
    "二、重点任务\n"
    "(一)推动全民科学素质提升。我市实施全民科学素质行动,郑州科普活动覆盖全市。\n"
    "(二)建设科技工作者之家。本市建设郑州市科技工作者之家,全市学会参与。\n"
    "(三)加强学术交流。郑州市举办学术交流活动,我市学会举办郑州论坛。\n"
)


def test_a_city_added_with_only_a_registry_row_has_its_self_references_flagged(tmp_path):
    national = config.RAW_DIR / "national_2018_cast_framework_and_action_plan.txt"
    raw = write_raw(tmp_path / "raw", {national.name: national.read_bytes(),
                                       "zz.txt": CITY_PLAN.encode("utf-8")}, [
        f"national_2018,{national.name},national,全国,规划纲要,,,,,2018,2050,,,",
        "zhengzhou_plan,zz.txt,municipal,郑州,规划,,郑州市科协,,,2021,2025,,,",
    ])  # fmt: skip
    corpus = load_corpus(raw)
    tokens = flagged_tokens(tokens_table(corpus.sentences), corpus.documents)
    city = tokens[tokens.doc_id == "zhengzhou_plan"]
    flagged = set(city.loc[city.is_self_reference, "token"])
    assert {"郑州市", "全市", "我市", "本市", "郑州"} <= flagged
    assert not city.loc[city.token.isin(["科技工作者", "学会"]), "is_self_reference"].any()
    keyness = keyness_tables(corpus, tokens)["keyness"]
    shown = significant_keyness({"keyness": keyness.assign(significant=True)})
    top = shown.query("doc_id == 'zhengzhou_plan' and direction == 'target'").nlargest(10, "g2")
    assert not [t for t in top.term if "郑州" in t or t in {"全市", "我市", "本市"}]
    assert {"郑州市", "全市"} <= set(keyness.query("doc_id == 'zhengzhou_plan' and "
                                                 "is_self_reference").term)  # fmt: skip


def test_flagging_does_not_change_its_input():
    table = pd.DataFrame({"doc_id": ["d"], "term": ["我省"]})
    docs = pd.DataFrame({"doc_id": ["d"], "level": ["provincial"], "region": ["某省"]})
    flagged = flag_self_references(table, docs)
    assert flagged.is_self_reference.tolist() == [True]
    assert table.columns.tolist() == ["doc_id", "term"]


def test_a_broken_rules_file_is_named(tmp_path):
    path = tmp_path / "self_reference.toml"
    bundled = config.resource_path("self_reference.toml").read_text(encoding="utf-8")
    path.write_text(bundled.replace("show_in_views = false", "show_in_views = 1"), encoding="utf-8")
    with pytest.raises(ResourceError, match=r"self_reference\.toml: show_in_views must be"):
        load_self_reference(path)
    path.write_text(bundled.replace("[level.national]\nsuffixes = []\n", "[level.national]\n"),
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(ResourceError, match=r"self_reference\.toml: setting 'suffixes' is missing"):
        load_self_reference(path)
