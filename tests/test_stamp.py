"""One fingerprint: each input, package and setting that changes an output changes it, so a build
after such a change never says "up to date"."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from unittest import mock

import pytest

from analysis import config, stamp
from analysis.stamp import OUTPUT_PACKAGES, build_fingerprint


@pytest.fixture
def raw(tmp_path) -> Path:
    return Path(shutil.copytree(config.RAW_DIR, tmp_path / "raw"))


def test_same_inputs_same_fingerprint(raw):
    assert {"mplfonts", "bm25s", "matplotlib"} <= set(OUTPUT_PACKAGES)
    assert build_fingerprint(raw, {"backend": "jieba"}) == build_fingerprint(
        raw, {"backend": "jieba"}
    )


@pytest.mark.parametrize(("package", "backend"), [*((p, "jieba") for p in OUTPUT_PACKAGES),
                                                  ("rjieba", "rjieba"), ("jieba", "rjieba")])  # fmt: skip
def test_every_output_package_is_in_the_fingerprint(raw, package, backend):
    before = build_fingerprint(raw, {"backend": backend})
    with _version(package, "9.9.9"):
        assert build_fingerprint(raw, {"backend": backend}) != before


def test_rjieba_counts_only_when_it_segments(raw):
    # a build with jieba gives the same fingerprint and provenance with rjieba absent or present
    assert "rjieba" not in stamp.package_versions("jieba")
    assert "rjieba" in stamp.package_versions("rjieba")
    before = build_fingerprint(raw, {"backend": "jieba"})
    with _version("rjieba", None):
        assert build_fingerprint(raw, {"backend": "jieba"}) == before


@contextlib.contextmanager
def _version(package: str, changed: str | None):
    """Pretend ``package`` is installed at version ``changed`` (None: not installed)."""
    real = stamp.version

    def fake(name: str) -> str:
        if name != package:
            return real(name)
        if changed is None:
            raise stamp.PackageNotFoundError(name)
        return changed

    with mock.patch.object(stamp, "version", fake):
        yield


def test_settings_and_inputs_change_the_fingerprint(raw, tmp_path, monkeypatch):
    base = build_fingerprint(raw, {"backend": "jieba"})
    assert build_fingerprint(raw, {"backend": "rjieba"}) != base
    # another font file, named by KEXIE_CJK_FONT, or the same path with other bytes
    font = tmp_path / "font.otf"
    font.write_bytes(config.cjk_font_path().read_bytes()[:1000])
    monkeypatch.setenv("KEXIE_CJK_FONT", str(font))
    with_font = build_fingerprint(raw, {"backend": "jieba"})
    assert with_font != base
    font.write_bytes(b"other")
    assert build_fingerprint(raw, {"backend": "jieba"}) != with_font
    monkeypatch.delenv("KEXIE_CJK_FONT")
    # the hand labels: absent, then present
    monkeypatch.setenv("KEXIE_GOLD_DIR", str(tmp_path / "gold"))
    absent = build_fingerprint(raw, {"backend": "jieba"})
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / config.ALIGNMENT_GOLD_NAME).write_text("{}", encoding="utf-8")
    assert build_fingerprint(raw, {"backend": "jieba"}) != absent
    # a raw file
    registry = raw / "documents.csv"
    registry.write_bytes(registry.read_bytes() + b"\n")
    assert build_fingerprint(raw, {"backend": "jieba"}) != base


def test_a_warm_build_after_a_package_change_rebuilds(tmp_path):
    from analysis.build import run_build

    out, figures = tmp_path / "processed", tmp_path / "figures"
    run_build(out_dir=out, figures_dir=figures, only="tables")
    assert run_build(out_dir=out, figures_dir=figures, only="tables").up_to_date
    with _version("scikit-learn", "0.0.0"):
        assert not run_build(out_dir=out, figures_dir=figures, only="tables").up_to_date
