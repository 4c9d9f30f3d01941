"""Character convention, noise removal and PDF repair."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from analysis.normalize import (
    cut_inline_noise,
    drop_noise_lines,
    normalize_characters,
    repair_pdf_lines,
    split_before_markers,
    split_paragraphs,
)


def test_character_convention():
    assert normalize_characters("（一）２０２５年，达到１５％；\r\n「科创中国」\u3000") == (
        "(一)2025年,达到15%;\n“科创中国”"
    )
    assert normalize_characters("科\u200b协\ufeff―—") == "科协——"


@given(st.text())
def test_normalisation_is_idempotent_and_total(text):
    once = normalize_characters(text)
    assert normalize_characters(once) == once


def test_inline_page_marker_is_cut_and_logged():
    lines, removed = cut_inline_noise(["切实增强 —2— “四个意识”", "(2021—2025年)不是页码"])
    assert lines == ["切实增强", "“四个意识”", "(2021—2025年)不是页码"]
    assert removed == [("—2—", "page marker")]


def test_noise_lines_are_blanked_with_reasons():
    lines, removed = drop_noise_lines(
        ["您当前所在位置: 首页", "正文。", "- 3 -", "第3页 共10页", "供稿人:办公室", "Baidu", "|"]
    )
    assert lines == ["", "正文。", "", "", "", "", ""]
    assert [r for _, r in removed] == ["breadcrumb", "page marker", "page marker",
                                       "contributor line", "map widget", "stray punctuation"]  # fmt: skip


def test_pdf_repair_joins_broken_sentences_only():
    lines = ["坚持全省科协系统一盘棋,实现相统", "一。", "", "10.高质量服务“双区”建设。",
             "广东省科学技术协会2021年6月15日", "广东省科学技术协会事业发展规划", "与科技工作者 联系"]  # fmt: skip
    assert repair_pdf_lines(lines) == [
        "坚持全省科协系统一盘棋,实现相统一。", "", "10.高质量服务“双区”建设。",
        "广东省科学技术协会2021年6月15日", "广东省科学技术协会事业发展规划与科技工作者联系",
    ]  # fmt: skip


def test_paragraphs_split_after_sentence_ends_and_before_markers():
    line = "特制定本规划纲要。 一、开启新征程 习近平总书记指出,科技是第一生产力。 (一)指导思想"
    paragraphs = [q for p in split_paragraphs(line) for q in split_before_markers(p)]
    assert paragraphs == ["特制定本规划纲要。", "一、开启新征程 习近平总书记指出,科技是第一生产力。",
                          "(一)指导思想"]  # fmt: skip
