"""What the before-and-after benchmarks share: an earlier commit's code, and a corpus of a size."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from make_corpus import make_corpus

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def baseline_source(commit: str, folder: Path) -> Iterator[Path]:
    """The ``src`` folder of ``commit``, checked out as a ``git worktree`` in ``folder``
    and removed afterwards."""
    worktree = folder / "baseline"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(worktree), commit],
                   check=True, capture_output=True)  # fmt: skip
    try:
        yield worktree / "src"
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(worktree)],
                       check=False, capture_output=True)  # fmt: skip


def corpus_of(size: int, folder: Path) -> Path:
    """The bundled documents for 5, else a generated corpus of ``size`` documents in ``folder``."""
    if size == 5:
        return ROOT / "data" / "raw"
    raw = folder / f"raw{size}"
    if not raw.exists():
        make_corpus(raw, size)
    return raw
