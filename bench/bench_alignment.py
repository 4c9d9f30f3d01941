"""Benchmark the build's "similarity and alignment" step against an earlier version of the code.

Both versions run in fresh processes on the same corpus, alternately (baseline, current, baseline,
current …), so machine noise hits both alike; each process loads the corpus and its tokens (from
a token cache warmed first), then times ``analysis.build.similarity_tables`` alone. The baseline
is a ``git worktree`` of ``--baseline`` (default: the commit before the alignment rewrite), made in
a temporary folder and removed afterwards. Printed: medians, the ratio current / baseline, and the
seconds per 1,000 provincial units (constant when the step grows linearly with the corpus).

    python bench/bench_alignment.py                      # 5, 100 and 500 documents, 3 pairs each
    python bench/bench_alignment.py --pairs 5 100         # chosen sizes
    python bench/bench_alignment.py --baseline c7acd52 500
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from baseline import ROOT, baseline_source, corpus_of  # noqa: E402

#: The last commit before the alignment of issue 16 (items only, word and char, no safeguards).
DEFAULT_BASELINE = "c7acd52"
STEP = """
import json, sys, time
from pathlib import Path
from analysis import load_corpus
from analysis.build import similarity_tables
from analysis.cache import cached_tokens
corpus = load_corpus(Path(sys.argv[1]))
tokens, _ = cached_tokens(corpus.sentences, Path(sys.argv[2]), jobs=2)
start = time.perf_counter()
tables = similarity_tables(corpus, tokens)
seconds = time.perf_counter() - start
units = tables["alignment"].drop_duplicates(["doc_id", "section_id"]).shape[0]
import analysis
print(json.dumps({"seconds": seconds, "units": units, "package": analysis.__file__}))
"""


def run_step(src: Path, raw: Path, cache: Path) -> dict:
    """Time the step with the package in ``src`` (a fresh process)."""
    env = {"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin", "KEXIE_GOLD_DIR": "/nonexistent"}
    out = subprocess.run([sys.executable, "-c", STEP, str(raw), str(cache)], capture_output=True,
                         text=True, check=True, env=env).stdout  # fmt: skip
    result = json.loads(out.strip().splitlines()[-1])
    if not result.pop("package").startswith(str(src)):
        raise RuntimeError(f"the step did not run the package in {src}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[5, 100, 500])
    parser.add_argument("--baseline", default=DEFAULT_BASELINE)
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with baseline_source(args.baseline, tmp) as baseline:
            versions = {"baseline": baseline, "current": ROOT / "src"}
            for size in args.sizes:
                raw = corpus_of(size, tmp)
                times: dict[str, list[float]] = {name: [] for name in versions}
                units = {}
                for name, src in versions.items():  # warm each version's token cache
                    run_step(src, raw, tmp / f"cache-{name}-{size}")
                for _ in range(args.pairs):
                    for name, src in versions.items():
                        result = run_step(src, raw, tmp / f"cache-{name}-{size}")
                        times[name].append(result["seconds"])
                        units[name] = result["units"]
                base, now = (statistics.median(times[n]) for n in versions)
                print(json.dumps({"docs": size, "baseline_s": round(base, 2),
                                  "current_s": round(now, 2), "ratio": round(now / base, 2),
                                  "baseline_units": units["baseline"],
                                  "current_units": units["current"],
                                  "current_s_per_1000_units": round(1000 * now / units["current"], 2),
                                  "runs": {n: [round(t, 2) for t in ts] for n, ts in times.items()}},
                                 ensure_ascii=False), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
