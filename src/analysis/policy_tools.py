"""Policy tools: each plan-body sentence coded as a supply, environment or demand instrument.

The coding scheme is Rothwell & Zegveld's (1985) three tool types with the sub-tools of Chinese
policy-text research (赵筱媛、苏竣 2007); the rules are the terms of ``resources/policy_tools.toml``
(the sub-tool whose terms a sentence matches most often wins; ties go to the sub-tool listed
first; cues of background, problems and principles make a sentence ``none``), and single
sentences are corrected in ``resources/policy_tool_overrides.csv``. Every code carries its
evidence (the matched terms, or the override's note) and its source (rule or override).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import LabelError, ResourceError
from .registry import columns, empty_table
from .resources import load_policy_tool_overrides, load_policy_tool_rules

log = logging.getLogger(__name__)
POLICY_TOOL_COLUMNS = columns("policy_tools")
#: Tool types in the order tables and figures show them.
TOOL_TYPES = ("supply", "environment", "demand", "none")


def code_sentence(text: str, rules: pd.DataFrame | None = None) -> tuple[str, str, str]:
    """The tool type, sub-tool and evidence of one sentence by the rules.

    Parameters
    ----------
    text : str
        The sentence.
    rules : pandas.DataFrame, optional
        Output of :func:`analysis.resources.load_policy_tool_rules` (default: the bundled one).

    Returns
    -------
    tuple of str
        ``(tool_type, sub_tool, evidence)``; evidence lists the winning sub-tool's matched terms.

    Examples
    --------
    >>> code_sentence("健全报告制度,责任单位每年向上级报告规划落实情况。")
    ('environment', 'institutional', 'institutional: 制度、责任')
    >>> code_sentence("开展全国科普日等主题科普活动。")[:2]
    ('supply', 'public_service')
    >>> code_sentence("科技创新与科学普及之间融合发展不够;")
    ('none', 'none', 'none: 不够')
    """
    coded = code_texts(pd.Series([text], dtype=object), rules)
    return coded[0][0], coded[1][0], coded[2][0]


def code_texts(texts: pd.Series, rules: pd.DataFrame | None = None) -> tuple[list, list, list]:
    """Code many sentences at once (each sub-tool's terms counted over all of them in one pass).

    Returns
    -------
    tuple of list
        Tool types, sub-tools and evidence, in the order of ``texts``.
    """
    rules = rules if rules is not None else load_policy_tool_rules()
    names = rules["sub_tool"].tolist()
    n = len(texts)
    counts = np.zeros((n, len(names)), dtype=np.int64)
    for column, pattern in enumerate(rules["pattern"]):
        counts[:, column] = texts.str.count(pattern.pattern).to_numpy(dtype=np.int64) if n else 0
    none_column = names.index("none")
    measures = np.array([i for i, name in enumerate(names) if name != "none"], dtype=np.intp)
    scores = counts[:, measures]
    best = measures[scores.argmax(axis=1)] if len(measures) else np.full(n, none_column)
    best_score = counts[np.arange(n), best]
    none = counts[:, none_column]
    cue = (none > 0) & (none >= best_score)
    unmatched = ~cue & (best_score == 0)
    winner = np.where(cue | unmatched, none_column, best)
    tool_types = rules["tool_type"].to_numpy(dtype=object)[winner].tolist()
    sub_tools = np.asarray(names, dtype=object)[winner].tolist()
    patterns = rules["pattern"].tolist()
    evidence = ["no rule matched" if missing else
                f"{names[w]}: " + "、".join(dict.fromkeys(m.group(0) for m in patterns[w].finditer(t)))
                for t, w, missing in zip(texts, winner, unmatched, strict=True)]  # fmt: skip
    return tool_types, sub_tools, evidence


def policy_tools_table(
    sentences: pd.DataFrame,
    sections: pd.DataFrame,
    *,
    rules: pd.DataFrame | None = None,
    overrides: pd.DataFrame | None = None,
    themes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Code every plan-body sentence by policy tool: headings are left out, except the lead
    sentences of ``paragraph`` sections (聚焦政治靶心。…), which are sentences of the text made
    headings only to split a unit.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The ``sentences`` table (front matter is not in it).
    sections : pandas.DataFrame
        The ``sections`` table (the kind of each sentence's section).
    rules : pandas.DataFrame, optional
        Output of :func:`analysis.resources.load_policy_tool_rules`.
    overrides : pandas.DataFrame, optional
        Output of :func:`analysis.resources.load_policy_tool_overrides`: a row replaces the code
        of the sentence it names (by ``sentence_id``, or by its exact text in that document).
    themes : pandas.DataFrame, optional
        Output of :func:`analysis.resources.load_themes`: each sentence's functional ``area`` is
        its main theme (:func:`analysis.themes.main_themes`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`POLICY_TOOL_COLUMNS`, one row per sentence in table order.
    """
    from .resources import load_themes
    from .themes import main_themes

    rules = rules if rules is not None else load_policy_tool_rules()
    overrides = overrides if overrides is not None else load_policy_tool_overrides()
    themes = themes if themes is not None else load_themes()
    kind = sentences[["doc_id", "section_id"]].merge(
        sections[["doc_id", "section_id", "kind"]], how="left")["kind"].to_numpy()  # fmt: skip
    body = sentences[~sentences["is_heading"].to_numpy(bool) | (kind == "paragraph")]
    table = body[["doc_id", "section_id", "sentence_id", "text"]].reset_index(drop=True)
    table["tool_type"], table["sub_tool"], table["evidence"] = code_texts(table["text"], rules)
    table["source"] = "rule"
    table["area"] = main_themes(table, themes)
    tool_of = dict(zip(rules["sub_tool"], rules["tool_type"], strict=True))
    for line, row in enumerate(overrides.itertuples(index=False), start=2):
        if row.sub_tool not in tool_of:
            raise ResourceError(f"policy_tool_overrides.csv, line {line}: sub_tool "
                                f"{row.sub_tool!r} is not one of {', '.join(tool_of)}")  # fmt: skip
        same_doc = table["doc_id"] == row.doc_id
        hit = same_doc & ((table["sentence_id"].astype(str) == row.sentence_id) if row.sentence_id
                          else (table["text"] == row.text))  # fmt: skip
        if not hit.any():  # never silently: the sentence may have changed since the override
            log.warning("policy_tool_overrides.csv, line %d: no sentence of %s matches %s; "
                        "override not applied", line, row.doc_id,
                        f"sentence_id {row.sentence_id}" if row.sentence_id else repr(row.text))  # fmt: skip
            continue
        table.loc[hit, ["tool_type", "sub_tool", "evidence", "source"]] = [
            row.tool_type or tool_of.get(row.sub_tool, ""), row.sub_tool,
            f"override: {row.note}" if row.note else "override", "override"]  # fmt: skip
    return table[POLICY_TOOL_COLUMNS]


#: Sentence-final punctuation ignored when hand-coded sentences are matched (a lead sentence made
#: a heading loses its 。).
_FINAL_PUNCTUATION = "。;；!！?？ "


def load_policy_tool_gold(path: str | Path) -> pd.DataFrame | None:
    """Read hand-coded sentences (``policy_tools_dev.json``): None when the file is absent.

    Returns
    -------
    pandas.DataFrame or None
        ``doc_id, text, tool_type, sub_tool``: the last two are tuples of every label a coder
        gave (one label when both agreed).

    Raises
    ------
    analysis.errors.LabelError
        If the file is not valid JSON or a sentence lacks a field.
    """
    path = Path(path)
    if not path.is_file():
        return None
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
        rows = [(s["doc_id"], s["text"], tuple(s["tool_type"]), tuple(s["sub_tool"]))
                for s in spec["sentences"]]  # fmt: skip
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise LabelError(f"{path}: not a policy-tool label file ({exc!r})") from None
    return pd.DataFrame(rows, columns=["doc_id", "text", "tool_type", "sub_tool"])


def policy_tools_validation_table(policy_tools: pd.DataFrame, gold: pd.DataFrame | None, *,
                                  source: str = "") -> pd.DataFrame:  # fmt: skip
    """Accuracy and Cohen's kappa of the codes against hand-coded sentences.

    A code is right when a coder gave it. For kappa, where the two coders differ, the one who
    agrees with the code is taken (and the first otherwise), the usual way to score against
    two coders' labels. Sentences are matched by document and text, final punctuation ignored.

    Parameters
    ----------
    policy_tools : pandas.DataFrame
        Output of :func:`policy_tools_table`.
    gold : pandas.DataFrame or None
        Output of :func:`load_policy_tool_gold`; None gives one ``skipped`` row.
    source : str
        The label file's name, for the skipped row's status.

    Returns
    -------
    pandas.DataFrame
        Columns of ``policy_tools_validation`` in the registry: per hand-coded document and for
        all of them, for ``tool_type`` and ``sub_tool``.
    """
    from sklearn.metrics import cohen_kappa_score

    if gold is None:
        skipped = empty_table("policy_tools_validation")
        skipped.loc[0] = ["all", "", 0, 0, np.nan, np.nan,
                          f"skipped: no hand labels at {source} (see README, Validation)"]  # fmt: skip
        return skipped.astype({"n_labelled": "int64", "n_matched": "int64"})
    key = policy_tools["text"].str.rstrip(_FINAL_PUNCTUATION)
    codes = zip(policy_tools["tool_type"], policy_tools["sub_tool"], strict=True)
    coded = dict(zip(zip(policy_tools["doc_id"], key, strict=True), codes, strict=True))
    found = [coded.get((d, t.rstrip(_FINAL_PUNCTUATION)))
             for d, t in zip(gold["doc_id"], gold["text"], strict=True)]  # fmt: skip
    rows = []
    for doc_id in [*dict.fromkeys(gold["doc_id"]), "all"]:
        mask = (
            np.ones(len(gold), bool) if doc_id == "all" else (gold["doc_id"] == doc_id).to_numpy()
        )
        for position, level in enumerate(("tool_type", "sub_tool")):
            pairs = [(f[position], labels) for f, labels, m in zip(found, gold[level], mask,
                                                                   strict=True) if m and f]  # fmt: skip
            predicted = [p for p, _ in pairs]
            reference = [p if p in labels else labels[0] for p, labels in pairs]
            right = sum(p == r for p, r in zip(predicted, reference, strict=True))
            kappa = (
                cohen_kappa_score(reference, predicted)
                if len(set(reference) | set(predicted)) > 1
                else np.nan
            )
            rows.append((doc_id, level, int(mask.sum()), len(pairs),
                         right / len(pairs) if pairs else np.nan, float(kappa), "scored"))  # fmt: skip
    return pd.DataFrame(rows, columns=columns("policy_tools_validation"))


def policy_tool_areas_table(policy_tools: pd.DataFrame, documents: pd.DataFrame,
                            themes: pd.DataFrame,
                            rules: pd.DataFrame | None = None) -> pd.DataFrame:  # fmt: skip
    """Sub-tool × functional area: sentences with a measure counted per document and per
    document group (the registry's ``level``), each sentence once, in its main theme's area.

    Parameters
    ----------
    policy_tools : pandas.DataFrame
        Output of :func:`policy_tools_table` (with ``area``).
    documents : pandas.DataFrame
        The ``documents`` table (each document's ``level``).
    themes : pandas.DataFrame
        Output of :func:`analysis.resources.load_themes` (the areas' labels and order).
    rules : pandas.DataFrame, optional
        Output of :func:`analysis.resources.load_policy_tool_rules` (the sub-tools' labels).

    Returns
    -------
    pandas.DataFrame
        Columns of ``policy_tool_areas`` in the registry: every unit × sub-tool × area with at
        least one sentence; documents first, then groups; ``share`` of the unit's sentences with
        a measure, so a unit's shares add up to 1.
    """
    from .themes import theme_labels

    rules = rules if rules is not None else load_policy_tool_rules()
    areas = theme_labels(themes)
    sub_tools = dict(zip(rules["sub_tool"], rules["label"], strict=True))
    coded = policy_tools[policy_tools["tool_type"] != "none"]
    levels = documents.set_index("doc_id")["level"]
    frames = []
    for unit_type, units in (("document", coded["doc_id"]), ("group", coded["doc_id"].map(levels))):
        counts = (coded.assign(unit=units.to_numpy())
                  .groupby(["unit", "tool_type", "sub_tool", "area"], sort=False).size()
                  .rename("count").reset_index())  # fmt: skip
        counts["share"] = counts["count"] / counts.groupby("unit")["count"].transform("sum")
        counts["unit_type"] = unit_type
        order = {u: i for i, u in enumerate(units.unique())}
        frames.append(counts.assign(_unit=counts["unit"].map(order)))
    table = pd.concat(frames, ignore_index=True)
    table["sub_tool_label"] = table["sub_tool"].map(sub_tools)
    table["area_label"] = table["area"].map(areas).fillna(table["area"])
    tool_order = {t: i for i, t in enumerate(TOOL_TYPES)}
    sub_order = {t: i for i, t in enumerate(sub_tools)}
    area_order = {a: i for i, a in enumerate(areas)}
    table = table.assign(_kind=table["unit_type"].map({"document": 0, "group": 1}),
                         _t=table["tool_type"].map(tool_order), _s=table["sub_tool"].map(sub_order),
                         _a=table["area"].map(area_order).fillna(len(area_order)))  # fmt: skip
    table = table.sort_values(["_kind", "_unit", "_t", "_s", "_a"], kind="stable")
    table["count"] = table["count"].astype(np.int64)
    return table.reset_index(drop=True)[columns("policy_tool_areas")]


def policy_tool_summary_table(policy_tools: pd.DataFrame) -> pd.DataFrame:
    """Counts and shares of each tool type and sub-tool per document.

    Parameters
    ----------
    policy_tools : pandas.DataFrame
        Output of :func:`policy_tools_table`.

    Returns
    -------
    pandas.DataFrame
        Columns of ``policy_tool_summary`` in the registry: every document × sub-tool that
        occurs; ``share`` of the document's coded sentences, ``share_of_tools`` of those with a
        measure (``none`` left out; blank for ``none``).

    Examples
    --------
    >>> coded = pd.DataFrame({"doc_id": "d", "tool_type": ["supply", "supply", "none"],
    ...                       "sub_tool": ["talent", "talent", "none"]})
    >>> policy_tool_summary_table(coded)[["sub_tool", "count", "share", "share_of_tools"]].values.tolist()
    [['talent', 2, 0.6666666666666666, 1.0], ['none', 1, 0.3333333333333333, nan]]
    """
    order = {t: i for i, t in enumerate(TOOL_TYPES)}
    counts = (policy_tools.groupby(["doc_id", "tool_type", "sub_tool"], sort=False).size()
              .rename("count").reset_index())  # fmt: skip
    totals = policy_tools.groupby("doc_id", sort=False).size()
    tools = policy_tools[policy_tools["tool_type"] != "none"].groupby("doc_id", sort=False).size()
    counts["share"] = counts["count"] / counts["doc_id"].map(totals)
    measure = counts["tool_type"] != "none"
    counts["share_of_tools"] = np.where(
        measure, counts["count"] / counts["doc_id"].map(tools).reindex(counts.index).fillna(0)
        .replace(0, np.nan), np.nan)  # fmt: skip
    documents = {d: i for i, d in enumerate(policy_tools["doc_id"].unique())}
    counts = counts.assign(_d=counts["doc_id"].map(documents), _t=counts["tool_type"].map(order))
    counts = counts.sort_values(["_d", "_t", "count", "sub_tool"],
                                ascending=[True, True, False, True])  # fmt: skip
    counts["count"] = counts["count"].astype(np.int64)
    return counts.reset_index(drop=True)[columns("policy_tool_summary")]


def policy_tool_mix_test_table(policy_tools: pd.DataFrame,
                               documents: pd.DataFrame) -> pd.DataFrame:  # fmt: skip
    """Whether the tool mix differs between document groups (the registry's ``level``): a
    chi-square test of independence on the groups × tool types table of sentences with a
    measure, for tool types and for sub-tools.

    Returns
    -------
    pandas.DataFrame
        Columns of ``policy_tool_mix_test`` in the registry: one row per detail (tool_type,
        sub_tool); blank statistics when fewer than two groups have coded sentences.
    """
    from scipy.stats import chi2_contingency

    levels = documents.set_index("doc_id")["level"]
    coded = policy_tools[policy_tools["tool_type"] != "none"]
    groups = coded["doc_id"].map(levels)
    rows = []
    for detail in ("tool_type", "sub_tool"):
        table = pd.crosstab(groups, coded[detail])
        table = table.loc[:, table.sum() > 0]
        if table.shape[0] < 2 or table.shape[1] < 2:
            rows.append((detail, ", ".join(table.index), int(table.to_numpy().sum()), np.nan,
                         0, np.nan, np.nan, "fewer than two groups or categories"))  # fmt: skip
            continue
        result = chi2_contingency(table.to_numpy())
        expected_small = float((result.expected_freq < 5).mean())
        rows.append((detail, ", ".join(table.index), int(table.to_numpy().sum()),
                     float(result.statistic), int(result.dof), float(result.pvalue),
                     expected_small, ""))  # fmt: skip
    return pd.DataFrame(rows, columns=columns("policy_tool_mix_test"))
