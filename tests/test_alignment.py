"""Alignment of provincial units to national units, pinned to what a reader finds in the documents."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from conftest import CHAPTER_PLAN, write_raw

from analysis import config, load_corpus
from analysis.alignment import (
    AGREEMENT_COLUMNS,
    ALIGNMENT_COLUMNS,
    COVERAGE_COLUMNS,
    NOVEL_COLUMNS,
    alignment_units,
    ranks,
)
from analysis.build import alignment_tables
from analysis.errors import ResourceError
from analysis.resources import load_alignment_settings
from analysis.tokens import tokens_table

PROVINCIAL = ["henan_14fyp", "jilin_reform_2022", "guangdong_14fyp", "henan_2022_society"]


@pytest.fixture(scope="module")
def tokens(corpus):
    return tokens_table(corpus.sentences)


@pytest.fixture(scope="module")
def tables(corpus, tokens):
    return alignment_tables(corpus, tokens)


def _top(tables, doc_id, heading, method="combined"):
    a = tables["alignment"]
    rows = a[(a.doc_id == doc_id) & (a.heading == heading) & (a.method == method)]
    return rows.sort_values("rank")


def test_units_are_every_leaf_of_every_provincial_document(corpus, tables):
    units = alignment_units(corpus.sections)
    aligned = tables["alignment"][["doc_id", "section_id"]].drop_duplicates()
    expected = units[units.doc_id.isin(PROVINCIAL)][["doc_id", "section_id"]]
    assert set(map(tuple, aligned.values)) == set(map(tuple, expected.values))
    by_doc = units[units.level == "unit"].groupby("doc_id").size().to_dict()
    # Henan: 32 items, the 3 framing subparts of 一 and the 8 组织实施 measures of 三
    # Jilin: 28 lead paragraphs of its six measures, 3 safeguards, 背景形势, 指导思想, 基本原则
    assert by_doc == {"national_2018": 35, "national_2018_action": 34, "henan_14fyp": 43,
                      "jilin_reform_2022": 34, "guangdong_14fyp": 42,
                      "henan_2022_society": 19}  # fmt: skip
    henan = units[units.doc_id == "henan_14fyp"].set_index("section_id")
    assert henan.loc["P3.S1", "heading"] == "加强党对科协工作的全面领导"
    assert (henan.loc[[f"P3.S{i}" for i in range(1, 9)], "unit_role"] == "safeguard").all()
    assert henan.loc[["P1.S1", "P1.S2", "P1.S3"], "unit_role"].tolist() == ["framing"] * 3
    jilin = units[units.doc_id == "jilin_reform_2022"]
    rollups = jilin[jilin.level == "rollup"]
    assert rollups.section_id.tolist() == [f"P3.I{i}" for i in range(1, 7)]
    assert jilin[jilin.rollup_id == "P3.I3"].heading.tolist()[-1] == "建设高素质专业化干部队伍"
    # opening background parts are framing, 保障 parts safeguards
    gd = units[units.doc_id == "guangdong_14fyp"].set_index("section_id")
    assert gd.loc["P1", "unit_role"] == "framing"  # 开创新发展阶段科协事业新局面
    assert gd.loc["P11.I35", "unit_role"] == "safeguard"  # under 强化规划实施保障


def test_national_units_are_tasks_actions_and_safeguard_measures(tables):
    coverage = tables["coverage"].query("method == 'combined' and doc_id == 'henan_14fyp'")
    counts = coverage.groupby(["national_doc_id", "national_unit_type"]).size().to_dict()
    assert counts == {("national_2018", "task"): 24, ("national_2018", "safeguard"): 7,
                      ("national_2018_action", "task"): 27,
                      ("national_2018_action", "safeguard"): 4}  # fmt: skip
    safeguards = coverage[coverage.national_unit_type == "safeguard"].national_heading.tolist()
    assert safeguards[:2] == ["加强组织领导", "制定学会发展规划"]
    assert safeguards[-4:] == [
        "加强组织领导",
        "深化科协系统改革",
        "加强干部队伍建设",
        "加强条件建设和评估",
    ]


@pytest.mark.parametrize(
    ("doc_id", "heading", "acceptable"),
    [
        # 支持科技工作者参与国家治理 restates framework task 3 支持科技工作者政治参与
        ("guangdong_14fyp", "支持科技工作者参与国家治理", {"支持科技工作者政治参与"}),
        # 维护科技工作者合法权益 = task 4 of the same name
        ("guangdong_14fyp", "维护科技工作者合法权益", {"维护科技工作者合法权益"}),
        # copies task 9 激发青少年科学梦想 almost word for word
        (
            "guangdong_14fyp",
            "实施青少年科学素质提升行动",
            {"激发青少年科学梦想", "开展科技后备人才培养促进行动"},
        ),
        ("guangdong_14fyp", "大力弘扬科学家精神", {"大力弘扬科学家精神", "开展科学精神弘扬行动"}),
        # Guangdong's safeguard 加强组织领导 copies the framework's 四(三) 制定地方科协发展规划
        # (各地级以上市科协要在党委政府的坚强领导下,结合当地实际,研究制定…) and 四(二)
        (
            "guangdong_14fyp",
            "加强组织领导",
            {"制定地方科协发展规划", "制定学会发展规划", "加强组织领导"},
        ),
        ("henan_14fyp", "支持科技工作者参与国家和社会治理", {"支持科技工作者政治参与"}),
        # a sub-task of Jilin's first measure (全面加强科协组织党的建设。…党建强会 …)
        (
            "jilin_reform_2022",
            "全面加强科协组织党的建设",
            {"加强科协组织党的建设", "开展“智慧党建”行动"},
        ),
        # Henan's 组织实施 measure: the framework's 制定地方科协发展规划 (reuse.csv shows the copy)
        (
            "henan_14fyp",
            "制定相关科协组织事业发展规划和部门实施方案",
            {"制定地方科协发展规划", "制定学会发展规划"},
        ),
    ],
)
def test_units_restating_a_national_unit_rank_it_first(tables, doc_id, heading, acceptable):
    top = _top(tables, doc_id, heading)
    assert top.iloc[0].national_heading in acceptable
    assert top.iloc[0].score == pytest.approx(1.0, abs=0.05)  # ranked first by nearly every method
    assert top.iloc[0].shared_terms  # and it says why


def test_shared_terms_name_the_concepts_in_common(tables):
    top = _top(tables, "guangdong_14fyp", "支持科技工作者参与国家治理").iloc[0]
    assert "参政议政" in top.shared_terms.split("、")
    # concepts, not their spellings: 全民科学素质 in the framework, 公民科学素质 in Henan
    henan = _top(tables, "henan_14fyp", "协调推进《全民科学素质行动规划纲要》实施", method="word")
    assert any("科学素质" in terms.split("、") or "科学素质行动" in terms.split("、")
               for terms in henan.shared_terms)  # fmt: skip


def test_rollups_score_the_best_of_their_sub_tasks(tables):
    a = tables["alignment"].query("doc_id == 'jilin_reform_2022' and method == 'word'")
    rollup = a[(a.section_id == "P3.I1") & (a["rank"] == 1)].iloc[0]
    subs = a[(a.rollup_id == "P3.I1") & (a["rank"] == 1)]
    assert set(subs.level) == {"unit"} and rollup.level == "rollup"
    assert rollup.score == pytest.approx(subs.score.max())
    assert rollup.national_heading == subs.loc[subs.score.idxmax(), "national_heading"]


def test_echo_science_literacy_and_drops(tables):
    coverage = tables["coverage"].query("method == 'combined'").set_index(
        ["national_doc_id", "national_section_id", "doc_id"])  # fmt: skip
    # framework task 6 推动全民科学素质提升: Henan and Guangdong have whole 科普 sections
    for doc_id in ("henan_14fyp", "guangdong_14fyp", "jilin_reform_2022"):
        row = coverage.loc[("national_2018", "P3.S2.I6", doc_id)]
        assert row.echoed and row.n_units >= 3
    # in Henan it is matched best from the 科普中原 area (四、聚焦公民科学素质提升)
    assert coverage.loc[("national_2018", "P3.S2.I6", "henan_14fyp"), "section_id"].startswith(
        "P2.S4.")  # fmt: skip
    # nobody writes about international science plans (framework task 22)
    assert not coverage.xs(("national_2018", "P3.S5.I22"), level=[0, 1]).echoed.any()
    table = tables["coverage"]
    assert table.columns.tolist() == COVERAGE_COLUMNS
    assert len(table) == 62 * 4 * 4
    assert (table.echoed == (table.n_units > 0)).all()
    assert (table.echoed == (table.best_rank <= 3)).all()


def test_novel_units_and_provincial_brands(tables):
    novel = tables["novel_items"]
    assert novel.columns.tolist() == NOVEL_COLUMNS
    flagged = novel[novel.novel]
    # precision first: the one unit the annotators and both methods agree has no counterpart
    assert flagged.heading.tolist() == ["压实意识形态工作责任制"]
    assert set(flagged.unit_role) <= {"task", "safeguard"}
    by = novel.set_index(["doc_id", "heading"])
    # units that copy a national unit are never novel; framing units never are
    assert not by.loc[("guangdong_14fyp", "支持科技工作者参与国家治理"), "novel"]
    assert not novel[novel.unit_role == "framing"].novel.any()
    # provincial brands serving a national unit under a provincial name
    assert "科创中原" in by.loc[("henan_14fyp", "打造“科创中原”服务品牌"), "brand_names"]
    assert "百会链千企" in by.loc[("henan_2022_society", "开展“百会链千企”科技志愿服务活动"),
                             "brand_names"]  # fmt: skip
    assert "科普吉林" in by.loc[("jilin_reform_2022", "提升科普信息化水平"), "brand_names"]
    # slogans and periods in quotation marks are not brands
    brands = "、".join(novel.brand_names)
    assert "十四五" not in brands and "两个确保" not in brands and "四服务" not in brands
    # Jilin's 一主六双 is an addition inside a unit that echoes a national one
    assert (
        novel[novel.doc_id == "jilin_reform_2022"].distinctive_terms.str.contains("一主六双").any()
    )


def test_echo_summary_counts_echoes_drops_and_additions_per_province(tables):
    summary = tables["echo_summary"].set_index("doc_id")
    assert summary.index.tolist() == PROVINCIAL
    assert (summary.n_national == 62).all()  # 24 + 7 framework, 27 + 4 action plan
    coverage = tables["coverage"].query("method == 'combined'")
    echoed = coverage[coverage.echoed].groupby("doc_id", sort=False)
    assert echoed.size().reindex(PROVINCIAL, fill_value=0).tolist() == summary.n_echoed.tolist()
    assert (summary.n_echoed == summary.n_echoed_tasks + summary.n_echoed_safeguards).all()
    assert summary.share_echoed.tolist() == pytest.approx((summary.n_echoed / 62).tolist())
    # Henan's eight 组织实施 measures echo national safeguard measures (加强组织领导 …)
    assert summary.loc["henan_14fyp", "n_echoed_safeguards"] >= 4
    novel = tables["novel_items"]
    tasks = novel[novel.unit_role != "framing"].groupby("doc_id", sort=False)
    assert tasks.size().reindex(PROVINCIAL).tolist() == summary.n_units.tolist()
    # the one addition: Jilin's sub-task 压实意识形态工作责任制
    assert summary.n_novel.sum() == 1 and summary.loc["jilin_reform_2022", "n_novel"] == 1
    assert summary.loc["henan_14fyp", "n_brand_units"] >= 1  # 打造“科创中原”服务品牌


def test_alignment_and_agreement_tables(tables):
    alignment = tables["alignment"]
    assert alignment.columns.tolist() == ALIGNMENT_COLUMNS
    assert alignment.method.unique().tolist() == ["combined", "word", "char", "bm25"]
    per_unit = alignment.groupby(["doc_id", "section_id", "method"])["rank"].apply(list)
    assert per_unit.map(lambda r: r == [1, 2, 3]).all()
    combined = alignment[alignment.method == "combined"]
    assert combined.score.between(0, 1).all()
    assert (combined.groupby(["doc_id", "section_id"]).score.apply(
        lambda s: s.is_monotonic_decreasing)).all()  # fmt: skip
    agreement = tables["method_agreement"]
    assert agreement.columns.tolist() == AGREEMENT_COLUMNS
    assert agreement.doc_id.tolist() == PROVINCIAL
    assert (agreement.spearman_all_pairs > 0.3).all()
    assert (agreement.top1_all_methods <= agreement.top1_word_char).all()


def test_ranks_break_ties_by_column_order():
    assert ranks(np.array([[0.2, 0.5, 0.5, 0.1]])).tolist() == [[3, 1, 2, 4]]


def test_plans_of_every_structure_are_aligned(tmp_path):
    """一、/(一) without items, and 第X章/第X节 chapters: every leaf unit gets alignment rows."""
    parts_only = ("某省科协2023年工作方案\n一、总体要求\n坚持党的领导。\n"
                  "二、重点任务\n(一)弘扬科学家精神。开展科学家精神宣讲活动,建设科学家精神教育基地。\n"
                  "(二)推动全民科学素质提升。实施全民科学素质行动,开展科普活动。\n"
                  "三、保障措施\n(一)加强组织领导。各级科协要加强组织领导。\n")  # fmt: skip
    national = config.RAW_DIR / "national_2018_cast_framework_and_action_plan.txt"
    raw = write_raw(tmp_path / "raw", {
        national.name: national.read_bytes(),
        "city.txt": CHAPTER_PLAN.encode("gb18030"),
        "parts.txt": parts_only.encode("utf-8"),
    }, [
        f"national_2018,{national.name},national,全国,规划纲要,,,,,2018,2050,,,",
        f"national_2018_action,{national.name},national,全国,行动计划,,中国科协,,,2018,2020,"
        "中国科协事业发展三年行动计划,,",
        "city_14fyp,city.txt,municipal,某市,规划,,某市科协,,,2021,2025,,,",
        "parts_2023,parts.txt,provincial,某省,工作方案,,,,,2023,2023,,,",
    ])  # fmt: skip
    corpus = load_corpus(raw)
    tables = alignment_tables(corpus, tokens_table(corpus.sentences),
                              gold_path=tmp_path / "none.json")  # fmt: skip
    units = alignment_units(corpus.sections)
    aligned = tables["alignment"].groupby("doc_id").section_id.unique().map(set).to_dict()
    for doc_id in ("city_14fyp", "parts_2023"):
        leaves = set(units.loc[units.doc_id == doc_id, "section_id"])
        assert leaves and aligned[doc_id] == leaves
    parts = units[units.doc_id == "parts_2023"].set_index("section_id")
    assert parts.unit_role.to_dict() == {"P1": "framing", "P2.S1": "task", "P2.S2": "task",
                                         "P3.S1": "safeguard"}  # fmt: skip
    city = units[units.doc_id == "city_14fyp"].set_index("section_id")
    assert city.loc["CH2.SE1.S1", "heading"] == "建设科技工作者之家"
    # the subitems (1)(2) are sub-units of their subpart, rolled up to it
    assert city.loc["CH1.SE2.S2", "level"] == "rollup"
    top = _top(tables, "parts_2023", "弘扬科学家精神").iloc[0]
    assert top.national_heading in {"大力弘扬科学家精神", "开展科学精神弘扬行动"}
    assert tables["alignment_validation"].status.iloc[0].startswith("skipped")


def test_settings_errors_name_the_file(tmp_path):
    bad = tmp_path / "alignment.toml"
    bundled = config.resource_path("alignment.toml").read_text(encoding="utf-8")
    bad.write_text(bundled.replace("[echo]", "[echoes]"), encoding="utf-8")
    with pytest.raises(ResourceError, match=r"alignment\.toml: setting 'echo' is missing"):
        load_alignment_settings(bad)
    bad.write_text("[unit_roles\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="not valid TOML"):
        load_alignment_settings(bad)


def test_scores_do_not_depend_on_the_hash_seed():
    """bm25s numbers its vocabulary in set order, which the hash seed changes; the scores (and so
    the ranks and the files) must not follow it."""
    script = (
        "import pandas as pd\n"
        "from analysis.alignment import score_units\n"
        "units = pd.DataFrame({'doc_id': ['n'] * 3 + ['p'] * 2, 'section_id': list('abcde'),\n"
        "    'level': 'unit', 'rollup_id': '', 'kind': 'item', 'label': '1', 'heading': list('abcde'),\n"
        "    'unit_role': 'task', 'text': ['科普场馆', '学会智库', '党建', '科普学会', '智库咨询']})\n"
        "terms = [['科普', '场馆', '青少年'], ['学会', '智库', '咨询', '决策咨询'], ['党建'],\n"
        "         ['科普', '学会', '科普'], ['智库', '决策咨询']]\n"
        "scores = score_units(units, terms, national_doc_ids=('n',))\n"
        "print(repr({m: v.tolist() for m, v in scores.scores.items()}))\n"
    )  # fmt: skip
    outputs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2", "3")}  # fmt: skip
    assert len(outputs) == 1 and "bm25" in outputs.pop()


def test_alignment_does_not_mutate_its_inputs(corpus, tokens):
    sections, before = corpus.sections, corpus.sections.copy()
    tokens_before = tokens.copy()
    alignment_tables(corpus, tokens)
    pd.testing.assert_frame_equal(sections, before)
    pd.testing.assert_frame_equal(tokens, tokens_before)
