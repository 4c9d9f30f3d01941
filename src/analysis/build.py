"""The build: regenerate every processed table, the workbook and every figure, timing each step."""

from __future__ import annotations

import gc
import importlib
import json
import logging
import os
import re
import shutil
import socket
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from . import config
from .cache import (
    CACHE_DIRNAME,
    build_fingerprint,
    file_hashes,
    outputs_current,
    read_stamp,
    start_cached_tokens,
    write_stamp,
)
from .corpus import Corpus, load_corpus
from .parallel import in_background
from .tables import commit_staged, stage_csvs, write_bytes_atomic
from .tokens import Backend

# The analysis modules (with scipy, scikit-learn, XlsxWriter and matplotlib, about 2 s of
# imports) are imported where they are first needed: a warm build never loads them, and a
# cold one loads them while its tokens are segmented in another process.
ANALYSIS_MODULES = ("keywords", "similarity", "alignment", "targets", "themes", "workbook")

log = logging.getLogger(__name__)
WORKBOOK_NAME = "kexie_comparison.xlsx"
#: CSVs are staged in a folder inside the output folder until the build commits; its name is
#: this prefix, the host name, the build's process id and a random suffix.
STAGING_PREFIX = ".staging-"

Only = Literal["all", "tables", "workbook", "figures"]


@dataclass
class BuildReport:
    """What a build did: seconds per step and the files it wrote or left unchanged."""

    timings: dict[str, float] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    up_to_date: bool = False
    segmented: int = 0

    def summary(self) -> str:
        """A short human-readable summary, one line per step and a count of files."""
        lines = [f"  {step:<30s} {seconds:7.2f} s" for step, seconds in self.timings.items()]
        if self.up_to_date:
            lines.append("  inputs, resources and code unchanged: outputs are up to date")
        total = sum(self.timings.values())
        lines.append(f"  {'total':<30s} {total:7.2f} s")
        lines.append(f"  wrote {len(self.written)} file(s), {len(self.unchanged)} unchanged")
        return "\n".join(lines)


def _step_timer(report: BuildReport, progress: Callable[[str], None] | None):
    """A context manager per step: announce it, then record its seconds in ``report``."""

    @contextmanager
    def step(name: str):
        if progress:
            progress(name)
        start = time.perf_counter()
        try:
            yield
        finally:
            report.timings[name] = time.perf_counter() - start

    return step


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

    packages = ["kexie-compare", "pandas", "numpy", "scipy", "scikit-learn", "jieba", "bm25s",
                "matplotlib", "openpyxl", "xlsxwriter", "wordcloud"]  # fmt: skip
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
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Callable[[str], None] | None = None,
) -> BuildReport:
    """Run the whole pipeline and write its outputs.

    Everything is computed before anything is written, so bad input stops the build with
    a clear error and leaves previous outputs untouched; files whose bytes would not
    change are not rewritten. Tokens are cached per document by content hash, dictionary
    hash and segmenter version; when nothing a build reads has changed (inputs, resources,
    code, package versions) and the outputs are intact, nothing is recomputed.

    Parameters
    ----------
    raw_dir, out_dir, figures_dir : str or pathlib.Path, optional
        Input folder, table/workbook folder and figure folder (defaults from
        :mod:`analysis.config`).
    only : {"all", "tables", "workbook", "figures"}
        Restrict the outputs written.
    backend : {"jieba", "rjieba"}
        Segmentation engine (jieba is the reference; the choice is recorded).
    jobs : int, optional
        Processes for parsing and segmenting large corpora and drawing figures; above 1, a
        small corpus is segmented in one forked process while this one loads the analysis
        modules, and keywords, themes, targets and the CSVs are computed in forked processes (default
        :func:`analysis.config.default_jobs`: the cores, at most four). Outputs do not
        depend on it.
    use_cache : bool
        Reuse cached tokens and skip outputs that are up to date.
    progress : callable, optional
        Called with each step's name as it starts.

    Returns
    -------
    BuildReport
        Timings and files written.
    """
    raw_dir = Path(raw_dir) if raw_dir is not None else config.RAW_DIR
    out_dir = Path(out_dir) if out_dir is not None else config.PROCESSED_DIR
    figures_dir = Path(figures_dir) if figures_dir is not None else config.FIGURES_DIR
    jobs = config.default_jobs() if jobs is None else max(1, jobs)
    report = BuildReport()
    step = _step_timer(report, progress)
    kinds = [kind for kind in ("tables", "workbook", "figures") if only in ("all", kind)]
    # checked before parsing: the inputs, resources and code a stamp records are those of a
    # build that succeeded, so they parse, and parsing is most of a warm build at scale
    with step("check outputs"):
        fingerprint = build_fingerprint(raw_dir, {"backend": backend})
        stamp = read_stamp(out_dir) if use_cache else {}
        current = {kind: outputs_current(stamp, kind, fingerprint) for kind in kinds}
    if all(current.values()):
        report.unchanged = [Path(p) for kind in kinds for p in stamp[kind]["files"]]
        report.up_to_date = True
        return report
    with step("corpus"):
        corpus = load_corpus(raw_dir, jobs=jobs)
    write_csv = "tables" in kinds and not current["tables"]
    draw_figures = "figures" in kinds and not current["figures"]
    with step("tokens"):
        cache_dir = out_dir / CACHE_DIRNAME if use_cache else None
        segmenting = start_cached_tokens(corpus.sentences, cache_dir, backend=backend, jobs=jobs)
        try:  # with jobs > 1 the tokens are segmented in other processes meanwhile
            for module in ANALYSIS_MODULES + (("figures",) if draw_figures else ()):
                importlib.import_module(f".{module}", __package__)
            tokens, report.segmented = segmenting.result(progress=_tqdm())
        except BaseException:
            segmenting.cancel()
            raise
    # Keywords and themes, and targets, are computed in two forked processes while this one
    # computes similarity; then the CSVs are serialised into a staging folder by a forked
    # process and the figures drawn in worker processes while the workbook is written.
    # Outputs reach their places at the end (the staged CSVs by renaming).
    background, rendering, staging = [], None, None
    try:
        side = [in_background(keyword_side_tables, corpus, tokens, enabled=jobs > 1),
                in_background(target_tables, corpus, enabled=jobs > 1)]  # fmt: skip
        background += side
        with step("similarity and alignment"):
            similarity = similarity_tables(corpus, tokens)
        with step("keywords, themes and targets"):  # the wait for the forked processes
            side_tables = {}
            for job in side:
                side_tables |= job.result()
                background.remove(job)
        tables = {**corpus_tables(corpus), "tokens": tokens, **side_tables, **similarity}
        record = provenance(corpus, tokens, {"backend": backend,
                                             "reference": config.NATIONAL_REFERENCE})  # fmt: skip
        written: dict[str, dict[str, bool]] = {}
        if draw_figures:
            with step("start figures"):
                from .figures import FigureRendering, figure_data, figure_input_hashes

                data = figure_data(tables, reference=config.NATIONAL_REFERENCE)
                inputs = figure_input_hashes(data)
                skip = _current_figures(stamp, inputs, figures_dir) if use_cache else frozenset()
                rendering = FigureRendering(data, reference=config.NATIONAL_REFERENCE,
                                            skip=skip, workers=jobs)  # fmt: skip
        if write_csv:
            out_dir.mkdir(parents=True, exist_ok=True)
            remove_abandoned_staging(out_dir)
            staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=_staging_prefix()))
            background.append(in_background(stage_csvs, tables, out_dir, staging,
                                            enabled=jobs > 1))  # fmt: skip
        if "workbook" in kinds and not current["workbook"]:
            with step("write workbook"):
                from .workbook import (
                    MATRIX_SHEETS,
                    SHEET_DESCRIPTIONS,
                    SHEET_TABLES,
                    comparison_sheets,
                    readme_sheet,
                    write_workbook,
                )

                readme = readme_sheet(SHEET_TABLES, SHEET_DESCRIPTIONS, record)
                path = out_dir / WORKBOOK_NAME
                rewritten = write_workbook(comparison_sheets(tables), path, readme=readme,
                                           matrix_sheets=MATRIX_SHEETS)  # fmt: skip
                written["workbook"] = {str(path): rewritten}
        if write_csv:
            with step("write tables"):  # waits for the staged CSVs, then moves them in place
                results = commit_staged(background.pop().result(), out_dir)
                record_json = json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True)
                results["provenance.json"] = write_bytes_atomic(out_dir / "provenance.json",
                                                                (record_json + "\n").encode())  # fmt: skip
                written["tables"] = {str(out_dir / n): r for n, r in results.items()}
        if rendering is not None:
            with step("write figures"):  # waits for the figure workers, then writes
                results = rendering.save(figures_dir)
                written["figures"] = {str(figures_dir / n): r for n, r in results.items()}
                stamp["figure_inputs"] = inputs
    finally:
        if rendering is not None:
            rendering.close()
        for job in background:  # left only when the build failed
            if hasattr(job, "cancel"):
                job.cancel()
        gc.unfreeze()  # objects frozen before forking (parallel.freeze_for_fork) are collectable again
        if staging is not None:  # staged CSVs not committed (the build failed) go with it
            shutil.rmtree(staging, ignore_errors=True)
    for kind, results in written.items():
        for name, rewritten in results.items():
            (report.written if rewritten else report.unchanged).append(Path(name))
        stamp[kind] = {"fingerprint": fingerprint,
                       "files": file_hashes([Path(n) for n in results])}  # fmt: skip
    if use_cache:
        write_stamp(out_dir, stamp)
    return report


def _staging_prefix() -> str:
    return f"{STAGING_PREFIX}{socket.gethostname()}-{os.getpid()}-"


def remove_abandoned_staging(out_dir: Path) -> list[Path]:
    """Remove staging folders that builds killed before they could clean up left behind.

    A failed build removes its own staging folder; one killed outright (``kill -9``, power
    loss) cannot. A folder is abandoned when it was made on this host by a process that no
    longer runs; folders of running builds, of other hosts and of unknown names are kept. Only
    on POSIX systems (elsewhere nothing is removed).

    Parameters
    ----------
    out_dir : pathlib.Path
        The output folder.

    Returns
    -------
    list of pathlib.Path
        The folders removed.
    """
    if os.name != "posix":
        return []
    removed = []
    # the suffix tempfile.mkdtemp adds has no "-", so the last two "-" delimit the process id
    name = re.compile(re.escape(STAGING_PREFIX) + r"(?P<host>.+)-(?P<pid>\d+)-[^-]+")
    for path in sorted(out_dir.glob(f"{STAGING_PREFIX}*")):
        match = name.fullmatch(path.name)
        if match and match["host"] == socket.gethostname() and path.is_dir() \
                and not _process_running(int(match["pid"])):  # fmt: skip
            shutil.rmtree(path, ignore_errors=True)
            log.info("removed %s, left by a build that was killed (process %s)", path, match["pid"])
            removed.append(path)
    return removed


def _process_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only checks that the process exists (POSIX)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def _current_figures(stamp: dict, inputs: dict[str, str], figures_dir: Path) -> frozenset[str]:
    """Figures drawn from the same data last time whose files are still as written."""
    from .figures import figure_files

    drawn_from = stamp.get("figure_inputs", {})
    recorded = stamp.get("figures", {}).get("files", {})
    current = set()
    for stem, digest in inputs.items():
        paths = [figures_dir / name for name in figure_files(stem)]
        expected = {str(p): recorded.get(str(p)) for p in paths}
        if drawn_from.get(stem) == digest and file_hashes(paths) == expected:
            current.add(stem)
    return frozenset(current)


def _tqdm():
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return lambda iterable, **kw: tqdm(iterable, disable=None, leave=False, **kw)


def keyword_side_tables(corpus: Corpus, tokens: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """:func:`keyword_tables` without the token table (the build computes them beside
    similarity and already holds the tokens)."""
    tables = keyword_tables(corpus, tokens)
    tables.pop("tokens")
    return tables


def similarity_tables(corpus: Corpus, tokens: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Document similarity and text reuse, then the alignment tables (:func:`alignment_tables`)."""
    from .similarity import document_similarity, reuse_summary, text_reuse

    national = national_doc_ids(corpus.documents)
    reuse = text_reuse(corpus.sentences, national_doc_ids=national)
    return {
        "similarity": document_similarity(corpus.sentences, tokens),
        **alignment_tables(corpus, tokens),
        "reuse": reuse,
        "reuse_summary": reuse_summary(corpus.sentences, reuse, national_doc_ids=national),
    }


def national_doc_ids(documents: pd.DataFrame) -> tuple[str, ...]:
    """The documents provincial ones are compared with: registry ``level`` national."""
    return tuple(documents.loc[documents["level"] == "national", "doc_id"])


def alignment_tables(
    corpus: Corpus, tokens: pd.DataFrame, *, gold_path: str | Path | None = None
) -> dict[str, pd.DataFrame]:
    """Alignment of provincial units to national units, coverage, novelty, method agreement,
    and the validation of all of it against the hand labels (skipped without them).

    Parameters
    ----------
    corpus : Corpus
        The corpus.
    tokens : pandas.DataFrame
        The ``tokens`` table.
    gold_path : str or pathlib.Path, optional
        The hand labels (default: ``alignment_dev.json`` in :func:`analysis.config.gold_dir`).
    """
    from dataclasses import replace

    from .alignment import (
        alignment_table,
        alignment_units,
        coverage_table,
        default_settings,
        method_agreement,
        novelty_table,
        score_units,
        unit_terms,
    )
    from .validation import (
        VALIDATION_UNIT_COLUMNS,
        alignment_validation,
        alignment_validation_units,
        load_alignment_gold,
        skipped_validation,
    )

    national = national_doc_ids(corpus.documents)
    units = alignment_units(corpus.sections)
    terms = unit_terms(units, tokens, corpus.sentences)
    scores = score_units(units, terms, national_doc_ids=national)
    regions = dict(zip(corpus.documents["doc_id"], corpus.documents["region"], strict=True))
    novelty = novelty_table(units, scores, terms, corpus.texts, regions)
    gold_path = Path(gold_path) if gold_path is not None else \
        config.gold_dir() / config.ALIGNMENT_GOLD_NAME  # fmt: skip
    gold = load_alignment_gold(gold_path)
    validation_units = pd.DataFrame(columns=VALIDATION_UNIT_COLUMNS)
    if gold is None:
        log.warning("alignment validation skipped: no hand labels at %s", gold_path)
        validation = skipped_validation(gold_path)
    elif not gold[0]["doc_id"].isin(corpus.documents["doc_id"]).any():
        validation = skipped_validation(gold_path, status="skipped: no hand-labelled document "
                                                          "in the corpus")  # fmt: skip
    else:
        # the same methods without concepts and with the heading counted once, for comparison
        plain = score_units(units, unit_terms(units, tokens, corpus.sentences, use_concepts=False),
                            national_doc_ids=national,
                            settings=replace(default_settings(), char_heading_weight=1))  # fmt: skip
        validation = alignment_validation(units, {"default": scores, "plain": plain}, gold,
                                          novelty["novel"].to_numpy())  # fmt: skip
        validation_units = alignment_validation_units(units, scores, gold,
                                                      novelty["novel"].to_numpy())  # fmt: skip
    return {
        "alignment": alignment_table(units, scores),
        "coverage": coverage_table(units, scores),
        "novel_items": novelty,
        "method_agreement": method_agreement(units, scores),
        "alignment_validation": validation,
        "alignment_validation_units": validation_units,
    }


def target_tables(corpus: Corpus) -> dict[str, pd.DataFrame]:
    """Quantitative targets, the skip log and the shared-indicator comparison."""
    from .targets import extract_targets, target_comparison

    targets, skipped = extract_targets(corpus.sentences, corpus.documents)
    return {
        "targets": targets,
        "targets_skipped": skipped,
        "target_comparison": target_comparison(targets, corpus.documents),
    }


def keyword_tables(corpus: Corpus, tokens: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Tokens, keyword frequencies, keyness (document and section level) and theme profiles."""
    from .keywords import keyness_table, section_keyness, term_frequencies
    from .themes import load_themes, section_theme_profile, theme_profile

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
