"""Document structure: table of contents, front matter, title and the numbered heading tree.

Input is the list of clean paragraphs of one document (see :mod:`analysis.normalize`); output
is a list of :class:`Section` records, each with its own heading and body text, which
:mod:`analysis.corpus` turns into the ``sections`` table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .normalize import (
    MARKER_RE,
    is_date_line,
    split_before_markers,
    starts_with_marker,
)
from .numbers import chinese_to_int
from .resources import heading_starters, standalone_headings

#: Nesting rank of each numbered kind (smaller = higher in the tree).
KIND_RANK = {"chapter": 0, "section": 1, "part": 2, "subpart": 3, "item": 4, "subitem": 5,
             "paragraph": 5, "lead": 6}  # fmt: skip
ID_PREFIX = {"chapter": "CH", "section": "SE", "part": "P", "subpart": "S", "item": "I",
             "subitem": "SI", "paragraph": "PG", "lead": "L"}  # fmt: skip
#: Kinds that are not numbered headings.
UNNUMBERED_KINDS = ("front_matter", "title", "preamble")
_TOC_MIN_ENTRIES = 5
#: A lead sentence (聚焦政治靶心。) has at most this many characters before its 。 …
LEAD_SENTENCE_MAX_CHARS = 32
#: … and a section is split into lead paragraphs only when it holds at least this many.
MIN_LEAD_PARAGRAPHS = 2
# a short sentence without commas, semicolons or colons, ended by 。 and followed by more text
_LEAD_SENTENCE_RE = re.compile(rf"([^,;:。!?]{{2,{LEAD_SENTENCE_MAX_CHARS}}})。(?=\s*\S)")
_LONG_HEADING = 24
_TITLE_END_RE = re.compile(
    r".{4,60}(规划纲要|规划|方案|要点|计划|纲要|意见|办法|通知)(\s*\([^)]{4,20}\))?"
)
_NOTICE_RE = re.compile(r"关于印发.*通知|的通知")
_NOTICE_TITLE_RE = re.compile(r"关于印发\s*《(.+?)》\s*的通知")
_TOC_MARKER_RE = re.compile(
    r"(?:^|\s)(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d{1,2}\.(?!\d))(?=\S)"
)


@dataclass
class Piece:
    """A span of the document's clean text: its characters and where they start."""

    text: str
    offset: int


@dataclass
class Section:
    """One node of a document's heading tree."""

    kind: str
    label: str
    number: int | None
    heading: str
    heading_offset: int | None
    parent: Section | None = None
    body: list[Piece] = field(default_factory=list)
    note: str = ""
    pieces_from_heading_line: int = 0
    complete: bool = False
    section_id: str = ""
    path: str = ""
    depth: int = 0

    @property
    def rank(self) -> int:
        return KIND_RANK.get(self.kind, -1)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.body)


@dataclass(frozen=True)
class TocEntry:
    """An entry of a table of contents printed inside a document."""

    kind: str
    label: str
    number: int | None
    heading: str


def classify_marker(marker: str) -> tuple[str, str, int | None]:
    """Return ``(kind, label, number)`` for a heading marker such as ``三、`` or ``(12)``.

    Parameters
    ----------
    marker : str
        The marker text as matched by :data:`analysis.normalize.MARKER_RE`.

    Returns
    -------
    tuple
        ``kind`` (chapter, section, part, subpart, item, subitem, lead), ``label`` as printed
        (``三``, ``一``, ``12``) and its integer value (None for leads).
    """
    if marker.startswith("——"):
        return "lead", "——", None
    if marker.startswith("第"):
        label = marker[1:-1]
        kind = "chapter" if marker.endswith("章") else "section"
        return kind, label, _to_int(label)
    if marker.startswith("("):
        label = marker[1:-1]
        kind = "subitem" if label.isdigit() else "subpart"
        return kind, label, _to_int(label)
    label = marker[:-1]
    kind = "item" if label.isdigit() else "part"
    return kind, label, _to_int(label)


def _to_int(label: str) -> int | None:
    return int(label) if label.isdigit() else chinese_to_int(label)


def find_toc(paragraphs: list[str]) -> tuple[list[str], list[TocEntry], list[str], int | None]:
    """Find a table of contents printed inline, and cut it out of the paragraphs.

    A TOC is a paragraph without a sentence end that holds at least five heading markers,
    each after white space. Text before its first marker (a title, in the national action
    plan) stays as a paragraph of its own.

    Parameters
    ----------
    paragraphs : list of str
        The document's paragraphs.

    Returns
    -------
    paragraphs : list of str
        The paragraphs without the TOC.
    entries : list of TocEntry
        The TOC's entries in order (empty if there is none).
    removed : list of str
        The TOC text, for ``removed.csv``.
    position : int or None
        Index in the returned paragraphs where the TOC stood.
    """
    kept: list[str] = []
    entries: list[TocEntry] = []
    removed: list[str] = []
    position = None
    for paragraph in paragraphs:
        markers = list(_TOC_MARKER_RE.finditer(paragraph))
        if position is None and len(markers) >= _TOC_MIN_ENTRIES and "。" not in paragraph:
            first = markers[0].start()
            prefix = paragraph[:first].strip()
            if prefix:
                kept.append(prefix)
            position = len(kept)
            toc_text = paragraph[first:].strip()
            removed.append(toc_text)
            entries = parse_toc(toc_text)
        else:
            kept.append(paragraph)
    return kept, entries, removed, position


def parse_toc(toc_text: str) -> list[TocEntry]:
    """Parse the entries of an inline table of contents.

    Parameters
    ----------
    toc_text : str
        Text starting at the first marker, e.g. ``一、发展背景和形势 二、… 1.开展…``.

    Returns
    -------
    list of TocEntry
        One entry per marker, heading cut at the first white space; a doubled closing
        bracket (the misprint ``(三))发展目标``) is tolerated.
    """
    entries = []
    for chunk in split_before_markers(toc_text):
        match = MARKER_RE.match(chunk)
        if not match:
            continue
        kind, label, number = classify_marker(match.group())
        heading = chunk[match.end() :].lstrip(")").split()[0] if chunk[match.end() :] else ""
        entries.append(TocEntry(kind=kind, label=label, number=number, heading=heading))
    return entries


@dataclass
class FrontMatter:
    """The notice wrapper, the document title and the remaining body paragraphs."""

    front: list[str]
    title: str | None
    body: list[str]


def split_front_matter(
    paragraphs: list[str], *, toc_position: int | None, known_title: str | None = None
) -> FrontMatter:
    """Separate the notice wrapper (关于印发…的通知, addressees, signature, date) and the title.

    Parameters
    ----------
    paragraphs : list of str
        The document's paragraphs, TOC already cut out.
    toc_position : int or None
        Where the TOC stood: the notice ends there at the latest.
    known_title : str, optional
        The registry title, used to recognise the title line.

    Returns
    -------
    FrontMatter
        ``front`` paragraphs (empty when the copy has no notice), the title line if one was
        found, and the body paragraphs.
    """
    end = 0
    if any(_NOTICE_RE.search(p) for p in paragraphs[:3]):
        end = len(paragraphs)
        for index, paragraph in enumerate(paragraphs):
            if toc_position is not None and index >= toc_position:
                end = index
                break
            if index > 0 and starts_with_marker(paragraph):
                end = index
                break
            if is_date_line(paragraph):
                end = index + 1
                break
    front, rest = paragraphs[:end], paragraphs[end:]
    title_candidates = [t for t in (notice_title(front), known_title) if t]
    title = None
    if rest:
        first = rest[0]
        for candidate in title_candidates:
            cut = _prefix_ignoring_spaces(first, candidate)
            if cut is not None:
                title, remainder = first[:cut].strip(), first[cut:].strip()
                rest = ([remainder] if remainder else []) + rest[1:]
                break
        else:
            if (
                "。" not in first
                and not starts_with_marker(first)
                and first not in standalone_headings()
                and _TITLE_END_RE.fullmatch(first)
            ):
                title, rest = first, rest[1:]
    return FrontMatter(front=front, title=title, body=rest)


def notice_title(front: list[str]) -> str | None:
    """The title named by a notice ``关于印发《X》的通知``, spaces removed, or None."""
    match = _NOTICE_TITLE_RE.search(" ".join(front))
    return re.sub(r"\s+", "", match.group(1)) if match else None


def _prefix_ignoring_spaces(text: str, prefix: str) -> int | None:
    """Length of the prefix of ``text`` that spells ``prefix`` once spaces are ignored."""
    target = re.sub(r"\s+", "", prefix)
    matched = 0
    for index, ch in enumerate(text):
        if matched == len(target):
            return index
        if ch.isspace():
            continue
        if ch != target[matched]:
            return None
        matched += 1
    return len(text) if matched == len(target) else None


def parse_sections(
    pieces: list[Piece], *, toc: list[TocEntry] | None = None
) -> tuple[Section | None, list[Section]]:
    """Build the heading tree of a document body.

    Parameters
    ----------
    pieces : list of Piece
        Body paragraphs (front matter and title excluded) with their offsets.
    toc : list of TocEntry, optional
        The document's own table of contents. A part that the TOC lists but the body lacks
        is restored where its first item begins, with the paragraphs between the previous
        item and that item as its introduction.

    Returns
    -------
    preamble : Section or None
        Text before the first numbered heading (with its heading if it opens with 序言 …).
    sections : list of Section
        Numbered sections in document order, ``parent`` links set.
    """
    toc_parent = _toc_item_parents(toc or [])
    seen_parts: set[int] = set()
    stack: list[Section] = []
    sections: list[Section] = []
    preamble: Section | None = None
    last_number: dict[tuple[str, int | None], int] = {}
    last_item_number = 0
    queue = list(pieces)
    standalone = set(standalone_headings())
    while queue:
        piece = queue.pop(0)
        match = MARKER_RE.match(piece.text)
        if not match:
            if stack and stack[-1].kind == "lead" and stack[-1].complete:
                stack.pop()
            if stack:
                stack[-1].body.append(piece)
                if stack[-1].kind == "lead":
                    stack[-1].complete = True
                continue
            if preamble is None:
                preamble = Section("preamble", "", None, "", None)
                if piece.text in standalone:
                    preamble.heading, preamble.heading_offset = piece.text, piece.offset
                    continue
            preamble.body.append(piece)
            continue
        kind, label, number = classify_marker(match.group())
        rest = Piece(piece.text[match.end() :], piece.offset + match.end())
        heading, body, tail = _extract_heading(kind, rest)
        if tail is not None:
            queue.insert(0, tail)
        if kind == "item" and number in toc_parent:
            part_label, part_number, part_heading = toc_parent[number]
            current_part = next((s for s in reversed(stack) if s.kind == "part"), None)
            if part_number not in seen_parts and (
                current_part is None or current_part.number != part_number
            ):
                restored = Section("part", part_label, part_number, part_heading, None)
                restored.note = "heading restored from the document's table of contents"
                if stack:
                    donor = stack[-1]
                    restored.body = donor.body[donor.pieces_from_heading_line :]
                    del donor.body[donor.pieces_from_heading_line :]
                _open(restored, stack, sections, last_number, seen_parts)
        if kind == "item":
            expected = {last_item_number + 1, 1}
            if number not in expected:
                heading_note = f"numbered {label}; previous item was {last_item_number}"
            else:
                heading_note = ""
            last_item_number = number or last_item_number
        else:
            heading_note = ""
        section = Section(kind, label, number, heading.text, heading.offset)
        section.note = heading_note
        if body is not None:
            section.body.append(body)
            section.pieces_from_heading_line = 1
            section.complete = True
        _open(section, stack, sections, last_number, seen_parts)
    return preamble, sections


def _open(
    section: Section,
    stack: list[Section],
    sections: list[Section],
    last_number: dict[tuple[str, int | None], int],
    seen_parts: set[int],
) -> None:
    while stack and stack[-1].rank >= section.rank:
        stack.pop()
    section.parent = stack[-1] if stack else None
    if section.kind in ("part", "chapter", "section", "subpart", "subitem"):
        key = (section.kind, id(section.parent))
        expected = last_number.get(key, 0) + 1
        if section.number is not None and section.number != expected and not section.note:
            section.note = f"numbered {section.label} in the document; position {expected}"
            section.number = expected
        last_number[key] = section.number if section.number is not None else expected
    if section.kind == "part" and section.number is not None:
        seen_parts.add(section.number)
    stack.append(section)
    sections.append(section)


def _toc_item_parents(toc: list[TocEntry]) -> dict[int, tuple[str, int, str]]:
    parents: dict[int, tuple[str, int, str]] = {}
    part: TocEntry | None = None
    for entry in toc:
        if entry.kind == "part":
            part = entry
        elif entry.kind == "item" and part is not None and entry.number is not None:
            parents[entry.number] = (part.label, part.number or 0, part.heading)
    return parents


def _extract_heading(kind: str, rest: Piece) -> tuple[Piece, Piece | None, Piece | None]:
    """Split the text after a marker into heading, body on the same line, and a tail line.

    The tail is an inline lower-level marker that PDF extraction ran into the heading
    (``二、指导思想和主要目标(一)指导思想。``): it is parsed as a line of its own.
    """
    text = rest.text.lstrip()
    offset = rest.offset + (len(rest.text) - len(text))
    first_stop = text.find("。")
    pre = text if first_stop < 0 else text[:first_stop]
    if kind not in ("item", "subitem", "lead"):
        inline = re.search(r"\([一二三四五六七八九十]+\)|——(?!—)", pre)
        if inline and inline.start() > 0 and "“" not in pre[: inline.start()]:
            head = text[: inline.start()].strip()
            tail = Piece(text[inline.start() :], offset + inline.start())
            return Piece(head, offset), None, tail
        space = re.search(r"\s+", pre)
        if space and "," not in pre[: space.start()]:
            head = text[: space.start()]
            body_start = space.end()
            return Piece(head, offset), _piece(text[body_start:], offset + body_start), None
        if first_stop >= 0 and (len(pre) > _LONG_HEADING or "," in pre):
            cut = _starter_cut(pre)
            if cut is not None:
                return Piece(text[:cut], offset), _piece(text[cut:], offset + cut), None
    if first_stop < 0:
        return Piece(text.strip(), offset), None, None
    body_start = first_stop + 1
    return Piece(pre.strip(), offset), _piece(text[body_start:], offset + body_start), None


def _starter_cut(pre: str) -> int | None:
    comma = pre.find(",")
    limit = comma if comma >= 0 else len(pre)
    candidates = [pre.find("“", 4)] + [pre.find(w, 4) for w in heading_starters()]
    found = [c for c in candidates if 0 <= c < limit]
    return min(found) if found else None


def _piece(text: str, offset: int) -> Piece | None:
    stripped = text.strip()
    if not stripped:
        return None
    return Piece(stripped, offset + (len(text) - len(text.lstrip())))


def split_lead_paragraphs(sections: list[Section]) -> list[Section]:
    """Split sections that bundle several sub-tasks, each a paragraph opened by a lead sentence.

    Some plans write a numbered measure as a run of paragraphs, each opened by a short lead
    sentence that names a sub-task (聚焦政治靶心。… 全面加强科协组织党的建设。… 弘扬科学家精神。…,
    often bold in the original). Each such paragraph becomes a child section of kind
    ``paragraph``: its heading is the lead sentence (without 。), its body the rest of the
    paragraph. A section is split when it has no children, holds at least
    :data:`MIN_LEAD_PARAGRAPHS` paragraphs opened by a lead sentence (at most
    :data:`LEAD_SENTENCE_MAX_CHARS` characters, no comma, semicolon or colon), and every
    paragraph but the first is one (a first paragraph without a lead stays the section's
    introduction). A PDF copy whose paragraphs are single sentences is never split: a lead
    sentence must be followed by more text in its paragraph.

    Parameters
    ----------
    sections : list of Section
        Numbered sections in document order, ``parent`` links set (:func:`parse_sections`).

    Returns
    -------
    list of Section
        The sections with the new ``paragraph`` sections after their parent, in document order.
        The split sections keep only their introduction (if any) as their own body.
    """
    parents = {id(s.parent) for s in sections if s.parent is not None}
    out: list[Section] = []
    for section in sections:
        out.append(section)
        if id(section) in parents or section.kind == "lead":
            continue
        leads = [_LEAD_SENTENCE_RE.match(piece.text) for piece in section.body]
        found = sum(1 for lead in leads if lead)
        if found < MIN_LEAD_PARAGRAPHS or not all(leads[1:]):
            continue
        led = [(piece, lead) for piece, lead in zip(section.body, leads, strict=True) if lead]
        for number, (piece, lead) in enumerate(led, start=1):
            child = Section("paragraph", str(number), number, lead.group(1).strip(), piece.offset)
            child.parent = section
            rest = _piece(piece.text[lead.end() :], piece.offset + lead.end())
            child.body = [rest] if rest is not None else []
            out.append(child)
        section.body = [] if leads[0] else section.body[:1]
    return out


def assign_ids(preamble: Section | None, sections: list[Section]) -> None:
    """Give every section its ``section_id``, ``path`` and ``depth`` (in place).

    ``section_id`` joins one component per level: a kind prefix and the number
    (``P3.S2.I6`` = part 三, subpart (二), item 6); leads are numbered by position.
    """
    if preamble is not None:
        preamble.section_id, preamble.path, preamble.depth = "PRE", preamble.heading, 1
    used: dict[str, set[str]] = {}
    lead_counts: dict[int, int] = {}
    for section in sections:
        parent = section.parent
        parent_id = parent.section_id if parent else ""
        if section.kind == "lead":
            lead_counts[id(parent)] = lead_counts.get(id(parent), 0) + 1
            component = f"L{lead_counts[id(parent)]}"
            path_label = f"——{lead_counts[id(parent)]}"
        else:
            component = f"{ID_PREFIX[section.kind]}{section.number}"
            path_label = _path_label(section)
        siblings = used.setdefault(parent_id, set())
        if component in siblings:
            component = f"{ID_PREFIX[section.kind]}{len(siblings) + 1}x"
        siblings.add(component)
        section.section_id = f"{parent_id}.{component}" if parent_id else component
        section.path = f"{parent.path} > {path_label}" if parent else path_label
        section.depth = (parent.depth if parent else 0) + 1


def _path_label(section: Section) -> str:
    if section.kind in ("subpart", "subitem"):
        return f"({section.label})"
    if section.kind == "paragraph":
        return f"¶{section.label}"
    if section.kind == "chapter":
        return f"第{section.label}章"
    if section.kind == "section":
        return f"第{section.label}节"
    return section.label
