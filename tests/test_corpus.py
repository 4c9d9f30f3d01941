"""The corpus tables: columns, inferred metadata, noise, and documents in other formats."""

from __future__ import annotations

import re

from analysis import load_corpus
from analysis.corpus import DOCUMENT_COLUMNS, REMOVED_COLUMNS, SECTION_COLUMNS, SENTENCE_COLUMNS

NOISE = re.compile(r"—\d+—|供稿人|审核人|来源:|Baidu|^map$|标签|什么时候|您当前所在位置|印发$|^\|$")


def test_tables_have_documented_columns(corpus):
    assert corpus.documents.columns.tolist() == DOCUMENT_COLUMNS
    assert corpus.sections.columns.tolist() == SECTION_COLUMNS
    assert corpus.sentences.columns.tolist() == SENTENCE_COLUMNS
    assert corpus.removed.columns.tolist() == REMOVED_COLUMNS
    assert corpus.documents.doc_id.tolist() == [
        "national_2018", "national_2018_action", "henan_14fyp", "jilin_reform_2022",
        "guangdong_14fyp", "henan_2022_society",
    ]  # fmt: skip


def test_metadata_inferred_from_the_text_where_blank(corpus):
    docs = corpus.documents.set_index("doc_id")
    jilin = docs.loc["jilin_reform_2022"]
    assert jilin.doc_number == "吉科协发调字〔2022〕7号"
    assert jilin.issued_date == "2022-07-25"
    assert jilin.issuer == "吉林省科学技术协会"
    assert jilin.title == "“十四五”时期推进吉林省科协系统深化改革重点任务工作方案"
    assert jilin.inferred_fields == "title;issuer;doc_number;issued_date"
    national = docs.loc["national_2018"]
    assert (national.title, national.issuer, national.doc_number) == (
        "面向建设世界科技强国的中国科协规划纲要",
        "中国科协",
        "科协发计字〔2018〕59号",
    )
    assert national.issued_date == ""  # the text does not state it: left blank, not guessed
    guangdong = docs.loc["guangdong_14fyp"]
    assert guangdong.issued_date == "2021-06-15"
    assert guangdong.doc_number == "粤科协〔2021〕21号"  # from the registry, not inferred
    assert "doc_number" not in guangdong.inferred_fields
    assert docs.loc["henan_2022_society", "issuer"] == "河南省科协办公室"
    assert docs.loc["national_2018_action", "title"] == "中国科协事业发展三年行动计划(2018-2020年)"
    assert docs.loc["henan_14fyp", "inferred_fields"] == ""


def test_no_noise_reaches_sentences_and_removed_says_why(corpus):
    assert not corpus.sentences.text.str.contains(NOISE).any()
    reasons = corpus.removed.groupby("doc_id").reason.apply(set)
    assert {"page marker", "tag line", "print colophon", "stray one-line artefact"} <= reasons[
        "guangdong_14fyp"
    ]
    assert {"map widget", "publication header", "publication timestamp"} <= reasons[
        "jilin_reform_2022"
    ]
    assert {"breadcrumb", "contributor line"} <= reasons["henan_2022_society"]
    markers = corpus.removed.query("reason == 'page marker'").text
    # —1— … —23— on their own or inside lines; —24— sits in the colophon line removed whole
    assert sorted(int(m.strip("—")) for m in markers) == list(range(1, 24))
    assert "table of contents" in " ".join(reasons["national_2018_action"])


def test_pdf_line_breaks_and_page_markers_inside_sentences_are_repaired(corpus):
    text = " ".join(corpus.sentences.query("doc_id == 'guangdong_14fyp'").text)
    assert "实现科协事业发展的高质量、可持续和更均衡相统一。" in text
    assert "切实增强“四个意识”" in text
    assert "与科技工作者联系更加密切" in text
    assert "面向人民生命健康" in text


def test_front_matter_is_a_section_but_not_sentences(corpus):
    fm = corpus.sections.query("kind == 'front_matter'")
    assert set(fm.doc_id) == {"national_2018", "jilin_reform_2022", "guangdong_14fyp",
                              "henan_2022_society"}  # fmt: skip
    assert "各省级学会、协会、研究会" in fm.set_index("doc_id").loc["jilin_reform_2022", "text"]
    assert not corpus.sentences.text.str.contains("现将《“十四五”时期推进吉林省").any()


def test_sentences_know_their_section_and_offsets_point_into_the_text(corpus):
    s = corpus.sentences
    known = set(zip(corpus.sections.doc_id, corpus.sections.section_id, strict=True))
    assert all(pair in known for pair in zip(s.doc_id, s.section_id, strict=True))
    for row in s.sample(200, random_state=1).itertuples():
        assert corpus.texts[row.doc_id][row.char_start :].startswith(row.text)
    first = s.query("doc_id == 'national_2018' and section_id == 'P3.S1.I1'")
    assert first.iloc[0].text == "全面宣传贯彻党的路线方针" and first.iloc[0].is_heading


def test_documents_in_other_formats_need_no_code_change(fixture_raw):
    corpus = load_corpus(fixture_raw)
    docs = corpus.documents.set_index("doc_id")
    assert docs.loc["city_14fyp", "encoding"] == "gb18030"
    assert docs.loc["county_2023", "encoding"] == "utf-8-sig"
    city = corpus.sections.query("doc_id == 'city_14fyp'")
    assert city.kind.tolist() == ["title", "chapter", "section", "section", "subpart", "subpart",
                                  "subitem", "subitem", "chapter", "section", "subpart"]  # fmt: skip
    assert city.section_id.tolist()[-1] == "CH2.SE1.S1"
    assert (
        city.set_index("section_id").loc["CH1.SE2.S2.SI1", "path"] == "第一章 > 第二节 > (二) > (1)"
    )
    assert city.set_index("section_id").loc["CH1.SE1", "heading"] == "指导思想"
    sentences = " ".join(corpus.sentences.query("doc_id == 'city_14fyp'").text)
    assert "到2025年,全市公民具备科学素质的比例达到15%。" in sentences  # full-width folded
    assert "\r" not in sentences
    county = docs.loc["county_2023"]
    assert (county.title, county.issuer, county.doc_number, county.issued_date) == (
        "某县科协2023年工作要点",
        "某县科协",
        "某科协发〔2023〕3号",
        "2023-03-01",
    )
    items = corpus.sections.query("doc_id == 'county_2023' and kind == 'item'")
    assert items.heading.tolist() == ["开展学习活动", "弘扬科学家精神", "推动学会改革"]
    reasons = set(corpus.removed.query("doc_id == 'county_2023'").reason)
    assert {"breadcrumb", "publication header", "page marker", "share or print widget"} <= reasons
    assert not corpus.sentences.text.str.contains("分享|打印本页|- 3 -").any()
