"""Sentence splitting."""

from __future__ import annotations

from analysis.sentences import split_sentences


def test_splits_on_sentence_ends_and_line_ends():
    assert [t for t, _ in split_sentences("第一句。第二句;第三句\n第四句!")] == [
        "第一句。", "第二句;", "第三句", "第四句!"]  # fmt: skip


def test_never_splits_inside_titles_or_quotes():
    text = "实施《行动计划。试行》和“要把科学普及放在重要位置。”的论述。下一句"
    assert [t for t, _ in split_sentences(text)] == [
        "实施《行动计划。试行》和“要把科学普及放在重要位置。”的论述。", "下一句"]  # fmt: skip


def test_unclosed_quote_protects_nothing():
    assert [t for t, _ in split_sentences("他说“没有结束。第二句。")] == [
        "他说“没有结束。",
        "第二句。",
    ]


def test_offsets_point_at_sentence_starts():
    text = "甲。 乙。\n丙"
    for sentence, start in split_sentences(text):
        assert text[start:].startswith(sentence)
