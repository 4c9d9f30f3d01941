"""Chinese numerals: convert 一 / 十一 / 两 / 一千五百 / 1.2万 to numbers."""

from __future__ import annotations

import re

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9}  # fmt: skip
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CHINESE_NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)
_CHINESE_RE = re.compile(f"[{CHINESE_NUMERAL_CHARS}]+")


def chinese_to_int(text: str) -> int | None:
    """Convert a Chinese numeral written with digits and units to an integer.

    Parameters
    ----------
    text : str
        A numeral such as ``三``, ``十一``, ``二十四``, ``一百``, ``一千五百``, ``两万``.
        Positional strings of digits only (``二〇二五``) are read digit by digit.

    Returns
    -------
    int or None
        The value, or None if ``text`` is not a well-formed numeral.

    Examples
    --------
    >>> chinese_to_int("十一"), chinese_to_int("二十四"), chinese_to_int("一千五百")
    (11, 24, 1500)
    """
    if not text or not _CHINESE_RE.fullmatch(text):
        return None
    if all(ch in DIGITS for ch in text):
        if len(text) == 1:
            return DIGITS[text]
        return int("".join(str(DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in DIGITS:
            if digit is not None and DIGITS[ch] != 0:
                return None  # two digits in a row without a unit: not a numeral
            digit = DIGITS[ch] if DIGITS[ch] != 0 else None
        elif ch in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        else:  # big unit
            section += digit or 0
            if section == 0:
                return None
            total += section * BIG_UNITS[ch]
            section, digit = 0, None
    return total + section + (digit or 0)
