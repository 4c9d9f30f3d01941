"""Policy-tool coding: rules with evidence, overrides, and the validation against hand codes."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import CHAPTER_PLAN, write_raw

from analysis import config
from analysis.build import policy_tool_tables
from analysis.corpus import load_corpus
from analysis.errors import ResourceError
from analysis.policy_tools import POLICY_TOOL_COLUMNS, code_sentence, policy_tools_table
from analysis.resources import (
    POLICY_OVERRIDE_COLUMNS,
    load_policy_tool_overrides,
    load_policy_tool_rules,
)

GOLD = config.gold_dir() / config.POLICY_TOOLS_GOLD_NAME
needs_gold = pytest.mark.skipif(not GOLD.is_file(), reason=f"no hand labels at {GOLD}")


@pytest.mark.parametrize(("text", "tool_type", "sub_tool"), [
    # sentences of the documents, one per tool type
    ("健全目标管理责任制,将规划实施纳入省科协各部门、各级科协组织议事日程和考核内容。", "environment", "institutional"),
    ("加强反邪教警示教育宣传阵地建设。", "environment", "publicity"),
    ("继续以青年科技人才支持培养为重点,健全青年科技人才全链条支持服务体系。", "supply", "talent"),
    ("积极承担中国科协和省政府及有关部门委托的第三方评估任务。", "demand", "outsourcing"),
    ("“十四五”时期是全面建设社会主义现代化国家的关键阶段。", "none", "none"),
    ("科学技术从来没有像今天这样深刻影响着国家前途命运。", "none", "none"),
])  # fmt: skip
def test_rules_code_a_sentence_of_each_tool_type(text, tool_type, sub_tool):
    coded = code_sentence(text)
    assert coded[:2] == (tool_type, sub_tool)
    assert coded[2].startswith(f"{sub_tool}: ")  # the evidence names the matched terms


def test_every_plan_body_sentence_is_coded_with_its_evidence(corpus):
    table = policy_tools_table(corpus.sentences, corpus.sections)
    assert table.columns.tolist() == POLICY_TOOL_COLUMNS
    body = corpus.sentences[~corpus.sentences.is_heading]
    assert len(table) >= len(body) and set(table.source) == {"rule"}  # the bundled file is empty
    assert table.evidence.str.len().gt(0).all()
    scheme = load_policy_tool_rules().set_index("sub_tool").tool_type
    assert (table.sub_tool.map(scheme) == table.tool_type).all()
    # Jilin's sub-task leads (聚焦政治靶心。…) are sentences of the text, and are coded
    assert "压实意识形态工作责任制" in set(table.text)
    assert not table.text.isin(["总体要求", "重点任务"]).any()  # headings are not


def test_overrides_replace_single_codes_and_are_listed(corpus):
    sentences = corpus.sentences
    row = sentences[(sentences.doc_id == "henan_14fyp")
                    & sentences.text.str.startswith("加强反邪教警示教育宣传阵地建设")].iloc[0]  # fmt: skip
    overrides = pd.DataFrame([
        ["henan_14fyp", "", row.text, "supply", "infrastructure", "a 阵地 is a facility"],
        ["national_2018", "1", "", "", "goal_planning", ""],
    ], columns=POLICY_OVERRIDE_COLUMNS)  # fmt: skip
    table = policy_tools_table(corpus.sentences, corpus.sections, overrides=overrides)
    changed = table[table.source == "override"].set_index(["doc_id", "sentence_id"])
    assert len(changed) == 2
    first = changed.loc[("henan_14fyp", row.sentence_id)]
    assert (first.tool_type, first.sub_tool, first.evidence) == (
        "supply",
        "infrastructure",
        "override: a 阵地 is a facility",
    )
    assert changed.loc[("national_2018", 1), "tool_type"] == "environment"  # from the scheme


def test_an_override_that_matches_nothing_is_logged_and_a_bad_one_refused(corpus, caplog):
    overrides = pd.DataFrame([["henan_14fyp", "", "不存在的句子。", "", "talent", ""]],
                             columns=POLICY_OVERRIDE_COLUMNS)  # fmt: skip
    with caplog.at_level("WARNING"):
        table = policy_tools_table(corpus.sentences, corpus.sections, overrides=overrides)
    assert set(table.source) == {"rule"}
    assert "line 2: no sentence of henan_14fyp matches '不存在的句子。'" in caplog.text
    overrides.loc[0, "sub_tool"] = "subsidy"
    with pytest.raises(ResourceError, match=r"line 2: sub_tool 'subsidy' is not one of"):
        policy_tools_table(corpus.sentences, corpus.sections, overrides=overrides)


def test_a_document_added_with_a_registry_row_is_coded(tmp_path):
    raw = write_raw(tmp_path / "raw", {"city.txt": CHAPTER_PLAN.encode("gb18030")},
                    ["city_14fyp,city.txt,municipal,某市,规划,,某市科协,,,2021,2025,,,"])  # fmt: skip
    corpus = load_corpus(raw)
    table = policy_tools_table(corpus.sentences, corpus.sections)
    assert set(table.doc_id) == {"city_14fyp"} and len(table) > 0


@needs_gold
def test_validation_meets_the_development_goals(corpus):
    validation = policy_tool_tables(corpus)["policy_tools_validation"].set_index(
        ["doc_id", "level"])  # fmt: skip
    every = validation.loc["all"]
    assert (every.n_matched == every.n_labelled).all() and every.n_labelled.iloc[0] == 108
    assert every.loc["tool_type", "accuracy"] >= 0.85
    assert every.loc["sub_tool", "accuracy"] >= 0.70
    assert every.kappa.between(0.6, 1).all()
    # the README states the scores
    readme = " ".join((config.PROJECT_ROOT / "README.md").read_text(encoding="utf-8").split())
    henan = validation.loc["henan_14fyp"]
    assert (
        f"tool type right for {every.loc['tool_type', 'accuracy']:.2f} (κ "
        f"{every.loc['tool_type', 'kappa']:.2f}), sub-tool for "
        f"{every.loc['sub_tool', 'accuracy']:.2f} (κ {every.loc['sub_tool', 'kappa']:.2f}); "
        f"Henan's plan is the hardest ({henan.loc['tool_type', 'accuracy']:.2f} / "
        f"{henan.loc['sub_tool', 'accuracy']:.2f})"
    ) in readme


def test_without_labels_the_validation_says_it_was_skipped(corpus, tmp_path):
    validation = policy_tool_tables(corpus, gold_path=tmp_path / "none.json")[
        "policy_tools_validation"]  # fmt: skip
    assert len(validation) == 1 and validation.status.iloc[0].startswith("skipped: no hand labels")


def test_bad_rule_and_override_files_are_named(tmp_path):
    rules = tmp_path / "policy_tools.toml"
    rules.write_text('[[sub_tool]]\nname = "a"\ntool_type = "supply"\nterms = ["("]\n',
                     encoding="utf-8")  # fmt: skip
    with pytest.raises(ResourceError, match=r"policy_tools\.toml: sub_tool 'a': a term is not a "
                                            "valid regular expression"):  # fmt: skip
        load_policy_tool_rules(rules)
    overrides = tmp_path / "policy_tool_overrides.csv"
    overrides.write_text("doc_id,text\nd,x\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=r"column\(s\) missing: sentence_id, tool_type"):
        load_policy_tool_overrides(overrides)


def test_summary_and_mix_test_of_the_documents(corpus):
    tables = policy_tool_tables(corpus, gold_path="none.json")
    coded, summary = tables["policy_tools"], tables["policy_tool_summary"]
    # counts add up to the coded sentences of each document, shares to 1
    assert (summary.groupby("doc_id")["count"].sum() == coded.groupby("doc_id").size()).all()
    assert summary.groupby("doc_id").share.sum().round(9).eq(1).all()
    tools = summary[summary.tool_type != "none"]
    assert tools.groupby("doc_id").share_of_tools.sum().round(9).eq(1).all()
    assert summary.loc[summary.tool_type == "none", "share_of_tools"].isna().all()
    test = tables["policy_tool_mix_test"].set_index("detail")
    assert test.loc["tool_type", "groups"] == "national, provincial"
    assert test.loc["tool_type", "n_sentences"] == (coded.tool_type != "none").sum()
    assert test.loc["tool_type", "dof"] == 2 and 0 <= test.loc["tool_type", "p_value"] <= 1
    assert test.note.eq("").all()
    # one group only: no test, and a note says why
    from analysis.policy_tools import policy_tool_mix_test_table

    provincial = coded[coded.doc_id.str.startswith(("henan", "jilin"))]
    alone = policy_tool_mix_test_table(provincial, corpus.documents)
    assert alone.chi2.isna().all() and alone.note.eq("fewer than two groups or categories").all()


def test_sub_tool_by_area_adds_up_per_document_and_group(corpus):
    tables = policy_tool_tables(corpus, gold_path="none.json")
    coded, areas = tables["policy_tools"], tables["policy_tool_areas"]
    measures = coded[coded.tool_type != "none"]
    documents = areas[areas.unit_type == "document"]
    groups = areas[areas.unit_type == "group"]
    # every sentence with a measure once, in one area: counts add up, shares to 1
    assert (documents.groupby("unit")["count"].sum() == measures.groupby("doc_id").size()).all()
    assert areas.groupby("unit").share.sum().round(9).eq(1).all()
    assert set(groups.unit) == {"national", "provincial"}
    national = measures.doc_id.isin(["national_2018", "national_2018_action"])
    assert groups.loc[groups.unit == "national", "count"].sum() == national.sum()
    assert "none" not in set(areas.tool_type)
    # the area is the sentence's main theme, shown in policy_tools.csv: a talent sentence of
    # Jilin's plan is in 人才, a sentence naming no theme term in 无主题
    talent = coded.text.str.startswith("继续以青年科技人才支持培养为重点,健全青年科技人才全链条")
    assert coded.loc[talent, ["doc_id", "area"]].values.tolist() == [
        ["jilin_reform_2022", "talent"]
    ]
    none = areas[areas.area == "none"]
    assert none.area_label.eq("无主题").all() and len(none) > 0
    cell = groups[(groups.unit == "provincial") & (groups.sub_tool == "public_service")
                  & (groups.area == "science_popularisation")]  # fmt: skip
    both = measures[~national & (measures.sub_tool == "public_service")
                    & (measures.area == "science_popularisation")]  # fmt: skip
    assert cell["count"].tolist() == [len(both)] and cell.sub_tool_label.tolist() == ["公共服务"]
