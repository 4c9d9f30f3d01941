"""The build: every table, the workbook and every figure, as steps of one pipeline.

The steps are declared below with what they need and make (:func:`analysis_steps`,
:func:`output_steps`); :mod:`analysis.pipeline` runs them, in forked processes where the platform
allows. Outputs are staged beside their destination and moved into place at the end, so a build
that fails leaves the previous outputs as they were.
"""

from __future__ import annotations

import importlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from . import config
from .errors import OutputError, RegistryError
from .files import OutputLock, Staging, remove_abandoned_staging
from .pipeline import PipelineError, Step, choose_runner
from .registry import FIGURES, TABLES, Figure, empty_table
from .stamp import (
    build_fingerprint,
    file_hashes,
    outputs_current,
    package_versions,
    read_stamp,
    write_stamp,
)

if TYPE_CHECKING:  # the modules below load pandas: a build with nothing to do needs none of them
    import pandas as pd

    from .corpus import Corpus
    from .tokens import Backend

log = logging.getLogger(__name__)
WORKBOOK_NAME = "kexie_comparison.xlsx"
PROVENANCE_NAME = "provenance.json"
#: Loaded while the tokens are segmented (about 2 s of imports: scipy, scikit-learn, XlsxWriter,
#: bm25s, networkx), so forked steps inherit them; a build with nothing to do never loads them.
ANALYSIS_MODULES = (
    "keyness",
    "policy_tools",
    "pmc",
    "concepts",
    "collocations",
    "cooccurrence",
    "themes",
    "similarity",
    "alignment",
    "reuse",
    "targets",
    "workbook",
)

#: Figures that take longest to draw (the runner starts them first).
SLOW_FIGURES = ("05_coverage", "07_wordclouds")

Only = Literal["all", "tables", "workbook", "figures"]
KINDS = ("tables", "workbook", "figures")


@dataclass
class BuildReport:
    """What a build did: seconds per step and the files it wrote or left unchanged."""

    timings: dict[str, float] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    up_to_date: bool = False
    segmented: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        """A short human-readable summary: each step's seconds, the wall time, the files."""
        lines = [f"  {step:<36s} {seconds:7.2f} s" for step, seconds in self.timings.items()]
        if self.up_to_date:
            lines.append("  inputs, resources and code unchanged: outputs are up to date")
        lines.append(f"  {'total':<36s} {self.seconds:7.2f} s")
        lines.append(f"  wrote {len(self.written)} file(s), {len(self.unchanged)} unchanged")
        return "\n".join(lines)


def run_build(
    *,
    raw_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    figures_dir: str | Path | None = None,
    only: Only = "all",
    backend: Backend = "jieba",
    jobs: int | None = None,
    formats: tuple[str, ...] | None = None,
    use_cache: bool = True,
    progress: Callable[[str], None] | None = None,
    reference: str | None = None,
) -> BuildReport:
    """Run the whole pipeline and write its outputs.

    Everything is computed before anything is moved into place, so bad input stops the build
    with a clear error and leaves previous outputs untouched; files whose bytes would not
    change are not rewritten. Tokens are cached per document; when nothing a build reads has
    changed (:func:`analysis.stamp.build_fingerprint`) and the outputs are intact, nothing is
    recomputed, and a figure whose data did not change is not redrawn.

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
        Processes working at once (default :func:`analysis.config.default_jobs`); 1 runs every
        step in this process. The outputs do not depend on it.
    formats : tuple of str, optional
        Figure formats (default :data:`analysis.config.DEFAULT_FIGURE_FORMATS`).
    use_cache : bool
        Reuse cached tokens and skip outputs that are up to date.
    progress : callable, optional
        Called with each step's name as it starts.
    reference : str, optional
        ``doc_id`` of the document keyness compares with (default: the first document of the
        registry whose ``level`` is national; see :func:`reference_doc_id`).

    Returns
    -------
    BuildReport
        Timings and files written.

    Raises
    ------
    analysis.errors.KexieError
        On bad input, an output folder inside the raw folder, a second build writing into the
        same folders, or outputs that could not be moved into place (the message says which
        outputs are from which build).
    """
    raw_dir = Path(raw_dir) if raw_dir is not None else config.RAW_DIR
    out_dir = Path(out_dir) if out_dir is not None else config.PROCESSED_DIR
    figures_dir = Path(figures_dir) if figures_dir is not None else config.FIGURES_DIR
    jobs = config.default_jobs() if jobs is None else max(1, jobs)
    formats = tuple(formats or config.DEFAULT_FIGURE_FORMATS)
    check_folders(raw_dir, out_dir, figures_dir if only in ("all", "figures") else None)
    locked = [out_dir] + ([figures_dir] if only in ("all", "figures") else [])
    with OutputLock(locked):  # a second build into these folders stops here
        return _locked_build(raw_dir, out_dir, figures_dir, only=only, backend=backend,
                             jobs=jobs, formats=formats, use_cache=use_cache, progress=progress,
                             reference=reference)  # fmt: skip


def check_folders(raw_dir: Path, out_dir: Path, figures_dir: Path | None) -> None:
    """Refuse output folders that are files or that lie in (or are) the raw folder, before
    anything is read or written.

    Raises
    ------
    analysis.errors.OutputError
        Naming the option and the folder.
    """
    raw = Path(raw_dir).resolve()
    for option, folder in (("--out", out_dir), ("--figures", figures_dir)):
        if folder is None:
            continue
        if Path(folder).exists() and not Path(folder).is_dir():
            raise OutputError(f"{option} {folder}: is a file, not a folder")
        resolved = Path(folder).resolve()
        if resolved == raw or raw in resolved.parents:
            raise OutputError(f"{option} {folder}: is inside the raw folder {raw_dir}; outputs "
                              "there would overwrite or mix with the documents (documents.csv "
                              "is both the registry and an output table)")  # fmt: skip


def _locked_build(raw_dir: Path, out_dir: Path, figures_dir: Path, *, only: Only,
                  backend: Backend, jobs: int, formats: tuple[str, ...], use_cache: bool,
                  progress: Callable[[str], None] | None, reference: str | None) -> BuildReport:  # fmt: skip
    """:func:`run_build` once its output folders are locked."""
    report, start = BuildReport(), time.perf_counter()
    parameters = {"backend": backend, "reference": reference or "", "formats": formats}
    fingerprint = build_fingerprint(raw_dir, parameters)  # before parsing anything
    stamp = read_stamp(out_dir) if use_cache else {}
    kinds = [k for k in KINDS if only in ("all", k) and not outputs_current(stamp, k, fingerprint)]
    report.timings["check outputs"] = time.perf_counter() - start
    if not kinds:
        report.up_to_date, report.seconds = True, time.perf_counter() - start
        report.unchanged = [Path(p) for k in KINDS if only in ("all", k)
                            for p in stamp[k]["files"]]  # fmt: skip
        return report
    cache_dir = out_dir / config.CACHE_DIRNAME if use_cache else None
    if cache_dir is not None:
        remove_abandoned_staging(cache_dir)  # temporary files of a killed build
    staging = {kind: Staging(figures_dir if kind == "figures" else out_dir) for kind in kinds}
    committed: list[str] = []
    try:
        steps = analysis_steps(raw_dir=raw_dir, jobs=jobs, backend=backend, cache_dir=cache_dir,
                               preload="figures" in kinds, reference=reference,
                               kept_from=out_dir)  # fmt: skip
        steps += output_steps(kinds, staging, stamp=stamp, formats=formats)
        products = choose_runner(jobs).run(steps, {}, progress=_timer(report, progress))
        for kind in kinds:  # all computed: now everything moves into place
            staged = {name: path for step in steps if step.makes == (f"staged {kind}",)
                      for name, path in products[step.makes[0]].items()}  # fmt: skip
            stamp.pop(kind, None)  # from here on, the stamp no longer vouches for this kind
            try:
                written = staging[kind].commit(staged)
            except OSError as exc:
                raise _commit_error(kind, committed, kinds, exc) from exc
            committed.append(kind)
            folder = staging[kind].destination
            for name, rewritten in written.items():
                (report.written if rewritten else report.unchanged).append(folder / name)
            stamp[kind] = {"fingerprint": fingerprint,
                           "files": file_hashes([folder / name for name in written])}  # fmt: skip
        stamp["figure_inputs"] = products.get("figure inputs", stamp.get("figure_inputs", {}))
        report.segmented = products["segmented"]
    finally:
        for box in staging.values():
            box.discard()
        if use_cache and committed:  # last, and only for the outputs this build moved in
            write_stamp(out_dir, stamp)
    report.seconds = time.perf_counter() - start
    return report


def _commit_error(kind: str, committed: list[str], kinds: list[str], exc: OSError) -> OutputError:
    """What a build that could not move all its outputs into place says about each kind."""
    left = [k for k in kinds if k not in committed]
    done = f"{', '.join(committed)} are from this build; " if committed else ""
    return OutputError(f"could not move the new {kind} into place ({exc.strerror}: "
                       f"{exc.filename}); {done}{', '.join(left)} may mix this build's files "
                       "with the previous build's; run the build again")  # fmt: skip


def _timer(report: BuildReport, progress: Callable[[str], None] | None):
    """The pipeline's progress callback: announce each step, record its seconds."""
    began: dict[str, float] = {}

    def note(name: str, event: str, at: float) -> None:
        if event == "start":
            began[name] = at
            if progress:
                progress(name)
        else:
            report.timings[name] = at - began[name]

    return note


def analysis_steps(*, raw_dir: Path, jobs: int, backend: Backend, cache_dir: Path | None,
                   preload: bool = True, reference: str | None = None,
                   kept_from: Path | None = None) -> list[Step]:  # fmt: skip
    """The steps that make the tables, each making the tables the registry says it makes.

    ``corpus`` and ``tokens`` run in this process (they spread their own work over ``jobs``
    worker processes); the tokens step loads the analysis libraries while the documents are
    segmented, so the steps forked after it inherit them. The corpus step also settles the
    reference document (:func:`reference_doc_id`), so a registry without one stops the build
    before anything is segmented. Without hand labels, the validation keeps the tables in
    ``kept_from`` (the output folder) that the last build with labels wrote.
    """

    from .cache import cached_tokens
    from .corpus import load_corpus

    def corpus() -> dict:
        loaded = load_corpus(raw_dir, jobs=jobs)
        return {"corpus": loaded, "reference": reference_doc_id(loaded.documents, reference),
                **corpus_tables(loaded)}  # fmt: skip

    def tokens(corpus: Corpus, reference: str) -> dict:
        table, segmented = cached_tokens(corpus.sentences, cache_dir, backend=backend, jobs=jobs,
                                         while_waiting=partial(_load_analysis_libraries, preload),
                                         progress=_tqdm())  # fmt: skip
        table = flagged_tokens(table, corpus.documents)
        return {"tokens": table, "segmented": segmented,
                "provenance": provenance(corpus, table, {"backend": backend,
                                                         "reference": reference})}  # fmt: skip

    def step(name: str, function: Callable, needs: tuple[str, ...]) -> Step:
        return Step(name, function, needs, tuple(t.name for t in TABLES if t.step == name))

    return [
        Step("corpus", corpus, (), ("corpus", "reference",
                                    *(t.name for t in TABLES if t.step == "corpus")), here=True),
        Step("tokens", tokens, ("corpus", "reference"), ("tokens", "segmented", "provenance"),
             here=True),
        step("alignment", partial(alignment_tables, kept_from=kept_from), ("corpus", "tokens")),
        step("keywords", frequency_tables, ("corpus", "tokens")),
        step("keyness", keyness_tables, ("corpus", "tokens", "reference")),
        step("concepts", concept_tables, ("corpus", "tokens", "reference")),
        step("collocations", collocation_tables, ("tokens",)),
        step("policy_tools", partial(policy_tool_tables, kept_from=kept_from), ("corpus",)),
        step("themes", theme_tables, ("corpus", "tokens")),
        step("similarity", document_tables, ("corpus", "tokens")),
        step("reuse", reuse_tables, ("corpus",)),
        step("targets", target_tables, ("corpus",)),
        step("pmc", pmc_tables, ("corpus", "targets")),
    ]  # fmt: skip


def output_steps(kinds: list[str], staging: dict[str, Staging], *, stamp: dict,
                 formats: tuple[str, ...]) -> list[Step]:  # fmt: skip
    """The steps that write the outputs of ``kinds`` into their staging folders: the CSVs of
    each table step, the workbook, each figure (unless its data did not change since the
    figure was last drawn), and one step gathering each kind's staged files."""
    steps: list[Step] = []
    # the runner starts ready steps in the order they are listed: the longest first (at scale
    # the workbook and the token CSV, then the slowest figures)
    producers = list(dict.fromkeys(t.step for t in TABLES))
    if "workbook" in kinds:
        needs = tuple(t.name for t in TABLES if t.sheet) + ("provenance",)
        steps.append(Step("workbook", partial(_stage_workbook, staging["workbook"]), needs,
                          ("workbook",)))  # fmt: skip
        steps.append(_gather("workbook", ("workbook",)))
    if "tables" in kinds:
        for producer in sorted(producers, key=lambda p: p != "tokens"):
            made = tuple(t.name for t in TABLES if t.step == producer)
            steps.append(Step(f"csv {producer}", partial(_stage_csvs, staging["tables"], made),
                              made, (f"csv {producer}",)))  # fmt: skip
            if producer == "tokens" and "figures" in kinds:
                steps += _figure_steps(staging["figures"], stamp, formats)
        steps.append(Step("provenance.json", partial(_stage_provenance, staging["tables"]),
                          ("provenance",), ("provenance.json",), here=True))  # fmt: skip
        steps.append(_gather("tables", (*(f"csv {p}" for p in producers), "provenance.json")))
    elif "figures" in kinds:
        steps += _figure_steps(staging["figures"], stamp, formats)
    return steps


def _figure_steps(staging: Staging, stamp: dict, formats: tuple[str, ...]) -> list[Step]:
    """A step per figure (the slowest first), one gathering their files, one their inputs."""
    recorded = stamp.get("figures", {}).get("files", {}), stamp.get("figure_inputs", {})
    steps = [Step(f"figure {spec.stem}", partial(_stage_figure, staging, spec, formats, recorded),
                  (*spec.tables, "reference"), (f"figure {spec.stem}",))
             for spec in sorted(FIGURES, key=lambda f: f.stem not in SLOW_FIGURES)]  # fmt: skip
    drawn = tuple(f"figure {spec.stem}" for spec in FIGURES)
    return [
        *steps,
        _gather("figures", drawn),
        Step("figure inputs", _figure_inputs, drawn, ("figure inputs",), here=True),
    ]


def _gather(kind: str, names: tuple[str, ...]) -> Step:
    """A step collecting the staged files (name to path, or None if unchanged) of ``kind``."""
    return Step(f"gather {kind}", partial(_staged_files, kind), names, (f"staged {kind}",),
                here=True)  # fmt: skip


def _staged_files(kind: str, **results: dict) -> dict:
    files = {}
    for result in results.values():
        files.update(result.get("files", result))  # a figure's result also holds its inputs
    return {f"staged {kind}": files}


def _figure_inputs(**results: dict) -> dict:
    """The data hash each figure was drawn from (recorded in the stamp)."""
    return {"figure inputs": {name.removeprefix("figure "): result["inputs"]
                              for name, result in results.items()}}  # fmt: skip


def _stage_csvs(staging: Staging, names: tuple[str, ...], **tables: pd.DataFrame) -> dict:
    from .registry import table
    from .tables import csv_bytes

    staged = {}
    for name in names:
        expected = table(name).column_names
        if tables[name].columns.tolist() != expected:  # the registry is the contract
            raise PipelineError(f"table {name!r} has columns {tables[name].columns.tolist()}, "
                                f"the registry declares {expected}")  # fmt: skip
        staged[f"{name}.csv"] = staging.stage(f"{name}.csv", csv_bytes(tables[name]))
        if table(name).exports:  # further files made from the table (GEXF networks)
            module, function = table(name).exports.split(":")
            for file_name, data in getattr(_module(module), function)(tables[name]).items():
                staged[file_name] = staging.stage(file_name, data)
    return {f"csv {table(names[0]).step}": staged}


def _stage_provenance(staging: Staging, provenance: dict) -> dict:
    text = json.dumps(provenance, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return {"provenance.json": {PROVENANCE_NAME: staging.stage(PROVENANCE_NAME, text.encode())}}


def _stage_workbook(staging: Staging, provenance: dict, **tables: pd.DataFrame) -> dict:
    from .workbook import comparison_workbook_bytes

    data = comparison_workbook_bytes(tables, provenance=provenance)
    return {"workbook": {WORKBOOK_NAME: staging.stage(WORKBOOK_NAME, data)}}


def _stage_figure(staging: Staging, spec: Figure, formats: tuple[str, ...], recorded: tuple, *,
                  reference: str, **tables: pd.DataFrame) -> dict:  # fmt: skip
    """Draw and stage one figure, unless the data it draws and its files are as last time."""
    from .figures import figure_data, figure_files, figure_input_hash, render_figure

    data = figure_data(spec, tables, reference=reference)
    digest = figure_input_hash(spec, data)
    files, drawn_from = recorded
    paths = [staging.destination / name for name in figure_files(spec, formats)]
    if drawn_from.get(spec.stem) == digest and file_hashes(paths) == {
            str(p): files.get(str(p)) for p in paths}:  # fmt: skip
        staged = dict.fromkeys(figure_files(spec, formats))  # up to date: not redrawn
    else:
        staged = {name: staging.stage(name, payload)
                  for name, payload in render_figure(spec, data, formats=formats).items()}  # fmt: skip
    return {f"figure {spec.stem}": {"files": staged, "inputs": digest}}


def _load_analysis_libraries(figures: bool) -> None:
    for name in ANALYSIS_MODULES + (("figures",) if figures else ()):
        _module(name)
    if figures:  # once, so forked figure steps inherit the font, parsed
        _module("figures").warm_up()


def _module(name: str):
    return importlib.import_module(f".{name}", __package__)


def _tqdm():
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return lambda iterable, **kw: tqdm(iterable, disable=None, leave=False, **kw)


def corpus_tables(corpus: Corpus) -> dict[str, pd.DataFrame]:
    """The corpus tables keyed by table name."""
    return {"documents": corpus.documents, "sections": corpus.sections,
            "sentences": corpus.sentences, "removed": corpus.removed}  # fmt: skip


def provenance(corpus: Corpus, tokens: pd.DataFrame, parameters: dict) -> dict:
    """What produced the outputs: package versions, segmenter, resources and inputs.

    No time stamps, so identical inputs give an identical record.
    """
    return {
        "packages": package_versions(parameters["backend"]),
        "segmenter": tokens.attrs.get("segmenter", {}),
        "parameters": parameters,
        "inputs": {row.source_file: row.sha256 for row in corpus.documents.itertuples()},
    }


def reference_doc_id(documents: pd.DataFrame, reference: str | None = None) -> str:
    """The document keyness compares with: ``reference`` if given, else the first document of
    the registry whose ``level`` is national.

    Raises
    ------
    analysis.errors.RegistryError
        If ``reference`` is not a registered document, or none is given and no document is
        national.
    """
    doc_ids = list(documents["doc_id"])
    if reference is not None:
        if reference not in doc_ids:
            raise RegistryError(f"reference {reference!r} is not a registered document "
                                f"(documents: {', '.join(doc_ids)})")  # fmt: skip
        return reference
    national = national_doc_ids(documents)
    if not national:
        raise RegistryError(f"{config.REGISTRY_NAME}: no document has level 'national'; the "
                            "comparison needs one (or name a reference document)")  # fmt: skip
    return national[0]


def national_doc_ids(documents: pd.DataFrame) -> tuple[str, ...]:
    """The documents provincial ones are compared with: registry ``level`` national."""
    return tuple(documents.loc[documents["level"] == "national", "doc_id"])


def flagged_tokens(tokens: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """``tokens`` with its ``is_self_reference`` column (added unless it is there already)."""
    from .self_reference import flag_self_references

    if "is_self_reference" in tokens.columns:
        return tokens
    return flag_self_references(tokens, documents, term_column="token")


def frequency_tables(corpus: Corpus, tokens: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Content-word frequencies per document."""
    from .keywords import keywords_table

    return {"keywords": keywords_table(flagged_tokens(tokens, corpus.documents))}


def keyness_tables(corpus: Corpus, tokens: pd.DataFrame,
                   reference: str | None = None) -> dict[str, pd.DataFrame]:  # fmt: skip
    """Keyness against the reference document (default :func:`reference_doc_id`) and all
    others pooled, and its section test."""
    from .keyness import keyness_sections_table, keyness_table

    tokens = flagged_tokens(tokens, corpus.documents)
    keyness = keyness_table(tokens, reference=reference_doc_id(corpus.documents, reference))
    return {"keyness": keyness,
            "keyness_sections": keyness_sections_table(tokens, corpus.sentences, keyness)}  # fmt: skip


def concept_tables(corpus: Corpus, tokens: pd.DataFrame,
                   reference: str | None = None) -> dict[str, pd.DataFrame]:  # fmt: skip
    """The tables counted on concept-merged tokens (made once for all three): concept counts
    per document, keyness against the reference (default :func:`reference_doc_id`), and the
    co-occurrence pairs per document and per document group."""
    from .concepts import concept_keyness_table, concept_tokens_table, concepts_table
    from .cooccurrence import cooccurrence_table

    merged = concept_tokens_table(flagged_tokens(tokens, corpus.documents))
    reference = reference_doc_id(corpus.documents, reference)
    return {
        "concepts": concepts_table(merged),
        "concept_keyness": concept_keyness_table(merged, reference=reference),
        "cooccurrence": cooccurrence_table(merged, corpus.documents),
    }


def collocation_tables(tokens: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Multiword term candidates (collocations)."""
    from .collocations import term_candidates_table

    return {"term_candidates": term_candidates_table(tokens)}


def policy_tool_tables(
    corpus: Corpus, *, gold_path: str | Path | None = None, kept_from: Path | None = None
) -> dict[str, pd.DataFrame]:
    """Policy-tool codes of every plan-body sentence, and their validation against the
    hand-coded sentences (without them: the last validation in ``kept_from``, or skipped).

    Parameters
    ----------
    corpus : Corpus
        The corpus.
    gold_path : str or pathlib.Path, optional
        The hand-coded sentences (default: ``policy_tools_dev.json`` in
        :func:`analysis.config.gold_dir`).
    kept_from : pathlib.Path, optional
        The output folder, whose validation table a build without the labels keeps
        (:func:`analysis.validation.kept_validation`).
    """
    from .policy_tools import (
        load_policy_tool_gold,
        policy_tool_areas_table,
        policy_tool_mix_test_table,
        policy_tool_summary_table,
        policy_tools_table,
        policy_tools_validation_table,
    )
    from .resources import load_themes
    from .validation import kept_validation

    themes = load_themes()
    coded = policy_tools_table(corpus.sentences, corpus.sections, themes=themes)
    gold_path = Path(gold_path) if gold_path is not None else \
        config.gold_dir() / config.POLICY_TOOLS_GOLD_NAME  # fmt: skip
    gold = load_policy_tool_gold(gold_path)
    kept = kept_validation(kept_from, ("policy_tools_validation",)) if gold is None else None
    if gold is None and kept is None:
        log.warning("policy-tool validation skipped: no hand labels at %s", gold_path)
    return {"policy_tools": coded,
            "policy_tool_summary": policy_tool_summary_table(coded),
            "policy_tool_areas": policy_tool_areas_table(coded, corpus.documents, themes),
            "policy_tool_mix_test": policy_tool_mix_test_table(coded, corpus.documents),
            "policy_tools_validation": kept["policy_tools_validation"] if kept else
            policy_tools_validation_table(coded, gold, source=gold_path.name)}  # fmt: skip


def pmc_tables(corpus: Corpus, targets: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The PMC index: every document scored on the variables of ``resources/pmc.toml``."""
    from .pmc import pmc_table, pmc_variables_table
    from .resources import load_pmc_scheme

    scheme, grades = load_pmc_scheme()
    variables = pmc_variables_table(corpus.sentences, corpus.documents, targets, scheme=scheme)
    return {"pmc_variables": variables, "pmc": pmc_table(variables, grades)}


def theme_tables(corpus: Corpus, tokens: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Theme profiles per document and per section."""
    from .resources import load_themes
    from .themes import themes_sections_table, themes_table

    themes = load_themes()
    return {"themes": themes_table(corpus.sentences, tokens, themes),
            "themes_sections": themes_sections_table(corpus.sentences, tokens, themes)}  # fmt: skip


def keyword_tables(corpus: Corpus, tokens: pd.DataFrame,
                   reference: str | None = None) -> dict[str, pd.DataFrame]:  # fmt: skip
    """Keyword frequencies, keyness (document and section level), concepts and their keyness,
    term candidates, co-occurrence networks and theme profiles: every table of the keyword
    steps, with ``tokens`` flagged for self-references."""
    tokens = flagged_tokens(tokens, corpus.documents)
    return {**frequency_tables(corpus, tokens), **keyness_tables(corpus, tokens, reference),
            **concept_tables(corpus, tokens, reference), **collocation_tables(tokens),
            **theme_tables(corpus, tokens)}  # fmt: skip


def document_tables(corpus: Corpus, tokens: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Document similarity by words and by character n-grams."""
    from .similarity import similarity_table

    return {"similarity": similarity_table(corpus.sentences, tokens)}


def reuse_tables(corpus: Corpus) -> dict[str, pd.DataFrame]:
    """Provincial sentences reusing national wording, and a summary per document."""
    from .reuse import reuse_summary_table, reuse_table

    national = national_doc_ids(corpus.documents)
    reuse = reuse_table(corpus.sentences, national_doc_ids=national)
    return {"reuse": reuse,
            "reuse_summary": reuse_summary_table(corpus.sentences, reuse, national_doc_ids=national)}  # fmt: skip


def similarity_tables(corpus: Corpus, tokens: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Document similarity, the alignment tables (:func:`alignment_tables`) and text reuse."""
    return {**document_tables(corpus, tokens), **alignment_tables(corpus, tokens),
            **reuse_tables(corpus)}  # fmt: skip


def alignment_tables(
    corpus: Corpus,
    tokens: pd.DataFrame,
    *,
    gold_path: str | Path | None = None,
    kept_from: Path | None = None,
) -> dict[str, pd.DataFrame]:
    """Alignment of provincial units to national units, coverage, novelty, echoes per document,
    method agreement, and the validation of all of it against the hand labels (skipped without them).

    Parameters
    ----------
    corpus : Corpus
        The corpus.
    tokens : pandas.DataFrame
        The ``tokens`` table.
    gold_path : str or pathlib.Path, optional
        The hand labels (default: ``alignment_dev.json`` in :func:`analysis.config.gold_dir`).
    kept_from : pathlib.Path, optional
        The output folder, whose validation tables a build without the labels keeps
        (:func:`analysis.validation.kept_validation`).
    """
    from dataclasses import replace

    from .alignment import (
        alignment_table,
        alignment_units,
        coverage_table,
        echo_summary_table,
        method_agreement_table,
        novelty_table,
        score_units,
        unit_terms,
    )
    from .resources import default_settings
    from .validation import (
        alignment_validation_table,
        kept_validation,
        load_alignment_gold,
        skipped_validation,
        validation_units_table,
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
    validation_units = empty_table("alignment_validation_units")
    kept = kept_validation(kept_from, ("alignment_validation", "alignment_validation_units")) \
        if gold is None else None  # fmt: skip
    if kept:
        validation, validation_units = kept.values()
    elif gold is None:
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
        novel = novelty["novel"].to_numpy()
        validation = alignment_validation_table(units, {"default": scores, "plain": plain}, gold,
                                                novel)  # fmt: skip
        validation_units = validation_units_table(units, scores, gold, novel)
    coverage = coverage_table(units, scores)
    return {
        "alignment": alignment_table(units, scores),
        "coverage": coverage,
        "novel_items": novelty,
        "echo_summary": echo_summary_table(coverage, novelty),
        "method_agreement": method_agreement_table(units, scores),
        "alignment_validation": validation,
        "alignment_validation_units": validation_units,
    }


def target_tables(corpus: Corpus) -> dict[str, pd.DataFrame]:
    """Quantitative targets, the skip log and the shared-indicator comparison."""
    from .targets import extract_targets, target_comparison_table

    targets, skipped = extract_targets(corpus.sentences, corpus.documents)
    return {
        "targets": targets,
        "targets_skipped": skipped,
        "target_comparison": target_comparison_table(targets, corpus.documents),
    }
