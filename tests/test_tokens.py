"""Segmentation: domain terms and coined names stay whole; numbers and punctuation are typed."""

from __future__ import annotations

import pytest

from analysis.resources import user_words
from analysis.tokens import quoted_names, segment, token_type, tokens_table

DOMAIN_TERMS = ["科技工作者", "全民科学素质", "科学家精神", "一流学会", "科技社团", "学术交流",
                "科普教育基地", "科技志愿者", "乡村振兴", "科技小院", "院士专家工作站", "科技智库",
                "海智计划", "青年人才托举工程", "创新争先奖", "网上科协", "智慧科协"]  # fmt: skip


def test_user_dictionary_has_at_least_150_entries():
    assert len(user_words()) >= 150


def _cut_positions(tokens: list[str]) -> set[int]:
    ends, position = set(), 0
    for token in tokens:
        position += len(token)
        ends.add(position)
    return ends


@pytest.mark.parametrize("term", DOMAIN_TERMS)
def test_domain_terms_are_never_split_in_the_documents(corpus, term):
    """No token boundary falls inside an occurrence (a longer term may contain it)."""
    sentences = corpus.sentences[corpus.sentences.text.str.contains(term, regex=False)]
    assert not sentences.empty, f"{term} not in any document"
    for text in sentences.text:
        text = text.replace(" ", "")
        cuts = _cut_positions(segment(text))
        start = text.find(term)
        while start >= 0:
            assert not cuts & set(range(start + 1, start + len(term))), (term, text)
            start = text.find(term, start + 1)
    assert segment(term) == [term]


def test_quoted_names_are_protected_for_any_document():
    text = "实施“一主六双”战略,深化“党建强会”,打造“科普中原”“才荟中原”,推广“科创中原”。"
    names = quoted_names(text)
    assert names == ["一主六双", "党建强会", "科普中原", "才荟中原", "科创中原"]
    tokens = segment(text, protected=tuple(names))
    assert all(name in tokens for name in names)
    # a coined name is protected where it appears unquoted too
    assert "一主六双" in segment("围绕一主六双高质量发展战略", protected=("一主六双",))


def test_long_quotations_are_not_names():
    assert quoted_names("“要把科学普及放在与科技创新同等重要位置”的论述") == []


@pytest.mark.parametrize(
    ("token", "kind"),
    [("2025", "number"), ("15%", "number"), ("12.79%", "number"), ("一千五百", "number"),
     ("第十一", "number"), (",", "punct"), ("“", "punct"), ("。", "punct"), ("LED", "latin"),
     ("科技工作者", "word"), ("十四五", "number")],
)  # fmt: skip
def test_token_types(token, kind):
    assert token_type(token) == kind


def test_tokens_table_is_one_token_per_row(corpus):
    sample = corpus.sentences.query("doc_id == 'jilin_reform_2022'").head(20)
    tokens = tokens_table(sample)
    assert tokens.columns.tolist()[:5] == ["doc_id", "sentence_id", "position", "token",
                                           "is_stopword"]  # fmt: skip
    first = tokens[tokens.sentence_id == tokens.sentence_id.iloc[0]]
    assert first.position.tolist() == list(range(len(first)))
    assert "".join(first.token) == sample.text.iloc[0].replace(" ", "")
    assert tokens.attrs["segmenter"]["backend"] == "jieba"


def test_rjieba_backend_passes_the_same_segmentation_tests(corpus):
    pytest.importorskip("rjieba")
    texts = list(corpus.sentences.text)
    # identical tokens with HMM off, on every sentence of the five documents
    assert all(segment(t, hmm=False) == segment(t, backend="rjieba", hmm=False) for t in texts)
    # with HMM on, the domain dictionary still keeps the field's terms whole
    for term in DOMAIN_TERMS:
        assert segment(term, backend="rjieba") == [term]
    differing = sum(segment(t) != segment(t, backend="rjieba") for t in texts)
    assert differing <= 0.01 * len(texts)
    tokens = tokens_table(corpus.sentences.head(50), backend="rjieba")
    assert tokens.attrs["segmenter"]["backend"] == "rjieba"
