"""The token cache: reused when nothing changed, per document, and never mixed up."""

from __future__ import annotations

import pandas as pd

from analysis import cache

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


def test_token_strings_are_shared_across_sentences_and_documents(corpus, tmp_path):
    """One string object per distinct token, whether segmented now or read from the cache:
    a token object per occurrence costs ~80 bytes a token and is copied by forked workers."""
    sentences = _sentences(corpus)
    for _ in range(2):  # segmented, then from the cache
        tokens, _ = cache.cached_tokens(sentences, tmp_path)
        column = tokens["token"]
        assert len(column) > 5000
        assert len({id(token) for token in column}) == column.nunique()
