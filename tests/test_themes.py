"""Theme dictionary and profiles."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.resources import load_themes
from analysis.themes import PROFILE_COLUMNS, theme_hits, themes_table
from analysis.tokens import tokens_table


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
    tokens = tokens_table(corpus.sentences)
    profile = themes_table(corpus.sentences, tokens, load_themes())
    assert profile.columns.tolist() == PROFILE_COLUMNS
    assert len(profile) == 6 * load_themes().theme.nunique()
    assert profile.groupby("doc_id").share.sum().round(9).eq(1).all()
    rural = profile.set_index(["doc_id", "label"]).loc[("jilin_reform_2022", "乡村振兴")]
    assert rural.hits > 10
    gd_region = profile.set_index(["doc_id", "label"]).loc[("guangdong_14fyp", "区域战略")]
    national_region = profile.set_index(["doc_id", "label"]).loc[("national_2018", "区域战略")]
    assert gd_region.per_10k > national_region.per_10k
    # the rate divides by the document's word tokens (words and Latin, stop words included)
    words = tokens[
        (tokens.doc_id == "jilin_reform_2022") & tokens.token_type.isin(["word", "latin"])
    ]
    assert rural.per_10k == pytest.approx(rural.hits / len(words) * 10_000)


def test_bad_theme_files_are_named(tmp_path):
    from analysis.errors import ResourceError

    path = tmp_path / "themes.toml"
    path.write_text('[a]\nlabel = "A"\nterms = ["科普"]\n[b]\nlabel = "B"\nterms = ["科普"]\n',
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(
        ResourceError, match=r"themes\.toml: term\(s\) in more than one theme: \['科普'\]"
    ):
        load_themes(path)
    path.write_text("[a\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=r"themes\.toml: not valid TOML"):
        load_themes(path)
    path.write_text('[a]\nlabel = "A"\n', encoding="utf-8")
    with pytest.raises(ResourceError, match="every theme needs a label and a list of terms"):
        load_themes(path)
