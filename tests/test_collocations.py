"""Term discovery: collocations of adjacent tokens, scored by G2 and PMI."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.collocations import TERM_CANDIDATE_COLUMNS, term_candidates_table
from analysis.tokens import tokens_table


def _tokens(sentences: list[list[str]], *, stop=(), boilerplate=()) -> pd.DataFrame:
    rows = [("d" if s % 2 else "e", s, p, t) for s, words in enumerate(sentences)
            for p, t in enumerate(words)]  # fmt: skip
    table = pd.DataFrame(rows, columns=["doc_id", "sentence_id", "position", "token"])
    return table.assign(is_stopword=table.token.isin(stop), token_type="word",
                        is_boilerplate=table.token.isin(boilerplate))  # fmt: skip


def test_g2_and_pmi_are_dunnings_two_by_two():
    # 科普 阵地 together 6 times; 科普 4 more times alone, 阵地 2 more, among 40 tokens
    sentences = [["科普", "阵地"]] * 6 + [["科普", "活动"]] * 4 + [["建设", "阵地"]] * 2
    sentences += [["其他", "词语"]] * 8
    table = term_candidates_table(_tokens(sentences), min_count=5)
    row = table[table.term == "科普阵地"].iloc[0]
    n, a, first, last = 40, 6, 10, 8
    cells = [a, first - a, last - a, n - first - last + a]
    expected = [first * last / n, first * (n - last) / n, (n - first) * last / n,
                (n - first) * (n - last) / n]  # fmt: skip
    g2 = 2 * sum(o * math.log(o / e) for o, e in zip(cells, expected, strict=True) if o)
    assert row.g2 == pytest.approx(g2)
    assert row.pmi == pytest.approx(math.log2(a * n / (first * last)))
    assert (row.tokens, row.n_tokens, row.count_total, row.n_documents) == ("科普 | 阵地", 2, 6, 2)
    # counts per document add up to the total
    assert table[table.term == "科普阵地"]["count"].sum() == 6


def test_boundary_stop_words_and_the_frequency_floor():
    sentences = [["加强", "科普"], ["科普", "的"], ["科普", "的", "阵地"], ["推进", "工作"]] * 5
    table = term_candidates_table(_tokens(sentences, stop={"的"}, boilerplate={"加强"}))
    assert "加强科普" not in set(table.term) and "科普的" not in set(table.term)
    assert "科普的阵地" in set(table.term)  # a stop word inside is allowed
    assert "推进工作" in set(table.term)
    assert table.columns.tolist() == TERM_CANDIDATE_COLUMNS
    assert term_candidates_table(_tokens(sentences[:4])).empty  # under the floor of 5


def test_candidates_of_the_documents(corpus):
    table = term_candidates_table(tokens_table(corpus.sentences))
    best = table.drop_duplicates("term").set_index("term")
    assert best["rank"].is_monotonic_increasing and best.g2.is_monotonic_decreasing
    assert (best.count_total >= 5).all()
    # 科协事业 (the association's cause): 26 times as 科协 | 事业, 15 of them in Guangdong's plan
    # (the string occurs 15 times there)
    row = table[table.term == "科协事业"].set_index("doc_id")
    assert row.count_total.iloc[0] == 26 and row.loc["guangdong_14fyp", "count"] == 15
    # the terms added to the user dictionary from this table are one token now
    for term in ("线上线下", "常态化", "全覆盖", "中华民族伟大复兴"):
        assert term not in best.index
