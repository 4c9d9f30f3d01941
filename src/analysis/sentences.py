"""Sentences: split text on 。!?; and line ends, never inside 《》, “” or brackets."""

from __future__ import annotations

import re

SENTENCE_ENDS = "。!?;"
_PAIRS = {"《": "》", "“": "”", "‘": "’", "(": ")", "〔": "〕", "【": "】", "「": "」"}
_CLOSERS = frozenset(_PAIRS.values())
_END_RE = re.compile(f"[{re.escape(SENTENCE_ENDS)}]")
_BRACKET_RE = re.compile("[" + re.escape("".join(_PAIRS) + "".join(_PAIRS.values())) + "]")


def split_sentences(text: str) -> list[tuple[str, int]]:
    """Split ``text`` into sentences with their start offsets.

    A sentence ends at ``。 ! ? ;`` or a line end. Sentence ends inside a *closed* pair of
    《》, “”, ‘’, (), 〔〕 or 【】 on the same line do not count (book titles and quoted slogans
    keep their punctuation); an opening mark that is never closed protects nothing.

    Parameters
    ----------
    text : str
        Normalised text, possibly several lines.

    Returns
    -------
    list of (str, int)
        Each sentence, stripped, with the offset of its first character in ``text``.

    Examples
    --------
    >>> split_sentences("实施《行动计划。》方案。第二句")
    [('实施《行动计划。》方案。', 0), ('第二句', 12)]
    """
    sentences: list[tuple[str, int]] = []
    line_start = 0
    for line in text.split("\n"):
        protected = _protected_positions(line)
        start = 0
        for end in _END_RE.finditer(line):
            index = end.start()
            if index not in protected:
                _append(sentences, line[start : index + 1], line_start + start)
                start = index + 1
        _append(sentences, line[start:], line_start + start)
        line_start += len(line) + 1
    return sentences


def _append(sentences: list[tuple[str, int]], chunk: str, offset: int) -> None:
    stripped = chunk.strip()
    if stripped and any(ch not in SENTENCE_ENDS for ch in stripped):
        sentences.append((stripped, offset + (len(chunk) - len(chunk.lstrip()))))


def _protected_positions(line: str) -> set[int]:
    """Positions that lie inside a matched pair of brackets or quotes on this line."""
    protected: set[int] = set()
    stack: list[tuple[str, int]] = []
    for bracket in _BRACKET_RE.finditer(line):  # only brackets and quotes change the state
        index, ch = bracket.start(), bracket.group()
        if ch in _PAIRS and not (ch == "“" and stack and stack[-1][0] == "“"):
            stack.append((ch, index))
        elif stack and ch == _PAIRS[stack[-1][0]]:
            _, opened = stack.pop()
            if not stack:
                protected.update(range(opened + 1, index))
        elif ch in _CLOSERS:
            # a closer with no opener: drop unmatched openers of other kinds above it
            for depth in range(len(stack) - 1, -1, -1):
                if _PAIRS[stack[depth][0]] == ch:
                    opened = stack[depth][1]
                    del stack[depth:]
                    if not stack:
                        protected.update(range(opened + 1, index))
                    break
    return protected
