"""Resources: one loader for each researcher-editable file in ``src/analysis/resources``.

Domain knowledge lives in those files (word lists, the theme and concept dictionaries, noise
rules, indicator names, alignment settings); each is read here, by one function, and parsed once
per process. A malformed file raises :class:`analysis.errors.ResourceError` naming it.
"""

from __future__ import annotations

import csv
import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from .config import resource_path
from .errors import ResourceError
from .registry import PMC_PRIMARIES
from .registry import columns as registry_columns

THEME_COLUMNS = ["theme", "label", "term", "note"]
CONCEPT_COLUMNS = ["concept", "variant", "note"]


def read_toml(path: str | Path) -> dict:
    """Parse one TOML resource file.

    Raises
    ------
    analysis.errors.ResourceError
        If the file is missing or not valid TOML (the message names it).
    """
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ResourceError(f"{path}: cannot be read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ResourceError(f"{path}: not valid TOML: {exc}") from None


def read_word_list(name: str, *, first_field: bool = False) -> tuple[str, ...]:
    """Read a one-entry-per-line resource file; blank lines and ``#`` comments are skipped.

    Parameters
    ----------
    name : str
        File name inside ``src/analysis/resources``.
    first_field : bool
        Keep only the first white-space-separated field (jieba's ``word freq tag`` format).

    Returns
    -------
    tuple of str
        The entries in file order, duplicates removed.
    """
    lines = resource_path(name).read_text(encoding="utf-8").splitlines()
    entries = [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    return tuple(dict.fromkeys(e.split()[0] if first_field else e for e in entries))


@cache
def standard_stopwords() -> frozenset[str]:
    """The standard Chinese stop words (``resources/stopwords_zh.txt``)."""
    return frozenset(read_word_list("stopwords_zh.txt", first_field=True))


@cache
def boilerplate_stopwords() -> frozenset[str]:
    """Policy boilerplate words (``resources/stopwords_policy.txt``), switchable in keywords."""
    return frozenset(read_word_list("stopwords_policy.txt", first_field=True))


@cache
def user_words() -> tuple[str, ...]:
    """Words the segmenter must keep whole (``resources/user_dict.txt``)."""
    return read_word_list("user_dict.txt", first_field=True)


def resource_hashes() -> dict[str, str]:
    """SHA-256 (first 12 hex digits) of every resource that changes tokens or keywords."""
    names = ["user_dict.txt", "stopwords_zh.txt", "stopwords_policy.txt"]
    return {n: hashlib.sha256(resource_path(n).read_bytes()).hexdigest()[:12] for n in names}


@dataclass(frozen=True)
class NoiseRules:
    """Compiled noise patterns from ``resources/noise_patterns.toml``."""

    line: tuple[tuple[re.Pattern[str], str], ...]
    inline: tuple[tuple[re.Pattern[str], str], ...]


@cache
def load_noise_rules(path: str | None = None) -> NoiseRules:
    """Load and compile the noise patterns.

    Parameters
    ----------
    path : str, optional
        A TOML file with ``[[line]]`` and ``[[inline]]`` tables (``pattern``, ``reason``);
        defaults to the bundled ``noise_patterns.toml``.

    Returns
    -------
    NoiseRules
        The compiled rules, in file order.
    """
    source = resource_path("noise_patterns.toml") if path is None else path
    spec = read_toml(source)
    try:
        return NoiseRules(
            line=tuple((re.compile(r["pattern"]), r["reason"]) for r in spec.get("line", [])),
            inline=tuple((re.compile(r["pattern"]), r["reason"]) for r in spec.get("inline", [])),
        )
    except (KeyError, re.error) as exc:
        raise ResourceError(
            f"{source}: a noise rule needs a valid pattern and a reason ({exc})"
        ) from None


@cache
def standalone_headings() -> tuple[str, ...]:
    """Unnumbered headings (序言, 前言 …) from ``resources/standalone_headings.txt``."""
    return read_word_list("standalone_headings.txt")


@cache
def heading_starters() -> tuple[str, ...]:
    """Words that open a part's introduction, from ``resources/heading_starters.txt``."""
    return read_word_list("heading_starters.txt")


@cache
def boilerplate_phrases() -> tuple[str, ...]:
    """Political formulas masked before measuring reuse (``resources/boilerplate_phrases.txt``)."""
    return tuple(sorted(read_word_list("boilerplate_phrases.txt"), key=len, reverse=True))


@cache
def numbered_slogans() -> tuple[str, ...]:
    """Numbered slogans and programme names (``resources/numbered_slogans.txt``)."""
    return tuple(sorted(read_word_list("numbered_slogans.txt"), key=len, reverse=True))


@cache
def numeral_words() -> tuple[str, ...]:
    """Words written with numeral characters that are not numbers (``numeral_words.txt``)."""
    return tuple(sorted(read_word_list("numeral_words.txt"), key=len, reverse=True))


@cache
def document_short_names() -> dict[str, str]:
    """``doc_id`` to the Chinese short name figures and the workbook show beside it
    (``resources/document_names.csv``; a document without a row is shown by its ``doc_id``).

    Raises
    ------
    analysis.errors.ResourceError
        If a ``doc_id`` has two rows or a blank short name (the message names the file).
    """
    path = resource_path("document_names.csv")
    table = read_text_csv(path, ["doc_id", "short_name"])
    twice = sorted(set(table.loc[table["doc_id"].duplicated(), "doc_id"]))
    if twice:
        raise ResourceError(f"{path}: doc_id listed twice: {', '.join(twice)}")
    blank = table.loc[table["short_name"] == "", "doc_id"].tolist()
    if blank:
        raise ResourceError(f"{path}: blank short_name for {', '.join(blank)}")
    return dict(zip(table["doc_id"], table["short_name"], strict=True))


def short_name(doc_id: str) -> str:
    """The Chinese short name of a document (:func:`document_short_names`), else its ``doc_id``."""
    return document_short_names().get(doc_id, doc_id)


@cache
def indicator_aliases() -> tuple[tuple[str, str, str], ...]:
    """``(alias, indicator_key, label)`` from ``resources/indicators.csv``, longest alias first."""
    with open(resource_path("indicators.csv"), encoding="utf-8") as handle:
        rows = [(r["alias"], r["indicator_key"], r["label"]) for r in csv.DictReader(handle)]
    return tuple(sorted(rows, key=lambda r: len(r[0]), reverse=True))


def load_themes(path: str | None = None) -> pd.DataFrame:
    """Read the theme dictionary (``resources/themes.toml``) as a long table.

    Parameters
    ----------
    path : str, optional
        Another TOML file with the same layout.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`THEME_COLUMNS`, one row per theme and term, in file order.

    Raises
    ------
    analysis.errors.ResourceError
        If the file is not valid TOML, a theme lacks a label or terms, or a term is listed
        under two themes.
    """
    source = path or resource_path("themes.toml")
    try:
        rows = [(theme, body["label"], term, body.get("note", ""))
                for theme, body in read_toml(source).items() for term in body["terms"]]  # fmt: skip
    except (KeyError, TypeError) as exc:
        raise ResourceError(
            f"{source}: every theme needs a label and a list of terms ({exc})"
        ) from None
    table = pd.DataFrame(rows, columns=THEME_COLUMNS)
    duplicated = table[table["term"].duplicated(keep=False)]
    if not duplicated.empty:
        raise ResourceError(f"{source}: term(s) in more than one theme: "
                            f"{sorted(set(duplicated.term))}")  # fmt: skip
    return table


def load_concepts(path: str | Path | None = None) -> pd.DataFrame:
    """Read the concept dictionary (``resources/concepts.toml``) as a long table.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Another TOML file with the same layout.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CONCEPT_COLUMNS`, one row per concept and variant, in file order.

    Raises
    ------
    analysis.errors.ResourceError
        If the file is not valid TOML, a concept lacks a name or variants, or a variant is
        listed under two concepts.
    """
    path = Path(path) if path is not None else resource_path("concepts.toml")
    spec = read_toml(path)
    rows = []
    for number, entry in enumerate(spec.get("concept", []), start=1):
        name, variants = entry.get("name"), entry.get("variants")
        if not name or not variants:
            raise ResourceError(f"{path}: concept {number} needs a name and a list of variants")
        rows += [(name, variant, entry.get("note", "")) for variant in variants]
    table = pd.DataFrame(rows, columns=CONCEPT_COLUMNS)
    twice = table[table["variant"].duplicated(keep=False)]
    if not twice.empty:
        listed = ", ".join(f"{v} ({'/'.join(g.concept)})" for v, g in twice.groupby("variant"))
        raise ResourceError(f"{path}: variant(s) listed under two concepts: {listed}")
    return table


@dataclass(frozen=True)
class AlignmentSettings:
    """The settings in ``resources/alignment.toml`` (see the comments there)."""

    framing: tuple[str, ...]
    safeguard: tuple[str, ...]
    char_heading_weight: int
    bm25_k1: float
    bm25_b: float
    rrf_k: float
    novelty_word: float
    novelty_char: float
    echo_top_k: int
    programme_words: tuple[str, ...]
    programme_gap: int


def load_alignment_settings(path: str | Path | None = None) -> AlignmentSettings:
    """Read ``resources/alignment.toml`` (or another file with its layout).

    Raises
    ------
    analysis.errors.ResourceError
        If the file is not valid TOML or a setting is missing or of the wrong kind.
    """
    path = Path(path) if path is not None else resource_path("alignment.toml")
    spec = read_toml(path)
    try:
        roles, methods = spec["unit_roles"], spec["methods"]
        settings = AlignmentSettings(
            framing=tuple(roles["framing"]),
            safeguard=tuple(roles["safeguard"]),
            char_heading_weight=int(methods["char_heading_weight"]),
            bm25_k1=float(methods["bm25_k1"]),
            bm25_b=float(methods["bm25_b"]),
            rrf_k=float(methods["rrf_k"]),
            novelty_word=float(spec["novelty"]["word"]),
            novelty_char=float(spec["novelty"]["char"]),
            echo_top_k=int(spec["echo"]["top_k"]),
            programme_words=tuple(spec["brands"]["programme_words"]),
            programme_gap=int(spec["brands"]["max_gap"]),
        )
    except KeyError as exc:
        raise ResourceError(f"{path}: setting {exc.args[0]!r} is missing") from None
    except (TypeError, ValueError) as exc:
        raise ResourceError(f"{path}: {exc}") from None
    if settings.char_heading_weight < 1 or settings.echo_top_k < 1:
        raise ResourceError(f"{path}: char_heading_weight and echo top_k must be at least 1")
    return settings


@cache
def default_settings() -> AlignmentSettings:
    """The bundled ``resources/alignment.toml``."""
    return load_alignment_settings()


@dataclass(frozen=True)
class TargetRules:
    """The settings in ``resources/target_rules.toml`` (see the comments there).

    ``not_a_target`` holds ``(name, before, after, reason)`` with compiled patterns (None
    where the rule has none); ``scopes`` holds ``(pattern, scope)``.
    """

    article_quantities: tuple[str, ...]
    article_reason: str
    not_a_target: tuple[tuple[str, re.Pattern | None, re.Pattern | None, str], ...]
    frequency_before: re.Pattern
    frequency_units: tuple[str, ...]
    scopes: tuple[tuple[re.Pattern, str], ...]


def load_target_rules(path: str | Path | None = None) -> TargetRules:
    """Read the rules for numbers that are not targets and for scopes
    (``resources/target_rules.toml``).

    Raises
    ------
    analysis.errors.ResourceError
        If the file is not valid TOML, a setting is missing, a rule has neither ``before`` nor
        ``after``, or a pattern is not a valid regular expression (the message names it).
    """
    path = Path(path) if path is not None else resource_path("target_rules.toml")
    spec = read_toml(path)

    def compiled(pattern: str | None, where: str) -> re.Pattern | None:
        if pattern is None:
            return None
        try:
            return re.compile(pattern)
        except re.error as exc:
            raise ResourceError(f"{path}: {where}: bad regular expression ({exc})") from None

    try:
        rules = []
        for rule in spec["not_a_target"]:
            if "before" not in rule and "after" not in rule:
                raise ResourceError(f"{path}: not_a_target {rule['name']!r}: needs before or after")
            rules.append((rule["name"], compiled(rule.get("before"), rule["name"]),
                          compiled(rule.get("after"), rule["name"]), rule["reason"]))  # fmt: skip
        frequency = compiled(spec["frequency"]["before"], "frequency")
        if "scope" not in frequency.groupindex:
            raise ResourceError(f"{path}: frequency: before needs a (?P<scope>…) group")
        return TargetRules(
            article_quantities=tuple(spec["article"]["quantities"]),
            article_reason=spec["article"]["reason"],
            not_a_target=tuple(rules),
            frequency_before=frequency,
            frequency_units=tuple(spec["frequency"]["units"]),
            scopes=tuple(
                (compiled(s["pattern"], f"scope {s['pattern']!r}"), s["scope"])
                for s in spec["scope"]
            ),  # fmt: skip
        )
    except KeyError as exc:
        raise ResourceError(f"{path}: setting {exc.args[0]!r} is missing") from None


@cache
def target_rules() -> TargetRules:
    """The bundled ``resources/target_rules.toml``."""
    return load_target_rules()


@dataclass(frozen=True)
class SelfReferenceRules:
    """The settings in ``resources/self_reference.toml`` (see the comments there).

    ``levels`` maps a registry level to its ``suffixes``, ``words`` and ``contains``;
    ``region_aliases`` maps a region to its other names.
    """

    show_in_views: bool
    levels: dict[str, dict]
    region_aliases: dict[str, tuple[str, ...]]


def load_self_reference(path: str | Path | None = None) -> SelfReferenceRules:
    """Read ``resources/self_reference.toml`` (or another file with its layout).

    Raises
    ------
    analysis.errors.ResourceError
        If the file is not valid TOML or a setting is missing or of the wrong kind.
    """
    path = Path(path) if path is not None else resource_path("self_reference.toml")
    spec = read_toml(path)
    try:
        levels = {name: {"suffixes": tuple(level["suffixes"]), "words": tuple(level["words"]),
                         "contains": bool(level["contains"])}
                  for name, level in spec["level"].items()}  # fmt: skip
        rules = SelfReferenceRules(
            show_in_views=spec["show_in_views"],
            levels=levels,
            region_aliases={k: tuple(v) for k, v in spec.get("region_aliases", {}).items()},
        )
    except KeyError as exc:
        raise ResourceError(f"{path}: setting {exc.args[0]!r} is missing") from None
    except (TypeError, AttributeError) as exc:
        raise ResourceError(f"{path}: {exc}") from None
    if not isinstance(rules.show_in_views, bool):
        raise ResourceError(f"{path}: show_in_views must be true or false")
    return rules


@cache
def self_reference_rules() -> SelfReferenceRules:
    """The bundled ``resources/self_reference.toml``."""
    return load_self_reference()


#: Columns of :func:`load_policy_tool_rules`.
def read_text_csv(path: Path, wanted: list[str]) -> pd.DataFrame:
    """Read a researcher's CSV resource (UTF-8, a byte-order mark allowed) as stripped strings.

    Returns
    -------
    pandas.DataFrame
        The columns ``wanted``, in that order; blank cells are empty strings.

    Raises
    ------
    analysis.errors.ResourceError
        If the file cannot be read as UTF-8 CSV or lacks a wanted column (the message names it).
    """
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ResourceError(f"{path}: cannot be read as UTF-8 CSV ({exc})") from None
    missing = [c for c in wanted if c not in table.columns]
    if missing:
        raise ResourceError(f"{path}: column(s) missing: {', '.join(missing)}")
    return table[wanted].apply(lambda column: column.str.strip())


POLICY_RULE_COLUMNS = ["sub_tool", "tool_type", "order", "pattern", "terms", "note", "label"]
#: Columns of the overrides file (``resources/policy_tool_overrides.csv``).
POLICY_OVERRIDE_COLUMNS = ["doc_id", "sentence_id", "text", "tool_type", "sub_tool", "note"]


def load_policy_tool_rules(path: str | Path | None = None) -> pd.DataFrame:
    """Read the policy-tool coding rules (``resources/policy_tools.toml``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`POLICY_RULE_COLUMNS`, one row per sub-tool in file order; ``pattern`` is
        the compiled alternation of its terms, longest first.

    Raises
    ------
    analysis.errors.ResourceError
        If the file is not valid TOML, an entry lacks a name, tool type or terms, a sub-tool is
        listed twice, or a term is not a valid regular expression.
    """
    path = Path(path) if path is not None else resource_path("policy_tools.toml")
    rows = []
    for order, entry in enumerate(read_toml(path).get("sub_tool", [])):
        name, tool_type, terms = entry.get("name"), entry.get("tool_type"), entry.get("terms")
        if not name or not tool_type or not terms:
            raise ResourceError(f"{path}: sub_tool {order + 1} needs a name, a tool_type and terms")
        try:
            pattern = re.compile("|".join(sorted(terms, key=len, reverse=True)))
        except re.error as exc:
            raise ResourceError(f"{path}: sub_tool {name!r}: a term is not a valid regular "
                                f"expression ({exc})") from None  # fmt: skip
        rows.append((name, tool_type, order, pattern, tuple(terms), entry.get("note", ""),
                     entry.get("label", name)))  # fmt: skip
    table = pd.DataFrame(rows, columns=POLICY_RULE_COLUMNS)
    if table["sub_tool"].duplicated().any():
        raise ResourceError(f"{path}: a sub_tool is listed twice")
    if "none" not in set(table["sub_tool"]):
        raise ResourceError(
            f"{path}: the 'none' entry (cues of sentences without a measure) is missing"
        )
    return table


def load_policy_tool_overrides(path: str | Path | None = None) -> pd.DataFrame:
    """Read the researcher's corrections of single sentences (``policy_tool_overrides.csv``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`POLICY_OVERRIDE_COLUMNS` (``sentence_id`` blank when the sentence is
        given by its text), every value a stripped string.

    Raises
    ------
    analysis.errors.ResourceError
        If a column is missing or a row names neither a sentence id nor a text.
    """
    path = Path(path) if path is not None else resource_path("policy_tool_overrides.csv")
    table = read_text_csv(path, POLICY_OVERRIDE_COLUMNS)
    for line, row in enumerate(table.itertuples(index=False), start=2):
        if not row.doc_id or not (row.sentence_id or row.text) or not row.sub_tool:
            raise ResourceError(f"{path}, line {line}: give doc_id, sentence_id or text, and "
                                "sub_tool")  # fmt: skip
    return table


#: Columns of the PMC scheme's secondary variables (``resources/pmc.toml``).
PMC_SECONDARY_COLUMNS = ["primary", "primary_label", "primary_name", "secondary", "label",
                         "definition", "rule", "params"]  # fmt: skip
#: What each PMC rule kind needs (beyond ``rule``), and what it may have.
PMC_RULE_KEYS = {
    "terms": ({"terms"}, {"min_sentences", "headings"}),
    "period_years": ({"min_years"}, {"max_years", "target_years"}),
    "registry": ({"field"}, {"values", "contains"}),
    "targets": (set(), {"min_targets"}),
}
#: Columns of the PMC overrides file (``resources/pmc_overrides.csv``).
PMC_OVERRIDE_COLUMNS = ["doc_id", "secondary", "score", "note"]


def load_pmc_scheme(path: str | Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the PMC index's variables, evidence rules and grade bands (``resources/pmc.toml``).

    Returns
    -------
    tuple of pandas.DataFrame
        The secondary variables (columns :data:`PMC_SECONDARY_COLUMNS`, in file order; ``params``
        holds the rule's settings, a term rule's ``pattern`` compiled) and the grades (``grade,
        label, min``, highest band first).

    Raises
    ------
    analysis.errors.ResourceError
        If the file is not valid TOML, a variable has no id, label or secondary variable, an id
        is listed twice, a rule is unknown or lacks a setting, or a term is not a valid regular
        expression; the message names the variable.
    """
    path = Path(path) if path is not None else resource_path("pmc.toml")
    spec = read_toml(path)
    rows = []
    for primary in spec.get("variable", []):
        pid, plabel = primary.get("id"), primary.get("label")
        if not pid or not plabel or not primary.get("secondary"):
            raise ResourceError(f"{path}: variable {pid or '?'} needs an id, a label and at "
                                "least one [[variable.secondary]]")  # fmt: skip
        for secondary in primary["secondary"]:
            sid, rule = secondary.get("id"), secondary.get("rule")
            if not sid or not secondary.get("label") or rule not in PMC_RULE_KEYS:
                raise ResourceError(f"{path}: secondary {sid or '?'} of {pid} needs an id, a "
                                    f"label and a rule ({', '.join(PMC_RULE_KEYS)})")  # fmt: skip
            needed, allowed = PMC_RULE_KEYS[rule]
            params = {k: v for k, v in secondary.items()
                      if k not in ("id", "label", "definition", "rule")}  # fmt: skip
            if needed - params.keys() or params.keys() - needed - allowed:
                raise ResourceError(f"{path}: secondary {sid}: rule {rule!r} takes "
                                    f"{', '.join(sorted(needed | allowed))}")  # fmt: skip
            if rule == "registry" and params["field"] not in registry_columns("documents"):
                raise ResourceError(f"{path}: secondary {sid}: field {params['field']!r} is not a "
                                    "column of documents.csv")  # fmt: skip
            if rule == "terms":
                try:
                    params["pattern"] = re.compile("|".join(
                        sorted(params["terms"], key=len, reverse=True)))  # fmt: skip
                except re.error as exc:
                    raise ResourceError(f"{path}: secondary {sid}: a term is not a valid "
                                        f"regular expression ({exc})") from None  # fmt: skip
            rows.append((pid, plabel, primary.get("name", ""), sid, secondary["label"],
                         secondary.get("definition", ""), rule, params))  # fmt: skip
    table = pd.DataFrame(rows, columns=PMC_SECONDARY_COLUMNS)
    if table.empty:
        raise ResourceError(f"{path}: no [[variable]] defined")
    primaries = pd.Series([variable["id"] for variable in spec["variable"]])
    for kind, ids in (("variable", primaries), ("secondary", table["secondary"])):
        if ids.duplicated().any():
            raise ResourceError(f"{path}: {kind} {ids[ids.duplicated()].iloc[0]} is listed twice")
    try:
        grades = pd.DataFrame([(g["name"], g["label"], float(g["min"]))
                               for g in spec.get("grade", [])],
                              columns=["grade", "label", "min"])  # fmt: skip
    except (KeyError, TypeError, ValueError) as exc:
        raise ResourceError(f"{path}: every [[grade]] needs a name, a label and a min ({exc!r})") \
            from None  # fmt: skip
    if grades.empty or grades["min"].min() > 0:
        raise ResourceError(f"{path}: the grades must start at min = 0 (every score needs a grade)")
    declared = [x for x, _, _ in PMC_PRIMARIES]
    if sorted(set(primaries)) != sorted(declared):
        raise ResourceError(f"{path}: the primary variables must be {', '.join(declared)}, the "
                            "columns of pmc.csv (a scheme with others needs them in "
                            "PMC_PRIMARIES, analysis/registry.py)")  # fmt: skip
    return table, grades.sort_values("min", ascending=False, ignore_index=True)


def load_pmc_overrides(path: str | Path | None = None) -> pd.DataFrame:
    """Read the researcher's corrections of single PMC points (``resources/pmc_overrides.csv``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PMC_OVERRIDE_COLUMNS`; ``score`` an int (0 or 1), the rest stripped strings.

    Raises
    ------
    analysis.errors.ResourceError
        If the file cannot be read, a column is missing, or a row lacks a document or secondary
        variable or has a score other than 0 or 1 (the message names the line).
    """
    path = Path(path) if path is not None else resource_path("pmc_overrides.csv")
    table = read_text_csv(path, PMC_OVERRIDE_COLUMNS)
    for line, row in enumerate(table.itertuples(index=False), start=2):
        if not row.doc_id or not row.secondary or row.score not in ("0", "1"):
            raise ResourceError(f"{path}, line {line}: give doc_id, secondary (such as X6:2) and "
                                "score 0 or 1")  # fmt: skip
    return table.astype({"score": "int64"})
