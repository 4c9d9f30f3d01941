"""Figures: Chinese glyphs render (a missing-glyph warning fails), bytes are stable."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from analysis.figures import cjk_font_path, figure_bytes, plot_themes, setup_fonts


def test_cjk_font_is_an_open_licence_single_face_otf():
    path = cjk_font_path()
    assert path.name == "NotoSansCJKsc-Regular.otf" and path.is_file()
    assert setup_fonts() == "Noto Sans CJK SC"


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
