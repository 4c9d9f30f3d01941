"""Shared fixtures: the real corpus (loaded once) and small documents in other formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import load_corpus

ROOT = Path(__file__).resolve().parents[1]

REGISTRY_HEADER = (
    "doc_id,file,level,region,doc_type,title,issuer,doc_number,issued_date,"
    "period_start,period_end,starts_at,source_format,notes\n"
)

# A municipal plan numbered 第X章 / 第X节 / （一） / （1）, with full-width digits and
# punctuation, saved as GB18030 with CRLF line ends.
CHAPTER_PLAN = (
    "某市科协事业发展“十四五”规划\n"
    "第一章　总体要求\n"
    "第一节　指导思想\n"
    "坚持以科技工作者为中心。到２０２５年，全市公民具备科学素质的比例达到１５％。\n"
    "第二节　发展目标\n"
    "（一）组织体系更加健全。基层组织覆盖率达到９０％以上。\n"
    "（二）服务能力明显提升。\n"
    "（1）学术交流更加活跃。每年举办学术活动１００场。\n"
    "（2）科普阵地更加完善。\n"
    "第二章　重点任务\n"
    "第一节　服务科技工作者\n"
    "（一）建设科技工作者之家。建成１０个示范站点。\n"
)

# A county work-points web page saved as UTF-8 with BOM and CRLF: breadcrumb, publication
# header, notice wrapper, a "- 3 -" page line, share and print widgets.
WEB_PAGE = (
    "您当前所在位置：首页 > 工作动态\n"
    "某县科协关于印发《某县科协2023年工作要点》的通知\n"
    "来源：县科协　　发布时间：2023-03-01\n"
    "某科协发〔2023〕3号\n"
    "各乡镇科协：\n"
    "现将《某县科协2023年工作要点》印发给你们，请认真贯彻落实。\n"
    "某县科学技术协会\n"
    "2023年3月1日\n"
    "某县科协2023年工作要点\n"
    "2023年，县科协坚持以习近平新时代中国特色社会主义思想为指导。\n"
    "一、加强思想引领\n"
    "1.开展学习活动。全年举办宣讲活动２０场。\n"
    "- 3 -\n"
    "2.弘扬科学家精神。建设教育基地２个。\n"
    "二、服务创新发展\n"
    "3.推动学会改革。\n"
    "分享到：微信 微博 QQ空间\n"
    "打印本页 关闭窗口\n"
)


@pytest.fixture(scope="session")
def corpus():
    """The bundled corpus, loaded once for the whole test session."""
    return load_corpus()


@pytest.fixture(scope="session")
def built_tables():
    """Every table the build makes from the bundled documents, computed once, in this process."""
    from analysis.build import analysis_steps
    from analysis.pipeline import InProcessRunner

    steps = analysis_steps(raw_dir=ROOT / "data" / "raw", jobs=1, backend="jieba",
                           cache_dir=None, preload=False)  # fmt: skip
    return InProcessRunner().run(steps, {})


def notebook_findings(name: str) -> str:
    """The findings of notebook ``name`` (its last cell), whitespace collapsed, as the findings
    tests match them."""
    import nbformat

    book = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    return " ".join(book.cells[-1].source.split())


def write_raw(folder: Path, files: dict[str, bytes], rows: list[str]) -> Path:
    """Write source files and a registry into ``folder``; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "documents.csv").write_text(REGISTRY_HEADER + "".join(r + "\n" for r in rows),
                                          encoding="utf-8")  # fmt: skip
    return folder


@pytest.fixture
def fixture_raw(tmp_path: Path) -> Path:
    """A raw folder with the two fixture documents in their other formats."""
    chapter = CHAPTER_PLAN.replace("\n", "\r\n").encode("gb18030")
    web = b"\xef\xbb\xbf" + WEB_PAGE.replace("\n", "\r\n").encode("utf-8")
    return write_raw(
        tmp_path / "raw",
        {"city_plan.txt": chapter, "county_points.txt": web},
        [
            "city_14fyp,city_plan.txt,municipal,某市,规划,,某市科协,,,2021,2025,,,",
            "county_2023,county_points.txt,county,某县,工作要点,,,,,2023,2023,,,",
        ],
    )
