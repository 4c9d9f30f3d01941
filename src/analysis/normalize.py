"""Text normalisation: one character convention, noise removal, PDF line repair, paragraphs.

Every step is a function from text (or lines) to text (or lines). Whatever is dropped is
returned as ``(text, reason)`` records, which become ``removed.csv``: nothing is lost silently.

Character convention (documented in the README):

* line ends are ``\\n``; BOMs, zero-width characters and control characters are removed;
  tabs, no-break and ideographic spaces become a plain space;
* full-width ASCII forms (U+FF01-FF5E: ``０-９ Ａ-Ｚ （ ） ， ： ； ！ ？``) become ASCII, so
  numbers are ``0-9`` and the outline brackets are ``(一)``;
* Chinese-only punctuation stays as it is: ``。 、 “ ” ‘ ’ 《 》 〔 〕 【 】 …``; corner brackets
  ``「」『』`` become ``“”‘’``; horizontal bars ``― ─ ⸺`` become the em dash ``—``.
"""

from __future__ import annotations

import re
import unicodedata

from .resources import NoiseRules, load_noise_rules, standalone_headings

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_TRANSLATE = {
    **_FULLWIDTH,
    0x3000: " ",  # ideographic space
    0x00A0: " ",
    0x0009: " ",
    0x300C: "“",
    0x300D: "”",
    0x300E: "‘",
    0x300F: "’",
    0x2015: "—",
    0x2500: "—",
    0x2E3A: "—",
    0xFE31: "—",
    0x2002: " ",
    0x2003: " ",
    0x2009: " ",
    0x200A: " ",
}
_ZERO_WIDTH = {0xFEFF: None, 0x200B: None, 0x200C: None, 0x200D: None, 0x2060: None}
_TRANSLATE.update(_ZERO_WIDTH)

#: Sentence-final punctuation after normalisation (full-width forms are already half-width).
TERMINALS = "。!?;"
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
_CN_NUM = "一二三四五六七八九十百零〇两"
#: A heading marker at the start of a line, in any of the numbering styles documents use.
MARKER_RE = re.compile(
    rf"(?:第[{_CN_NUM}\d]+[章节]|[{_CN_NUM}]+、|\([{_CN_NUM}]+\)|\d{{1,3}}[.、](?![\d.])|\(\d{{1,3}}\)|——(?!—))"
)
_DATE_LINE_RE = re.compile(r".{0,30}\d{4}年\d{1,2}月\d{1,2}日")
_PARAGRAPH_BREAK_RE = re.compile(rf"(?<=[{TERMINALS}])(”|’)?\s+(?=\S)")
_BREAK_BEFORE_MARKER_RE = re.compile(r"\s+(?=" + MARKER_RE.pattern + r"(?=\S))")
_LONE_CJK_SPACE_RE = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")


def normalize_characters(text: str) -> str:
    """Apply the project's character convention to ``text``.

    Parameters
    ----------
    text : str
        Decoded text in any mix of full-width and half-width forms and line ends.

    Returns
    -------
    str
        Text in the documented convention. The function is idempotent.

    Examples
    --------
    >>> normalize_characters("（一）２０２５年，\\r\\n「科创中国」")
    '(一)2025年,\\n“科创中国”'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    # control, format and surrogate characters go (one table for the distinct characters)
    text = text.translate({ord(ch): None for ch in set(text)
                           if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf", "Cs")})  # fmt: skip
    return "\n".join(line.rstrip() for line in text.split("\n"))


def drop_noise_lines(
    lines: list[str], rules: NoiseRules | None = None
) -> tuple[list[str], list[tuple[str, str]]]:
    """Replace every line that a ``[[line]]`` rule matches by a blank line, recording it.

    Parameters
    ----------
    lines : list of str
        Normalised lines; blank lines are kept (they separate paragraphs).
    rules : NoiseRules, optional
        Defaults to :func:`load_noise_rules`.

    Returns
    -------
    kept : list of str
        The lines, stripped, with noise lines blanked.
    removed : list of (str, str)
        ``(text, reason)`` for every line dropped.
    """
    rules = rules or load_noise_rules()
    removed: list[tuple[str, str]] = []
    kept: list[str] = []
    for line in lines:
        stripped = line.strip()
        reason = _line_noise_reason(stripped, rules)
        if reason:
            removed.append((stripped, reason))
        kept.append("" if reason else stripped)
    return kept, removed


def cut_inline_noise(
    lines: list[str], rules: NoiseRules | None = None
) -> tuple[list[str], list[tuple[str, str]]]:
    """Cut spans that an ``[[inline]]`` rule matches, splitting the line there.

    The two halves become adjacent lines, so that :func:`repair_pdf_lines` joins them again
    when they belong to one sentence and keeps them apart when they do not (a signature date
    followed by a title).

    Parameters
    ----------
    lines : list of str
        Normalised lines.
    rules : NoiseRules, optional
        Defaults to :func:`load_noise_rules`.

    Returns
    -------
    kept : list of str
        The lines with noise spans cut out.
    removed : list of (str, str)
        ``(text, reason)`` for every span cut.
    """
    rules = rules or load_noise_rules()
    removed: list[tuple[str, str]] = []
    kept: list[str] = []
    for line in lines:
        pieces = [line]
        for pattern, reason in rules.inline:
            next_pieces: list[str] = []
            for piece in pieces:
                removed.extend((m.group().strip(), reason) for m in pattern.finditer(piece))
                next_pieces.extend(pattern.split(piece))
            pieces = next_pieces
        if len(pieces) == 1:
            kept.append(line)
        else:
            kept.extend(p.strip() for p in pieces if p.strip())
    return kept, removed


def _line_noise_reason(stripped: str, rules: NoiseRules) -> str | None:
    if not stripped:
        return None
    for pattern, reason in rules.line:
        if pattern.fullmatch(stripped):
            return reason
    return None


def is_date_line(line: str) -> bool:
    """True if ``line`` ends in a full date such as ``2022年7月25日`` (a signature date)."""
    return bool(_DATE_LINE_RE.fullmatch(line.strip()))


def starts_with_marker(line: str) -> bool:
    """True if ``line`` opens with a heading marker (一、 / (一) / 1. / (1) / —— / 第X章)."""
    return bool(MARKER_RE.match(line))


def repair_pdf_lines(lines: list[str]) -> list[str]:
    """Join lines that PDF extraction broke inside a sentence.

    A line is joined to the one before it when the two are adjacent (no blank line between),
    the earlier one does not end a sentence, is not a date or heading-only line, and the later
    one does not open with a heading marker. A single space between two Chinese characters in
    an otherwise unspaced line is an extraction artefact and is removed.

    Parameters
    ----------
    lines : list of str
        Lines after noise removal (blank lines mark paragraph or page boundaries).

    Returns
    -------
    list of str
        Repaired lines; blank lines are kept.
    """
    out: list[str] = []
    standalone = set(standalone_headings())
    for line in lines:
        if line.count(" ") == 1:
            line = _LONE_CJK_SPACE_RE.sub("", line)
        previous = out[-1] if out else ""
        if (
            line
            and previous
            and not previous.endswith(tuple(TERMINALS) + ("。”", ":", "。’"))
            and not is_date_line(previous)
            and previous not in standalone
            and not (starts_with_marker(previous) and len(previous) <= 40)
            and not starts_with_marker(line)
        ):
            out[-1] = previous + line
        else:
            out.append(line)
    return out


def split_paragraphs(line: str) -> list[str]:
    """Split a long line at paragraph breaks: white space after a sentence end.

    Documents copied without line breaks (the national framework is four lines) separate
    paragraphs by a space. Headings that open such a paragraph are split off later by
    :func:`split_before_markers`.

    Parameters
    ----------
    line : str
        One normalised line.

    Returns
    -------
    list of str
        The paragraphs, stripped, none empty.
    """
    pieces = _PARAGRAPH_BREAK_RE.sub(lambda m: (m.group(1) or "") + "\n", line).split("\n")
    return [p.strip() for p in pieces if p.strip()]


def split_before_markers(line: str) -> list[str]:
    """Split a line before every heading marker that follows white space.

    Parameters
    ----------
    line : str
        One paragraph.

    Returns
    -------
    list of str
        The pieces, stripped, none empty.
    """
    return [p.strip() for p in _BREAK_BEFORE_MARKER_RE.split(line) if p.strip()]
