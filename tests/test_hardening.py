"""Hostile inputs: each gives a correct result or a clear error naming the file, never a traceback."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import load_corpus
from analysis.corpus import SECTION_COLUMNS, SENTENCE_COLUMNS, parse_document
from analysis.errors import RegistryError
from analysis.normalize import normalize_characters
from analysis.raw import normalize_date, read_registry
from tests.conftest import write_raw

TEXT = "一、总体要求\n1.加强党的领导。到2025年建成10个基地。\n"


@pytest.mark.parametrize("value", ["2022-07-25", "2022/7/25", "2022.7.25", "2022年7月25日",
                                   "20220725", " 2022-7-25 "])  # fmt: skip
def test_registry_dates_in_several_formats_become_iso(value):
    assert normalize_date(value) == "2022-07-25"


@pytest.mark.parametrize(("value", "message"), [("25/07/2022", "not a date"),
                                                ("2022-02-30", "day is out of range")])  # fmt: skip
def test_bad_registry_dates_name_the_file_and_line(tmp_path, value, message):
    raw = write_raw(tmp_path / "raw", {"a.txt": TEXT.encode()},
                    [f"doc_a,a.txt,provincial,河南,规划,,,,{value},2021,2025,,,"])  # fmt: skip
    with pytest.raises(RegistryError, match=rf"documents.csv, line 2: issued_date .*{message}"):
        read_registry(raw)


def test_registry_period_must_be_a_year(tmp_path):
    raw = write_raw(tmp_path / "raw", {"a.txt": TEXT.encode()},
                    ["doc_a,a.txt,provincial,河南,规划,,,,,二〇二一,2025,,,"])  # fmt: skip
    with pytest.raises(RegistryError, match="period_start '二〇二一' is not a year"):
        read_registry(raw)


def test_a_200000_character_single_line_is_parsed(tmp_path):
    paragraph = "加强科普阵地建设,推动科普资源共建共享。"
    body = "一、总体要求 " + " ".join(f"{i}.第{i}项任务。{paragraph * 5}" for i in range(1, 400))
    body = (body * (200_000 // len(body) + 1))[:200_000]
    raw = write_raw(tmp_path / "raw", {"a.txt": body.encode()},
                    ["doc_a,a.txt,provincial,河南,规划,,,,,2021,2025,,,"])  # fmt: skip
    corpus = load_corpus(raw)
    items = corpus.sections[corpus.sections.kind == "item"]
    assert len(items) >= 399 and items.heading.iloc[0] == "第1项任务"
    assert corpus.sentences.text.str.len().max() < 1000


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
       | st.lists(st.sampled_from(["一、", "(一)", "1.", "——", "第一章", "。", "\n", " ", "科协",
                                   "“", "”", "《", "》", "—2—", "附件:", "关于印发《", "》的通知"]),
                  max_size=40).map("".join))  # fmt: skip
def test_structure_parser_never_raises_and_keeps_its_columns(text):
    parsed = parse_document(normalize_characters(text).split("\n"))
    from analysis.corpus import section_rows, sentence_rows

    sections = section_rows("d", parsed)
    sentences = sentence_rows("d", parsed)
    assert all(list(s) == SECTION_COLUMNS for s in sections)
    assert all(list(s) == SENTENCE_COLUMNS for s in sentences)
    for sentence in sentences:
        assert parsed.text[sentence["char_start"] :].startswith(sentence["text"])


# --- Hardening II: paths, output folders, concurrent builds, empty documents, the boundary ----

NATIONAL_ROW = "nat,nat.txt,national,全国,规划纲要,,,,,2018,2035,,,"
NATIONAL_TEXT = ("一、重大任务\n(一)推动全民科学素质提升。实施全民科学素质行动。\n"
                 "(二)弘扬科学家精神。开展科学家精神宣讲活动。\n")  # fmt: skip


def _errors(err: str) -> list[str]:
    """The lines of stderr that are not progress lines."""
    return [line for line in err.splitlines() if not line.startswith("[build]")]


def _cli(raw, out, *extra):
    from analysis.__main__ import main

    return main(["build", "--raw", str(raw), "--out", str(out), "--figures",
                 str(out.parent / "fig"), "--jobs", "1", *extra])  # fmt: skip


@pytest.mark.parametrize("file", ["../outside.txt", "/etc/hostname", "sub/../../outside.txt"])
def test_registry_paths_must_stay_inside_the_raw_folder(tmp_path, file, capsys):
    (tmp_path / "outside.txt").write_text(TEXT, encoding="utf-8")
    raw = write_raw(tmp_path / "raw", {"nat.txt": NATIONAL_TEXT.encode()},
                    [NATIONAL_ROW, f"doc_a,{file},provincial,河南,规划,,,,,2021,2025,,,"])  # fmt: skip
    assert _cli(raw, tmp_path / "out") == 2
    err = capsys.readouterr().err
    assert f"file '{file}' for doc_id 'doc_a' is not a path inside the raw folder" in err
    assert len(_errors(err)) == 1 and not (tmp_path / "out").exists()


def test_a_link_leading_out_of_the_raw_folder_is_refused(tmp_path):
    (tmp_path / "secret.txt").write_text(TEXT, encoding="utf-8")
    raw = write_raw(tmp_path / "raw", {"nat.txt": NATIONAL_TEXT.encode()},
                    [NATIONAL_ROW, "doc_a,a.txt,provincial,河南,规划,,,,,2021,2025,,,"])  # fmt: skip
    (raw / "a.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(RegistryError, match=r"file 'a.txt' for doc_id 'doc_a' is a link to .*"
                                            r"secret.txt, outside the raw folder"):  # fmt: skip
        read_registry(raw)


def test_every_registered_file_is_in_the_fingerprint(tmp_path):
    from analysis.stamp import build_fingerprint

    raw = write_raw(tmp_path / "raw", {"nat.txt": NATIONAL_TEXT.encode(), ".a.txt": b"x"},
                    [NATIONAL_ROW, "doc_a,.a.txt,provincial,河南,规划,,,,,2021,2025,,,"])  # fmt: skip
    before = build_fingerprint(raw, {})
    (raw / ".a.txt").write_text(TEXT, encoding="utf-8")  # a hidden file, but a registered one
    assert build_fingerprint(raw, {}) != before


@pytest.mark.parametrize("where", ["raw", "raw/sub"])
def test_an_output_folder_inside_the_raw_folder_is_refused(tmp_path, capsys, where):
    raw = write_raw(tmp_path / "raw", {"nat.txt": NATIONAL_TEXT.encode()}, [NATIONAL_ROW])
    registry = (raw / "documents.csv").read_bytes()
    assert _cli(raw, tmp_path / where) == 2
    assert "is inside the raw folder" in capsys.readouterr().err
    assert (raw / "documents.csv").read_bytes() == registry  # the registry is not overwritten
    assert sorted(p.name for p in raw.iterdir()) == ["documents.csv", "nat.txt"]


def test_an_output_path_that_is_a_file_is_refused(tmp_path, capsys):
    raw = write_raw(tmp_path / "raw", {"nat.txt": NATIONAL_TEXT.encode()}, [NATIONAL_ROW])
    (tmp_path / "out").write_text("not a folder")
    assert _cli(raw, tmp_path / "out") == 2
    assert _errors(capsys.readouterr().err) == [
        f"error: --out {tmp_path / 'out'}: is a file, not a folder"
    ]


def test_a_second_build_into_a_locked_folder_stops_naming_the_first(tmp_path):
    from analysis.build import run_build
    from analysis.errors import OutputError
    from analysis.files import LOCK_NAME, OutputLock

    raw = write_raw(tmp_path / "raw", {"nat.txt": NATIONAL_TEXT.encode()}, [NATIONAL_ROW])
    out = tmp_path / "out"
    with OutputLock([out]):  # the first build
        with pytest.raises(OutputError, match=r"another build is writing here \(build process "
                                              r"\d+ on .*, started "):  # fmt: skip
            run_build(raw_dir=raw, out_dir=out, figures_dir=tmp_path / "fig", only="tables",
                      jobs=1)  # fmt: skip
        assert [p.name for p in out.iterdir()] == [LOCK_NAME]  # nothing of the second build
    assert not out.exists()  # made only for the lock, and removed with it
    run_build(raw_dir=raw, out_dir=out, figures_dir=tmp_path / "fig", only="tables", jobs=1)
    assert (out / "documents.csv").is_file()


@pytest.mark.filterwarnings("ignore::UserWarning")  # figures of a corpus with one document
def test_a_build_that_cannot_move_the_figures_in_says_which_outputs_are_new(tmp_path, monkeypatch):
    from analysis.build import run_build
    from analysis.errors import OutputError
    from analysis.files import Staging
    from analysis.stamp import read_stamp

    raw = write_raw(tmp_path / "raw", {"nat.txt": NATIONAL_TEXT.encode()}, [NATIONAL_ROW])
    commit = Staging.commit

    def failing(self, staged):
        if self.destination.name == "fig":
            raise PermissionError(13, "Permission denied", str(self.destination))
        return commit(self, staged)

    monkeypatch.setattr(Staging, "commit", failing)
    with pytest.raises(OutputError, match=r"could not move the new figures into place "
                       r"\(Permission denied: .*fig\); tables, workbook are from this build; "
                       r"figures may mix"):  # fmt: skip
        run_build(raw_dir=raw, out_dir=tmp_path / "out", figures_dir=tmp_path / "fig", jobs=1)
    stamp = read_stamp(tmp_path / "out")
    assert set(stamp) >= {"tables", "workbook"} and "figures" not in stamp  # not "up to date"


def test_a_one_line_web_copy_keeps_its_text_after_the_breadcrumb(tmp_path):
    body = ("您当前所在位置:首页 > 通知公告 > 工作动态 某省科协2023年工作要点 一、加强思想引领 "
            + "1.开展学习活动。全年举办宣讲活动20场。" * 50)  # fmt: skip
    raw = write_raw(tmp_path / "raw", {"a.txt": body.encode()},
                    ["doc_a,a.txt,provincial,某省,工作要点,,,,,2023,2023,,,"])  # fmt: skip
    corpus = load_corpus(raw)
    assert corpus.removed.reason.tolist() == ["breadcrumb"]
    assert corpus.removed.text.iloc[0] == "您当前所在位置:首页 > 通知公告 > 工作动态"
    assert corpus.documents.n_sentences.iloc[0] > 50


@pytest.mark.parametrize(("text", "message"), [
    ("\u200b\u200c\u200d\ufeff" * 50, "its 0 visible characters hold no sentence"),
    ("您当前所在位置:首页 > 工作动态\n分享到:微信 微博 QQ空间\n打印本页 关闭窗口\n",
     "the noise rule '"),
])  # fmt: skip
def test_a_document_with_no_body_sentences_is_an_error_naming_file_and_rule(
    tmp_path, text, message, capsys
):
    raw = write_raw(tmp_path / "raw", {"nat.txt": NATIONAL_TEXT.encode(), "a.txt": text.encode()},
                    [NATIONAL_ROW, "doc_a,a.txt,provincial,某省,工作要点,,,,,2023,2023,,,"])  # fmt: skip
    assert _cli(raw, tmp_path / "out") == 2
    err = capsys.readouterr().err
    assert "a.txt: document 'doc_a' has no body sentences after cleaning" in err and message in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("registry", "message"), [
    ("", "the registry is empty"),
    ("doc_id,file,level,region\n", "the registry lists no document"),
    ("doc_id,file,level,region\ndoc_a,a.txt,provincial,河南\n", "no document has level 'national'"),
])  # fmt: skip
def test_registry_without_documents_or_reference_is_one_line(tmp_path, capsys, registry, message):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(TEXT, encoding="utf-8")
    (raw / "documents.csv").write_text(registry, encoding="utf-8")
    assert _cli(raw, tmp_path / "out") == 2
    err = capsys.readouterr().err
    assert message in err and len(_errors(err)) == 1
    assert not (tmp_path / "out").exists()  # no token cache written before the error


def test_the_boundary_turns_failures_into_one_line_and_debug_shows_the_traceback(
        tmp_path, capsys, monkeypatch):  # fmt: skip
    import errno

    import analysis.build

    raw = write_raw(tmp_path / "raw", {"nat.txt": NATIONAL_TEXT.encode()}, [NATIONAL_ROW])
    for exc, code, line in [
        (KeyboardInterrupt(), 130, "error: interrupted; no output was moved into place"),
        (OSError(errno.ENOSPC, "No space left on device", "/x/tokens.csv"), 2,
         "error: /x/tokens.csv: No space left on device; free some space and build again"),
        (PermissionError(errno.EACCES, "Permission denied", "/x"), 2,
         "error: /x: Permission denied; check the folder's permissions"),
    ]:  # fmt: skip

        def raising(*_, exc=exc, **__):
            raise exc

        monkeypatch.setattr(analysis.build, "run_build", raising)
        assert _cli(raw, tmp_path / "out") == code
        err = capsys.readouterr().err
        assert len(_errors(err)) == 1 and _errors(err)[0].startswith(line)
    with pytest.raises(PermissionError):
        _cli(raw, tmp_path / "out", "--debug")


def test_temporary_files_of_dead_builds_are_removed(tmp_path):
    import os
    import socket

    from analysis.files import remove_abandoned_staging

    host = socket.gethostname()
    dead = [f".tokens.csv.{host}-999999-abc.tmp", f".staging-{host}-999998-xyz"]
    alive = [f".stamp.json.{host}-{os.getpid()}-abc.tmp", ".kexie-build.lock", "notes.tmp"]
    for name in dead + alive:
        (tmp_path / name).mkdir() if name.startswith(".staging") else (tmp_path / name).touch()
    assert sorted(p.name for p in remove_abandoned_staging(tmp_path)) == sorted(dead)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(alive)


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="Linux only")
def test_workers_die_with_a_killed_build(tmp_path):
    import os
    import subprocess
    import sys
    import time

    script = (
        "import os, sys, time\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from multiprocessing import get_context\n"
        "from analysis.pipeline import die_with_parent\n"
        "pool = ProcessPoolExecutor(1, mp_context=get_context('fork'), "
        "initializer=die_with_parent, initargs=(os.getpid(),))\n"
        "print(pool.submit(os.getpid).result(), flush=True)\n"
        "pool.submit(time.sleep, 60)\n"
        "time.sleep(60)\n"
    )
    build = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    worker = int(build.stdout.readline())
    build.kill()  # kill -9: no clean-up code runs in the build
    build.wait()
    for _ in range(50):
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"worker {worker} still runs after its build was killed")


def test_csv_keeps_formula_like_text_exactly_and_the_workbook_stores_it_as_text(tmp_path):
    import pandas as pd

    from analysis.tables import csv_bytes

    table = pd.DataFrame({"text": ["=1+1", "+86 电话", "-3%", "@科协"]})
    assert csv_bytes(table).decode("utf-8-sig").splitlines()[1:] == ["=1+1", "+86 电话", "-3%",
                                                                       "@科协"]  # fmt: skip


THIRD_NATIONAL = ("中国科协事业发展“十四五”规划\n一、重点任务\n"
                  "(一)推动全民科学素质提升。实施全民科学素质行动,建设科普阵地。\n"
                  "(二)建设世界一流科技期刊。实施科技期刊卓越行动计划。\n")  # fmt: skip


def test_the_registry_governs_the_reference_and_the_national_units(tmp_path):
    from analysis import config
    from analysis.build import alignment_tables, keyword_tables, reference_doc_id
    from analysis.tokens import tokens_table

    national = config.RAW_DIR / "national_2018_cast_framework_and_action_plan.txt"
    province = config.RAW_DIR / "henan_2021_cast_14th_fyp.txt"
    raw = write_raw(tmp_path / "raw", {national.name: national.read_bytes(),
                                       province.name: province.read_bytes(),
                                       "cast14.txt": THIRD_NATIONAL.encode()}, [
        "cast_14fyp,cast14.txt,national,全国,规划,,中国科协,,,2021,2025,,,",
        f"national_2018,{national.name},national,全国,规划纲要,,,,,2018,2050,,,",
        f"henan_14fyp,{province.name},provincial,河南,规划,河南省科协事业发展“十四五”规划,"
        "河南省科学技术协会,,,2021,2025,,,",
    ])  # fmt: skip
    corpus = load_corpus(raw)
    assert reference_doc_id(corpus.documents) == "cast_14fyp"  # the first national row
    assert reference_doc_id(corpus.documents, "national_2018") == "national_2018"
    with pytest.raises(RegistryError, match="reference 'nowhere' is not a registered document"):
        reference_doc_id(corpus.documents, "nowhere")
    tokens = tokens_table(corpus.sentences)
    keyness = keyword_tables(corpus, tokens)["keyness"]
    assert set(keyness.reference) == {"cast_14fyp", "all_others"}
    tables = alignment_tables(corpus, tokens, gold_path=tmp_path / "none.json")
    coverage = tables["coverage"]
    assert {"cast_14fyp", "national_2018"} <= set(coverage.national_doc_id)
    assert coverage.query("national_doc_id == 'cast_14fyp'").national_heading.tolist()[:2] == [
        "推动全民科学素质提升", "建设世界一流科技期刊"]  # fmt: skip
