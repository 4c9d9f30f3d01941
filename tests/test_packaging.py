"""pyproject.toml is the single source of dependencies; environment.yml must agree with it."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

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


def test_public_names_load_on_first_use():
    """``analysis.__all__`` is the public surface; each name is imported from its module when
    first used, so ``import analysis`` loads none of the heavy libraries."""
    import analysis

    for name in analysis.__all__:
        value = getattr(analysis, name)
        assert callable(value) and value.__module__.startswith("analysis."), name
        assert value.__name__ == name, name  # the module's own name, not an alias
    kinds = ("load_", "plot_", "write_")
    assert all(n.startswith(kinds) or n.endswith(("_table", "_tables")) or n in ("run_build",
               "show") for n in analysis.__all__)  # fmt: skip
    assert set(analysis.__all__) <= set(dir(analysis))
    script = ("import sys, analysis\n"
              "print(sorted(m for m in ('pandas', 'scipy', 'sklearn', 'matplotlib', 'jieba') "
              "if m in sys.modules))\n")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert done.stdout.strip() == "[]"
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        analysis.nonexistent  # noqa: B018


def test_command_line_shows_help_when_asked_nothing_and_no_machine_paths(capsys):
    from analysis import config
    from analysis.__main__ import main

    assert main([]) == 0
    assert "{build,columns}" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "(default: data/raw in the project folder)" in text
    assert str(config.PROJECT_ROOT) not in text
    script = subprocess.run([sys.executable, "-c", "import sys; sys.argv[0] = 'kexie'; "
                             "from analysis.__main__ import main; main(['--help'])"],
                            capture_output=True, text=True)  # fmt: skip
    assert script.stdout.startswith("usage: kexie ")
