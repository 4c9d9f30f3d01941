"""Frequencies, keyness statistics (checked by hand) and keyword in context."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analysis.keywords import (
    G2_CRITICAL,
    KEYNESS_COLUMNS,
    g2_statistic,
    keyness_table,
    kwic,
    log_ratio,
    term_frequencies,
)
from analysis.tokens import tokenize_sentences


@pytest.fixture(scope="module")
def tokens(corpus):
    return tokenize_sentences(corpus.sentences)


def test_g2_p_and_log_ratio_match_hand_computation():
    # a = 10, b = 2, n1 = n2 = 1000: E1 = E2 = 6
    expected = 2 * (10 * math.log(10 / 6) + 2 * math.log(2 / 6))
    assert g2_statistic(10, 2, 1000, 1000) == pytest.approx(expected)
    assert expected == pytest.approx(5.822063, abs=1e-6)
    assert log_ratio(10, 2, 1000, 1000) == pytest.approx(math.log2(5))
    # a zero count contributes nothing to G2 and is floored at 0.5 in the log ratio
    assert g2_statistic(5, 0, 1000, 1000) == pytest.approx(2 * 5 * math.log(2))
    assert log_ratio(5, 0, 1000, 1000) == pytest.approx(math.log2(10))
    # unequal corpus sizes: a = 20 in 2000, b = 5 in 1000, same rate -> G2 = 0
    assert g2_statistic(20, 10, 2000, 1000) == pytest.approx(0.0, abs=1e-12)


def test_keyness_p_value_is_chi_square_with_one_df():
    tokens = pd.DataFrame({
        "doc_id": ["a"] * 12 + ["b"] * 12,
        "sentence_id": 1, "position": list(range(12)) * 2,
        "token": ["学会"] * 10 + ["科普"] * 2 + ["学会"] * 2 + ["科普"] * 10,
        "token_type": "word", "is_stopword": False, "is_boilerplate": False,
    })  # fmt: skip
    table = keyness_table(tokens, reference="b", pooled=False, min_listed=1)
    row = table.set_index("term").loc["学会"]
    g2 = 2 * (10 * math.log(10 / 6) + 2 * math.log(2 / 6))
    assert row.g2 == pytest.approx(g2)
    assert row.p_value == pytest.approx(math.exp(-g2 / 2) * 0 + 0.015829, abs=1e-5)
    assert row.direction == "target" and row.log_ratio == pytest.approx(math.log2(5))


def test_keyness_of_a_province_against_the_national_framework(tokens):
    table = keyness_table(tokens, reference="national_2018")
    assert table.columns.tolist() == KEYNESS_COLUMNS
    gd = table[(table.doc_id == "guangdong_14fyp") & (table.reference == "national_2018")]
    assert gd.g2.is_monotonic_decreasing
    top = gd.iloc[0]
    assert (top.term, top.count_target, top.count_reference, top.direction) == (
        "广东",
        24,
        0,
        "target",
    )
    assert gd.set_index("term").loc["全球", "direction"] == "reference"
    sig = gd[gd.significant]
    assert (sig.g2 >= G2_CRITICAL).all()
    assert_frame_equal(table, keyness_table(tokens, reference="national_2018"))
    # Henan's 2022 work points stress 科创中原 and 学会党建, never named in the framework
    henan = table.query("doc_id == 'henan_2022_society' and reference == 'national_2018'")
    assert {"科创中原", "学会党建", "项目"} <= set(henan[henan.significant].term)


def test_rates_are_per_10k_word_tokens_and_raw_counts_are_kept(tokens):
    freq = term_frequencies(tokens)
    words = tokens[tokens.token_type.isin(["word", "latin"])].groupby("doc_id").size()
    row = freq.query("doc_id == 'jilin_reform_2022' and term == '学会'").iloc[0]
    assert row["count"] == 39
    assert row.per_10k == pytest.approx(39 / words["jilin_reform_2022"] * 10_000)
    assert freq.groupby("doc_id")["rank"].min().eq(1).all()


def test_numbers_and_punctuation_are_never_keywords(tokens):
    freq = term_frequencies(tokens)
    assert not freq.term.str.fullmatch(r"[\d.%]+|[^\w]+").any()
    assert not freq.term.isin(["2025", "2020", "一", "两", ",", "。"]).any()


def test_policy_boilerplate_can_be_switched_off(tokens):
    with_boilerplate = term_frequencies(tokens, policy_stopwords=False)
    without = term_frequencies(tokens)
    assert "加强" in set(with_boilerplate.term) and "加强" not in set(without.term)


def test_kwic_returns_context_around_each_occurrence(corpus):
    hits = kwic(corpus.sentences, "科技小院", width=6)
    assert hits.columns.tolist() == ["doc_id", "section_id", "sentence_id", "left", "keyword",
                                     "right"]  # fmt: skip
    assert hits.doc_id.tolist() == ["henan_14fyp", "jilin_reform_2022", "jilin_reform_2022",
                                    "guangdong_14fyp"]  # fmt: skip
    jilin = hits[hits.doc_id == "jilin_reform_2022"].iloc[1]
    assert jilin.right == "”10家及一"
    assert np.all(hits.left.str.len() <= 6)
