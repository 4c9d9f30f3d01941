"""The build: regenerate every processed table (and, later steps, the workbook and figures)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from . import config
from .corpus import Corpus, load_corpus
from .tables import write_tables

log = logging.getLogger(__name__)

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


def run_build(
    *,
    raw_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    figures_dir: str | Path | None = None,
    only: Only = "all",
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
    tables = corpus_tables(corpus)
    if only in ("all", "tables"):
        with step("write tables"):
            _record(report, out_dir, write_tables(tables, out_dir))
    return report


def _record(report: BuildReport, folder: Path, results: dict[str, bool]) -> None:
    for name, rewritten in results.items():
        (report.written if rewritten else report.unchanged).append(folder / name)
