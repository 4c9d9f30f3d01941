"""Keyness statistics (checked by hand and against scipy), per document and per section."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from scipy import stats

from analysis.keyness import (
    G2_CRITICAL,
    KEYNESS_COLUMNS,
    POOLED,
    SECTION_KEYNESS_COLUMNS,
    g2_statistic,
    keyness_sections_table,
    keyness_table,
    log_ratio,
    tie_terms,
)
from analysis.tokens import tokens_table


@pytest.fixture(scope="module")
def tokens(corpus):
    return tokens_table(corpus.sentences)


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
    # chi-square with one degree of freedom: p = erfc(sqrt(G2 / 2)), 0.0158 here
    assert row.p_value == pytest.approx(math.erfc(math.sqrt(g2 / 2)))
    assert row.p_value == pytest.approx(0.0158264, abs=1e-7)
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


def test_keyness_labels_are_shared_strings_not_one_object_per_row(tokens):
    """Memory at scale: a label column holds references to a few strings (a new string per row
    cost about 100 MB for 500 documents, and again each time the table is pickled)."""
    table = keyness_table(tokens, reference="national_2018")
    for column in ("reference", "direction", "doc_id"):
        values = table[column].to_numpy(dtype=object)
        assert len({id(value) for value in values}) == table[column].nunique(), column


def test_tie_correction_counts_each_group_of_equal_rates():
    from collections import Counter

    rates = np.array([[0.0, 0.0, 0.0, 1.5, 2.0, 1.5], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
                      [7.0, 7.0, 7.0, 7.0, 7.0, 7.0]])  # fmt: skip
    expected = [sum(t**3 - t for t in Counter(row.tolist()).values()) for row in rates]
    assert tie_terms(rates).tolist() == expected == [24 + 6, 0, 210]
    assert tie_terms(rates[:, :0]).tolist() == [0.0, 0.0, 0.0]


def test_keyness_of_many_documents_equals_one_comparison_at_a_time():
    # more documents than one block of the vectorised comparison, with uneven vocabularies
    rng = np.random.default_rng(7)
    words = np.array(["科普", "学会", "人才", "创新", "智库", "服务", "开放", "乡村", "院士"])
    docs = [f"d{i:03d}" for i in range(70)]
    lengths = rng.integers(0, 60, size=len(docs))
    lengths[[0, 5]] = (80, 0)  # the reference is long; one document has no tokens at all
    tokens = pd.DataFrame({
        "doc_id": np.repeat(docs, lengths), "sentence_id": 1,
        "token": words[rng.integers(0, len(words), size=lengths.sum()) % rng.integers(
            3, len(words) + 1, size=lengths.sum())],
        "token_type": "word", "is_stopword": False, "is_boilerplate": False,
    })  # fmt: skip
    table = keyness_table(tokens, reference="d000")
    sizes = tokens.groupby("doc_id").size()
    counts = tokens.groupby(["doc_id", "token"]).size()
    for doc_id, reference in [("d001", "d000"), ("d001", POOLED), ("d069", POOLED),
                              ("d000", POOLED)]:  # fmt: skip
        target = counts.loc[doc_id]
        if reference == POOLED:
            ref = counts.drop(index=doc_id, level="doc_id").groupby("token").sum()
            n2 = sizes.drop(doc_id).sum()
        else:
            ref, n2 = counts.loc[reference], sizes[reference]
        both = pd.concat([target, ref], axis=1).fillna(0).astype(int)
        g2 = g2_statistic(both[0], both[1], sizes[doc_id], n2)
        listed = both[((both.sum(axis=1) >= 3) & (both[0] > 0))
                      | ((g2 >= G2_CRITICAL) & (both.sum(axis=1) >= 5))]  # fmt: skip
        rows = table[(table.doc_id == doc_id) & (table.reference == reference)]
        assert sorted(rows.term) == sorted(listed.index)
        assert rows.g2.is_monotonic_decreasing
        got = rows.set_index("term").loc[listed.index]
        assert (got.count_target == listed[0]).all() and (got.count_reference == listed[1]).all()
        assert np.allclose(got.g2, g2[both.index.get_indexer(listed.index)], rtol=0, atol=1e-12)
    assert not table.doc_id.eq("d005").any()  # no tokens, nothing to list
    assert table.query("doc_id == 'd000'").reference.eq(POOLED).all()
    with pytest.raises(KeyError, match="d999"):
        keyness_table(tokens, reference="d999")


def _sections_corpus():
    """Four documents of 40-token sections (one short section); 科技 has a different rate in
    every section (no ties), the other words repeat (ties)."""
    rng = np.random.default_rng(3)
    sections = {"n": 12, "p": 5, "q": 10, "r": 6}
    tokens, sentences, rank = [], [], 0
    for doc_id, n_sections in sections.items():
        for section in range(1, n_sections + 1):
            rank += 1
            length = 12 if (doc_id, section) == ("r", 6) else 40
            fill = list(rng.choice(["创新", "学会", "科普", "服务"], size=max(length - rank, 0)))
            words = (["科技"] * rank + fill)[:length]
            sentences.append((doc_id, section, section))
            tokens += [(doc_id, section, word) for word in words]
    tokens = pd.DataFrame(tokens, columns=["doc_id", "sentence_id", "token"])
    tokens["token_type"] = "word"
    sentences = pd.DataFrame(sentences, columns=["doc_id", "sentence_id", "section_id"])
    return tokens, sentences


def test_section_keyness_is_scipys_mann_whitney_on_section_rates():
    tokens, sentences = _sections_corpus()
    wanted = pd.DataFrame([
        ("p", "n", "科技"), ("p", "n", "创新"), ("p", POOLED, "科技"),  # exact test (no ties)
        ("q", POOLED, "科技"), ("q", POOLED, "创新"), ("r", POOLED, "学会"),
        ("n", POOLED, "服务"),
    ], columns=["doc_id", "reference", "term"]).assign(significant=True)  # fmt: skip
    table = keyness_sections_table(tokens, sentences, wanted)
    assert table.columns.tolist() == SECTION_KEYNESS_COLUMNS
    assert len(table) == len(wanted)
    rates = (tokens.groupby(["doc_id", "sentence_id", "token"]).size().unstack(fill_value=0)
             .pipe(lambda c: c.div(c.sum(axis=1), axis=0) * 10_000))  # fmt: skip
    rates = rates[tokens.groupby(["doc_id", "sentence_id"]).size() >= 20]
    for row in table.itertuples():
        x = rates.loc[row.doc_id, row.term].to_numpy()
        y = (rates.drop(index=row.doc_id, level="doc_id") if row.reference == POOLED
             else rates.loc[row.reference])[row.term].to_numpy()  # fmt: skip
        expected = stats.mannwhitneyu(x, y, alternative="two-sided")
        assert (row.n_sections_target, row.n_sections_reference) == (len(x), len(y))
        assert row.u_statistic == expected.statistic
        assert row.p_value == pytest.approx(expected.pvalue, rel=1e-12)
        assert row.mean_per_10k_reference == pytest.approx(y.mean(), rel=1e-12)
        assert row.share_sections_target == pytest.approx((x > 0).mean(), rel=1e-12)
    assert table.query("doc_id == 'r'").n_sections_target.item() == 5  # the short one is left out


def test_section_keyness_of_a_document_without_long_sections_is_empty_not_an_error():
    tokens, sentences = _sections_corpus()
    short = tokens[~((tokens.doc_id == "p") & (tokens.groupby(["doc_id", "sentence_id"])
                                                .cumcount() >= 10))]  # fmt: skip
    wanted = pd.DataFrame({"doc_id": ["p", "p"], "reference": [POOLED, "n"],
                           "term": ["科技", "科技"], "significant": True})  # fmt: skip
    table = keyness_sections_table(short, sentences, wanted)
    assert table.n_sections_target.tolist() == [0, 0]
    assert table.p_value.isna().all() and table.mean_per_10k_target.isna().all()
