"""Every notebook runs top to bottom, quickly, and is stored without outputs."""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from analysis import pipeline

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))


def test_the_six_notebooks_exist():
    assert [p.name for p in NOTEBOOKS] == [
        "01-corpus-overview.ipynb", "02-keywords-and-keyness.ipynb",
        "03-themes-and-priorities.ipynb", "04-similarity-and-alignment.ipynb", "05-targets.ipynb",
        "06-policy-tools-and-pmc.ipynb",
    ]  # fmt: skip


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs_and_is_thin(path):
    book = nbformat.read(path, as_version=4)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "strip outputs"
    assert "parameters" in code[0].metadata.get("tags", [])
    source = "\n".join(c.source for c in code)
    assert "os.chdir" not in source and "/work/" not in source and "C:\\\\" not in source
    for cell in code:  # no logic: at most a few lines per definition
        assert cell.source.count("\ndef ") + cell.source.startswith("def ") == 0
    import re

    import analysis

    used = set(re.findall(r"\banalysis\.(\w+)", source))
    assert used <= set(analysis.__all__), f"not public: {sorted(used - set(analysis.__all__))}"
    assert not re.search(r"from analysis[\w.]* import", source), "use analysis.<public name>"
    markdown = [c.source for c in book.cells if c.cell_type == "markdown"]
    assert markdown[0].startswith("# ") and "**Question.**" in markdown[0]
    assert markdown[-1].startswith("## Findings") and "2018" in markdown[-1]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom_in_under_a_minute(path):
    book = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(book, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()  # fmt: skip
    assert time.perf_counter() - start < 60
    errors = [o for c in book.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]  # fmt: skip
    assert not errors


def test_a_jupyter_kernel_never_forks_and_keeps_the_inline_backend():
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell(
        "import matplotlib\nfrom analysis import figures, pipeline\n"
        "print(pipeline.can_fork(), pipeline.inside_jupyter_kernel(), matplotlib.get_backend())"
    )]  # fmt: skip
    NotebookClient(book, timeout=120, kernel_name="python3").execute()
    printed = book.cells[0].outputs[0]["text"].split()
    assert printed[:2] == ["False", "True"]
    assert "inline" in printed[2]
    assert not pipeline.inside_jupyter_kernel()  # this process only started the kernel
