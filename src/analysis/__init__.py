"""kexie-compare: compare Chinese provincial 科协 plans against the national framework.

The public surface is exactly ``__all__``: the functions ``python -m analysis build`` uses,
so a notebook calls the same code that writes the tables, the workbook and the figures.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for type checkers and editors; at run time names load on first use
    from .alignment import (
        alignment_table,
        alignment_units,
        coverage_table,
        method_agreement,
        novelty_table,
        score_units,
        unit_terms,
    )
    from .build import (
        alignment_tables,
        keyword_tables,
        run_build,
        similarity_tables,
        target_tables,
    )
    from .concepts import load_concepts, tokens_as_concepts
    from .corpus import Corpus, load_corpus
    from .keywords import (
        g2_statistic,
        keyness_table,
        kwic,
        log_ratio,
        section_keyness,
        term_frequencies,
    )
    from .similarity import document_similarity, reuse_summary, text_reuse
    from .targets import extract_targets, indicator_key, target_comparison
    from .themes import load_themes, section_theme_profile, theme_profile
    from .tokens import content_tokens, segment, tokenize_sentences
    from .validation import alignment_validation, calibrate_alignment, load_alignment_gold
    from .workbook import comparison_sheets, write_workbook

#: The module each public name comes from. A name's module is imported when the name is first
#: used (PEP 562), so ``import analysis`` is quick and ``python -m analysis build`` loads scipy,
#: scikit-learn and matplotlib only when a step needs them.
_SOURCES = {
    "alignment_table": "alignment",
    "alignment_tables": "build",
    "alignment_units": "alignment",
    "alignment_validation": "validation",
    "calibrate_alignment": "validation",
    "comparison_sheets": "workbook",
    "content_tokens": "tokens",
    "Corpus": "corpus",
    "coverage_table": "alignment",
    "document_similarity": "similarity",
    "extract_targets": "targets",
    "g2_statistic": "keywords",
    "indicator_key": "targets",
    "keyness_table": "keywords",
    "keyword_tables": "build",
    "kwic": "keywords",
    "load_alignment_gold": "validation",
    "load_concepts": "concepts",
    "load_corpus": "corpus",
    "load_themes": "themes",
    "log_ratio": "keywords",
    "method_agreement": "alignment",
    "novelty_table": "alignment",
    "reuse_summary": "similarity",
    "run_build": "build",
    "score_units": "alignment",
    "section_keyness": "keywords",
    "section_theme_profile": "themes",
    "segment": "tokens",
    "similarity_tables": "build",
    "target_comparison": "targets",
    "target_tables": "build",
    "term_frequencies": "keywords",
    "text_reuse": "similarity",
    "theme_profile": "themes",
    "tokenize_sentences": "tokens",
    "tokens_as_concepts": "concepts",
    "unit_terms": "alignment",
    "write_workbook": "workbook",
}

__all__ = [
    "alignment_table",
    "alignment_tables",
    "alignment_units",
    "alignment_validation",
    "calibrate_alignment",
    "comparison_sheets",
    "content_tokens",
    "Corpus",
    "coverage_table",
    "document_similarity",
    "extract_targets",
    "g2_statistic",
    "indicator_key",
    "keyness_table",
    "keyword_tables",
    "kwic",
    "load_alignment_gold",
    "load_concepts",
    "load_corpus",
    "load_themes",
    "log_ratio",
    "method_agreement",
    "novelty_table",
    "reuse_summary",
    "run_build",
    "score_units",
    "section_keyness",
    "section_theme_profile",
    "segment",
    "similarity_tables",
    "target_comparison",
    "target_tables",
    "term_frequencies",
    "text_reuse",
    "theme_profile",
    "tokenize_sentences",
    "tokens_as_concepts",
    "unit_terms",
    "write_workbook",
]
__version__ = "0.1.0"


def __getattr__(name: str):
    """Import a public name's module on first use (PEP 562)."""
    if name not in _SOURCES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_SOURCES[name]}", __name__), name)
    globals()[name] = value  # later uses find it directly
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
