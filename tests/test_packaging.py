"""pyproject.toml is the single source of dependencies; environment.yml must agree with it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]
_NAME = re.compile(r"^([A-Za-z0-9_.\-]+)\s*(.*)$")


def _parse(spec: str) -> tuple[str, str]:
    name, version = _NAME.match(spec.strip()).groups()
    return name.lower().replace("_", "-"), version.replace(" ", "")


def test_environment_yml_matches_pyproject_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = dict(_parse(d) for d in project["dependencies"])
    wanted["python"] = project["requires-python"]
    listed = {}
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        item = line.strip()
        if not item.startswith("- ") or item in ("- pip", "- pip:", "- conda-forge"):
            continue
        spec = item[2:].strip()
        if spec.startswith("-e"):
            continue
        name, version = _parse(spec)
        listed[name] = version
    assert listed == wanted


def test_every_required_top_level_folder_exists():
    for name in ["notebooks", "data/raw", "data/processed", "src/analysis", "figures", "tests",
                 "environment.yml", "README.md", "pyproject.toml", ".ci/run"]:  # fmt: skip
        assert (ROOT / name).exists(), name
