"""kexie-compare: compare Chinese provincial 科协 plans against the national framework.

The public surface is exactly ``__all__``: the functions ``python -m analysis build`` uses,
so a notebook calls the same code that writes the tables, the workbook and the figures.
"""

from .build import keyword_tables, run_build, similarity_tables, target_tables
from .corpus import Corpus, load_corpus
from .keywords import (
    g2_statistic,
    keyness_table,
    kwic,
    log_ratio,
    section_keyness,
    term_frequencies,
)
from .similarity import (
    align_items,
    alignment_units,
    coverage_table,
    document_similarity,
    method_agreement,
    novel_items,
    reuse_summary,
    score_units,
    text_reuse,
    unit_terms,
)
from .targets import extract_targets, indicator_key, target_comparison
from .themes import load_themes, section_theme_profile, theme_profile
from .tokens import content_tokens, segment, tokenize_sentences
from .workbook import comparison_sheets, write_workbook

__all__ = [
    "Corpus",
    "align_items",
    "alignment_units",
    "comparison_sheets",
    "content_tokens",
    "coverage_table",
    "document_similarity",
    "extract_targets",
    "g2_statistic",
    "indicator_key",
    "keyness_table",
    "keyword_tables",
    "kwic",
    "load_corpus",
    "load_themes",
    "log_ratio",
    "method_agreement",
    "novel_items",
    "reuse_summary",
    "run_build",
    "score_units",
    "section_keyness",
    "section_theme_profile",
    "similarity_tables",
    "segment",
    "target_comparison",
    "target_tables",
    "term_frequencies",
    "text_reuse",
    "theme_profile",
    "tokenize_sentences",
    "unit_terms",
    "write_workbook",
]
__version__ = "0.1.0"
