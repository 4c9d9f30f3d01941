"""Project paths and defaults: the one place that knows where things live."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES_DIR = PACKAGE_DIR / "resources"
# src/analysis -> src -> project root (valid for an editable install or a checkout).
PROJECT_ROOT = PACKAGE_DIR.parent.parent
RAW_DIR = PROJECT_ROOT / "data" / "raw"
PROCESSED_DIR = PROJECT_ROOT / "data" / "processed"
FIGURES_DIR = PROJECT_ROOT / "figures"
REGISTRY_NAME = "documents.csv"
#: The token cache lives in this folder inside the output folder.
CACHE_DIRNAME = ".cache"

#: Hand labels (development portion) live outside the repository, beside it: ``../shared/gold``.
#: ``KEXIE_GOLD_DIR`` points elsewhere; without them the build skips the validation tables.
GOLD_DIRNAME = Path("..") / "shared" / "gold"
ALIGNMENT_GOLD_NAME = "alignment_dev.json"
POLICY_TOOLS_GOLD_NAME = "policy_tools_dev.json"


def gold_dir() -> Path:
    """Folder of the hand-labelled development sets (``KEXIE_GOLD_DIR`` or ``../shared/gold``)."""
    override = os.environ.get("KEXIE_GOLD_DIR")
    return Path(override) if override else (PROJECT_ROOT / GOLD_DIRNAME).resolve()


#: The figure formats the build and :func:`analysis.write_figure` can write.
FIGURE_FORMATS = ("png", "svg", "pdf")
#: Figure formats written unless the build (``--formats``) or a notebook asks for others; a
#: raster figure (the word clouds) is only ever PNG: an SVG or PDF would wrap the same pixels.
DEFAULT_FIGURE_FORMATS = ("png",)

#: Worker processes are used by default up to this many cores.
MAX_DEFAULT_JOBS = 4


def default_jobs() -> int:
    """Worker processes a build uses unless told otherwise: the cores, at most four."""
    return max(1, min(MAX_DEFAULT_JOBS, os.cpu_count() or 1))


#: The CJK font of every figure: Noto Sans CJK SC from the ``mplfonts`` package, unless
#: ``KEXIE_CJK_FONT`` names another font file.
FONT_FILE = "NotoSansCJKsc-Regular.otf"


def cjk_font_path() -> Path:
    """Path of the CJK font file used in every figure."""
    override = os.environ.get("KEXIE_CJK_FONT")
    if override:
        return Path(override)
    from importlib.util import find_spec

    # found without importing mplfonts, which imports matplotlib (a warm build needs neither)
    spec = find_spec("mplfonts")
    folders = list(spec.submodule_search_locations or []) if spec else []
    return Path(folders[0] if folders else "mplfonts-not-installed") / "fonts" / FONT_FILE


def resource_path(name: str) -> Path:
    """Return the path of a bundled, researcher-editable resource file.

    Parameters
    ----------
    name : str
        File name inside ``src/analysis/resources``.

    Returns
    -------
    pathlib.Path
        Absolute path of the resource.
    """
    return RESOURCES_DIR / name
