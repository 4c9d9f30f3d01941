"""Loading: encodings, line ends, and a clear error (and no output) for each bad input."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from analysis.__main__ import main
from analysis.errors import RegistryError, SourceFileError
from analysis.raw import decode_file, read_registry
from tests.conftest import REGISTRY_HEADER, write_raw

GOOD_ROW = "doc_a,a.txt,provincial,河南,规划,,,,,2021,2025,,,"
TEXT = "一、总体要求\n1.加强党的领导。到2025年建成10个基地。\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode("utf-8"), "utf-8-sig"),
        (TEXT.replace("\n", "\r\n").encode("gb18030"), "gb18030"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("utf-16"), "utf-16"),
    ],
)
def test_decodes_each_supported_encoding(tmp_path, data, encoding):
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    decoded = decode_file(path)
    assert decoded.encoding == encoding
    assert decoded.text.replace("\r\n", "\n") == TEXT


def _run(raw: Path, out: Path, capsys) -> tuple[int, str]:
    code = main(["build", "--raw", str(raw), "--out", str(out), "--figures", str(out / "fig")])
    return code, capsys.readouterr().err


def _assert_fails_cleanly(raw, tmp_path, capsys, *fragments):
    out = tmp_path / "out"
    code, err = _run(raw, out, capsys)
    assert code == 2
    for fragment in fragments:
        assert fragment in err
    assert not out.exists() or not any(out.iterdir())


def test_missing_registry(tmp_path, capsys):
    (tmp_path / "raw").mkdir()
    _assert_fails_cleanly(tmp_path / "raw", tmp_path, capsys, "documents.csv", "not found")


def test_registry_row_whose_file_is_missing(tmp_path, capsys):
    raw = write_raw(tmp_path / "raw", {}, [GOOD_ROW])
    _assert_fails_cleanly(raw, tmp_path, capsys, "a.txt", "doc_a", "not found")


def test_duplicate_doc_id(tmp_path, capsys):
    raw = write_raw(tmp_path / "raw", {"a.txt": TEXT.encode()}, [GOOD_ROW, GOOD_ROW])
    _assert_fails_cleanly(raw, tmp_path, capsys, "duplicate doc_id", "doc_a")


def test_required_column_missing(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(TEXT, encoding="utf-8")
    (raw / "documents.csv").write_text("doc_id,file,region\ndoc_a,a.txt,河南\n", encoding="utf-8")
    _assert_fails_cleanly(raw, tmp_path, capsys, "required column(s) missing: level")


def test_blank_required_value_names_the_line(tmp_path):
    raw = write_raw(tmp_path / "raw", {"a.txt": TEXT.encode()},
                    ["doc_a,a.txt,,河南,规划,,,,,2021,2025,,,"])  # fmt: skip
    with pytest.raises(RegistryError, match="line 2: required value 'level' is blank"):
        read_registry(raw)


def test_binary_file(tmp_path, capsys):
    raw = write_raw(tmp_path / "raw", {"a.txt": bytes(range(256)) * 4}, [GOOD_ROW])
    _assert_fails_cleanly(raw, tmp_path, capsys, "a.txt", "binary")


def test_truncated_gb18030_is_an_error_naming_the_file(tmp_path, capsys):
    data = TEXT.encode("gb18030") + "科".encode("gb18030")[:1]  # cut inside a character
    raw = write_raw(tmp_path / "raw", {"a.txt": data}, [GOOD_ROW])
    _assert_fails_cleanly(raw, tmp_path, capsys, "a.txt", "cannot be decoded", "GB18030")


def test_empty_document(tmp_path, capsys):
    raw = write_raw(tmp_path / "raw", {"a.txt": b" \r\n\n"}, [GOOD_ROW])
    _assert_fails_cleanly(raw, tmp_path, capsys, "a.txt", "empty")


def test_control_characters_are_dropped_not_fatal(tmp_path):
    raw = write_raw(tmp_path / "raw", {"a.txt": ("一、总体要求\x07\n1.加强\x1b党的领导。\n").encode()},
                    [GOOD_ROW])  # fmt: skip
    from analysis import load_corpus

    corpus = load_corpus(raw)
    assert corpus.sentences.text.tolist() == ["总体要求", "加强党的领导"]


def test_unregistered_file_gets_a_warning(tmp_path, caplog):
    raw = write_raw(tmp_path / "raw", {"a.txt": TEXT.encode(), "stray.txt": b"x"}, [GOOD_ROW])
    with caplog.at_level(logging.WARNING):
        read_registry(raw)
    assert "stray.txt" in caplog.text and "no registry row" in caplog.text


def test_registry_header_constant_matches_bundled_registry():
    bundled = Path(__file__).parents[1] / "data" / "raw" / "documents.csv"
    assert bundled.read_text(encoding="utf-8-sig").splitlines()[0] + "\n" == REGISTRY_HEADER


def test_unreadable_source_raises_source_file_error(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"\x00\x01binary")
    with pytest.raises(SourceFileError, match="x.txt"):
        decode_file(path)


def test_starts_at_that_matches_no_line_names_the_file(tmp_path, capsys):
    raw = write_raw(tmp_path / "raw", {"a.txt": TEXT.encode()},
                    ["doc_a,a.txt,provincial,河南,规划,,,,,2021,2025,附件二,,"])  # fmt: skip
    _assert_fails_cleanly(raw, tmp_path, capsys, "a.txt", "starts_at '附件二'", "doc_a")
