"""The build: regenerate every processed table, the workbook and every figure, timing each step."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from . import config
from .corpus import Corpus, load_corpus
from .keywords import keyness_table, section_keyness, term_frequencies
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
from .tables import write_bytes_atomic, write_tables
from .targets import extract_targets, target_comparison
from .themes import load_themes, section_theme_profile, theme_profile
from .tokens import Backend, tokenize_sentences
from .workbook import (
    MATRIX_SHEETS,
    SHEET_DESCRIPTIONS,
    SHEET_TABLES,
    comparison_sheets,
    readme_sheet,
    write_workbook,
)

log = logging.getLogger(__name__)
WORKBOOK_NAME = "kexie_comparison.xlsx"

Only = Literal["all", "tables", "workbook", "figures"]


@dataclass
class BuildReport:
    """What a build did: seconds per step and the files it wrote or left unchanged."""

    timings: dict[str, float] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        """A short human-readable summary, one line per step and a count of files."""
        lines = [f"  {step:<22s} {seconds:7.2f} s" for step, seconds in self.timings.items()]
        total = sum(self.timings.values())
        lines.append(f"  {'total':<22s} {total:7.2f} s")
        lines.append(f"  wrote {len(self.written)} file(s), {len(self.unchanged)} unchanged")
        return "\n".join(lines)


class _Timer:
    def __init__(self, report: BuildReport, progress: Callable[[str], None] | None) -> None:
        self.report, self.progress = report, progress

    def __call__(self, step: str):
        timer = self

        class _Step:
            def __enter__(self):
                if timer.progress:
                    timer.progress(step)
                self.start = time.perf_counter()

            def __exit__(self, *exc):
                timer.report.timings[step] = time.perf_counter() - self.start
                return False

        return _Step()


def corpus_tables(corpus: Corpus) -> dict[str, pd.DataFrame]:
    """The corpus tables keyed by output file stem."""
    return {
        "documents": corpus.documents,
        "sections": corpus.sections,
        "sentences": corpus.sentences,
        "removed": corpus.removed,
    }


def provenance(corpus: Corpus, tokens: pd.DataFrame, parameters: dict) -> dict:
    """What produced the outputs: package versions, segmenter, resources and inputs.

    No time stamps, so identical inputs give an identical record.
    """
    from importlib.metadata import version

    packages = ["kexie-compare", "pandas", "numpy", "scipy", "scikit-learn", "jieba",
                "matplotlib", "openpyxl", "wordcloud"]  # fmt: skip
    return {
        "packages": {name: version(name) for name in packages},
        "segmenter": tokens.attrs.get("segmenter", {}),
        "parameters": parameters,
        "inputs": {row.source_file: row.sha256 for row in corpus.documents.itertuples()},
    }


def run_build(
    *,
    raw_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    figures_dir: str | Path | None = None,
    only: Only = "all",
    backend: Backend = "jieba",
    progress: Callable[[str], None] | None = None,
) -> BuildReport:
    """Run the whole pipeline and write its outputs.

    Everything is computed before anything is written, so bad input stops the build with
    a clear error and leaves previous outputs untouched; files whose bytes would not
    change are not rewritten.

    Parameters
    ----------
    raw_dir, out_dir, figures_dir : str or pathlib.Path, optional
        Input folder, table/workbook folder and figure folder (defaults from
        :mod:`analysis.config`).
    only : {"all", "tables", "workbook", "figures"}
        Restrict the outputs written.
    backend : {"jieba", "rjieba"}
        Segmentation engine (jieba is the reference; the choice is recorded).
    progress : callable, optional
        Called with each step's name as it starts.

    Returns
    -------
    BuildReport
        Timings and files written.
    """
    out_dir = Path(out_dir) if out_dir is not None else config.PROCESSED_DIR
    figures_dir = Path(figures_dir) if figures_dir is not None else config.FIGURES_DIR
    report = BuildReport()
    step = _Timer(report, progress)
    with step("corpus"):
        corpus = load_corpus(raw_dir)
    with step("tokens"):
        tokens = tokenize_sentences(corpus.sentences, backend=backend)
    with step("keywords and themes"):
        tables = {**corpus_tables(corpus), **keyword_tables(corpus, tokens)}
    with step("similarity and alignment"):
        tables.update(similarity_tables(corpus, tokens))
    with step("targets"):
        tables.update(target_tables(corpus))
    record = provenance(corpus, tokens, {"backend": backend,
                                         "reference": config.NATIONAL_REFERENCE})  # fmt: skip
    if only in ("all", "tables"):
        with step("write tables"):
            _record(report, out_dir, write_tables(tables, out_dir))
            data = json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            path = out_dir / "provenance.json"
            _record(report, out_dir, {path.name: write_bytes_atomic(path, data.encode("utf-8"))})
    if only in ("all", "workbook"):
        with step("write workbook"):
            readme = readme_sheet(SHEET_TABLES, SHEET_DESCRIPTIONS, record)
            path = out_dir / WORKBOOK_NAME
            rewritten = write_workbook(comparison_sheets(tables), path, readme=readme,
                                       matrix_sheets=MATRIX_SHEETS)  # fmt: skip
            _record(report, out_dir, {path.name: rewritten})
    if only in ("all", "figures"):
        with step("write figures"):
            from .figures import write_figures

            figures = write_figures(tables, figures_dir, reference=config.NATIONAL_REFERENCE)
            _record(report, figures_dir, figures)
    return report


def similarity_tables(corpus: Corpus, tokens: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Document similarity, item alignment, coverage, novel items, agreement and text reuse."""
    national = config.NATIONAL_TASK_DOCS
    units = alignment_units(corpus.sections)
    terms = unit_terms(units, tokens, corpus.sentences)
    scores = score_units(units, terms, national_doc_ids=national)
    reuse = text_reuse(corpus.sentences, national_doc_ids=national)
    return {
        "similarity": document_similarity(corpus.sentences, tokens),
        "alignment": align_items(units, scores),
        "coverage": coverage_table(units, scores),
        "novel_items": novel_items(units, scores, terms),
        "method_agreement": method_agreement(units, scores),
        "reuse": reuse,
        "reuse_summary": reuse_summary(corpus.sentences, reuse, national_doc_ids=national),
    }


def target_tables(corpus: Corpus) -> dict[str, pd.DataFrame]:
    """Quantitative targets, the skip log and the shared-indicator comparison."""
    targets, skipped = extract_targets(corpus.sentences, corpus.documents)
    return {
        "targets": targets,
        "targets_skipped": skipped,
        "target_comparison": target_comparison(targets, corpus.documents),
    }


def keyword_tables(corpus: Corpus, tokens: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Tokens, keyword frequencies, keyness (document and section level) and theme profiles."""
    keyness = keyness_table(tokens, reference=config.NATIONAL_REFERENCE)
    themes = load_themes()
    return {
        "tokens": tokens,
        "keywords": term_frequencies(tokens),
        "keyness": keyness,
        "keyness_sections": section_keyness(tokens, corpus.sentences, keyness),
        "themes": theme_profile(corpus.sentences, tokens, themes),
        "themes_sections": section_theme_profile(corpus.sentences, tokens, themes),
    }


def _record(report: BuildReport, folder: Path, results: dict[str, bool]) -> None:
    for name, rewritten in results.items():
        (report.written if rewritten else report.unchanged).append(folder / name)
