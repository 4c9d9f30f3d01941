"""Benchmark the build against a floor measured in the same run (not part of the tests).

The floor is the command "import pandas, scikit-learn, matplotlib, openpyxl and jieba, then
segment all text with jieba.lcut" over the same documents. Every figure is printed as a
ratio to it, and to raw single-process jieba time (segmentation only, no imports), so the
numbers mean something on a shared, noisy machine. Peak memory is the largest resident set
of any process the measured command started.

    python bench/bench_build.py            # 5, 100 and 500 documents
    python bench/bench_build.py 5 100      # chosen sizes
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_corpus import make_corpus  # noqa: E402

PY = sys.executable
FLOOR = """
import sys, time, pathlib
import pandas, sklearn, matplotlib, openpyxl, jieba
texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[1]).glob("*.txt"))]
jieba.initialize()
start = time.perf_counter()
for text in texts:
    jieba.lcut(text)
print(time.perf_counter() - start)
"""
MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)
print(done.stdout)
"""


def measure(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak resident MB of the command and its children, its stdout."""
    out = subprocess.run([PY, "-c", MEASURE, *command], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    first, _, rest = out.partition("\n")
    seconds, max_kb, code = first.split()
    if code != "0":
        raise RuntimeError(f"command failed: {' '.join(command)}")
    return float(seconds), int(max_kb) / 1024, rest


def step_times(summary: str) -> dict[str, float]:
    """Seconds per build step, read from the summary ``python -m analysis build`` prints."""
    steps = {}
    for line in summary.splitlines():
        parts = line.rsplit(maxsplit=2)
        if len(parts) == 3 and parts[2] == "s":
            steps[parts[0].strip()] = float(parts[1])
    return steps


def median_of(repeats: int, command: list[str]) -> tuple[float, float, str]:
    runs = [measure(command) for _ in range(repeats)]
    return (statistics.median(r[0] for r in runs), max(r[1] for r in runs), runs[-1][2])


def build(raw: Path, work: Path, *extra: str) -> list[str]:
    return [PY, "-m", "analysis", "build", "--raw", str(raw), "--out", str(work / "out"),
            "--figures", str(work / "fig"), *extra]  # fmt: skip


def bench_size(n: int, root: Path) -> dict:
    raw = root / f"raw{n}"
    size = make_corpus(raw, n)
    repeats = 3 if n <= 100 else 1
    floor, floor_mb, out = median_of(repeats, [PY, "-c", FLOOR, str(raw)])
    jieba_seconds = float(out.strip().splitlines()[-1])
    row = {"documents": n, "megabytes": round(size / 1e6, 2), "floor_s": round(floor, 2),
           "raw_jieba_s": round(jieba_seconds, 2), "floor_peak_mb": round(floor_mb)}  # fmt: skip
    # the default build uses worker processes (the cores, at most 4); --jobs 1 uses one
    variants = {"cold": (), "cold_jobs1": ("--jobs", "1"), "cold_rjieba": ("--backend", "rjieba")}
    for name, extra in variants.items():
        times, peak = [], 0.0
        for _ in range(repeats):
            work = root / f"work{n}_{name}"
            shutil.rmtree(work, ignore_errors=True)
            seconds, mb, summary = measure(build(raw, work, *extra))
            times.append(seconds)
            peak = max(peak, mb)
        row[f"{name}_steps"] = step_times(summary)
        row[f"{name}_s"] = round(statistics.median(times), 2)
        row[f"{name}_peak_mb"] = round(peak)
        if name == "cold":  # the outputs of the last cold run stay for the warm build
            warm, _, _ = median_of(repeats, build(raw, work))
            row["warm_s"] = round(warm, 2)
    for key in ("cold", "warm", "cold_jobs1", "cold_rjieba"):
        row[f"{key}_vs_floor"] = round(row[f"{key}_s"] / floor, 2)
        row[f"{key}_vs_raw_jieba"] = round(row[f"{key}_s"] / jieba_seconds, 2)
    return row


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory(prefix="kexie-bench-") as tmp:
        rows = []
        for n in sizes:
            row = bench_size(n, Path(tmp))
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    print(
        "\n| docs | MB | floor s | raw jieba s | cold | warm | cold --jobs 1 | cold rjieba | peak MB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['documents']} | {r['megabytes']} | {r['floor_s']} | {r['raw_jieba_s']} | "
            f"{r['cold_s']} s = {r['cold_vs_floor']}× floor | {r['warm_s']} s = "
            f"{r['warm_vs_floor']}× | {r['cold_jobs1_s']} s = {r['cold_jobs1_vs_floor']}× | "
            f"{r['cold_rjieba_s']} s = {r['cold_rjieba_vs_floor']}× | {r['cold_peak_mb']} |"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [5, 100, 500])
