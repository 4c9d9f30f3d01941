"""How many cores a command keeps busy, second by second, next to the build steps it prints.

Reads the machine-wide CPU counters in ``/proc/stat`` once a second while the command runs
(Linux only; other load on the machine counts too), and prints one line per second: busy cores
as a bar and a number, and the ``[build] <step> …`` lines the build printed in that second. It
shows where a build leaves a core idle (not part of the tests).

    python bench/cpu_timeline.py python -m analysis build --raw RAW --out OUT --figures FIG
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path


def busy_and_total() -> tuple[int, int]:
    """Busy and total CPU ticks of the whole machine since boot."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle and iowait
    return sum(ticks) - idle, sum(ticks)


def main(command: list[str]) -> int:
    if not Path("/proc/stat").exists():
        sys.exit("bench/cpu_timeline.py needs Linux (/proc/stat)")
    cores = os.cpu_count() or 1
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, bufsize=1)  # fmt: skip
    printed: list[tuple[float, str]] = []

    def read_output() -> None:
        for line in process.stdout:
            printed.append((time.perf_counter() - start, line.rstrip()))

    reader = threading.Thread(target=read_output)
    reader.start()
    samples, previous = [], busy_and_total()
    while process.poll() is None:
        time.sleep(1)
        current = busy_and_total()
        busy, total = current[0] - previous[0], current[1] - previous[1]
        samples.append((time.perf_counter() - start, cores * busy / total if total else 0.0))
        previous = current
    reader.join()
    steps = [(t, line) for t, line in printed if line.startswith("[build]")]
    last = 0.0
    for at, busy in samples:
        started = " ".join(line for t, line in steps if last < t <= at)
        print(f"{at:5.0f} s {'#' * round(busy * 10):<{10 * cores}} {busy:4.2f} {started}")
        last = at
    return process.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
