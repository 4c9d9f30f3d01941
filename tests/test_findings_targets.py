"""Every number and claim in the findings of notebook 05 (targets), checked against the tables,
so a change to the extractor that moves one fails here until the text is updated."""

from __future__ import annotations

import pytest
from conftest import notebook_findings

from analysis.build import target_tables


@pytest.fixture(scope="module")
def findings() -> str:
    return notebook_findings("05-targets.ipynb")


@pytest.fixture(scope="module")
def tables(corpus):
    return target_tables(corpus)


def _value(targets, doc_id, indicator, year=None):
    rows = targets[(targets.doc_id == doc_id) & (targets.indicator == indicator)]
    if year is not None:
        rows = rows[rows.target_year == year]
    assert len(rows) == 1, (doc_id, indicator, year)
    return rows.iloc[0]


def test_how_many_numbers_and_where(tables, findings):
    numbers = tables["targets"].query("kind != 'slogan'")
    kinds = numbers.kind.value_counts()
    assert (f"The documents state {len(numbers)} numbers ({kinds['target']} targets, "
            f"{kinds['baseline']} baselines, one age threshold and one review frequency, the "
            "framework's 每五年评估两次)") in findings  # fmt: skip
    assert kinds["threshold"] == 1 and kinds["frequency"] == 1
    per_document = numbers.groupby("doc_id").size()
    assert per_document.idxmax() == "henan_2022_society"
    assert (
        f"Henan's 2022 work points hold the most ({per_document.max()} event and project"
        in findings
    )
    national = per_document[["national_2018", "national_2018_action"]]
    assert national.idxmax() == "national_2018_action"


def test_the_action_plans_numbers(tables, findings):
    targets = tables["targets"]
    action = "national_2018_action"
    assert _value(targets, action, "流动科技馆的保有量").value == 300
    assert _value(targets, action, "科普大篷车的保有量").value == 1500
    experts = _value(targets, action, "受聘科学传播专家")
    teams = _value(targets, action, "全国学会建有科学传播专家团队")
    assert (experts.value, experts.comparator, teams.value) == (10000, "more_than", 80)
    assert {experts.target_year, teams.target_year} == {2020}
    assert (
        "(300 流动科技馆 and 1,500 科普大篷车 by 2020, 80% of national societies with "
        "science-communication teams, over 10,000 experts)"
    ) in findings


def test_science_literacy_is_the_shared_indicator(tables, findings):
    comparison = tables["target_comparison"]
    assert set(comparison.indicator_key) == {"science_literacy_rate"}
    rows = comparison.set_index("doc_id")
    assert "jilin_reform_2022" not in rows.index
    targets = tables["targets"].query("indicator_key == 'science_literacy_rate'")
    national = targets.query("doc_id == 'national_2018'").set_index("target_year")
    assert national.loc[2020, "value"] == 10 and national.loc[2035, "value"] == 20
    assert set(national.comparator) == {"more_than"}
    henan, guangdong = rows.loc["henan_14fyp"], rows.loc["guangdong_14fyp"]
    assert (henan.baseline_value, henan.baseline_year, henan.target_value) == (10.17, 2020, 15)
    assert (guangdong.baseline_value, guangdong.baseline_year) == (12.79, 2020)
    assert (guangdong.target_value, guangdong.target_comparator) == (16, "more_than")
    assert ("nationally above 10% by 2020 and 20% by 2035; Henan from 10.17% (2020) to 15% by "
            "2025; Guangdong from 12.79% (2020) to above 16% by 2025. Jilin's reform plan states "
            "none.") in findings  # fmt: skip


def test_jilins_commitments(tables, findings):
    targets = tables["targets"]
    jilin = "jilin_reform_2022"
    assert _value(targets, jilin, "一流学会").value == 30
    assert _value(targets, jilin, "科学家精神教育基地").value == 10
    assert _value(targets, jilin, "科技助力乡村振兴专家服务试点县").value == 5
    assert _value(targets, jilin, "科技小院").value == 10
    cities = _value(targets, jilin, "试点城市")
    assert (cities.value_min, cities.value_max) == (3, 5)
    assert set(targets.query("doc_id == @jilin and kind == 'target'").target_year) == {2025}
    assert ("Jilin commits to 30 一流学会, 10 科学家精神教育基地, 5 pilot counties, 10 科技小院 "
            "and 3-5 pilot cities by the end of the 14th plan") in findings  # fmt: skip


def test_guangdongs_venue_is_per_city(tables, findings):
    venue = _value(tables["targets"], "guangdong_14fyp", "综合性科普场馆")
    assert venue.value == 1 and venue.scope.startswith("每个地级以上市")
    assert "推动地级以上市建成一个" in venue.sentence
    assert "Guangdong's one 综合性科普场馆 is per prefecture-level city" in findings
