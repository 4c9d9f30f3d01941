# kexie-compare tasks. `make help` lists them.
PY ?= python

.PHONY: help setup build test lab lint bench
help:   ## list the tasks
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'
setup:  ## install the package and its test tools into the current Python environment
	$(PY) -m pip install -e ".[test]"
build:  ## regenerate every table, the workbook and every figure
	$(PY) -m analysis build
test:   ## run the test suite (notebooks included)
	$(PY) -m pytest
lab:    ## open the notebooks in JupyterLab
	$(PY) -m jupyter lab notebooks/
lint:   ## ruff lint and format check
	$(PY) -m ruff check src tests bench && $(PY) -m ruff format --check src tests bench
bench:  ## speed benchmarks (not part of the tests)
	$(PY) bench/bench_build.py
