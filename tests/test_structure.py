"""The heading tree of each bundled document, checked against the documents themselves."""

from __future__ import annotations

import pytest

from analysis.structure import classify_marker, parse_toc


def _items(corpus, doc_id, kind="item"):
    s = corpus.sections
    return s[(s.doc_id == doc_id) & (s.kind == kind)]


def test_national_framework_has_five_areas_and_24_tasks(corpus):
    s = corpus.sections
    areas = s[(s.doc_id == "national_2018") & (s.parent_id == "P3") & (s.kind == "subpart")]
    assert areas.heading.tolist() == [
        "提升政治引领政治吸纳能力", "提升创新文化引领能力", "提升创新人才凝聚能力",
        "提升科技社会化服务能力", "提升科技人文交流合作能力",
    ]  # fmt: skip
    tasks = _items(corpus, "national_2018")
    assert tasks.label.tolist() == [str(n) for n in range(1, 25)]
    assert tasks.set_index("label").loc["1", "heading"] == "全面宣传贯彻党的路线方针"
    assert tasks.set_index("label").loc["6", "parent_id"] == "P3.S2"
    assert tasks.set_index("label").loc["24", "heading"] == "推动国际科技组织总部中心建设"
    assert tasks.set_index("label").loc["24", "path"] == "三 > (五) > 24"
    parts = _items(corpus, "national_2018", "part").heading.tolist()
    assert parts == ["开启新时代科协事业发展新征程", "指导思想和发展目标", "重大任务", "保障措施"]


def test_action_plan_restores_part_headings_from_its_toc(corpus):
    parts = _items(corpus, "national_2018_action", "part")
    assert parts.label.tolist() == list("一二三四五六七八九")
    restored = parts[parts.note.str.contains("table of contents")]
    assert restored.heading.tolist() == ["实施学术引领工程", "实施科技外交助力工程",
                                         "实施智慧科协建设工程"]  # fmt: skip
    # the restored part keeps its introduction, taken from the end of the previous item
    intro = parts.set_index("label").loc["四", "text"]
    assert intro.startswith("深化学会改革,开展学术交流")
    item5 = _items(corpus, "national_2018_action").set_index("label").loc["5", "text"]
    assert "深化学会改革" not in item5
    actions = _items(corpus, "national_2018_action")
    assert actions.label.tolist() == [str(n) for n in range(1, 28)]
    assert actions.set_index("label").loc["6", "parent_id"] == "P4"
    assert actions.set_index("label").loc["20", "heading"] == "开展科技人文交流项目"
    assert actions.set_index("label").loc["26", "heading"] == "建设智慧科协“中央厨房”"


def test_guangdong_38_items_in_11_parts_despite_misprinted_last_part(corpus):
    parts = _items(corpus, "guangdong_14fyp", "part")
    assert len(parts) == 11
    last = parts.iloc[-1]
    assert (last.section_id, last.label, last.heading) == ("P11", "一", "强化规划实施保障")
    assert "position 11" in last.note
    # PDF extraction glued part headings to their first sentence; the heading is cut off
    assert parts.heading.tolist()[:3] == ["开创新发展阶段科协事业新局面", "指导思想和主要目标",
                                          "汇聚科技创新和自立自强新动能"]  # fmt: skip
    assert parts.set_index("label").loc["三", "text"].startswith("坚持科协组织的政治属性")
    items = _items(corpus, "guangdong_14fyp")
    assert items.label.tolist() == [str(n) for n in range(1, 39)]
    assert items.set_index("label").loc["35", "parent_id"] == "P11"
    assert items.set_index("label").loc["10", "heading"] == "高质量服务“双区”建设"
    # inline (一) and —— after a part heading are parsed as their own sections
    principles = corpus.sections.query("doc_id == 'guangdong_14fyp' and parent_id == 'P2.S2'")
    assert principles.heading.tolist()[:2] == ["坚持党的领导", "坚持以人民为中心"]
    assert principles.kind.unique().tolist() == ["lead"]


def test_henan_2022_has_19_items_in_5_parts(corpus):
    parts = _items(corpus, "henan_2022_society", "part")
    assert parts.heading.tolist()[0] == "强化思想政治引领,着力创新学会党建工作模式和机制"
    items = _items(corpus, "henan_2022_society")
    assert items.label.tolist() == [str(n) for n in range(1, 20)]
    assert items.groupby("parent_id").size().tolist() == [3, 3, 3, 5, 5]
    assert items.set_index("label").loc["17", "heading"] == "开展“百会链千企”科技志愿服务活动"


def test_jilin_six_key_measures_and_three_safeguards(corpus):
    items = _items(corpus, "jilin_reform_2022")
    measures = items[items.parent_id == "P3"]
    assert measures.heading.tolist() == [
        "加强和改进科协系统政治建设", "全面增强团结联系服务本领", "全面加强科协组织体系建设",
        "加快学会创新发展", "提升服务科技经济融合发展能力", "推动形成大联合大协作科普工作新格局",
    ]  # fmt: skip
    safeguards = items[items.parent_id == "P4"]
    assert safeguards.heading.tolist() == ["加强组织领导", "加强配合协同", "加强督导评估"]


def test_jilin_measures_split_into_their_lead_paragraphs(corpus):
    s = corpus.sections.query("doc_id == 'jilin_reform_2022'")
    paragraphs = s[s.kind == "paragraph"]
    # each measure bundles 3-7 sub-tasks, each paragraph opened by a short lead sentence
    assert paragraphs.groupby("parent_id").size().to_dict() == {
        "P3.I1": 4, "P3.I2": 3, "P3.I3": 7, "P3.I4": 3, "P3.I5": 4, "P3.I6": 7}  # fmt: skip
    first = paragraphs[paragraphs.parent_id == "P3.I1"]
    assert first.heading.tolist() == ["聚焦政治靶心", "全面加强科协组织党的建设", "弘扬科学家精神",
                                      "压实意识形态工作责任制"]  # fmt: skip
    assert first.section_id.tolist() == [f"P3.I1.PG{i}" for i in range(1, 5)]
    assert first.iloc[2].text == ("加强道德学风建设,使爱国、创新、求实、奉献、协同、育人的新时代科学家精神"
                                  "深入人心。讲好科技工作者故事,加强对院士、全国创新争先奖获奖者、“最美科技工作者”"
                                  "等先进典型宣传,组建吉林省科学家精神宣讲团,营造团结奋进开放创新的良好氛围。"
                                  "重点建设10个科学家精神教育基地。")  # fmt: skip
    assert first.iloc[0].path == "三 > 1 > ¶1"
    assert (s.set_index("section_id").loc[[f"P3.I{i}" for i in range(1, 7)], "text"] == "").all()
    # the lead sentence is the sub-task's heading sentence
    lead = corpus.sentences.query("doc_id == 'jilin_reform_2022' and section_id == 'P3.I1.PG1'")
    assert lead.iloc[0].text == "聚焦政治靶心" and lead.iloc[0].is_heading
    # 背景形势 has one paragraph with a short first sentence, the other without: not split
    assert not (s.parent_id == "P1").any()


def test_only_bundled_lead_paragraphs_are_split(corpus):
    s = corpus.sections
    # Guangdong's PDF copy has one sentence per paragraph: never a lead followed by more text
    assert set(s[s.kind == "paragraph"].doc_id) == {"jilin_reform_2022"}


def test_lead_paragraphs_after_an_introduction():
    from analysis.structure import Piece, Section, split_lead_paragraphs

    item = Section("item", "1", 1, "加强组织建设", 0)
    item.body = [Piece("坚持把组织建设作为基础,推动改革。", 10),
                 Piece("巩固学会组织。建立学会动态调整机制。", 30),
                 Piece("发挥市州科协枢纽作用。推动构建完善组织协同机制。", 50)]  # fmt: skip
    out = split_lead_paragraphs([item])
    assert [s.heading for s in out] == ["加强组织建设", "巩固学会组织", "发挥市州科协枢纽作用"]
    assert [p.text for p in item.body] == ["坚持把组织建设作为基础,推动改革。"]
    assert out[1].body[0].text == "建立学会动态调整机制。" and out[1].body[0].offset == 37
    assert out[2].heading_offset == 50 and out[2].parent is item
    # one lead paragraph is not a bundle; nor is a paragraph whose first sentence has a comma
    single = Section("item", "2", 2, "x", 0)
    single.body = [Piece("巩固学会组织。建立机制。", 0), Piece("总体上看,形势很好。继续努力。", 20)]
    assert split_lead_paragraphs([single]) == [single]


def test_henan_14fyp_items_restart_under_each_area(corpus):
    s = corpus.sections.query("doc_id == 'henan_14fyp'")
    assert s.iloc[0].kind == "preamble" and s.iloc[0].heading == "序言"
    areas = s[(s.parent_id == "P2") & (s.kind == "subpart")]
    assert len(areas) == 5
    assert areas.iloc[3].heading == "聚焦公民科学素质提升,实施“科普中原”行动"
    counts = s[s.kind == "item"].groupby("parent_id").size()
    assert counts.to_dict() == {"P2.S1": 5, "P2.S2": 6, "P2.S3": 6, "P2.S4": 7, "P2.S5": 8}
    assert s.set_index("section_id").loc["P2.S4.I6", "heading"] == "加强科普设施建设"


def test_every_section_has_a_parent_that_exists(corpus):
    s = corpus.sections
    ids = set(zip(s.doc_id, s.section_id, strict=True))
    for row in s[s.parent_id != ""].itertuples():
        assert (row.doc_id, row.parent_id) in ids
    assert not s.duplicated(["doc_id", "section_id"]).any()


@pytest.mark.parametrize(
    ("marker", "expected"),
    [("三、", ("part", "三", 3)), ("(十二)", ("subpart", "十二", 12)), ("24.", ("item", "24", 24)),
     ("(3)", ("subitem", "3", 3)), ("第二章", ("chapter", "二", 2)), ("第一节", ("section", "一", 1)),
     ("——", ("lead", "——", None))],
)  # fmt: skip
def test_classify_marker(marker, expected):
    assert classify_marker(marker) == expected


def test_parse_toc_tolerates_doubled_bracket():
    entries = parse_toc("二、指导思想和发展目标 (一)指导思想 (三))发展目标 1.全面宣传")
    assert [(e.kind, e.label, e.heading) for e in entries] == [
        ("part", "二", "指导思想和发展目标"), ("subpart", "一", "指导思想"),
        ("subpart", "三", "发展目标"), ("item", "1", "全面宣传"),
    ]  # fmt: skip
