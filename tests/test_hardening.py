"""Hostile inputs: each gives a correct result or a clear error naming the file, never a traceback."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import load_corpus
from analysis.corpus import SECTION_COLUMNS, SENTENCE_COLUMNS, parse_document
from analysis.errors import RegistryError
from analysis.normalize import normalize_characters
from analysis.raw import normalize_date, read_registry
from tests.conftest import write_raw

TEXT = "一、总体要求\n1.加强党的领导。到2025年建成10个基地。\n"


@pytest.mark.parametrize("value", ["2022-07-25", "2022/7/25", "2022.7.25", "2022年7月25日",
                                   "20220725", " 2022-7-25 "])  # fmt: skip
def test_registry_dates_in_several_formats_become_iso(value):
    assert normalize_date(value) == "2022-07-25"


@pytest.mark.parametrize(("value", "message"), [("25/07/2022", "not a date"),
                                                ("2022-02-30", "day is out of range")])  # fmt: skip
def test_bad_registry_dates_name_the_file_and_line(tmp_path, value, message):
    raw = write_raw(tmp_path / "raw", {"a.txt": TEXT.encode()},
                    [f"doc_a,a.txt,provincial,河南,规划,,,,{value},2021,2025,,,"])  # fmt: skip
    with pytest.raises(RegistryError, match=rf"documents.csv, line 2: issued_date .*{message}"):
        read_registry(raw)


def test_registry_period_must_be_a_year(tmp_path):
    raw = write_raw(tmp_path / "raw", {"a.txt": TEXT.encode()},
                    ["doc_a,a.txt,provincial,河南,规划,,,,,二〇二一,2025,,,"])  # fmt: skip
    with pytest.raises(RegistryError, match="period_start '二〇二一' is not a year"):
        read_registry(raw)


def test_a_200000_character_single_line_is_parsed(tmp_path):
    paragraph = "加强科普阵地建设,推动科普资源共建共享。"
    body = "一、总体要求 " + " ".join(f"{i}.第{i}项任务。{paragraph * 5}" for i in range(1, 400))
    body = (body * (200_000 // len(body) + 1))[:200_000]
    raw = write_raw(tmp_path / "raw", {"a.txt": body.encode()},
                    ["doc_a,a.txt,provincial,河南,规划,,,,,2021,2025,,,"])  # fmt: skip
    corpus = load_corpus(raw)
    items = corpus.sections[corpus.sections.kind == "item"]
    assert len(items) >= 399 and items.heading.iloc[0] == "第1项任务"
    assert corpus.sentences.text.str.len().max() < 1000


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
       | st.lists(st.sampled_from(["一、", "(一)", "1.", "——", "第一章", "。", "\n", " ", "科协",
                                   "“", "”", "《", "》", "—2—", "附件:", "关于印发《", "》的通知"]),
                  max_size=40).map("".join))  # fmt: skip
def test_structure_parser_never_raises_and_keeps_its_columns(text):
    parsed = parse_document(normalize_characters(text).split("\n"))
    from analysis.corpus import section_rows, sentence_rows

    sections = section_rows("d", parsed)
    sentences = sentence_rows("d", parsed)
    assert all(list(s) == SECTION_COLUMNS for s in sections)
    assert all(list(s) == SENTENCE_COLUMNS for s in sentences)
    for sentence in sentences:
        assert parsed.text[sentence["char_start"] :].startswith(sentence["text"])
