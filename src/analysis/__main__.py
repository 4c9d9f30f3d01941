"""Command line: ``python -m analysis build`` regenerates every table, the workbook and figures."""

from __future__ import annotations

import argparse
import errno
import logging
import sys
from pathlib import Path

from . import config
from .errors import KexieError


def _project_path(path: Path) -> str:
    """A default folder as the help shows it: relative to the project, not this machine's path."""
    try:
        return str(path.relative_to(config.PROJECT_ROOT))
    except ValueError:
        return str(path)


def _parser(prog: str = "python -m analysis") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="kexie-compare: compare provincial 科协 plans with the national framework.",
    )
    sub = parser.add_subparsers(dest="command")
    build = sub.add_parser(
        "build",
        help="regenerate every processed table, the Excel workbook and every figure",
        description="Regenerate every processed table, the Excel workbook and every figure "
        "from the registered documents. Files whose content would not change are not "
        "rewritten; nothing is written if any input is bad.",
    )
    build.add_argument(
        "--raw",
        type=Path,
        default=config.RAW_DIR,
        help="folder with documents.csv and the source files (default: "
        f"{_project_path(config.RAW_DIR)} in the project folder)",
    )
    build.add_argument(
        "--out",
        type=Path,
        default=config.PROCESSED_DIR,
        help="folder for tables and the workbook (default: "
        f"{_project_path(config.PROCESSED_DIR)} in the project folder)",
    )
    build.add_argument(
        "--figures",
        type=Path,
        default=config.FIGURES_DIR,
        help=f"folder for figures (default: {_project_path(config.FIGURES_DIR)} in the project "
        "folder)",
    )
    build.add_argument(
        "--only",
        choices=["all", "tables", "workbook", "figures"],
        default="all",
        help="write only this kind of output (default: all)",
    )
    build.add_argument(
        "--backend",
        choices=["jieba", "rjieba"],
        default="jieba",
        help="segmentation engine: jieba (reference) or rjieba (fast; pip install -e '.[fast]')",
    )
    build.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="processes working at once: each build step runs in a forked process of its own "
        "(Linux), files and documents are parsed and segmented in this many workers "
        "(default: the cores, at most 4; 1 = everything in one process; outputs do not depend on "
        "it)",
    )
    build.add_argument(
        "--formats",
        type=_formats,
        default=config.DEFAULT_FIGURE_FORMATS,
        help="figure formats, comma-separated, from png, svg, pdf (default: %(default)s)",
    )
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="recompute everything: ignore cached tokens and up-to-date outputs",
    )
    build.add_argument(
        "--reference",
        default=None,
        metavar="DOC_ID",
        help="the document keyness compares with (default: the first document of the registry "
        "whose level is national)",
    )
    build.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="log every removed noise line and other details",
    )
    build.add_argument(
        "--debug",
        action="store_true",
        help="show the full traceback of an error instead of a one-line message",
    )
    sub.add_parser(
        "columns",
        help="print the README's table and column reference (generated from the registry)",
    )
    return parser  # fmt: skip


#: Figure formats the build can write.


def _formats(value: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    unknown = [f for f in formats if f not in config.FIGURE_FORMATS]
    if not formats or unknown:
        raise argparse.ArgumentTypeError(
            f"{value!r}: choose from {', '.join(config.FIGURE_FORMATS)} (comma-separated)"
        )
    return formats


#: Failures the command line reports in one line (``--debug`` shows their traceback).
EXPECTED_FAILURES = (KexieError, OSError, ModuleNotFoundError, KeyboardInterrupt)


def failure_message(exc: BaseException) -> tuple[str, int]:
    """The one-line message and exit code of an expected failure: 130 for Ctrl-C, else 2.

    Examples
    --------
    >>> failure_message(FileNotFoundError(2, "No such file or directory", "x.csv"))
    ('x.csv: No such file or directory', 2)
    """
    if isinstance(exc, KeyboardInterrupt):
        return ("interrupted; no output was moved into place unless the build had finished "
                "computing (temporary files are removed by the next build)"), 130  # fmt: skip
    if isinstance(exc, ModuleNotFoundError):
        return f"{exc.name} is not installed (needed for this option)", 2
    if isinstance(exc, OSError) and exc.strerror:
        where = exc.filename or "output"
        advice = {errno.ENOSPC: "; free some space and build again",
                  errno.EACCES: "; check the folder's permissions",
                  errno.EROFS: "; choose a writable folder"}.get(exc.errno, "")  # fmt: skip
        return f"{where}: {exc.strerror}{advice}", 2
    return str(exc), 2


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code (0 ok, 2 bad input or a failed write, 130
    interrupted)."""
    # the `kexie` script and `python -m analysis` name themselves as they were called
    called = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    parser = _parser("kexie" if called == "kexie" else "python -m analysis")
    args = parser.parse_args(argv)
    if args.command is None:  # nothing asked: show what can be asked
        parser.print_help()
        return 0
    if args.command == "columns":
        from .registry import readme_columns

        print(readme_columns(), end="")
        return 0
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from .build import run_build

    def progress(step: str) -> None:
        print(f"[build] {step} …", file=sys.stderr, flush=True)

    try:
        report = run_build(
            raw_dir=args.raw,
            out_dir=args.out,
            figures_dir=args.figures,
            only=args.only,
            backend=args.backend,
            jobs=args.jobs,
            formats=args.formats,
            use_cache=not args.no_cache,
            progress=progress,
            reference=args.reference,
        )
    except BaseException as exc:  # the one boundary: every expected failure is one line
        if args.debug or not isinstance(exc, EXPECTED_FAILURES):
            raise
        message, code = failure_message(exc)
        print(f"error: {message}", file=sys.stderr)
        return code
    print("build finished:")
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
