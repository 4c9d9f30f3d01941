"""Quantitative targets: every number a document commits to, with its indicator, unit and year.

Precision first. A number is reported only when it carries a unit of measure (``%``, 个, 家,
场, 项 …); numbers that are never targets are masked before the search (years and year ranges,
文号 such as 〔2022〕7号, ordinals 第八届, titles inside 《》, plan names 十四五, political
formulas, numbered slogans, congress ordinals). A quantity whose indicator cannot be read is
not guessed: it is listed in the skip log (:func:`extract_targets` returns it as the second
table), as are the numbers ``resources/target_rules.toml`` says are not commitments (一个 as the
article "a", an organisational arrangement, a stock being managed). The same file gives a
number's scope (one per prefecture-level city …) and tells a frequency (每五年评估两次) from a
target.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from .numbers import chinese_to_int
from .resources import indicator_aliases, numbered_slogans, numeral_words, target_rules
from .reuse import boilerplate_phrases

TARGET_COLUMNS = [
    "doc_id", "section_id", "sentence_id", "indicator", "value", "value_min", "value_max",
    "unit", "multiplier_applied", "comparator", "scope", "target_year", "year_basis", "kind",
    "numeral_script", "sentence", "indicator_key", "comparator_text", "number_text",
    "attribute", "source",
]  # fmt: skip
SKIPPED_COLUMNS = ["doc_id", "section_id", "sentence_id", "number_text", "reason", "sentence"]
COMPARISON_COLUMNS = [
    "indicator_key", "label", "doc_id", "region", "baseline_value", "baseline_year",
    "target_value", "target_min", "target_max", "target_comparator", "target_year", "unit",
]  # fmt: skip
#: Normalised comparators, strongest claim first (the README explains each).
COMPARATORS = ("range", "about", "more_than", "at_least", "at_most", "strive", "reach", "exact")
_CUES_BEFORE = {"超过": "more_than", "不少于": "at_least", "不低于": "at_least",
                "至少": "at_least", "达到": "reach", "提高到": "reach", "力争": "strive"}  # fmt: skip
_CUES_AFTER = {"以上": "at_least", "以下": "at_most", "以内": "at_most", "左右": "about"}
#: Five-year plans by name: (first year, last year).
PLAN_PERIODS = {"十一五": (2006, 2010), "十二五": (2011, 2015), "十三五": (2016, 2020),
                "十四五": (2021, 2025), "十五五": (2026, 2030)}  # fmt: skip

_CN = "零〇一二两三四五六七八九十百千万亿"
_UNITS = ["人次", "万元", "亿元", "%", "‰", "个", "家", "场", "项", "次", "所", "套", "辆", "名",
          "人", "座", "处", "支", "期", "条", "篇", "部", "件", "岁", "元"]  # fmt: skip
_UNIT_RE = "|".join(re.escape(u) for u in _UNITS)
_NUM = r"\d+(?:\.\d+)?"
_QUANTITY_RE = re.compile(
    rf"(?P<a>{_NUM})(?:\s*(?P<range>[-—–~至到])\s*(?P<b>{_NUM}))?\s*(?P<mult>万|亿)?"
    rf"(?P<many>多)?\s*(?P<unit>{_UNIT_RE})"
    rf"|百分之(?P<pct>[{_CN}点]+)"
    rf"|(?P<cn>[{_CN}]+)(?P<cnmany>多)?(?P<cnunit>个|家|场|项|次|所|套|辆|名|座|处|支|条|篇|部|件)"
)
_YEAR_RE = re.compile(r"(?:到|至)?(?P<y>(?:19|20)\d{2})\s*年(?:底|末|度)?")
_PLAN_END_RE = re.compile(r"“?(?P<plan>十[一二三四五]五)”?\s*(?:期末|末)")
_CONTEXT_YEAR_RE = re.compile(
    r"到\s*(?P<y>(?:19|20)\d{2})\s*年|到“?(?P<plan>十[一二三四五]五)”?期末"
)
_NUMERAL_RE = re.compile(rf"[\d{_CN}]")
_MASKS = [
    re.compile(r"《[^》]*》"),
    re.compile(rf"[{_CN}]+届"),  # 十九届: a session number
    re.compile(r"〔\s*\d{4}\s*〕\s*\d+\s*号"),
    re.compile(rf"第[{_CN}\d]+(?:个|届|次|步|批|期|条|章|节|项|轮)?"),
    re.compile(r"(?:19|20)\d{2}\s*[-—–~至]\s*(?:19|20)\d{2}\s*年?"),
    re.compile(r"(?:19|20)\d{2}(?=[\u4e00-\u9fff])(?!\s*年)"),  # 2022世界传感器大会
    re.compile(r"“?十[一二三四五]五”?"),
    re.compile(rf"(?<=党的)[{_CN}]+大|(?<=科协)“?[{_CN}]+大”?"),  # 十九大, 科协“十大”: congresses
    re.compile(r"每[一二两三四五六七八九十\d]+年"),
]
_SLOGAN_QUOTED_RE = re.compile(rf"“([^“”]{{0,10}}[\d{_CN}][^“”]{{0,10}})”")
_SLOGAN_PATTERN_RE = re.compile(rf"[{_CN}](?!分之)[\u4e00-\u9fff]{{1,2}}[{_CN}][\u4e00-\u9fff]")
#: A category named by its number: 五大品牌行动, 三大攻坚战, 十大科学传播达人 (up to 8 characters
#: after 大, ending before punctuation or a joining word).
_SLOGAN_CATEGORY_RE = re.compile(
    rf"[{_CN}]大[\u4e00-\u9fff]{{1,8}}?(?=[^\u4e00-\u9fff]|评选|和|与|及|等|的|$)"
)
_CLAUSE_STOP = ",。;:!?()“”"
_LEADING_VERBS = ("推动实现", "重点打造", "重点建设", "推动新建", "实现", "推动", "创建", "新建",
                  "建设", "建成", "打造", "培育", "确保", "力争", "形成", "推出", "发布", "举办",
                  "组织", "选拔", "引进", "包含", "初步建成", "累计", "共", "全年", "每年",
                  "培训", "开展", "招募", "资助")  # fmt: skip
_TRAILING = ("提高到", "不少于", "不低于", "达到", "超过", "至少", "建成", "为", "的", "达")
_REGIONS = ("我国", "我省", "全省", "全市", "中国")
#: Head nouns that end an indicator named after its number (10个科学家精神教育基地).
_HEAD_NOUNS = ("基地", "会议", "项目", "活动", "城市", "学会", "企业", "小组", "平台", "品牌",
               "场馆", "网络", "团队", "专家", "大会", "论坛", "科技馆", "试点县", "工作者",
               "县", "站", "中心", "组织", "期刊", "联盟", "机构", "科技小院")  # fmt: skip


@dataclass(frozen=True)
class _DocInfo:
    period_start: int | None
    period_end: int | None


def indicator_key(indicator: str) -> str:
    """Canonical key of an indicator from the editable mapping, or ``""`` if unmapped.

    Aliases are matched as substrings once 的 is removed, so 公民具备科学素质的比例,
    公民具备基本科学素质的比例 and 公民科学素质比例 share ``science_literacy_rate``.
    """
    plain = indicator.replace("的", "")
    for alias, key, _ in indicator_aliases():
        if alias.replace("的", "") in plain:
            return key
    return ""


def extract_targets(
    sentences: pd.DataFrame, documents: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Extract quantitative targets, baselines, thresholds and slogans from every sentence.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The ``sentences`` table.
    documents : pandas.DataFrame
        The ``documents`` table (``period_start`` / ``period_end`` give default years).

    Returns
    -------
    targets : pandas.DataFrame
        Columns :data:`TARGET_COLUMNS`, one row per number.
    skipped : pandas.DataFrame
        Columns :data:`SKIPPED_COLUMNS`: quantities read but not reported, and why.
    """
    info = {row.doc_id: _DocInfo(_int(row.period_start), _int(row.period_end))
            for row in documents.itertuples()}  # fmt: skip
    rows: list[dict] = []
    skipped: list[dict] = []
    for doc_id, doc in sentences.groupby("doc_id", sort=False):
        doc_info = info.get(doc_id, _DocInfo(None, None))
        records = list(doc.itertuples(index=False))
        own = tuple(dict.fromkeys(m.group(1) for r in records
                                  for m in _SLOGAN_QUOTED_RE.finditer(r.text)))  # fmt: skip
        from_tables = _table_targets(records, doc_info)
        rows.extend(from_tables)
        table_sentences = {r["sentence_id"] for r in from_tables}
        for position, record in enumerate(records):
            if record.sentence_id in table_sentences or not _NUMERAL_RE.search(record.text):
                continue  # a sentence without a digit or a Chinese numeral has no target
            found, missed = _sentence_targets(record, _Earlier(records, position), doc_info, own)
            rows.extend(found)
            skipped.extend(missed)
    targets = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    targets = targets.astype({"value": "float64", "value_min": "float64", "value_max": "float64",
                              "target_year": "Int64", "sentence_id": "int64"})  # fmt: skip
    return targets, pd.DataFrame(skipped, columns=SKIPPED_COLUMNS)


class _Earlier:
    """The sentences before ``position`` in a document, nearest first, without copying them."""

    def __init__(self, records: list, position: int) -> None:
        self._records, self._position = records, position

    def __iter__(self):
        return (self._records[i] for i in range(self._position - 1, -1, -1))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@cache
def _alternation(words: tuple[str, ...]) -> re.Pattern[str] | None:
    ordered = sorted(set(words), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered)) if ordered else None


def _masked(text: str, own_slogans: tuple[str, ...] = ()) -> tuple[str, list[tuple[int, int, str]]]:
    """Text with non-target numbers blanked (same length), and the slogans found.

    ``own_slogans`` are the numbered names the document itself puts in quotation marks;
    they are recognised where it repeats them unquoted (12个一业一科技服务团项目).
    """
    chars = list(text)
    slogans: list[tuple[int, int, str]] = []

    def blank(start: int, end: int) -> None:
        chars[start:end] = "□" * (end - start)

    formulas = _alternation(boilerplate_phrases() + numeral_words())
    for match in formulas.finditer(text) if formulas else ():
        blank(match.start(), match.end())
    for pattern in _MASKS:
        for match in pattern.finditer("".join(chars)):
            blank(match.start(), match.end())
    lexicon = _alternation(numbered_slogans() + own_slogans)
    for match in lexicon.finditer("".join(chars)) if lexicon else ():
        slogans.append((match.start(), match.end(), match.group()))
        blank(match.start(), match.end())
    for match in _SLOGAN_QUOTED_RE.finditer("".join(chars)):
        if "□" not in match.group():
            slogans.append((match.start(), match.end(), match.group(1)))
        blank(match.start(), match.end())
    for pattern in (_SLOGAN_PATTERN_RE, _SLOGAN_CATEGORY_RE):
        for match in pattern.finditer("".join(chars)):
            if "□" not in match.group():
                slogans.append((match.start(), match.end(), match.group()))
            blank(match.start(), match.end())
    return "".join(chars), slogans


def _sentence_targets(
    record, previous: Iterable, info: _DocInfo, own_slogans: tuple[str, ...] = ()
) -> tuple[list[dict], list[dict]]:
    text = record.text
    masked, slogans = _masked(text, own_slogans)
    years = _year_expressions(text, info)
    found, missed = [], []
    base = {"doc_id": record.doc_id, "section_id": record.section_id,
            "sentence_id": record.sentence_id, "sentence": text}  # fmt: skip
    for _start, _end, slogan in slogans:
        if re.search(rf"[\d{_CN}]", slogan):
            found.append({**base, "indicator": slogan, "value": np.nan, "value_min": np.nan,
                          "value_max": np.nan, "unit": "", "multiplier_applied": "",
                          "comparator": "", "scope": "", "target_year": pd.NA, "year_basis": "",
                          "kind": "slogan", "numeral_script": _script(slogan),
                          "indicator_key": "", "comparator_text": "", "number_text": slogan,
                          "attribute": "", "source": "sentence"})  # fmt: skip
    for match in _QUANTITY_RE.finditer(masked):
        quantity = _read_quantity(match)
        if quantity is None:
            missed.append({**base, "number_text": text[match.start():match.end()],
                           "reason": "number could not be read"})  # fmt: skip
            continue
        value, low, high, unit, multiplier, many = quantity
        number_text = text[match.start() : match.end()]
        scope, frequency, reason = _scope(text, match, unit, number_text)
        if reason:
            missed.append({**base, "number_text": number_text, "reason": reason})
            continue
        comparator, cue_text = _comparator(masked, match, low is not None, many)
        indicator = _indicator(text, masked, match, unit, match.group("cn") is not None)
        if not indicator:
            missed.append({**base, "number_text": number_text,
                           "reason": "no indicator could be read next to the number"})  # fmt: skip
            continue
        if frequency:  # so many times per period: no target year
            year, basis, kind = None, "", "frequency"
        else:
            year, basis = _target_year(years, match.start(), record, previous, info)
            kind = _kind(unit, year, info)
        found.append({
            **base, "indicator": indicator, "value": value, "value_min": low,
            "value_max": high, "unit": unit, "multiplier_applied": multiplier,
            "comparator": comparator, "scope": scope,
            "target_year": year if year is not None else pd.NA,
            "year_basis": basis, "kind": kind,
            "numeral_script": _script(text[match.start():match.end()]),
            "indicator_key": indicator_key(indicator), "comparator_text": cue_text,
            "number_text": text[match.start():match.end()], "attribute": "",
            "source": "sentence",
        })  # fmt: skip
    found.sort(key=lambda r: text.find(r["number_text"]))
    return found, missed


#: Where the clause before a number starts for its scope: 县(市、区) stays in the clause.
_SCOPE_STOP = ",;:。!?"


def _scope(text: str, match: re.Match, unit: str, number_text: str) -> tuple[str, bool, str]:
    """The number's scope, whether it is a frequency, and why it is not a target (blank if it
    is one), by the rules of ``resources/target_rules.toml``.

    Returns
    -------
    tuple of (str, bool, str)
        The scope (每个地级以上市 …, the period of a frequency, or blank for a total), True for
        a frequency (每五年评估两次), and the reason to skip the number (blank to keep it).
    """
    rules = target_rules()
    clause_start = max(text.rfind(c, 0, match.start()) for c in _SCOPE_STOP) + 1
    before, after = text[clause_start : match.start()], text[match.end() :]
    for _name, before_re, after_re, reason in rules.not_a_target:
        if (before_re is None or before_re.search(before)) and (
                after_re is None or after_re.search(after)):  # fmt: skip
            return "", False, reason
    frequency = rules.frequency_before.search(before) if unit in rules.frequency_units else None
    if frequency:
        return frequency.group("scope"), True, ""
    scope = next((label for pattern, label in rules.scopes if pattern.search(before)), "")
    if number_text in rules.article_quantities and not scope:
        return "", False, rules.article_reason
    return scope, False, ""


def _read_quantity(match: re.Match) -> tuple | None:
    if match.group("pct"):
        value = _cn_decimal(match.group("pct"))
        return None if value is None else (value, None, None, "%", "", False)
    if match.group("cn"):
        value = chinese_to_int(match.group("cn"))
        if value is None or value == 0:
            return None
        return float(value), None, None, match.group("cnunit"), "", bool(match.group("cnmany"))
    multiplier = match.group("mult") or ""
    factor = {"万": 10_000, "亿": 100_000_000}.get(multiplier, 1)
    unit = match.group("unit")
    a = float(match.group("a")) * factor
    if match.group("b") is not None:
        b = float(match.group("b")) * factor
        return None, min(a, b), max(a, b), unit, multiplier, False
    return a, None, None, unit, multiplier, bool(match.group("many"))


def _cn_decimal(text: str) -> float | None:
    whole, _, fraction = text.partition("点")
    value = chinese_to_int(whole)
    if value is None:
        return None
    if fraction:
        digits = [chinese_to_int(ch) for ch in fraction]
        if None in digits:
            return None
        return float(f"{value}.{''.join(str(d) for d in digits)}")
    return float(value)


def _script(number_text: str) -> str:
    has_digit = bool(re.search(r"\d", number_text))
    has_cn = bool(re.search(f"[{_CN}]", number_text))
    return "mixed" if has_digit and has_cn else ("arabic" if has_digit else "chinese")


def _comparator(masked: str, match: re.Match, is_range: bool, many: bool) -> tuple[str, str]:
    clause_start = max(masked.rfind(c, 0, match.start()) for c in _CLAUSE_STOP) + 1
    before = masked[max(clause_start, match.start() - 6) : match.start()]
    after = masked[match.end() : match.end() + 2]
    found = []
    for cue, name in _CUES_BEFORE.items():
        if cue in before and not (cue == "达到" and "提高到" in before):
            found.append((cue, name))
    if "力争" in masked[clause_start : match.start()] and ("力争", "strive") not in found:
        found.append(("力争", "strive"))
    for cue, name in _CUES_AFTER.items():
        if after.startswith(cue):
            found.append((cue, name))
    if many:
        found.append(("多", "more_than"))
    names = {name for _, name in found}
    if is_range:
        names.add("range")
    comparator = next((c for c in COMPARATORS if c in names), "exact")
    return comparator, "".join(cue for cue, _ in found)


def _indicator(text: str, masked: str, match: re.Match, unit: str, chinese: bool) -> str:
    """The indicator: the noun after the quantity (10个科学家精神教育基地) or, for rates and
    quantities that close their clause, the phrase before it (…的比例达到15%)."""
    following = _QUANTITY_RE.search(masked, match.end())
    end = following.start() if following else len(text)
    after = text[match.end() : end]
    for cue in _CUES_AFTER:
        if after.startswith(cue):
            after = after[len(cue) :]
    after = after.removeprefix("的")
    stop = min([i for i in (after.find(c) for c in ",。;:!?") if i >= 0] + [len(after)])
    after = after[:stop].rstrip("和及与或等、")
    starts_noun = bool(after) and re.match(r"[\u4e00-\u9fff“]", after) and not after.startswith(
        ("及", "和", "或", "提高", "以", "为", "的"))  # fmt: skip
    if unit in ("%", "‰"):
        return _before_phrase(text, masked, match) or (_after_phrase(after) if starts_noun else "")
    if starts_noun:
        named = _after_phrase(after)
        if named:
            return named
    if chinese and after:
        return ""  # a Chinese-numeral count inside a clause is read only from the noun it counts
    return _before_phrase(text, masked, match)


def _after_phrase(after: str) -> str:
    segments = [s for s in after.replace("“", "").replace("”", "").split("的") if s]
    for segment in segments:
        ends = [segment.rfind(h) + len(h) for h in _HEAD_NOUNS if h in segment]
        if "□" in segment[: max(ends, default=0)]:
            continue
        if ends:
            return _clean(segment[: max(ends)], strip_regions=False)
    return ""


def _before_phrase(text: str, masked: str, match: re.Match) -> str:
    """The phrase before a quantity that closes its clause, from the original text."""
    clause_start = max(masked.rfind(c, 0, match.start()) for c in ",。;:!?") + 1
    before = text[clause_start : match.start()]
    for marker in ("由", "从"):
        if marker in before:
            before = before[: before.index(marker)]
    before = re.sub(r"(?:到|至)?(?:19|20)\d{2}\s*年(?:底|末|度)?(?:的)?", "", before)
    before = re.sub(r"到?“?十[一二三四五]五”?(?:期末|末|时期)?(?:的)?", "", before)
    before = re.sub(r"每[一二两三四五六七八九十\d]+年", "", before)
    before = before.replace("“", "").replace("”", "")
    if re.search(r"\d", before):
        return ""
    return _clean(before)


def _clean(phrase: str, *, strip_regions: bool = True) -> str:
    phrase = phrase.strip(" □、等")
    changed = True
    while changed and phrase:
        changed = False
        for word in _TRAILING:
            if phrase.endswith(word) and len(phrase) > len(word):
                phrase, changed = phrase[: -len(word)], True
        for word in _LEADING_VERBS + (_REGIONS if strip_regions else ()):
            if phrase.startswith(word) and len(phrase) - len(word) >= 2:
                phrase, changed = phrase[len(word) :], True
        phrase = phrase.strip(" □、等")
    if "□" in phrase or len(phrase) < 2:
        return ""
    return phrase


def _year_expressions(text: str, info: _DocInfo) -> list[tuple[int, int]]:
    """``(position, year)`` of every year a target could refer to in this sentence."""
    shielded = re.sub(r"《[^》]*》", lambda m: "□" * len(m.group()), text)
    shielded = re.sub(r"(?:19|20)\d{2}\s*[-—–~至]\s*(?:19|20)\d{2}", lambda m: "□" * len(m.group()),
                      shielded)  # fmt: skip
    found = [(m.start(), int(m.group("y"))) for m in _YEAR_RE.finditer(shielded)]
    found += [
        (m.start(), PLAN_PERIODS[m.group("plan")][1]) for m in _PLAN_END_RE.finditer(shielded)
    ]
    if "全年" in shielded and info.period_start is not None:
        found.append((shielded.index("全年"), info.period_start))
    return sorted(found)


def _target_year(years, position, record, previous, info) -> tuple[int | None, str]:
    before = [y for p, y in years if p < position]
    if before:
        return before[-1], "sentence"
    if years:
        return years[0][1], "sentence"
    for earlier in previous:  # nearest first
        if not _same_branch(earlier.section_id, record.section_id):
            break
        match = _CONTEXT_YEAR_RE.search(re.sub(r"《[^》]*》", "", earlier.text))
        if match:
            year = (
                int(match.group("y")) if match.group("y") else PLAN_PERIODS[match.group("plan")][1]
            )
            return year, "context"
    if info.period_end is not None:
        return info.period_end, "document period"
    return None, ""


def _same_branch(earlier: str, current: str) -> bool:
    """True if ``earlier`` is ``current``, one of its ancestors, or a sibling below its parent."""
    parent = current.rsplit(".", 1)[0] if "." in current else current
    return (earlier == current or current.startswith(earlier + ".") or earlier == parent
            or earlier.startswith(parent + "."))  # fmt: skip


def _kind(unit: str, year: int | None, info: _DocInfo) -> str:
    if unit == "岁":
        return "threshold"
    if year is not None and info.period_start is not None and year < info.period_start:
        return "baseline"
    return "target"


_TABLE_HEADER_RE = re.compile(r"指标(?:名称)?\s+.*(?:19|20)\d{2}\s*年")
_ATTRIBUTES = ("预期性", "约束性")


def _table_targets(records: list, info: _DocInfo) -> list[dict]:
    """Rows of indicator tables (专栏): 指标名称 / 2020年 / 2025年 / 属性, one row per cell."""
    rows: list[dict] = []
    index = 0
    while index < len(records):
        header = records[index].text
        if not _TABLE_HEADER_RE.match(header):
            index += 1
            continue
        columns = header.split()
        year_columns = {
            i: int(re.match(r"(\d{4})", c).group(1))
            for i, c in enumerate(columns)
            if re.match(r"(?:19|20)\d{2}\s*年", c)
        }
        attribute_column = next((i for i, c in enumerate(columns) if "属性" in c), None)
        index += 1
        while index < len(records) and len(records[index].text.split()) == len(columns):
            record = records[index]
            cells = record.text.split()
            name = cells[0]
            unit_match = re.search(r"\(([^)]+)\)$", name)
            unit = unit_match.group(1) if unit_match else ""
            indicator = name[: unit_match.start()] if unit_match else name
            attribute = cells[attribute_column] if attribute_column is not None else ""
            for column, year in year_columns.items():
                cell = cells[column]
                number = re.search(_NUM, cell)
                if not number:
                    continue
                value = float(number.group())
                comparator = ("more_than" if cell.startswith(">") else "at_least"
                              if cell.startswith("≥") else "exact")  # fmt: skip
                kind = ("baseline" if info.period_start is not None and year < info.period_start
                        else "target")  # fmt: skip
                rows.append({
                    "doc_id": record.doc_id, "section_id": record.section_id,
                    "sentence_id": record.sentence_id, "indicator": indicator, "value": value,
                    "value_min": np.nan, "value_max": np.nan, "unit": unit,
                    "multiplier_applied": "", "comparator": comparator, "scope": "",
                    "target_year": year,
                    "year_basis": "table", "kind": kind, "numeral_script": "arabic",
                    "sentence": record.text, "indicator_key": indicator_key(indicator),
                    "comparator_text": cell[: number.start()], "number_text": number.group(),
                    "attribute": attribute if attribute in _ATTRIBUTES else "",
                    "source": "table",
                })  # fmt: skip
            index += 1
    return rows


#: Documents that must state an indicator for it to count as shared.
MIN_DOCUMENTS_SHARED = 2


def target_comparison_table(targets: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Shared indicators side by side: each mapped indicator key × document stating it.

    For every ``indicator_key`` of the mapping that at least :data:`MIN_DOCUMENTS_SHARED`
    documents state (a baseline or a target), one row per document stating it: its latest
    baseline (value and year) and its latest target (value, range, comparator, year).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COMPARISON_COLUMNS`.
    """
    mapped = targets[
        (targets["indicator_key"] != "") & targets["kind"].isin(["target", "baseline"])
    ]
    stating = mapped.groupby("indicator_key")["doc_id"].nunique()
    mapped = mapped[mapped["indicator_key"].isin(stating.index[stating >= MIN_DOCUMENTS_SHARED])]
    labels = {key: label for _, key, label in indicator_aliases()}
    # the latest baseline and target of each indicator and document, found in one pass
    latest = mapped.sort_values("target_year", kind="stable").groupby(
        ["indicator_key", "doc_id", "kind"], sort=False).tail(1)  # fmt: skip
    by_key = dict(tuple(latest.groupby(["indicator_key", "doc_id", "kind"])))
    empty = mapped.iloc[0:0]
    rows = []
    for key in dict.fromkeys(mapped["indicator_key"]):
        stated = set(mapped.loc[mapped["indicator_key"] == key, "doc_id"])
        for doc in documents[documents["doc_id"].isin(stated)].itertuples():
            baseline = by_key.get((key, doc.doc_id, "baseline"), empty)
            target = by_key.get((key, doc.doc_id, "target"), empty)
            unit = (target if not target.empty else baseline)["unit"].tolist()
            rows.append({
                "indicator_key": key, "label": labels.get(key, key), "doc_id": doc.doc_id,
                "region": doc.region,
                "baseline_value": _first(baseline, "value"),
                "baseline_year": _first(baseline, "target_year"),
                "target_value": _first(target, "value"),
                "target_min": _first(target, "value_min"),
                "target_max": _first(target, "value_max"),
                "target_comparator": _first(target, "comparator") or "",
                "target_year": _first(target, "target_year"),
                "unit": unit[0] if unit else "",
            })  # fmt: skip
    table = pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
    return table.astype({"baseline_year": "Int64", "target_year": "Int64",
                         "baseline_value": "float64", "target_value": "float64",
                         "target_min": "float64", "target_max": "float64"})  # fmt: skip


def _first(frame: pd.DataFrame, column: str):
    if frame.empty:
        return None
    value = frame[column].iloc[0]
    return None if pd.isna(value) else value


def slogans_table(targets: pd.DataFrame) -> pd.DataFrame:
    """The numbered slogans of the ``targets`` table, one row per slogan: how often it occurs
    and in which documents, most frequent first (ties in order of first use).

    Returns
    -------
    pandas.DataFrame
        Columns ``slogan``, ``count``, ``documents`` (doc_ids joined by ``, ``).
    """
    slogans = targets[targets["kind"] == "slogan"]
    table = slogans.groupby("indicator", sort=False).agg(
        count=("doc_id", "size"), documents=("doc_id", lambda d: ", ".join(dict.fromkeys(d)))
    )
    table = table.reset_index().rename(columns={"indicator": "slogan"})
    return table.sort_values("count", ascending=False, kind="stable").reset_index(drop=True)
