"""What a build read and wrote: one fingerprint of its inputs, and the stamp that records it.

A build whose fingerprint equals the stamp's, and whose recorded output files are intact, has
nothing to do. The fingerprint covers everything that changes an output: the raw folder, the
resources, the package's code, the hand labels, the CJK font file, the build's parameters and
the version of every package in :data:`OUTPUT_PACKAGES` (and the segmentation backend's).
"""

from __future__ import annotations

import csv
import hashlib
import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .config import (
    ALIGNMENT_GOLD_NAME,
    PACKAGE_DIR,
    POLICY_TOOLS_GOLD_NAME,
    REGISTRY_NAME,
    RESOURCES_DIR,
    cjk_font_path,
    gold_dir,
)
from .files import write_bytes_atomic

STAMP_NAME = ".build_stamp.json"
#: Packages whose version can change an output (mplfonts ships the font). Also recorded in
#: ``provenance.json``.
OUTPUT_PACKAGES = ("kexie-compare", "pandas", "numpy", "scipy", "scikit-learn", "jieba", "bm25s",
                   "networkx", "matplotlib", "wordcloud", "mplfonts", "openpyxl",
                   "xlsxwriter")  # fmt: skip
#: Packages that change an output only with a segmentation backend other than jieba (listed
#: only then, so a build with jieba does not depend on whether they are installed).
BACKEND_PACKAGES = {"rjieba": ("rjieba",)}


def package_versions(backend: str = "jieba") -> dict[str, str]:
    """The installed version of each package that changes the outputs of a build with
    ``backend``: :data:`OUTPUT_PACKAGES` and the backend's own (:data:`BACKEND_PACKAGES`);
    "not installed" if absent."""
    versions = {}
    for name in OUTPUT_PACKAGES + BACKEND_PACKAGES.get(backend, ()):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def build_fingerprint(raw_dir: Path, parameters: dict) -> str:
    """Hash of everything a build's outputs depend on.

    Parameters
    ----------
    raw_dir : pathlib.Path
        The raw folder (every file in it but hidden ones, and every file the registry names,
        wherever it is: a file outside the raw folder is refused later, but must not let a
        build say "up to date" first).
    parameters : dict
        The build's parameters (segmentation backend …).

    Returns
    -------
    str
        A SHA-256 hex digest; equal inputs give equal digests.
    """
    parts: list[bytes | str] = [json.dumps(parameters, sort_keys=True)]
    for folder in (Path(raw_dir), RESOURCES_DIR, PACKAGE_DIR):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts or path.name.startswith("."):
                continue
            parts += [str(path.relative_to(folder)), path.read_bytes()]
    for name in _registered_files(raw_dir):  # hidden or in a subfolder, a registered file counts
        path = Path(raw_dir) / name
        parts += ["registered", name, path.read_bytes() if path.is_file() else b"absent"]
    extra = {
        "hand labels": gold_dir() / ALIGNMENT_GOLD_NAME,
        "policy-tool labels": gold_dir() / POLICY_TOOLS_GOLD_NAME,
        "font": cjk_font_path(),
    }
    for name, path in extra.items():  # where they are, and what they hold
        parts += [name, str(path), path.read_bytes() if path.is_file() else b"absent"]
    parts.append(json.dumps(package_versions(parameters.get("backend", "jieba")), sort_keys=True))
    return digest(*parts)


def _registered_files(raw_dir: Path) -> list[str]:
    """The ``file`` values of the registry, read leniently and without checks (the fingerprint
    is taken before the registry is parsed; a malformed registry gives an empty list here and
    its error when parsed)."""
    try:
        with open(Path(raw_dir) / REGISTRY_NAME, encoding="utf-8-sig", newline="") as handle:
            return sorted({(row.get("file") or "").strip() for row in csv.DictReader(handle)}
                          - {""})  # fmt: skip
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


def digest(*parts: bytes | str) -> str:
    """SHA-256 hex digest of the parts, each followed by a NUL byte (so parts never run together)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def file_hashes(paths: list[Path]) -> dict[str, str]:
    """SHA-256 of each existing file, keyed by its path as a string."""
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.is_file()}


def read_stamp(out_dir: Path) -> dict:
    """The stamp of the last build in ``out_dir`` (empty if none or unreadable)."""
    path = Path(out_dir) / STAMP_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def outputs_current(stamp: dict, kind: str, fingerprint: str) -> bool:
    """True if the last build wrote ``kind`` outputs from the same inputs and they are intact."""
    entry = stamp.get(kind)
    if not entry or entry.get("fingerprint") != fingerprint or not entry.get("files"):
        return False
    recorded = entry["files"]
    return file_hashes([Path(p) for p in recorded]) == recorded


def write_stamp(out_dir: Path, stamp: dict) -> None:
    """Record what this build wrote (atomically)."""
    data = json.dumps(stamp, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_bytes_atomic(Path(out_dir) / STAMP_NAME, data.encode("utf-8"))
