"""Figures for reports: every figure is drawn by a ``plot_*`` function here.

The build selects each figure's rows (:func:`figure_data`), renders the figures with
:func:`render_figure` (each figure a step of the build's pipeline) and writes
them atomically; :func:`write_figure` does the same for a figure drawn in a notebook.

Chinese text uses Noto Sans CJK SC (SIL Open Font License), the single-face OTF that the
``mplfonts`` package ships; it is registered with matplotlib at run time under a name of its
own (:data:`FONT_FAMILY`), so a system-wide Noto Sans CJK never stands in for it, and nothing
is written into site-packages. Set ``KEXIE_CJK_FONT`` to another font file to override it.
"""

from __future__ import annotations

import dataclasses
import io
from functools import cache
from pathlib import Path

import matplotlib

from .pipeline import inside_jupyter_kernel

if not inside_jupyter_kernel():  # keep Jupyter's inline backend; Agg everywhere else
    matplotlib.use("Agg")
import matplotlib.patches  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.layout_engine import PlaceHolderLayoutEngine  # noqa: E402

from .config import DEFAULT_FIGURE_FORMATS, cjk_font_path, resource_path  # noqa: E402
from .files import write_payloads  # noqa: E402
from .registry import PMC_PRIMARIES, Figure  # noqa: E402
from .resources import short_name  # noqa: E402
from .self_reference import shown_table  # noqa: E402

DPI = 200
#: zlib level of the PNG files: 3 saves about 20% of ``savefig`` time against the default 6
#: (files from 9% smaller to 23% larger).
PNG_COMPRESS_LEVEL = 3
#: Words in each word cloud (the top of each document's keyword ranking).
WORDCLOUD_WORDS = 80
#: Pixels of white around each word of a word cloud.
WORDCLOUD_MARGIN = 10
#: Figures that show one panel, row or column per document show at most this many documents
#: (the national ones first); the tables hold every document.
MAX_DOCS_IN_FIGURE = 12
#: The family name the bundled CJK font is registered under. Registering it under its own
#: name (Noto Sans CJK SC) would let matplotlib pick a system font of that family instead
#: (``fonts-noto-cjk`` is a common Linux package): the figures would change from machine to
#: machine. No installed font has this name, so the bundled file is the one drawn.
FONT_FAMILY = "kexie-compare CJK"


@cache
def setup_fonts() -> str:
    """Register the bundled CJK font file under :data:`FONT_FAMILY` and make it the first
    family; return the font's own family name (Noto Sans CJK SC for the bundled file)."""
    from matplotlib import ft2font

    path = cjk_font_path()
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: CJK font not found; install mplfonts or set KEXIE_CJK_FONT"
        )
    entry = font_manager.ttfFontProperty(ft2font.FT2Font(str(path)))
    # a new family name: no font lookup matplotlib has cached can be for it
    font_manager.fontManager.ttflist.append(dataclasses.replace(entry, name=FONT_FAMILY))
    matplotlib.rcParams["font.family"] = [FONT_FAMILY, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["svg.hashsalt"] = "kexie-compare"
    matplotlib.rcParams["svg.fonttype"] = "path"
    return entry.name


def warm_up() -> None:
    """Register the font and draw a little CJK text once, so processes forked afterwards inherit
    the parsed font (16 MB of OTF) and matplotlib's caches instead of building them each."""
    setup_fonts()
    figure = plt.figure(figsize=(1, 1))
    figure.text(0.5, 0.5, "科协 Kexie 0.1", fontsize=8)
    figure_bytes(figure, "png")
    plt.close(figure)


def figure_bytes(fig, fmt: str) -> bytes:
    """Render a figure to PNG, SVG or PDF bytes without dates or software names in the
    metadata (the CJK glyphs are embedded in the PDF, drawn as paths in the SVG)."""
    buffer = io.BytesIO()
    if fmt == "png":
        options = {"metadata": {"Software": None},
                   "pil_kwargs": {"compress_level": PNG_COMPRESS_LEVEL}}  # fmt: skip
    elif fmt == "pdf":
        options = {"metadata": {"CreationDate": None, "Creator": None, "Producer": None}}
    else:
        options = {"metadata": {"Date": None, "Creator": None}}
    fig.savefig(buffer, format=fmt, dpi=DPI, **options)
    return buffer.getvalue()


def write_figure(fig, stem: str, out_dir: str | Path, *,
                formats: tuple[str, ...] = DEFAULT_FIGURE_FORMATS) -> dict[str, bool]:  # fmt: skip
    """Save a figure drawn in a notebook as ``<stem>.<format>`` for each format, atomically,
    then close it.

    Returns
    -------
    dict of str to bool
        File name to whether it was rewritten (False when the bytes were unchanged).
    """
    return write_payloads(_rendered(fig, [f"{stem}.{fmt}" for fmt in formats]), out_dir)


def _rendered(fig, names: list[str]) -> dict[str, bytes]:
    """Render ``fig`` to the bytes of each file name (its format from the suffix), then close it."""
    if isinstance(fig.get_layout_engine(), PlaceHolderLayoutEngine):
        # ``tight_layout()`` has placed the axes and left a placeholder engine behind, which
        # makes ``savefig`` lay the whole figure out once more before every format; without
        # it each file costs one draw instead of two, and the pixels are the same
        fig.set_layout_engine(None)
    try:
        return {name: figure_bytes(fig, name.rsplit(".", 1)[1]) for name in names}
    finally:
        plt.close(fig)


def _first_documents(doc_ids) -> list[str]:
    return list(dict.fromkeys(doc_ids))[:MAX_DOCS_IN_FIGURE]


def _panel_grid(n_panels: int, *, width: float, row_height: float, cols: int = 3):
    """A figure with ``n_panels`` panels in rows of ``cols``; unused panels switched off."""
    rows = max(1, int(np.ceil(n_panels / cols)))
    fig, axes = plt.subplots(rows, cols, figsize=(width, row_height * rows), squeeze=False)
    for ax in list(axes.flat)[n_panels:]:
        ax.axis("off")
    return fig, list(axes.flat)[:n_panels]


def plot_top_keywords(keywords: pd.DataFrame, *, top_n: int = 12,
                      show_self_reference: bool | None = None):  # fmt: skip
    """Small multiples: the top terms of each document, rate per 10,000 tokens (self-references
    left out unless ``show_self_reference`` or ``show_in_views`` in
    ``resources/self_reference.toml``)."""
    setup_fonts()
    keywords = shown_table(keywords, show=show_self_reference)
    doc_ids = _first_documents(keywords["doc_id"])
    fig, axes = _panel_grid(len(doc_ids), width=12, row_height=3.6)
    for ax, doc_id in zip(axes, doc_ids, strict=True):
        top = keywords[keywords["doc_id"] == doc_id].nsmallest(top_n, "rank")[::-1]
        ax.barh(top["term"], top["per_10k"], color="#2b7bb9")
        ax.set_title(short_name(doc_id), fontsize=11)
        ax.tick_params(labelsize=8)
        ax.set_xlabel("每万词频次 (per 10k tokens)", fontsize=8)
    fig.suptitle("各文件高频词 Top keywords per document", fontsize=13)
    fig.tight_layout()
    return fig


def plot_keyness(keyness: pd.DataFrame, *, reference: str, top_n: int = 10,
                 show_self_reference: bool | None = None):  # fmt: skip
    """Two-sided bars: terms each province uses more (right, blue) and less (left, red) than
    the reference (``keyness`` or, better, ``concept_keyness``; self-references left out as in
    :func:`plot_top_keywords`). Panels in rows of three, with one x scale and the same number
    of bar slots, so bars are equally thick and comparable whatever a document's number of key
    terms; the terms used more come first, the strongest (G2) on top."""
    setup_fonts()
    keyness = shown_table(keyness, show=show_self_reference)
    table = keyness[(keyness["reference"] == reference) & keyness["significant"]]
    with_terms = set(table["doc_id"])
    doc_ids = [d for d in keyness["doc_id"].unique() if d != reference and d in with_terms]
    doc_ids = _first_documents(doc_ids)
    shown = {}  # per document: used more (strongest first), then used less
    for doc_id in doc_ids:
        own = table[table["doc_id"] == doc_id]
        shown[doc_id] = pd.concat([own[own["direction"] == direction].nlargest(top_n, "g2")
                                   for direction in ("target", "reference")])  # fmt: skip
    slots = max([len(rows) for rows in shown.values()] + [1])
    reach = max([rows["log_ratio"].abs().max() for rows in shown.values() if len(rows)] + [1.0])
    fig, axes = _panel_grid(max(len(doc_ids), 1), width=13, row_height=0.8 + 0.24 * slots)
    fig.set_layout_engine("constrained")
    for ax, doc_id in zip(axes, doc_ids, strict=False):
        rows = shown[doc_id]
        colors = [KEYNESS_COLORS[d] for d in rows["direction"]]
        ax.barh(range(len(rows)), rows["log_ratio"], height=0.7, color=colors)
        ax.set_yticks(range(len(rows)), rows["term"], fontsize=9)
        ax.set_ylim(slots - 0.4, -0.6)  # the same slots in every panel, from the top
        ax.set_xlim(-reach * 1.08, reach * 1.08)  # one scale: bars compare across panels
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_title(f"{short_name(doc_id)} vs {short_name(reference)}", fontsize=11)
        ax.set_xlabel("对数比 log ratio (log2)", fontsize=9)
        ax.tick_params(axis="x", labelsize=8)
    handles = [matplotlib.patches.Patch(color=KEYNESS_COLORS["target"],
                                        label=f"多于{short_name(reference)} used more"),
               matplotlib.patches.Patch(color=KEYNESS_COLORS["reference"],
                                        label=f"少于{short_name(reference)} used less")]  # fmt: skip
    fig.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=10)
    fig.suptitle(f"关键性分析 Keyness against {short_name(reference)} (concepts joined, "
                 f"self-references left out; G2 ≥ 15.13, top {top_n} each way)",
                 fontsize=13)  # fmt: skip
    return fig


#: Bar colours of terms used more in the target (blue) and in the reference (red).
KEYNESS_COLORS = {"target": "#2b7bb9", "reference": "#c0504d"}


def plot_similarity(similarity: pd.DataFrame):
    """Document similarity heatmaps, word and character methods side by side. The diagonal (a
    document with itself, always 1) is left grey, and each method's colours span its own
    range of the other cells, so the differences between documents show."""
    setup_fonts()
    methods = list(similarity["method"].unique())
    keep = set(_first_documents(similarity["doc_a"]))
    similarity = similarity[similarity["doc_a"].isin(keep) & similarity["doc_b"].isin(keep)]
    fig, axes = plt.subplots(1, len(methods), figsize=(6.4 * len(methods), 5.6), squeeze=False,
                             layout="constrained")  # fmt: skip
    fig.get_layout_engine().set(h_pad=0.12)  # room below the last rotated label's glyphs
    for ax, method in zip(axes.flat, methods, strict=True):
        matrix = similarity[similarity["method"] == method].pivot(
            index="doc_a", columns="doc_b", values="score"
        )
        order = list(dict.fromkeys(similarity["doc_a"]))
        values = matrix.loc[order, order].to_numpy(dtype=float, copy=True)
        np.fill_diagonal(values, np.nan)
        others = values[~np.isnan(values)]
        low, high = (np.floor(others.min() * 10) / 10, np.ceil(others.max() * 10) / 10) \
            if others.size else (0.0, 1.0)  # fmt: skip
        cmap = matplotlib.colormaps["Blues"].with_extremes(bad="#e6e6e6")
        image = ax.imshow(values, cmap=cmap, vmin=low, vmax=max(high, low + 0.1))
        labels = [short_name(d) for d in order]
        ax.set_xticks(
            range(len(order)), labels, rotation=45, ha="right", rotation_mode="anchor", fontsize=8
        )
        ax.set_yticks(range(len(order)), labels, fontsize=8)
        middle = (low + high) / 2
        for i in range(len(order)):
            for j in range(len(order)):
                value = values[i, j]
                text = "—" if np.isnan(value) else f"{value:.2f}"
                ax.text(j, i, text, ha="center", va="center", fontsize=7,
                        color="white" if value > middle else "black")  # fmt: skip
        ax.set_title(
            {"word": "词 TF-IDF (word)", "char": "字 2-3-gram TF-IDF (char)"}.get(method, method)
        )
        fig.colorbar(image, ax=ax, shrink=0.8, label="余弦相似度 cosine")
    fig.suptitle("文件相似度 Document similarity (cosine; diagonal = the document itself)",
                 fontsize=13)  # fmt: skip
    return fig


def plot_themes(themes: pd.DataFrame):
    """Theme profiles: documents × themes, rate per 10,000 tokens in each cell; the colour is
    the rate relative to the theme's highest document, so a frequent theme (科普) does not
    wash out the others."""
    setup_fonts()
    themes = themes[themes["doc_id"].isin(_first_documents(themes["doc_id"]))]
    matrix = themes.pivot_table(index="doc_id", columns="label", values="per_10k", sort=False)
    rates = matrix.to_numpy()
    highest = rates.max(axis=0, keepdims=True)
    relative = np.divide(rates, highest, out=np.zeros_like(rates), where=highest > 0)
    fig, ax = plt.subplots(figsize=(12, 4.5))
    image = ax.imshow(relative, cmap="Oranges", aspect="auto", vmin=0, vmax=1)
    ax.set_xticks(range(matrix.shape[1]), matrix.columns, rotation=40, ha="right", fontsize=9)
    ax.set_yticks(range(matrix.shape[0]), [short_name(d) for d in matrix.index], fontsize=9)
    for i in range(matrix.shape[0]):
        for j in range(matrix.shape[1]):
            ax.text(j, i, f"{rates[i, j]:.0f}", ha="center", va="center", fontsize=7,
                    color="white" if relative[i, j] > 0.7 else "black")  # fmt: skip
    fig.colorbar(image, ax=ax, label="相对该主题最高值 share of the theme's highest rate")
    ax.set_title("主题画像 Theme profiles (numbers: hits per 10,000 tokens)")
    fig.tight_layout()
    return fig


#: Short Chinese names of the national documents in row labels (the doc_id if unknown).
_NATIONAL_ROW_PREFIX = {"national_2018": "纲要", "national_2018_action": "行动"}
#: Characters of a national unit's heading shown in a row label before an ellipsis.
COVERAGE_HEADING_CHARS = 13


def coverage_row_label(national_doc_id: str, unit_type: str, label: str, heading: str) -> str:
    """A row label of the coverage figure: document, number and heading (cut with an ellipsis).

    Examples
    --------
    >>> coverage_row_label("national_2018", "task", "6", "推动全民科学素质提升")
    '纲要 6 推动全民科学素质提升'
    >>> coverage_row_label("national_2018_action", "safeguard", "一", "加强组织领导")
    '行动 保障一 加强组织领导'
    """
    prefix = _NATIONAL_ROW_PREFIX.get(national_doc_id, short_name(national_doc_id))
    number = f"保障{label}" if unit_type == "safeguard" else label
    if len(heading) > COVERAGE_HEADING_CHARS:
        heading = heading[: COVERAGE_HEADING_CHARS - 1] + "…"
    return f"{prefix} {number} {heading}"


def plot_coverage(coverage: pd.DataFrame, *, method: str = "combined", top_k: int = 3):
    """Which national units each province echoes: national units × provinces.

    A cell shows how many of the province's task and safeguard units have the national unit
    among their ``top_k`` best matches (``n_units``); an empty cell means the province does
    not echo it. Rows are grouped by national document and unit type (tasks, then safeguard
    measures), in document order.
    """
    setup_fonts()
    table = coverage[(coverage["method"] == method)
                     & coverage["doc_id"].isin(_first_documents(coverage["doc_id"]))]  # fmt: skip
    table = table.assign(row=[coverage_row_label(*values) for values in zip(
        table["national_doc_id"], table["national_unit_type"], table["national_label"].astype(str),
        table["national_heading"], strict=True)])  # fmt: skip
    matrix = table.pivot_table(index="row", columns="doc_id", values="n_units", sort=False)
    groups = table.drop_duplicates("row")[["national_doc_id", "national_unit_type"]].to_numpy()
    values = matrix.to_numpy(dtype=float)
    shown = np.where(values > 0, values, np.nan)  # not echoed: left white
    fig, ax = plt.subplots(figsize=(3.2 + 1.15 * matrix.shape[1], 0.22 * len(matrix) + 2.2))
    cap = max(3.0, float(np.nanmax(values)) if values.size else 3.0)
    cmap = matplotlib.colormaps["Greens"].with_extremes(bad="white")
    image = ax.imshow(shown, cmap=cmap, aspect="auto", vmin=0, vmax=cap)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            if values[i, j] > 0:
                ax.text(j, i, f"{values[i, j]:.0f}", ha="center", va="center", fontsize=6.5,
                        color="white" if values[i, j] > cap * 0.6 else "black")  # fmt: skip
    ax.set_yticks(range(len(matrix)), matrix.index, fontsize=7)
    ax.set_xticks(range(matrix.shape[1]), [short_name(d) for d in matrix.columns], rotation=30,
                  ha="right", fontsize=8)  # fmt: skip
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    plt.setp(ax.get_xticklabels(), ha="left", rotation=30)
    boundaries = [i for i in range(1, len(groups)) if tuple(groups[i]) != tuple(groups[i - 1])]
    for boundary in boundaries:
        ax.axhline(boundary - 0.5, color="#555555", linewidth=0.8)
    ax.set_xticks(np.arange(-0.5, matrix.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, len(matrix)), minor=True)
    ax.grid(which="minor", color="#e6e6e6", linewidth=0.4)
    ax.tick_params(which="minor", length=0)
    colorbar = fig.colorbar(image, ax=ax, shrink=0.35, pad=0.02)
    colorbar.set_label("呼应该单位的省级条目数 units echoing it", fontsize=8)
    colorbar.ax.tick_params(labelsize=7)
    ax.set_title(f"国家任务与保障措施的呼应 Which national units each province echoes\n"
                 f"method: {method} (word + char + BM25); echoed = among a unit's top {top_k} "
                 f"matches; blank = not echoed", fontsize=9)  # fmt: skip
    fig.tight_layout()
    return fig


def plot_shared_target(targets: pd.DataFrame, *, indicator_key: str = "science_literacy_rate"):
    """Baselines (filled circles) and targets (open triangles) of one shared indicator: a row
    per document (the first :data:`MAX_DOCS_IN_FIGURE` that state it), the value on the x axis,
    each point labelled with its year.

    Documents state their numbers for different years (the framework 2020 and 2035, the
    provinces 2025), so nothing joins one document's points to another's: a line across
    documents would draw a trend, and a value for a year, that no document states. A thin line
    joins each document's own points, from its baseline to its targets.
    """
    setup_fonts()
    rows = targets[(targets["indicator_key"] == indicator_key)
                   & targets["kind"].isin(["baseline", "target"])].dropna(subset=["value"])  # fmt: skip
    doc_ids = _first_documents(rows["doc_id"])
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.62 * max(len(doc_ids), 1)), layout="constrained")
    ax.set_ylim(len(doc_ids) - 0.4, -0.6)  # the first document on top
    labels = []  # (y, value, text, kind): placed once the axis limits are known
    for y, doc_id in enumerate(doc_ids):
        group = rows[rows["doc_id"] == doc_id].sort_values(["value", "target_year"])
        ax.plot(group["value"], [y] * len(group), color="#bbbbbb", linewidth=1.2, zorder=1)
        for row in group.itertuples():
            if row.kind == "baseline":
                ax.scatter(row.value, y, marker="o", s=55, color=KIND_COLORS["baseline"], zorder=3)
            else:
                ax.scatter(row.value, y, marker="^", s=70, facecolor="white",
                           edgecolor=KIND_COLORS["target"], linewidth=1.5, zorder=3)  # fmt: skip
            suffix = {"more_than": ">", "at_least": "≥"}.get(row.comparator, "")
            year = "" if pd.isna(row.target_year) else f"{int(row.target_year)}: "
            labels.append((y, row.value, f"{year}{suffix}{row.value:g}", row.kind))
    ax.set_yticks(range(len(doc_ids)), [short_name(d) for d in doc_ids], fontsize=9)
    ax.margins(x=0.12)
    ax.autoscale_view(scaley=False)
    left, right = ax.get_xlim()
    # the axes' width in points (before the layout shrinks it a little), to keep labels apart
    points_per_unit = ax.get_position().width * fig.get_figwidth() * 72 / ((right - left) or 1.0)
    for (y, value, text, kind), below in zip(labels, label_sides(labels, points_per_unit),
                                             strict=True):  # fmt: skip
        ax.annotate(text, (value, y), textcoords="offset points", xytext=(0, -9 if below else 9),
                    ha="center", va="top" if below else "bottom", fontsize=8,
                    color=KIND_COLORS[kind], zorder=4)  # fmt: skip
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=KIND_COLORS["baseline"],
                          label="基线 baseline"),
               plt.Line2D([], [], marker="^", linestyle="", markerfacecolor="white",
                          markeredgecolor=KIND_COLORS["target"], label="目标 target")]  # fmt: skip
    ax.legend(handles=handles, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_xlabel("公民具备科学素质的比例 (%)；标注为年份: 数值 (year: value)")
    ax.set_title("公民科学素质比例：各文件的基线与目标 Baselines and targets by document\n"
                 "目标年份因文件而异，不可跨文件连成趋势 (target years differ by document)",
                 fontsize=11)  # fmt: skip
    ax.grid(axis="x", alpha=0.3)
    return fig


#: Colours of baselines and targets in the shared-target figure.
KIND_COLORS = {"baseline": "#555555", "target": "#2b7bb9"}
#: Narrowest horizontal distance, in points, between two labels of one row on the same side.
LABEL_SPACING_POINTS = 48.0


def label_sides(labels: list[tuple], points_per_unit: float, *,
                min_spacing: float = LABEL_SPACING_POINTS) -> list[bool]:  # fmt: skip
    """Which value labels go below their point (True) rather than above: along each row, from
    the lowest value up, a label closer than ``min_spacing`` points to the previous label above
    goes below, unless it is that close to the previous label below too (then above).

    Parameters
    ----------
    labels : list of (row, value, ...)
        The labelled points, in drawing order.
    points_per_unit : float
        Points per data unit on the x axis.
    min_spacing : float
        Narrowest distance between two labels on one side (about a label's width).

    Returns
    -------
    list of bool
        For each label, in the order of ``labels``: True to put it below its point.
    """
    below = [False] * len(labels)
    last: dict[tuple, float] = {}  # (row, side) -> x of the last label there, in points
    for index in sorted(range(len(labels)), key=lambda i: (labels[i][0], labels[i][1], i)):
        row, x = labels[index][0], labels[index][1] * points_per_unit
        above_free = x - last.get((row, False), -np.inf) >= min_spacing
        below_free = x - last.get((row, True), -np.inf) >= min_spacing
        below[index] = not above_free and below_free
        last[(row, below[index])] = x
    return below


def wordcloud_inputs(
    keywords: pd.DataFrame, *, max_words: int = WORDCLOUD_WORDS
) -> dict[str, tuple[tuple, tuple]]:
    """Each shown document's top terms and their rates per 10,000 tokens, the word cloud's input.

    Returns
    -------
    dict
        doc_id (the first :data:`MAX_DOCS_IN_FIGURE`, in table order) to ``(terms, rates)``.
    """
    inputs = {}
    for doc_id in _first_documents(keywords["doc_id"]):
        own = keywords[keywords["doc_id"] == doc_id].nsmallest(max_words, "rank")
        inputs[doc_id] = (tuple(own["term"]), tuple(own["per_10k"]))
    return inputs


def wordcloud_image(terms: tuple[str, ...], rates: tuple[float, ...]) -> np.ndarray:
    """One document's word cloud (terms sized by rate) as an RGB image array; the same array
    for the same input (fixed seed), whichever process draws it."""
    from wordcloud import WordCloud

    # a fixed largest font size spares WordCloud a trial layout to find one; a wide margin
    # keeps neighbouring words apart (with WordCloud's 2 px, 科协 beside 科协组织 read as one)
    cloud = WordCloud(font_path=str(cjk_font_path()), width=720, height=420, max_font_size=110,
                      background_color="white", random_state=7, max_words=len(terms) or 1,
                      colormap="viridis", margin=WORDCLOUD_MARGIN)  # fmt: skip
    cloud.generate_from_frequencies(dict(zip(terms, rates, strict=True)))
    return cloud.to_array()


def plot_wordclouds(keywords: pd.DataFrame, *, max_words: int = WORDCLOUD_WORDS,
                    show_self_reference: bool | None = None):  # fmt: skip
    """A word cloud per document (content words sized by rate per 10,000 tokens), one panel each;
    self-references left out as in :func:`plot_top_keywords`."""
    setup_fonts()
    inputs = wordcloud_inputs(shown_table(keywords, show=show_self_reference),
                              max_words=max_words)  # fmt: skip
    fig, axes = _panel_grid(len(inputs), width=13, row_height=3.4)
    for ax, (doc_id, (terms, rates)) in zip(axes, inputs.items(), strict=True):
        image = wordcloud_image(terms, rates)
        ax.imshow(image, interpolation="bilinear")
        ax.set_title(short_name(doc_id), fontsize=11)
        ax.axis("off")
    fig.suptitle("词云 Word clouds (size = rate per 10,000 tokens)", fontsize=13)
    fig.tight_layout()
    return fig


#: Chinese names of the document groups in figure titles (the registry's levels).
GROUP_NAMES = {"national": "国家", "provincial": "省级", "municipal": "市级", "county": "县级"}


#: Edges drawn per network panel: the pairs sharing most sentences among those above chance.
NETWORK_EDGES_SHOWN = 60


def plot_cooccurrence(cooccurrence: pd.DataFrame, *, edges_shown: int = NETWORK_EDGES_SHOWN):
    """Co-occurrence networks of the document groups, one panel each: node size = sentences
    naming the term; drawn edges = the ``edges_shown`` pairs sharing most sentences among those
    above chance (association > 1), width = shared sentences. Layout: force-directed on all
    pairs, fixed seed (the positions written to the GEXF files)."""
    from .cooccurrence import cooccurrence_graph, network_layout

    setup_fonts()
    groups = list(cooccurrence.loc[cooccurrence["network_type"] == "group", "network"].unique())
    fig, axes = plt.subplots(1, max(len(groups), 1), figsize=(7.5 * max(len(groups), 1), 7.5),
                             squeeze=False)  # fmt: skip
    for ax, network in zip(axes.flat, groups, strict=False):
        graph = cooccurrence_graph(cooccurrence, network)
        position = network_layout(graph)
        edges = sorted(((d["weight"], a, b) for a, b, d in graph.edges(data=True)
                        if d["association"] > 1), key=lambda e: -e[0])[:edges_shown]  # fmt: skip
        largest_edge = max((w for w, *_ in edges), default=1)
        for weight, a, b in edges:
            (xa, ya), (xb, yb) = position[a], position[b]
            ax.plot([xa, xb], [ya, yb], color="#7f8fa6", alpha=0.6, zorder=1,
                    linewidth=0.5 + 4.5 * weight / largest_edge)  # fmt: skip
        counts = np.array([graph.nodes[n]["count"] for n in graph.nodes])
        xy = np.array([position[n] for n in graph.nodes])
        ax.scatter(xy[:, 0], xy[:, 1], s=80 + 1100 * counts / counts.max(), color="#f4b183",
                   edgecolor="#c55a11", linewidth=0.6, zorder=2)  # fmt: skip
        for node, (x, y) in zip(graph.nodes, xy, strict=True):
            ax.text(x, y, node, ha="center", va="center", fontsize=10, zorder=3)
        ax.set_title(f"{GROUP_NAMES.get(network, network)}文件 {network}: "
                     f"{graph.number_of_nodes()} terms, {len(edges)} of "
                     f"{graph.number_of_edges()} pairs shown", fontsize=11)  # fmt: skip
        ax.margins(0.08)
        ax.axis("off")
    fig.suptitle("共现网络 Co-occurrence networks (node size = sentences naming the term; "
                 "edge width = shared sentences; pairs above chance)", fontsize=13)  # fmt: skip
    fig.tight_layout()
    return fig


#: Term candidates drawn in figure 09.
CANDIDATES_SHOWN = 25


def plot_term_candidates(term_candidates: pd.DataFrame, *, top_n: int = CANDIDATES_SHOWN):
    """The strongest multiword term candidates: G2 of each (bar) with its segmentation and
    its count over all documents, strongest at the top."""
    setup_fonts()
    best = term_candidates.drop_duplicates("term").nsmallest(top_n, "rank")[::-1]
    fig, ax = plt.subplots(figsize=(10, 0.32 * max(len(best), 1) + 1.6))
    ax.barh(range(len(best)), best["g2"], color="#2b7bb9")
    ax.set_yticks(range(len(best)), best["tokens"], fontsize=9)
    for y, (g2, count, documents) in enumerate(zip(best["g2"], best["count_total"],
                                                    best["n_documents"], strict=True)):  # fmt: skip
        ax.text(g2, y, f" {count}× · {documents} 文件", va="center", fontsize=8)
    ax.set_xlabel("G2 (log-likelihood of the tokens occurring together)", fontsize=9)
    ax.margins(x=0.18)
    ax.set_title("候选术语 Term candidates: adjacent words occurring together", fontsize=12)
    fig.tight_layout()
    return fig


#: Colours of the tool types (supply, environment, demand, none).
TOOL_COLOURS = {
    "supply": "#2b7bb9",
    "environment": "#f4a259",
    "demand": "#5b9e5b",
    "none": "#c8c8c8",
}
#: Chinese names of the tool types in the figure's legend.
TOOL_NAMES = {
    "supply": "供给型 supply",
    "environment": "环境型 environment",
    "demand": "需求型 demand",
    "none": "无工具 none",
}


def plot_policy_tools(policy_tool_summary: pd.DataFrame):
    """Stacked bars: the share of each document's sentences coded as each tool type."""
    setup_fonts()
    summary = policy_tool_summary[policy_tool_summary["doc_id"].isin(
        _first_documents(policy_tool_summary["doc_id"]))]  # fmt: skip
    shares = summary.pivot_table(index="doc_id", columns="tool_type", values="share",
                                 aggfunc="sum", sort=False).fillna(0.0)  # fmt: skip
    shares = shares.reindex(columns=[t for t in TOOL_COLOURS if t in shares.columns])
    fig, ax = plt.subplots(figsize=(10, 0.55 * max(len(shares), 1) + 1.8))
    left = np.zeros(len(shares))
    labels = [short_name(d) for d in shares.index]
    for tool in shares.columns:
        values = shares[tool].to_numpy()
        ax.barh(labels, values, left=left, color=TOOL_COLOURS[tool], label=TOOL_NAMES[tool])
        for y, (x, v) in enumerate(zip(left, values, strict=True)):
            if v >= 0.06:
                ax.text(x + v / 2, y, f"{v:.0%}", ha="center", va="center", fontsize=8)
        left += values
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel("句子占比 share of plan-body sentences", fontsize=9)
    ax.legend(ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize=9, frameon=False)
    ax.set_title("政策工具结构 Policy tools per document (coded by rules; accuracy in "
                 "policy_tools_validation)", fontsize=11)  # fmt: skip
    fig.tight_layout()
    return fig


def plot_policy_tool_areas(policy_tool_areas: pd.DataFrame,
                           areas: tuple[str, ...] | None = None):  # fmt: skip
    """Heatmaps, one per document group: sub-tools (rows, by tool type) × functional areas
    (columns: the labels ``areas`` in order, those with a sentence; default: the themes of
    ``resources/themes.toml``, 无主题 last); the colour is the share of the group's sentences
    with a measure, the number the sentences."""
    setup_fonts()
    areas = areas if areas is not None else _area_labels()
    groups = policy_tool_areas[policy_tool_areas["unit_type"] == "group"]
    rows = list(dict.fromkeys(zip(groups["tool_type"], groups["sub_tool_label"], strict=True)))
    rows.sort(key=lambda row: list(TOOL_COLOURS).index(row[0]))
    areas = [a for a in areas if a in set(groups["area_label"])]
    units = list(dict.fromkeys(groups["unit"]))
    fig, axes = plt.subplots(1, max(len(units), 1), figsize=(6.6 * max(len(units), 1) + 1, 6.6),
                             squeeze=False, sharey=True, layout="constrained")  # fmt: skip
    highest = groups["share"].max() if len(groups) else 1.0
    for ax, unit in zip(axes[0], units, strict=False):
        cells = groups[groups["unit"] == unit].pivot_table(
            index="sub_tool_label", columns="area_label", values="count", aggfunc="sum"
        )
        counts = cells.reindex(index=[label for _, label in rows], columns=areas).fillna(0)
        shares = counts.to_numpy() / max(counts.to_numpy().sum(), 1)
        image = ax.imshow(shares, cmap="Blues", aspect="auto", vmin=0, vmax=highest)
        for i, j in zip(*np.nonzero(counts.to_numpy()), strict=True):
            ax.text(j, i, f"{counts.iat[i, j]:.0f}", ha="center", va="center", fontsize=7,
                    color="white" if shares[i, j] > 0.6 * highest else "black")  # fmt: skip
        ax.set_xticks(range(len(areas)), areas, rotation=50, ha="right", fontsize=8.5)
        ax.set_yticks(range(len(rows)), [f"{label}（{TOOL_NAMES[tool][:3]}）"
                                          for tool, label in rows], fontsize=8.5)  # fmt: skip
        ax.set_title(f"{GROUP_NAMES.get(unit, unit)} {unit}（{int(counts.to_numpy().sum())}句）",
                     fontsize=10)  # fmt: skip
    fig.colorbar(
        image,
        ax=axes[0].tolist(),
        shrink=0.8,
        format=matplotlib.ticker.PercentFormatter(1.0, decimals=0),
        label="占该组有工具句子的比例 share of the group's sentences with a measure",
    )
    fig.suptitle("政策工具×功能领域 Sub-tool × functional area (numbers: sentences; area = the "
                 "sentence's main theme)", fontsize=11)  # fmt: skip
    return fig


#: The primary variables of the PMC surface, row by row (Ruiz Estrada 2011): X1-X9 in threes.
PMC_SURFACE = tuple(tuple(x for x, _, _ in PMC_PRIMARIES[i : i + 3]) for i in range(0, 9, 3))


def plot_pmc_surfaces(pmc: pd.DataFrame, labels: dict[str, str] | None = None):
    """One PMC surface per document: the 3 × 3 matrix of X1 … X9 as a heatmap (the literature's
    3-D surface, drawn flat so every value can be read), with the index and grade; ``labels``
    names the primaries (default: the Chinese labels of ``pmc`` in the registry)."""
    setup_fonts()
    labels = labels if labels is not None else _primary_labels()
    pmc = pmc[pmc["doc_id"].isin(_first_documents(pmc["doc_id"]))]
    n = len(pmc)
    n_columns = min(n, 3) or 1
    n_rows = -(-n // n_columns) or 1
    fig, axes = plt.subplots(n_rows, n_columns, figsize=(4.3 * n_columns, 3.9 * n_rows + 0.6),
                             squeeze=False, layout="constrained")  # fmt: skip
    image = None
    for ax, row in zip(axes.flat, pmc.itertuples(index=False), strict=False):
        values = np.array([[getattr(row, x) for x in line] for line in PMC_SURFACE], dtype=float)
        image = ax.imshow(values, cmap="YlGnBu", vmin=0, vmax=1)
        for i, line in enumerate(PMC_SURFACE):
            for j, x in enumerate(line):
                ax.text(j, i, f"{x} {labels.get(x, '')}\n{values[i, j]:.2f}", ha="center",
                        va="center", fontsize=8,
                        color="white" if values[i, j] > 0.65 else "black")  # fmt: skip
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"{short_name(row.doc_id)}  PMC {row.pmc:.2f} {row.grade_label}", fontsize=10)
    for ax in list(axes.flat)[n:]:
        ax.set_axis_off()
    if image is not None:
        fig.colorbar(
            image, ax=axes.ravel().tolist(), shrink=0.6, label="一级变量得分 primary score"
        )
    fig.suptitle("PMC曲面 PMC surfaces (3 × 3 matrix of X1–X9; scored by rules, evidence in "
                 "pmc_variables)", fontsize=11)  # fmt: skip
    return fig


def plot_pmc_primaries(pmc: pd.DataFrame, labels: dict[str, str] | None = None):
    """Grouped bars: the nine primary variables, one bar per document; the legend gives each
    document's PMC index and grade. (A radar chart hides documents with equal scores behind
    each other; bars do not.)"""
    setup_fonts()
    labels = labels if labels is not None else _primary_labels()
    pmc = pmc[pmc["doc_id"].isin(_first_documents(pmc["doc_id"]))]
    primaries = [x for line in PMC_SURFACE for x in line]
    n = max(len(pmc), 1)
    width = 0.8 / n
    fig, ax = plt.subplots(figsize=(12, 5.2), layout="constrained")
    colours = plt.get_cmap("tab10")
    for k, row in enumerate(pmc.itertuples(index=False)):
        values = [getattr(row, x) for x in primaries]
        ax.bar(np.arange(len(primaries)) - 0.4 + width * (k + 0.5), values, width * 0.92,
               color=colours(k % 10),
               label=f"{short_name(row.doc_id)}  PMC {row.pmc:.2f} {row.grade_label}")  # fmt: skip
    ax.set_xticks(range(len(primaries)), [f"{x}\n{labels.get(x, '')}" for x in primaries],
                  fontsize=9)  # fmt: skip
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("一级变量得分 primary score (mean of 0/1 secondaries)", fontsize=9)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend(ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.13), fontsize=9, frameon=False)
    ax.set_title("PMC一级变量 Primary variables of the PMC index (scored by rules; evidence in "
                 "pmc_variables)", fontsize=11)  # fmt: skip
    return fig


def _shown_documents(table: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Rows whose document columns all hold one of the first documents of ``columns[0]``."""
    keep = set(_first_documents(table[columns[0]]))
    mask = np.logical_and.reduce([table[column].isin(keep).to_numpy() for column in columns])
    return table[mask]


# Each figure draws few rows whatever the corpus size: the ``select_*`` functions pick them
# (the figures registered in analysis.registry name theirs). Drawing from the selection gives
# the same figure as drawing from the whole tables; the selection's hash decides whether a
# figure must be redrawn.


def select_keywords(tables: dict[str, pd.DataFrame], **_) -> dict[str, pd.DataFrame]:
    """The top :data:`WORDCLOUD_WORDS` keywords of the first documents, self-references left
    out (unless ``show_in_views`` in ``resources/self_reference.toml``)."""
    keywords = shown_table(tables["keywords"])
    top = keywords[keywords.groupby("doc_id", sort=False).cumcount() < WORDCLOUD_WORDS]
    return {"keywords": _shown_documents(top, "doc_id")}


def select_keyness(tables: dict[str, pd.DataFrame], *, reference: str, **_) -> dict:
    """Significant keyness on concepts against ``reference``, first documents, self-references
    left out (unless ``show_in_views``)."""
    keyness = shown_table(tables["concept_keyness"])
    keyness = keyness[(keyness["reference"] == reference) & keyness["significant"]]
    return {"keyness": _shown_documents(keyness, "doc_id"), "reference": reference}


def select_cooccurrence(tables: dict[str, pd.DataFrame], **_) -> dict[str, pd.DataFrame]:
    """The co-occurrence pairs of the document groups."""
    cooccurrence = tables["cooccurrence"]
    return {"cooccurrence": cooccurrence[cooccurrence["network_type"] == "group"]}


def select_term_candidates(tables: dict[str, pd.DataFrame], **_) -> dict[str, pd.DataFrame]:
    """The strongest term candidates, one row each."""
    candidates = tables["term_candidates"].drop_duplicates("term")
    return {"term_candidates": candidates.nsmallest(CANDIDATES_SHOWN, "rank")}


def select_policy_tools(tables: dict[str, pd.DataFrame], **_) -> dict[str, pd.DataFrame]:
    """The tool-type shares of the first documents."""
    return {"policy_tool_summary": _shown_documents(tables["policy_tool_summary"], "doc_id")}


def select_policy_tool_areas(tables: dict[str, pd.DataFrame], **_) -> dict[str, pd.DataFrame]:
    """The sub-tool × area counts of the document groups, and the areas' labels in the order
    of ``resources/themes.toml``."""
    areas = tables["policy_tool_areas"]
    return {"policy_tool_areas": areas[areas["unit_type"] == "group"], "areas": _area_labels()}


def _primary_labels() -> dict[str, str]:
    """The PMC primaries' Chinese names (:data:`analysis.registry.PMC_PRIMARIES`)."""
    return {x: zh for x, zh, _ in PMC_PRIMARIES}


def _area_labels() -> tuple[str, ...]:
    """The functional areas' labels in the order of ``resources/themes.toml``, 无主题 last."""
    from .resources import load_themes
    from .themes import theme_labels

    return tuple(theme_labels(load_themes()).values())


def select_pmc(tables: dict[str, pd.DataFrame], **_) -> dict:
    """The PMC rows of the first documents, and the primaries' Chinese names."""
    return {"pmc": _shown_documents(tables["pmc"], "doc_id"), "labels": _primary_labels()}


def select_similarity(tables: dict[str, pd.DataFrame], **_) -> dict[str, pd.DataFrame]:
    """The similarity matrix of the first documents."""
    return {"similarity": _shown_documents(tables["similarity"], "doc_a", "doc_b")}


def select_themes(tables: dict[str, pd.DataFrame], **_) -> dict[str, pd.DataFrame]:
    """The theme profiles of the first documents."""
    return {"themes": _shown_documents(tables["themes"], "doc_id")}


def select_coverage(tables: dict[str, pd.DataFrame], **_) -> dict[str, pd.DataFrame]:
    """The coverage rows of the default method, first documents."""
    from .alignment import DEFAULT_METHOD

    coverage = tables["coverage"]
    return {"coverage": _shown_documents(coverage[coverage["method"] == DEFAULT_METHOD], "doc_id")}


def select_science_literacy(tables: dict[str, pd.DataFrame], **_) -> dict[str, pd.DataFrame]:
    """Baselines and targets of 公民具备科学素质的比例, first documents."""
    targets = tables["targets"]
    targets = targets[targets["indicator_key"] == "science_literacy_rate"]
    return {"targets": _shown_documents(targets, "doc_id")}


def figure_data(spec: Figure, tables: dict[str, pd.DataFrame], *, reference: str) -> dict:
    """The arguments of figure ``spec``'s ``plot_*`` function: the rows it draws."""
    return globals()[spec.select](tables, reference=reference)


def figure_files(spec: Figure, formats: tuple[str, ...] = DEFAULT_FIGURE_FORMATS) -> list[str]:
    """The file names a figure is written to (PNG only for a raster figure)."""
    return [f"{spec.stem}.{fmt}" for fmt in formats if fmt == "png" or not spec.raster_only]


def render_figure(
    spec: Figure, data: dict, *, formats: tuple[str, ...] = DEFAULT_FIGURE_FORMATS
) -> dict[str, bytes]:
    """Draw figure ``spec`` from its :func:`figure_data` and render it: file name to bytes."""
    return _rendered(globals()[spec.draw](**data), figure_files(spec, formats))


def figure_input_hash(spec: Figure, data: dict) -> str:
    """A hash of the data behind a figure (from :func:`figure_data`), the drawing code,
    matplotlib's version and the font file, so an unchanged figure need not be redrawn."""
    import hashlib

    digest = hashlib.sha256()
    font = cjk_font_path()
    names = resource_path("document_names.csv")  # the documents' labels
    for part in (Path(__file__).read_bytes(), matplotlib.__version__.encode(), str(font).encode(),
                 font.read_bytes() if font.is_file() else b"", names.read_bytes()):  # fmt: skip
        digest.update(part)
    for name, value in data.items():  # vectorised row hashes: cheap on large tables
        digest.update(name.encode())
        if isinstance(value, pd.DataFrame):
            digest.update(",".join(map(str, value.columns)).encode())
            digest.update(pd.util.hash_pandas_object(value, index=False).to_numpy().tobytes())
        else:
            digest.update(repr(value).encode())
    return digest.hexdigest()
