"""Files: atomic writes, and staging folders whose files move into place only when a build succeeds."""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import tempfile
import time
from pathlib import Path

from .errors import OutputError

log = logging.getLogger(__name__)


def write_bytes_atomic(path: str | Path, data: bytes, *, durable: bool = True) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A reader never sees a half-written file, and an interrupted write leaves the previous
    file intact. If the file already holds exactly ``data`` it is not touched.

    Parameters
    ----------
    path : str or pathlib.Path
        Destination.
    data : bytes
        Content.
    durable : bool
        Flush the file to disk before the rename (an output); False for a cache entry, which
        is checked when read and recomputed if damaged (flushing 500 of them cost seconds).

    Returns
    -------
    bool
        True if the file was (re)written, False if it already had this content.
    """
    path = Path(path)
    if _holds(path, data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    # host and process in the name: the next build removes it if this process dies before the
    # rename (remove_abandoned_staging)
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.{socket.gethostname()}-{os.getpid()}-", suffix=".tmp"
    )
    try:
        _write_new_file(handle, temporary, data, durable=durable)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def _holds(path: Path, data: bytes) -> bool:
    return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data


def _write_new_file(handle: int, path: str | Path, data: bytes, *, durable: bool = True) -> None:
    """Fill a file just made by ``mkstemp``, flush it to disk when ``durable`` (so a rename
    after a crash never exposes an empty file) and give it the permissions of a normal file."""
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
        if durable:
            stream.flush()
            os.fsync(stream.fileno())
    os.chmod(path, 0o666 & ~_umask())


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


#: Staging folders are made inside the folder their files go to, so committing is a rename; the
#: name is this prefix, the host name, the build's process id and a random suffix.
STAGING_PREFIX = ".staging-"


class Staging:
    """A build's new files, written into a hidden folder inside their destination folder and
    moved into place by :meth:`commit` (one rename each), or removed by :meth:`discard`.

    A reader never sees a half-written file, and a failed build leaves the previous outputs as
    they were.

    Parameters
    ----------
    destination : pathlib.Path
        The folder the files go to (made if missing, and removed again by :meth:`discard` if
        nothing was committed into it).
    """

    def __init__(self, destination: str | Path) -> None:
        self.destination = Path(destination)
        # the folders made here, outermost first, so a failed build leaves none behind
        self._made = [p for p in (*reversed(self.destination.parents), self.destination)
                      if not p.exists()]  # fmt: skip
        self.destination.mkdir(parents=True, exist_ok=True)
        remove_abandoned_staging(self.destination)
        prefix = f"{STAGING_PREFIX}{socket.gethostname()}-{os.getpid()}-"
        self.folder = Path(tempfile.mkdtemp(dir=self.destination, prefix=prefix))

    def stage(self, name: str, data: bytes) -> Path | None:
        """Write ``data`` as the new ``name``: the staged file, or None when the destination
        already holds exactly these bytes (it is then left alone)."""
        if _holds(self.destination / name, data):
            return None
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f"{name}.")
        _write_new_file(handle, temporary, data)
        return Path(temporary)

    def commit(self, staged: dict[str, Path | None]) -> dict[str, bool]:
        """Move staged files into the destination: file name to whether it was rewritten."""
        for name, temporary in staged.items():
            if temporary is not None:
                os.replace(temporary, self.destination / name)
        return {name: temporary is not None for name, temporary in staged.items()}

    def discard(self) -> None:
        """Remove the staging folder and whatever is left in it, and the folders it made if
        nothing else is in them."""
        shutil.rmtree(self.folder, ignore_errors=True)
        for folder in reversed(self._made):
            try:
                folder.rmdir()  # only when empty
            except OSError:
                break


def remove_abandoned_staging(folder: str | Path) -> list[Path]:
    """Remove staging folders and temporary files that builds killed before they could clean
    up left behind.

    A failed build removes its own staging folder; one killed outright (``kill -9``, power
    loss) cannot. A folder is abandoned when it was made on this host by a process that no
    longer runs; folders of running builds, of other hosts and of unknown names are kept. Only
    on POSIX systems (elsewhere nothing is removed).

    Parameters
    ----------
    folder : pathlib.Path
        An output folder.

    Returns
    -------
    list of pathlib.Path
        The folders removed.
    """
    if os.name != "posix" or not Path(folder).is_dir():
        return []
    removed = []
    # the random part tempfile adds has no "-", so the last two "-" delimit the process id
    staging = re.compile(re.escape(STAGING_PREFIX) + r"(?P<host>.+)-(?P<pid>\d+)-[^-]+")
    host = socket.gethostname()
    # write_bytes_atomic's temporary files: .<name>.<host>-<pid>-<random>.tmp
    temporary = re.compile(r"\..+\." + re.escape(host) + r"-(?P<pid>\d+)-[^-]+\.tmp")
    for path in sorted(Path(folder).glob(".*")):
        match = staging.fullmatch(path.name)
        match = match if match and match["host"] == host else temporary.fullmatch(path.name)
        if match and not _process_running(int(match["pid"])):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            log.info("removed %s, left by a build that was killed (process %s)", path, match["pid"])
            removed.append(path)
    return removed


def _process_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only checks that the process exists (POSIX)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def write_payloads(payloads: dict[str, bytes], out_dir: str | Path) -> dict[str, bool]:
    """Write serialised files into ``out_dir`` atomically: file name to whether it was rewritten."""
    return {name: write_bytes_atomic(Path(out_dir) / name, data) for name, data in payloads.items()}


#: The lock file a build holds in each output folder while it runs.
LOCK_NAME = ".kexie-build.lock"


class OutputLock:
    """An exclusive lock on output folders, held while a build runs, so two builds never write
    into one folder at once (the second stops at once with a message naming the first).

    The lock is ``fcntl.flock`` on a hidden file in each folder: the system releases it when the
    process ends, however it ends, so a killed build never leaves a folder locked. Where
    ``fcntl`` is missing (Windows) no lock is taken. A folder made only to hold the lock is
    removed again when nothing else was written into it.

    Parameters
    ----------
    folders : list of pathlib.Path
        The output folders (duplicates and order do not matter).
    """

    def __init__(self, folders: list[Path]) -> None:
        self.folders = sorted({Path(f).resolve() for f in folders})
        self._held: list[tuple[Path, object, bool]] = []

    def __enter__(self) -> OutputLock:
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock
            return self
        try:
            for folder in self.folders:
                made = not folder.exists()
                folder.mkdir(parents=True, exist_ok=True)
                handle = open(folder / LOCK_NAME, "a+", encoding="utf-8")  # noqa: SIM115
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    handle.close()
                    raise OutputError(f"{folder}: another build is writing here ({holder}); "
                                      "wait for it to finish or choose another output folder") from None  # fmt: skip
                handle.seek(0)
                handle.truncate()
                handle.write(f"build process {os.getpid()} on {socket.gethostname()}, "
                             f"started {time.strftime('%Y-%m-%d %H:%M:%S')}\n")  # fmt: skip
                handle.flush()
                self._held.append((folder, handle, made))
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *_) -> None:
        for folder, handle, made in reversed(self._held):
            handle.close()  # closing releases the lock
            if made and [p.name for p in folder.iterdir()] == [LOCK_NAME]:
                (folder / LOCK_NAME).unlink(missing_ok=True)
                folder.rmdir()
        self._held.clear()
