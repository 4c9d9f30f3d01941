"""The token cache: reused when nothing changed, per document, and never mixed up."""

from __future__ import annotations

import pandas as pd

from analysis import cache
from analysis.corpus import load_corpus

TWO_DOCS = ["jilin_reform_2022", "henan_2022_society"]


def _sentences(corpus, doc_ids=TWO_DOCS) -> pd.DataFrame:
    return corpus.sentences[corpus.sentences["doc_id"].isin(doc_ids)]


def test_cached_tokens_are_reused_and_only_changed_documents_segmented(corpus, tmp_path):
    sentences = _sentences(corpus)
    first, segmented = cache.cached_tokens(sentences, tmp_path)
    assert segmented == 2 and len(list(tmp_path.glob("tokens-*.pkl"))) == 2
    again, segmented = cache.cached_tokens(sentences, tmp_path)
    assert segmented == 0
    pd.testing.assert_frame_equal(first, again)
    changed = sentences.copy()
    row = changed.index[changed["doc_id"] == "jilin_reform_2022"][0]
    changed.loc[row, "text"] = "全面推进科协系统深化改革。"
    tokens, segmented = cache.cached_tokens(changed, tmp_path)
    assert segmented == 1
    first_sentence = tokens[(tokens["doc_id"] == "jilin_reform_2022")
                            & (tokens["sentence_id"] == changed.loc[row, "sentence_id"])]  # fmt: skip
    assert "".join(first_sentence["token"]) == "全面推进科协系统深化改革。"


def test_documents_with_the_same_sentences_keep_their_own_doc_ids(corpus, tmp_path):
    """One text registered twice: a shared cache entry would give both the same doc_id."""
    original = _sentences(corpus, ["henan_2022_society"])
    twice = pd.concat([original, original.assign(doc_id="henan_2022_society_copy")],
                      ignore_index=True)  # fmt: skip
    cache.cached_tokens(twice, tmp_path)
    tokens, segmented = cache.cached_tokens(twice, tmp_path)
    assert segmented == 0
    counts = tokens["doc_id"].value_counts()
    assert counts["henan_2022_society"] == counts["henan_2022_society_copy"] > 1000


def test_documents_added_while_parsing_are_segmented_in_workers(corpus, monkeypatch):
    """The build hands each document to TokenJobs as it is parsed; once the waiting
    documents reach the threshold they go to worker processes, with the same tokens."""
    one, _ = cache.cached_tokens(corpus.sentences, None, jobs=1)
    monkeypatch.setattr(cache, "PARALLEL_MIN_CHARS", 20_000)
    segmenting = cache.TokenJobs(None, jobs=2)
    seen = []

    def add(doc_id, sentences):
        seen.append((doc_id, segmenting._pool is not None))
        segmenting.add(doc_id, sentences)

    try:
        reloaded = load_corpus(on_document=add)
        two, segmented = segmenting.result()
    finally:
        segmenting.close()
    assert [doc_id for doc_id, _ in seen] == list(corpus.documents["doc_id"])
    assert seen[0][1] is False and seen[-1][1] is True  # the pool started part way
    assert segmented == len(seen)
    pd.testing.assert_frame_equal(one, two)
    pd.testing.assert_frame_equal(reloaded.sentences, corpus.sentences)


def test_each_document_handed_over_is_its_rows_of_the_sentences_table(corpus):
    handed = {}
    load_corpus(on_document=lambda doc_id, sentences: handed.setdefault(doc_id, sentences))
    assert list(handed) == list(corpus.documents["doc_id"])
    for doc_id, sentences in handed.items():
        expected = corpus.sentences[corpus.sentences["doc_id"] == doc_id]
        pd.testing.assert_frame_equal(sentences, expected.reset_index(drop=True))
