"""Peak memory of a command and every process it starts, summed without double counting.

The resident set (RSS) of a forked worker counts the pages it shares with its parent again, so
RSS summed over the build's processes overstates what the machine needs, and the largest
process's RSS understates it. The proportional set size (PSS, Linux only) divides each shared
page among the processes sharing it; summed over the process tree it is the memory in use.
This script samples it four times a second (not part of the tests; Linux only).

    python bench/memory.py python -m analysis build --raw RAW --out OUT --figures FIG
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants, read from ``/proc``."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found += process_tree(int(child))
    return found


def memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in kB; zeros if it has ended."""
    values = {"Rss:": 0, "Pss:": 0}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            field, _, rest = line.partition(" ")
            if field in values:
                values[field] = int(rest.split()[0])
    except (OSError, ValueError):
        pass
    return values["Rss:"], values["Pss:"]


def main(command: list[str]) -> int:
    if not Path("/proc/self/smaps_rollup").exists():
        sys.exit("bench/memory.py needs Linux (/proc/<pid>/smaps_rollup)")
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_pss = peak_rss = largest = processes = 0
    peak_at = 0.0
    while process.poll() is None:
        sizes = [memory_kb(pid) for pid in process_tree(process.pid)]
        pss = sum(p for _, p in sizes)
        largest = max([largest] + [r for r, _ in sizes])
        peak_rss = max(peak_rss, sum(r for r, _ in sizes))
        if pss > peak_pss:
            peak_pss, processes, peak_at = pss, len(sizes), time.perf_counter() - start
        time.sleep(0.25)
    print(f"peak PSS summed over processes: {peak_pss / 1024:,.0f} MB ({processes} processes, "
          f"{peak_at:.0f} s into {time.perf_counter() - start:.0f} s); largest process RSS: "
          f"{largest / 1024:,.0f} MB; RSS summed: {peak_rss / 1024:,.0f} MB; exit code "
          f"{process.returncode}")  # fmt: skip
    return process.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
