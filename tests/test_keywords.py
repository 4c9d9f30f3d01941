"""Content-word frequencies per document, pinned to counts read from the documents."""

from __future__ import annotations

import pytest

from analysis.keywords import FREQUENCY_COLUMNS, keywords_table
from analysis.tokens import tokens_table


@pytest.fixture(scope="module")
def tokens(corpus):
    return tokens_table(corpus.sentences)


def test_rates_are_per_10k_word_tokens_and_raw_counts_are_kept(tokens):
    freq = keywords_table(tokens)
    assert freq.columns.tolist() == FREQUENCY_COLUMNS
    words = tokens[tokens.token_type.isin(["word", "latin"])].groupby("doc_id").size()
    row = freq.query("doc_id == 'jilin_reform_2022' and term == '学会'").iloc[0]
    assert row["count"] == 39
    assert row.per_10k == pytest.approx(39 / words["jilin_reform_2022"] * 10_000)
    assert freq.groupby("doc_id")["rank"].min().eq(1).all()


def test_numbers_and_punctuation_are_never_keywords(tokens):
    freq = keywords_table(tokens)
    assert not freq.term.str.fullmatch(r"[\d.%]+|[^\w]+").any()
    assert not freq.term.isin(["2025", "2020", "一", "两", ",", "。"]).any()


def test_policy_boilerplate_can_be_switched_off(tokens):
    with_boilerplate = keywords_table(tokens, policy_stopwords=False)
    without = keywords_table(tokens)
    assert "加强" in set(with_boilerplate.term) and "加强" not in set(without.term)
