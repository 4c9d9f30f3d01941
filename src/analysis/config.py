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

#: doc_id of the reference document every province is compared with.
NATIONAL_REFERENCE = "national_2018"

#: Hand labels (development portion) live outside the repository, beside it: ``../shared/gold``.
#: ``KEXIE_GOLD_DIR`` points elsewhere; without them the build skips the validation tables.
GOLD_DIRNAME = Path("..") / "shared" / "gold"
ALIGNMENT_GOLD_NAME = "alignment_dev.json"


def gold_dir() -> Path:
    """Folder of the hand-labelled development sets (``KEXIE_GOLD_DIR`` or ``../shared/gold``)."""
    override = os.environ.get("KEXIE_GOLD_DIR")
    return Path(override) if override else (PROJECT_ROOT / GOLD_DIRNAME).resolve()


#: Worker processes are used by default up to this many cores.
MAX_DEFAULT_JOBS = 4


def default_jobs() -> int:
    """Worker processes a build uses unless told otherwise: the cores, at most four."""
    return max(1, min(MAX_DEFAULT_JOBS, os.cpu_count() or 1))


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


def read_word_list(name: str, *, first_field: bool = False) -> tuple[str, ...]:
    """Read a one-entry-per-line resource file; blank lines and ``#`` comments are skipped.

    Parameters
    ----------
    name : str
        File name inside ``src/analysis/resources``.
    first_field : bool
        Keep only the first white-space-separated field (jieba's ``word freq tag`` format).

    Returns
    -------
    tuple of str
        The entries in file order, duplicates removed.
    """
    lines = resource_path(name).read_text(encoding="utf-8").splitlines()
    entries = [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    return tuple(dict.fromkeys(e.split()[0] if first_field else e for e in entries))
