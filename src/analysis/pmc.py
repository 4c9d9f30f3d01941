"""The PMC index (Policy Modelling Consistency; Ruiz Estrada 2011): each document scored 0 or 1 on
binary secondary variables, averaged into nine primary variables and summed into one index.

The variables, their evidence rules and the grade bands are in ``resources/pmc.toml`` (which cites
the variable set followed and says where it is adapted). Every point carries its evidence: the
sentences that scored it (ids and a quote) or the registry field, period or targets behind it;
single points are corrected in ``resources/pmc_overrides.csv``. A rule scores what a text says,
not how well a plan is made: the index measures how many of the variables' aspects a document
addresses.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from .errors import ResourceError
from .registry import columns
from .resources import load_pmc_overrides, load_pmc_scheme

log = logging.getLogger(__name__)
#: Sentence ids listed in the evidence of a term rule (the count gives the rest).
EVIDENCE_IDS = 5
#: Characters of the first matching sentence quoted on each side of the match, and of the match.
QUOTE_CONTEXT = 14
QUOTE_MATCH = 24
#: Decimals kept in pmc.csv (the primaries are means of a few 0/1 scores).
DECIMALS = 6
#: Target kinds that state a commitment (``targets.csv``): they count for X2 and X6:2.
COMMITMENT_KINDS = ("target", "threshold")


def quote(text: str, start: int, end: int, context: int = QUOTE_CONTEXT) -> str:
    """A short quote of ``text`` around ``text[start:end]``, cut with ellipses.

    Examples
    --------
    >>> quote("一二三四五六七八九十", 4, 6, context=2)
    '…三四【五六】七八…'
    >>> quote("到2025年建成", 0, 6)
    '【到2025年】建成'
    """
    left, right = max(start - context, 0), min(end + context, len(text))
    matched = (
        text[start:end] if end - start <= QUOTE_MATCH else text[start : start + QUOTE_MATCH] + "…"
    )
    return (("…" if left else "") + text[left:start] + f"【{matched}】" + text[end:right]
            + ("…" if right < len(text) else ""))  # fmt: skip


def _term_points(params: dict, sentences: pd.DataFrame) -> dict[str, tuple[int, int, str, str]]:
    """Score of a ``terms`` rule per document: ``doc_id -> (score, n, sentence ids, evidence)``,
    the evidence a quote of the first matching sentence."""
    pool = (
        sentences[sentences["is_heading"].to_numpy(bool)] if params.get("headings") else sentences
    )
    pattern = params["pattern"]
    found = pool[pool["text"].str.contains(pattern.pattern, regex=True)]
    points = {}
    for doc_id, hits in found.groupby("doc_id", sort=False):
        first = hits["text"].iloc[0]
        match = pattern.search(first)
        ids = "; ".join(map(str, hits["sentence_id"].head(EVIDENCE_IDS)))
        points[doc_id] = (int(len(hits) >= params.get("min_sentences", 1)), len(hits), ids,
                          f"{len(hits)} sentence(s): {quote(first, match.start(), match.end())}")  # fmt: skip
    return points


def _period_point(
    params: dict, document, years: list[tuple[int, int]]
) -> tuple[int, int, str, str]:
    """Score of a ``period_years`` rule for one document: the period (first to last year,
    inclusive) or a target year (counted from the period's first year) in the range."""
    low, high = params["min_years"], params.get("max_years", 10_000)
    start, end = document.period_start, document.period_end
    spans = []
    if pd.notna(start) and pd.notna(end):
        spans.append((int(end) - int(start) + 1, f"period {int(start)}-{int(end)}", ""))
    if params.get("target_years") and pd.notna(start):
        spans += [(year - int(start) + 1, f"target year {year}", str(sid)) for sid, year in years]
    hits = [(label, sid) for span, label, sid in spans if low <= span <= high]
    ids = "; ".join(dict.fromkeys(sid for _, sid in hits if sid))
    return (int(bool(hits)), len(hits), ids,
            "; ".join(dict.fromkeys(label for label, _ in hits))[:200] or "no year in range")  # fmt: skip


def pmc_variables_table(
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    targets: pd.DataFrame,
    *,
    scheme: pd.DataFrame | None = None,
    overrides: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Score every document on every secondary variable, with the evidence.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The ``sentences`` table (headings included; front matter is not in it).
    documents : pandas.DataFrame
        The ``documents`` table (level, issuer, period).
    targets : pandas.DataFrame
        The ``targets`` table (target years; whether a document states a quantitative target).
    scheme : pandas.DataFrame, optional
        The secondary variables of :func:`analysis.resources.load_pmc_scheme` (default: the
        bundled ``pmc.toml``).
    overrides : pandas.DataFrame, optional
        Output of :func:`analysis.resources.load_pmc_overrides`: a row sets one document's
        score on one secondary variable.

    Returns
    -------
    pandas.DataFrame
        Columns of ``pmc_variables`` in the registry: documents × secondary variables, in
        document and scheme order.

    Raises
    ------
    analysis.errors.ResourceError
        If an override names a secondary variable the scheme lacks.
    """
    scheme = scheme if scheme is not None else load_pmc_scheme()[0]
    overrides = overrides if overrides is not None else load_pmc_overrides()
    commitments = targets[targets["kind"].isin(COMMITMENT_KINDS)]
    years = {doc_id: list(zip(group["sentence_id"], group["target_year"].astype(int), strict=True))
             for doc_id, group in commitments[commitments["target_year"].notna()]
             .groupby("doc_id", sort=False)}  # fmt: skip
    n_commitments = commitments.groupby("doc_id").size()
    rows = []
    for spec in scheme.itertuples(index=False):
        params = spec.params
        term_points = _term_points(params, sentences) if spec.rule == "terms" else {}
        for document in documents.itertuples(index=False):
            doc_id = document.doc_id
            if spec.rule == "terms":
                point = term_points.get(doc_id, (0, 0, "", "no sentence matches"))
            elif spec.rule == "period_years":
                point = _period_point(params, document, years.get(doc_id, []))
            elif spec.rule == "registry":
                value = str(getattr(document, params["field"]))
                hit = value in params.get("values", []) or any(
                    part in value for part in params.get("contains", []))  # fmt: skip
                point = (int(hit), int(hit), "", f"{params['field']} = {value}")
            else:  # targets
                n = int(n_commitments.get(doc_id, 0))
                point = (int(n >= params.get("min_targets", 1)), n, "",
                         f"{n} quantitative target(s) or threshold(s) in targets.csv")  # fmt: skip
            score, n, ids, evidence = point
            rows.append((doc_id, spec.primary, spec.primary_label, spec.secondary, spec.label,
                         score, n, ids, evidence, "rule"))  # fmt: skip
    table = pd.DataFrame(rows, columns=columns("pmc_variables"))
    order = {d: i for i, d in enumerate(documents["doc_id"])}
    table = table.sort_values("doc_id", key=lambda s: s.map(order), kind="stable")
    table = table.reset_index(drop=True)
    known = set(scheme["secondary"])
    for line, row in enumerate(overrides.itertuples(index=False), start=2):
        if row.secondary not in known:
            raise ResourceError(f"pmc_overrides.csv, line {line}: secondary {row.secondary!r} is "
                                "not in resources/pmc.toml")  # fmt: skip
        hit = (table["doc_id"] == row.doc_id) & (table["secondary"] == row.secondary)
        if not hit.any():
            log.warning("pmc_overrides.csv, line %d: no document %s; override not applied",
                        line, row.doc_id)  # fmt: skip
            continue
        table.loc[hit, ["score", "evidence", "source"]] = [
            row.score,
            f"override: {row.note}" if row.note else "override",
            "override",
        ]
    return table.astype({"score": "int64", "n_evidence": "int64"})


def pmc_table(pmc_variables: pd.DataFrame, grades: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each document's primary variables (the mean of their secondaries), PMC index, grade and
    rank.

    Parameters
    ----------
    pmc_variables : pandas.DataFrame
        Output of :func:`pmc_variables_table`.
    grades : pandas.DataFrame, optional
        The grade bands of :func:`analysis.resources.load_pmc_scheme`.

    Returns
    -------
    pandas.DataFrame
        Columns of ``pmc`` in the registry: one row per document, in document order, with one
        column per primary variable (``X1`` …).

    Examples
    --------
    >>> scores = pd.DataFrame({"doc_id": ["a", "a", "a", "b", "b", "b"],
    ...                        "primary": ["X1", "X1", "X2"] * 2, "score": [1, 0, 1, 1, 1, 0]})
    >>> pmc_table(scores)[["doc_id", "X1", "X2", "pmc", "grade", "rank"]].values.tolist()
    [['a', 0.5, 1.0, 1.5, 'poor', 1], ['b', 1.0, 0.0, 1.0, 'poor', 2]]
    """
    grades = grades if grades is not None else load_pmc_scheme()[1]
    primaries = pmc_variables.pivot_table(index="doc_id", columns="primary", values="score",
                                          aggfunc="mean", sort=False)  # fmt: skip
    primaries = primaries.reindex(columns=list(dict.fromkeys(pmc_variables["primary"])))
    table = primaries.round(DECIMALS).reset_index()  # rounded: the same bytes on any machine
    table.columns.name = None
    table["pmc"] = primaries.sum(axis=1).round(DECIMALS).to_numpy()
    table["concavity"] = (primaries.shape[1] - table["pmc"]).round(DECIMALS)
    bands = grades.sort_values("min", ascending=False)
    band = np.array([int(np.argmax(value >= bands["min"].to_numpy())) for value in table["pmc"]])
    table["grade"] = bands["grade"].to_numpy()[band]
    table["grade_label"] = bands["label"].to_numpy()[band]
    table["rank"] = table["pmc"].rank(method="min", ascending=False).astype("int64")
    return table
