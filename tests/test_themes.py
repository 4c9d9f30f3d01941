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
    assert hits[(1, "science_popularisation")] == 3  # 科普教育基地, 科普设施, 科普
    assert hits[(2, "rural_revitalisation")] == 1


#: Per theme, a sentence it must count and one it must not (most from the documents), as each
#: theme's note in themes.toml says what it measures and what it must not count.
THEME_CASES = {
    "political_guidance": ("政治引领政治吸纳能力全面提升", "推动学会党的组织和党的工作全覆盖,发挥学会党组织的政治核心作用。"),
    "innovation_culture": ("开展科学道德和学风建设宣讲教育行动", "组织开展国际科学传播交流合作,贡献中国科学传播智慧。"),
    "science_literacy": ("推动全民科学素质提升", "开展全国科普日等主题科普活动,及时回应公众关切的科学热点问题。"),
    "science_popularisation": ("开展全国科普日等主题科普活动,及时回应公众关切的科学热点问题。", "推动全民科学素质提升"),
    "talent": ("实施青年人才托举工程,选拔32岁以下的青年科技工作者进行稳定资助培养。", "提高科普人才队伍素质和科普服务能力水平。"),
    "think_tank_services": ("开展党和国家重大政策落实的第三方评估,为科学决策提供参考依据。", "打造“科创中原”服务品牌"),
    "international": ("推动国际科技组织总部中心建设", "深化京津冀、长三角区域科技合作。"),
    "four_services": ("有效扩大为科技工作者服务覆盖面。", "组织学会服务企业技术创新。"),
    "rural_revitalisation": ("开展科普服务乡村振兴计划", "培育科普示范社区和城市科普基地。"),
    "digital": ("推动建设完善网上科协。", "加强科技信息服务。"),
    "regional_strategy": ("深度融入粤港澳大湾区建设", "打造“科创中原”服务品牌"),
    "organisation_reform": ("纵深推进科协系统深化改革", "深化科技体制改革。"),
    "party_building": ("开展“智慧党建”行动", "政治引领政治吸纳能力全面提升"),
    "provincial_brands": ("打造“科创中原”服务品牌", "加强科普中国e站建设,服务中原地区发展。"),
}  # fmt: skip


def test_every_theme_has_a_sentence_it_counts_and_one_it_must_not():
    themes = load_themes()
    assert set(themes.theme) == set(THEME_CASES)  # a new theme needs its two sentences here
    assert themes.drop_duplicates("theme")["note"].str.contains("Must not count").all()
    for theme, (counted, not_counted) in THEME_CASES.items():
        sentences = pd.DataFrame({"doc_id": "d", "section_id": "P1", "sentence_id": [1, 2],
                                  "text": [counted, not_counted]})  # fmt: skip
        hits = theme_hits(sentences, themes)
        found = set(hits.loc[hits.theme == theme, "sentence_id"])
        assert found == {1}, (theme, found)


def test_brands_are_not_counted_as_regional_strategy(corpus):
    """Henan 2022's 区域战略 hits were mostly 科创中原 (16 of 22) before brands had a theme."""
    hits = theme_hits(corpus.sentences, load_themes())
    hits = hits[hits.doc_id == "henan_2022_society"].groupby("theme").hits.sum()
    assert hits["provincial_brands"] == 18  # 科创中原 16, 百会链千企 2
    assert (
        hits["regional_strategy"] == 6
    )  # 国家创新高地 3, 京津冀, 长三角, 大湾区: read in the document
    texts = corpus.sentences.set_index(["doc_id", "sentence_id"]).text
    assert texts.str.count("科创中原").loc["henan_2022_society"].sum() == 16


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
