"""Validation against the hand labels: the scores the README cites, and the build without labels."""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis import config
from analysis.alignment import alignment_units, score_units, unit_terms
from analysis.build import alignment_tables, national_doc_ids
from analysis.errors import LabelError
from analysis.resources import default_settings
from analysis.tokens import tokens_table
from analysis.validation import (
    VALIDATION_COLUMNS,
    calibrate_alignment,
    calibrate_novelty,
    load_alignment_gold,
)

GOLD = config.gold_dir() / config.ALIGNMENT_GOLD_NAME
needs_gold = pytest.mark.skipif(not GOLD.is_file(), reason=f"no hand labels at {GOLD}")


@pytest.fixture(scope="module")
def tokens(corpus):
    return tokens_table(corpus.sentences)


@pytest.fixture(scope="module")
def validation(corpus, tokens):
    return alignment_tables(corpus, tokens)["alignment_validation"]


def _row(validation, method, doc_id="all", level="unit", variant="default"):
    v = validation
    return v[(v.variant == variant) & (v.method == method) & (v.doc_id == doc_id)
             & (v.level == level)].iloc[0]  # fmt: skip


@needs_gold
def test_default_method_meets_the_goals_on_the_development_labels(validation):
    assert validation.columns.tolist() == VALIDATION_COLUMNS
    combined = _row(validation, "combined")
    assert combined.n_units == 69 and combined.n_unmatched == 0
    assert combined.p_at_1 >= 0.85 and combined.hit_at_3 >= 0.95
    assert combined.novelty_precision >= 0.8
    assert combined.echo_precision >= 0.9 and combined.echo_recall >= 0.85
    # fusion beats every single method it fuses at rank 1, or ties the best
    singles = [_row(validation, m).p_at_1 for m in ("word", "char")]
    assert combined.p_at_1 > max(singles)
    # units split into sub-tasks: their rollups rank an acceptable national unit first
    assert _row(validation, "combined", "jilin_reform_2022", "rollup").p_at_1 == 1.0
    assert set(validation.status) == {"scored"}


@needs_gold
def test_concepts_and_heading_weight_help_the_default(validation):
    default = _row(validation, "combined").p_at_1
    plain = _row(validation, "combined", variant="plain").p_at_1
    assert default > plain


@needs_gold
def test_bundled_thresholds_are_the_calibrated_ones(corpus, tokens):
    units = alignment_units(corpus.sections)
    terms = unit_terms(units, tokens, corpus.sentences)
    scores = score_units(units, terms, national_doc_ids=national_doc_ids(corpus.documents))
    result = calibrate_alignment(units, scores, load_alignment_gold(GOLD))
    settings = default_settings()
    assert result["novelty"] == (settings.novelty_word, settings.novelty_char)
    assert result["echo_top_k"] == settings.echo_top_k
    assert result["echo"].set_index("top_k").loc[settings.echo_top_k, "precision"] >= 0.9


def test_novelty_calibration_is_precision_first_with_a_margin():
    word = np.array([0.064, 0.067, 0.119, 0.118, 0.30])
    char = np.array([0.043, 0.119, 0.045, 0.0498, 0.20])
    novel = np.array([True, False, True, False, False])
    # (0.13, 0.05) would catch both novel units but only because 0.0498 sits just under 0.05
    assert calibrate_novelty(word, char, novel) == (0.07, 0.05)
    assert calibrate_novelty(word, char, np.zeros(5, dtype=bool)) == (0.01, 0.01)


def test_build_without_labels_says_the_validation_was_skipped(corpus, tokens, tmp_path):
    tables = alignment_tables(corpus, tokens, gold_path=tmp_path / "alignment_dev.json")
    validation = tables["alignment_validation"]
    assert validation.columns.tolist() == VALIDATION_COLUMNS
    assert len(validation) == 1
    assert validation.status.iloc[0] == ("skipped: no hand labels at alignment_dev.json "
                                         "(see README, Validation)")  # fmt: skip
    assert len(tables["alignment"]) > 0  # everything else is built


def test_without_labels_the_last_scored_validation_is_kept(corpus, tokens, tmp_path):
    """A clone without the labels keeps the validation its committed tables hold; a folder
    holding only a skipped validation (or none) gives the skipped row."""
    from analysis.tables import csv_bytes

    tables = alignment_tables(corpus, tokens)  # with the labels, when they are here
    if tables["alignment_validation"].status.eq("scored").all():
        for name in ("alignment_validation", "alignment_validation_units"):
            (tmp_path / f"{name}.csv").write_bytes(csv_bytes(tables[name]))
        kept = alignment_tables(corpus, tokens, gold_path=tmp_path / "none.json",
                                kept_from=tmp_path)  # fmt: skip
        for name in ("alignment_validation", "alignment_validation_units"):
            assert csv_bytes(kept[name]) == (tmp_path / f"{name}.csv").read_bytes(), name
    skipped = alignment_tables(corpus, tokens, gold_path=tmp_path / "none.json")
    (tmp_path / "alignment_validation.csv").write_bytes(csv_bytes(skipped["alignment_validation"]))
    again = alignment_tables(corpus, tokens, gold_path=tmp_path / "none.json", kept_from=tmp_path)
    assert again["alignment_validation"].status.iloc[0].startswith("skipped")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert alignment_tables(corpus, tokens, gold_path=tmp_path / "none.json",
                            kept_from=empty)["alignment_validation"].status.iloc[0].startswith(
        "skipped")  # fmt: skip


def test_labels_of_documents_not_in_the_corpus_are_skipped(corpus, tokens, tmp_path):
    path = tmp_path / "alignment_dev.json"
    path.write_text(json.dumps({"national_units": [], "units": [
        {"doc_id": "other_2023", "heading": "x", "status": "task", "acceptable": [],
         "novel": True, "subtasks": []}]}), encoding="utf-8")  # fmt: skip
    validation = alignment_tables(corpus, tokens, gold_path=path)["alignment_validation"]
    assert validation.status.tolist() == ["skipped: no hand-labelled document in the corpus"]


def test_malformed_labels_are_named(tmp_path):
    path = tmp_path / "alignment_dev.json"
    path.write_text('{"units": []}', encoding="utf-8")
    with pytest.raises(
        LabelError, match=r"alignment_dev\.json: not the expected hand-label layout"
    ):
        load_alignment_gold(path)
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(LabelError, match="alignment_dev.json"):
        load_alignment_gold(path)
    assert load_alignment_gold(tmp_path / "missing.json") is None


def test_gold_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("KEXIE_GOLD_DIR", str(tmp_path))
    assert config.gold_dir() == tmp_path
    monkeypatch.delenv("KEXIE_GOLD_DIR")
    assert config.gold_dir() == (config.PROJECT_ROOT / ".." / "shared" / "gold").resolve()


def test_plain_variant_uses_raw_tokens(corpus, tokens):
    units = alignment_units(corpus.sections)
    plain = unit_terms(units, tokens, corpus.sentences, use_concepts=False)
    joined = unit_terms(units, tokens, corpus.sentences)
    henan = units.index[(units.doc_id == "henan_14fyp")
                        & (units.heading == "协调推进《全民科学素质行动规划纲要》实施")][0]  # fmt: skip
    position = units.index.get_loc(henan)
    assert "全民科学素质行动" in plain[position] and "全民科学素质行动" not in joined[position]
    assert "科学素质行动" in joined[position]


def test_the_skipped_table_keeps_the_declared_columns_and_types(tmp_path):
    from analysis.registry import table
    from analysis.validation import skipped_validation

    skipped = skipped_validation(tmp_path / "alignment_dev.json")
    spec = table("alignment_validation")
    assert skipped.columns.tolist() == spec.column_names
    for column in spec.columns:
        expected = {"int?": "Int64", "float": "float64"}.get(column.dtype)
        if expected:
            assert str(skipped[column.name].dtype) == expected, column.name
