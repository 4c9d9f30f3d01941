"""Generate a scaled corpus from the bundled documents (for benchmarks only).

Each synthetic document is one of the bundled provincial documents with its region names
replaced by another province's, a seeded random subset of its numbered items dropped and its
numbers changed, so the copies are not identical (segmentation, similarity and reuse do real
work on each). The two national documents are always included.

    python bench/make_corpus.py OUT_DIR N_DOCUMENTS
"""

from __future__ import annotations

import csv
import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
PROVINCES = ["河北", "山西", "辽宁", "江苏", "浙江", "安徽", "福建", "江西", "山东", "湖北", "湖南",
             "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海"]  # fmt: skip
SOURCES = {  # file → (region as written, registry row template)
    "henan_2021_cast_14th_fyp.txt": ("河南", "provincial,规划,2021,2025"),
    "jilin_2022_cast_reform_work_plan.txt": ("吉林", "provincial,工作方案,2021,2025"),
    "guangdong_2021_cast_14th_fyp.txt": ("广东", "provincial,规划,2021,2025"),
    "henan_2022_society_work_points.txt": ("河南", "provincial,工作要点,2022,2022"),
}
_ITEM_LINE = re.compile(r"^\s*\d{1,2}\.")


def _vary(text: str, region: str, new_region: str, rng: random.Random) -> str:
    lines = text.split("\n")
    kept = [ln for ln in lines if not (_ITEM_LINE.match(ln) and rng.random() < 0.15)]
    varied = "\n".join(kept).replace(region, new_region)
    return re.sub(r"(?<![\d.])(\d{1,3})(?=[个家场项])",
                  lambda m: str(int(m.group(1)) + rng.randint(1, 9)), varied)  # fmt: skip


def make_corpus(out_dir: Path, n_documents: int, *, seed: int = 2018) -> int:
    """Write ``n_documents`` documents and a registry into ``out_dir``; return total bytes."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    rng = random.Random(seed)
    with open(RAW / "documents.csv", encoding="utf-8-sig") as handle:
        registry = list(csv.DictReader(handle))
    national = [r for r in registry if r["level"] == "national"]
    fields = list(registry[0].keys())
    rows = [dict(r) for r in national]
    shutil.copy(RAW / national[0]["file"], out_dir / national[0]["file"])
    if n_documents <= len(registry):
        for row in registry:
            shutil.copy(RAW / row["file"], out_dir / row["file"])
        rows = registry
    else:
        sources = sorted(SOURCES)
        for index in range(n_documents - len(national)):
            source = sources[index % len(sources)]
            region, _ = SOURCES[source]
            new_region = PROVINCES[index % len(PROVINCES)]
            name = f"synthetic_{index:04d}_{Path(source).stem}.txt"
            text = (RAW / source).read_text(encoding="utf-8")
            (out_dir / name).write_text(_vary(text, region, new_region, rng), encoding="utf-8")
            template = next(r for r in registry if r["file"] == source)
            rows.append({**template, "doc_id": f"doc_{index:04d}", "file": name,
                         "region": new_region, "title": "", "doc_number": template["doc_number"]})  # fmt: skip
    with open(out_dir / "documents.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return sum(p.stat().st_size for p in out_dir.iterdir() if p.suffix == ".txt")


if __name__ == "__main__":
    size = make_corpus(Path(sys.argv[1]), int(sys.argv[2]))
    print(f"{sys.argv[2]} documents, {size / 1e6:.1f} MB")
