"""Figures: Chinese glyphs render (a missing-glyph warning fails), bytes are stable."""

from __future__ import annotations

import subprocess
import sys
import warnings

import pandas as pd
import pytest

from analysis.config import cjk_font_path
from analysis.figures import figure_bytes, plot_themes, setup_fonts
from analysis.registry import figure


def test_cjk_font_is_an_open_licence_single_face_otf():
    path = cjk_font_path()
    assert path.name == "NotoSansCJKsc-Regular.otf" and path.is_file()
    assert setup_fonts() == "Noto Sans CJK SC"


def test_bundled_font_is_drawn_even_with_a_system_font_of_the_same_family(tmp_path):
    """A machine with Noto Sans CJK installed system-wide (fonts-noto-cjk) has fonts of the
    bundled font's family. A decoy of that family, known to matplotlib before the project
    registers its font, must not be the one drawn (in a fresh process: fonts are global)."""
    decoy = tmp_path / "NotoSansCJK-Regular.otf"
    decoy.write_bytes(cjk_font_path().read_bytes())  # same family name, another file
    script = f"""
import matplotlib
matplotlib.use("Agg")
from matplotlib import font_manager
font_manager.fontManager.addfont({str(decoy)!r})
assert font_manager.findfont("Noto Sans CJK SC") == {str(decoy)!r}  # the decoy would win
from analysis.figures import setup_fonts
setup_fonts()
family = matplotlib.rcParams["font.family"]
print(font_manager.findfont(font_manager.FontProperties(family=family)))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(cjk_font_path())


def _themes():
    return pd.DataFrame({"doc_id": ["henan_14fyp", "guangdong_14fyp"] * 2,
                         "label": ["乡村振兴", "乡村振兴", "数字化与网上科协", "数字化与网上科协"],
                         "per_10k": [10.0, 20.0, 5.0, 1.0]})  # fmt: skip


def test_chinese_labels_render_without_missing_glyph_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plot_themes(_themes())
        figure_bytes(fig, "png")
        figure_bytes(fig, "svg")


def test_missing_glyph_warning_would_fail(monkeypatch):
    """The check above is real: with DejaVu Sans only, Chinese text raises the warning."""
    import matplotlib
    import matplotlib.pyplot as plt

    setup_fonts()
    monkeypatch.setitem(matplotlib.rcParams, "font.family", ["DejaVu Sans"])
    fig, ax = plt.subplots()
    ax.set_title("科协")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning, match="missing from font"):
            figure_bytes(fig, "png")
    plt.close(fig)


def test_figure_bytes_are_identical_run_to_run():
    for fmt in ("png", "svg"):
        assert figure_bytes(plot_themes(_themes()), fmt) == figure_bytes(
            plot_themes(_themes()), fmt
        )
    svg = figure_bytes(plot_themes(_themes()), "svg").decode()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg


def test_each_file_draws_the_figure_once(monkeypatch):
    """A figure laid out by ``tight_layout`` is not laid out again by ``savefig`` (which
    would draw it twice per file), and the pixels are what the second layout gave."""
    from matplotlib.figure import Figure

    from analysis.figures import render_figure

    reference = {fmt: figure_bytes(plot_themes(_themes()), fmt) for fmt in ("png", "svg")}
    draws = []
    original = Figure.draw
    monkeypatch.setattr(
        Figure, "draw", lambda fig, renderer: draws.append(1) or original(fig, renderer)
    )
    rendered = render_figure(figure("04_themes"), {"themes": _themes()}, formats=("png", "svg"))
    assert len(draws) == 2  # one PNG, one SVG
    assert rendered == {"04_themes.png": reference["png"], "04_themes.svg": reference["svg"]}


def test_a_constrained_layout_figure_keeps_its_layout_when_saved(tmp_path):
    import matplotlib.pyplot as plt

    from analysis.figures import write_figure

    setup_fonts()
    fig, ax = plt.subplots(layout="constrained")
    ax.set_title("科协 title")
    engine = fig.get_layout_engine()
    write_figure(fig, "constrained", tmp_path)
    assert fig.get_layout_engine() is engine and (tmp_path / "constrained.png").is_file()


def _many_documents(n: int = 15) -> dict[str, pd.DataFrame]:
    """Minimal build tables for ``n`` documents (d00 is the reference); each document's most
    frequent word 本地 is a self-reference."""
    docs = [f"d{i:02d}" for i in range(n)]
    keywords = pd.DataFrame({"doc_id": [d for d in docs for _ in range(101)],
                             "term": [("本地" if r == 0 else f"词{r}") for _ in docs
                                      for r in range(101)],
                             "rank": [r + 1 for _ in docs for r in range(101)],
                             "per_10k": 1.0,
                             "is_self_reference": [r == 0 for _ in docs for r in range(101)]})  # fmt: skip
    keyness = pd.DataFrame({"doc_id": docs * 4, "reference": (["d00"] * n + ["all_others"] * n) * 2,
                            "term": ["词"] * 2 * n + ["本地"] * 2 * n,
                            "significant": [True, False] * 2 * n,
                            "is_self_reference": [False] * 2 * n + [True] * 2 * n})  # fmt: skip
    pairs = [(a, b) for a in docs for b in docs]
    similarity = pd.DataFrame({"method": "word", "doc_a": [a for a, _ in pairs],
                               "doc_b": [b for _, b in pairs], "score": 0.5})  # fmt: skip
    targets = pd.DataFrame({"doc_id": docs, "indicator_key": "science_literacy_rate",
                            "kind": "target", "value": 15.0, "target_year": 2025,
                            "comparator": "at_least"})  # fmt: skip
    per_doc = pd.DataFrame({"doc_id": docs})
    coverage = pd.DataFrame({"doc_id": docs * 2, "method": ["combined"] * n + ["word"] * n})
    cooccurrence = pd.DataFrame({"network": [*docs, "national", "provincial"],
                                 "network_type": ["document"] * n + ["group"] * 2,
                                 "term_a": "科协", "term_b": "学会", "count": 3, "count_a": 5,
                                 "count_b": 4, "n_sentences": 20, "association": 3.0})  # fmt: skip
    candidates = pd.DataFrame({"term": [f"词{r}" for r in range(40) for _ in docs[:2]],
                               "rank": [r + 1 for r in range(40) for _ in docs[:2]],
                               "doc_id": docs[:2] * 40})  # fmt: skip
    return {"keywords": keywords, "keyness": keyness, "concept_keyness": keyness,
            "similarity": similarity, "themes": per_doc, "coverage": coverage,
            "targets": targets, "cooccurrence": cooccurrence,
            "term_candidates": candidates,
            "policy_tool_summary": pd.DataFrame({"doc_id": docs, "tool_type": "supply",
                                                 "sub_tool": "talent", "share": 1.0}),
            "policy_tool_areas": pd.DataFrame({"unit": [*docs, "national", "provincial"],
                                               "unit_type": ["document"] * n + ["group"] * 2}),
            "pmc": pd.DataFrame({"doc_id": docs, "pmc": 5.0})}  # fmt: skip


def test_figures_receive_only_the_documents_and_rows_they_show():
    from analysis.figures import MAX_DOCS_IN_FIGURE, WORDCLOUD_WORDS, figure_data
    from analysis.registry import FIGURES

    tables = _many_documents(15)
    data = {spec.stem: figure_data(spec, tables, reference="d00") for spec in FIGURES}
    shown = {f"d{i:02d}" for i in range(MAX_DOCS_IN_FIGURE)}
    keywords = data["07_wordclouds"]["keywords"]  # the self-reference (rank 1) left out
    assert set(keywords["doc_id"]) == shown and keywords["rank"].max() == WORDCLOUD_WORDS + 1
    assert len(keywords) == MAX_DOCS_IN_FIGURE * WORDCLOUD_WORDS
    assert "本地" not in set(keywords["term"])
    similarity = data["03_similarity"]["similarity"]
    assert set(similarity["doc_a"]) == set(similarity["doc_b"]) == shown
    assert len(similarity) == MAX_DOCS_IN_FIGURE**2
    keyness = data["02_keyness"]["keyness"]
    assert keyness["significant"].all() and set(keyness["reference"]) == {"d00"}
    assert set(keyness["term"]) == {"词"}  # self-references left out
    assert set(data["08_cooccurrence"]["cooccurrence"]["network"]) == {"national", "provincial"}
    candidates = data["09_term_candidates"]["term_candidates"]  # one row per candidate, top 25
    assert candidates["rank"].tolist() == list(range(1, 26))
    assert set(data["10_policy_tools"]["policy_tool_summary"]["doc_id"]) == shown
    assert data["11_policy_tool_areas"]["policy_tool_areas"]["unit"].tolist() == [
        "national",
        "provincial",
    ]
    assert data["11_policy_tool_areas"]["areas"][-1] == "无主题"
    for stem in ("12_pmc_surface", "13_pmc_primaries"):
        assert (
            set(data[stem]["pmc"]["doc_id"]) == shown and data[stem]["labels"]["X8"] == "政策受体"
        )
    assert set(data["06_science_literacy_targets"]["targets"]["doc_id"]) == shown
    coverage = data["05_coverage"]["coverage"]
    assert set(coverage["doc_id"]) == shown and set(coverage["method"]) == {"combined"}


def test_shared_target_figure_shows_at_most_twelve_documents():
    from analysis.figures import plot_shared_target

    fig = plot_shared_target(_many_documents(15)["targets"])
    assert len(fig.axes[0].get_yticklabels()) == 12
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_shared_target_labels_keep_apart_and_no_line_joins_two_documents():
    import matplotlib.pyplot as plt

    from analysis.figures import label_sides, plot_shared_target

    # the bundled documents' values, and two close ones in a row (10 and 10.17 in 2020)
    targets = pd.DataFrame({
        "doc_id": ["national_2018", "national_2018", "national_2018_action", "henan_14fyp",
                   "henan_14fyp", "henan_14fyp", "guangdong_14fyp", "guangdong_14fyp"],
        "indicator_key": "science_literacy_rate",
        "kind": ["target", "target", "target", "baseline", "baseline", "target", "baseline",
                 "target"],
        "value": [10.0, 20.0, 10.0, 5.59, 10.17, 10.0, 12.79, 16.0],
        "target_year": [2020, 2035, 2020, 2015, 2020, 2020, 2020, 2025],
        "comparator": ["more_than", "more_than", "more_than", "exact", "exact", "exact",
                       "reach", "more_than"],
    })  # fmt: skip
    fig = plot_shared_target(targets)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    texts = [t for t in ax.texts]
    assert {t.get_text() for t in texts} == {"2020: >10", "2035: >20", "2015: 5.59",
                                              "2020: 10.17", "2020: 10", "2020: 12.79",
                                              "2025: >16"}  # fmt: skip
    boxes = [t.get_window_extent(renderer) for t in texts]
    for i, first in enumerate(boxes):
        for second in boxes[i + 1 :]:
            assert not first.overlaps(second)
    rows = [label.get_text() for label in ax.get_yticklabels()]
    assert rows == ["全国纲要", "全国行动计划", "河南十四五", "广东十四五"]
    for line in ax.lines:  # each line stays in its document's row: no trend across documents
        assert len(set(line.get_ydata())) == 1
    plt.close(fig)
    # two labels of a row closer than the spacing: the second goes below, a third above again
    assert label_sides([(0, 10.0), (0, 10.17), (0, 10.3)], 100.0, min_spacing=40) == [
        False, True, False]  # fmt: skip
    assert label_sides([(0, 10.0), (1, 10.0)], 100.0) == [False, False]  # other rows: apart


def test_every_registered_figure_draws_from_its_tables_alone(tmp_path):
    """Each figure is drawn from the tables the registry names (what its build step receives),
    in each format asked for; a raster figure only as PNG; PDF carries no date."""
    from analysis.figures import figure_data, figure_files, render_figure
    from analysis.registry import FIGURES

    tables = _many_documents(3)
    tables["themes"] = _themes()
    for spec in FIGURES[:1] + tuple(f for f in FIGURES if f.raster_only):
        data = figure_data(spec, {name: tables[name] for name in spec.tables}, reference="d00")
        rendered = render_figure(spec, data, formats=("png", "pdf"))
        assert sorted(rendered) == sorted(figure_files(spec, ("png", "pdf")))
        assert (f"{spec.stem}.pdf" in rendered) == (not spec.raster_only)
    pdf = render_figure(figure("04_themes"), {"themes": _themes()}, formats=("pdf",))
    assert b"CreationDate" not in pdf["04_themes.pdf"]
    assert pdf == render_figure(figure("04_themes"), {"themes": _themes()}, formats=("pdf",))


def test_coverage_figure_marks_echo_and_names_the_method():
    import matplotlib.pyplot as plt

    from analysis.figures import coverage_row_label, plot_coverage

    coverage = pd.DataFrame({
        "national_doc_id": ["national_2018"] * 4 + ["national_2018_action"] * 2,
        "national_section_id": ["a", "a", "b", "b", "c", "c"],
        "national_label": ["6", "6", "一", "一", "9", "9"],
        "national_heading": ["推动全民科学素质提升"] * 2 + ["加强组织领导"] * 2
                            + ["推动建设赋能创新协同组织并完善其服务体系"] * 2,
        "national_unit_type": ["task", "task", "safeguard", "safeguard", "task", "task"],
        "doc_id": ["p1", "p2"] * 3, "method": "combined", "n_units": [7, 0, 2, 1, 0, 0],
    })  # fmt: skip
    fig = plot_coverage(coverage)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [
        "纲要 6 推动全民科学素质提升",
        "纲要 保障一 加强组织领导",
        "行动 9 推动建设赋能创新协同组织…",
    ]
    image = ax.images[0].get_array()
    assert image.mask.tolist() == [[False, True], [False, False], [True, True]]  # blank: not echoed
    assert sorted(t.get_text() for t in ax.texts) == ["1", "2", "7"]
    assert "combined" in ax.get_title() and "top 3" in ax.get_title()
    assert coverage_row_label("x_2030", "task", "1", "短") == "x_2030 1 短"
    plt.close(fig)
