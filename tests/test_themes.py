"""Theme dictionary and profiles."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.themes import PROFILE_COLUMNS, load_themes, theme_hits, theme_profile
from analysis.tokens import tokenize_sentences


def test_theme_dictionary_has_about_ten_themes_each_term_once():
    themes = load_themes()
    assert 10 <= themes.theme.nunique() <= 14
    assert not themes.term.duplicated().any()
    assert {"乡村振兴", "数字化与网上科协", "区域战略", "党建", "四服务"} <= set(themes.label)


def test_theme_hits_count_longest_terms_once(corpus):
    themes = load_themes()
    sentences = pd.DataFrame({"doc_id": "d", "section_id": "P1", "sentence_id": [1, 2],
                              "text": ["建设科普教育基地和科普设施,推进科普。", "服务乡村振兴"]})  # fmt: skip
    hits = theme_hits(sentences, themes).set_index(["sentence_id", "theme"]).hits
    assert hits[(1, "science_literacy")] == 3  # 科普教育基地, 科普设施, 科普
    assert hits[(2, "rural_revitalisation")] == 1


def test_profiles_normalise_by_length(corpus):
    tokens = tokenize_sentences(corpus.sentences)
    profile = theme_profile(corpus.sentences, tokens, load_themes())
    assert profile.columns.tolist() == PROFILE_COLUMNS
    assert len(profile) == 6 * load_themes().theme.nunique()
    assert profile.groupby("doc_id").share.sum().round(9).eq(1).all()
    rural = profile.set_index(["doc_id", "label"]).loc[("jilin_reform_2022", "乡村振兴")]
    assert rural.hits > 10
    gd_region = profile.set_index(["doc_id", "label"]).loc[("guangdong_14fyp", "区域战略")]
    national_region = profile.set_index(["doc_id", "label"]).loc[("national_2018", "区域战略")]
    assert gd_region.per_10k > national_region.per_10k
    assert rural.per_10k == pytest.approx(rural.hits / (rural.hits / rural.per_10k))
