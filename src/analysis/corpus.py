"""Corpus tables: documents, sections, sentences and removed noise, from the raw folder."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import config
from .errors import RegistryError, SourceFileError
from .normalize import (
    cut_inline_noise,
    drop_noise_lines,
    is_date_line,
    load_noise_rules,
    normalize_characters,
    repair_pdf_lines,
    split_before_markers,
    split_paragraphs,
)
from .pipeline import choose_runner
from .raw import decode_file, read_registry
from .sentences import split_sentences
from .structure import (
    Piece,
    Section,
    assign_ids,
    find_toc,
    notice_title,
    parse_sections,
    split_front_matter,
    split_lead_paragraphs,
)

log = logging.getLogger(__name__)

DOCUMENT_COLUMNS = [
    "doc_id", "title", "issuer", "level", "region", "doc_type", "doc_number", "issued_date",
    "period_start", "period_end", "source_file", "sha256", "n_chars", "n_sections",
    "n_sentences", "inferred_fields", "encoding", "source_format", "notes",
]  # fmt: skip
SECTION_COLUMNS = ["doc_id", "section_id", "parent_id", "depth", "kind", "label", "heading",
                   "path", "text", "note"]  # fmt: skip
SENTENCE_COLUMNS = ["doc_id", "section_id", "sentence_id", "text", "char_start", "is_heading"]
REMOVED_COLUMNS = ["doc_id", "text", "reason"]
INFERABLE_FIELDS = ("title", "issuer", "doc_number", "issued_date")
_DOC_NUMBER_RE = re.compile(r"([\u4e00-\u9fff]{2,12}〔\d{4}〕\s*\d{1,4})\s*号")
_DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_ISSUER_RE = re.compile(r"(\S+?)关于印发")


@dataclass
class Corpus:
    """The tidy corpus tables, plus each document's clean text.

    Attributes
    ----------
    documents : pandas.DataFrame
        One row per document (columns :data:`DOCUMENT_COLUMNS`).
    sections : pandas.DataFrame
        One row per section, front matter and preamble included (:data:`SECTION_COLUMNS`).
    sentences : pandas.DataFrame
        One row per sentence of the plan body; front matter and title are not sentences
        (:data:`SENTENCE_COLUMNS`).
    removed : pandas.DataFrame
        Every line or span removed as noise, with the reason (:data:`REMOVED_COLUMNS`).
    texts : dict
        ``doc_id`` → clean text; ``char_start`` offsets point into it.
    """

    documents: pd.DataFrame
    sections: pd.DataFrame
    sentences: pd.DataFrame
    removed: pd.DataFrame
    texts: dict[str, str] = field(default_factory=dict)


@dataclass
class ParsedDocument:
    """One document cleaned and structured (:func:`parse_document`): its clean text, front matter,
    title, preamble, numbered sections and what was removed as noise, with its source format."""

    text: str
    front: list[str]
    title: str | None
    preamble: Section | None
    sections: list[Section]
    removed: list[tuple[str, str]]
    source_format: str


def load_corpus(raw_dir: str | Path | None = None, *, jobs: int = 1) -> Corpus:
    """Load every registered document and build the corpus tables.

    Parameters
    ----------
    raw_dir : str or pathlib.Path, optional
        Folder with ``documents.csv`` and the source files; defaults to ``data/raw``.
    jobs : int
        Processes to parse the files in (forked, :func:`analysis.pipeline.can_fork`, and only
        when the files hold at least :data:`PARALLEL_MIN_BYTES`); the tables do not depend on it.

    Returns
    -------
    Corpus
        ``.documents``, ``.sections``, ``.sentences``, ``.removed`` DataFrames.

    Raises
    ------
    analysis.errors.KexieError
        On a missing or malformed registry or an unreadable source file; the message names
        the file and the problem.

    Examples
    --------
    >>> corpus = load_corpus()  # doctest: +SKIP
    >>> corpus.sections.query("doc_id == 'national_2018' and kind == 'item'").shape[0]
    24
    """
    raw_dir = Path(raw_dir) if raw_dir is not None else config.RAW_DIR
    registry = read_registry(raw_dir)
    work = [(raw_dir / name, rows) for name, rows in registry.groupby("file", sort=False)]
    parsed_files = _map_files(_parse_file, work, jobs)
    order = {doc_id: i for i, doc_id in enumerate(registry["doc_id"])}
    parsed = sorted((doc for docs in parsed_files for doc in docs), key=lambda d: order[d.doc_id])
    documents = pd.DataFrame([d.document for d in parsed], columns=DOCUMENT_COLUMNS)
    for column in ("n_chars", "n_sections", "n_sentences"):
        documents[column] = documents[column].astype("int64")
    sections = pd.DataFrame([r for d in parsed for r in d.sections], columns=SECTION_COLUMNS)
    sections["depth"] = sections["depth"].astype("int64")
    sentences = pd.DataFrame([r for d in parsed for r in d.sentences], columns=SENTENCE_COLUMNS)
    sentences = sentences.astype({"sentence_id": "int64", "char_start": "int64",
                                  "is_heading": "bool"})  # fmt: skip
    removed_rows = [
        {"doc_id": d.doc_id, "text": t, "reason": r} for d in parsed for t, r in d.removed
    ]
    removed = pd.DataFrame(removed_rows, columns=REMOVED_COLUMNS)
    for line in removed.itertuples():
        log.info("%s: removed %s: %s", line.doc_id, line.reason, line.text[:80])
    return Corpus(documents, sections, sentences, removed, {d.doc_id: d.text for d in parsed})


#: Source files holding fewer bytes than this (about 200,000 Chinese characters) are parsed in
#: one process whatever ``jobs`` says: starting workers would cost more than it saves.
PARALLEL_MIN_BYTES = 600_000


def _map_files(function, work: list[tuple[Path, pd.DataFrame]], jobs: int) -> list:
    """``function(path, rows)`` for each file, in worker processes when worth it."""
    sizes = (path.stat().st_size for path, _ in work if path.is_file())
    if not (jobs > 1 and len(work) > 1 and sum(sizes) >= PARALLEL_MIN_BYTES):
        jobs = 1
    # a few chunks per worker: fewer round trips, and no worker waits long at the end
    return list(choose_runner(jobs).map(_call_with_file, [(function, *item) for item in work],
                                        chunksize=max(1, len(work) // (4 * jobs))))  # fmt: skip


def _call_with_file(arguments: tuple) -> list:
    function, path, rows = arguments
    return function(path, rows)


@dataclass
class _DocumentTables:
    """One parsed document's rows for each corpus table (what a parsing worker returns)."""

    doc_id: str
    document: dict
    sections: list[dict]
    sentences: list[dict]
    removed: list[tuple[str, str]]
    text: str


def _parse_file(path: Path, rows: pd.DataFrame) -> list[_DocumentTables]:
    """Decode one source file, cut it into its registered documents and parse each."""
    source = decode_file(path)
    lines = normalize_characters(source.text).split("\n")
    out = []
    for row, doc_lines in _split_file(path.name, rows, lines):
        parsed = parse_document(doc_lines, source_format=row["source_format"], title=row["title"])
        doc_sections = section_rows(row["doc_id"], parsed)
        doc_sentences = sentence_rows(row["doc_id"], parsed)
        if not doc_sentences:  # nothing of the plan body survived cleaning
            raise SourceFileError(_no_body_message(path, row["doc_id"], doc_lines, parsed))
        document = _document_record(row, parsed, doc_sections, doc_sentences, source.sha256,
                                    source.encoding)  # fmt: skip
        out.append(_DocumentTables(row["doc_id"], document, doc_sections, doc_sentences,
                                   parsed.removed, parsed.text))  # fmt: skip
    return out


def _no_body_message(path: Path, doc_id: str, lines: list[str], parsed: ParsedDocument) -> str:
    """Why a document has no body sentences: the noise rule that removed most of its text, or
    that the text holds no sentence at all."""
    total = sum(len(line.strip()) for line in lines)
    by_reason: dict[str, int] = {}
    for text, reason in parsed.removed:
        by_reason[reason] = by_reason.get(reason, 0) + len(text)
    message = f"{path}: document '{doc_id}' has no body sentences after cleaning"
    if by_reason:
        reason, removed = max(by_reason.items(), key=lambda item: (item[1], item[0]))
        return (f"{message}; the noise rule '{reason}' removed {removed:,} of its {total:,} "
                f"characters (see resources/noise_patterns.toml)")  # fmt: skip
    return f"{message}; its {total:,} visible characters hold no sentence"


def _split_file(name: str, rows: pd.DataFrame,
                lines: list[str]) -> list[tuple[pd.Series, list[str]]]:  # fmt: skip
    """Cut one file's lines into its registered documents at their ``starts_at`` line."""
    starts = []
    for _, row in rows.iterrows():
        marker = row["starts_at"]
        if not marker:
            starts.append(0)
            continue
        index = next((i for i, ln in enumerate(lines) if ln.strip().startswith(marker)), None)
        if index is None:
            raise RegistryError(
                f"{name}: starts_at '{marker}' of doc_id '{row['doc_id']}' matches no line"
            )
        starts.append(index)
    bounds = sorted(set(starts)) + [len(lines)]
    return [(row, lines[start:bounds[bounds.index(start) + 1]])
            for (_, row), start in zip(rows.iterrows(), starts, strict=True)]  # fmt: skip


def parse_document(
    lines: list[str], *, source_format: str = "", title: str | None = None
) -> ParsedDocument:
    """Clean and structure one document given as normalised lines."""
    rules = load_noise_rules()
    lines, removed = drop_noise_lines(lines, rules)
    lines, cut = cut_inline_noise(lines, rules)
    removed += cut
    is_pdf = source_format == "pdf" or (
        source_format == "" and any(reason == "page marker" for _, reason in removed)
    )
    if is_pdf:
        lines = repair_pdf_lines(lines)
        lines, late = drop_noise_lines(lines, rules)
        removed += late
    paragraphs = [p for line in lines if line for p in split_paragraphs(line)]
    paragraphs, toc, toc_text, toc_position = find_toc(paragraphs)
    removed += [(t, "table of contents (used to restore headings the body lacks)")
                for t in toc_text]  # fmt: skip
    # a paragraph may be noise once split off (an attachment note at a document's end)
    paragraphs, late = drop_noise_lines(paragraphs, rules)
    removed += late
    kept_position = toc_position
    if toc_position is not None:
        kept_position = sum(1 for p in paragraphs[:toc_position] if p)
    paragraphs = [p for p in paragraphs if p]
    front = split_front_matter(paragraphs, toc_position=kept_position, known_title=title or None)
    body_lines = [piece for p in front.body for piece in split_before_markers(p)]
    all_lines = front.front + ([front.title] if front.title else []) + body_lines
    text = "\n".join(all_lines)
    offset = sum(len(x) + 1 for x in front.front) + (len(front.title) + 1 if front.title else 0)
    pieces = []
    for line in body_lines:
        pieces.append(Piece(line, offset))
        offset += len(line) + 1
    preamble, sections = parse_sections(pieces, toc=toc)
    sections = split_lead_paragraphs(sections)
    assign_ids(preamble, sections)
    return ParsedDocument(
        text=text,
        front=front.front,
        title=front.title,
        preamble=preamble,
        sections=sections,
        removed=removed,
        source_format="pdf" if is_pdf else (source_format or "web/plain"),
    )


def section_rows(doc_id: str, parsed: ParsedDocument) -> list[dict]:
    """The rows of the ``sections`` table for one parsed document (:func:`parse_document`)."""
    records = []

    def add(section_id, parent_id, depth, kind, label, heading, path, text, note=""):
        records.append(dict(doc_id=doc_id, section_id=section_id, parent_id=parent_id,
                            depth=depth, kind=kind, label=label, heading=heading, path=path,
                            text=text, note=note))  # fmt: skip

    if parsed.front:
        add("FM", "", 1, "front_matter", "", "", "front matter", "\n".join(parsed.front))
    if parsed.title:
        add("T", "", 1, "title", "", parsed.title, "title", "")
    if parsed.preamble is not None:
        p = parsed.preamble
        add("PRE", "", 1, "preamble", "", p.heading, p.heading or "preamble", p.text)
    for s in parsed.sections:
        add(s.section_id, s.parent.section_id if s.parent else "", s.depth, s.kind, s.label,
            s.heading, s.path, s.text, s.note)  # fmt: skip
    return records


def sentence_rows(doc_id: str, parsed: ParsedDocument) -> list[dict]:
    """The rows of the ``sentences`` table for one parsed document, in document order (a
    restored part's introduction sits where it was)."""
    units: list[tuple[int, str, str, bool]] = []
    ordered = ([parsed.preamble] if parsed.preamble is not None else []) + parsed.sections
    for section in ordered:
        if section.heading and section.heading_offset is not None:
            units.append((section.heading_offset, section.section_id, section.heading, True))
        for piece in section.body:
            units.extend((piece.offset + start, section.section_id, text, False)
                         for text, start in split_sentences(piece.text))  # fmt: skip
    units.sort(key=lambda unit: unit[0])
    return [dict(doc_id=doc_id, section_id=section_id, sentence_id=number, text=text,
                 char_start=start, is_heading=is_heading)
            for number, (start, section_id, text, is_heading) in enumerate(units, start=1)]  # fmt: skip


def _document_record(
    row: pd.Series,
    parsed: ParsedDocument,
    sections: list[dict],
    sentences: list[dict],
    sha256: str,
    encoding: str,
) -> dict:
    inferred_values = infer_metadata(parsed.front, parsed.title)
    values, inferred = {}, []
    for name in INFERABLE_FIELDS:
        values[name] = row[name]
        if not row[name] and inferred_values.get(name):
            values[name] = inferred_values[name]
            inferred.append(name)
    numbered = [s for s in sections if s["kind"] not in ("front_matter", "title", "preamble")]
    return dict(
        doc_id=row["doc_id"], title=values["title"], issuer=values["issuer"],
        level=row["level"], region=row["region"], doc_type=row["doc_type"],
        doc_number=values["doc_number"], issued_date=values["issued_date"],
        period_start=row["period_start"], period_end=row["period_end"],
        source_file=row["file"], sha256=sha256,
        n_chars=sum(len(s["text"]) for s in sentences), n_sections=len(numbered),
        n_sentences=len(sentences), inferred_fields=";".join(inferred), encoding=encoding,
        source_format=parsed.source_format, notes=row["notes"],
    )  # fmt: skip


def infer_metadata(front: list[str], title: str | None) -> dict[str, str]:
    """Infer title, issuer, 文号 and issue date from a document's front matter.

    Parameters
    ----------
    front : list of str
        The notice wrapper's paragraphs (may be empty).
    title : str or None
        The title line found after the notice, if any.

    Returns
    -------
    dict
        Keys among ``title``, ``issuer``, ``doc_number``, ``issued_date`` (ISO ``YYYY-MM-DD``)
        for the values the text states; absent keys were not found.
    """
    found: dict[str, str] = {}
    joined = "\n".join(front)
    named = notice_title(front)
    if named or title:
        found["title"] = named or re.sub(r"\s+", "", title or "")
    number = _DOC_NUMBER_RE.search(joined)
    if number:
        found["doc_number"] = re.sub(r"\s+", "", number.group(1)) + "号"
    date_index = next((i for i, p in enumerate(front) if is_date_line(p)), None)
    if date_index is not None:
        y, m, d = _DATE_RE.search(front[date_index]).groups()
        found["issued_date"] = f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
    issuer = _ISSUER_RE.search(joined)
    if issuer:
        found["issuer"] = issuer.group(1).split()[-1]
    elif date_index is not None:
        signature = _DATE_RE.split(front[date_index])[0].strip()
        if not signature and date_index > 0:
            signature = front[date_index - 1].strip()
        if signature and len(signature) <= 30 and "。" not in signature:
            found["issuer"] = signature
    return found
