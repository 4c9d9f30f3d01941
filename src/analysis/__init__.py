"""kexie-compare: compare Chinese provincial 科协 plans against the national framework.

The public surface is exactly ``__all__``: loaders (``load_*``), functions that return one long
table (``*_table``) or a build step's tables (``*_tables``), figures (``plot_*``), :func:`show` (a
table styled for reading in a notebook), writers (``write_*``) and :func:`run_build`, so a notebook calls the same code that writes the tables, the
workbook and the figures. Intermediate steps live in their modules (``analysis.alignment``,
``analysis.tokens`` …) for those who need them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for type checkers and editors; at run time names load on first use
    from .alignment import (
        alignment_table,
        coverage_table,
        echo_summary_table,
        method_agreement_table,
        novelty_table,
    )
    from .build import (
        alignment_tables,
        keyword_tables,
        pmc_tables,
        policy_tool_tables,
        run_build,
        similarity_tables,
        target_tables,
    )
    from .collocations import term_candidates_table
    from .concepts import concept_keyness_table, concept_tokens_table, concepts_table
    from .cooccurrence import cooccurrence_table, network_hubs_table
    from .corpus import load_corpus
    from .display import show
    from .figures import (
        plot_cooccurrence,
        plot_coverage,
        plot_keyness,
        plot_pmc_primaries,
        plot_pmc_surfaces,
        plot_policy_tool_areas,
        plot_policy_tools,
        plot_shared_target,
        plot_similarity,
        plot_term_candidates,
        plot_themes,
        plot_top_keywords,
        plot_wordclouds,
        write_figure,
    )
    from .keyness import keyness_sections_table, keyness_table
    from .keywords import keywords_table
    from .kwic import kwic_table
    from .pmc import pmc_table, pmc_variables_table
    from .policy_tools import (
        policy_tool_areas_table,
        policy_tool_summary_table,
        policy_tools_table,
    )
    from .resources import load_concepts, load_themes
    from .reuse import reuse_summary_table, reuse_table
    from .self_reference import self_references_table, shown_table
    from .similarity import similarity_table
    from .targets import slogans_table, target_comparison_table
    from .themes import themes_sections_table, themes_table
    from .tokens import tokens_table
    from .validation import alignment_validation_table, load_alignment_gold, validation_units_table
    from .workbook import write_workbook

#: The module each public name comes from. A name's module is imported when the name is first
#: used (PEP 562), so ``import analysis`` is quick and ``python -m analysis build`` loads scipy,
#: scikit-learn and matplotlib only when a step needs them.
_SOURCES = {
    "load_corpus": "corpus",
    "load_themes": "resources",
    "load_concepts": "resources",
    "load_alignment_gold": "validation",
    "tokens_table": "tokens",
    "concept_tokens_table": "concepts",
    "concepts_table": "concepts",
    "concept_keyness_table": "concepts",
    "self_references_table": "self_reference",
    "shown_table": "self_reference",
    "term_candidates_table": "collocations",
    "cooccurrence_table": "cooccurrence",
    "network_hubs_table": "cooccurrence",
    "keywords_table": "keywords",
    "keyness_table": "keyness",
    "keyness_sections_table": "keyness",
    "kwic_table": "kwic",
    "themes_table": "themes",
    "themes_sections_table": "themes",
    "similarity_table": "similarity",
    "reuse_table": "reuse",
    "reuse_summary_table": "reuse",
    "alignment_table": "alignment",
    "coverage_table": "alignment",
    "novelty_table": "alignment",
    "method_agreement_table": "alignment",
    "echo_summary_table": "alignment",
    "alignment_validation_table": "validation",
    "validation_units_table": "validation",
    "target_comparison_table": "targets",
    "slogans_table": "targets",
    "show": "display",
    "keyword_tables": "build",
    "similarity_tables": "build",
    "alignment_tables": "build",
    "target_tables": "build",
    "plot_top_keywords": "figures",
    "plot_keyness": "figures",
    "plot_similarity": "figures",
    "plot_themes": "figures",
    "plot_coverage": "figures",
    "plot_shared_target": "figures",
    "plot_wordclouds": "figures",
    "plot_cooccurrence": "figures",
    "plot_term_candidates": "figures",
    "plot_policy_tools": "figures",
    "plot_policy_tool_areas": "figures",
    "plot_pmc_surfaces": "figures",
    "plot_pmc_primaries": "figures",
    "policy_tools_table": "policy_tools",
    "policy_tool_summary_table": "policy_tools",
    "policy_tool_areas_table": "policy_tools",
    "pmc_variables_table": "pmc",
    "pmc_table": "pmc",
    "policy_tool_tables": "build",
    "pmc_tables": "build",
    "write_workbook": "workbook",
    "write_figure": "figures",
    "run_build": "build",
}

__all__ = [
    # loaders
    "load_corpus",
    "load_themes",
    "load_concepts",
    "load_alignment_gold",
    # one long table each
    "tokens_table",
    "concept_tokens_table",
    "concepts_table",
    "concept_keyness_table",
    "self_references_table",
    "shown_table",
    "term_candidates_table",
    "cooccurrence_table",
    "network_hubs_table",
    "policy_tools_table",
    "policy_tool_summary_table",
    "policy_tool_areas_table",
    "pmc_variables_table",
    "pmc_table",
    "keywords_table",
    "keyness_table",
    "keyness_sections_table",
    "kwic_table",
    "themes_table",
    "themes_sections_table",
    "similarity_table",
    "reuse_table",
    "reuse_summary_table",
    "alignment_table",
    "coverage_table",
    "novelty_table",
    "method_agreement_table",
    "echo_summary_table",
    "alignment_validation_table",
    "validation_units_table",
    "target_comparison_table",
    "slogans_table",
    # a build step's tables
    "keyword_tables",
    "similarity_tables",
    "alignment_tables",
    "target_tables",
    "policy_tool_tables",
    "pmc_tables",
    # figures
    "plot_top_keywords",
    "plot_keyness",
    "plot_similarity",
    "plot_themes",
    "plot_coverage",
    "plot_shared_target",
    "plot_wordclouds",
    "plot_cooccurrence",
    "plot_term_candidates",
    "plot_policy_tools",
    "plot_policy_tool_areas",
    "plot_pmc_surfaces",
    "plot_pmc_primaries",
    # outputs and the build
    "show",
    "write_workbook",
    "write_figure",
    "run_build",
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
