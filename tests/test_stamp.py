"""One fingerprint: each input, package and setting that changes an output changes it, so a build
after such a change never says "up to date"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import config, stamp
from analysis.stamp import OUTPUT_PACKAGES, build_fingerprint


@pytest.fixture
def raw(tmp_path) -> Path:
    return Path(shutil.copytree(config.RAW_DIR, tmp_path / "raw"))


def test_same_inputs_same_fingerprint(raw):
    assert {"rjieba", "mplfonts", "bm25s", "matplotlib"} <= set(OUTPUT_PACKAGES)
    assert build_fingerprint(raw, {"backend": "jieba"}) == build_fingerprint(
        raw, {"backend": "jieba"}
    )


@pytest.mark.parametrize("package", OUTPUT_PACKAGES)
def test_every_output_package_is_in_the_fingerprint(raw, monkeypatch, package):
    before = build_fingerprint(raw, {})
    versions = stamp.package_versions()
    monkeypatch.setattr(stamp, "package_versions", lambda: {**versions, package: "9.9.9"})
    assert build_fingerprint(raw, {}) != before


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


def test_a_warm_build_after_a_package_change_rebuilds(tmp_path, monkeypatch):
    from analysis.build import run_build

    out, figures = tmp_path / "processed", tmp_path / "figures"
    run_build(out_dir=out, figures_dir=figures, only="tables")
    assert run_build(out_dir=out, figures_dir=figures, only="tables").up_to_date
    versions = stamp.package_versions()
    monkeypatch.setattr(stamp, "package_versions", lambda: {**versions, "rjieba": "0.0.0"})
    assert not run_build(out_dir=out, figures_dir=figures, only="tables").up_to_date
