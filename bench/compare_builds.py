"""Before and after in the same run: the build of an earlier commit against the current code.

The earlier commit is checked out in a temporary ``git worktree``; both versions build the same
corpus in fresh processes, alternating (before, after, before, after …) so machine noise hits both
alike: a cold build (empty output folder, no token cache), then a warm one (nothing changed), each
with the version's default options. The floor (imports + jieba's dictionary + segmenting all
text, :mod:`bench_build`) is measured in the same run. Printed as JSON lines and a table of
medians and ratios.

    python bench/compare_builds.py --baseline a20c20b 5 500
    python bench/compare_builds.py --baseline a20c20b --pairs 6 5
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from baseline import ROOT, baseline_source, corpus_of  # noqa: E402
from bench_build import FLOOR, PY  # noqa: E402


def timed_build(src: Path, raw: Path, work: Path) -> float:
    """Seconds of ``python -m analysis build`` with the package in ``src`` (a fresh process)."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [PY, "-m", "analysis", "build", "--raw", str(raw), "--out", str(work / "out"),
               "--figures", str(work / "fig")]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[5, 500])
    parser.add_argument("--baseline", required=True, help="the earlier commit")
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="kexie-compare-") as tmp:
        tmp = Path(tmp)
        with baseline_source(args.baseline, tmp) as before:
            versions = {"before": before, "after": ROOT / "src"}
            for size in args.sizes:
                raw = corpus_of(size, tmp)
                times = {f"{v}_{k}": [] for v in versions for k in ("cold", "warm")}
                floors = []
                for _ in range(args.pairs):
                    start = time.perf_counter()  # the floor: its whole command, as bench_build
                    subprocess.run([PY, "-c", FLOOR, str(raw)], capture_output=True, check=True)
                    floors.append(time.perf_counter() - start)
                    for name, src in versions.items():
                        work = tmp / f"work-{name}-{size}"
                        shutil.rmtree(work, ignore_errors=True)
                        times[f"{name}_cold"].append(timed_build(src, raw, work))
                        times[f"{name}_warm"].append(timed_build(src, raw, work))
                row = {"docs": size, "floor_s": round(statistics.median(floors), 2)}
                row |= {k: round(statistics.median(v), 2) for k, v in times.items()}
                for kind in ("cold", "warm"):
                    row[f"after_vs_before_{kind}"] = round(row[f"after_{kind}"]
                                                           / row[f"before_{kind}"], 2)  # fmt: skip
                    row[f"after_{kind}_vs_floor"] = round(row[f"after_{kind}"] / row["floor_s"], 2)
                row["runs"] = {k: [round(t, 2) for t in v] for k, v in times.items()}
                rows.append(row)
                print(json.dumps(row, ensure_ascii=False), flush=True)
    print("\n| docs | floor | before cold | after cold | ratio | after / floor | before warm "
          "| after warm | ratio |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|")  # fmt: skip
    for r in rows:
        print(f"| {r['docs']} | {r['floor_s']} s | {r['before_cold']} s | {r['after_cold']} s | "
              f"{r['after_vs_before_cold']} | {r['after_cold_vs_floor']}× | {r['before_warm']} s "
              f"| {r['after_warm']} s | {r['after_vs_before_warm']} |")  # fmt: skip


if __name__ == "__main__":
    main()
