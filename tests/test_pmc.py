"""The PMC index: every secondary variable's rule on a sentence it must score and one it must not,
the registry, period and target rules, the bundled documents' scores, overrides and bad files."""

from __future__ import annotations

import logging

import pandas as pd
import pytest
from conftest import CHAPTER_PLAN, write_raw

from analysis.build import pmc_tables, target_tables
from analysis.corpus import load_corpus
from analysis.errors import ResourceError
from analysis.pmc import pmc_table, pmc_variables_table
from analysis.registry import columns
from analysis.resources import load_pmc_overrides, load_pmc_scheme

SCHEME, GRADES = load_pmc_scheme()
NO_OVERRIDES = pd.DataFrame(columns=["doc_id", "secondary", "score", "note"])

#: secondary -> (a sentence the rule must score, a sentence it must not); most from the documents.
TERM_CASES = {
    "X1:1": ("到2025年,我省公民具备基本科学素质的比例超过12%。", "从“十二五”末的5.59%提高到2020年的10.17%。"),
    "X1:2": ("加强对规划实施情况的监督检查。", "完善学会治理结构。"),
    "X1:3": ("鼓励科技工作者积极建言献策。", "全面加强党的建设。"),
    "X1:4": ("“十三五”时期,我省科协取得的成绩来之不易。", "办好科技活动周。"),
    "X1:5": ("强化政治引领和政治吸纳。", "做好经费保障。"),
    "X4:1": ("促进科技经济融合,助力产业创新发展。", "弘扬科学家精神。"),
    "X4:2": ("强化政治引领和政治吸纳。", "办好科技活动周。"),
    "X4:3": ("支持科技工作者参与国家和社会治理。", "办好学术年会。"),
    "X4:4": ("实施创新驱动助力工程。", "加强党的建设。"),
    "X4:5": ("弘扬科学家精神,厚植创新文化。", "办好学术年会。"),
    "X4:6": ("加强青少年科技教育。", "办好学术年会。"),
    "X4:7": ("服务碳达峰碳中和目标。", "优化科普资源配置。"),
    "X5:1": ("搭建一流学术交流平台。", "加强党的建设。"),
    "X5:2": ("广泛开展群众性科普活动。", "搭建一流学术交流平台。"),
    "X5:3": ("坚持表彰、宣传、举荐、培育并重。", "办好科技活动周。"),
    "X5:4": ("建设高水平科技智库。", "办好科技活动周。"),
    "X5:5": ("组织学会服务企业技术创新。", "服务科技工作者。"),
    "X5:6": ("深化与港澳台地区和国际民间科技交流,拓展国际合作。", "深化省内合作。"),
    "X5:7": ("加强基层组织建设。", "办好学术年会。"),
    "X5:8": ("强化思想政治引领。", "办好学术年会。"),
    "X6:1": ("根据《中国科学技术协会事业发展“十四五”规划》,制定本规划。", "为科学决策提供参考依据。"),
    "X6:3": ("实施科普信息化工程。实施青少年科学素质提升行动。", "实施科普信息化工程。"),
    "X6:4": ("保障措施", "加强学术交流"),
    "X7:1": ("表彰奖励优秀科技工作者。", "办好学术年会。"),
    "X7:2": ("强化政策、经费、人才保障。", "强化政策保障。"),
    "X7:3": ("将规划实施纳入考核内容。", "办好学术年会。"),
    "X7:4": ("健全目标管理责任制。", "办好学术年会。"),
    "X7:5": ("完善学会章程和内部制度。", "办好学术年会。"),
    "X8:1": ("服务科技工作者。", "服务企业。"),
    "X8:2": ("推动学会治理现代化。", "服务企业。"),
    "X8:3": ("服务企业技术创新。", "服务科技工作者。"),
    "X8:4": ("加强青少年科技教育。", "服务科技工作者。"),
    "X8:5": ("提升全民科学素质。", "服务科技工作者。"),
    "X8:6": ("联合高校和科研院所开展研究。", "服务企业。"),
    "X8:7": ("建设农村专业技术协会。", "服务企业。"),
    "X8:8": ("实施领导干部和公务员科学素质行动。", "实施青少年科学素质行动。"),
    "X9:1": ("提升自主创新能力。", "办好学术年会。"),
    "X9:2": ("提升全民科学素质。", "办好学术年会。"),
    "X9:3": ("服务全省经济社会发展。", "服务科技工作者。"),
    "X9:4": ("为党和政府科学决策服务。", "为科技工作者服务。"),
    "X9:5": ("深化科协系统改革。", "加强党的建设。"),
    "X9:6": ("营造良好创新生态。", "加强党的建设。"),
    "X9:7": ("加强区域交流合作。", "加强党的建设。"),
}  # fmt: skip


def one_document(*, level="provincial", issuer="某省科协", start=2021, end=2025) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": ["d"], "level": [level], "issuer": [issuer],
                         "period_start": [start], "period_end": [end]})  # fmt: skip


def sentences_of(text: str, *, heading: bool = False) -> pd.DataFrame:
    parts = [p + "。" for p in text.split("。") if p] if "。" in text else [text]
    return pd.DataFrame({"doc_id": "d", "section_id": "S1", "sentence_id": range(1, len(parts) + 1),
                         "text": parts, "is_heading": heading})  # fmt: skip


def scores(sentences: pd.DataFrame, documents: pd.DataFrame | None = None,
           targets: pd.DataFrame | None = None) -> pd.Series:  # fmt: skip
    targets = targets if targets is not None else pd.DataFrame(
        columns=["doc_id", "sentence_id", "kind", "target_year"])  # fmt: skip
    table = pmc_variables_table(sentences, documents if documents is not None else one_document(),
                                targets, scheme=SCHEME, overrides=NO_OVERRIDES)  # fmt: skip
    return table.set_index("secondary")["score"]


def test_every_term_rule_has_a_case():
    terms = set(SCHEME.loc[SCHEME["rule"] == "terms", "secondary"])
    assert terms == set(TERM_CASES), "add a sentence pair for each term rule of pmc.toml"


@pytest.mark.parametrize("secondary", sorted(TERM_CASES))
def test_a_term_rule_scores_its_sentence_and_not_the_other(secondary):
    scores_it, must_not = TERM_CASES[secondary]
    heading = secondary == "X6:4"  # 规划翔实 reads headings only
    assert scores(sentences_of(scores_it, heading=heading))[secondary] == 1
    assert scores(sentences_of(must_not, heading=heading))[secondary] == 0


def test_x6_4_reads_headings_only():
    assert scores(sentences_of("加强条件保障,做好规划实施。"))["X6:4"] == 0


@pytest.mark.parametrize(("start", "end", "years", "expected"), [
    (2018, 2050, [2020], {"X2:1": 1, "X2:2": 1, "X2:3": 0, "X2:4": 0}),  # the framework
    (2021, 2025, [2025], {"X2:1": 0, "X2:2": 1, "X2:3": 0, "X2:4": 0}),  # a five-year plan
    (2022, 2022, [], {"X2:1": 0, "X2:2": 0, "X2:3": 0, "X2:4": 1}),  # a year's work points
    (2022, 2023, [2022], {"X2:1": 0, "X2:2": 0, "X2:3": 1, "X2:4": 1}),
])  # fmt: skip
def test_time_span_from_the_period_and_target_years(start, end, years, expected):
    targets = pd.DataFrame({"doc_id": "d", "sentence_id": range(len(years)), "kind": "target",
                            "target_year": pd.Series(years, dtype=float)})  # fmt: skip
    got = scores(sentences_of("办好学术年会。"), one_document(start=start, end=end), targets)
    assert {k: got[k] for k in expected} == expected


@pytest.mark.parametrize(("level", "issuer", "expected"), [
    ("national", "中国科协", {"X3:1": 1, "X3:2": 0, "X3:3": 0, "X3:4": 0}),
    ("provincial", "河南省科学技术协会", {"X3:1": 0, "X3:2": 1, "X3:3": 0, "X3:4": 0}),
    ("municipal", "某市科协、某市科技局", {"X3:1": 0, "X3:2": 0, "X3:3": 1, "X3:4": 1}),
])  # fmt: skip
def test_issuing_level_and_joint_issue_from_the_registry(level, issuer, expected):
    got = scores(sentences_of("办好学术年会。"), one_document(level=level, issuer=issuer))
    assert {k: got[k] for k in expected} == expected


def test_a_stated_target_makes_the_goal_clear_and_a_slogan_does_not():
    sentences = sentences_of("办好学术年会。")
    slogan = pd.DataFrame({"doc_id": ["d"], "sentence_id": [1], "kind": ["slogan"],
                           "target_year": [float("nan")]})  # fmt: skip
    assert scores(sentences, targets=slogan)["X6:2"] == 0
    assert scores(sentences, targets=slogan.assign(kind="target", target_year=2025.0))["X6:2"] == 1


@pytest.fixture(scope="module")
def tables(corpus):
    return pmc_tables(corpus, target_tables(corpus)["targets"])


def test_the_documents_scores_grades_and_ranks(tables, corpus):
    pmc = tables["pmc"].set_index("doc_id")
    assert list(pmc.index) == list(corpus.documents.doc_id)
    primaries = [f"X{i}" for i in range(1, 10)]
    assert (pmc[primaries].sum(axis=1) - pmc["pmc"]).abs().max() < 1e-9
    assert (pmc["concavity"] + pmc["pmc"] - 9).abs().max() < 1e-9
    # read in the registry: every document is issued at one level, by one body
    assert (pmc["X3"] == 0.25).all()
    # the framework runs 2018-2050 (long) with a first step to 2020 (three years: medium)
    assert pmc.loc["national_2018", "X2"] == 0.5
    # the 2022 work points: one year, no safeguard section, the lowest score, acceptable
    assert pmc.loc["henan_2022_society", "X2"] == 0.25
    assert pmc["pmc"].idxmin() == "henan_2022_society"
    assert pmc.loc["henan_2022_society", "grade"] == "acceptable"
    assert pmc.loc["henan_2022_society", "grade_label"] == "可接受"
    assert (pmc.drop(index="henan_2022_society")["grade"] == "excellent").all()
    assert sorted(pmc["rank"]) == list(range(1, len(pmc) + 1))


def test_every_point_of_a_term_rule_points_to_sentences_that_hold_it(tables, corpus):
    variables = tables["pmc_variables"]
    assert variables.columns.tolist() == columns("pmc_variables")
    assert len(variables) == len(corpus.documents) * len(SCHEME)
    text = corpus.sentences.set_index(["doc_id", "sentence_id"])["text"]
    patterns = SCHEME.set_index("secondary")["params"]
    terms = variables[variables.secondary.isin(TERM_CASES) & (variables.score == 1)]
    assert len(terms) > 200
    for row in terms.itertuples():
        ids = [int(i) for i in row.sentence_ids.split("; ")]
        assert all(patterns[row.secondary]["pattern"].search(text[(row.doc_id, i)]) for i in ids)
        assert "【" in row.evidence and row.source == "rule"
    zero = variables[variables.secondary.isin(TERM_CASES) & (variables.score == 0)]
    assert (zero.sentence_ids.eq("") | (zero.n_evidence > 0)).all()


def test_an_override_sets_one_point_and_is_marked(corpus, tables, caplog):
    targets = target_tables(corpus)["targets"]
    overrides = pd.DataFrame({"doc_id": ["jilin_reform_2022", "nowhere"],
                              "secondary": ["X1:1", "X1:1"], "score": [1, 1],
                              "note": ["reviewed: 到“十四五”末 stated in section 2", ""]})  # fmt: skip
    with caplog.at_level(logging.WARNING):
        variables = pmc_variables_table(corpus.sentences, corpus.documents, targets,
                                        overrides=overrides)  # fmt: skip
    assert "pmc_overrides.csv, line 3: no document nowhere" in caplog.text
    row = variables[(variables.doc_id == "jilin_reform_2022") & (variables.secondary == "X1:1")]
    assert row[["score", "source"]].values.tolist() == [[1, "override"]]
    assert row.evidence.iloc[0].startswith("override: reviewed")
    before = tables["pmc"].set_index("doc_id").loc["jilin_reform_2022"]
    after = pmc_table(variables).set_index("doc_id").loc["jilin_reform_2022"]
    assert before["X1"] == 0.8 and after["X1"] == 1.0
    assert abs(after["pmc"] - before["pmc"] - 0.2) < 1e-9
    with pytest.raises(ResourceError, match=r"line 2: secondary 'X99:1' is not in"):
        pmc_variables_table(corpus.sentences, corpus.documents, targets,
                            overrides=overrides.assign(secondary="X99:1"))  # fmt: skip


def test_the_bundled_overrides_file_is_empty():
    assert load_pmc_overrides().empty


def test_a_document_added_with_a_registry_row_is_scored(tmp_path):
    raw = write_raw(tmp_path / "raw", {"city.txt": CHAPTER_PLAN.encode("gb18030")},
                    ["city_14fyp,city.txt,municipal,某市,规划,,某市科协,,,2021,2025,,,"])  # fmt: skip
    corpus = load_corpus(raw)
    pmc = pmc_tables(corpus, target_tables(corpus)["targets"])["pmc"].set_index("doc_id")
    assert list(pmc.index) == ["city_14fyp"]
    assert pmc.loc["city_14fyp", "X3"] == 0.25 and pmc.loc["city_14fyp", "X2"] == 0.25


def test_a_scheme_with_other_primaries_is_refused(tmp_path):
    path = tmp_path / "pmc.toml"
    path.write_text('[[grade]]\nname="poor"\nlabel="不良"\nmin=0\n[[variable]]\nid="X10"\n'
                    'label="政策公开"\n[[variable.secondary]]\nid="X10:1"\nlabel="公开"\n'
                    'rule="targets"\n', encoding="utf-8")  # fmt: skip
    with pytest.raises(ResourceError, match=r"primary variables must be X1, X2.*PMC_PRIMARIES"):
        load_pmc_scheme(path)


@pytest.mark.parametrize(("body", "message"), [
    ('[[grade]]\nname="poor"\nlabel="不良"\nmin=0\n[[variable]]\nid="X1"\nlabel="a"\n'
     '[[variable.secondary]]\nid="X1:1"\nlabel="b"\nrule="guess"\n', r"secondary X1:1 of X1 needs"),
    ('[[grade]]\nname="poor"\nlabel="不良"\nmin=0\n[[variable]]\nid="X1"\nlabel="a"\n'
     '[[variable.secondary]]\nid="X1:1"\nlabel="b"\nrule="terms"\nterms=["("]\n',
     r"secondary X1:1: a term is not a valid regular expression"),
    ('[[grade]]\nname="poor"\nlabel="不良"\nmin=0\n[[variable]]\nid="X1"\nlabel="a"\n'
     '[[variable.secondary]]\nid="X1:1"\nlabel="b"\nrule="registry"\n', r"rule 'registry' takes"),
    ('[[grade]]\nname="poor"\nlabel="不良"\nmin=0\n[[variable]]\nid="X1"\nlabel="a"\n'
     '[[variable.secondary]]\nid="X1:1"\nlabel="b"\nrule="registry"\nfield="province"\n'
     'values=["x"]\n', r"field 'province' is not a column of documents\.csv"),
    ('[[grade]]\nname="top"\nlabel="好"\nmin=5\n[[variable]]\nid="X1"\nlabel="a"\n'
     '[[variable.secondary]]\nid="X1:1"\nlabel="b"\nrule="targets"\n', r"grades must start at min = 0"),
])  # fmt: skip
def test_a_bad_scheme_is_refused_naming_the_file_and_variable(tmp_path, body, message):
    path = tmp_path / "pmc.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ResourceError, match=rf"pmc\.toml: .*{message}"):
        load_pmc_scheme(path)


def test_a_bad_override_file_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "pmc_overrides.csv"
    path.write_text("doc_id,secondary,score,note\nhenan_14fyp,X1:1,2,\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=r"pmc_overrides\.csv, line 2: .*score 0 or 1"):
        load_pmc_overrides(path)
