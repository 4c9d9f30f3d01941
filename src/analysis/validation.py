"""Validation: the alignment scored against hand labels, so its numbers can be cited with their error.

The labels are the development portion of ``../shared/gold`` (:func:`analysis.config.gold_dir`):
provincial units of the Henan 14th five-year plan and the Jilin reform plan, each with every
national unit two annotators judged to be substantially the same work. They live outside the
repository. Without them the build keeps the validation tables of the last build that had them
(:func:`kept_validation`: a clone's committed tables stay as they are), or, with none, writes
the validation table with a ``skipped`` status.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from . import config
from .alignment import TOP_K, UnitScores, coverage_table
from .errors import LabelError
from .resources import AlignmentSettings, default_settings

log = logging.getLogger(__name__)

GOLD_UNIT_COLUMNS = ["doc_id", "heading", "rollup_heading", "level", "acceptable", "novel"]
VALIDATION_COLUMNS = ["variant", "method", "doc_id", "level", "n_units", "p_at_1", "hit_at_3",
                      "n_novel_labelled", "n_novel_flagged", "novelty_precision",
                      "novelty_recall", "echo_precision", "echo_recall", "n_unmatched",
                      "status"]  # fmt: skip
VALIDATION_UNIT_COLUMNS = ["doc_id", "section_id", "level", "heading", "acceptable",
                           "rank1", "top3", "rank1_acceptable", "top3_acceptable",
                           "novel_labelled", "novel_flagged", "text"]  # fmt: skip
#: The label of every document pooled in the validation table.
ALL_DOCUMENTS = "all"


def load_alignment_gold(path: str | Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """Read the hand-labelled alignment units (``alignment_dev.json``).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The JSON file (default: ``alignment_dev.json`` in :func:`analysis.config.gold_dir`).

    Returns
    -------
    tuple of pandas.DataFrame, or None
        ``units``: one row per labelled task unit at the finest level the annotators used
        (``level`` unit: a unit, or a sub-task of a long unit, with ``rollup_heading`` its
        unit's heading) and per unit that holds sub-tasks (``level`` rollup); columns
        :data:`GOLD_UNIT_COLUMNS`, ``acceptable`` a tuple of codes. ``national``: code,
        national_doc_id, heading. None when the file does not exist.

    Raises
    ------
    analysis.errors.LabelError
        If the file is not JSON or lacks the expected fields.
    """
    path = Path(path) if path is not None else config.gold_dir() / config.ALIGNMENT_GOLD_NAME
    if not path.is_file():
        return None
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
        national = pd.DataFrame([(n["code"], n["national_doc_id"], n["heading"])
                                 for n in spec["national_units"]],
                                columns=["code", "national_doc_id", "heading"])  # fmt: skip
        rows = []
        for unit in spec["units"]:
            if unit["status"] != "task":
                continue
            if unit.get("subtasks"):
                rows.append((unit["doc_id"], unit["heading"], "", "rollup",
                             tuple(unit["acceptable"]), bool(unit["novel"])))  # fmt: skip
                rows += [(unit["doc_id"], sub["lead"], unit["heading"], "unit",
                          tuple(sub["acceptable"]), bool(sub["novel"]))
                         for sub in unit["subtasks"]]  # fmt: skip
            else:
                rows.append((unit["doc_id"], unit["heading"], "", "unit",
                             tuple(unit["acceptable"]), bool(unit["novel"])))  # fmt: skip
    except (ValueError, KeyError, TypeError) as exc:
        raise LabelError(f"{path}: not the expected hand-label layout ({exc!r})") from None
    return pd.DataFrame(rows, columns=GOLD_UNIT_COLUMNS), national


def match_gold_units(gold: pd.DataFrame, national: pd.DataFrame, units: pd.DataFrame,
                     scores: UnitScores) -> pd.DataFrame:  # fmt: skip
    """Find each labelled unit among the scored units, and each national code among the columns.

    Units are matched by document and heading (section ids may have changed since labelling),
    a sub-task by its lead sentence within its unit.

    Returns
    -------
    pandas.DataFrame
        ``gold`` with ``row`` (the unit's row in ``scores``, -1 when not found) and
        ``acceptable_columns`` (the columns of its acceptable national units).
    """
    provincial = units.loc[scores.provincial]
    heading_of = dict(zip(zip(units["doc_id"], units["section_id"], strict=True), units["heading"],
                          strict=True))  # fmt: skip
    row_of = {}
    for row, (doc_id, heading, level, rollup_id) in enumerate(zip(
            provincial["doc_id"], provincial["heading"], provincial["level"],
            provincial["rollup_id"], strict=True)):  # fmt: skip
        parent_heading = heading_of.get((doc_id, rollup_id), "") if rollup_id else ""
        row_of.setdefault((doc_id, _key(heading), _key(parent_heading), level), row)
        row_of.setdefault((doc_id, _key(heading), "", "any"), row)
    national_units = units.loc[scores.national]
    column_of = {(d, _key(h)): i for i, (d, h) in enumerate(zip(
        national_units["doc_id"], national_units["heading"], strict=True))}  # fmt: skip
    code_column = {code: column_of.get((d, _key(h)), -1)
                   for code, d, h in national.itertuples(index=False)}  # fmt: skip
    matched = gold.copy()
    matched["row"] = [
        row_of.get((d, _key(h), "", "rollup"), -1) if level == "rollup"
        else row_of.get((d, _key(h), _key(p), "unit"), row_of.get((d, _key(h), "", "any"), -1))
        for d, h, p, level in zip(gold["doc_id"], gold["heading"], gold["rollup_heading"],
                                  gold["level"], strict=True)
    ]  # fmt: skip
    matched["acceptable_columns"] = [tuple(code_column.get(c, -1) for c in codes)
                                     for codes in gold["acceptable"]]  # fmt: skip
    unknown = sorted(
        {c for codes in gold["acceptable"] for c in codes if code_column.get(c, -1) < 0}
    )
    if unknown:
        log.warning("hand labels: national unit(s) %s not found among the national units", unknown)
    return matched


def _key(heading: str) -> str:
    return "".join(str(heading).split())


def alignment_validation_table(
    units: pd.DataFrame,
    variants: dict[str, UnitScores],
    gold: tuple[pd.DataFrame, pd.DataFrame],
    novel: np.ndarray,
) -> pd.DataFrame:
    """How often each method ranks an acceptable national unit first, on the hand labels.

    For each variant (a set of scores: the default, and one without concepts and heading
    weight), each method, each labelled document and all of them pooled, and each level
    (``unit``: units and sub-tasks; ``rollup``: units split into sub-tasks, scored by their
    rollup rows): ``p_at_1`` (rank 1 is acceptable) and ``hit_at_3`` (an acceptable unit
    within the top 3) over the units with a national counterpart; for ``combined`` of the
    default variant also the novelty flag's precision and recall against the annotators'
    novel units; for every method at the ``unit`` level the echo flag's precision and recall
    against the national units the labelled units were judged to echo.

    Parameters
    ----------
    units : pandas.DataFrame
        Output of :func:`analysis.alignment.alignment_units`.
    variants : dict
        Variant name → :class:`analysis.alignment.UnitScores`; the first is the default.
    gold : tuple of pandas.DataFrame
        Output of :func:`load_alignment_gold`.
    novel : numpy.ndarray of bool
        The default variant's novelty flag of each aligned provincial unit
        (``novelty_table(...)["novel"]``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`VALIDATION_COLUMNS`.
    """
    labelled, national = gold
    labelled = labelled[labelled["doc_id"].isin(set(units["doc_id"]))]
    if labelled.empty:
        return skipped_validation("", status="skipped: no hand-labelled document in the corpus")
    records = []
    default = next(iter(variants))
    for variant, scores in variants.items():
        matched = match_gold_units(labelled, national, units, scores)
        coverage = coverage_table(units, scores)
        for method in scores.scores:
            ranked = np.argsort(-scores.scores[method], axis=1, kind="stable")[:, :TOP_K]
            for doc_id in [*labelled["doc_id"].unique(), ALL_DOCUMENTS]:
                in_doc = (
                    matched if doc_id == ALL_DOCUMENTS else matched[matched["doc_id"] == doc_id]
                )
                for level in ("unit", "rollup"):
                    at_level = in_doc[in_doc["level"] == level]
                    if at_level.empty:
                        continue
                    flags = novel if variant == default and method == "combined" else None
                    records.append(_scored_row(variant, method, doc_id, level, at_level, ranked,
                                               flags, coverage if level == "unit" else None))  # fmt: skip
    return pd.DataFrame(records, columns=VALIDATION_COLUMNS).astype(COUNT_TYPES)


#: The counts of the validation table: whole numbers, blank where they do not apply.
COUNT_TYPES = {"n_units": "Int64", "n_novel_labelled": "Int64", "n_novel_flagged": "Int64",
               "n_unmatched": "Int64"}  # fmt: skip


def skipped_validation(path: str | Path, *, status: str | None = None) -> pd.DataFrame:
    """The validation table of a build without hand labels at ``path``: one row saying why."""
    status = status or f"skipped: no hand labels at {Path(path).name} (see README, Validation)"
    row = dict.fromkeys(VALIDATION_COLUMNS, np.nan)
    row.update(variant="", method="", doc_id=ALL_DOCUMENTS, level="", status=status)
    return pd.DataFrame([row], columns=VALIDATION_COLUMNS).astype(COUNT_TYPES)


def _scored_row(variant, method, doc_id, level, labelled: pd.DataFrame, ranked: np.ndarray,
                novel: np.ndarray | None, coverage: pd.DataFrame | None) -> dict:  # fmt: skip
    found = labelled[labelled["row"] >= 0]
    with_counterpart = found[~found["novel"]]
    hits = [set(ranked[row]) & set(columns) for row, columns in
            zip(with_counterpart["row"], with_counterpart["acceptable_columns"], strict=True)]  # fmt: skip
    first = [ranked[row][0] in set(columns) for row, columns in
             zip(with_counterpart["row"], with_counterpart["acceptable_columns"], strict=True)]  # fmt: skip
    row = {"variant": variant, "method": method, "doc_id": doc_id, "level": level,
           "n_units": len(with_counterpart),
           "p_at_1": float(np.mean(first)) if first else np.nan,
           "hit_at_3": float(np.mean([bool(h) for h in hits])) if hits else np.nan,
           "n_novel_labelled": np.nan, "n_novel_flagged": np.nan, "novelty_precision": np.nan,
           "novelty_recall": np.nan, "echo_precision": np.nan, "echo_recall": np.nan,
           "n_unmatched": int((labelled["row"] < 0).sum()), "status": "scored"}  # fmt: skip
    if novel is not None and level == "unit":
        flagged = np.array([bool(novel[r]) if r < len(novel) else False for r in found["row"]],
                           dtype=bool)  # fmt: skip
        labelled_novel = found["novel"].to_numpy()
        true_positive = int((flagged & labelled_novel).sum())
        row.update(n_novel_labelled=int(labelled_novel.sum()), n_novel_flagged=int(flagged.sum()),
                   novelty_precision=true_positive / flagged.sum() if flagged.any() else np.nan,
                   novelty_recall=true_positive / labelled_novel.sum()
                   if labelled_novel.any() else np.nan)  # fmt: skip
    if coverage is not None:
        row.update(_echo_scores(labelled, coverage, method, doc_id))
    return row


def _echo_scores(labelled: pd.DataFrame, coverage: pd.DataFrame, method: str,
                 doc_id: str) -> dict:  # fmt: skip
    """Precision and recall of ``echoed`` against the national units each labelled document's
    units were judged to echo (pooled over documents for ``all``)."""
    true_positive = predicted = expected = 0
    own = coverage[coverage["method"] == method]
    for doc, units_of_doc in labelled.groupby("doc_id"):
        if doc_id not in (ALL_DOCUMENTS, doc):
            continue
        echoed_columns = {c for cs in units_of_doc["acceptable_columns"] for c in cs if c >= 0}
        flags = own.loc[own["doc_id"] == doc, "echoed"].to_numpy()
        predicted_columns = set(np.flatnonzero(flags).tolist())
        true_positive += len(predicted_columns & echoed_columns)
        predicted += len(predicted_columns)
        expected += len(echoed_columns)
    return {
        "echo_precision": true_positive / predicted if predicted else np.nan,
        "echo_recall": true_positive / expected if expected else np.nan,
    }


#: Thresholds tried by :func:`calibrate_novelty` (a 0.01 grid).
NOVELTY_GRID = np.round(np.arange(0.01, 0.31, 0.01), 2)
#: ``top_k`` values tried for the echo flag by :func:`calibrate_alignment` …
ECHO_TOP_K = (1, 2, 3, 4, 5)
#: … the largest whose echo precision on the hand labels is at least this (precision first).
ECHO_MIN_PRECISION = 0.9


def calibrate_novelty(best_word: np.ndarray, best_char: np.ndarray,
                      labelled_novel: np.ndarray) -> tuple[float, float]:  # fmt: skip
    """The novelty thresholds, precision first: ``(word, char)`` on :data:`NOVELTY_GRID`.

    A unit is flagged when its best word cosine is below ``word`` and its best char cosine below
    ``char``. Kept are the pairs that flag no labelled unit with a national counterpart even
    when both thresholds are raised by one grid step (so the choice does not hang on one unit
    just above a threshold); among them, those that flag the most labelled novel units; of
    these, the smallest (the lowest sum, then the lowest word threshold).

    Parameters
    ----------
    best_word, best_char : numpy.ndarray
        Each labelled unit's best cosine with any national unit under each method.
    labelled_novel : numpy.ndarray of bool
        Whether the annotators found no national counterpart.

    Returns
    -------
    tuple of float
        ``(0.0, 0.0)`` (flag nothing) when no pair qualifies.
    """
    step = float(NOVELTY_GRID[1] - NOVELTY_GRID[0])
    best = None
    for word in NOVELTY_GRID:
        for char in NOVELTY_GRID:
            margin = (best_word < word + step) & (best_char < char + step)
            if (margin & ~labelled_novel).any():
                continue
            flagged = (best_word < word) & (best_char < char)
            key = (-int((flagged & labelled_novel).sum()), round(word + char, 2), word)
            if best is None or key < best[0]:
                best = (key, (float(word), float(char)))
    return best[1] if best is not None else (0.0, 0.0)


def calibrate_alignment(
    units: pd.DataFrame,
    scores: UnitScores,
    gold: tuple[pd.DataFrame, pd.DataFrame],
    *,
    settings: AlignmentSettings | None = None,
) -> dict:
    """Calibrate the novelty thresholds and the echo ``top_k`` on the hand labels.

    Returns
    -------
    dict or None
        ``novelty``: ``(word, char)`` (:func:`calibrate_novelty`); ``echo_top_k``: the largest
        value of :data:`ECHO_TOP_K` whose echo precision is at least
        :data:`ECHO_MIN_PRECISION` (the largest recall at that precision); ``echo``: a table of
        each ``top_k`` with its precision, recall and F1.
    """
    settings = settings or default_settings()
    labelled, national = gold
    matched = match_gold_units(labelled, national, units, scores)
    found = matched[(matched["level"] == "unit") & (matched["row"] >= 0)]
    rows = found["row"].to_numpy()
    novelty = calibrate_novelty(scores.scores["word"][rows].max(axis=1),
                                scores.scores["char"][rows].max(axis=1),
                                found["novel"].to_numpy())  # fmt: skip
    calibrated = replace(settings, novelty_word=novelty[0], novelty_char=novelty[1])
    echo = []
    for top_k in ECHO_TOP_K:
        coverage = coverage_table(units, scores, settings=replace(calibrated, echo_top_k=top_k))
        result = _echo_scores(found, coverage, "combined", ALL_DOCUMENTS)
        p, r = result["echo_precision"], result["echo_recall"]
        echo.append((top_k, p, r, 2 * p * r / (p + r) if p + r else 0.0))
    table = pd.DataFrame(echo, columns=["top_k", "precision", "recall", "f1"])
    precise = table[table["precision"] >= ECHO_MIN_PRECISION]
    chosen = int(precise["top_k"].max()) if not precise.empty else int(table["top_k"].min())
    return {"novelty": novelty, "echo_top_k": chosen, "echo": table}


def validation_units_table(
    units: pd.DataFrame,
    scores: UnitScores,
    gold: tuple[pd.DataFrame, pd.DataFrame],
    novel: np.ndarray,
    *,
    method: str = "combined",
) -> pd.DataFrame:
    """Each hand-labelled unit with its acceptable national units and what ``method`` ranks first,
    so a reader can see where the alignment fails and read the unit in full.

    Parameters
    ----------
    units : pandas.DataFrame
        Output of :func:`analysis.alignment.alignment_units`.
    scores : UnitScores
        The default scores (:func:`analysis.alignment.score_units`).
    gold : tuple of pandas.DataFrame
        Output of :func:`load_alignment_gold`.
    novel : numpy.ndarray of bool
        The novelty flag of each aligned provincial unit.
    method : str
        The method shown.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`VALIDATION_UNIT_COLUMNS`, labelled units found in the corpus, in the
        labels' order; national units are named ``doc_id:heading`` (national_2018_action
        shortened to action) and joined by " | ".
    """
    labelled, national = gold
    labelled = labelled[labelled["doc_id"].isin(set(units["doc_id"]))]
    matched = match_gold_units(labelled, national, units, scores)
    matched = matched[matched["row"] >= 0]
    provincial = units.loc[scores.provincial]
    national_units = units.loc[scores.national]
    names = np.array([f"{'action' if d.endswith('_action') else d}:{h}" for d, h in
                      zip(national_units["doc_id"], national_units["heading"], strict=True)],
                     dtype=object)  # fmt: skip
    top = np.argsort(-scores.scores[method], axis=1, kind="stable")[:, :TOP_K]
    rows = []
    for unit in matched.itertuples():
        acceptable = {c for c in unit.acceptable_columns if c >= 0}
        best = top[unit.row]
        flagged = bool(novel[unit.row]) if unit.row < len(novel) else False
        rows.append((unit.doc_id, provincial["section_id"].iloc[unit.row], unit.level,
                     unit.heading, " | ".join(names[sorted(acceptable)]), names[best[0]],
                     " | ".join(names[best]), bool(best[0] in acceptable),
                     bool(acceptable & set(best.tolist())), bool(unit.novel), flagged,
                     provincial["text"].iloc[unit.row]))  # fmt: skip
    return pd.DataFrame(rows, columns=VALIDATION_UNIT_COLUMNS)


def kept_validation(folder: Path | None, names: tuple[str, ...]) -> dict[str, pd.DataFrame] | None:
    """The validation tables ``names`` as the last build with hand labels wrote them in
    ``folder``, for a build without the labels (a researcher's clone keeps the committed
    scores instead of replacing them with "skipped").

    They measure the methods as they were at that build: a change made since is not measured
    until a build with the labels (the build's log says so).

    Returns
    -------
    dict of str to pandas.DataFrame or None
        None when ``folder`` is None, or a table is missing, unreadable, not of the registry's
        columns, or not scored (its ``status`` is not ``scored`` on every row).
    """
    from .tables import read_table_csv

    if folder is None:
        return None
    kept = {}
    for name in names:
        path = Path(folder) / f"{name}.csv"
        try:
            table = read_table_csv(path, name)
        except (OSError, ValueError, pd.errors.ParserError):
            return None
        if "status" in table.columns and not table["status"].eq("scored").all():
            return None
        kept[name] = table
    log.warning("no hand labels: kept the validation tables of the last build that had them "
                "(%s); they do not measure changes made since", ", ".join(f"{n}.csv" for n in names))  # fmt: skip
    return kept
