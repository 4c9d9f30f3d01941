"""Quantitative targets: every target and baseline of the five documents, and the exclusions."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.targets import TARGET_COLUMNS, extract_targets, indicator_key, target_comparison_table

NA = None
# doc_id, indicator, value (or (min, max)), unit, comparator, target_year, year_basis, kind
GOLD = [
    ("national_2018", "公民具备科学素质的比例", 10, "%", "more_than", 2020, "sentence", "target"),
    ("national_2018", "公民具备科学素质比例", 20, "%", "more_than", 2035, "context", "target"),
    ("national_2018_action", "国际会议品牌", (5, 10), "个", "range", 2020, "document period", "target"),
    ("national_2018_action", "公民具备科学素质的比例", 10, "%", "more_than", 2020, "document period", "target"),
    ("national_2018_action", "青年科技工作者", 32, "岁", "at_most", 2020, "document period", "threshold"),
    ("national_2018_action", "学会示范性会议", 100, "个", "exact", 2020, "document period", "target"),
    ("national_2018_action", "流动科技馆的保有量", 300, "套", "reach", 2020, "sentence", "target"),
    ("national_2018_action", "科普大篷车的保有量", 1500, "辆", "reach", 2020, "sentence", "target"),
    ("national_2018_action", "农村中学科技馆", 1000, "所", "exact", 2020, "context", "target"),
    ("national_2018_action", "全国学会建有科学传播专家团队", 80, "%", "at_least", 2020, "sentence", "target"),
    ("national_2018_action", "受聘科学传播专家", 10000, "人", "more_than", 2020, "sentence", "target"),
    ("henan_14fyp", "公民具备科学素质的比例", 5.59, "%", "exact", 2015, "sentence", "baseline"),
    ("henan_14fyp", "公民具备科学素质的比例", 10.17, "%", "exact", 2020, "sentence", "baseline"),
    ("henan_14fyp", "公民具备基本科学素质的比例", 15, "%", "reach", 2025, "sentence", "target"),
    ("jilin_reform_2022", "科学家精神教育基地", 10, "个", "exact", 2025, "document period", "target"),
    ("jilin_reform_2022", "一流学会", 30, "家", "exact", 2025, "sentence", "target"),
    ("jilin_reform_2022", "科技助力乡村振兴专家服务试点县", 5, "个", "exact", 2025, "sentence", "target"),
    ("jilin_reform_2022", "科技小院", 10, "家", "exact", 2025, "sentence", "target"),
    ("jilin_reform_2022", "试点城市", (3, 5), "个", "range", 2025, "context", "target"),
    ("guangdong_14fyp", "公民具备科学素质比例", 12.79, "%", "reach", 2020, "sentence", "baseline"),
    ("guangdong_14fyp", "公民具备科学素质比例", 16, "%", "more_than", 2025, "document period", "target"),
    ("guangdong_14fyp", "综合性科普场馆", 1, "个", "exact", 2025, "document period", "target"),  # per city
    ("henan_2022_society", "科创中原论坛年度重要学术会议", 50, "场", "about", 2022, "document period", "target"),
    ("henan_2022_society", "国际性或全国性学术技术交流重大活动", 15, "项", "exact", 2022, "document period", "target"),
    ("henan_2022_society", "全国性或全省性学术技术交流重点活动项目", 20, "个", "exact", 2022, "document period", "target"),
    ("henan_2022_society", "分会场会议", 15, "个", "exact", 2022, "document period", "target"),
    ("henan_2022_society", "海智计划项目", 5, "项", "exact", 2022, "document period", "target"),
    ("henan_2022_society", "产业技术发展大会", 10, "场", "more_than", 2022, "document period", "target"),
    ("henan_2022_society", "一业一研报项目", 6, "个", "exact", 2022, "document period", "target"),
    ("henan_2022_society", "一企一协同创新项目", 22, "个", "exact", 2022, "document period", "target"),
    ("henan_2022_society", "一业一科技服务团项目", 12, "个", "exact", 2022, "document period", "target"),
    ("henan_2022_society", "一业一会项目", 2, "个", "exact", 2022, "document period", "target"),
    ("henan_2022_society", "全省学会", 100, "家", "exact", 2022, "document period", "target"),
    ("henan_2022_society", "企业", 1000, "家", "exact", 2022, "document period", "target"),
]  # fmt: skip


@pytest.fixture(scope="module")
def extracted(corpus):
    return extract_targets(corpus.sentences, corpus.documents)


def _as_gold(targets: pd.DataFrame) -> list[tuple]:
    rows = []
    for r in targets[~targets.kind.isin(["slogan", "frequency"])].itertuples():
        value = (r.value_min, r.value_max) if math.isnan(r.value) else r.value
        rows.append((r.doc_id, r.indicator, value, r.unit, r.comparator, int(r.target_year),
                     r.year_basis, r.kind))  # fmt: skip
    return rows


def test_every_target_and_baseline_of_the_documents(extracted):
    targets, _ = extracted
    assert targets.columns.tolist() == TARGET_COLUMNS
    assert sorted(_as_gold(targets), key=str) == sorted(GOLD, key=str)


def test_multiplier_numeral_script_and_keys(extracted):
    targets, _ = extracted
    experts = targets[targets.indicator == "受聘科学传播专家"].iloc[0]
    assert (experts.value, experts.multiplier_applied, experts.numeral_script) == (
        10000,
        "万",
        "mixed",
    )
    hundred = targets[targets.indicator == "学会示范性会议"].iloc[0]
    assert hundred.numeral_script == "chinese" and hundred.number_text == "百个"
    literacy = targets[targets.indicator_key == "science_literacy_rate"]
    assert len(literacy) == 8 and set(literacy.doc_id) == {
        "national_2018",
        "national_2018_action",
        "henan_14fyp",
        "guangdong_14fyp",
    }


def test_numbers_that_are_never_targets(extracted):
    targets, _ = extracted
    real = targets[targets.kind != "slogan"]
    texts = " ".join(real.number_text)
    for excluded in ["2022", "〔2022〕", "56号", "第八届", "第十一届", "十四五", "1+4", "5610",
                     "三三三一", "一主六双", "十大", "四个", "两个", "五大", "2035", "2018"]:  # fmt: skip
        assert excluded not in texts, excluded
    assert not real.indicator.str.contains("世界传感器大会|学科竞赛|百家争鸣").any()
    slogans = set(targets[targets.kind == "slogan"].indicator)
    assert {"百会链千企", "十优十佳", "五个一", "1+4", "5610", "一主六双"} <= slogans
    assert {"十大战略", "五大品牌行动", "五大能力", "十大科学传播达人"} <= slogans  # N大 + name
    assert "四个意识" not in slogans  # a political formula, masked like boilerplate
    assert "十大" not in slogans  # 省科协“十大”代表: a congress, as 党的十九大 is


def test_unreadable_quantities_are_logged_not_guessed(extracted):
    _, skipped = extracted
    assert skipped.columns.tolist() == ["doc_id", "section_id", "sentence_id", "number_text",
                                        "reason", "sentence"]  # fmt: skip
    reasons = dict(zip(skipped.number_text, skipped.reason, strict=True))
    assert list(reasons) == ["一个", "5个", "一支", "110个"]
    assert reasons["一个"].startswith("一个 (or 一支 …) read as the article")  # 初步建成一个…网络
    assert reasons["一支"] == reasons["一个"]  # 建设一支…队伍
    assert reasons["5个"].startswith("an organisational arrangement")  # 分设5个小组
    assert reasons["110个"].startswith("a stock being managed")  # 对…共110个…项目的过程管理


def test_scopes_and_frequencies(extracted):
    targets, _ = extracted
    venues = targets[targets.indicator == "综合性科普场馆"].iloc[0]  # 推动地级以上市建成一个…
    assert (venues.value, venues.scope) == (1, "每个地级以上市 (per prefecture-level city)")
    review = targets[targets.kind == "frequency"]  # 每五年评估两次
    assert review[["doc_id", "indicator", "value", "unit", "scope"]].values.tolist() == [
        ["national_2018", "评估", 2.0, "次", "每五年"]]  # fmt: skip
    assert review.target_year.isna().all()  # not 2050: a frequency has no target year
    totals = targets[~targets.kind.isin(["slogan", "frequency"])]
    assert (totals.scope == "").sum() == len(totals) - 1


@pytest.mark.parametrize(
    ("sentence", "scope", "kind"),
    [
        ("每个县(市、区)建成一个科普教育基地。", "每个县 (per county)", "target"),
        ("每年评估三次。", "每年", "frequency"),
        ("每季度召开一次联席会议。", "每季度", "frequency"),
    ],
)  # fmt: skip
def test_scope_and_frequency_in_fixture_sentences(sentence, scope, kind):
    targets, _ = extract_targets(_sentences(sentence), _documents())
    row = targets.iloc[0]
    assert (row.scope, row.kind) == (scope, kind)


def test_article_and_arrangement_are_not_targets():
    targets, skipped = extract_targets(
        _sentences("建成一个覆盖全省的科普网络。", "领导小组下设3个工作组。"), _documents()
    )
    assert targets.empty and skipped.number_text.tolist() == ["一个", "3个"]


def _sentences(*texts, doc_id="fixture"):
    return pd.DataFrame({"doc_id": doc_id, "section_id": "P1", "sentence_id": range(1, len(texts) + 1),
                         "text": list(texts)})  # fmt: skip


def _documents(start=2021, end=2025, doc_id="fixture"):
    return pd.DataFrame({"doc_id": [doc_id], "region": ["某省"], "period_start": [str(start)],
                         "period_end": [str(end)]})  # fmt: skip


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("到2025年,全市公民具备科学素质的比例达到15%。", ("公民具备科学素质的比例", 15, None, None, "%", "reach", 2025)),
        ("培训科技辅导员1.2万名。", ("科技辅导员", 12000, None, None, "名", "exact", 2025)),
        ("每年举办3至5个国际会议品牌。", ("国际会议品牌", None, 3, 5, "个", "range", 2025)),
        ("各地级以上市建成一个综合性科普场馆。", ("综合性科普场馆", 1, None, None, "个", "exact", 2025)),
        ("全年开展科普活动不少于100场。", ("科普活动", 100, None, None, "场", "at_least", 2021)),
        ("力争全省科普场馆数量达到二十所。", ("科普场馆数量", 20, None, None, "所", "strive", 2025)),
        ("公民科学素质比例达到百分之十五。", ("公民科学素质比例", 15, None, None, "%", "reach", 2025)),
    ],
)  # fmt: skip
def test_fixture_sentences_in_other_forms(sentence, expected):
    from analysis.normalize import normalize_characters

    targets, _ = extract_targets(_sentences(normalize_characters(sentence)), _documents())
    row = targets[targets.kind != "slogan"].iloc[0]
    indicator, value, low, high, unit, comparator, year = expected
    assert row.indicator == indicator
    assert (None if math.isnan(row.value) else row.value) == value
    assert (None if math.isnan(row.value_min) else row.value_min) == low
    assert (None if math.isnan(row.value_max) else row.value_max) == high
    assert (row.unit, row.comparator, row.target_year) == (unit, comparator, year)


def test_full_width_digits_are_read_after_normalisation():
    from analysis.normalize import normalize_characters

    text = normalize_characters("到２０２５年，建成科普教育基地１２个。")
    targets, _ = extract_targets(_sentences(text), _documents())
    row = targets.iloc[0]
    assert (row.indicator, row.value, row.target_year, row.year_basis) == (
        "科普教育基地",
        12,
        2025,
        "sentence",
    )


def test_indicator_table_gives_one_row_per_cell():
    sentences = _sentences(
        "专栏1 “十四五”时期主要指标",
        "指标名称 2020年 2025年 属性",
        "公民具备科学素质的比例(%) 10.56 15 预期性",
        "一流学会数量(家) 12 30 约束性",
    )
    targets, _ = extract_targets(sentences, _documents())
    table = targets[targets.source == "table"]
    assert table[["indicator", "value", "unit", "target_year", "kind", "attribute"]].values.tolist() == [
        ["公民具备科学素质的比例", 10.56, "%", 2020, "baseline", "预期性"],
        ["公民具备科学素质的比例", 15.0, "%", 2025, "target", "预期性"],
        ["一流学会数量", 12.0, "家", 2020, "baseline", "约束性"],
        ["一流学会数量", 30.0, "家", 2025, "target", "约束性"],
    ]  # fmt: skip
    assert set(table.indicator_key) == {"science_literacy_rate", "first_class_societies"}


def test_indicator_mapping_lines_up_spellings():
    keys = {indicator_key(t) for t in ["公民具备科学素质的比例", "公民具备基本科学素质的比例",
                                       "公民科学素质比例"]}  # fmt: skip
    assert keys == {"science_literacy_rate"}
    assert indicator_key("某个新指标") == ""


def test_target_comparison_puts_shared_indicators_side_by_side(corpus, extracted):
    targets, _ = extracted
    comparison = target_comparison_table(targets, corpus.documents)
    # only indicators two or more documents state, one row per document stating it
    assert comparison.groupby("indicator_key").doc_id.nunique().min() >= 2
    states = comparison[["baseline_value", "target_value", "target_min"]].notna().any(axis=1)
    assert states.all()  # no blank rows for documents that do not state the indicator
    literacy = comparison[comparison.indicator_key == "science_literacy_rate"].set_index("doc_id")
    assert literacy.index.tolist() == ["national_2018", "national_2018_action", "henan_14fyp",
                                       "guangdong_14fyp"]  # fmt: skip
    assert (literacy.loc["henan_14fyp", "baseline_value"], literacy.loc["henan_14fyp",
            "baseline_year"]) == (10.17, 2020)  # fmt: skip
    assert (literacy.loc["henan_14fyp", "target_value"], literacy.loc["henan_14fyp",
            "target_year"]) == (15.0, 2025)  # fmt: skip
    assert literacy.loc["guangdong_14fyp", "target_comparator"] == "more_than"
    assert literacy.loc["national_2018", "target_year"] == 2035
    assert "jilin_reform_2022" not in literacy.index  # states no literacy number


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789.%个家场到年超过以上左右一二十百万第届“”《》,。至-")
                                + ["科普", "基地", "2025", "比例"]), max_size=30).map("".join))  # fmt: skip
def test_extractor_never_raises_and_numbers_come_from_the_text(text):
    targets, skipped = extract_targets(_sentences(text), _documents())
    assert targets.columns.tolist() == TARGET_COLUMNS
    for number in targets.number_text:
        assert number in text
