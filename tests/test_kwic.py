"""Keyword in context."""

from __future__ import annotations

import numpy as np

from analysis.kwic import KWIC_COLUMNS, kwic_table


def test_kwic_returns_context_around_each_occurrence(corpus):
    hits = kwic_table(corpus.sentences, "科技小院", width=6)
    assert hits.columns.tolist() == KWIC_COLUMNS
    assert hits.doc_id.tolist() == ["henan_14fyp", "jilin_reform_2022", "jilin_reform_2022",
                                    "guangdong_14fyp"]  # fmt: skip
    jilin = hits[hits.doc_id == "jilin_reform_2022"].iloc[1]
    assert jilin.right == "”10家及一"
    assert np.all(hits.left.str.len() <= 6)
