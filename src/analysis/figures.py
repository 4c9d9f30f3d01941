"""Figures for reports: every figure is drawn by a ``plot_*`` function here.

The build selects each figure's rows (:func:`figure_data`), renders the figures with
:func:`render_figure` (in worker processes where possible, :class:`FigureRendering`) and writes
them atomically; :func:`save_figure` does the same for a figure drawn in a notebook.

Chinese text uses Noto Sans CJK SC (SIL Open Font License), the single-face OTF that the
``mplfonts`` package ships; it is registered with matplotlib at run time (nothing is written
into site-packages). Set ``KEXIE_CJK_FONT`` to another font file to override it.
"""

from __future__ import annotations

import io
import os
from functools import cache
from importlib.resources import files
from pathlib import Path

import matplotlib

from .parallel import inside_jupyter_kernel

if not inside_jupyter_kernel():  # keep Jupyter's inline backend; Agg everywhere else
    matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.layout_engine import PlaceHolderLayoutEngine  # noqa: E402

from .parallel import Deferred, can_fork, freeze_for_fork, lower_priority  # noqa: E402
from .tables import write_payloads  # noqa: E402

DPI = 200
#: The word-cloud figure (drawn one document per task by :class:`FigureRendering`).
WORDCLOUD_STEM = "07_wordclouds"
#: Figures are written in these formats ...
FORMATS = ("png", "svg")
#: ... except these, which are raster images (an SVG would only wrap the same pixels).
RASTER_ONLY = frozenset({WORDCLOUD_STEM})
#: zlib level of the PNG files: 3 saves about 20% of ``savefig`` time against the default 6
#: (files from 9% smaller to 23% larger).
PNG_COMPRESS_LEVEL = 3
#: Words in each word cloud (the top of each document's keyword ranking).
WORDCLOUD_WORDS = 80
#: Figures that show one panel, row or column per document show at most this many documents
#: (the national ones first); the tables hold every document.
MAX_DOCS_IN_FIGURE = 12
#: Smallest vertical distance between two value labels at one year (8 pt text and a margin).
LABEL_GAP_POINTS = 10.0
#: The ground under value labels: white, a little transparent, tight to the text (8 pt text
#: with 0.1 × 8 pt padding each side stays inside :data:`LABEL_GAP_POINTS`).
LABEL_GROUND = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none",
                "alpha": 0.85}  # fmt: skip
FONT_FILE = "NotoSansCJKsc-Regular.otf"
_SHORT_DOC = {"national_2018": "全国纲要", "national_2018_action": "全国行动计划",
              "henan_14fyp": "河南十四五", "jilin_reform_2022": "吉林改革方案",
              "guangdong_14fyp": "广东十四五", "henan_2022_society": "河南2022学会要点"}  # fmt: skip


def short_name(doc_id: str) -> str:
    """A short Chinese label for a document in figures (the doc_id if unknown)."""
    return _SHORT_DOC.get(doc_id, doc_id)


def cjk_font_path() -> Path:
    """Path of the CJK font file used in every figure."""
    override = os.environ.get("KEXIE_CJK_FONT")
    if override:
        return Path(override)
    return Path(str(files("mplfonts") / "fonts" / FONT_FILE))


@cache
def setup_fonts() -> str:
    """Register the CJK font and make it the first family; return its family name."""
    path = cjk_font_path()
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: CJK font not found; install mplfonts or set KEXIE_CJK_FONT"
        )
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = [name, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["svg.hashsalt"] = "kexie-compare"
    matplotlib.rcParams["svg.fonttype"] = "path"
    return name


def figure_bytes(fig, fmt: str) -> bytes:
    """Render a figure to PNG or SVG bytes without dates or software names in the metadata."""
    buffer = io.BytesIO()
    if fmt == "png":
        options = {"metadata": {"Software": None},
                   "pil_kwargs": {"compress_level": PNG_COMPRESS_LEVEL}}  # fmt: skip
    else:
        options = {"metadata": {"Date": None, "Creator": None}}
    fig.savefig(buffer, format=fmt, dpi=DPI, **options)
    return buffer.getvalue()


def save_figure(fig, stem: str, out_dir: str | Path) -> dict[str, bool]:
    """Save a figure as ``<stem>.png`` and ``<stem>.svg`` (PNG only for :data:`RASTER_ONLY`)
    atomically, then close it.

    Returns
    -------
    dict of str to bool
        File name to whether it was rewritten (False when the bytes were unchanged).
    """
    return write_payloads(_rendered_files(fig, stem), out_dir)


def _rendered_files(fig, stem: str) -> dict[str, bytes]:
    """Render ``fig`` to the bytes of each file of figure ``stem``, then close it."""
    if isinstance(fig.get_layout_engine(), PlaceHolderLayoutEngine):
        # ``tight_layout()`` has placed the axes and left a placeholder engine behind, which
        # makes ``savefig`` lay the whole figure out once more before every format; without
        # it each file costs one draw instead of two, and the pixels are the same
        fig.set_layout_engine(None)
    try:
        return {name: figure_bytes(fig, name.rsplit(".", 1)[1]) for name in figure_files(stem)}
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


def plot_top_keywords(keywords: pd.DataFrame, *, top_n: int = 12):
    """Small multiples: the top terms of each document, rate per 10,000 tokens."""
    setup_fonts()
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


def plot_keyness(keyness: pd.DataFrame, *, reference: str, top_n: int = 10):
    """Two-sided bars: terms each province uses more (right) and less (left) than the reference."""
    setup_fonts()
    table = keyness[(keyness["reference"] == reference) & keyness["significant"]]
    with_terms = set(table["doc_id"])
    doc_ids = [d for d in keyness["doc_id"].unique() if d != reference and d in with_terms]
    doc_ids = _first_documents(doc_ids)[:6]
    fig, axes = plt.subplots(1, max(len(doc_ids), 1), figsize=(4.2 * max(len(doc_ids), 1), 6),
                             squeeze=False)  # fmt: skip
    for ax, doc_id in zip(axes.flat, doc_ids, strict=False):
        own = table[table["doc_id"] == doc_id]
        more = own[own["direction"] == "target"].nlargest(top_n, "g2")
        less = own[own["direction"] == "reference"].nlargest(top_n, "g2")
        both = pd.concat([less.iloc[::-1], more.iloc[::-1]])
        colors = ["#c0504d" if d == "reference" else "#2b7bb9" for d in both["direction"]]
        ax.barh(both["term"], both["log_ratio"], color=colors)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_title(f"{short_name(doc_id)} vs {short_name(reference)}", fontsize=10)
        ax.set_xlabel("log ratio (log2); G2 ≥ 15.13", fontsize=8)
        ax.tick_params(labelsize=8)
    fig.suptitle("关键性分析 Keyness against the national framework", fontsize=13)
    fig.tight_layout()
    return fig


def plot_similarity(similarity: pd.DataFrame):
    """Document similarity heatmaps, word and character methods side by side."""
    setup_fonts()
    methods = list(similarity["method"].unique())
    keep = set(_first_documents(similarity["doc_a"]))
    similarity = similarity[similarity["doc_a"].isin(keep) & similarity["doc_b"].isin(keep)]
    fig, axes = plt.subplots(1, len(methods), figsize=(6.2 * len(methods), 5.2), squeeze=False)
    for ax, method in zip(axes.flat, methods, strict=True):
        matrix = similarity[similarity["method"] == method].pivot(
            index="doc_a", columns="doc_b", values="score"
        )
        order = list(dict.fromkeys(similarity["doc_a"]))
        matrix = matrix.loc[order, order]
        image = ax.imshow(matrix.to_numpy(), cmap="Blues", vmin=0, vmax=1)
        labels = [short_name(d) for d in order]
        ax.set_xticks(range(len(order)), labels, rotation=45, ha="right", fontsize=8)
        ax.set_yticks(range(len(order)), labels, fontsize=8)
        for i in range(len(order)):
            for j in range(len(order)):
                value = matrix.to_numpy()[i, j]
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7,
                        color="white" if value > 0.6 else "black")  # fmt: skip
        ax.set_title(
            {"word": "词 TF-IDF (word)", "char": "字 2-3-gram TF-IDF (char)"}.get(method, method)
        )
        fig.colorbar(image, ax=ax, shrink=0.8)
    fig.suptitle("文件相似度 Document similarity (cosine)", fontsize=13)
    fig.tight_layout()
    return fig


def plot_themes(themes: pd.DataFrame):
    """Theme profiles: documents × themes, rate per 10,000 tokens."""
    setup_fonts()
    themes = themes[themes["doc_id"].isin(_first_documents(themes["doc_id"]))]
    matrix = themes.pivot_table(index="doc_id", columns="label", values="per_10k", sort=False)
    fig, ax = plt.subplots(figsize=(11, 4.5))
    image = ax.imshow(matrix.to_numpy(), cmap="Oranges", aspect="auto")
    ax.set_xticks(range(matrix.shape[1]), matrix.columns, rotation=40, ha="right", fontsize=9)
    ax.set_yticks(range(matrix.shape[0]), [short_name(d) for d in matrix.index], fontsize=9)
    for i in range(matrix.shape[0]):
        for j in range(matrix.shape[1]):
            ax.text(j, i, f"{matrix.to_numpy()[i, j]:.0f}", ha="center", va="center", fontsize=7)
    fig.colorbar(image, ax=ax, label="每万词 per 10k tokens")
    ax.set_title("主题画像 Theme profiles (hits per 10,000 tokens)")
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
    """Baselines (filled circles) and targets (open triangles) of one shared indicator by year,
    for the first :data:`MAX_DOCS_IN_FIGURE` documents that state it."""
    setup_fonts()
    rows = targets[(targets["indicator_key"] == indicator_key)
                   & targets["kind"].isin(["baseline", "target"])].dropna(subset=["value"])  # fmt: skip
    rows = rows[rows["doc_id"].isin(_first_documents(rows["doc_id"]))]
    fig, ax = plt.subplots(figsize=(8, 4.8))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    labels = []  # (year, value, text, color), placed once the axis limits are known
    for index, (doc_id, group) in enumerate(rows.groupby("doc_id", sort=False)):
        color = colors[index % len(colors)]
        group = group.sort_values("target_year")
        years = group["target_year"].astype(int)
        ax.plot(years, group["value"], color=color, label=short_name(doc_id), linewidth=1.5)
        for row in group.itertuples():
            if row.kind == "baseline":
                ax.scatter(int(row.target_year), row.value, marker="o", s=55, color=color, zorder=3)
            else:
                ax.scatter(int(row.target_year), row.value, marker="^", s=70, facecolor="white",
                           edgecolor=color, linewidth=1.5, zorder=3)  # fmt: skip
            suffix = {"more_than": ">", "at_least": "≥"}.get(row.comparator, "")
            labels.append((int(row.target_year), row.value, f"{suffix}{row.value:g}", color))
    ax.autoscale_view()
    bottom, top = ax.get_ylim()
    points_per_unit = ax.get_window_extent().height * 72 / fig.dpi / ((top - bottom) or 1.0)
    lifts = label_lifts([(year, value) for year, value, _, _ in labels], points_per_unit)
    for (year, value, text, color), lift in zip(labels, lifts, strict=True):
        # on a white ground above the lines, so a line crossing a label does not hide it
        ax.annotate(text, (year, value), textcoords="offset points", xytext=(5, 4 + lift),
                    fontsize=8, color=color, zorder=4, bbox=LABEL_GROUND)  # fmt: skip
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlabel("年份 year")
    ax.set_ylabel("公民具备科学素质的比例 (%)")
    ax.set_title("公民科学素质比例：基线(●)与目标(△) Baselines and targets")
    ax.legend(title="文件 document", fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def label_lifts(points: list[tuple[int, float]], points_per_unit: float, *,
                min_gap: float = LABEL_GAP_POINTS) -> list[float]:  # fmt: skip
    """How far (in points) to raise each value label so labels at the same x stay apart.

    Labels at one x are taken from the lowest value up; each sits at its own value unless
    that is closer than ``min_gap`` points to the label below, in which case it is raised
    to ``min_gap`` above it.

    Parameters
    ----------
    points : list of (x, value)
        The labelled points, in drawing order.
    points_per_unit : float
        Points per data unit on the y axis.
    min_gap : float
        Smallest vertical distance between two labels at one x (about a line of 8 pt text).

    Returns
    -------
    list of float
        The lift of each label, in the order of ``points``.
    """
    lifts = [0.0] * len(points)
    by_x: dict[int, list[int]] = {}
    for index, (x, _) in enumerate(points):
        by_x.setdefault(x, []).append(index)
    for indices in by_x.values():
        previous = None
        for index in sorted(indices, key=lambda i: (points[i][1], i)):
            natural = points[index][1] * points_per_unit
            placed = natural if previous is None else max(natural, previous + min_gap)
            lifts[index] = placed - natural
            previous = placed
    return lifts


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

    # a fixed largest font size spares WordCloud a trial layout to find one
    cloud = WordCloud(font_path=str(cjk_font_path()), width=720, height=420, max_font_size=120,
                      background_color="white", random_state=7, max_words=len(terms) or 1,
                      colormap="viridis")  # fmt: skip
    cloud.generate_from_frequencies(dict(zip(terms, rates, strict=True)))
    return cloud.to_array()


def plot_wordclouds(keywords: pd.DataFrame, *, max_words: int = WORDCLOUD_WORDS,
                    images: dict[str, np.ndarray] | None = None):  # fmt: skip
    """A word cloud per document (content words sized by rate per 10,000 tokens), one panel each.

    ``images``: the clouds already drawn (:func:`wordcloud_image` of :func:`wordcloud_inputs`,
    keyed by doc_id), as the build's figure workers draw them one document each.
    """
    setup_fonts()
    inputs = wordcloud_inputs(keywords, max_words=max_words)
    fig, axes = _panel_grid(len(inputs), width=13, row_height=3.4)
    for ax, (doc_id, (terms, rates)) in zip(axes, inputs.items(), strict=True):
        image = images[doc_id] if images is not None else wordcloud_image(terms, rates)
        ax.imshow(image, interpolation="bilinear")
        ax.set_title(short_name(doc_id), fontsize=11)
        ax.axis("off")
    fig.suptitle("词云 Word clouds (size = rate per 10,000 tokens)", fontsize=13)
    fig.tight_layout()
    return fig


def _shown_documents(table: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Rows whose document columns all hold one of the first documents of ``columns[0]``."""
    keep = set(_first_documents(table[columns[0]]))
    mask = np.logical_and.reduce([table[column].isin(keep).to_numpy() for column in columns])
    return table[mask]


def figure_data(tables: dict[str, pd.DataFrame], *, reference: str,
                indicator_key: str = "science_literacy_rate") -> dict[str, dict[str, pd.DataFrame]]:  # fmt: skip
    """The rows each figure draws, keyed by figure stem, then by the ``plot_*`` argument.

    Every figure shows at most :data:`MAX_DOCS_IN_FIGURE` documents and a few rows of each,
    so this selection is small at any corpus size: it is what figure workers receive and
    what decides whether a figure must be redrawn. Drawing from it gives the same figure as
    drawing from the whole tables.
    """
    keywords = tables["keywords"]
    keywords = _shown_documents(keywords[keywords["rank"] <= WORDCLOUD_WORDS], "doc_id")
    keyness = tables["keyness"]
    keyness = keyness[(keyness["reference"] == reference) & keyness["significant"]]
    targets = tables["targets"]
    targets = targets[targets["indicator_key"] == indicator_key]
    return {
        "01_top_keywords": {"keywords": keywords},
        "02_keyness": {"keyness": _shown_documents(keyness, "doc_id")},
        "03_similarity": {"similarity": _shown_documents(tables["similarity"], "doc_a", "doc_b")},
        "04_themes": {"themes": _shown_documents(tables["themes"], "doc_id")},
        "05_coverage": {"coverage": _coverage_rows(tables["coverage"])},
        "06_science_literacy_targets": {"targets": _shown_documents(targets, "doc_id")},
        WORDCLOUD_STEM: {"keywords": keywords},
    }


def _coverage_rows(coverage: pd.DataFrame) -> pd.DataFrame:
    """The coverage rows figure 05 draws: the default method, the first documents."""
    from .alignment import DEFAULT_METHOD

    return _shown_documents(coverage[coverage["method"] == DEFAULT_METHOD], "doc_id")


def _draw(stem: str, data: dict[str, pd.DataFrame], reference: str):
    drawers = {
        "01_top_keywords": plot_top_keywords,
        "02_keyness": lambda keyness: plot_keyness(keyness, reference=reference),
        "03_similarity": plot_similarity,
        "04_themes": plot_themes,
        "05_coverage": plot_coverage,
        "06_science_literacy_targets": plot_shared_target,
        WORDCLOUD_STEM: plot_wordclouds,
    }
    return drawers[stem](**data)


def figure_files(stem: str) -> list[str]:
    """The file names a figure is written to."""
    return [f"{stem}.{fmt}" for fmt in FORMATS if fmt == "png" or stem not in RASTER_ONLY]


def render_figure(stem: str, data: dict[str, pd.DataFrame], reference: str) -> dict[str, bytes]:
    """Draw one figure from its :func:`figure_data` and render it: file name to bytes."""
    return _rendered_files(_draw(stem, data, reference), stem)


def figure_input_hashes(data: dict[str, dict[str, pd.DataFrame]]) -> dict[str, str]:
    """A hash of the data behind each figure (from :func:`figure_data`), plus the drawing code,
    matplotlib's version and the font, so unchanged figures need not be redrawn."""
    import hashlib

    def digest(table: pd.DataFrame) -> str:  # vectorised row hashes: cheap on large tables
        rows = pd.util.hash_pandas_object(table, index=False).to_numpy().tobytes()
        return hashlib.sha256(",".join(map(str, table.columns)).encode() + rows).hexdigest()

    code = hashlib.sha256(Path(__file__).read_bytes() + matplotlib.__version__.encode()
                          + str(cjk_font_path()).encode()).hexdigest()  # fmt: skip
    return {stem: hashlib.sha256((code + "".join(digest(t) for t in tables.values())).encode()
                                 ).hexdigest()
            for stem, tables in data.items()}  # fmt: skip


class FigureRendering:
    """Figures being rendered, in worker processes when ``workers > 1`` and the platform forks.

    Rendering starts at construction, so the caller can write tables meanwhile; :meth:`save`
    waits for the figures and writes them. Each figure is drawn in a fresh figure object with
    the same settings whichever process draws it, so the bytes do not depend on ``workers``.

    Parameters
    ----------
    data : dict
        :func:`figure_data` of the build's tables.
    reference : str
        doc_id of the national framework (for the keyness figure).
    skip : frozenset of str
        Figure stems known to be up to date (their files are reported unchanged).
    workers : int
        Processes to draw in (1: draw in this process when :meth:`save` is called).
    """

    def __init__(self, data: dict[str, dict[str, pd.DataFrame]], *, reference: str,
                 skip: frozenset[str] = frozenset(), workers: int = 1) -> None:  # fmt: skip
        self._stems = list(data)
        self._skip = skip
        self._data = data
        todo = [stem for stem in self._stems if stem not in skip]
        self._pool = None
        self._clouds: dict = {}  # doc_id to the future of its word cloud image
        if workers > 1 and len(todo) > 1 and can_fork():
            from concurrent.futures import ProcessPoolExecutor
            from multiprocessing import get_context

            setup_fonts()  # once, before forking: workers inherit the registered font
            freeze_for_fork()
            # the workers draw at low priority: the workbook and CSVs, written meanwhile, come first
            self._pool = ProcessPoolExecutor(max_workers=min(workers, len(todo)),
                                             mp_context=get_context("fork"),
                                             initializer=lower_priority)  # fmt: skip
            # the word clouds, the slowest figure, are drawn one document per task, first, and
            # put together in this process (save), so the workers finish close together
            inputs = wordcloud_inputs(**data[WORDCLOUD_STEM]) if WORDCLOUD_STEM in todo else {}
            self._clouds = {doc_id: self._pool.submit(wordcloud_image, *cloud_input)
                            for doc_id, cloud_input in inputs.items()}  # fmt: skip
            pooled = [stem for stem in todo if stem != WORDCLOUD_STEM or not self._clouds]
            self._rendered = {stem: self._pool.submit(render_figure, stem, data[stem], reference)
                              for stem in pooled}  # fmt: skip
        else:
            self._rendered = {stem: Deferred(render_figure, stem, data[stem], reference)
                              for stem in todo}  # fmt: skip

    def save(self, out_dir: str | Path) -> dict[str, bool]:
        """Wait for every figure and write it atomically: file name to whether it was rewritten."""
        results: dict[str, bool] = {}
        try:
            payloads = {}
            if self._clouds:  # first: the clouds were submitted first, the workers draw on
                images = {doc_id: cloud.result() for doc_id, cloud in self._clouds.items()}
                figure = plot_wordclouds(**self._data[WORDCLOUD_STEM], images=images)
                payloads[WORDCLOUD_STEM] = _rendered_files(figure, WORDCLOUD_STEM)
            for stem in self._stems:
                if stem in self._skip:
                    results |= dict.fromkeys(figure_files(stem), False)
                    continue
                rendered = payloads.pop(stem, None) or self._rendered[stem].result()
                results |= write_payloads(rendered, out_dir)
        finally:
            self.close()
        return results

    def close(self) -> None:
        """Stop the worker processes (figures not yet saved are dropped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
