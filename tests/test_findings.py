"""Every number notebook 04's findings and the README's figure-5 caption state, checked against
the tables (so a rebuild that changes a number fails here until the text is updated)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import notebook_findings

from analysis import config
from analysis.build import alignment_tables
from analysis.tokens import tokens_table

ROOT = Path(__file__).parents[1]
GOLD = config.gold_dir() / config.ALIGNMENT_GOLD_NAME


@pytest.fixture(scope="module")
def tables(corpus):
    return alignment_tables(corpus, tokens_table(corpus.sentences))


@pytest.fixture(scope="module")
def findings() -> str:
    return notebook_findings("04-similarity-and-alignment.ipynb")


@pytest.fixture(scope="module")
def caption():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return " ".join(re.search(r"\*Figure 5:(.+?)\*\n", readme, re.S).group(1).split())


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _echoes(tables):
    summary = tables["echo_summary"].set_index("doc_id")
    return summary, int(tables["coverage"].query("doc_id == 'henan_14fyp' and method == "
                                                 "'combined'").shape[0])  # fmt: skip


def test_echo_counts(tables, findings, caption):
    summary, n_national = _echoes(tables)
    n = summary["n_echoed"]
    cov = tables["coverage"].query("method == 'combined'")
    nobody = int((cov.groupby(["national_doc_id", "national_section_id"]).echoed.sum() == 0).sum())
    assert (f"Guangdong echoes {n['guangdong_14fyp']} of the {n_national} national units, "
            f"Henan's plan {n['henan_14fyp']}, Jilin's reform plan {n['jilin_reform_2022']} "
            f"(through its 28 sub-tasks), Henan's 2022 work points "
            f"{n['henan_2022_society']}.") in findings  # fmt: skip
    assert (f"Guangdong echoes {n['guangdong_14fyp']} of the {n_national} national units, "
            f"Henan's plan {n['henan_14fyp']}, Jilin's reform plan {n['jilin_reform_2022']}, "
            f"Henan's 2022 work points {n['henan_2022_society']}; {nobody} national units are "
            f"echoed by no province.") in caption  # fmt: skip
    jilin = tables["novel_items"].query("doc_id == 'jilin_reform_2022'")
    assert (jilin.rollup_id != "").sum() == 28


def test_science_literacy_echo(tables, findings):
    cov = tables["coverage"].query("method == 'combined' and national_doc_id == 'national_2018' "
                                   "and national_section_id == 'P3.S2.I6'").set_index("doc_id")  # fmt: skip
    n = cov["n_units"]
    assert (
        f"is echoed by {n['henan_14fyp']} units of Henan's plan and "
        f"{n['jilin_reform_2022']} each of Jilin's and Guangdong's"
    ) in findings
    assert n["jilin_reform_2022"] == n["guangdong_14fyp"]


def test_national_units_nobody_echoes(tables, findings):
    cov = tables["coverage"].query("method == 'combined'")
    by = cov.groupby(["national_doc_id", "national_section_id", "national_heading"], sort=False)
    nobody = [h for (_, _, h), echoed in by.echoed.sum().items() if echoed == 0]
    listed = ", ".join(nobody[:-1]) + f" and {nobody[-1]}"
    assert f"{len(nobody)} national units — {listed}." in findings


def test_additions_and_brands(tables, findings):
    novel = tables["novel_items"]
    flagged = novel[novel.novel]
    assert len(flagged) == 1 and "One unit is flagged as a provincial addition" in findings
    assert f"Jilin's {flagged.heading.iloc[0]}" in findings
    summary, _ = _echoes(tables)
    assert (
        f"{summary.loc['henan_14fyp', 'n_brand_units']} units of Henan's plan name one" in findings
    )


def test_method_agreement(tables, findings):
    agreement = tables["method_agreement"].set_index("doc_id")["top1_word_char"]
    names = {"henan_2022_society": "Henan 2022", "henan_14fyp": "Henan's plan",
             "guangdong_14fyp": "Guangdong", "jilin_reform_2022": "Jilin"}  # fmt: skip
    assert (f"for {_pct(agreement.min())} ({names[agreement.idxmin()]}) to "
            f"{_pct(agreement.max())} ({names[agreement.idxmax()]})" in findings)  # fmt: skip


@pytest.mark.skipif(not GOLD.is_file(), reason=f"no hand labels at {GOLD}")
def test_validation_numbers(tables, findings, caption):
    v = tables["alignment_validation"].query("doc_id == 'all'").set_index(
        ["variant", "method", "level"])  # fmt: skip
    combined = v.loc[("default", "combined", "unit")]
    n = int(combined.n_units)
    first, three = round(combined.p_at_1 * n), round(combined.hit_at_3 * n)
    assert (
        f"On {n} hand-labelled units (Henan's plan and Jilin's sub-tasks) the combined method "
        f"ranks an acceptable national unit first for {first} ({_pct(combined.p_at_1)}) and "
        f"among the three closest for {three} ({_pct(combined.hit_at_3)})"
    ) in findings
    assert (
        f"rank 1 acceptable for {first} of {n} hand-labelled units, echo precision "
        f"{combined.echo_precision:.2f}, recall {combined.echo_recall:.2f}"
    ) in caption
    rollup = v.loc[("default", "combined", "rollup")]
    assert rollup.p_at_1 == 1.0 and f"right {int(rollup.n_units)} times of {int(rollup.n_units)}" \
        in findings  # fmt: skip
    plain = v.loc[("plain", "combined", "unit")]
    assert f"ranks {round(plain.p_at_1 * n)} first ({_pct(plain.p_at_1)})" in findings
    bm25 = v.loc[("default", "bm25", "unit")]
    assert f"BM25 alone ranks {round(bm25.p_at_1 * n)} first but misses a rollup" in findings
    assert v.loc[("default", "bm25", "rollup")].p_at_1 < 1
    assert f"word ({_pct(v.loc[('default', 'word', 'unit')].p_at_1)})" in findings
    assert f"character n-grams ({_pct(v.loc[('default', 'char', 'unit')].p_at_1)})" in findings
    misses = tables["alignment_validation_units"].query("not rank1_acceptable")
    miss = misses[misses.heading == "促进科技成果转移转化"].iloc[0]
    assert miss.rank1.endswith("建设学会学术信息化服务系统") and "科技成果转化" in findings
